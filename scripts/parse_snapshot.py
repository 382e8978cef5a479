"""Snapshot everything ingest and parse produce for a set of files, and compare two snapshots.

A speed change must not change one output: every Document field (text, offset map, grids), metadata value,
section, prose fact, table cell and parse issue is written as one JSON line per file; `--against` reports the
files whose line differs (and the first differing key). Development aid, not part of the build.

Usage: python scripts/parse_snapshot.py OUT.jsonl [PATH ...] [--against OLD.jsonl]
(default paths: ../shared/seeds, ../shared/corpus, tests/fixtures)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from nianbao.ingest import Document, discover, read_document
from nianbao.parse import NotAReport, parse_text
from nianbao.staging import parsed_rows

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [
    ROOT.parent / "shared" / "seeds",
    ROOT.parent / "shared" / "corpus",
    ROOT / "tests" / "fixtures",
]


def snapshot(path: Path) -> dict:
    """Everything one file yields through read_document and parse_text (exceptions recorded, not raised)."""
    rel = str(path)
    try:
        doc = read_document(path)
    except Exception as e:
        return {"path": rel, "read_error": f"{type(e).__name__}: {e}"}
    if not isinstance(doc, Document):
        return {"path": rel, "quarantined": asdict(doc) | {"source_path": None}}
    out: dict = {"path": rel, "document": asdict(doc) | {"source_path": None}}
    try:
        out["parsed"] = parsed_rows(
            parse_text(doc.document_id, doc.normalized_text, doc.grids), doc.offset_map
        )
    except NotAReport as e:
        out["not_a_report"] = str(e)
    except Exception as e:
        out["parse_error"] = f"{type(e).__name__}: {e}"
    return out


def first_difference(a: object, b: object, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {a!r:.120} != {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {a!r:.120} != {b!r:.120}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", type=Path, nargs="*")
    parser.add_argument("--against", type=Path)
    args = parser.parse_args()
    lines = {}
    for path in discover(args.paths or DEFAULT_PATHS):
        lines[str(path)] = json.dumps(snapshot(path), ensure_ascii=False, sort_keys=True, default=str)
    args.out.write_text("".join(line + "\n" for line in lines.values()), encoding="utf-8")
    print(f"{len(lines)} files → {args.out}")
    if not args.against:
        return 0
    old = {json.loads(x)["path"]: x for x in args.against.read_text(encoding="utf-8").splitlines()}
    differ = 0
    for path in sorted(set(old) | set(lines)):
        if old.get(path) == lines.get(path):
            continue
        differ += 1
        if path not in old or path not in lines:
            print(f"DIFF {path}: only in {'new' if path in lines else 'old'}")
        else:
            print(f"DIFF {path}{first_difference(json.loads(old[path]), json.loads(lines[path]))}")
    print(f"{len(lines) - differ} identical, {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

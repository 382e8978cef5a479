"""Which input files the published warehouse already holds, told by `stat` alone: a no-op decided in a second.

A build that publishes (or finds itself up to date) leaves `.<warehouse>.inputs.json` next to the warehouse: the
code fingerprint, the published file's identity (inode, size, mtime_ns) and, for every input file, its absolute
path with (size, mtime_ns, ctime_ns, inode). A later build whose every input file still has that stat, on the
same published file and the same code, has nothing new: `nianbao build` says so before importing Prefect, dbt or
GX and before reading any file; the flow hands ingest only the files whose stat is new. A file whose stat
changed (a `touch`, a rewrite) goes through ingest, which hashes it and decides; the cache is rewritten after.
Written last (after the publish's rename): a crash before that leaves a cache naming the old file, ignored.

Only the standard library is imported here: this module runs before the heavy start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from nianbao import PARSER_VERSION

FORMAT = 1
_CODE_ROOTS_SKIP = {"target", "logs", "dbt_packages", "__pycache__"}


def build_fingerprint() -> str:
    """Hash of everything that shapes the marts besides the documents: the code, dbt project and suites."""
    from nianbao.dbt_build import PROJECT_DIR
    from nianbao.validate import DEFAULT_EXPECTATIONS_DIR

    h = hashlib.sha256(PARSER_VERSION.encode())
    for root in (Path(__file__).resolve().parent, PROJECT_DIR, DEFAULT_EXPECTATIONS_DIR):
        for f in sorted(root.rglob("*")):
            if f.is_file() and f.suffix != ".pyc" and not _CODE_ROOTS_SKIP & set(f.relative_to(root).parts):
                h.update(str(f.relative_to(root)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def cache_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.stem}.inputs.json")


def file_stat(path: str) -> list[int] | None:
    """(size, mtime_ns, ctime_ns, inode): ctime cannot be set back by a user, so a rewrite always shows."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def snapshot(files: list[str]) -> dict[str, list[int] | None]:
    """The stat of each file (as `ingest.discover` listed it), taken before ingest reads them."""
    return {f: file_stat(f) for f in files}


def walk(paths: list[str]) -> list[str] | None:
    """The files a build would read under `paths`, without reading them: a superset of `ingest.discover`.

    None when the walk cannot be sure to see what `discover` sees (a symlinked folder): the full build decides.
    """
    found: list[str] = []
    for p in paths:
        if not os.path.isdir(p):
            found.append(p)
            continue
        for root, dirs, names in os.walk(p):
            if any(os.path.islink(os.path.join(root, d)) for d in dirs):
                return None
            found.extend(os.path.join(root, n) for n in names if not n.startswith("."))
    return found


def _identity(warehouse: Path) -> list[int] | None:
    st = file_stat(str(warehouse))
    return None if st is None else [st[0], st[1], st[3]]


def load(warehouse: Path, fingerprint: str) -> dict | None:
    """The cache, if it describes the file published now and was written by this code; else None."""
    try:
        data = json.loads(cache_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        data.get("format") != FORMAT
        or data.get("fingerprint") != fingerprint
        or data.get("warehouse") != _identity(warehouse)
    ):
        return None
    return data


def held(cache: dict | None, inputs: dict[str, list[int] | None]) -> set[str]:
    """The input files (keys of `inputs`) the cached build already read, byte for byte as far as stat tells."""
    if not cache:
        return set()
    files = cache["files"]
    return {f for f, st in inputs.items() if st is not None and files.get(os.path.abspath(f)) == st}


def up_to_date(warehouse: Path, paths: list[str]) -> dict | None:
    """The cached counts when every file under `paths` is held by the published warehouse; else None."""
    files = walk(paths)
    if files is None or not (cache := load(warehouse, build_fingerprint())):
        return None
    inputs = snapshot(files)
    return cache["counts"] | {"files": len(files)} if len(held(cache, inputs)) == len(files) else None


def record(warehouse: Path, inputs: dict[str, list[int] | None], fingerprint: str, counts: dict) -> None:
    """Write the cache for the file just published (or found up to date): atomically, after the publish."""
    data = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "warehouse": _identity(warehouse),
        "counts": counts,
        "files": {os.path.abspath(f): st for f, st in inputs.items() if st is not None},
    }
    path = cache_path(warehouse)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)

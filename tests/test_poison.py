"""The poison corpus (`tests/fixtures/poison/`, written by `scripts/make_poison.py`) through the real build.

One `nianbao build` of the poison files plus the five seeds, and one of the seeds alone, each a real
subprocess (Prefect flow, DuckDB, dbt, Great Expectations) run once for the module. Then:

- every poison file ends as `expected.json` says: parsed with its figures, or quarantined with its code;
- nothing is lost: every input is in `staging.documents` or `staging.quarantine` by its path, or repeats
  the exact bytes of one that is;
- the seeds come out exactly as in a build of the seeds alone (bad neighbours change nothing);
- every reason code is one of the closed list in `nianbao.quarantine`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from nianbao.quarantine import REASON_CODES
from tests.conftest import FIXTURES, ROOT, SEEDS
from tests.helpers import mart_checksums

pytestmark = pytest.mark.e2e

POISON = FIXTURES / "poison"
EXPECTED: dict[str, dict[str, Any]] = json.loads((POISON / "expected.json").read_text(encoding="utf-8"))
NIANBAO = Path(sys.executable).with_name("nianbao")
BUILD_TIMEOUT_S = 600


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_poison", ROOT / "scripts" / "make_poison.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Build:
    """One finished `nianbao build` and what the published warehouse holds."""

    inbox: Path
    warehouse: Path
    returncode: int
    summary: dict[str, Any]
    seconds: float
    output: str = field(repr=False)


def run_build(inbox: Path, warehouse: Path) -> Build:
    """`nianbao build INBOX --warehouse FILE --json` as a subprocess; the summary is the JSON it prints last.

    Prefect's temporary API server on SQLite can fail to start under load (`database is locked`, see
    stack_pitfalls); such a start-up failure (no summary printed) is retried once, nothing else is.
    """
    env = os.environ | {"PREFECT_LOGGING_LEVEL": "WARNING"}
    for attempt in (1, 2):
        started = time.perf_counter()
        proc = subprocess.run(
            [str(NIANBAO), "build", str(inbox), "--warehouse", str(warehouse), "--json"],
            cwd=warehouse.parent,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
        seconds = time.perf_counter() - started
        output = "\n" + proc.stdout
        start = output.rfind("\n{\n")
        if start == -1 and attempt == 1 and "database is locked" in proc.stderr:
            continue
        assert start != -1, (
            f"no JSON summary (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
        summary, _ = json.JSONDecoder().raw_decode(output, start + 1)
        return Build(inbox, warehouse, proc.returncode, summary, seconds, proc.stdout + proc.stderr)
    raise AssertionError("unreachable")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def poison_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The seeds and every poison file in one flat inbox (seed names sort first), built once."""
    root = tmp_path_factory.mktemp("poison")
    inbox = root / "inbox"
    inbox.mkdir()
    for f in sorted(SEEDS.iterdir()):
        shutil.copy(f, inbox / f.name)
    for f in sorted(POISON.iterdir()):
        if f.name != "expected.json":
            shutil.copy(f, inbox / f.name)
    generator = _load_generator()
    for name, entry in EXPECTED.items():
        if entry.get("generated_at_test_time"):
            generator.MAKERS[name](inbox)
    build = run_build(inbox, root / "warehouse.duckdb")
    print(f"\npoison build: {build.seconds:.1f}s, summary {json.dumps(build.summary, ensure_ascii=False)}")
    return build


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("seeds-only")
    inbox = root / "inbox"
    shutil.copytree(SEEDS, inbox)
    build = run_build(inbox, root / "warehouse.duckdb")
    print(f"\nseeds-only build: {build.seconds:.1f}s")
    return build


@pytest.fixture(scope="module")
def staged(poison_build: Build) -> dict[str, Any]:
    """What the published poison warehouse holds, read once."""
    wh = poison_build.warehouse
    if not poison_build.summary["published"]:
        pytest.fail(f"the poison build published nothing: {poison_build.summary['failures']}", pytrace=False)
    return {
        "documents": rows(
            wh,
            "select document_id, source_path, source_file, file_type, encoding, script, pinyin_removed,"
            " original_text from staging.documents join staging.document_payloads using (document_id)"
            " order by source_path",
        ),
        "quarantine": rows(
            wh,
            "select document_id, source_path, stage, reason_code, message from staging.quarantine order by all",
        ),
        "marts_quarantine": rows(
            wh, "select document_id, source_path, stage, reason_code from marts.quarantine order by all"
        ),
        "summary": {r["source_file"]: r for r in rows(wh, "select * from marts.report_summary")},
    }


def _by_name(records: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in records if Path(r["source_path"]).name == name]


def test_poison_build_succeeds_and_sees_every_input(poison_build: Build) -> None:
    s = poison_build.summary
    inputs = sorted(p for p in poison_build.inbox.iterdir())
    assert poison_build.returncode == 0 and s["ok"] and s["published"], (
        s["failures"],
        poison_build.output[-3000:],
    )
    assert s["documents_seen"] == len(inputs) == len(EXPECTED) + len(list(SEEDS.iterdir()))


def test_corpus_has_the_required_classes() -> None:
    """At least 30 classes, a reason code for each quarantined one, figures for each parsed one."""
    assert len(EXPECTED) >= 30
    for name, e in EXPECTED.items():
        assert e["outcome"] in ("parsed", "quarantined"), name
        if e["outcome"] == "quarantined":
            assert e["reason"] in REASON_CODES, name
        elif "same_bytes_as" not in e:
            assert e["figures"], name
        if not e.get("generated_at_test_time"):
            assert (POISON / name).is_file(), name
    assert sum(f.stat().st_size for f in POISON.iterdir()) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_poison_file_ends_as_expected(name: str, poison_build: Build, staged: dict[str, Any]) -> None:
    e = EXPECTED[name]
    docs = _by_name(staged["documents"], name)
    quarantined = _by_name(staged["quarantine"], name)
    if "same_bytes_as" in e:  # one document id for the same bytes, held under the other file's path
        assert docs == [] and quarantined == []
        table = "documents" if e["outcome"] == "parsed" else "quarantine"
        (original,) = _by_name(staged[table], e["same_bytes_as"])
        assert original["document_id"] == sha256(poison_build.inbox / name)
        assert original.get("reason_code") == e["reason"]
        return
    if e["outcome"] == "quarantined":
        assert docs == [], f"{name} was staged as a document, expected quarantine {e['reason']}"
        assert [(q["reason_code"]) for q in quarantined] == [e["reason"]], quarantined
        if e["reason"] == "duplicate_of":
            (kept,) = _by_name(staged["documents"], e["duplicate_of"])
            assert kept["document_id"] in quarantined[0]["message"]
            assert e["duplicate_of"] in quarantined[0]["message"]
        return
    assert quarantined == [], (
        f"{name} quarantined: {[(q['reason_code'], q['message'][:200]) for q in quarantined]}"
    )
    assert len(docs) == 1, f"{name} is not in staging.documents"
    doc = docs[0]
    for column in ("file_type", "encoding", "script"):
        if column in e:
            assert doc[column] == e[column], (column, doc[column])
    if "pinyin_removed" in e:
        assert doc["pinyin_removed"] == e["pinyin_removed"]
    for fragment in e.get("original_contains", []):
        assert fragment in doc["original_text"]
    summary = staged["summary"].get(name)
    assert summary is not None, f"{name} has no marts.report_summary row"
    got = {k: summary[k] for k in e["figures"]}
    want = {k: v for k, v in e["figures"].items()}
    got = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in got.items()}
    assert got == want


def _where(poison_build: Build, staged: dict[str, Any]) -> dict[str, list[Path]]:
    """Every input file by where it ended: under its own path in documents / quarantine, or same bytes."""
    doc_paths = {r["source_path"] for r in staged["documents"]}
    quarantine_paths = {r["source_path"] for r in staged["quarantine"]}
    known_ids = {r["document_id"] for r in staged["documents"] + staged["quarantine"]}
    inputs = sorted(poison_build.inbox.iterdir())
    where: dict[str, list[Path]] = {"documents": [], "quarantine": [], "same_bytes": [], "lost": []}
    for p in inputs:
        if str(p) in doc_paths and str(p) in quarantine_paths:
            where["lost"].append(p)  # both at once is as wrong as neither
        elif str(p) in doc_paths:
            where["documents"].append(p)
        elif str(p) in quarantine_paths:
            where["quarantine"].append(p)
        elif sha256(p) in known_ids:
            where["same_bytes"].append(p)
        else:
            where["lost"].append(p)
    return where


def test_nothing_is_lost(poison_build: Build, staged: dict[str, Any]) -> None:
    """Every input file is staged or quarantined under its own path, or is byte-identical to one that is."""
    where = _where(poison_build, staged)
    n_inputs = len(list(poison_build.inbox.iterdir()))
    print(f"\ninputs {n_inputs}: " + " · ".join(f"{k} {len(v)}" for k, v in where.items()))
    assert where["lost"] == []
    assert len(where["documents"]) + len(where["quarantine"]) + len(where["same_bytes"]) == n_inputs


def test_counts_by_outcome_match_the_corpus(poison_build: Build, staged: dict[str, Any]) -> None:
    where = _where(poison_build, staged)
    n_seeds = len(list(SEEDS.iterdir()))
    same_bytes = sorted(n for n, e in EXPECTED.items() if "same_bytes_as" in e)
    parsed = sorted(n for n, e in EXPECTED.items() if e["outcome"] == "parsed" and n not in same_bytes)
    quarantined = sorted(
        n for n, e in EXPECTED.items() if e["outcome"] == "quarantined" and n not in same_bytes
    )
    assert sorted(p.name for p in where["same_bytes"]) == same_bytes
    assert sorted(p.name for p in where["quarantine"]) == quarantined
    assert len(where["documents"]) == len(parsed) + n_seeds


def test_seeds_come_out_exactly_as_in_a_build_of_the_seeds_alone(
    poison_build: Build, seeds_build: Build, staged: dict[str, Any]
) -> None:
    assert seeds_build.returncode == 0 and seeds_build.summary["ok"]
    alone = {r["source_file"]: r for r in rows(seeds_build.warehouse, "select * from marts.report_summary")}
    assert sorted(alone) == sorted(f.name for f in SEEDS.iterdir())
    for name, row in alone.items():
        assert staged["summary"].get(name) == row, name


def test_every_reason_code_is_in_the_closed_list(staged: dict[str, Any]) -> None:
    staging_codes = {r["reason_code"] for r in staged["quarantine"]}
    assert staging_codes <= set(REASON_CODES), staging_codes - set(REASON_CODES)
    assert {r["reason_code"] for r in staged["marts_quarantine"]} == staging_codes
    assert [tuple(r.values()) for r in staged["marts_quarantine"]] == [
        (r["document_id"], r["source_path"], r["stage"], r["reason_code"]) for r in staged["quarantine"]
    ]


def test_rebuild_with_nothing_new_is_up_to_date_and_identical(
    poison_build: Build, staged: dict[str, Any]
) -> None:
    """Last in the module (it rebuilds the published warehouse; `staged` was read before it)."""
    before = mart_checksums(poison_build.warehouse)
    again = run_build(poison_build.inbox, poison_build.warehouse)
    s = again.summary
    print(
        f"\npoison rebuild with nothing new: {again.seconds:.1f}s, quarantined again {s['documents_quarantined']}"
    )
    assert again.returncode == 0 and s["ok"]
    after = mart_checksums(poison_build.warehouse)
    assert sorted(m for m in before if after.get(m) != before[m]) == []
    assert s["up_to_date"] and not s["published"], (s["documents_new"], s["documents_quarantined"])

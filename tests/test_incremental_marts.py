"""An incremental dbt build gives the same marts as a clean full build (nianbao/incremental.py, dbt_project/).

Build A in full, then add B (reports of A's bodies in other years, so A's cross-year checks change), re-parse
one report of A with another parser version and quarantine another, and build incrementally; a clean full build
of the same staging must give identical rows in every mart table. The incremental run tests the batch's rows of
the marts by document and runs no unit tests; every build after the first reuses dbt's parse, whatever the
warehouse file. Real parsers, DuckDB and dbt; about three dbt builds (minutes on a loaded machine).
"""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from nianbao import PARSER_VERSION
from nianbao.dbt_build import run_dbt_build
from nianbao.incremental import plan_build_batch
from nianbao.ingest import Document, Quarantined, read_document
from nianbao.parse import parse_text
from nianbao.staging import move_to_quarantine, parsed_rows, stage_documents, stage_rows
from nianbao.staging_schema import STAGING_DDL
from nianbao.warehouse import connect, start_candidate
from tests.helpers import mart_checksums

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = sorted([*(ROOT / "seeds").iterdir(), *(FIXTURES / "corpus" / "pages").glob("*.txt")])
AT = datetime(2026, 1, 1)
OLD_VERSION = "0.0.1-before"
TESTS = ("test", "unit_test")  # dbt's node kinds (unique_id prefixes) of data tests and unit tests


def _replicate():
    """scripts/replicate_corpus.replicate: copies of every report under the same body in other years."""
    spec = importlib.util.spec_from_file_location(
        "replicate_corpus", ROOT / "scripts" / "replicate_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.replicate


def tables_with_documents() -> list[str]:
    return [t for t, ddl in STAGING_DDL.items() if "document_id" in ddl and t != "quarantine"]


@pytest.fixture(scope="module")
def staged_ab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every input parsed and staged (no flow), then replicated: copy k of a report is the same body, year + k."""
    wh = start_candidate(tmp_path_factory.mktemp("ab") / "staged.duckdb", "staged")
    with connect(wh) as con:
        for path in INPUTS:
            doc = read_document(path)
            if not isinstance(doc, Document):
                continue
            report = parse_text(doc.document_id, doc.normalized_text, doc.grids_json)
            stage_documents(con, [doc])
            stage_rows(con, [doc.document_id], parsed_rows(report, doc.offset_map), [], AT)
        _replicate()(con, 3, 3)
    return wh


def copy_of(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def pick(con: duckdb.DuckDBPyConnection) -> tuple[list[str], str, str]:
    """B (year + 2 copies of half the reports), a report of A re-parsed between the builds and one of A quarantined."""
    c2 = con.execute(
        "select document_id from staging.documents where source_file like 'c2\\_%' escape '\\' order by 1"
    ).fetchall()
    b = [r[0] for r in c2[: len(c2) // 2]]  # half the bodies get a new report; the others are left alone
    a = con.execute(
        """select d.document_id from staging.documents d join staging.report_metadata m using (document_id)
           where d.source_file like 'c0\\_%' escape '\\' and m.agency is not null and m.report_year is not null
           order by d.document_id"""
    ).fetchall()
    return b, a[0][0], a[1][0]


def quarantine(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    path = con.execute(
        "select source_path from staging.documents where document_id = ?", [doc_id]
    ).fetchone()[0]
    move_to_quarantine(con, [Quarantined(doc_id, path, "validate", "failed_expectation", "test")], AT)


def ran_tests(target_dir: Path) -> dict[str, str]:
    """unique_id → compiled SQL of every data and unit test the last build into `target_dir` ran."""
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"]: r["compiled_code"] for r in results if r["unique_id"].split(".")[0] in TESTS}


def batch_scoped_tests(target_dir: Path) -> set[str]:
    """The data tests whose one tested model is incremental (the models by document), from the manifest."""
    nodes = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    incremental = {uid for uid, n in nodes.items() if n["config"].get("materialized") == "incremental"}
    tested = {
        uid: n.get("attached_node") or (n["depends_on"]["nodes"] + [None])[0]  # a singular test: its one ref
        for uid, n in nodes.items()
        if n["resource_type"] == "test"
    }
    return {uid for uid, model in tested.items() if model in incremental}


def parsed_in_full(target_dir: Path) -> bool:
    """Whether the last dbt invocation logged into `target_dir` parsed the project from scratch."""
    log = (target_dir / "logs" / "dbt.log").read_text(encoding="utf-8")
    return "Unable to do partial parsing" in log.rsplit("running dbt with arguments", 1)[-1]


def test_incremental_build_equals_a_clean_full_build(staged_ab: Path, tmp_path: Path) -> None:
    with connect(staged_ab, read_only=True) as con:
        b_ids, reparsed, removed = pick(con)
    assert b_ids

    # A: everything but B, one report still from an older parser version; built in full.
    inc = copy_of(staged_ab, tmp_path / "incremental.duckdb")
    with connect(inc) as con:
        for t in tables_with_documents():
            con.execute(
                f"create table meta_b_{t} as select * from staging.{t} where document_id in (select unnest(?))",
                [b_ids],
            )
            con.execute(f"delete from staging.{t} where document_id in (select unnest(?))", [b_ids])
            con.execute(
                f"update staging.{t} set parser_version = ? where document_id = ?", [OLD_VERSION, reparsed]
            )
    dbt_dir = tmp_path / "dbt"  # one target folder, as a flow's builds of one warehouse share
    first = run_dbt_build(inc, target_dir=dbt_dir)
    assert first.success, first.messages
    full_tests = ran_tests(dbt_dir)

    # A + B: B staged, the old report re-parsed with this parser, another report quarantined; incremental.
    with connect(inc) as con:
        for t in tables_with_documents():
            con.execute(f"insert into staging.{t} select * from meta_b_{t}")
            con.execute(f"drop table meta_b_{t}")
            con.execute(
                f"update staging.{t} set parser_version = ? where document_id = ?", [PARSER_VERSION, reparsed]
            )
        quarantine(con, removed)
    batch = plan_build_batch(inc, same_code=True)
    with connect(inc, read_only=True) as con:
        in_batch = {r[0] for r in con.execute("select document_id from meta.build_batch").fetchall()}
        total = con.execute("select count(*) from staging.documents").fetchone()[0]
    assert set(b_ids) | {reparsed, removed} <= in_batch
    assert batch == len(in_batch) < total  # the other bodies' reports are left alone
    second = run_dbt_build(inc, target_dir=dbt_dir, incremental=True)
    assert second.success, second.messages
    assert not parsed_in_full(dbt_dir)
    incremental_tests = ran_tests(dbt_dir)
    scoped_tests = {uid for uid, sql in incremental_tests.items() if '"meta"."build_scope"' in sql}
    assert {u for u in full_tests if u.startswith("unit_test.")}  # the full build runs the unit tests ...
    assert not any('"meta"."build_scope"' in sql for sql in full_tests.values())  # ... and tests every row
    assert {u for u in incremental_tests if u.startswith("unit_test.")} == set()
    assert {u for u in full_tests if u.startswith("test.")} == set(incremental_tests)
    # The others read views scoped already, or small tables rebuilt whole.
    assert scoped_tests == batch_scoped_tests(dbt_dir)
    assert "check_status_agrees_with_values" in " ".join(
        scoped_tests
    )  # a singular test, scoped by its own ref
    with connect(inc, read_only=True) as con:  # the run computed the batch only; its views read whole again
        scoped = con.execute("select count(*) from stg.stg_table_cells").fetchone()
        assert scoped == con.execute("select count(*) from staging.table_cells").fetchone()

    # The same staging built from nothing.
    full = copy_of(staged_ab, tmp_path / "full.duckdb")
    with connect(full) as con:
        quarantine(con, removed)
    clean = run_dbt_build(full, target_dir=dbt_dir)
    assert clean.success, clean.messages
    assert not parsed_in_full(dbt_dir)  # another file, the same parse (dbt_build.stable_path)

    got, want = mart_checksums(inc), mart_checksums(full)
    assert set(got) == set(want)
    assert [m for m in want if got[m] != want[m]] == []
    print(
        f"\nincremental batch {batch} of {total} documents; dbt {first.elapsed_s}s full A, "
        f"{second.elapsed_s}s incremental, {clean.elapsed_s}s full A+B"
    )

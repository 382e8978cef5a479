"""An incremental dbt build gives the same marts as a clean full build (nianbao/incremental.py, dbt_project/).

Build A in full, then add B (reports of A's bodies in other years, so A's cross-year checks change), a twin of
a report of A that becomes its year's chosen report (so the next year's carry-over check of a report outside
B changes), re-parse one report of A with another parser version and quarantine another, and build
incrementally; a clean full build of the same staging must give identical rows in every mart table, and the
batch leaves out the reports of the same bodies in years nothing read. The incremental run tests the batch's
rows of the marts by document and runs no unit tests and no seeds; every build after the first reuses dbt's
parse, whatever the warehouse file. The Parquet export by the batch's changes equals a whole export. Real
parsers, DuckDB and dbt; about three dbt builds (minutes on a loaded machine).
"""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from nianbao import PARSER_VERSION, export
from nianbao.dbt_build import run_dbt_build
from nianbao.export import by_document_marts, export_marts
from nianbao.incremental import plan_build_batch
from nianbao.ingest import Document, Quarantined, read_document
from nianbao.parse import parse_text
from nianbao.staging import move_to_quarantine, parsed_rows, stage_documents, stage_rows
from nianbao.staging_schema import STAGING_DDL
from nianbao.warehouse import connect, record_build, start_candidate
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
            report = parse_text(doc.document_id, doc.normalized_text, doc.grids)
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


def twin_of_chosen(con: duckdb.DuckDBPyConnection, b_ids: list[str]) -> tuple[str, str]:
    """(report of A outside B whose carry-over check read the year before's chosen report, that chosen report)."""
    return con.execute(
        r"""select document_id, regexp_extract(detail, '\(([0-9a-f]{64})\)', 1) from marts.check_results
           where check_name = 'cross_year_carry_over' and status <> 'NOT_EVALUABLE'
               and document_id not in (select unnest(?)) order by document_id limit 1""",
        [b_ids],
    ).fetchone()


def add_twin(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    """A copy of `doc_id` under an id that sorts first: same body, year and figures, so it becomes the chosen
    report of its year (is_chosen: ties go to the smallest document_id). Its body is written with a space the
    warehouse has not seen (the same body: names are matched without whitespace), so the batch plan finds
    the body in int_agency_divisions_unseen."""
    twin = "00000000" + doc_id[8:]
    for t in tables_with_documents():
        cols = [r[0] for r in con.execute(f"describe staging.{t}").fetchall()]
        exprs = [
            "?" if c == "document_id" else f"'twin_' || {c}" if t == "documents" and c in ("source_file", "source_path")
            else "regexp_replace(agency, '^(.)', '\\1 ')" if t == "report_metadata" and c == "agency"
            else c
            for c in cols
        ]  # fmt: skip
        con.execute(
            f"insert into staging.{t} select {', '.join(exprs)} from staging.{t} where document_id = ?",
            [twin, doc_id],
        )
    return twin


def bodies_reports(con: duckdb.DuckDBPyConnection) -> int:
    """How many reports the bodies of the batch have (what the batch held when it took whole bodies)."""
    return con.execute(
        """select count(*) from (
               select document_id from meta.build_batch
               union
               select document_id from marts.dim_report where agency_key in (
                   select agency_key from marts.dim_report join meta.build_batch using (document_id)))"""
    ).fetchone()[0]


def exported(root: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Per mart of the export at `root`: its partition folders and its rows, read back as a reader would."""
    con = duckdb.connect()
    try:
        return {
            mart.name: (
                sorted({str(f.parent.relative_to(mart)) for f in mart.rglob("*.parquet")}),
                con.execute(
                    f"select * from read_parquet('{mart}/**/*.parquet', hive_partitioning = true) order by all"
                ).fetchall(),
            )
            for mart in sorted(root.iterdir())
        }
    finally:
        con.close()


def ran_nodes(target_dir: Path) -> set[str]:
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"] for r in results}


def ran_tests(target_dir: Path) -> dict[str, str]:
    """unique_id → compiled SQL of every data and unit test the last build into `target_dir` ran."""
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {r["unique_id"]: r["compiled_code"] for r in results if r["unique_id"].split(".")[0] in TESTS}


def batch_scoped_tests(target_dir: Path) -> set[str]:
    """The data tests whose one tested model is incremental by document, from the manifest."""
    nodes = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    incremental = {
        uid
        for uid, n in nodes.items()
        if n["config"].get("materialized") == "incremental" and "document_id" in n["columns"]
    }
    tested = {
        uid: n.get("attached_node") or (n["depends_on"]["nodes"] + [None])[0]  # a singular test: its one ref
        for uid, n in nodes.items()
        if n["resource_type"] == "test"
    }
    return {uid for uid, model in tested.items() if model in incremental}


def seed_only_tests(target_dir: Path) -> set[str]:
    """The data tests that read seeds and the models reading only seeds, nothing else (an incremental run
    leaves them to the full builds)."""
    nodes = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    seeds_only = {uid for uid, n in nodes.items() if "seeds_only" in n["config"].get("tags", [])}
    return {
        uid
        for uid, n in nodes.items()
        if n["resource_type"] == "test"
        and all(d.startswith("seed.") or d in seeds_only for d in n["depends_on"]["nodes"])
    }


def view_models(target_dir: Path) -> set[str]:
    nodes = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    return {
        uid
        for uid, n in nodes.items()
        if n["resource_type"] == "model" and n["config"]["materialized"] == "view"
    }


def parsed_in_full(target_dir: Path) -> bool:
    """Whether the last dbt invocation logged into `target_dir` parsed the project from scratch."""
    log = (target_dir / "logs" / "dbt.log").read_text(encoding="utf-8")
    return "Unable to do partial parsing" in log.rsplit("running dbt with arguments", 1)[-1]


def test_incremental_build_equals_a_clean_full_build(
    staged_ab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "ROWS_PER_PART", 300)  # parts of a few documents in this small warehouse
    monkeypatch.setattr(export, "COMPACT_BELOW", 50)
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
    record_build(inc, "a", "same code", AT)
    first_export = export_marts(inc, "a").resolve()

    # A + B + a twin: B staged, a twin of a chosen report of A, the old report re-parsed with this parser,
    # another report quarantined; incremental.
    with connect(inc) as con:
        reader, chosen = twin_of_chosen(con, b_ids)
        twin = add_twin(con, chosen)
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
        whole_bodies = bodies_reports(con)
    assert set(b_ids) | {reparsed, removed, twin, chosen, reader} <= in_batch
    assert batch == len(in_batch) < whole_bodies < total  # other years and bodies are left alone
    second = run_dbt_build(inc, target_dir=dbt_dir, incremental=True)
    assert second.success, second.messages
    assert not parsed_in_full(dbt_dir)
    incremental_tests = ran_tests(dbt_dir)
    scoped_tests = {uid for uid, sql in incremental_tests.items() if '"meta"."build_scope"' in sql}
    assert {u for u in full_tests if u.startswith("unit_test.")}  # the full build runs the unit tests ...
    assert not any('"meta"."build_scope"' in sql for sql in full_tests.values())  # ... and tests every row
    assert {u for u in incremental_tests if u.startswith("unit_test.")} == set()
    seed_only = seed_only_tests(dbt_dir)
    assert seed_only and seed_only <= set(full_tests)  # the full build loads and tests the seeds ...
    assert {u for u in full_tests if u.startswith("test.")} - seed_only == set(incremental_tests)  # ... once
    assert not any(r.startswith("seed.") for r in ran_nodes(dbt_dir))
    assert view_models(dbt_dir) and not view_models(dbt_dir) & ran_nodes(dbt_dir)  # created by the full build
    assert "model.nianbao.dim_division" not in ran_nodes(dbt_dir)  # reads seeds only
    run_args = json.loads((dbt_dir / "run_results.json").read_text(encoding="utf-8"))["args"]
    assert run_args["threads"] == 2  # a small batch (dbt_build.SMALL_BATCH)
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
        add_twin(con, chosen)
        quarantine(con, removed)
    clean = run_dbt_build(full, target_dir=dbt_dir)
    assert clean.success, clean.messages
    assert not parsed_in_full(dbt_dir)  # another file, the same parse (dbt_build.stable_path)

    # The Parquet export by the batch's changes equals a whole export of the same file; most parts are linked.
    record_build(inc, "b", "same code", datetime(2026, 1, 2))
    by_changes = export_marts(inc, "b").resolve()
    (tmp_path / "whole").mkdir()
    whole = export_marts(copy_of(inc, tmp_path / "whole" / "incremental.duckdb"), "b").resolve()
    assert exported(by_changes) == exported(whole)
    parts = {m: list((by_changes / m).rglob("*.parquet")) for m in by_document_marts()}
    linked = {m: [f for f in fs if f.stat().st_nlink > 1] for m, fs in parts.items()}
    assert any(linked.values()), parts  # parts of the first export, hard-linked: not written again
    assert all(
        f.stat().st_ino == (first_export / f.relative_to(by_changes)).stat().st_ino
        for fs in linked.values()
        for f in fs
    )
    with duckdb.connect() as con:  # a document's rows are in one part
        for m in parts:
            split = con.execute(
                f"select count(*) from (select document_id from read_parquet('{by_changes / m}/**/*.parquet', "
                "filename = true) group by document_id having count(distinct filename) > 1)"
            ).fetchone()[0]
            assert split == 0, m

    with connect(inc, read_only=True) as con:  # the twin took over as the year before of `reader`
        detail = con.execute(
            "select detail from marts.check_results where check_name = 'cross_year_carry_over' "
            "and document_id = ?",
            [reader],
        ).fetchone()[0]
    assert f"({twin})" in detail

    got, want = mart_checksums(inc), mart_checksums(full)
    assert set(got) == set(want)
    assert [m for m in want if got[m] != want[m]] == []
    print(
        f"\nincremental batch {batch} of {total} documents; dbt {first.elapsed_s}s full A, "
        f"{second.elapsed_s}s incremental, {clean.elapsed_s}s full A+B"
    )

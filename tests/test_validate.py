"""Stage validation: real Great Expectations runs over a small hand-made DuckDB warehouse.

Each test starts from a clean warehouse (every stage passes), breaks one row, and checks that the stage
fails with the exact expectation named and the offending document in `documents_at_fault`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from nianbao.glossary import ADMIN_LEVELS, FORMAT_ERAS, MEASURES, SUMMARY_MEASURES
from nianbao.payloads import insert_documents
from nianbao.staging import create_staging
from nianbao.staging_schema import UNDECLARED_KEYS
from nianbao.validate import (
    DEFAULT_EXPECTATIONS_DIR,
    STAGES,
    Failure,
    StageValidationError,
    SuiteError,
    load_suite,
    validate_stage,
)

DOC_A = hashlib.sha256(b"report a").hexdigest()
DOC_B = hashlib.sha256(b"report b").hexdigest()
TEXT = "某某市人民政府2020年政府信息公开工作年度报告。本年度主动公开政府信息1234条。"

SUMMARY_DDL = (
    "source_file varchar, agency varchar, admin_level varchar, province varchar, report_year integer, "
    "published_on date, "
    + ", ".join(f"{m} double" for m in SUMMARY_MEASURES)
    + ", document_id varchar, format_era varchar, script varchar, parser_version varchar, "
    + ", ".join(f"{m}_source varchar, {m}_conflict boolean" for m in SUMMARY_MEASURES)
    + ", conflict_count integer, checks_failed integer"
)
CHECK_RESULTS_DDL = (
    "check_name varchar, document_id varchar, left_value double, right_value double, status varchar, "
    "detail varchar"
)


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, object]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))


def _insert_document(con: duckdb.DuckDBPyConnection, row: dict[str, object]) -> None:
    """A document row with its payloads: the texts to a segment beside the file, the rest to staging.documents."""
    con.register("_document", pa.Table.from_pylist([{"ocr_lines": None} | row]))
    insert_documents(con, "_document")
    con.unregister("_document")


def _document(document_id: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "document_id": document_id,
        "source_path": f"corpus/{document_id[:8]}.txt",
        "source_file": f"{document_id[:8]}.txt",
        "file_type": "txt",
        "byte_size": 2048,
        "encoding": "gb18030",
        "encoding_rule": "strict_gb18030",
        "replacement_count": 0,
        "script": "simplified",
        "pinyin_removed": 0,
        "original_text": TEXT,
        "normalized_text": TEXT,
        "offset_map": "[[0, 0, 40]]",
        "grids_json": "[]",
        "parser_version": "0.1.0",
    }
    return row | overrides


def _fact(document_id: str, fact_no: int, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "document_id": document_id,
        "fact_no": fact_no,
        "measure": "proactive_total",
        "value": 1234.0,
        "unit": "条",
        "approximate": False,
        "sentence": "本年度主动公开政府信息1234条。",
        "span_start": 30,
        "span_end": 34,
        "orig_span_start": 30,
        "orig_span_end": 34,
        "section_key": "proactive",
        "rule_id": "proactive.total.v1",
        "rule_rank": 10,
        "parser_version": "0.1.0",
    }
    return row | overrides


def _summary(document_id: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "source_file": f"{document_id[:8]}.txt",
        "agency": "某某市人民政府",
        "admin_level": "prefecture",
        "province": "浙江省",
        "report_year": 2020,
        "published_on": "2021-01-20",
        "document_id": document_id,
        "format_era": "std2019",
        "script": "simplified",
        "parser_version": "0.1.0",
        "conflict_count": 0,
        "checks_failed": 0,
    }
    for m in SUMMARY_MEASURES:
        row[m] = 3.0
        row[f"{m}_source"] = "prose"
        row[f"{m}_conflict"] = False
    return row | overrides


def _check(document_id: str | None, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "check_name": "responded_total_is_sum_of_outcomes",
        "document_id": document_id,
        "left_value": 3.0,
        "right_value": 3.0,
        "status": "PASS",
        "detail": "",
    }
    return row | overrides


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A clean warehouse file: staging tables (create_staging) and hand-made marts, two documents."""
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_staging(connection)
    connection.execute("create schema marts")
    connection.execute(f"create table marts.report_summary ({SUMMARY_DDL})")
    connection.execute(f"create table marts.check_results ({CHECK_RESULTS_DDL})")

    for doc in (DOC_A, DOC_B):
        _insert_document(connection, _document(doc))
        _insert(connection, "staging.prose_facts", _fact(doc, 1))
        _insert(connection, "staging.prose_facts", _fact(doc, 2, measure="fees_yuan", value=0.0, unit="元"))
        _insert(connection, "marts.check_results", _check(doc))
    _insert(
        connection,
        "staging.report_metadata",
        {
            "document_id": DOC_A,
            "report_year": 2020,
            "admin_level": "prefecture",
            "format_era": "std2019",
            "published_on": "2021-01-20",
            "parser_version": "0.1.0",
        },
    )
    # Undetermined metadata (nulls) is allowed: "when present".
    _insert(connection, "staging.report_metadata", {"document_id": DOC_B, "parser_version": "0.1.0"})
    _insert(connection, "marts.report_summary", _summary(DOC_A))
    # A report that states no figures: every measure null, still valid.
    _insert(
        connection,
        "marts.report_summary",
        _summary(DOC_B, report_year=None, admin_level=None, **dict.fromkeys(SUMMARY_MEASURES)),
    )
    _insert(connection, "marts.check_results", _check(None, check_name="corpus_has_documents"))
    yield connection
    connection.close()


def _only_failure(result_failed: list[Failure]) -> Failure:
    assert len(result_failed) == 1, [f.describe() for f in result_failed]
    return result_failed[0]


# --- suite files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_shipped_suite_loads_and_every_expectation_says_why(stage: str) -> None:
    suite = load_suite(stage)
    assert suite.name == stage
    for table in suite.tables:
        assert table.document_key == "document_id"
        assert all(e["meta"]["why"].strip() for e in table.expectations)


def _value_set(stage: str, table: str, column: str) -> set[str]:
    (table_suite,) = [t for t in load_suite(stage).tables if t.table == table]
    (exp,) = [
        e
        for e in table_suite.expectations
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
    ]
    return set(exp["kwargs"]["value_set"])


def test_suites_use_the_glossary_names() -> None:
    assert _value_set("staging", "staging.prose_facts", "measure") == set(MEASURES)
    assert _value_set("staging", "staging.prose_facts", "unit") == {unit for _, unit in MEASURES.values()}
    assert _value_set("staging", "staging.report_metadata", "admin_level") == set(ADMIN_LEVELS)
    assert _value_set("staging", "staging.report_metadata", "format_era") == set(FORMAT_ERAS)
    assert _value_set("marts", "marts.report_summary", "admin_level") == set(ADMIN_LEVELS)


def test_marts_suite_bounds_every_summary_measure_at_zero() -> None:
    (summary,) = [t for t in load_suite("marts").tables if t.table == "marts.report_summary"]
    bounded = {
        e["kwargs"]["column"]
        for e in summary.expectations
        if e["type"] == "expect_column_values_to_be_between" and e["kwargs"].get("min_value") == 0
    }
    assert set(SUMMARY_MEASURES) | {"conflict_count", "checks_failed"} <= bounded


def test_suite_without_why_is_rejected(tmp_path: Path) -> None:
    suite = {
        "name": "x",
        "tables": {
            "staging.documents": {
                "expectations": [
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "document_id"}}
                ]
            }
        },
    }
    (tmp_path / "x.json").write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match=r"meta\.why"):
        load_suite("x", tmp_path)


def test_a_table_may_read_fewer_documents_a_chunk(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """table_cells holds ~130 rows a document: its suite reads 1 000 documents a chunk, not 5 000."""
    assert {t.table: t.chunk_documents for t in load_suite("staging").tables}["staging.table_cells"] == 1000
    facts = json.loads((DEFAULT_EXPECTATIONS_DIR / "staging.json").read_text(encoding="utf-8"))["tables"][
        "staging.prose_facts"
    ]
    suite = {"name": "x", "tables": {"staging.prose_facts": facts | {"chunk_documents": 1}}}
    (tmp_path / "x.json").write_text(json.dumps(suite))
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, measure="denied", value=-3.0, unit="件"))
    result = validate_stage(con, "x", expectations_dir=tmp_path)
    assert _only_failure(result.failed).documents == (DOC_B,)
    assert result.evaluated == len(facts["expectations"])
    (tmp_path / "x.json").write_text(
        json.dumps(suite | {"tables": {"staging.prose_facts": facts | {"chunk_documents": 0}}})
    )
    with pytest.raises(SuiteError, match="chunk_documents"):
        load_suite("x", tmp_path)


def test_unknown_expectation_type_is_rejected_not_dropped(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # GX's ExpectationSuite(expectations=[...]) only logs a bad config and drops it; we must raise.
    suite = {
        "name": "typo",
        "tables": {
            "staging.documents": {
                "expectations": [
                    {
                        "type": "expect_column_values_to_be_postive",
                        "kwargs": {"column": "byte_size"},
                        "meta": {"why": "x"},
                    }
                ]
            }
        },
    }
    (tmp_path / "typo.json").write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match="expect_column_values_to_be_postive"):
        validate_stage(con, "typo", expectations_dir=tmp_path)


# --- clean data passes ---------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_clean_warehouse_passes_every_stage(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    result = validate_stage(con, stage)
    expected = sum(len(t.expectations) for t in load_suite(stage).tables)
    assert result.failed == []
    assert result.success
    assert result.evaluated == result.passed == expected
    assert result.documents_at_fault == []
    assert result.docs_index is None
    result.raise_if_failed()


# --- one bad row fails the stage, naming the expectation and the document ------------------------


@pytest.mark.parametrize(
    ("overrides", "expectation", "column"),
    [
        ({"byte_size": 0}, "expect_column_values_to_be_between", "byte_size"),
        ({"encoding": "cp874"}, "expect_column_values_to_be_in_set", "encoding"),
        ({"replacement_count": 57}, "expect_column_values_to_be_between", "replacement_count"),
        ({"normalized_text": "页面不存在"}, "expect_column_value_lengths_to_be_between", "normalized_text"),
        ({"script": "mixed"}, "expect_column_values_to_be_in_set", "script"),
        ({"file_type": "xls"}, "expect_column_values_to_be_in_set", "file_type"),
    ],
)
def test_bad_document_fails_raw_stage(
    con: duckdb.DuckDBPyConnection, overrides: dict[str, object], expectation: str, column: str
) -> None:
    bad = hashlib.sha256(b"bad").hexdigest()
    _insert_document(con, _document(bad, **overrides))
    result = validate_stage(con, "raw_documents")
    assert not result.success
    failure = _only_failure(result.failed)
    table = "staging.document_payloads" if column == "normalized_text" else "staging.documents"
    assert (failure.table, failure.expectation, failure.column) == (table, expectation, column)
    assert failure.documents == (bad,)
    assert failure.why
    assert result.documents_at_fault == [bad]
    assert result.passed == result.evaluated - 1


def test_document_id_that_is_not_a_sha256_fails_raw_stage(con: duckdb.DuckDBPyConnection) -> None:
    bad = DOC_A.upper()
    _insert_document(con, _document(bad))
    failure = _only_failure(validate_stage(con, "raw_documents").failed)
    assert (failure.expectation, failure.column, failure.observed) == (
        "expect_column_values_to_match_regex",
        "document_id",
        [bad],
    )
    assert failure.documents == (bad,)


def test_negative_value_fails_staging(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, measure="denied", value=-3.0, unit="件"))
    result = validate_stage(con, "staging")
    failure = _only_failure(result.failed)
    assert (failure.table, failure.expectation, failure.column) == (
        "staging.prose_facts",
        "expect_column_values_to_be_between",
        "value",
    )
    assert failure.observed == [-3.0]
    assert failure.unexpected_count == 1
    assert result.documents_at_fault == [DOC_B]


def test_measure_outside_the_glossary_fails_staging(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "staging.prose_facts", _fact(DOC_A, 3, measure="applications_total", unit="件"))
    result = validate_stage(con, "staging")
    failure = _only_failure(result.failed)
    assert (failure.expectation, failure.column, failure.observed) == (
        "expect_column_values_to_be_in_set",
        "measure",
        ["applications_total"],
    )
    assert result.documents_at_fault == [DOC_A]


def test_reversed_span_fails_staging(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, span_start=40, span_end=40))
    failure = _only_failure(validate_stage(con, "staging").failed)
    assert (failure.expectation, failure.column) == (
        "expect_column_pair_values_a_to_be_greater_than_b",
        "span_end,span_start",
    )
    assert failure.documents == (DOC_B,)


def test_report_year_out_of_range_fails_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update staging.report_metadata set report_year = 1998 where document_id = ?", [DOC_A])
    failure = _only_failure(validate_stage(con, "staging").failed)
    assert (failure.table, failure.column, failure.observed) == (
        "staging.report_metadata",
        "report_year",
        [1998],
    )
    assert failure.documents == (DOC_A,)


def test_duplicate_document_fails_marts(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "marts.report_summary", _summary(DOC_A))
    result = validate_stage(con, "marts")
    failure = _only_failure(result.failed)
    assert (failure.table, failure.expectation, failure.column) == (
        "marts.report_summary",
        "expect_column_values_to_be_unique",
        "document_id",
    )
    assert failure.unexpected_count == 2
    assert result.documents_at_fault == [DOC_A]


def test_negative_summary_figure_fails_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update marts.report_summary set fees_yuan = -1 where document_id = ?", [DOC_A])
    failure = _only_failure(validate_stage(con, "marts").failed)
    assert (failure.expectation, failure.column, failure.documents) == (
        "expect_column_values_to_be_between",
        "fees_yuan",
        (DOC_A,),
    )


def test_bad_check_status_fails_marts(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "marts.check_results", _check(DOC_B, status="ERROR"))
    result = validate_stage(con, "marts")
    failure = _only_failure(result.failed)
    assert (failure.table, failure.expectation, failure.column, failure.observed) == (
        "marts.check_results",
        "expect_column_values_to_be_in_set",
        "status",
        ["ERROR"],
    )
    assert result.documents_at_fault == [DOC_B]
    with pytest.raises(StageValidationError, match=r"marts\.check_results\.status"):
        result.raise_if_failed()


def test_staging_suite_checks_every_key_the_ddl_leaves_undeclared() -> None:
    """The big per-document tables have no primary key; the staging suite is what checks their keys."""
    tables = {t.table: t for t in load_suite("staging").tables}
    for table, key in UNDECLARED_KEYS.items():
        suite = tables[f"staging.{table}"]
        assert suite.document_key == "document_id" in key  # chunks hold whole documents: exact per chunk
        assert {"type": "expect_compound_columns_to_be_unique", "column_list": list(key)} in [
            {"type": e["type"], "column_list": e["kwargs"].get("column_list")} for e in suite.expectations
        ], table


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("prose_facts", _fact(DOC_B, 2)),
        (
            "table_cells",
            {
                "document_id": DOC_A,
                "table_id": "t3",
                "row_key": "denied.state_secret",
                "col_key": "natural_person",
                "row_label": "国家秘密",
                "col_label": "自然人",
                "value_raw": "3",
                "value_num": 3.0,
                "value_semantic": "NUMERIC",
                "unit": "件",
                "source": "text 10-11",
                "grid_index": 0,
                "grid_row": 5,
                "grid_col": 1,
                "rule_id": "cell.v1",
                "parser_version": "0.1.0",
            },
        ),
    ],
)
def test_a_repeated_key_fails_staging(
    con: duckdb.DuckDBPyConnection, table: str, row: dict[str, object]
) -> None:
    if table == "table_cells":
        _insert(con, "staging.table_cells", row)
    _insert(con, f"staging.{table}", row | {"parser_version": "0.1.1"})  # the same key again
    result = validate_stage(con, "staging")
    failure = _only_failure(result.failed)
    assert (failure.table, failure.expectation) == (
        f"staging.{table}",
        "expect_compound_columns_to_be_unique",
    )
    assert failure.documents == (row["document_id"],)
    assert result.documents_at_fault == [row["document_id"]]


def test_missing_table_fails_the_stage(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop table marts.check_results")
    result = validate_stage(con, "marts")
    assert not result.success
    failure = _only_failure(result.failed)
    assert (failure.table, failure.expectation) == ("marts.check_results", "table_exists")


def test_missing_column_fails_the_expectation(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("alter table marts.report_summary drop column litigation_total")
    failure = _only_failure(validate_stage(con, "marts").failed)
    assert (failure.expectation, failure.column) == ("expect_column_values_to_be_between", "litigation_total")
    assert "litigation_total" in str(failure.observed)


def test_an_edited_suite_is_picked_up_in_the_same_process(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    suite = load_suite("raw_documents")
    data = {
        "name": "raw_documents",
        "tables": {
            "staging.documents": {
                "document_key": "document_id",
                "expectations": [
                    *suite.tables[0].expectations,
                    {
                        "type": "expect_column_values_to_be_in_set",
                        "kwargs": {"column": "encoding", "value_set": ["utf-8"]},
                        "meta": {"why": "stricter for this test"},
                    },
                ],
            }
        },
    }
    (tmp_path / "raw_documents.json").write_text(json.dumps(data))
    assert validate_stage(con, "raw_documents").success
    stricter = validate_stage(con, "raw_documents", expectations_dir=tmp_path)
    assert not stricter.success
    assert stricter.documents_at_fault == sorted([DOC_A, DOC_B])


# --- data docs and import cost -------------------------------------------------------------------


def test_data_docs_are_written_where_asked(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for stage in STAGES:
        result = validate_stage(con, stage, docs_dir=docs)
    assert result.docs_index == (docs / "index.html").resolve()
    index = result.docs_index.read_text(encoding="utf-8")
    assert "marts.marts.report_summary" in index
    assert list((docs / "validations").rglob("*.html"))
    assert list((docs / "expectations").rglob("*.html"))


def test_data_docs_list_only_the_runs_made_for_their_site(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Regression: one process builds two warehouses (a test session, `nianbao serve`); the second site's data
    docs listed the first one's validation runs too."""
    for site in ("first", "second"):
        for stage in STAGES:
            validate_stage(con, stage, docs_dir=tmp_path / site)
    validation_pages = sorted(
        p.relative_to(tmp_path / "second") for p in (tmp_path / "second").rglob("*.html")
    )
    runs = [p for p in validation_pages if p.parts[0] == "validations"]
    tables = sum(len(load_suite(stage).tables) for stage in STAGES)
    assert len(runs) == tables


def test_importing_validate_does_not_import_great_expectations() -> None:
    code = "import sys, nianbao.validate; sys.exit('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_build_validates_in_child_processes_and_renders_every_stage_once(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """`nianbao.validator`: the input stages in one child, the marts in a fresh one after it stopped (as a build
    does around dbt); the marts' data docs list every stage's runs, and the caller never imports GX."""
    con.close()  # the children open the file read-only: no writer may hold it
    warehouse, docs = tmp_path / "warehouse.duckdb", tmp_path / "docs"
    code = f"""
import json, sys
from pathlib import Path
from nianbao import validator
out = []
validator.start()
for stage in {list(STAGES[:-1])!r}:
    r = validator.validate_file(Path({str(warehouse)!r}), stage, Path({str(docs)!r}), False, render_docs=False)
    out.append([r.stage, r.success, r.evaluated, r.docs_index is None])
validator.stop()
r = validator.validate_file(Path({str(warehouse)!r}), {STAGES[-1]!r}, Path({str(docs)!r}), False)
validator.stop()
out.append([r.stage, r.success, r.evaluated, str(r.docs_index)])
print(json.dumps({{"runs": out, "gx_here": "great_expectations" in sys.modules}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    evaluated = {stage: sum(len(t.expectations) for t in load_suite(stage).tables) for stage in STAGES}
    assert result["runs"] == [
        ["raw_documents", True, evaluated["raw_documents"], True],
        ["staging", True, evaluated["staging"], True],
        ["marts", True, evaluated["marts"], str((docs / "index.html").resolve())],
    ]
    assert result["gx_here"] is False
    runs = list((docs / "validations").rglob("*.html"))
    assert len(runs) == sum(len(load_suite(stage).tables) for stage in STAGES)
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(f"{stage}.{t.table}" in index for stage in STAGES for t in load_suite(stage).tables)


def test_an_incremental_build_validates_only_its_batch(con: duckdb.DuckDBPyConnection) -> None:
    """Rows outside meta.build_batch were validated when they were built; the batch's own rows are checked."""
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, measure="denied", value=-3.0, unit="件"))
    con.execute("create schema if not exists meta")
    con.execute("create table meta.build_batch as select ? as document_id", [DOC_A])
    assert validate_stage(con, "staging", only_batch=True).success
    con.execute("insert into meta.build_batch values (?)", [DOC_B])
    result = validate_stage(con, "staging", only_batch=True)
    assert _only_failure(result.failed).column == "value"
    assert result.documents_at_fault == [DOC_B]


# --- chunks of whole documents -------------------------------------------------------------------
# DOC_B sorts before DOC_A, so with chunk_documents=1 DOC_A's rows are the second chunk.


def _comparable(failures: list[Failure]) -> list[tuple[object, ...]]:
    """Failures without the order of their sampled values (row order within a table is not defined)."""
    return sorted(
        (f.table, f.expectation, f.column, f.unexpected_count, f.documents, sorted(map(repr, f.observed)))
        for f in failures
    )


def test_a_failure_in_the_second_chunk_names_its_document(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "staging.prose_facts", _fact(DOC_A, 3, measure="denied", value=-3.0, unit="件"))
    _insert(con, "staging.prose_facts", _fact(DOC_A, 4, measure="granted", value=-5.0, unit="件"))
    result = validate_stage(con, "staging", chunk_documents=1)
    failure = _only_failure(result.failed)
    assert (failure.table, failure.column, failure.unexpected_count) == ("staging.prose_facts", "value", 2)
    assert sorted(failure.observed) == [-5.0, -3.0]
    assert failure.documents == (DOC_A,)
    assert result.documents_at_fault == [DOC_A]
    expected = sum(len(t.expectations) for t in load_suite("staging").tables)
    assert (result.evaluated, result.passed) == (expected, expected - 1)


def test_chunked_results_equal_unchunked(con: duckdb.DuckDBPyConnection) -> None:
    """Failures in both chunks, a duplicate key, and a bad row without a document: one verdict either way."""
    _insert(con, "staging.prose_facts", _fact(DOC_A, 3, measure="denied", value=-3.0, unit="件"))
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, measure="denied", value=-4.0, unit="件"))
    _insert(con, "staging.prose_facts", _fact(DOC_B, 4, span_start=40, span_end=40))
    _insert(con, "marts.report_summary", _summary(DOC_A))
    con.execute("update marts.report_summary set fees_yuan = -1 where document_id = ?", [DOC_B])
    _insert(con, "marts.check_results", _check(None, check_name="corpus_has_documents", status="ERROR"))
    for stage in STAGES:
        whole = validate_stage(con, stage)
        chunked = validate_stage(con, stage, chunk_documents=1)
        assert _comparable(chunked.failed) == _comparable(whole.failed)
        assert (chunked.evaluated, chunked.passed) == (whole.evaluated, whole.passed)
        assert chunked.documents_at_fault == whole.documents_at_fault
    assert _comparable(validate_stage(con, "marts", chunk_documents=1).failed) == [
        ("marts.check_results", "expect_column_values_to_be_in_set", "status", 1, (), ["'ERROR'"]),
        ("marts.report_summary", "expect_column_values_to_be_between", "fees_yuan", 1, (DOC_B,), ["-1.0"]),
        (
            "marts.report_summary",
            "expect_column_values_to_be_unique",
            "document_id",
            2,
            (DOC_A,),
            [repr(DOC_A), repr(DOC_A)],
        ),
    ]


def test_table_level_expectations_see_the_whole_table(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Row counts, `mostly` and uniqueness of a column other than the key are not judged chunk by chunk."""
    suite = {
        "name": "whole",
        "tables": {
            "marts.check_results": {
                "document_key": "document_id",
                "expectations": [
                    {
                        "type": "expect_table_row_count_to_equal",
                        "kwargs": {"value": 3},
                        "meta": {"why": "two documents' checks and the corpus check"},
                    },
                    {
                        "type": "expect_column_values_to_be_unique",
                        "kwargs": {"column": "check_name"},
                        "meta": {"why": "duplicates straddle chunks"},
                    },
                    {
                        "type": "expect_column_values_to_be_in_set",
                        "kwargs": {"column": "status", "value_set": ["PASS"], "mostly": 0.6},
                        "meta": {"why": "a share of the whole table (2 of 3), not of DOC_A's chunk (0 of 1)"},
                    },
                ],
            }
        },
    }
    (tmp_path / "whole.json").write_text(json.dumps(suite))
    con.execute("update marts.check_results set status = 'FAIL' where document_id = ?", [DOC_A])
    result = validate_stage(con, "whole", expectations_dir=tmp_path, chunk_documents=1)
    failure = _only_failure(result.failed)
    assert (failure.expectation, failure.column, failure.unexpected_count) == (
        "expect_column_values_to_be_unique",
        "check_name",
        2,
    )
    assert failure.documents == tuple(sorted([DOC_A, DOC_B]))
    assert (result.evaluated, result.passed) == (3, 2)


def test_an_incremental_build_validates_its_batch_in_chunks(con: duckdb.DuckDBPyConnection) -> None:
    _insert(con, "staging.prose_facts", _fact(DOC_A, 3, measure="denied", value=-3.0, unit="件"))
    _insert(con, "staging.prose_facts", _fact(DOC_B, 3, measure="denied", value=-4.0, unit="件"))
    con.execute("create schema if not exists meta")
    con.execute("create table meta.build_batch as select ? as document_id", [DOC_A])
    result = validate_stage(con, "staging", only_batch=True, chunk_documents=1)
    assert _only_failure(result.failed).observed == [-3.0]
    assert result.documents_at_fault == [DOC_A]


def test_data_docs_show_one_run_per_chunk(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    result = validate_stage(con, "marts", docs_dir=tmp_path / "docs", chunk_documents=1)
    runs = sorted(p.parts[-3] for p in (tmp_path / "docs" / "validations").rglob("*.html"))
    assert runs == ["chunk-1-of-2", "chunk-1-of-2", "chunk-2-of-2", "chunk-2-of-2"]
    assert result.timings.keys() == {"gx_context", "read", "checkpoints", "data_docs"}


def test_data_docs_rendered_by_the_last_stage_show_every_stage(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A build renders once, with the marts (render_docs=False before): no stage's runs are left out."""
    docs = tmp_path / "docs"
    for stage in STAGES[:-1]:
        result = validate_stage(con, stage, docs_dir=docs, render_docs=False)
        assert result.docs_index is None
        assert "data_docs" not in result.timings
    assert not docs.exists()
    result = validate_stage(con, STAGES[-1], docs_dir=docs)
    runs = list((docs / "validations").rglob("*.html"))
    assert len(runs) == sum(len(load_suite(stage).tables) for stage in STAGES)
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(f"{stage}.{t.table}" in index for stage in STAGES for t in load_suite(stage).tables)

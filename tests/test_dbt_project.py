"""The dbt project, end to end: hand-made staging rows → `dbt build` → exact rows in the marts.

Three reports: `doc_a` adds up, `doc_b` states applications_new twice with different values and does not
balance, `doc_c` never states its carried-over figures (and never names its agency). Two real dbt builds
(about 10 s each) run once per module; every other test reads their warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from nianbao.dbt_build import PROJECT_DIR, DbtBuildResult, node_name, run_dbt_build, summarise
from nianbao.glossary import MEASURES, SUMMARY_MEASURES
from nianbao.staging import create_staging
from tests.helpers import INSERT_DOCUMENT

PARSER = "test-1"
MARTS = (
    "dim_division",
    "dim_agency",
    "dim_report",
    "fct_proactive_disclosure",
    "fct_application",
    "fct_appeal",
    "fct_fee",
    "report_summary",
    "check_results",
    "quarantine",
    "mart_agency_year",
    "mart_agency_trend",
    "mart_region_year",
    "mart_data_quality",
)
# Rows per document: incremental by document in a build with the same code (macros/build_batch.sql).
BY_DOCUMENT = {
    "dim_report", "fct_proactive_disclosure", "fct_application", "fct_appeal", "fct_fee", "report_summary",
    "check_results",
}  # fmt: skip
# The large marts (about 2 million rows at 20 000 reports): no primary-key index (it made their bytes in the
# file four times larger); a unique_combination data test checks their key instead.
KEY_BY_TEST = {"fct_proactive_disclosure", "fct_application", "fct_appeal", "check_results"}
SCORED_COLUMNS = [
    "source_file", "agency", "admin_level", "province", "report_year", "published_on",
    "proactive_total", "applications_new", "applications_carried_over", "granted", "partially_granted",
    "denied", "unavailable", "not_processed", "other_handling", "responded_total", "carried_forward",
    "reconsideration_total", "litigation_total", "fees_yuan",
]  # fmt: skip

DOCUMENTS = [
    # document_id, source_file, script
    ("doc_a", "a_ok.txt", "simplified"),
    ("doc_b", "b_conflict.txt", "simplified"),
    ("doc_c", "c_gap.html", "traditional"),
]
METADATA = [
    # document_id, agency, admin_level, province, report_year, published_on, format_era
    ("doc_a", "长沙市开福区人民政府", "county", "湖南省", 2020, "2021-02-20", "std2019"),
    ("doc_b", "上海市科委", "department", "上海市", 2019, None, "std2019"),
    ("doc_c", None, None, "浙江省", 2018, None, "pre2019"),
]


def _fact(doc, no, measure, value, *, rank=10, start=None, unit=None, approximate=False, rule=None):
    start = no * 100 if start is None else start
    end = start + len(str(int(value)))
    unit = unit or MEASURES[measure][1]
    sentence = f"sentence {no} of {doc}: {measure} {value:g}{unit}"
    rule = rule or f"prose.{measure}"
    return (doc, no, measure, float(value), unit, approximate, sentence, start, end, start + 3, end + 3,
            "applications", rule, rank, PARSER)  # fmt: skip


FACTS = [
    # doc_a: every figure stated once, and the report adds up: 859 + 18 = 805 + 72; 500+100+50+100+30+25 = 805
    _fact("doc_a", 1, "proactive_total", 5500, approximate=True),
    _fact("doc_a", 2, "applications_new", 859),
    _fact("doc_a", 3, "applications_carried_over", 18),
    _fact("doc_a", 4, "granted", 500),
    _fact("doc_a", 5, "partially_granted", 100),
    _fact("doc_a", 6, "denied", 50),
    _fact("doc_a", 7, "unavailable", 100),
    _fact("doc_a", 8, "not_processed", 30),
    _fact("doc_a", 9, "other_handling", 25),
    _fact("doc_a", 10, "responded_total", 805),
    _fact("doc_a", 11, "carried_forward", 72),
    _fact("doc_a", 12, "reconsideration_total", 0),
    _fact("doc_a", 13, "litigation_total", 1),
    _fact("doc_a", 14, "fees_yuan", 0),
    # doc_b: applications_new as 120 (generic rule, earlier) and 100 (specific rule): 100 wins, flagged.
    # 100 + 5 = 105 <> 90 + 10: the balance fails. Outcomes only as the lump 70: 70+10+5+3+2 = 90 passes.
    _fact("doc_b", 1, "applications_new", 120, rank=20, start=30, rule="prose.apps_generic"),
    _fact("doc_b", 2, "applications_new", 100, rank=10, start=50, rule="prose.apps_received"),
    _fact("doc_b", 3, "applications_carried_over", 5),
    _fact("doc_b", 4, "granted_or_partial", 70),
    _fact("doc_b", 5, "denied", 10),
    _fact("doc_b", 6, "unavailable", 5),
    _fact("doc_b", 7, "not_processed", 3),
    _fact("doc_b", 8, "other_handling", 2),
    _fact("doc_b", 9, "responded_total", 90),
    _fact("doc_b", 10, "carried_forward", 10),
    # doc_c: no carried-over / carried-forward figures, outcomes incomplete
    _fact("doc_c", 1, "applications_new", 12),
    _fact("doc_c", 2, "granted", 12),
    _fact("doc_c", 3, "responded_total", 12),
]


def _create_staging(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema staging")
        create_staging(con)
        for doc, source_file, script in DOCUMENTS:
            con.execute(
                INSERT_DOCUMENT + "(?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?)",
                [doc, f"/corpus/{source_file}", source_file, source_file.rsplit(".", 1)[1], 1000,
                 "utf-8", "utf8_strict", script, PARSER],
            )  # fmt: skip
        for doc, agency, level, province, year, published, era in METADATA:
            con.execute(
                "insert into staging.report_metadata values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc, f"{doc} title", agency, "meta.agency" if agency else None, level, province,
                 "meta.province", year, "meta.year_period", f"{year}年1月1日", published,
                 "meta.published" if published else None, era, PARSER],
            )  # fmt: skip
        con.executemany(
            "insert into staging.prose_facts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", FACTS
        )
        con.execute(
            "insert into staging.sections values ('doc_a', 1, 'applications', '三、依申请公开', 0, 50, ?)",
            [PARSER],
        )
        con.execute(
            "insert into staging.parse_issues values "
            "('doc_b', 1, 'conflicting_values', 'warn', 'applications_new', '120 vs 100', ?)",
            [PARSER],
        )
        con.execute(
            "insert into staging.quarantine values ('doc_q', '/corpus/q.pdf', 'ingest', 'encrypted_pdf', "
            "'encrypted', ?, timestamp '2026-11-01 10:00:00', timestamp '2026-11-02 10:00:00')",
            [PARSER],
        )
    finally:
        con.close()


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {m: con.execute(f"select * from marts.{m}").fetchall() for m in MARTS}
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, DbtBuildResult, DbtBuildResult, dict, dict]:
    root = tmp_path_factory.mktemp("dbt")
    warehouse = root / "warehouse.duckdb"
    _create_staging(warehouse)
    project_entries = sorted(p.name for p in PROJECT_DIR.iterdir())
    first = run_dbt_build(warehouse, target_dir=root / "dbt-1")
    assert first.success, first.stderr_tail
    first_marts = _snapshot(warehouse)
    second = run_dbt_build(warehouse, target_dir=root / "dbt-2")
    assert second.success, second.stderr_tail
    assert sorted(p.name for p in PROJECT_DIR.iterdir()) == project_entries  # repo tree stays clean
    return warehouse, first, second, first_marts, _snapshot(warehouse)


@pytest.fixture
def con(built):
    con = duckdb.connect(str(built[0]), read_only=True)
    yield con
    con.close()


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


# --- the build itself -------------------------------------------------------------------------------


def test_build_succeeds_and_warns_only_on_the_source_anomaly(built):
    _, result, *_ = built
    # incl. int_table_measures_e0, int_e0_checks, int_document_readings, int_t3_check_parts,
    # int_agency_divisions_unseen, int_table_figures
    assert result.models_built == 42
    assert result.seeds_loaded == 4  # measure_glossary, table_crosswalk, quarantine_reasons, division
    assert result.tests_failed == result.tests_errored == result.nodes_skipped == 0
    assert result.failed_nodes == ()
    assert result.warned_nodes == ("identity_holds_check_results",)
    assert result.tests_passed > 100
    assert (result.target_dir / "run_results.json").exists()
    assert (result.target_dir / "logs" / "dbt.log").exists()


def test_unit_tests_ran_and_passed(built):
    results = json.loads((built[1].target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit = {
        node_name(r["unique_id"]): r["status"] for r in results if r["unique_id"].startswith("unit_test.")
    }
    assert unit == {
        "int_prose_measures_chooses_rank_then_span_and_flags_conflict": "pass",
        "int_report_figures_pivots_value_source_and_conflict": "pass",
        "check_results_pass_fail_not_evaluable": "pass",
        "int_table_row_totals_total_cell_derived_or_unknown": "pass",
        "int_table_measures_sums_rows_per_era": "pass",
        "int_table_documents_cells_or_a_std_format": "pass",
        "int_t3_check_parts_sides_2019_vs_2021": "pass",
        "int_t3_checks_pass_fail_not_evaluable": "pass",
        "int_t4_checks_parts_against_the_printed_total": "pass",
        "int_table_prose_checks_pass_and_fail": "pass",
    }


def test_two_builds_give_identical_marts(built):
    *_, first_marts, second_marts = built
    assert first_marts == second_marts
    assert all(first_marts[m] for m in MARTS if m != "mart_agency_trend")  # one report per body: no trend


def test_models_land_in_stg_int_and_marts(con):
    tables = {
        (s, t)
        for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema <> 'staging'"
        ).fetchall()
    }
    assert {s for s, _ in tables} == {"stg", "int", "marts", "meta"}
    # build_scope empty: the views read every document; the payload store's list and folder (create_staging)
    assert {t for s, t in tables if s == "meta"} == {"build_scope", "payload_segments", "payload_store"}
    assert con.execute("select count(*) from meta.build_scope").fetchone() == (0,)
    assert {t for s, t in tables if s == "marts"} == set(MARTS)
    assert ("stg", "measure_glossary") in tables


# --- report_summary ---------------------------------------------------------------------------------


def test_report_summary_starts_with_the_scored_columns_then_provenance(con):
    cols = [r[0] for r in con.execute("describe marts.report_summary").fetchall()]
    assert cols[:20] == SCORED_COLUMNS
    assert cols[20:24] == ["document_id", "format_era", "script", "parser_version"]
    assert cols[24:-2] == [f"{m}_{suffix}" for m in SUMMARY_MEASURES for suffix in ("source", "conflict")]
    assert cols[-2:] == ["conflict_count", "checks_failed"]
    assert SCORED_COLUMNS[6:] == list(SUMMARY_MEASURES)


def test_report_summary_figures(con):
    rows = _rows(con, f"select {', '.join(SCORED_COLUMNS)} from marts.report_summary order by source_file")
    null_figures = dict.fromkeys(SUMMARY_MEASURES)
    assert rows == [
        {
            "source_file": "a_ok.txt", "agency": "长沙市开福区人民政府", "admin_level": "county",
            "province": "湖南省", "report_year": 2020, "published_on": dt.date(2021, 2, 20),
            "proactive_total": 5500.0, "applications_new": 859.0, "applications_carried_over": 18.0,
            "granted": 500.0, "partially_granted": 100.0, "denied": 50.0, "unavailable": 100.0,
            "not_processed": 30.0, "other_handling": 25.0, "responded_total": 805.0, "carried_forward": 72.0,
            "reconsideration_total": 0.0, "litigation_total": 1.0, "fees_yuan": 0.0,
        },
        {
            "source_file": "b_conflict.txt", "agency": "上海市科委", "admin_level": "department",
            "province": "上海市", "report_year": 2019, "published_on": None,
            **null_figures,
            # the lump granted_or_partial (70) is not copied into granted / partially_granted
            "applications_new": 100.0, "applications_carried_over": 5.0, "denied": 10.0, "unavailable": 5.0,
            "not_processed": 3.0, "other_handling": 2.0, "responded_total": 90.0, "carried_forward": 10.0,
        },
        {
            "source_file": "c_gap.html", "agency": None, "admin_level": None, "province": "浙江省",
            "report_year": 2018, "published_on": None,
            **null_figures,
            "applications_new": 12.0, "granted": 12.0, "responded_total": 12.0,
        },
    ]  # fmt: skip


def test_report_summary_provenance_and_flags(con):
    rows = con.execute(
        "select document_id, format_era, script, parser_version, applications_new_source,"
        " applications_new_conflict, granted_source, granted_conflict, conflict_count, checks_failed"
        " from marts.report_summary order by document_id"
    ).fetchall()
    assert rows == [
        ("doc_a", "std2019", "simplified", PARSER, "prose:prose.applications_new@200-203", False,
         "prose:prose.granted@400-403", False, 0, 0),
        ("doc_b", "std2019", "simplified", PARSER, "prose:prose.apps_received@50-53", True,
         None, False, 1, 2),
        ("doc_c", "pre2019", "traditional", PARSER, "prose:prose.applications_new@100-102", False,
         "prose:prose.granted@200-202", False, 0, 0),
    ]  # fmt: skip


# --- check_results ----------------------------------------------------------------------------------


def test_identity_checks(con):
    rows = con.execute(
        "select check_name, document_id, left_value, right_value, status, detail from marts.check_results"
        " where check_name in ('applications_balance', 'outcome_parts') order by document_id, check_name"
    ).fetchall()
    balance = "applications_new + applications_carried_over = responded_total + carried_forward"
    outcome = "denied + unavailable + not_processed + other_handling = responded_total"
    split, lump = "granted + partially_granted", "granted_or_partial"
    assert rows == [
        ("applications_balance", "doc_a", 877.0, 877.0, "PASS", f"{balance}: 877 = 877"),
        ("outcome_parts", "doc_a", 805.0, 805.0, "PASS", f"{split} + {outcome}: 805 = 805"),
        ("applications_balance", "doc_b", 105.0, 100.0, "FAIL", f"{balance}: 105 <> 100"),
        ("outcome_parts", "doc_b", 90.0, 90.0, "PASS", f"{lump} + {outcome}: 90 = 90"),
        ("applications_balance", "doc_c", None, None, "NOT_EVALUABLE",
         "not stated: applications_carried_over, carried_forward"),
        ("outcome_parts", "doc_c", None, 12.0, "NOT_EVALUABLE",
         f"not stated: {split} (or {lump}), denied, unavailable, not_processed, other_handling"),
    ]  # fmt: skip


def test_every_report_gets_every_consistency_check(con):
    counts = con.execute(
        "select document_id, count(*) from marts.check_results where check_name like 'prose_consistency_%'"
        " group by document_id order by document_id"
    ).fetchall()
    assert counts == [("doc_a", len(MEASURES)), ("doc_b", len(MEASURES)), ("doc_c", len(MEASURES))]
    failing = con.execute(
        "select check_name, document_id, left_value, right_value, status, detail from marts.check_results"
        " where check_name like 'prose_consistency_%' and status <> 'PASS'"
    ).fetchall()
    assert failing == [
        ("prose_consistency_applications_new", "doc_b", 100.0, 120.0, "FAIL",
         "different values stated: 100, 120; summary uses 100 (rule prose.apps_received)"),
    ]  # fmt: skip
    assert con.execute(
        "select left_value, right_value, status, detail from marts.check_results"
        " where check_name = 'prose_consistency_fees_yuan' and document_id = 'doc_c'"
    ).fetchall() == [(None, None, "PASS", "not stated in prose")]


def test_table_checks_apply_to_std_format_reports_without_cells(con):
    """doc_a / doc_b are std2019 reports whose tables were not staged: every table check is there, NOT_EVALUABLE.
    doc_c (pre2019, no cells) has no statutory tables, so no table checks."""
    rows = con.execute(
        "select document_id, count(*), count(*) filter (where status = 'NOT_EVALUABLE')"
        " from marts.check_results where check_name similar to '(t3_|t4_|table_vs_prose_).*'"
        " group by document_id order by document_id"
    ).fetchall()
    assert rows == [("doc_a", 53, 53), ("doc_b", 53, 53)]  # 7 + 7 + 23 rows of 2019 + 3 + 13
    details = dict(
        con.execute(
            "select check_name, detail from marts.check_results where document_id = 'doc_a'"
            " and check_name in ('t3_row_total_other', 't4_identity_review', 'table_vs_prose_applications_new')"
        ).fetchall()
    )
    assert details == {
        "t3_row_total_other": "not evaluable: no 表三 (t3) cells staged for this report",
        "t4_identity_review": "not evaluable: no 表四 (t4) cells staged for this report",
        "table_vs_prose_applications_new": "not evaluable: no 表三 (t3) cells staged for this report",
    }


# --- facts and dimensions ---------------------------------------------------------------------------


def test_facts_keep_every_figure_routed_by_the_glossary(con):
    counts = dict(
        con.execute(
            "select 'fct_application', count(*) from marts.fct_application union all"
            " select 'fct_proactive_disclosure', count(*) from marts.fct_proactive_disclosure union all"
            " select 'fct_appeal', count(*) from marts.fct_appeal union all"
            " select 'fct_fee', count(*) from marts.fct_fee"
        ).fetchall()
    )
    assert counts == {"fct_application": 23, "fct_proactive_disclosure": 1, "fct_appeal": 2, "fct_fee": 1}
    assert sum(counts.values()) == len(FACTS)
    conflict = con.execute(
        "select fact_no, value, source_kind, rule_id, span_start, span_end, is_chosen, is_conflict"
        " from marts.fct_application where document_id = 'doc_b' and measure = 'applications_new'"
        " order by fact_no"
    ).fetchall()
    assert conflict == [
        (1, 120.0, "prose", "prose.apps_generic", 30, 33, False, True),
        (2, 100.0, "prose", "prose.apps_received", 50, 53, True, True),
    ]
    assert con.execute("select measure, appeal_type from marts.fct_appeal order by fact_no").fetchall() == [
        ("reconsideration_total", "reconsideration"),
        ("litigation_total", "litigation"),
    ]
    assert con.execute("select value, unit, approximate from marts.fct_proactive_disclosure").fetchall() == [
        (5500.0, "条", True)
    ]


def test_dimensions(con):
    def md5(text: str) -> str:
        return con.execute("select md5(?)", [text]).fetchone()[0]

    agencies = con.execute(
        "select agency_key, agency, province, admin_level, report_count from marts.dim_agency order by agency"
    ).fetchall()
    assert agencies == [
        (md5("310000|科委"), "上海市科委", "上海市", "department", 1),  # division code | body
        (md5("430105|人民政府"), "长沙市开福区人民政府", "湖南省", "county", 1),
    ]
    reports = con.execute(
        "select document_id, agency_key, report_year, report_year_rule, published_on_rule, source_file,"
        " is_quarantined from marts.dim_report order by document_id"
    ).fetchall()
    assert reports == [
        (
            "doc_a",
            md5("430105|人民政府"),
            2020,
            "meta.year_period",
            "meta.published",
            "a_ok.txt",
            False,
        ),
        ("doc_b", md5("310000|科委"), 2019, "meta.year_period", None, "b_conflict.txt", False),
        ("doc_c", None, 2018, "meta.year_period", None, "c_gap.html", False),
    ]
    assert con.execute(
        "select document_id, stage, reason_code, first_seen from marts.quarantine"
    ).fetchall() == [("doc_q", "ingest", "encrypted_pdf", dt.datetime(2026, 11, 1, 10, 0))]


# --- contracts --------------------------------------------------------------------------------------


def test_every_mart_has_an_enforced_contract(built):
    manifest = json.loads((built[1].target_dir / "manifest.json").read_text(encoding="utf-8"))
    marts = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert set(marts) == set(MARTS)
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], name
        assert all(col.get("data_type") for col in node["columns"].values()), name
        assert node["config"]["materialized"] == ("incremental" if name in BY_DOCUMENT else "table"), name
    key_tests = {
        node["attached_node"].split(".")[-1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node["name"].startswith("unique_combination_")
    }
    assert key_tests >= KEY_BY_TEST


def test_contract_constraints_are_in_the_database(built, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built[0], copy)
    con = duckdb.connect(str(copy))
    try:
        kinds = {
            (t, c)
            for t, c in con.execute(
                "select table_name, constraint_type from duckdb_constraints() where schema_name = 'marts'"
            ).fetchall()
        }
        for mart in MARTS:
            assert ((mart, "PRIMARY KEY") in kinds) == (mart not in KEY_BY_TEST), mart
            assert (mart, "NOT NULL") in kinds, mart
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.dim_report select * from marts.dim_report limit 1")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("update marts.report_summary set conflict_count = null")
    finally:
        con.close()


# --- glossary, seed and the result summary (no dbt run) ---------------------------------------------


def test_seed_matches_the_python_glossary():
    with (PROJECT_DIR / "seeds" / "measure_glossary.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["measure"], r["gloss_zh"], r["unit"]) for r in rows] == [
        (m, gloss, unit) for m, (gloss, unit) in MEASURES.items()
    ]
    routes = {r["measure"]: r["fact_table"] for r in rows}
    assert routes["proactive_total"] == "fct_proactive_disclosure"
    assert {m for m, t in routes.items() if t == "fct_appeal"} == {
        "reconsideration_total",
        "litigation_total",
    }
    assert routes["fees_yuan"] == "fct_fee"
    assert {m for m, t in routes.items() if t == "fct_application"} == {
        "applications_new", "applications_carried_over", "granted", "partially_granted", "granted_or_partial",
        "denied", "unavailable", "not_processed", "other_handling", "responded_total", "carried_forward",
    }  # fmt: skip


def test_summarise_counts_statuses_and_names_failures(tmp_path):
    results = [
        {"unique_id": "seed.nianbao.measure_glossary", "status": "success"},
        {"unique_id": "model.nianbao.dim_report", "status": "success"},
        {"unique_id": "model.nianbao.report_summary", "status": "error", "message": "Contract Error"},
        {"unique_id": "test.nianbao.not_null_x.1a2b3c", "status": "pass"},
        {
            "unique_id": "test.nianbao.identity_holds_check_results.4d5e6f",
            "status": "warn",
            "message": "Got 1",
        },
        {"unique_id": "test.nianbao.unique_y.7a8b9c", "status": "fail", "message": "Got 2 results"},
        {"unique_id": "unit_test.nianbao.check_results.check_results_statuses", "status": "error"},
        {"unique_id": "test.nianbao.unique_report_summary_document_id.000", "status": "skipped"},
    ]
    result = summarise(results, returncode=1, elapsed_s=1.234, target_dir=tmp_path, output="x" * 5000)
    assert (result.seeds_loaded, result.models_built, result.tests_passed) == (1, 1, 1)
    assert (result.tests_warned, result.tests_failed, result.tests_errored, result.nodes_skipped) == (
        1,
        1,
        1,
        1,
    )
    assert result.failed_nodes == ("report_summary", "unique_y", "check_results_statuses")
    assert result.warned_nodes == ("identity_holds_check_results",)
    assert "report_summary [error]: Contract Error" in result.messages
    assert not result.success
    assert result.elapsed_s == 1.23
    assert len(result.stderr_tail) == 4000


def test_summarise_without_results_is_a_failure(tmp_path):
    result = summarise([], returncode=2, elapsed_s=0.5, target_dir=tmp_path, output="Parsing Error")
    assert not result.success
    assert result.stderr_tail == "Parsing Error"

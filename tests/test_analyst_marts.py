"""Analyst marts and cross-report checks on a warehouse built for them: hand-made staging rows → `dbt build`.

The bodies: 洪泽 written four ways over three years (洪泽县人民政府 in 2021, before the data's 洪泽区; 淮安市洪泽区人民政府
in 2022; 洪泽区政府 and a second 2023 report as 洪泽区 that states another total), 海安县人民政府 (2022) that became
海安市 (2024), 淮安市教育局 (a department of the prefecture) and 青云新区管委会, a place the gazetteer does not know.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao.dbt_build import run_dbt_build
from nianbao.glossary import MEASURES
from nianbao.staging import create_staging
from tests.helpers import INSERT_DOCUMENT

PARSER = "test-analyst"
PROVINCE = "江苏省"
METADATA = [
    # document_id, agency, admin_level, report_year
    ("hz2021", "洪泽县人民政府", "county", 2021),
    ("hz2022", "淮安市洪泽区人民政府", "county", 2022),
    ("hz2023", "洪泽区政府", "county", 2023),
    ("hz2023b", "洪泽区", "county", 2023),
    ("ha2022", "海安县人民政府", "county", 2022),
    ("ha2024", "海安市人民政府", "county", 2024),
    ("jy2022", "淮安市教育局", "department", 2022),
    ("qy2022", "青云新区管委会", "department", 2022),
]
# document_id → {measure: value}, stated in prose
FIGURES = {
    "hz2021": dict(applications_new=100, applications_carried_over=0, granted=60, partially_granted=10, denied=10,
                   unavailable=10, not_processed=5, other_handling=0, responded_total=95, carried_forward=5,
                   reconsideration_total=2, litigation_total=0),
    "hz2022": dict(applications_new=120, applications_carried_over=5, granted=50, partially_granted=20, denied=20,
                   unavailable=20, not_processed=5, other_handling=5, responded_total=120, carried_forward=5),
    "hz2023": dict(applications_new=130, applications_carried_over=4, granted=26, partially_granted=13,
                   responded_total=130, carried_forward=4, reconsideration_total=0),
    "hz2023b": dict(applications_new=135),
    "ha2022": dict(applications_new=10, granted=10, responded_total=10),
    "ha2024": dict(applications_new=16, granted=8, responded_total=16),
    "jy2022": dict(applications_new=7),
    "qy2022": dict(applications_new=0, granted=0, responded_total=0),
}  # fmt: skip
# hz2022's tables: two denial lines of 表三 (总计 column) and the three blocks of 表四
T3_DENIED = {"denied.third_party": 12, "denied.process_info": 8}
T4 = {"review": (2, 1, 0, 0, 3), "direct": (0, 0, 0, 1, 1), "after_review": (0, 0, 0, 0, 0)}


def _create_staging(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema staging")
        create_staging(con)
        for doc, agency, level, year in METADATA:
            text = f"{agency}{year}年政府信息公开工作年度报告"
            con.execute(
                INSERT_DOCUMENT + "(?, ?, ?, 'txt', 100, 'utf-8', 'utf8_strict', 0, 'simplified', 0, ?)",
                [doc, f"/corpus/{doc}.txt", f"{doc}.txt", PARSER],
            )
            con.execute(
                "insert into staging.report_metadata values (?, ?, ?, 'meta.agency', ?, ?, 'meta.province', ?, "
                "'meta.year_period', ?, null, null, 'std2021', ?)",
                [doc, text, agency, level, PROVINCE, year, f"{year}年", PARSER],
            )
            for no, (measure, value) in enumerate(FIGURES[doc].items(), start=1):
                unit = MEASURES[measure][1]
                con.execute(
                    "insert into staging.prose_facts values (?, ?, ?, ?, ?, false, ?, ?, ?, ?, ?, "
                    "'applications', ?, 10, ?)",
                    [doc, no, measure, float(value), unit, f"{measure} {value}{unit}", no * 10, no * 10 + 2,
                     no * 10, no * 10 + 2, f"prose.{measure}", PARSER],
                )  # fmt: skip
        cells = [("t3", row, "total", value) for row, value in T3_DENIED.items()]
        results = ("upheld", "corrected", "other", "pending", "total")
        cells += [
            ("t4", "all", f"{block}.{result}", value)
            for block, values in T4.items()
            for result, value in zip(results, values, strict=True)
        ]
        for i, (table, row, col, value) in enumerate(cells):
            con.execute(
                "insert into staging.table_cells values ('hz2022', ?, ?, ?, 'std2021', ?, ?, ?, ?, ?, '件', null, "
                "?, 0, ?, 0, null, null, null, 'test.cells', ?, null, null, false)",
                [table, row, col, row, col, str(value), float(value), "ZERO" if value == 0 else "NUMERIC",
                 f"text:{i}", i, PARSER],
            )  # fmt: skip
    finally:
        con.close()


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("analyst")
    warehouse = root / "warehouse.duckdb"
    _create_staging(warehouse)
    result = run_dbt_build(warehouse, target_dir=root / "dbt")
    assert result.success, result.stderr_tail
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def _key(con, agency: str) -> str:
    return con.execute(
        "select agency_key from int.int_agency_divisions where agency = ? and province = ?",
        [agency, PROVINCE],
    ).fetchone()[0]


def test_spellings_and_renamings_meet_in_one_body(con):
    rows = con.execute(
        "select agency, division_code, body, match_rule, match_confidence from int.int_agency_divisions "
        "order by agency"
    ).fetchall()
    assert rows == [
        ("洪泽区", "320813", "人民政府", "full_name", "high"),
        ("洪泽区政府", "320813", "人民政府", "full_name", "high"),
        # renamed 洪泽县 → 洪泽区 in 2016, before the data: found by its stem
        ("洪泽县人民政府", "320813", "人民政府", "renamed_suffix", "medium"),
        ("海安县人民政府", "320685", "人民政府", "former_name", "high"),  # 海安县 → 海安市 in the data
        ("海安市人民政府", "320685", "人民政府", "full_name", "high"),
        ("淮安市教育局", "320800", "教育局", "full_name", "high"),
        ("淮安市洪泽区人民政府", "320813", "人民政府", "full_name", "high"),
        ("青云新区管委会", None, None, "unmatched", "none"),  # the gazetteer does not know it: not guessed
    ]
    spellings = ("洪泽区", "洪泽区政府", "洪泽县人民政府", "淮安市洪泽区人民政府")
    assert len({_key(con, a) for a in spellings}) == 1
    assert _key(con, "海安县人民政府") == _key(con, "海安市人民政府")


def test_dim_agency_one_row_per_body(con):
    rows = con.execute(
        "select agency, province, admin_level, report_count, first_report_year, last_report_year, spelling_count, "
        "spellings, division_code, body, match_rule, province_code, prefecture_code, county_code "
        "from marts.dim_agency order by agency"
    ).fetchall()
    assert rows == [
        ("洪泽区", PROVINCE, "county", 4, 2021, 2023, 4, "洪泽区, 洪泽区政府, 洪泽县人民政府, 淮安市洪泽区人民政府",
         "320813", "人民政府", "full_name", "320000", "320800", "320813"),
        ("海安市人民政府", PROVINCE, "county", 2, 2022, 2024, 2, "海安县人民政府, 海安市人民政府",
         "320685", "人民政府", "former_name", "320000", "320600", "320685"),
        ("淮安市教育局", PROVINCE, "department", 1, 2022, 2022, 1, "淮安市教育局",
         "320800", "教育局", "full_name", "320000", "320800", None),
        ("青云新区管委会", PROVINCE, "department", 1, 2022, 2022, 1, "青云新区管委会",
         None, None, "unmatched", "320000", None, None),
    ]  # fmt: skip
    assert con.execute(
        "select count(*) from marts.dim_report where agency_key not in (select agency_key from marts.dim_agency)"
    ).fetchone() == (0,)


def test_dim_division_links_former_names(con):
    rows = con.execute(
        "select division_code, name, level, parent_code, is_current, current_code, change_rule, former_names "
        "from marts.dim_division where division_code in ('320621', '320685', '320813', '130421', '130502') "
        "order by division_code"
    ).fetchall()
    assert rows == [
        ("130421", "邯郸县", "county", "130400", False, None, None, None),  # merged: successor not guessed
        ("130502", "襄都区", "county", "130500", True, "130502", None, "桥东区"),  # renamed under its code
        ("320621", "海安县", "county", "320600", False, "320685", "same_stem", None),
        ("320685", "海安市", "county", "320600", True, "320685", None, "海安县"),
        ("320813", "洪泽区", "county", "320800", True, "320813", None, None),
    ]


def test_mart_agency_year_rates_with_numerators_and_reasons(con):
    hz = _key(con, "洪泽区")
    rows = con.execute(
        "select report_year, document_id, report_count, grant_rate_numerator, grant_rate_denominator, grant_rate,"
        " carry_forward_rate, carry_forward_rate_denominator, denied_third_party_rate,"
        " denied_state_secret_rate_null_reason, review_correction_rate, review_correction_rate_null_reason,"
        " suit_loss_rate, suit_loss_rate_numerator, suit_loss_rate_denominator"
        " from marts.mart_agency_year where agency_key = ? order by report_year",
        [hz],
    ).fetchall()
    assert rows == [
        (2021, "hz2021", 1, 60.0, 95.0, 60 / 95, 5 / 100, 100.0, None, "numerator not stated", None,
         "numerator not stated", None, None, 0.0),
        (2022, "hz2022", 1, 50.0, 120.0, 50 / 120, 5 / 125, 125.0, 12 / 120, "numerator not stated", 1 / 3, None,
         0.0, 0.0, 1.0),
        (2023, "hz2023", 2, 26.0, 130.0, 0.2, 4 / 134, 134.0, None, "numerator not stated", None,
         "numerator not stated", None, None, None),
    ]  # fmt: skip
    # a denominator of 0 is no division: the rate is null and says why
    assert con.execute(
        "select grant_rate, grant_rate_null_reason, partial_rate_null_reason from marts.mart_agency_year"
        " where agency_key = ?",
        [_key(con, "青云新区管委会")],
    ).fetchall() == [(None, "denominator is 0", "numerator not stated")]


def test_mart_agency_trend_with_year_gaps(con):
    rows = con.execute(
        "select agency, report_year, previous_year, year_gap, applications_new_change, grant_rate_change,"
        " reconsideration_total_change from marts.mart_agency_trend order by agency, report_year"
    ).fetchall()
    assert rows == [
        ("洪泽区", 2022, 2021, 1, 20.0, 50 / 120 - 60 / 95, 1.0),
        ("洪泽区", 2023, 2022, 1, 10.0, 0.2 - 50 / 120, -3.0),
        ("海安市人民政府", 2024, 2022, 2, 6.0, 0.5 - 1.0, None),
    ]


def test_cross_report_checks_in_check_results(con):
    rows = con.execute(
        "select document_id, check_name, left_value, right_value, status, detail from marts.check_results"
        " where check_name in ('cross_year_carry_over', 'same_year_applications_new')"
        " and document_id like 'hz%' order by document_id, check_name"
    ).fetchall()
    assert rows == [
        ("hz2021", "cross_year_carry_over", 0.0, None, "NOT_EVALUABLE", "no report of the body for 2020"),
        ("hz2021", "same_year_applications_new", 100.0, None, "NOT_EVALUABLE",
         "no other report of the body for the year"),
        ("hz2022", "cross_year_carry_over", 5.0, 5.0, "PASS",
         "applications_carried_over = carried_forward of the year before (hz2021): 5 = 5"),
        ("hz2022", "same_year_applications_new", 120.0, None, "NOT_EVALUABLE",
         "no other report of the body for the year"),
        ("hz2023", "cross_year_carry_over", 4.0, 5.0, "FAIL",
         "applications_carried_over = carried_forward of the year before (hz2022): 4 <> 5"),
        ("hz2023", "same_year_applications_new", 130.0, 135.0, "FAIL",
         "applications_new against the other reports of the year (hz2023b): 130 <> 135"),
        ("hz2023b", "cross_year_carry_over", None, 5.0, "NOT_EVALUABLE", "not stated: applications_carried_over"),
        ("hz2023b", "same_year_applications_new", 135.0, 130.0, "FAIL",
         "applications_new against the other reports of the year (hz2023): 135 <> 130"),
    ]  # fmt: skip
    # a renamed county's carry-over is checked across the renaming (海安县 2022 → 海安市 2024: no 2023 report)
    assert con.execute(
        "select detail from marts.check_results where document_id = 'ha2024' and check_name = 'cross_year_carry_over'"
    ).fetchone() == ("no report of the body for 2023",)


def test_mart_region_year_sums_medians_and_coverage(con):
    rows = con.execute(
        "select region_code, region_name, region_level, report_year, admin_level, bodies_reporting, bodies_known,"
        " coverage, reports, applications_new_sum, applications_new_median, applications_new_reports"
        " from marts.mart_region_year where region_code in ('320000', '320800') and admin_level = 'all'"
        " order by region_code, report_year"
    ).fetchall()
    assert rows == [
        ("320000", "江苏省", "province", 2021, "all", 1, 4, 0.25, 1, 100.0, 100.0, 1),
        ("320000", "江苏省", "province", 2022, "all", 4, 4, 1.0, 4, 137.0, 8.5, 4),
        ("320000", "江苏省", "province", 2023, "all", 1, 4, 0.25, 2, 130.0, 130.0, 1),
        ("320000", "江苏省", "province", 2024, "all", 1, 4, 0.25, 1, 16.0, 16.0, 1),
        ("320800", "淮安市", "prefecture", 2021, "all", 1, 2, 0.5, 1, 100.0, 100.0, 1),
        ("320800", "淮安市", "prefecture", 2022, "all", 2, 2, 1.0, 2, 127.0, 63.5, 2),
        ("320800", "淮安市", "prefecture", 2023, "all", 1, 2, 0.5, 2, 130.0, 130.0, 1),
    ]
    assert con.execute(
        "select bodies_reporting, bodies_known from marts.mart_region_year"
        " where region_code = '320800' and report_year = 2022 and admin_level = 'department'"
    ).fetchall() == [(1, 1)]


def test_mart_data_quality(con):
    rows = con.execute(
        "select report_year, reports, quarantined_files, cross_report_checks_failed, conflicts, figures_stated,"
        " figures_from_prose_only from marts.mart_data_quality where agency_key = ? order by report_year",
        [_key(con, "洪泽区")],
    ).fetchall()
    assert rows == [
        (2021, 1, 0, 0, 0, 12, 12),
        (2022, 1, 0, 0, 0, 12, 10),  # reconsideration_total and litigation_total from 表四
        (2023, 2, 0, 3, 0, 8, 8),
    ]


def test_docs_query_grant_rate_fell_most_on_two_years_of_one_body(con):
    """docs/queries/01 finds nothing in the seed and corpus warehouse (one year per body); here it ranks."""
    sql = (
        Path(__file__).resolve().parent.parent / "docs" / "queries" / "01_grant_rate_fell_most.sql"
    ).read_text(encoding="utf-8")
    assert con.execute(sql).fetchall() == [
        ("海安市人民政府", 2022, 2024, 2, 1.0, 0.5, -0.5),
        ("洪泽区", 2022, 2023, 1, 0.4167, 0.2, -0.2167),
        ("洪泽区", 2021, 2022, 1, 0.6316, 0.4167, -0.2149),
    ]

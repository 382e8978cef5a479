"""The real flow over pre-2019 reports with a statistics table: HTML (上海式) and flattened text (国办 2014–2018)."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.helpers import build_and_open

pytestmark = pytest.mark.e2e

E0 = FIXTURES / "e0_tables"
INPUTS = [E0 / "e0_sh_2010.html", E0 / "e0_gb_2016.txt"]
SUMMARY = (
    "proactive_total, applications_new, granted, partially_granted, denied, unavailable, responded_total, "
    "reconsideration_total, litigation_total, fees_yuan"
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    yield from build_and_open(tmp_path_factory, INPUTS)


def one(con, sql: str, source_file: str) -> list[tuple]:
    return con.execute(
        sql.replace("{doc}", "(select document_id from marts.dim_report where source_file = ?)"),
        [source_file],
    ).fetchall()


def test_cells_are_staged_with_their_family_and_era(warehouse):
    rows = warehouse.execute(
        "select table_id, era, col_key, count(*) from staging.table_cells group by all order by all"
    ).fetchall()
    assert rows == [("e0_gb", "pre2019", "year", 58), ("e0_sh", "pre2019", "period", 35),
                    ("e0_sh", "pre2019", "ytd", 35)]  # fmt: skip
    assert (
        warehouse.execute(
            "select count(*) from staging.parse_issues where issue_code = 'era_mismatch'"
        ).fetchone()[0]
        == 0
    )


def test_html_table_figures_reach_the_summary_with_their_cell(warehouse):
    row = one(
        warehouse,
        f"select {SUMMARY} from marts.report_summary where document_id in {{doc}}",
        "e0_sh_2010.html",
    )
    # 否决公开答复总数 counts 信息不存在 / 非本部门掌握: it is not the 2019+ denied, which stays unknown.
    assert row == [(174, 12, 6, 2, None, None, 11, 1, 0, 0)]
    sources = one(
        warehouse,
        "select proactive_total_source, granted_source, fees_yuan_source from marts.report_summary "
        "where document_id in {doc}",
        "e0_sh_2010.html",
    )
    assert sources[0][0] == "table:e0_sh/proactive.total/period@html:t0/r2c3"
    assert sources[0][1] == "table:e0_sh/replies.granted/period@html:t0/r19c3"
    assert sources[0][2].startswith("prose:")  # the table has no fee row: prose fills it


def test_text_table_figures_reach_the_summary_and_the_fact_marts(warehouse):
    row = one(
        warehouse,
        f"select {SUMMARY} from marts.report_summary where document_id in {{doc}}",
        "e0_gb_2016.txt",
    )
    assert row == [(356, 21, 9, 3, 2, None, 20, 1, 0, 120)]
    (source,) = one(
        warehouse,
        "select applications_new_source from marts.report_summary where document_id in {doc}",
        "e0_gb_2016.txt",
    )[0]
    assert source.startswith("table:e0_gb/requests.total/year@text:")
    channels = one(
        warehouse,
        """select reason, value, mapping_confidence from marts.fct_application where document_id in {doc}
           and source_kind = 'table' and measure = 'applications_by_channel' order by reason""",
        "e0_gb_2016.txt",
    )
    assert channels == [("fax", 0, "era_specific"), ("in_person", 5, "era_specific"), ("letter", 4, "era_specific"),
                        ("online", 12, "era_specific")]  # fmt: skip
    appeals = one(
        warehouse,
        """select measure, value, is_chosen from marts.fct_appeal where document_id in {doc} and source_kind = 'table'
           order by measure""",
        "e0_gb_2016.txt",
    )
    assert ("reconsideration_total", 1, True) in appeals and ("litigation_total", 0, True) in appeals
    distinct = one(
        warehouse,
        """select measure, value from marts.fct_application where document_id in {doc} and source_kind = 'table'
           and measure in ('already_public', 'unable_not_exist', 'not_gov_info') order by measure""",
        "e0_gb_2016.txt",
    )
    assert distinct == [("already_public", 2), ("not_gov_info", 1), ("unable_not_exist", 1)]


def test_cumulative_columns_never_reach_a_fact_mart(warehouse):
    for mart in ("fct_application", "fct_appeal", "fct_proactive_disclosure"):
        n = warehouse.execute(
            f"select count(*) from marts.{mart} where col_key in ('ytd', 'cumulative')"
        ).fetchone()
        assert n == (0,)


def test_table_vs_prose_disagreement_and_identities_are_checks(warehouse):
    checks = dict(
        (name, (left, right, status))
        for name, left, right, status in one(
            warehouse,
            """select check_name, left_value, right_value, status from marts.check_results
               where document_id in {doc} and check_name like 'e0_%'""",
            "e0_gb_2016.txt",
        )
    )
    assert checks["e0_table_vs_prose_applications_new"] == (
        20,
        21,
        "FAIL",
    )  # the fixture's deliberate anomaly
    assert checks["e0_table_vs_prose_proactive_total"] == (356, 356, "PASS")
    assert checks["e0_table_vs_prose_fees_yuan"] == (120, 120, "PASS")
    assert checks["e0_gb_identity_replies.total_year"] == (20, 20, "PASS")
    assert checks["e0_gb_identity_requests.total_year"] == (21, 21, "PASS")
    assert {s for _, _, s in checks.values()} <= {"PASS", "FAIL", "NOT_EVALUABLE"}
    sh = dict(
        (name, status)
        for name, status in one(
            warehouse,
            "select check_name, status from marts.check_results where document_id in {doc} and check_name like 'e0_%'",
            "e0_sh_2010.html",
        )
    )
    assert sh["e0_sh_identity_replies.refused_period"] == "PASS"
    assert sh["e0_sh_identity_requests.total_ytd"] == "PASS"
    assert not any(name.startswith(("t3_", "t4_")) for name in sh)  # E0 has no 表三 / 表四 identity

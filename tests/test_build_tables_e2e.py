"""The real flow over the seeds plus table-bearing reports in every format (PDF, HTML, DOCX, flattened text)."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, SEEDS
from tests.helpers import build_and_open

pytestmark = pytest.mark.e2e

INPUTS = [
    *sorted(SEEDS.iterdir()),
    FIXTURES / "pdf" / "hongze_2023.pdf",
    FIXTURES / "html_tables" / "std2019_shanghai.html",
    FIXTURES / "html_tables" / "std2021_county.html",
    FIXTURES / "docx" / "template_2021_format.docx",
    FIXTURES / "text_tables" / "erdao_fwzs_2022.txt",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    yield from build_and_open(tmp_path_factory, INPUTS, workers=2)


def by_file(con, sql: str, source_file: str) -> list[tuple]:
    return con.execute(
        sql.replace("{docs}", "(select document_id from marts.dim_report where source_file = ?)"),
        [source_file],
    ).fetchall()


def test_every_input_is_in_the_warehouse(warehouse):
    files = {r[0] for r in warehouse.execute("select source_file from marts.dim_report").fetchall()}
    assert files == {f.name for f in INPUTS}
    assert warehouse.execute("select count(*) from marts.quarantine").fetchone()[0] == 0


def test_hongze_pdf_cells_reach_the_fact_marts(warehouse):
    counts = dict(
        by_file(
            warehouse,
            """select table_id, count(*) from staging.table_cells where document_id in {docs} group by 1""",
            "hongze_2023.pdf",
        )
    )
    assert counts == {"t2": 10, "t3": 161, "t4": 15}
    applicants = by_file(
        warehouse,
        """select applicant_type, value from marts.fct_application
           where document_id in {docs} and source_kind = 'table' and measure = 'applications_new' order by 1""",
        "hongze_2023.pdf",
    )
    assert applicants == [("commercial", 0), ("legal_service", 0), ("natural_person", 21), ("other_org", 0),
                          ("research", 0), ("social_welfare", 0), ("total", 21)]  # fmt: skip


def test_source_anomaly_in_hongze_table_four_is_reported_and_kept_as_printed(warehouse):
    rows = by_file(
        warehouse,
        """select check_name, left_value, right_value, status from marts.check_results
           where document_id in {docs} and check_name like 't4_identity_%' order by 1""",
        "hongze_2023.pdf",
    )
    assert rows == [("t4_identity_after_review", 5, 0, "FAIL"), ("t4_identity_direct", 0, 0, "PASS"),
                    ("t4_identity_review", 11, 0, "FAIL")]  # fmt: skip
    t3 = by_file(
        warehouse,
        """select distinct status from marts.check_results
           where document_id in {docs} and check_name like 't3_column_identity_%'""",
        "hongze_2023.pdf",
    )
    assert t3 == [("PASS",)]


def test_summary_takes_table_figures_and_says_so(warehouse):
    [row] = by_file(
        warehouse,
        """select applications_new, applications_carried_over, responded_total, carried_forward,
                  applications_new_source like 'table:t3/new/total@%'
           from marts.report_summary where document_id in {docs}""",
        "std2019_shanghai.html",
    )
    assert row == (859, 18, 805, 72, True)  # the [SH19] figures quoted in report_formats.md


def test_blank_template_yields_labels_with_every_value_empty(warehouse):
    semantics = by_file(
        warehouse,
        "select table_id, value_semantic, count(*) from staging.table_cells where document_id in {docs} group by all order by 1",
        "template_2021_format.docx",
    )
    assert semantics == [("t2", "EMPTY", 10), ("t3", "EMPTY", 175), ("t4", "EMPTY", 15)]


def test_seed_figures_are_unchanged_by_the_table_path(warehouse):
    from tests.test_build_e2e import EXPECTED, SUMMARY_COLUMNS

    rows = {
        r[0]: tuple(int(v) if isinstance(v, float) else v for v in r[1:])
        for r in warehouse.execute(
            f"select source_file, {SUMMARY_COLUMNS} from marts.report_summary where source_file in "
            f"({', '.join(repr(k) for k in EXPECTED)})"
        ).fetchall()
    }
    assert rows == EXPECTED

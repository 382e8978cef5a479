"""The real flow over converter output: a markdown report and a displaced-block text reach report_summary."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.converter_truth import T3_2019, T3_2021, T4
from tests.helpers import build_and_open

pytestmark = pytest.mark.e2e

INPUTS = [FIXTURES / "converter" / "md_page_break.md", FIXTURES / "converter" / "plain_displaced_2019.txt"]
FIGURES = (
    "applications_new, applications_carried_over, granted, partially_granted, denied, unavailable, "
    "not_processed, other_handling, responded_total, carried_forward, reconsideration_total, litigation_total"
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    yield from build_and_open(tmp_path_factory, INPUTS)


def _expected(rows: dict[str, list[int]], t4: dict[str, int] | None) -> tuple:
    def total(*prefixes: str) -> int:
        return sum(v[6] for k, v in rows.items() if k.split(".")[0] in prefixes)

    return (
        rows["new"][6],
        rows["carried_over"][6],
        rows["granted"][6],
        rows["partial"][6],
        total("denied"),
        total("unavailable"),
        total("not_processed"),
        total("other"),
        rows["total"][6],
        rows["carried_forward"][6],
        t4["review.total"] if t4 else None,
        t4["direct.total"] + t4["after_review.total"] if t4 else None,
    )


def _summary(con, source_file: str) -> tuple:
    row = con.execute(
        f"select {FIGURES}, applications_new_source from marts.report_summary where source_file = ?",
        [source_file],
    ).fetchone()
    assert row is not None, source_file
    return tuple(int(v) if isinstance(v, float) else v for v in row)


def test_markdown_report_figures_come_from_its_tables(warehouse):
    *figures, source = _summary(warehouse, "md_page_break.md")
    assert tuple(figures) == _expected(T3_2021, T4)
    assert source.startswith("table:t3/new/total@")


def test_displaced_block_report_figures_come_from_the_paired_table(warehouse):
    *figures, source = _summary(warehouse, "plain_displaced_2019.txt")
    assert tuple(figures) == _expected(T3_2019, None)
    assert source.startswith("table:t3/new/total@")


def test_converter_tables_pass_the_identity_checks(warehouse):
    statuses = warehouse.execute(
        """select distinct status from marts.check_results
           where check_name like 't3_column_identity_%'"""
    ).fetchall()
    assert statuses == [("PASS",)]

"""The whole pipeline on the seed reports: real Prefect flow, DuckDB, dbt and Great Expectations.

One cold build (seeds plus two bad files), a rerun that must change nothing, and a build with one new report
while a reader holds the published warehouse open.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from flows.build_warehouse import build_warehouse
from nianbao.numbers import parse_number
from tests.conftest import FIXTURES, SEEDS
from tests.helpers import mart_checksums

pytestmark = pytest.mark.e2e


# (agency, admin_level, province, report_year, published_on, figures...) as stated in each seed, read by hand.
# fmt: off
EXPECTED = {
    "000_a9f66f60f4594b38.txt": ("安化县", "county", "湖南省", 2017, "2018-03-29",
                                 9338, 0, None, None, None, None, None, None, None, None, None, 0, 0, 0),
    "001_6f4b7473ec9ec910.txt": ("娄底市", "prefecture", "湖南省", 2008, None,
                                 135634, 261, None, None, None, None, None, None, None, None, None, None, None, None),
    "002_059488ec431c7848.txt": ("阿尔山市", "county", "内蒙古自治区", 2017, "2018-01-30",
                                 None, 0, None, None, None, None, None, None, None, None, None, 0, 0, None),
    "003_6f43bf410af91967.txt": ("长沙市开福区", "county", "湖南省", 2020, "2021-02-20",
                                 23594, 245, 21, None, None, 10, 60, 10, 29, 266, 41, 4, 10, 0),
    "004_b12f5e72f3d5153d.txt": ("曾都区", "county", "湖北省", 2016, None,
                                 None, 2, None, None, None, None, None, None, None, None, None, 0, 0, 0),
}
# fmt: on
SUMMARY_COLUMNS = (
    "agency, admin_level, province, report_year, cast(published_on as varchar), proactive_total, "
    "applications_new, applications_carried_over, granted, partially_granted, denied, unavailable, "
    "not_processed, other_handling, responded_total, carried_forward, reconsideration_total, "
    "litigation_total, fees_yuan"
)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    for f in SEEDS.iterdir():
        shutil.copy(f, inbox / f.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (inbox / "stats.xls").write_bytes(b"\xd0\xcf\x11\xe0 not readable here")
    return inbox


@pytest.fixture(scope="module")
def cold(inbox, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("build") / "warehouse.duckdb"
    summary = build_warehouse(paths=[str(inbox)], warehouse=str(warehouse), workers=2)
    return summary, warehouse


def test_cold_build_publishes_and_reports_what_it_did(cold):
    summary, warehouse = cold
    assert summary.ok and summary.published and warehouse.exists()
    assert (summary.documents_seen, summary.documents_new, summary.documents_quarantined) == (8, 5, 3)
    assert summary.figures_extracted == 28
    assert summary.checks_failed == 0 and summary.checks_warned == 1  # 003 does not add up in the source
    assert set(summary.stage_seconds) >= {"ingest", "parse", "stage", "dbt_build", "validate", "publish"}
    assert summary.data_docs and Path(summary.data_docs).exists()


def test_report_summary_has_exactly_the_stated_figures(cold):
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = {
        r[0]: tuple(int(v) if isinstance(v, float) else v for v in r[1:])
        for r in con.execute(f"select source_file, {SUMMARY_COLUMNS} from marts.report_summary").fetchall()
    }
    con.close()
    assert rows == EXPECTED


def test_every_figure_span_holds_its_number_in_both_texts(cold):
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    facts = con.execute(
        """select f.measure, f.value, f.rule_id, substr(d.normalized_text, f.span_start + 1, f.span_end - f.span_start),
                  substr(d.original_text, f.orig_span_start + 1, f.orig_span_end - f.orig_span_start), f.sentence,
                  d.normalized_text
           from staging.prose_facts f join (select * from staging.documents join staging.document_payloads using (document_id)) d using (document_id)"""
    ).fetchall()
    con.close()
    assert len(facts) == 28
    for measure, value, rule_id, span, orig_span, sentence, text in facts:
        assert span in sentence and sentence in text
        if rule_id.endswith("nil_phrase") or rule_id.startswith("fees.nil"):
            assert value == 0
        else:
            assert parse_number(span) == value, (measure, span)
            assert parse_number(orig_span) == value, (measure, orig_span)


def test_traditional_seed_keeps_its_original_text_and_maps_spans_back(cold):
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    script, original, orig_span = con.execute(
        """select d.script, d.original_text,
                  substr(d.original_text, f.orig_span_start + 1, f.orig_span_end - f.orig_span_start)
           from (select * from staging.documents join staging.document_payloads using (document_id)) d join staging.prose_facts f using (document_id)
           where d.source_file = '004_b12f5e72f3d5153d.txt' and f.measure = 'reconsideration_total'"""
    ).fetchone()
    con.close()
    assert script == "traditional" and "行政復議" in original
    assert "復議" in orig_span or "訴訟" in orig_span  # the nil phrase, in the original characters


def test_conflicts_and_source_anomalies_are_flagged_not_resolved(cold):
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    conflict = con.execute(
        "select applications_new_conflict, applications_new_source from marts.report_summary"
        " where source_file = '000_a9f66f60f4594b38.txt'"
    ).fetchone()
    stated = con.execute(
        """select list(value order by value) from marts.fct_application a join marts.dim_report r using (document_id)
           where r.source_file = '000_a9f66f60f4594b38.txt' and a.measure = 'applications_new'"""
    ).fetchone()[0]
    checks = dict(
        con.execute(
            """select check_name, (left_value, right_value, status) from marts.check_results c
               join marts.dim_report r using (document_id)
               where r.source_file = '003_6f43bf410af91967.txt' and check_name in ('applications_balance', 'outcome_parts')"""
        ).fetchall()
    )
    con.close()
    assert conflict[0] is True and conflict[1].startswith("prose:applications.received_n@")
    assert stated == [0, 23]
    assert checks == {"applications_balance": (266, 307, "FAIL"), "outcome_parts": (225, 266, "FAIL")}


def test_python_and_dbt_flag_the_same_prose_conflicts(cold):
    """The conflict rule lives in parse.conflict_issues (`nianbao parse`) and int_prose_measures (the marts):
    two values for one measure. They must flag the same (document, measure) pairs."""
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    python = set(
        con.execute(
            "select document_id, measure from staging.parse_issues where issue_code = 'measure_conflict'"
        ).fetchall()
    )
    dbt = set(
        con.execute('select document_id, measure from "int".int_prose_measures where is_conflict').fetchall()
    )
    con.close()
    assert python  # the seeds state applications_new twice (0 and 23)
    assert python == dbt


def test_bad_files_are_quarantined_with_reason_codes(cold):
    _, warehouse = cold
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("select reason_code, stage from marts.quarantine order by reason_code").fetchall()
    con.close()
    assert rows == [("empty_file", "ingest"), ("truncated_pdf", "ingest"), ("unsupported_type", "ingest")]


def test_rerun_with_no_change_skips_everything_and_keeps_marts(cold, inbox):
    _, warehouse = cold
    before = mart_checksums(warehouse)
    summary = build_warehouse(paths=[str(inbox)], warehouse=str(warehouse), workers=2)
    assert summary.ok and summary.up_to_date
    assert (summary.documents_new, summary.documents_unchanged, summary.documents_quarantined) == (0, 8, 0)
    assert mart_checksums(warehouse) == before


def test_reader_holding_the_warehouse_never_breaks_during_a_build(cold, inbox):
    _, warehouse = cold
    shutil.copy(FIXTURES / "html" / "zj_gzw_2009_gbk.html", inbox / "zj_gzw_2009_gbk.html")
    reader = duckdb.connect(str(warehouse), read_only=True)
    errors: list[Exception] = []
    counts: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                counts.append(reader.execute("select count(*) from marts.report_summary").fetchone()[0])
            except Exception as e:  # any error is a failure of the promise
                errors.append(e)
            done.wait(0.05)

    t = threading.Thread(target=read)
    t.start()
    try:
        summary = build_warehouse(paths=[str(inbox)], warehouse=str(warehouse), workers=2)
    finally:
        done.set()
        t.join()
    assert summary.ok and summary.published and summary.documents_new == 1
    assert not errors and counts and set(counts) == {5}  # the old warehouse, whole, until it reconnects
    reader.close()
    fresh = duckdb.connect(str(warehouse), read_only=True)
    assert fresh.execute("select count(*) from marts.report_summary").fetchone()[0] == 6
    fresh.close()

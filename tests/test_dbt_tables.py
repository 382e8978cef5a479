"""The dbt project on statutory-table cells: hand-made staging rows with 表二 / 表三 / 表四 → exact marts.

Two reports:
- `doc_t21` (2021 format) prints a consistent 表三 (its 社会公益组织 column left blank, the 总计 of （二）部分公开
  blank: derived from the applicant cells), a 表四 that does not add up like a real PDF (行政复议 10, 1, 0, 0,
  总计 0) and a 2021 表二 (收费金额 in 万元). Its prose agrees with the table on some figures and not on others.
  Its text and its 表四 were read by OCR (`T21_T4_OCR`): one cell by a second reading, one too doubtful to be a
  figure (TEXT, as the reader stages it); its other tables keep text-layer cells (each figure says its own reading).
- `doc_t19` (2019 format) prints part of a 表三 only: 二、上年结转 wholly blank (unknown, not 0), the 总计 of
  （一） as `/`, （二） with an NA applicant cell, （六） as the single 2019 row; no 表四.

One dbt build (about 10 s) runs once per module; every test reads its warehouse.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from nianbao.dbt_build import PROJECT_DIR, DbtBuildResult, run_dbt_build
from nianbao.ocr.detect import OCR_ENCODING
from nianbao.staging import create_staging
from nianbao.tables import catalog
from tests.helpers import INSERT_DOCUMENT, T3_COLUMNS

PARSER = "test-tables-1"
T3_COLS = T3_COLUMNS

# 表三, 2021, one row per row key: the seven columns as printed ('' blank). Column identity 60 + 4 = 58 + 6.
T21_T3 = {
    "new": ("50", "5", "1", "", "2", "2", "60"),
    "carried_over": ("3", "1", "0", "", "0", "0", "4"),
    "granted": ("20", "2", "0", "", "1", "1", "24"),
    "partial": ("5", "1", "0", "", "0", "0", ""),  # 总计 blank: derived 6
    "denied.state_secret": ("0", "0", "0", "", "0", "0", "0"),
    "denied.law_forbidden": ("1", "0", "0", "", "0", "0", "1"),
    "denied.three_security": ("0", "0", "0", "", "0", "0", "0"),
    "denied.third_party": ("2", "0", "0", "", "0", "0", "2"),
    "denied.internal_affairs": ("0", "0", "0", "", "0", "0", "0"),
    "denied.process_info": ("0", "0", "0", "", "0", "0", "0"),
    "denied.enforcement_file": ("0", "0", "0", "", "0", "0", "0"),
    "denied.inquiry": ("0", "0", "0", "", "0", "0", "0"),
    "unavailable.not_held": ("10", "1", "1", "", "0", "0", "12"),
    "unavailable.need_create": ("2", "0", "0", "", "0", "0", "2"),
    "unavailable.unclear": ("1", "0", "0", "", "0", "0", "1"),
    "not_processed.petition": ("3", "0", "0", "", "0", "0", "3"),
    "not_processed.repeat": ("2", "1", "0", "", "0", "0", "3"),
    "not_processed.publication": ("0", "0", "0", "", "0", "0", "0"),
    "not_processed.mass_repeat": ("0", "0", "0", "", "0", "0", "0"),
    "not_processed.confirm": ("0", "0", "0", "", "0", "0", "0"),
    "other.no_correction": ("1", "0", "0", "", "0", "0", "1"),
    "other.no_fee": ("0", "0", "0", "", "0", "0", "0"),
    "other.other": ("2", "0", "0", "", "0", "1", "3"),
    "total": ("49", "5", "1", "", "1", "2", "58"),
    "carried_forward": ("4", "1", "0", "", "1", "0", "6"),
}
# 表四: block → upheld, corrected, other, pending, total. review does not add up (11 <> 0), as printed.
T21_T4 = {
    "review": ("10", "1", "0", "0", "0"),
    "direct": ("0", "0", "0", "1", "1"),
    "after_review": ("0",) * 5,
}
# 表四 of doc_t21 read by OCR, col_key → (confidence, first reading); 0.97 and one reading elsewhere.
# after_review.upheld is below nianbao.ocr.policy.MIN_CELL_CONFIDENCE: TEXT, rule ….ocr_low_confidence.
T21_T4_OCR = {"direct.pending": (0.91, "l"), "after_review.upheld": (0.42, None)}
LOW_CONFIDENCE = "after_review.upheld"
# 表二, 2021: (row, col, raw); 收费金额 printed in 万元
T21_T2 = [
    ("regulations", "issued", "2"), ("regulations", "repealed", "1"), ("regulations", "in_force", "20"),
    ("normative_docs", "issued", "5"), ("normative_docs", "repealed", "1"), ("normative_docs", "in_force", "30"),
    ("licensing", "decisions", "1200"), ("penalty", "decisions", "35"), ("compulsion", "decisions", "0"),
    ("admin_fees", "fee_amount", "1.5"),
]  # fmt: skip
# 表三, 2019, only some rows
T19_T3 = {
    "new": ("8", "2", "0", "0", "0", "0", "10"),
    "carried_over": ("",) * 7,  # wholly blank: unknown, not 0
    "granted": ("5", "0", "0", "0", "0", "0", "/"),  # 总计 NA: unknown
    "partial": ("3", "-", "", "", "", "", ""),  # 总计 blank but an applicant cell NA: unknown
    "other": ("1", "0", "0", "0", "0", "0", "1"),  # 2019: （六） is one row
    "total": ("6", "2", "0", "0", "0", "0", "8"),
    "carried_forward": ("2", "0", "0", "0", "0", "0", "2"),
}

# document_id, source_file, encoding, encoding_rule
DOCUMENTS = [("doc_t21", "t21.pdf", OCR_ENCODING, "ocr"), ("doc_t19", "t19.html", "utf-8", "utf8_strict")]
METADATA = [
    # document_id, agency, admin_level, province, report_year, format_era
    ("doc_t21", "杭州市西湖区人民政府", "county", "浙江省", 2022, "std2021"),
    ("doc_t19", "上海市科委", "department", "上海市", 2019, "std2019"),
]
PROSE = [
    # document_id, fact_no, measure, value, unit
    ("doc_t21", 1, "proactive_total", 120, "条"),
    ("doc_t21", 2, "applications_new", 60, "件"),  # = table
    ("doc_t21", 3, "granted_or_partial", 30, "件"),  # = table 24 + 6
    ("doc_t21", 4, "denied", 4, "件"),  # table 3
    ("doc_t21", 5, "reconsideration_total", 11, "件"),  # table prints 0
    ("doc_t21", 6, "litigation_total", 1, "件"),  # = table 1 + 0
    ("doc_t21", 7, "fees_yuan", 0, "元"),
    ("doc_t19", 1, "applications_new", 10, "件"),
    ("doc_t19", 2, "applications_carried_over", 0, "件"),
    ("doc_t19", 3, "granted", 5, "件"),
]


def _semantic(raw: str) -> tuple[str, float | None]:
    if raw == "":
        return "EMPTY", None
    if raw in ("/", "-"):
        return "NA", None
    number = float(raw)
    return ("ZERO" if number == 0 else "NUMERIC"), number


def _cells() -> list[tuple]:
    rows: list[tuple] = []

    def add(
        doc, table, era, row, col, raw, grid, r, c, *, unit="件", stated=None, factor=1.0, page=None, ocr=None
    ):
        semantic, number = _semantic(raw)
        fmt = "pdf" if page else "html"
        source = f"pdf:p{page} t{grid}/r{r}c{c}" if page else f"html:t{grid}/r{r}c{c}"
        rule = f"{table}.labels.{fmt}"
        confidence, first = ocr or (None, None)
        if col == LOW_CONFIDENCE and ocr:
            semantic, number, rule = "TEXT", None, f"{rule}.ocr_low_confidence"
        rows.append((
            doc, table, row, col, era, f"label {row}", f"label {col}", raw,
            None if number is None else number * factor, semantic, unit, stated, source, grid, r, c, page,
            None, None, rule, PARSER, confidence, first, first is not None,
        ))  # fmt: skip

    for doc, era, grid, page, table in (
        ("doc_t21", "std2021", 1, 3, T21_T3),
        ("doc_t19", "std2019", 0, None, T19_T3),
    ):
        for r, (row, values) in enumerate(table.items(), start=3):
            for c, (col, raw) in enumerate(zip(T3_COLS, values, strict=True), start=3):
                add(doc, "t3", era, row, col, raw, grid, r, c, page=page)
    results = ("upheld", "corrected", "other", "pending", "total")
    for b, (block, values) in enumerate(T21_T4.items()):
        for k, (result, raw) in enumerate(zip(results, values, strict=True)):
            col = f"{block}.{result}"
            ocr = T21_T4_OCR.get(col, (0.97, None))
            add("doc_t21", "t4", "std2021", "all", col, raw, 2, 3, b * 5 + k, page=4, ocr=ocr)
    for r, (row, col, raw) in enumerate(T21_T2, start=1):
        money = col == "fee_amount"
        add("doc_t21", "t2", "std2021", row, col, raw, 0, r, 2, page=2,
            unit="元" if money else "件", stated="万元" if money else None, factor=10000.0 if money else 1.0)  # fmt: skip
    return rows


def _create_staging(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema staging")
        create_staging(con)
        for doc, source_file, encoding, encoding_rule in DOCUMENTS:
            con.execute(
                INSERT_DOCUMENT + "(?, ?, ?, ?, 1000, ?, ?, 0, 'simplified', 0, ?)",
                [
                    doc,
                    f"/corpus/{source_file}",
                    source_file,
                    source_file.rsplit(".", 1)[1],
                    encoding,
                    encoding_rule,
                    PARSER,
                ],
            )
        for doc, agency, level, province, year, era in METADATA:
            con.execute(
                "insert into staging.report_metadata values (?, ?, ?, 'meta.agency', ?, ?, 'meta.province', ?,"
                " 'meta.year_period', ?, null, null, ?, ?)",
                [doc, f"{doc} title", agency, level, province, year, f"{year}年", era, PARSER],
            )
        for doc, no, measure, value, unit in PROSE:
            start = no * 100
            con.execute(
                "insert into staging.prose_facts values (?, ?, ?, ?, ?, false, ?, ?, ?, ?, ?, 'applications', ?,"
                " 10, ?)",
                [doc, no, measure, value, unit, f"sentence {no}", start, start + 2, start + 5, start + 7,
                 f"prose.{measure}", PARSER],
            )  # fmt: skip
        con.executemany(f"insert into staging.table_cells values ({', '.join(['?'] * 24)})", _cells())
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, DbtBuildResult]:
    root = tmp_path_factory.mktemp("dbt_tables")
    warehouse = root / "warehouse.duckdb"
    _create_staging(warehouse)
    result = run_dbt_build(warehouse, target_dir=root / "dbt")
    assert result.success, result.stderr_tail
    return warehouse, result


@pytest.fixture
def con(built):
    con = duckdb.connect(str(built[0]), read_only=True)
    yield con
    con.close()


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _statuses(con, doc: str, prefix: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select check_name, status from marts.check_results where document_id = ? and check_name like ?"
            " order by check_name",
            [doc, prefix + "%"],
        ).fetchall()
    )


# --- the build ----------------------------------------------------------------------------------------


def test_build_warns_only_on_the_source_anomalies(built):
    _, result = built
    assert result.failed_nodes == ()
    assert result.tests_failed == result.tests_errored == result.nodes_skipped == 0
    # every staged cell maps to the crosswalk (not_null_int_table_cells_conformed_measure would warn)
    assert result.warned_nodes == ("identity_holds_check_results",)


# --- report_summary -----------------------------------------------------------------------------------


def test_report_summary_takes_the_table_where_it_gives_the_figure(con):
    rows = _rows(
        con,
        "select source_file, proactive_total, applications_new, applications_carried_over, granted,"
        " partially_granted, denied, unavailable, not_processed, other_handling, responded_total,"
        " carried_forward, reconsideration_total, litigation_total, fees_yuan, checks_failed"
        " from marts.report_summary order by source_file",
    )
    assert rows == [
        {
            # 2019: new / other / total / carried_forward from the table; carried_over (table row blank) and
            # granted (table 总计 NA) from prose; partial (NA applicant cell) and the missing rows unknown
            "source_file": "t19.html", "proactive_total": None, "applications_new": 10.0,
            "applications_carried_over": 0.0, "granted": 5.0, "partially_granted": None, "denied": None,
            "unavailable": None, "not_processed": None, "other_handling": 1.0, "responded_total": 8.0,
            "carried_forward": 2.0, "reconsideration_total": None, "litigation_total": None, "fees_yuan": None,
            "checks_failed": 0,
        },
        {
            # 2021: every application figure from 表三 (partially_granted derived: its 总计 is blank);
            # reconsideration_total 0 as printed although the prose says 11; proactive_total and fees from prose
            "source_file": "t21.pdf", "proactive_total": 120.0, "applications_new": 60.0,
            "applications_carried_over": 4.0, "granted": 24.0, "partially_granted": 6.0, "denied": 3.0,
            "unavailable": 15.0, "not_processed": 6.0, "other_handling": 4.0, "responded_total": 58.0,
            "carried_forward": 6.0, "reconsideration_total": 0.0, "litigation_total": 1.0, "fees_yuan": 0.0,
            # t4_identity_review, table_vs_prose_reconsideration_total, table_vs_prose_denied
            "checks_failed": 3,
        },
    ]  # fmt: skip


def test_report_summary_sources(con):
    sources = _rows(
        con,
        "select document_id, applications_new_source, applications_carried_over_source, partially_granted_source,"
        " other_handling_source, litigation_total_source, proactive_total_source, denied_conflict"
        " from marts.report_summary order by document_id",
    )
    t3 = "pdf:p3 t1"
    assert sources == [
        {
            "document_id": "doc_t19",
            "applications_new_source": "table:t3/new/total@html:t0/r3c9",
            "applications_carried_over_source": "prose:prose.applications_carried_over@200-202",
            "partially_granted_source": None,
            "other_handling_source": "table:t3/other/total@html:t0/r7c9",
            "litigation_total_source": None,
            "proactive_total_source": None,
            "denied_conflict": False,
        },
        {
            "document_id": "doc_t21",
            "applications_new_source": f"table:t3/new/total@{t3}/r3c9",
            "applications_carried_over_source": f"table:t3/carried_over/total@{t3}/r4c9",
            "partially_granted_source": "table:t3/partial/natural_person+commercial+research+social_welfare"
            f"+legal_service+other_org@{t3}/r6c9",
            "other_handling_source": f"table:t3/other.no_correction/total@{t3}/r23c9"
            f" + table:t3/other.no_fee/total@{t3}/r24c9 + table:t3/other.other/total@{t3}/r25c9",
            "litigation_total_source": "table:t4/all/direct.total@pdf:p4 t2/r3c9"
            " + table:t4/all/after_review.total@pdf:p4 t2/r3c14",
            "proactive_total_source": "prose:prose.proactive_total@100-102",
            "denied_conflict": False,  # prose-vs-prose only; prose-vs-table is a check row
        },
    ]


# --- check_results ------------------------------------------------------------------------------------


def test_consistent_2021_table_passes_its_identities(con):
    statuses = _statuses(con, "doc_t21", "t3_")
    assert len(statuses) == 7 + 7 + 25
    assert {k: v for k, v in statuses.items() if v != "PASS"} == {"t3_row_total_partial": "NOT_EVALUABLE"}
    rows = con.execute(
        "select check_name, left_value, right_value, detail from marts.check_results where document_id = 'doc_t21'"
        " and check_name in ('t3_column_identity_total', 't3_column_identity_social_welfare',"
        " 't3_outcome_total_total', 't3_row_total_partial') order by check_name"
    ).fetchall()
    assert rows == [
        ("t3_column_identity_social_welfare", 0.0, 0.0,
         "一 new + 二 carried_over = （七） total + 四 carried_forward [social_welfare]: 0 = 0"),
        ("t3_column_identity_total", 64.0, 64.0,
         "一 new + 二 carried_over = （七） total + 四 carried_forward [total]: 64 = 64"),
        ("t3_outcome_total_total", 58.0, 58.0,
         "granted + partial + Σ denied.1–8 + Σ unavailable.1–3 + Σ not_processed.1–5 + Σ other.1–3"
         " = （七） total [total]: 58 = 58"),
        ("t3_row_total_partial", 6.0, None,
         "not evaluable: partial/total blank (line total derived from the parts: 6)"),
    ]  # fmt: skip


def test_table_that_does_not_add_up_fails_as_a_source_anomaly(con):
    rows = con.execute(
        "select check_name, left_value, right_value, status, detail from marts.check_results"
        " where document_id = 'doc_t21' and check_name like 't4_%' order by check_name"
    ).fetchall()
    assert rows == [
        ("t4_identity_after_review", None, 0.0, "NOT_EVALUABLE",
         "not evaluable: after_review.upheld text (OCR confidence 0.42, too low for a figure)"),
        ("t4_identity_direct", 1.0, 1.0, "PASS",
         "direct.upheld + direct.corrected + direct.other + direct.pending = direct.total: 1 = 1"),
        ("t4_identity_review", 11.0, 0.0, "FAIL",
         "source anomaly (the printed table does not add up; figures kept as printed):"
         " review.upheld + review.corrected + review.other + review.pending = review.total: 11 <> 0"),
    ]  # fmt: skip


def test_table_vs_prose(con):
    rows = con.execute(
        "select check_name, left_value, right_value, status, detail from marts.check_results"
        " where document_id = 'doc_t21' and check_name like 'table_vs_prose_%' and status <> 'NOT_EVALUABLE'"
        " order by check_name"
    ).fetchall()
    assert rows == [
        ("table_vs_prose_applications_new", 60.0, 60.0, "PASS", "prose 60 = table 60"),
        ("table_vs_prose_denied", 4.0, 3.0, "FAIL", "prose 4 (rule prose.denied) <> table 3"),
        ("table_vs_prose_granted_or_partial", 30.0, 30.0, "PASS", "prose 30 = table 30"),
        ("table_vs_prose_litigation_total", 1.0, 1.0, "PASS", "prose 1 = table 1"),
        ("table_vs_prose_reconsideration_total", 11.0, 0.0, "FAIL", "prose 11 (rule prose.reconsideration_total) <> table 0"),
    ]  # fmt: skip
    assert len(_statuses(con, "doc_t21", "table_vs_prose_")) == 13
    assert con.execute(
        "select status from marts.check_results where document_id = 'doc_t21' and check_name = 'applications_balance'"
    ).fetchone() == ("PASS",)


def test_2019_table_with_blank_and_na_cells_is_not_evaluable_not_zero(con):
    statuses = _statuses(con, "doc_t19", "t")
    assert len(statuses) == 7 + 7 + 23 + 3 + 13
    assert "t3_row_total_other" in statuses and "t3_row_total_other.other" not in statuses  # the 2019 rows
    assert {k for k, v in statuses.items() if v == "PASS"} == {
        "t3_row_total_new", "t3_row_total_other", "t3_row_total_total", "t3_row_total_carried_forward",
        "table_vs_prose_applications_new",
    }  # fmt: skip
    assert "FAIL" not in statuses.values()
    details = dict(
        con.execute(
            "select check_name, detail from marts.check_results where document_id = 'doc_t19' and check_name in"
            " ('t3_column_identity_total', 't3_row_total_granted', 't3_row_total_partial', 't4_identity_review',"
            " 'table_vs_prose_applications_carried_over', 'table_vs_prose_granted')"
        ).fetchall()
    )
    assert details == {
        "t3_column_identity_total": "not evaluable: carried_over/total line blank",
        "t3_row_total_granted": "not evaluable: granted/total NA",
        "t3_row_total_partial": "not evaluable: partial/commercial NA, partial/total blank",
        "t4_identity_review": "not evaluable: no 表四 (t4) cells staged for this report",
        "table_vs_prose_applications_carried_over": "not evaluable: the table does not give it: carried_over (line blank)",
        "table_vs_prose_granted": "not evaluable: the table does not give it: granted (total na)",
    }  # fmt: skip


# --- facts --------------------------------------------------------------------------------------------


def test_fct_application_holds_every_cell_and_every_prose_figure(con):
    counts = con.execute(
        "select document_id, source_kind, count(*) from marts.fct_application group by all order by all"
    ).fetchall()
    assert counts == [
        ("doc_t19", "prose", 3), ("doc_t19", "table", 7 * 7),
        ("doc_t21", "prose", 3), ("doc_t21", "table", 25 * 7),
    ]  # fmt: skip
    partial = con.execute(
        "select fact_key, measure, reason, applicant_type, value, value_raw, value_semantic, era,"
        " mapping_confidence, page, grid_row, grid_col, table_source, rule_id, is_chosen"
        " from marts.fct_application where document_id = 'doc_t21' and row_key = 'partial' order by grid_col"
    ).fetchall()
    src = "pdf:p3 t1/r6c"
    assert partial == [
        ("table:t3/partial/natural_person", "partially_granted", None, "natural_person", 5.0, "5", "NUMERIC",
         "std2021", "exact", 3, 6, 3, src + "3", "t3.labels.pdf", True),
        ("table:t3/partial/commercial", "partially_granted", None, "commercial", 1.0, "1", "NUMERIC",
         "std2021", "exact", 3, 6, 4, src + "4", "t3.labels.pdf", True),
        ("table:t3/partial/research", "partially_granted", None, "research", 0.0, "0", "ZERO",
         "std2021", "exact", 3, 6, 5, src + "5", "t3.labels.pdf", True),
        ("table:t3/partial/social_welfare", "partially_granted", None, "social_welfare", None, "", "EMPTY",
         "std2021", "exact", 3, 6, 6, src + "6", "t3.labels.pdf", True),
        ("table:t3/partial/legal_service", "partially_granted", None, "legal_service", 0.0, "0", "ZERO",
         "std2021", "exact", 3, 6, 7, src + "7", "t3.labels.pdf", True),
        ("table:t3/partial/other_org", "partially_granted", None, "other_org", 0.0, "0", "ZERO",
         "std2021", "exact", 3, 6, 8, src + "8", "t3.labels.pdf", True),
        ("table:t3/partial/total", "partially_granted", None, "total", None, "", "EMPTY",
         "std2021", "exact", 3, 6, 9, src + "9", "t3.labels.pdf", False),
    ]  # fmt: skip
    others = con.execute(
        "select row_key, reason, mapping_confidence, value from marts.fct_application"
        " where document_id = 'doc_t21' and measure = 'other_handling' and applicant_type = 'total' order by grid_row"
    ).fetchall()
    assert others == [
        ("other.no_correction", "no_correction", "era_specific", 1.0),
        ("other.no_fee", "no_fee", "era_specific", 0.0),
        ("other.other", "other", "era_specific", 3.0),
    ]
    assert con.execute(
        "select reason, mapping_confidence, value from marts.fct_application"
        " where document_id = 'doc_t19' and row_key = 'other' and applicant_type = 'total'"
    ).fetchall() == [(None, "exact", 1.0)]
    # the prose figure of a measure the table gives is kept, but not chosen; a lump the table cannot give is chosen
    prose = con.execute(
        "select fact_key, fact_no, measure, value, value_semantic, era, rule_rank, sentence, is_chosen"
        " from marts.fct_application where document_id = 'doc_t21' and source_kind = 'prose' order by fact_no"
    ).fetchall()
    assert prose == [
        ("prose:2", 2, "applications_new", 60.0, "NUMERIC", "std2021", 10, "sentence 2", False),
        ("prose:3", 3, "granted_or_partial", 30.0, "NUMERIC", "std2021", 10, "sentence 3", True),
        ("prose:4", 4, "denied", 4.0, "NUMERIC", "std2021", 10, "sentence 4", False),
    ]
    # the 2019 prose granted is chosen: the table's 总计 is NA
    assert con.execute(
        "select is_chosen from marts.fct_application where document_id = 'doc_t19' and fact_key = 'prose:3'"
    ).fetchall() == [(True,)]


def test_fct_appeal_block_by_result(con):
    rows = con.execute(
        "select fact_key, measure, appeal_type, appeal_block, appeal_result, value, is_chosen"
        " from marts.fct_appeal where document_id = 'doc_t21' and (appeal_block = 'review' or source_kind = 'prose')"
        " order by source_kind, fact_no, grid_col"
    ).fetchall()
    assert rows == [
        ("prose:5", "reconsideration_total", "reconsideration", None, None, 11.0, False),
        ("prose:6", "litigation_total", "litigation", None, None, 1.0, False),
        ("table:t4/all/review.upheld", "reconsideration_upheld", "reconsideration", "review", "upheld", 10.0, False),
        ("table:t4/all/review.corrected", "reconsideration_corrected", "reconsideration", "review", "corrected",
         1.0, False),
        ("table:t4/all/review.other", "reconsideration_other", "reconsideration", "review", "other", 0.0, False),
        ("table:t4/all/review.pending", "reconsideration_pending", "reconsideration", "review", "pending", 0.0, False),
        ("table:t4/all/review.total", "reconsideration_total", "reconsideration", "review", "total", 0.0, True),
    ]  # fmt: skip
    assert con.execute(
        "select count(*), count(*) filter (where is_chosen) from marts.fct_appeal where source_kind = 'table'"
    ).fetchone() == (15, 3)  # review.total, direct.total, after_review.total


def test_fct_proactive_disclosure_keeps_2021_measures_distinct(con):
    rows = con.execute(
        "select item, measure, value, unit, unit_stated, mapping_confidence, era from marts.fct_proactive_disclosure"
        " where source_kind = 'table' order by grid_row"
    ).fetchall()
    assert rows == [
        ("regulations", "issued", 2.0, "件", None, "era_specific", "std2021"),
        ("regulations", "repealed", 1.0, "件", None, "era_specific", "std2021"),
        ("regulations", "in_force", 20.0, "件", None, "era_specific", "std2021"),
        ("normative_docs", "issued", 5.0, "件", None, "era_specific", "std2021"),
        ("normative_docs", "repealed", 1.0, "件", None, "era_specific", "std2021"),
        ("normative_docs", "in_force", 30.0, "件", None, "era_specific", "std2021"),
        ("licensing", "decisions", 1200.0, "件", None, "exact", "std2021"),
        ("penalty", "decisions", 35.0, "件", None, "exact", "std2021"),
        ("compulsion", "decisions", 0.0, "件", None, "exact", "std2021"),
        ("admin_fees", "fee_amount", 15000.0, "元", "万元", "era_specific", "std2021"),
    ]
    assert con.execute(
        "select fact_key, measure, item, value, is_chosen from marts.fct_proactive_disclosure"
        " where source_kind = 'prose'"
    ).fetchall() == [("prose:1", "proactive_total", None, 120.0, True)]


# --- OCR provenance -----------------------------------------------------------------------------------


def test_fct_appeal_says_which_figures_ocr_read(con):
    rows = con.execute(
        "select appeal_result, value_raw, value_semantic, value, reading, ocr_confidence, ocr_first_reading, rule_id"
        " from marts.fct_appeal where document_id = 'doc_t21' and appeal_block in ('direct', 'after_review')"
        " and appeal_result in ('upheld', 'pending') order by grid_col"
    ).fetchall()
    assert rows == [
        ("upheld", "0", "ZERO", 0.0, "ocr", 0.97, None, "t4.labels.pdf"),
        ("pending", "1", "NUMERIC", 1.0, "ocr_reread", 0.91, "l", "t4.labels.pdf"),
        ("upheld", "0", "TEXT", None, "ocr", 0.42, None, "t4.labels.pdf.ocr_low_confidence"),
        ("pending", "0", "ZERO", 0.0, "ocr", 0.97, None, "t4.labels.pdf"),
    ]  # fmt: skip
    readings = con.execute(
        "select source_kind, reading, count(*) from marts.fct_application where document_id = 'doc_t21'"
        " group by all order by all"
    ).fetchall()
    assert readings == [("prose", "ocr", 3), ("table", "text_layer", 175)]
    assert con.execute(
        "select distinct reading from marts.fct_application where document_id = 'doc_t19'"
    ).fetchall() == [("text_layer",)]


def test_check_results_say_how_the_cells_they_read_were_read(con):
    rows = con.execute(
        "select check_name, reading, reread_cells from marts.check_results where document_id = 'doc_t21'"
        " and (check_name like 't4_%' or check_name in ('table_vs_prose_reconsideration_total',"
        " 'table_vs_prose_litigation_total', 't3_row_total_new', 'applications_balance',"
        " 'prose_consistency_applications_new')) order by check_name"
    ).fetchall()
    assert rows == [
        ("applications_balance", "text_layer", None),
        ("prose_consistency_applications_new", None, None),
        ("t3_row_total_new", "text_layer", None),
        ("t4_identity_after_review", "ocr", None),
        ("t4_identity_direct", "ocr_reread", "t4/all/direct.pending l → 1"),
        ("t4_identity_review", "ocr", None),
        ("table_vs_prose_litigation_total", "ocr", None),
        ("table_vs_prose_reconsideration_total", "ocr", None),
    ]  # fmt: skip
    # doc_t19 prints no 表四: its 表四 checks read no cell
    assert con.execute(
        "select distinct reading from marts.check_results where document_id = 'doc_t19' and check_name like 't4_%'"
    ).fetchall() == [(None,)]


def test_mart_data_quality_counts_ocr_cells(con):
    rows = con.execute(
        "select report_year, table_cells_ocr, table_cells_ocr_reread, table_cells_ocr_low_confidence"
        " from marts.mart_data_quality order by report_year"
    ).fetchall()
    assert rows == [(2019, 0, 0, 0), (2022, 15, 1, 1)]


# --- the crosswalk seed against the label catalog (no dbt run) -----------------------------------------


def _crosswalk() -> list[dict[str, str]]:
    with (PROJECT_DIR / "seeds" / "table_crosswalk.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_crosswalk_covers_exactly_the_catalog_keys_per_era():
    rows = _crosswalk()
    for era in ("std2019", "std2021"):
        t3 = [r["row_key"] for r in rows if r["table_id"] == "t3" and r["era"] == era]
        assert sorted(t3) == sorted(lab.key for lab in catalog.T3_ROWS if era in lab.eras), era
        assert {r["col_key"] for r in rows if r["table_id"] == "t3"} == {"*"}
        t4 = {r["col_key"] for r in rows if r["table_id"] == "t4" and r["era"] == era}
        assert t4 == {f"{b.key}.{r.key}" for b in catalog.T4_BLOCKS for r in catalog.T4_RESULTS}, era
        t2 = [(r["row_key"], r["col_key"]) for r in rows if r["table_id"] == "t2" and r["era"] == era]
        t2_rows = {lab.key for lab in catalog.T2_ROWS if era in lab.eras}
        t2_cols = {lab.key for lab in catalog.T2_COLS if era in lab.eras}
        assert {row for row, _ in t2} == t2_rows, era
        assert {col for _, col in t2} == t2_cols, era
    assert len(rows) == len({(r["table_id"], r["era"], r["row_key"], r["col_key"]) for r in rows})
    assert len(rows) == len({(r["table_id"], r["era"], r["position"]) for r in rows})


def test_crosswalk_keeps_era_specific_proactive_measures_apart():
    measures = {
        era: {r["conformed_measure"] for r in _crosswalk() if r["table_id"] == "t2" and r["era"] == era}
        for era in ("std2019", "std2021")
    }
    assert measures["std2019"] & measures["std2021"] == {"decisions"}
    assert {"new_published", "prev_items", "change"} <= measures["std2019"]
    assert {"repealed", "fee_amount"} <= measures["std2021"]
    t3 = {
        (r["era"], r["row_key"]): (r["conformed_measure"], r["reason"])
        for r in _crosswalk()
        if r["table_id"] == "t3"
    }
    assert t3[("std2019", "other")] == ("other_handling", "")
    assert t3[("std2021", "other.no_fee")] == ("other_handling", "no_fee")
    assert t3[("std2021", "denied.state_secret")] == ("denied", "state_secret")

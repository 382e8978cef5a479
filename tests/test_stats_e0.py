"""Pre-2019 statistics tables (E0 families): HTML and flattened text → cells by labels, and their crosswalk."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from nianbao.decode import decode_bytes
from nianbao.glossary import MEASURES, PRE2019_MEASURES
from nianbao.normalize import normalize
from nianbao.readers.html_tables import html_grids
from nianbao.tables import stats_e0
from nianbao.tables.stats_e0 import extract_e0_cells
from nianbao.tables.stats_e0_text import e0_text_grids

E0 = Path(__file__).parent / "fixtures" / "e0_tables"


def _text(name: str) -> str:
    return normalize((E0 / name).read_text(encoding="utf-8")).text


def _cells(cells, col_key: str) -> dict[str, float | None]:
    return {c.row_key: c.value_num for c in cells if c.col_key == col_key}


@pytest.fixture(scope="module")
def sh_html():
    return extract_e0_cells(html_grids(decode_bytes((E0 / "e0_sh_2010.html").read_bytes()).text))


@pytest.fixture(scope="module")
def gb_text():
    text = _text("e0_gb_2016.txt")
    return text, extract_e0_cells(e0_text_grids(text))


def test_sh_html_every_row_of_the_form_in_both_columns(sh_html):
    assert len(sh_html) == 70  # the 定西 form's 35 rows × 本期实际 / 本年累计
    assert {c.table for c in sh_html} == {"e0_sh"} and {c.era for c in sh_html} == {"pre2019"}
    period = _cells(sh_html, "period")
    assert period["proactive.total"] == 174 and period["proactive.electronic"] == 170
    assert period["requests.total"] == 12
    channels = ("in_person", "fax", "email", "online", "letter", "other")
    assert [period[f"requests.{k}"] for k in channels] == [3, 0, 1, 6, 2, 0]
    replies = ("replies.total", "replies.granted", "replies.partial", "replies.refused")
    assert [period[k] for k in replies] == [11, 6, 2, 3]
    refused = [period[k] for k in period if k.startswith("replies.refused.")]
    assert len(refused) == 11 and sum(refused) == period["replies.refused"]
    assert (period["reviews.total"], period["suits.total"], period["complaints.total"]) == (1, 0, 0)


def test_sh_html_semantics_units_labels_and_sources(sh_html):
    by = {(c.row_key, c.col_key): c for c in sh_html}
    views = by["visits.page_views", "ytd"]
    assert (views.value_raw, views.value_semantic, views.value_num, views.unit) == ("—", "NA", None, "人次")
    blank = by["complaints.first_handling", "period"]
    assert (blank.value_raw, blank.value_semantic, blank.value_num) == ("", "EMPTY", None)
    granted = by["replies.granted", "period"]
    assert granted.row_label == "对申请的答复总数 / 其中：1.同意公开答复数"
    assert (granted.col_label, granted.unit, granted.rule_id) == ("本期实际", "条", "e0_sh.labels.html")
    assert granted.source == "html:t0/r19c3"
    assert by["reviews.total", "period"].unit == "件"


def test_gb_text_rows_by_label_within_their_section(gb_text):
    _, cells = gb_text
    assert {c.table for c in cells} == {"e0_gb"} and {c.col_key for c in cells} == {"year"}
    year = _cells(cells, "year")
    assert len(year) == 58
    assert year["proactive.total"] == 356 and year["proactive.normative_docs"] == 8
    assert year["normative_docs.issued"] == 9
    assert [year[f"requests.{k}"] for k in ("total", "in_person", "fax", "online", "letter")] == [
        21,
        5,
        0,
        12,
        4,
    ]
    assert [year[k] for k in ("requests.closed", "requests.closed_on_time", "requests.closed_extended")] == [
        20,
        19,
        1,
    ]
    replies = ("already_public", "granted", "partial", "refused", "not_this_agency", "not_exist", "told_amend",
               "told_other_channel")  # fmt: skip
    assert [year[f"replies.{k}"] for k in replies] == [2, 9, 3, 2, 2, 1, 1, 0]
    assert sum(year[f"replies.{k}"] for k in replies) == year["replies.total"] == 20
    # （一）维持… / （二）被依法纠错数 are printed under both 四 and 五: each reads under its own section.
    assert [year[k] for k in ("reviews.total", "reviews.upheld", "reviews.corrected", "reviews.other")] == [
        1,
        1,
        0,
        0,
    ]
    assert [year[k] for k in ("suits.total", "suits.upheld", "suits.corrected", "suits.other")] == [
        0,
        0,
        0,
        0,
    ]
    assert year["responses.press"] == 2 and year["responses.press_head"] == 1
    assert year["responses.interviews"] == 1 and year["responses.interviews_head"] == 1
    assert (year["staff.total"], year["staff.full_time"], year["staff.part_time"]) == (3, 1, 2)
    assert year["meetings.trainees"] == 30


def test_gb_text_money_in_yuan_and_spans_point_at_the_printed_number(gb_text):
    text, cells = gb_text
    by = {c.row_key: c for c in cells}
    fee = by["fees.on_request"]
    assert (fee.value_raw, fee.value_num, fee.unit, fee.unit_stated) == ("0.012", 120.0, "元", "万元")
    assert by["budget.special"].value_num == 15000.0
    assert by["responses.explainers"].unit == "篇"
    for c in cells:
        assert text[c.span_start : c.span_end] == c.value_raw
        assert c.source == f"text:{c.span_start}-{c.span_end}"
    assert by["replies.refused.privacy"].row_label == "4.不同意公开答复数 / 涉及个人隐私"


def test_one_cell_per_line_copy_of_the_shanghai_form():
    cells = extract_e0_cells(e0_text_grids(_text("e0_sh_cell_per_line.txt")))
    period, ytd = _cells(cells, "period"), _cells(cells, "ytd")
    assert len(cells) == 30
    assert period["proactive.total"] == 86 and ytd["proactive.total"] == 86  # not the 代码 01
    assert period["requests.total"] == 4 and period["requests.in_person"] == 1  # not the 代码 10 / 11
    email = [c for c in cells if c.row_key == "requests.email"]
    assert {(c.value_raw, c.value_semantic) for c in email} == {("", "EMPTY")}
    assert (period["reviews.total"], period["suits.total"]) == (0, 0)


def test_fujian_table_keeps_the_cumulative_column_apart_and_an_unplaceable_row_as_text():
    cells = extract_e0_cells(e0_text_grids(_text("e0_fj_2009.txt")))
    assert {c.table for c in cells} == {"e0_fj"}
    year, cumulative = _cells(cells, "year"), _cells(cells, "cumulative")
    assert year["proactive.total"] == 1250 and cumulative["proactive.total"] == 3400
    assert (year["requests.total"], cumulative["requests.total"]) == (12, 30)
    assert (year["replies.granted"], year["replies.partial"], year["replies.refused"]) == (9, 1, 2)
    letter = [
        c for c in cells if c.row_key == "requests.letter"
    ]  # `5.信函申请数 条 1`: one number, two columns
    assert {(c.col_key, c.value_semantic, c.value_num) for c in letter} == {("year", "TEXT", None),
                                                                           ("cumulative", "TEXT", None)}  # fmt: skip
    assert year["requests.other"] == 0  # the next row is not shifted


def test_code_column_is_checked_against_the_form_not_taken_as_a_value():
    head = "指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计 |\n"
    ok = extract_e0_cells(e0_text_grids(head + "申请总数 | 条 | 12 | 12 |\n行政复议数 | 件 | 32 | 1 | 1 |\n"))
    assert {(c.row_key, c.col_key, c.value_num) for c in ok} == {
        ("requests.total", "period", 12), ("requests.total", "ytd", 12),
        ("reviews.total", "period", 1), ("reviews.total", "ytd", 1),
    }  # fmt: skip
    short = extract_e0_cells(
        e0_text_grids(head + "申请总数 | 条 | 10 | 12 |\n")
    )  # 代码 10 printed, one value lost
    assert {(c.col_key, c.value_semantic) for c in short} == {("period", "TEXT"), ("ytd", "TEXT")}


def test_brief_space_separated_rows_with_a_single_value_column():
    cells = extract_e0_cells(
        e0_text_grids("序号 统计指标 单位 统计数\n三、依申请公开情况\n（一）收到申请数 件 12\n")
    )
    assert [(c.table, c.row_key, c.col_key, c.value_num, c.unit) for c in cells] == [
        ("e0_gb", "requests.total", "year", 12, "件")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # prose naming the indicators, no table header
        "2010年，本机关申请总数12条，对申请的答复总数11条，行政复议数1件。",
        # a local variant whose value columns are split by level: no column is the year's 统计数
        "| 序号 | 统计指标 | 单位 | 区政府统计数 | 区直单位统计数 |\n| 1 | （一）收到申请数 | 件 | 3 | 4 |\n",
        # a 2019+ 表三 in flattened text
        "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n",
    ],
)
def test_no_e0_cells_without_an_e0_header(text):
    assert e0_text_grids(normalize(text).text) == []


def test_prose_after_the_table_ends_it():
    text = "指标名称 计量单位 2009年度 历年累计\n行政复议数 件 0 0\n本年度政府信息不存在的申请3件，已告知申请人。\n行政诉讼数 件 5 5\n"
    cells = extract_e0_cells(e0_text_grids(text))
    assert {c.row_key for c in cells} == {"reviews.total"}


def test_crosswalk_reads_a_years_measure_only_from_the_years_column():
    rows = stats_e0.crosswalk_rows()
    assert {(r["table_id"], r["col_key"]) for r in rows} == {
        ("e0_sh", "period"),
        ("e0_fj", "year"),
        ("e0_gb", "year"),
    }
    assert {r["era"] for r in rows} == {"pre2019"}
    assert {r["mapping_confidence"] for r in rows} <= {"exact", "approximate", "era_specific"}
    by = {(r["table_id"], r["row_key"]): r for r in rows}
    assert by["e0_gb", "requests.total"]["conformed_measure"] == "applications_new"
    assert by["e0_sh", "replies.granted"]["mapping_confidence"] == "exact"
    # 否决公开答复总数 counts 信息不存在 / 非本部门掌握: never the 2019+ 不予公开 (denied).
    assert by["e0_sh", "replies.refused"]["conformed_measure"] == "refused_pre2019"
    assert by["e0_sh", "replies.refused"]["mapping_confidence"] == "era_specific"
    assert by["e0_gb", "replies.refused"]["conformed_measure"] == "denied"
    assert by["e0_gb", "replies.already_public"]["conformed_measure"] == "already_public"
    assert by["e0_gb", "fees.on_request"]["conformed_measure"] == "fees_yuan"


def test_dbt_seed_and_macro_are_the_python_catalog():
    dbt = Path(__file__).parent.parent / "dbt_project"
    with (dbt / "seeds" / "table_crosswalk.csv").open(encoding="utf-8", newline="") as f:
        seeded = [r for r in csv.DictReader(f) if r["table_id"].startswith("e0_")]
    assert seeded == stats_e0.crosswalk_rows()
    macro = (dbt / "macros" / "e0_tables.sql").read_text(encoding="utf-8")
    listed = [
        (t, k, tuple(re.findall(r"'([\w.]+)'", parts)))
        for t, k, parts in re.findall(r"\('(e0_\w+)', '([\w.]+)', \[([^\]]*)\]\)", macro)
    ]
    assert listed == stats_e0.sum_identities()
    assert re.search(r"return\(\[([^\]]*)\]\)", macro).group(1) == ", ".join(
        f"'{f}'" for f in stats_e0.FAMILIES
    )


def test_a_page_number_line_between_rows_is_not_a_value():
    text = "指标名称 计量单位 2009年度 历年累计\n行政复议数 件 0 0\n- 3 -\n行政诉讼数 件 1 2\n"
    cells = extract_e0_cells(e0_text_grids(text))
    assert {(c.row_key, c.col_key, c.value_num) for c in cells} == {
        ("reviews.total", "year", 0), ("reviews.total", "cumulative", 0),
        ("suits.total", "year", 1), ("suits.total", "cumulative", 2),
    }  # fmt: skip


def test_every_e0_measure_is_a_summary_measure_a_table_measure_or_a_pre2019_glossary_entry():
    dbt = Path(__file__).parent.parent / "dbt_project"
    with (dbt / "seeds" / "table_crosswalk.csv").open(encoding="utf-8", newline="") as f:
        statutory = {r["conformed_measure"] for r in csv.DictReader(f) if r["table_id"] == "t4"}
    known = set(MEASURES) | set(PRE2019_MEASURES) | statutory
    e0 = {r["conformed_measure"]: r["mapping_confidence"] for r in stats_e0.crosswalk_rows()}
    assert set(e0) <= known
    assert not set(PRE2019_MEASURES) & set(MEASURES)  # a distinct measure is never a report_summary column
    assert set(PRE2019_MEASURES) <= set(e0)


def test_an_e0_table_makes_the_report_pre2019_and_2019_wording_does_not():
    from nianbao.tables.era import report_era

    headings = [
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
        "五、政府信息公开行政复议、行政诉讼情况",
    ]
    assert report_era(_text("e0_fj_2009.txt"), headings, None) == "pre2019"
    assert report_era("指标名称 计量单位 代码 本期实际 本年累计", headings, None) == "pre2019"
    # 2019+ prose with 部分公开 / 不予公开 is not an E0 table
    assert report_era("予以公开10件，部分公开2件，不予公开1件。", headings, 2020) == "std2019"


def test_docx_table_with_a_merged_header_is_read_by_the_same_labels(tmp_path):
    import docx

    from nianbao.readers.docx import read_docx

    doc = docx.Document()
    doc.add_paragraph("附表：2009年政府信息公开情况统计表")
    rows = [
        ("主动公开信息数", "条", "1250", "3400"),
        ("行政复议数", "件", "0", "0"),
        ("行政诉讼数", "件", "2", ""),
    ]
    table = doc.add_table(rows=2 + len(rows), cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "指标名称"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "计量单位"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "数量"
    table.cell(1, 2).text, table.cell(1, 3).text = "2009年度", "历年累计"
    for r, values in enumerate(rows, 2):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    path = tmp_path / "e0_fj.docx"
    doc.save(path)
    cells = extract_e0_cells(read_docx(path).grids)
    assert {(c.table, c.row_key, c.col_key, c.value_semantic, c.value_num) for c in cells} == {
        ("e0_fj", "proactive.total", "year", "NUMERIC", 1250), ("e0_fj", "proactive.total", "cumulative", "NUMERIC", 3400),
        ("e0_fj", "reviews.total", "year", "ZERO", 0), ("e0_fj", "reviews.total", "cumulative", "ZERO", 0),
        ("e0_fj", "suits.total", "year", "NUMERIC", 2), ("e0_fj", "suits.total", "cumulative", "EMPTY", None),
    }  # fmt: skip

"""HTML tables → grids (spans expanded, nested tables apart) → cells, on two hand-written report pages.

`std2019_shanghai.html` follows the 2019 trial format with the [SH19] figures (GBK, blank 总计 cells, `–`
in 表四); `std2021_county.html` follows the 2021 format inside a page-frame layout table, with blank,
`&nbsp;`, `/` and `—` cells and one deliberate row-total anomaly. tests/fixtures/html_tables/README.md
lists every figure.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from nianbao.decode import decode_bytes
from nianbao.html_extract import extract_report_text
from nianbao.ingest import Document, read_document
from nianbao.parse import parse_text
from nianbao.readers.html_tables import html_grids
from nianbao.tables.grid import Grid
from tests.helpers import T3_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "html_tables"
SH19 = FIXTURES / "std2019_shanghai.html"
COUNTY21 = FIXTURES / "std2021_county.html"

T3_COLS = T3_COLUMNS
T4_COLS = tuple(
    f"{block}.{result}"
    for block in ("review", "direct", "after_review")
    for result in ("upheld", "corrected", "other", "pending", "total")
)


def _page(path: Path) -> str:
    return decode_bytes(path.read_bytes()).text


@pytest.fixture(scope="module")
def sh19() -> list[Grid]:
    return html_grids(_page(SH19))


@pytest.fixture(scope="module")
def county21() -> list[Grid]:
    return html_grids(_page(COUNTY21))


def _origins(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return [
        (c.row, c.col, c.rowspan, c.colspan, c.text)
        for r, row in enumerate(grid.rows)
        for k, c in enumerate(row)
        if c is not None and grid.is_origin(r, k)
    ]


def _row_texts(grid: Grid, r: int) -> list[str]:
    return [grid.text_at(r, c) for c in range(grid.width)]


# ---------------------------------------------------------------- the 2019 page (GBK, [SH19] figures)


def test_sh19_page_is_gbk_and_decodes_through_its_gb2312_meta():
    raw = SH19.read_bytes()
    assert b'<meta charset="gb2312">' in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = decode_bytes(raw)
    assert (decoded.encoding, decoded.rule, decoded.replacement_count) == ("gb18030", "declared", 0)
    assert "予以公开及部分公开258件" in extract_report_text(decoded.text)


def test_sh19_three_tables_with_their_grid_shapes(sh19):
    assert [(g.index, len(g.rows), g.width, g.fmt, g.notes) for g in sh19] == [
        (0, 18, 4, "html", []),
        (1, 26, 10, "html", []),
        (2, 4, 15, "html", []),
    ]


def test_sh19_t2_has_22_value_cells_with_signed_change_and_inline_unit(sh19):
    t2 = sh19[0]
    assert _row_texts(t2, 6) == ["行政许可", "2862", "+1036", "1590322"]
    assert _row_texts(t2, 7) == ["其他对外管理服务事项", "457", "-3", "0"]
    assert _origins(t2)[-3:] == [
        (17, 0, 1, 1, "政府集中采购"),
        (17, 1, 1, 1, "14"),
        (17, 2, 1, 2, "251000元"),
    ]
    captions = [(r, t2.rows[r][0].text) for r in range(len(t2.rows)) if t2.rows[r][0].colspan == 4]
    assert captions == [
        (0, "第二十条第（一）项"),
        (4, "第二十条第（五）项"),
        (8, "第二十条第（六）项"),
        (12, "第二十条第（八）项"),
        (15, "第二十条第（九）项"),
    ]


def test_sh19_t3_spans_are_expanded_and_six_is_one_row(sh19):
    t3 = sh19[1]
    labels = [o for o in _origins(t3) if o[1] < 3]
    assert labels[:3] == [
        (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (3, 0, 1, 3, "一、本年新收政府信息公开申请数量"),
        (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
    ]
    assert (5, 0, 20, 1, "三、本年度办理结果") in labels
    assert (7, 1, 8, 1, "（三）不予公开") in labels
    assert (15, 1, 3, 1, "（四）无法提供") in labels
    assert (18, 1, 5, 1, "（五）不予处理") in labels
    assert (23, 1, 1, 2, "（六）其他处理") in labels
    assert (24, 1, 1, 2, "（七）总计") in labels
    assert (25, 0, 1, 3, "四、结转下年度继续办理") in labels
    merged = t3.rows[5][0]
    assert all(t3.rows[r][0] is merged for r in range(5, 25))
    assert not t3.is_origin(24, 0) and t3.rows[25][0] is not merged
    assert merged.source == "html:t1/r5c0"
    assert _row_texts(t3, 2)[3:] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_sh19_t3_total_column_is_blank_for_most_outcome_rows(sh19):
    t3 = sh19[1]
    total = [t3.text_at(r, 9) for r in range(3, 26)]
    assert total == ["859", "18", "201", "57", *[""] * 17, "805", "72"]
    assert _row_texts(t3, 13)[2:] == ["7.属于行政执法案卷", "6", "0", "0", "0", "2", "0", ""]


def test_sh19_t4_row_is_exactly_as_quoted(sh19):
    t4 = sh19[2]
    assert _row_texts(t4, 3) == ["5", "–", "–", "2", "7", "8", "–", "–", "1", "9", "", "", "", "", ""]
    assert _origins(t4)[:7] == [
        (0, 0, 1, 5, "行政复议"),
        (0, 5, 1, 10, "行政诉讼"),
        (1, 0, 2, 1, "结果维持"),
        (1, 1, 2, 1, "结果纠正"),
        (1, 2, 2, 1, "其他结果"),
        (1, 3, 2, 1, "尚未审结"),
        (1, 4, 2, 1, "总计"),
    ]


# ---------------------------------------------------------------- the 2021 page (layout table, nested)


def test_county21_layout_table_comes_first_and_holds_the_tables_as_separate_grids(county21):
    assert [(g.index, len(g.rows), g.width) for g in county21] == [
        (0, 2, 2),
        (1, 14, 4),
        (2, 28, 10),
        (3, 4, 15),
        (4, 1, 2),
    ]
    frame = county21[0]
    assert frame.notes == ["nested table t1 in r1c1", "nested table t2 in r1c1", "nested table t3 in r1c1"]
    content = frame.rows[1][1].text
    assert content.startswith(
        "青山县人民政府2021年政府信息公开工作年度报告 发布时间：2022-01-28 来源：县政府办公室"
    )
    assert "其中予以公开24件，部分公开5件" in content
    for inner_text in ("第二十条第（一）项", "申请人情况", "未经复议直接起诉", "12873", "逾期不补正"):
        assert inner_text not in content  # not duplicated from the nested tables
    assert "四、政府信息公开行政复议、行政诉讼情况 全年发生政府信息公开行政复议1件" in content
    assert _row_texts(county21[4], 0) == ["主办：青山县人民政府办公室", "联系电话：0000-1234567"]


def test_county21_nbsp_blank_slash_and_dash_are_kept_as_text(county21):
    t2, t3, t4 = county21[1:4]
    assert _row_texts(t2, 2) == ["规章", "/", "/", "/"]
    assert _row_texts(t2, 10) == ["行政强制", "", "", ""]
    assert (10, 1, 1, 3, "") in _origins(t2)
    assert _row_texts(t2, 13) == ["行政事业性收费", "2316.42", "2316.42", "2316.42"]
    rows = {t3.text_at(r, 2): _row_texts(t3, r)[3:] for r in range(7, 26)}
    assert rows["3.要求提供公开出版物"] == [""] * 7  # &nbsp;
    assert rows["4.无正当理由大量反复申请"] == [""] * 7  # <td></td>
    assert rows["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] == ["—"] * 7
    assert rows["3.其他"] == ["/"] * 7
    assert _row_texts(t4, 3) == ["1", "0", "0", "0", "1", "2", "0", "1", "0", "3", "0", "—", "—", "0", "0"]


def test_county21_t3_spans_and_br_in_headers(county21):
    t3 = county21[2]
    labels = {o for o in _origins(t3) if o[1] < 3 and o[0] >= 3}
    assert {
        (5, 0, 22, 1, "三、本年度办理结果"),
        (7, 1, 8, 1, "（三）不予公开"),
        (15, 1, 3, 1, "（四）无法提供"),
    } <= labels
    assert {
        (18, 1, 5, 1, "（五）不予处理"),
        (23, 1, 3, 1, "（六）其他处理"),
        (26, 1, 1, 2, "（七）总计"),
    } <= labels
    assert len([o for o in labels if o[1] == 2 or o[3] >= 2]) == 25  # one label cell per data row
    assert _row_texts(t3, 2)[4:6] == ["商业 企业", "科研 机构"]  # <br/> inside a cell is a space
    assert t3.rows[27][9].source == "html:t2/r27c9"


# ---------------------------------------------------------------- malformed markup


def test_rowspan_zero_and_absurd_spans_are_clamped():
    html = (
        "<table><tr><td rowspan=0>a</td><td colspan=9999>b</td></tr>"
        "<tr><td>c</td></tr><tr><td rowspan=40>d</td></tr></table>"
    )
    (g,) = html_grids(html)
    assert (len(g.rows), g.width) == (3, 2)
    assert _origins(g) == [(0, 0, 3, 1, "a"), (0, 1, 1, 1, "b"), (1, 1, 1, 1, "c"), (2, 1, 1, 1, "d")]
    assert g.notes == ["rowspan clamped r2c1: 40 -> 1", "colspan clamped r0c1: 1000 -> 1"]


def test_overlapping_spans_are_cut_at_the_first_taken_slot():
    html = "<table><tr><td>a</td><td rowspan=2>b</td><td>c</td></tr><tr><td colspan=3>d</td><td>e</td></tr></table>"
    (g,) = html_grids(html)
    assert _origins(g) == [
        (0, 0, 1, 1, "a"),
        (0, 1, 2, 1, "b"),
        (0, 2, 1, 1, "c"),
        (1, 0, 1, 1, "d"),
        (1, 2, 1, 1, "e"),
    ]
    assert g.notes == ["overlapping span r1c0: 1x3 -> 1x1"]


def test_cells_outside_rows_breaks_hidden_text_and_xml_declaration():
    html = (
        '<?xml version="1.0" encoding="gb2312"?><html><body><table><td>x</td><td>y</td>'
        "<tr><td><p>一、本年新收</p><p>政府信息</p>公开<br>申请数量<span style='display:none'>99</span></td>"
        "<td>&nbsp;&#12288;</td></tr></table></body></html>"
    )
    (g,) = html_grids(html)
    assert [_row_texts(g, r) for r in range(2)] == [["x", "y"], ["一、本年新收 政府信息 公开 申请数量", ""]]


def test_row_groups_bound_rowspan_and_captions_are_noted():
    html = (
        "<table><caption>表三</caption><thead><tr><td rowspan=5>h</td><td>1</td></tr></thead>"
        "<tbody><tr><td>2</td><td>3</td></tr></tbody></table>"
    )
    (g,) = html_grids(html)
    assert _origins(g) == [(0, 0, 1, 1, "h"), (0, 1, 1, 1, "1"), (1, 0, 1, 1, "2"), (1, 1, 1, 1, "3")]
    assert g.notes == ["caption: 表三", "rowspan clamped r0c0: 5 -> 1"]


def test_pages_without_tables_and_empty_input_give_no_grids():
    assert html_grids("") == []
    assert html_grids("<html><body><p>本机关2019年未收到政府信息公开申请。</p></body></html>") == []
    (g,) = html_grids("<table></table>")
    assert (g.rows, g.width) == ([], 0)


# ---------------------------------------------------------------- cells (extract_cells on the grids)


def _expect(raw: str) -> tuple[str, float | None]:
    """What the spec says a printed cell means (report_formats.md §6), for the plain integer/blank/NA cells."""
    if raw == "":
        return "EMPTY", None
    if raw in ("/", "—", "–"):
        return "NA", None
    return ("ZERO" if int(raw) == 0 else "NUMERIC"), float(int(raw))


SH19_T3: dict[str, tuple[str, ...]] = {
    "new": ("812", "31", "0", "2", "11", "3", "859"),
    "carried_over": ("17", "1", "0", "0", "0", "0", "18"),
    "granted": ("180", "14", "0", "1", "4", "2", "201"),
    "partial": ("50", "4", "0", "0", "2", "1", "57"),
    "denied.state_secret": ("2", "0", "0", "0", "0", "0", ""),
    "denied.law_forbidden": ("1", "0", "0", "0", "0", "0", ""),
    "denied.three_security": ("0", "0", "0", "0", "0", "0", ""),
    "denied.third_party": ("3", "2", "0", "0", "0", "0", ""),
    "denied.internal_affairs": ("4", "0", "0", "0", "0", "0", ""),
    "denied.process_info": ("9", "1", "0", "0", "0", "0", ""),
    "denied.enforcement_file": ("6", "0", "0", "0", "2", "0", ""),
    "denied.inquiry": ("5", "0", "0", "0", "0", "0", ""),
    "unavailable.not_held": ("300", "6", "0", "1", "1", "0", ""),
    "unavailable.need_create": ("20", "1", "0", "0", "0", "0", ""),
    "unavailable.unclear": ("25", "0", "0", "0", "0", "0", ""),
    "not_processed.petition": ("120", "1", "0", "0", "0", "0", ""),
    "not_processed.repeat": ("20", "1", "0", "0", "0", "0", ""),
    "not_processed.publication": ("3", "0", "0", "0", "0", "0", ""),
    "not_processed.mass_repeat": ("10", "0", "0", "0", "0", "0", ""),
    "not_processed.confirm": ("3", "0", "0", "0", "0", "0", ""),
    "other": ("0", "0", "0", "0", "0", "0", ""),
    "total": ("761", "30", "0", "2", "9", "3", "805"),
    "carried_forward": ("68", "2", "0", "0", "2", "0", "72"),
}
SH19_T2 = [
    ("regulations", "new_made", "9", "NUMERIC", 9.0),
    ("regulations", "new_published", "9", "NUMERIC", 9.0),
    ("regulations", "total_published", "298", "NUMERIC", 298.0),
    ("normative_docs", "new_made", "41", "NUMERIC", 41.0),
    ("normative_docs", "new_published", "41", "NUMERIC", 41.0),
    ("normative_docs", "total_published", "1275", "NUMERIC", 1275.0),
    ("licensing", "prev_items", "2862", "NUMERIC", 2862.0),
    ("licensing", "change", "+1036", "NUMERIC", 1036.0),
    ("licensing", "decisions", "1590322", "NUMERIC", 1590322.0),
    ("other_services", "prev_items", "457", "NUMERIC", 457.0),
    ("other_services", "change", "-3", "NUMERIC", -3.0),
    ("other_services", "decisions", "0", "ZERO", 0.0),
    ("penalty", "prev_items", "3268", "NUMERIC", 3268.0),
    ("penalty", "change", "-112", "NUMERIC", -112.0),
    ("penalty", "decisions", "3985758", "NUMERIC", 3985758.0),
    ("compulsion", "prev_items", "296", "NUMERIC", 296.0),
    ("compulsion", "change", "0", "ZERO", 0.0),
    ("compulsion", "decisions", "2014", "NUMERIC", 2014.0),
    ("admin_fees", "prev_items", "61", "NUMERIC", 61.0),
    ("admin_fees", "change", "-2", "NUMERIC", -2.0),
    ("procurement", "procurement_count", "14", "NUMERIC", 14.0),
    ("procurement", "procurement_amount", "251000元", "NUMERIC", 251000.0),  # yuan
]
SH19_T4 = ("5", "–", "–", "2", "7", "8", "–", "–", "1", "9", "", "", "", "", "")

COUNTY21_T3: dict[str, tuple[str, ...]] = {
    "new": ("64", "5", "0", "0", "2", "1", "72"),
    "carried_over": ("2", "0", "0", "0", "0", "0", "2"),
    "granted": ("21", "2", "0", "0", "1", "0", "24"),
    "partial": ("4", "1", "0", "0", "0", "0", "5"),
    "denied.state_secret": ("0", "0", "0", "0", "0", "0", "0"),
    "denied.law_forbidden": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.three_security": ("0", "0", "0", "0", "0", "0", "0"),
    "denied.third_party": ("2", "0", "0", "0", "0", "0", "2"),
    "denied.internal_affairs": ("0", "0", "0", "0", "0", "0", "0"),
    "denied.process_info": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.enforcement_file": ("1", "0", "0", "0", "0", "0", "1"),
    "denied.inquiry": ("3", "0", "0", "0", "0", "0", "3"),
    "unavailable.not_held": ("17", "1", "0", "0", "1", "0", "18"),  # source anomaly: the row sums to 19
    "unavailable.need_create": ("2", "0", "0", "0", "0", "0", "2"),
    "unavailable.unclear": ("3", "0", "0", "0", "0", "1", "4"),
    "not_processed.petition": ("5", "0", "0", "0", "0", "0", "5"),
    "not_processed.repeat": ("2", "0", "0", "0", "0", "0", "2"),
    "not_processed.publication": ("",) * 7,  # &nbsp;
    "not_processed.mass_repeat": ("",) * 7,  # <td></td>
    "not_processed.confirm": ("1", "0", "0", "0", "0", "0", "1"),
    "other.no_correction": ("2", "1", "0", "0", "0", "0", "3"),
    "other.no_fee": ("—",) * 7,
    "other.other": ("/",) * 7,
    "total": ("65", "5", "0", "0", "2", "1", "73"),
    "carried_forward": ("1", "0", "0", "0", "0", "0", "1"),
}
COUNTY21_T2 = [
    ("regulations", "issued", "/", "NA", None),
    ("regulations", "repealed", "/", "NA", None),
    ("regulations", "in_force", "/", "NA", None),
    ("normative_docs", "issued", "6", "NUMERIC", 6.0),
    ("normative_docs", "repealed", "2", "NUMERIC", 2.0),
    ("normative_docs", "in_force", "37", "NUMERIC", 37.0),
    ("licensing", "decisions", "12873", "NUMERIC", 12873.0),
    ("penalty", "decisions", "1046", "NUMERIC", 1046.0),
    ("compulsion", "decisions", "", "EMPTY", None),  # &nbsp;
    ("admin_fees", "fee_amount", "2316.42", "NUMERIC", 23164200.0),  # 万元 in the header → yuan
]
COUNTY21_T4 = ("1", "0", "0", "0", "1", "2", "0", "1", "0", "3", "0", "—", "—", "0", "0")


def _expected(t2: list, t3: dict[str, tuple[str, ...]], t4: tuple[str, ...]) -> dict:
    out = {("t2", row, col): (raw, sem, num) for row, col, raw, sem, num in t2}
    out |= {
        ("t3", row, col): (raw, *_expect(raw))
        for row, vals in t3.items()
        for col, raw in zip(T3_COLS, vals, strict=True)
    }
    out |= {("t4", "all", col): (raw, *_expect(raw)) for col, raw in zip(T4_COLS, t4, strict=True)}
    return out


def _cells(path: Path) -> list:
    cells = pytest.importorskip("nianbao.tables.cells")
    page = _page(path)
    return cells.extract_cells(html_grids(page), extract_report_text(page))


@pytest.mark.parametrize(
    ("path", "era", "expected", "n"),
    [
        (SH19, "std2019", _expected(SH19_T2, SH19_T3, SH19_T4), 22 + 23 * 7 + 15),
        (COUNTY21, "std2021", _expected(COUNTY21_T2, COUNTY21_T3, COUNTY21_T4), 10 + 25 * 7 + 15),
    ],
    ids=["sh19", "county21"],
)
def test_every_cell_of_the_three_tables(path, era, expected, n):
    cells = _cells(path)
    got = {(c.table, c.row_key, c.col_key): (c.value_raw, c.value_semantic, c.value_num) for c in cells}
    assert len(cells) == len(got) == n
    assert got == expected
    assert {c.era for c in cells} == {era}


def test_cells_point_back_to_their_grid_positions():
    by_key = {(c.table, c.row_key, c.col_key): c for c in _cells(SH19)}
    assert by_key[("t3", "new", "total")].source == "html:t1/r3c9"
    assert by_key[("t3", "other", "natural_person")].source == "html:t1/r23c3"
    assert by_key[("t4", "all", "after_review.total")].source == "html:t2/r3c14"
    assert by_key[("t2", "procurement", "procurement_amount")].source == "html:t0/r17c2"
    county = {(c.table, c.row_key, c.col_key): c for c in _cells(COUNTY21)}
    assert county[("t2", "admin_fees", "fee_amount")].source == "html:t1/r13c1"
    assert county[("t3", "other.other", "research")].source == "html:t2/r25c5"


def test_a_table_that_would_expand_past_the_slot_cap_is_not_expanded():
    html = "<table><tr><td colspan=999></td><td>x</td></tr>" + "<tr><td>y</td></tr>" * 1500 + "</table>"
    (g,) = html_grids(html)
    assert (g.rows, g.notes) == ([], ["not expanded: 1501 rows x 1000 columns"])


def test_a_page_nested_deeper_than_255_keeps_its_tables_and_text():
    # libxml2 stops building the tree at depth 255 without a word unless `huge_tree` is on (then 2 047)
    deep = "<span>" * 300 + "说明" + "</span>" * 300
    html = (
        f"<html><body><div id=zoom><p>{deep}</p><table><tr><td>收到申请</td><td>5</td></tr></table>"
        "<p>其他</p></div></body></html>"
    )
    (g,) = html_grids(html)
    assert (g.text_at(0, 0), g.text_at(0, 1)) == ("收到申请", "5")
    assert extract_report_text(html) == "说明\n收到申请 | 5\n其他"
    deeper = "<html><body><p>前言</p><p>" + "<b>" * 1500 + "正文" + "</b>" * 1500 + "</p></body></html>"
    assert extract_report_text(deeper) == "前言\n正文"  # deeper than Python recursion goes


def test_the_readers_grids_parse_as_their_stored_json():
    """`read_document` hands the parse its reader's grid objects (no JSON round trip in one process); a
    Document rebuilt from its stored fields decodes `grids_json` instead: the same grids, the same cells."""
    doc = read_document(COUNTY21)
    assert isinstance(doc, Document)
    stored = Document(**asdict(doc))
    assert "grids" not in asdict(doc) and stored == doc and "grids" not in vars(stored)
    assert [g.to_json() for g in doc.grids] == [g.to_json() for g in stored.grids]
    via_objects = parse_text(doc.document_id, doc.normalized_text, doc.grids)
    via_json = parse_text(doc.document_id, doc.normalized_text, stored.grids)
    assert via_objects == via_json and len(via_objects.cells) > 100


def test_cell_text_is_the_same_read_shallow_or_walked_deep():
    shallow = "a<!--c-->b<?pi x?>c<p>d<span style='display:none'>h</span><b>e<i>f</i></b></p>t<br>u<script>x</script>w"
    deep = shallow.replace("<i>f</i>", "<i>f<u>g<s>deep</s></u></i>")  # past SHALLOW_CELL: walked
    grid = html_grids(f"<table><tr><td>{shallow}</td><td>{deep}</td></tr></table>")[0]
    assert [grid.text_at(0, 0), grid.text_at(0, 1)] == ["abc def t uw", "abc defgdeep t uw"]


def test_a_page_keeps_its_characters_whatever_its_meta_charset_says():
    """`parse_html` hands libxml2 UTF-8 bytes and names the encoding: a GB charset in the page (the page
    was decoded already) must not make it read them as GBK."""
    html = '<html><head><meta charset="gbk"></head><body><p>政府信息公开 ü</p><p>\U0001f600</p></body></html>'
    assert extract_report_text(html) == "政府信息公开 ü\n\U0001f600"
    assert html_grids("<table><tr><td>依申请公开</td></tr></table>")[0].text_at(0, 0) == "依申请公开"


def test_hidden_only_where_one_style_says_so():
    """A table's styles are tested as one string: a style ending in `display` and the next starting with
    `:none` hide nothing; `DISPLAY : NONE` hides its cell's text; a row hidden by attribute is left out."""
    html = (
        "<table><tr><td><span style='x;display'>甲</span><span style=':none'>乙</span></td>"
        "<td><span style='DISPLAY : NONE'>丙</span>丁</td></tr><tr hidden><td>戊</td></tr></table>"
    )
    (g,) = html_grids(html)
    assert (len(g.rows), g.text_at(0, 0), g.text_at(0, 1)) == (1, "甲乙", "丁")
    assert (
        html_grids(html.replace(" hidden", "").replace("DISPLAY : NONE", "color:red"))[0].text_at(1, 0)
        == "戊"
    )

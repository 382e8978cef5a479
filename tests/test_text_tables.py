"""Statutory tables rebuilt from flattened text (`nianbao.tables.flattened`).

Fixtures (tests/fixtures/text_tables/), run through `normalize` first as the pipeline does:
- aggregated_2024_section3_fragment.txt: a large aggregated 2024 report's section 3 (PDF text, 2021
  format): vertical 三、本年度办理结果, split header words, a label broken over two lines, a page number.
- hongze_2023_textlayer.txt: the pdfplumber text layer of corpus/hongze_2023.pdf (all pages): numbers on
  the line before, after or in the middle of their label, vertical labels in front of row labels, a typo
  (其他法律行政止公开), a jumbled header, page numbers between rows, and （六）其他处理 as one row.
- erdao_fwzs_2022.txt / guanzhou_jd_2023.txt: scraped pages (one cell per line with `|`, and one row per
  line), both cut off mid-table.

Expected values below were read by hand from the fixture text, not from parser output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.normalize import normalize
from nianbao.tables.catalog import T3_COLUMNS
from nianbao.tables.catalog import T4_RESULT_LABELS as T4_RESULTS
from nianbao.tables.flattened import text_grids
from nianbao.tables.grid import Cell, Grid
from tests.helpers import T3_COLUMNS as T3_COLUMN_KEYS

FIX = Path(__file__).resolve().parent / "fixtures" / "text_tables"
ZEROS = "0 0 0 0 0 0 0"
T3_TABLE = "t3"


def load(name: str) -> str:
    return normalize((FIX / name).read_text(encoding="utf-8")).text


def kind(grid: Grid) -> str:
    return {10: "t3", 15: "t4"}.get(grid.width, "t2")


def by_kind(grids: list[Grid]) -> dict[str, Grid]:
    out: dict[str, Grid] = {}
    for g in grids:
        out.setdefault(kind(g), g)
    return out


FIRST_VALUE = {"t2": 1, "t3": 3, "t4": 0}


def _distinct(cells: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for c in cells:
        if c is not None and all(c is not o for o in out):
            out.append(c)
    return out


def data_rows(grid: Grid) -> list[tuple[tuple[str, ...], list[Cell]]]:
    """(label path, value cells) for each data row; header, caption and 信息内容 rows left out."""
    first = FIRST_VALUE[kind(grid)]
    out = []
    for r, row in enumerate(grid.rows):
        labels = _distinct(row[:first])
        values = [c for c in _distinct(row[first:]) if c.row == r]
        if kind(grid) == "t4":
            if values and values[0].span_start is not None:
                out.append(((), values))
            continue
        if not labels or labels[0].source.startswith("text:header"):
            continue
        if labels[-1].text.startswith("第二十条") or labels[-1].text == "信息内容":
            continue
        out.append((tuple(c.text for c in labels), values))
    return out


def line_tokens(text: str, line_no: int) -> list[tuple[int, int, str]]:
    """Spans of the trailing run of numbers on line `line_no` of the text."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    start = starts[line_no]
    line = text[start:].split("\n", 1)[0]
    toks = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", line)]
    run: list[tuple[int, int, str]] = []
    for tok in reversed(toks):
        if not re.fullmatch(r"[\d.,]+", tok[2]):
            break
        run.insert(0, tok)
    return run


def assert_rows(text: str, grid: Grid, expected: list[tuple[tuple[str, ...], int, str]]) -> None:
    """Each row: its label path, and its values = exactly the number tokens of the given line."""
    rows = data_rows(grid)
    assert [labels for labels, _ in rows] == [labels for labels, _, _ in expected]
    for (labels, cells), (_, line_no, run) in zip(rows, expected, strict=True):
        toks = line_tokens(text, line_no)
        assert " ".join(t for _, _, t in toks) == run, (labels, line_no)
        got = [(c.span_start, c.span_end, c.text) for c in cells]
        assert got == toks, labels
        for c in cells:
            assert text[c.span_start : c.span_end] == c.text
            assert c.source == f"text:{c.span_start}-{c.span_end}"


THREE = "三、本年度办理结果"
DENIED = (THREE, "(三)不予公开")
UNAVAILABLE = (THREE, "(四)无法提供")
NOT_PROCESSED = (THREE, "(五)不予处理")
PARTIAL = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"

AGGREGATED_T2 = [
    (("行政处罚",), 2, "3985758"),
    (("行政强制",), 3, "88283"),
    (("行政事业性收费",), 6, "96171.6"),
]
AGGREGATED_T3 = [
    (("一、本年新收政府信息公开申请数量",), 22, "3001 53 0 0 61 4 3119"),
    (("二、上年结转政府信息公开申请数量",), 23, "34 0 0 0 0 0 34"),
    ((THREE, "(一)予以公开"), 32, "1288 21 0 0 50 3 1362"),
    ((THREE, PARTIAL), 34, "447 7 0 0 0 0 454"),
    ((*DENIED, "1.属于国家秘密"), 37, "2 0 0 0 0 0 2"),
    ((*DENIED, "2.其他法律行政法规禁止公开"), 38, "30 1 0 0 0 0 31"),
    ((*DENIED, "3.危及“三安全一稳定”"), 39, "5 0 0 0 0 0 5"),
    ((*DENIED, "4.保护第三方合法权益"), 40, "6 0 0 0 0 0 6"),
    ((*DENIED, "5.属于三类内部事务信息"), 41, "7 1 0 0 0 0 8"),
    ((*DENIED, "6.属于四类过程性信息"), 42, "12 0 0 0 0 0 12"),
    ((*DENIED, "7.属于行政执法案卷"), 43, "9 0 0 0 0 0 9"),
    ((*DENIED, "8.属于行政查询事项"), 44, "105 0 0 0 0 0 105"),
    ((*UNAVAILABLE, "1.本机关不掌握相关政府信息"), 45, "746 12 0 0 10 1 769"),
]

HONGZE_T2 = [
    (("规章",), 41, "0 0 0"),
    (("行政规范性文件",), 42, "0 5 5"),
    (("行政许可",), 45, "550"),
    (("行政处罚",), 49, "4119"),
    (("行政强制",), 50, "195"),
    (("行政事业性收费",), 53, "7730.28"),
]
# Line numbers of the normalised text where each row's numbers are printed: 68 sits between the two
# halves of （二）'s label, 70/74/84/87/95/98 on the line BEFORE the label, the rest on its line.
HONGZE_T3 = [
    (("一、本年新收政府信息公开申请数量",), 64, "21 0 0 0 0 0 21"),
    (("二、上年结转政府信息公开申请数量",), 65, ZEROS),
    ((THREE, "(一)予以公开"), 66, ZEROS),
    ((THREE, PARTIAL), 68, "4 0 0 0 0 0 4"),
    ((*DENIED, "1.属于国家秘密"), 70, "1 0 0 0 0 0 1"),
    ((*DENIED, "2.其他法律行政止公开"), 72, ZEROS),
    ((*DENIED, "3.危及“三安全一稳定”"), 74, ZEROS),
    ((*DENIED, "4.保护第三方合法权益"), 77, ZEROS),
    ((*DENIED, "5.属于三类内部事务信息"), 79, ZEROS),
    ((*DENIED, "6.属于四类过程性信息"), 81, "1 0 0 0 0 0 1"),
    ((*DENIED, "7.属于行政执法案卷"), 82, "1 0 0 0 0 0 1"),
    ((*DENIED, "8.属于行政查询事项"), 83, ZEROS),
    ((*UNAVAILABLE, "1.本机关不掌握相关政府信息"), 84, "10 0 0 0 0 0 10"),
    ((*UNAVAILABLE, "2.没有现成信息需要另行制作"), 87, "3 0 0 0 0 0 3"),
    ((*UNAVAILABLE, "3.补正后申请内容仍不明确"), 90, ZEROS),
    ((*NOT_PROCESSED, "1.信访举报投诉类申请"), 91, "1 0 0 0 0 0 1"),
    ((*NOT_PROCESSED, "2.重复申请"), 92, ZEROS),
    ((*NOT_PROCESSED, "3.要求提供公开出版物"), 93, ZEROS),
    ((*NOT_PROCESSED, "4.无正当理由大量反复申请"), 95, ZEROS),
    ((*NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息"), 98, ZEROS),
    ((THREE, "(六)其他处理"), 100, ZEROS),
    ((THREE, "(七)总计"), 101, "21 0 0 0 0 0 21"),
    (("四、结转下年度继续办理",), 102, ZEROS),
]
HONGZE_T4 = [((), 111, "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0")]


# ------------------------------------------------------------------------------------------ PDF text


def test_aggregated_fragment_rows_values_and_spans() -> None:
    text = load("aggregated_2024_section3_fragment.txt")
    grids = text_grids(text)
    assert [kind(g) for g in grids] == ["t2", "t3"]
    t2, t3 = grids
    assert all(g.fmt == "text" for g in grids) and [g.index for g in grids] == [0, 1]
    assert_rows(text, t2, AGGREGATED_T2)
    assert_rows(text, t3, AGGREGATED_T3)
    assert any("header rebuilt in official order" in n for n in t3.notes)
    assert any("vertical label" in n for n in t3.notes)


def test_hongze_text_layer_rows_values_and_spans() -> None:
    text = load("hongze_2023_textlayer.txt")
    grids = text_grids(text)
    assert [kind(g) for g in grids] == ["t2", "t3", "t4"]
    t2, t3, t4 = grids
    assert_rows(text, t2, HONGZE_T2)
    assert_rows(text, t3, HONGZE_T3)
    assert_rows(text, t4, HONGZE_T4)


def test_t3_header_rebuilt_in_official_order_from_jumbled_words() -> None:
    text = load("hongze_2023_textlayer.txt")
    t3 = by_kind(text_grids(text))["t3"]
    assert any(n.startswith("header rebuilt in official order") for n in t3.notes)
    assert t3.text_at(0, 3) == "申请人情况"
    assert [t3.text_at(1, c) for c in (3, 4, 9)] == ["自然人", "法人或其他组织", "总计"]
    assert [t3.text_at(2, c) for c in range(4, 9)] == list(T3_COLUMNS[1:6])
    assert t3.text_at(0, 0).startswith("(本列数据的勾稽关系")
    # merged cells: 三、本年度办理结果 spans all its rows, （三）不予公开 its eight children
    three = t3.rows[5][0]
    assert three is not None and three.text == THREE and three.rowspan == 20
    denied = t3.rows[7][1]
    assert denied is not None and denied.text == "(三)不予公开" and denied.rowspan == 8


def test_t4_header_official_layout() -> None:
    t4 = by_kind(text_grids(load("hongze_2023_textlayer.txt")))["t4"]
    assert [t4.text_at(0, 0), t4.text_at(0, 5)] == ["行政复议", "行政诉讼"]
    assert [t4.text_at(1, c) for c in range(5)] == list(T4_RESULTS)
    assert [t4.text_at(1, 5), t4.text_at(1, 10)] == ["未经复议直接起诉", "复议后起诉"]
    assert [t4.text_at(2, c) for c in range(5, 15)] == list(T4_RESULTS) * 2


def test_page_number_lines_are_never_values() -> None:
    for name in ("hongze_2023_textlayer.txt", "aggregated_2024_section3_fragment.txt"):
        text = load(name)
        pages = {m.start() for m in re.finditer(r"(?m)^- \d+ -$", text)}
        assert pages
        for g in text_grids(text):
            for row in g.rows:
                for c in row:
                    if c is not None and c.span_start is not None and c.source.startswith("text:"):
                        line_start = text.rfind("\n", 0, c.span_start) + 1
                        assert line_start not in pages


# ------------------------------------------------------------------------------------------ pipes


def test_guanzhou_pipe_rows_present_until_cut() -> None:
    text = load("guanzhou_jd_2023.txt")
    t2, t3 = text_grids(text)
    assert [(lab, [c.text for c in cells]) for lab, cells in data_rows(t2)] == [
        (("规章",), ["0", "0", "0"]),
        (("行政规范性文件",), ["0", "0", "0"]),
        (("行政许可",), ["0"]),
        (("行政处罚",), ["1472"]),
        (("行政强制",), ["0"]),
        (("行政事业性收费",), ["0"]),
    ]
    rows = data_rows(t3)
    assert [lab[-1] for lab, _ in rows] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "(一)予以公开",
        PARTIAL,
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
    ]
    assert [c.text for c in rows[0][1]] == ["1", "0", "0", "0", "0", "0", "1"]
    # the page is cut after six of the seven numbers of the last row: one text cell, nothing shifted
    last = rows[-1][1]
    assert len(last) == 1 and last[0].colspan == 7 and last[0].text == "0 | 0 | 0 | 0 | 0 | 0"
    assert any("6 value cells" in n for n in t3.notes)
    for g in (t2, t3):
        for _, cells in data_rows(g):
            for c in cells:
                assert text[c.span_start : c.span_end] == c.text


def test_erdao_one_cell_per_line_with_blank_cells_and_padding() -> None:
    text = load("erdao_fwzs_2022.txt")
    t2, t3 = text_grids(text)
    assert [lab[-1] for lab, _ in data_rows(t2)] == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    assert all(c.text == "0" for _, cells in data_rows(t2) for c in cells)
    rows = data_rows(t3)
    assert [lab[-1] for lab, _ in rows] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "(一)予以公开",
        "(二)部分公开(区分处理的,只计这一情况,不计其他情形)",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内容事务信息",  # the page's typo, kept as printed
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
    ]
    assert [c.text for c in rows[0][1]] == ["56", "", "", "", "", "", "56"]
    assert [c.text for c in rows[2][1]] == ["18", "", "", "", "", "", ""]  # 总计 blank, not invented
    assert all(c.text == "" for _, cells in rows[3:-1] for c in cells)
    assert len(rows[-1][1]) == 1 and rows[-1][1][0].colspan == 7  # cut off after four blank cells
    for _, cells in rows:
        for c in cells:
            assert text[c.span_start : c.span_end] == c.text


SEPARATED_PIPES = """三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况
自然人 | 法人或其他组织 | 总计
商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他
一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5
二、上年结转政府信息公开申请数量 | | | | | | |
四、结转下年度继续办理 | 1 | / | - | — | 0 | 0 | 1"""


def test_pipes_as_separators_keep_a_trailing_empty_cell() -> None:
    """`a | b | ` (cells opened by a pipe): the last pipe of a blank row opens its seventh cell."""
    rows = data_rows(text_grids(SEPARATED_PIPES)[0])
    assert [[c.text for c in cells] for _, cells in rows] == [
        ["5", "0", "0", "0", "0", "0", "5"],
        [""] * 7,
        ["1", "/", "-", "—", "0", "0", "1"],
    ]


CELL_PER_LINE = """二、主动公开政府信息情况
第二十条第(一)项
信息内容
本年制发件数
本年废止件数
现行有效件数
规章
/
/
/
行政规范性文件
6
2
37
第二十条第(六)项
信息内容
本年处理决定数量
行政处罚
1046
行政强制
第二十条第(八)项
信息内容
本年收费金额(单位:万元)
行政事业性收费
2316.42
三、收到和处理政府信息公开申请情况"""


def test_cell_per_line_values_follow_their_label() -> None:
    """A table flattened cell by cell: a lone value belongs to the label above it (行政强制 is blank)."""
    rows = data_rows(text_grids(CELL_PER_LINE)[0])
    assert [(lab[-1], [c.text for c in cells]) for lab, cells in rows] == [
        ("规章", ["/", "/", "/"]),
        ("行政规范性文件", ["6", "2", "37"]),
        ("行政处罚", ["1046"]),
        ("行政强制", []),
        ("行政事业性收费", ["2316.42"]),
    ]


def test_2019_table_two_columns_and_signed_values() -> None:
    text = "\n".join(
        [
            "第二十条第(五)项",
            "信息内容 上一年项目数量 本年增/减 处理决定数量",
            "行政许可 2862 +1036 1590322",
            "其他对外管理服务事项 457 -3 0",
            "第二十条第(九)项",
            "信息内容 采购项目数量 采购总金额",
            "政府集中采购 14 251000元",
        ]
    )
    t2 = text_grids(text)[0]
    assert [t2.text_at(1, c) for c in range(4)] == ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    assert [(lab[-1], [c.text for c in cells]) for lab, cells in data_rows(t2)] == [
        ("行政许可", ["2862", "+1036", "1590322"]),
        ("其他对外管理服务事项", ["457", "-3", "0"]),
        ("政府集中采购", ["14", "251000元"]),
    ]


def test_header_repeated_after_a_page_break_is_not_label_text() -> None:
    text = load("aggregated_2024_section3_fragment.txt")
    repeated = (
        "- 5 -\n申请人情况\n自然人\n法人或其他组织\n总计商 业企业 科研机构\n社会公益组织 法律服务机构 其他\n"
    )
    at = text.index("6.属于四类过程性信息")
    mutated = text[:at] + repeated + text[at:]
    rows = data_rows(text_grids(mutated)[1])
    assert [lab for lab, _ in rows] == [lab for lab, _, _ in AGGREGATED_T3]
    assert [[c.text for c in cells] for _, cells in rows] == [run.split() for _, _, run in AGGREGATED_T3]


def test_no_tables_no_grids() -> None:
    assert text_grids("") == []
    assert text_grids("本机关2010年共主动公开政府信息174条。\n我局2010年度未收到政府信息公开申请。") == []


# ------------------------------------------------------------------------------------------ robustness


def _value_rows(grids: list[Grid]) -> list[tuple[str, tuple[str, ...], list[Cell]]]:
    return [(kind(g), labels, cells) for g in grids for labels, cells in data_rows(g)]


def _shifted(cells: list[Cell], at: int, delta: int) -> list[tuple[str, int | None, int | None, int, int]]:
    def move(p: int | None) -> int | None:
        return p + delta if p is not None and p >= at else p

    return [(c.text, move(c.span_start), move(c.span_end), c.col, c.colspan) for c in cells]


def _plain(cells: list[Cell]) -> list[tuple[str, int | None, int | None, int, int]]:
    return [(c.text, c.span_start, c.span_end, c.col, c.colspan) for c in cells]


def _mutate(text: str, cells: list[Cell], how: str, k: int) -> tuple[str, int, int]:
    """Remove or add one number in a row (or nothing): the new text, where it changed, by how much."""
    tok = cells[k % len(cells)]
    s, e = tok.span_start, tok.span_end
    assert s is not None and e is not None
    piped = "|" in text[text.rfind("\n", 0, s) + 1 : text.find("\n", e) if "\n" in text[e:] else len(text)]
    if how == "add":
        ins = " | 2024" if piped else " 2024"
        return text[:e] + ins + text[e:], e, len(ins)
    if piped:
        start = text.rfind("|", 0, s)
    else:
        start = s - 1 if text[s - 1] == " " else s
        e = e if text[s - 1] == " " else e + 1
    return text[:start] + text[e:], start, start - e


FIXTURES = ("aggregated_2024_section3_fragment.txt", "hongze_2023_textlayer.txt", "guanzhou_jd_2023.txt")
_BASE: dict[str, tuple[str, list[tuple[str, tuple[str, ...], list[Cell]]]]] = {}


def _base(name: str) -> tuple[str, list[tuple[str, tuple[str, ...], list[Cell]]]]:
    if name not in _BASE:
        text = load(name)
        _BASE[name] = (text, _value_rows(text_grids(text)))
    return _BASE[name]


def _complete(rows: list[tuple[str, tuple[str, ...], list[Cell]]]) -> list[int]:
    """Rows whose numbers were all read (one cell per value column)."""
    return [
        i
        for i, (_, _, cells) in enumerate(rows)
        if cells and all(re.fullmatch(r"\S*", c.text) for c in cells)
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FIXTURES),
    pick=st.integers(min_value=0, max_value=10_000),
    how=st.sampled_from(["remove", "add"]),
    k=st.integers(min_value=0, max_value=20),
)
def test_a_missing_or_extra_number_changes_only_its_row(name: str, pick: int, how: str, k: int) -> None:
    text, rows = _base(name)
    candidates = [i for i in _complete(rows) if rows[i][2][0].text]  # rows with printed numbers
    i = candidates[pick % len(candidates)]
    table, _, cells = rows[i]
    mutated, at, delta = _mutate(text, [c for c in cells if c.text], how, k)
    new_rows = _value_rows(text_grids(mutated))
    assert [(t, lab) for t, lab, _ in new_rows] == [(t, lab) for t, lab, _ in rows]
    for j, ((_, _, old), (_, _, new)) in enumerate(zip(rows, new_rows, strict=True)):
        if j != i:
            assert _plain(new) == _shifted(old, at, delta), rows[j][1]
    changed = new_rows[i][2]
    n_values = sum(c.colspan for c in cells)
    if how == "remove" and len(cells) == 1 and n_values > 1:  # a one-value 表二 row lost its only number
        assert changed == []
        return
    assert len(changed) == 1, changed
    cell = changed[0]
    assert cell.colspan == n_values and cell.col == cells[0].col
    assert mutated[cell.span_start : cell.span_end] == cell.text
    if how == "add":
        assert "2024" in cell.text
    grid = next(g for g in text_grids(mutated) if kind(g) == table)
    assert any("not shifted" in n for n in grid.notes)


@settings(max_examples=80, deadline=None)
@given(
    name=st.sampled_from((*FIXTURES, "erdao_fwzs_2022.txt")),
    line=st.integers(min_value=0, max_value=10_000),
    page=st.sampled_from(["- 3 -", "第 3 页", "- 12 -", "3/5", "共 5 页 第 3 页"]),
)
def test_a_page_number_line_between_rows_changes_nothing(name: str, line: int, page: str) -> None:
    text, rows = _base(name)
    breaks = [0] + [m.end() for m in re.finditer("\n", text)]
    at = breaks[line % len(breaks)]
    mutated = text[:at] + page + "\n" + text[at:]
    new_rows = _value_rows(text_grids(mutated))
    assert [(t, lab) for t, lab, _ in new_rows] == [(t, lab) for t, lab, _ in rows]
    for (_, lab, old), (_, _, new) in zip(rows, new_rows, strict=True):
        if any(
            c.span_start is not None and c.span_end is not None and c.span_start < at < c.span_end
            for c in old
        ):
            # the page line fell inside a row already kept as one raw-text cell: it stays that cell
            assert [(c.col, c.colspan, c.span_start) for c in new] == [
                (c.col, c.colspan, c.span_start) for c in old
            ]
            continue
        assert _plain(new) == _shifted(old, at, len(page) + 1), lab


def test_a_row_without_numbers_stays_blank_and_others_do_not_move() -> None:
    """Deleting the line `4 0 0 0 0 0 4` of （二）部分公开: that row is blank, nothing is borrowed."""
    text, rows = _base("hongze_2023_textlayer.txt")
    at = text.index("\n4 0 0 0 0 0 4\n") + 1
    mutated = text[:at] + text[at + len("4 0 0 0 0 0 4\n") :]
    new_rows = _value_rows(text_grids(mutated))
    assert [lab for _, lab, _ in new_rows] == [lab for _, lab, _ in rows]
    for (_, lab, old), (_, _, new) in zip(rows, new_rows, strict=True):
        if lab and lab[-1] == PARTIAL:
            assert new == []
        else:
            assert _plain(new) == _shifted(old, at, -len("4 0 0 0 0 0 4\n")), lab


TABLE_WORDS = [
    "一、本年新收政府信息公开申请数量",
    "(一)予以公开",
    "1.属于国家秘密",
    "(三)不予公开",
    "三、",
    "本",
    "行政复议 行政诉讼",
    "第二十条第(一)项",
    "信息内容 本年制发件数",
    "规章",
    "四、结转下年度继续办理",
    "(七)总计",
    "自然人 商业企业",
    "- 3 -",
    "|",
    "||",
    " | ",
    "0",
    "12",
    "/",
    "—",
    "96171.6",
    "五、存在的主要问题及改进情况",
    "全年共收到申请21件。",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TABLE_WORDS), min_size=1, max_size=6), max_size=40))
def test_any_table_like_text_parses_without_error_and_spans_hold(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(words) for words in lines)
    for g in text_grids(text):
        for row in g.rows:
            for c in row:
                if c is not None and c.source == f"text:{c.span_start}-{c.span_end}" and kind(g) != "t2":
                    assert c.span_start is not None
        for _, cells in data_rows(g):
            for c in cells:
                if c.colspan > 1:  # an unplaceable run: its printed lines, less page-number lines
                    assert set(c.text.split("\n")) - {""} <= set(text[c.span_start : c.span_end].split("\n"))
                else:
                    assert text[c.span_start : c.span_end] == c.text


# ------------------------------------------------------------------------------------------ cell keys

AGG_T3_KEYS = (
    "new",
    "carried_over",
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_forbidden",
    "denied.three_security",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.inquiry",
    "unavailable.not_held",
)
T3_COL_KEYS = T3_COLUMN_KEYS


def _cells_module():  # type: ignore[no-untyped-def]
    return pytest.importorskip("nianbao.tables.cells")


def test_aggregated_fragment_every_cell_keyed() -> None:
    cells_mod = _cells_module()
    text = load("aggregated_2024_section3_fragment.txt")
    got = {(c.table, c.row_key, c.col_key): c for c in cells_mod.extract_cells(text_grids(text), text)}
    expected: dict[tuple[str, str, str], str] = {
        ("t2", "penalty", "decisions"): "3985758",
        ("t2", "compulsion", "decisions"): "88283",
        ("t2", "admin_fees", "fee_amount"): "96171.6",
    }
    for key, (_, line_no, run) in zip(AGG_T3_KEYS, AGGREGATED_T3, strict=True):
        for col, value in zip(T3_COL_KEYS, run.split(), strict=True):
            expected[("t3", key, col)] = value
        assert [t for _, _, t in line_tokens(text, line_no)] == run.split()
    assert {k: c.value_raw for k, c in got.items()} == expected
    for c in got.values():
        assert text[c.span_start : c.span_end] == c.value_raw
        assert c.value_semantic == ("ZERO" if c.value_raw == "0" else "NUMERIC")
    assert got[("t2", "admin_fees", "fee_amount")].value_num == pytest.approx(96171.6 * 10_000)


def test_hongze_text_layer_cells_keyed() -> None:
    cells_mod = _cells_module()
    text = load("hongze_2023_textlayer.txt")
    got = {
        (c.table, c.row_key, c.col_key): c.value_raw for c in cells_mod.extract_cells(text_grids(text), text)
    }
    assert got[("t3", "partial", "natural_person")] == "4"
    assert got[("t3", "denied.state_secret", "total")] == "1"
    assert got[("t3", "unavailable.not_held", "natural_person")] == "10"
    assert got[("t3", "unavailable.need_create", "total")] == "3"
    assert got[("t3", "other", "total")] == "0"  # （六）其他处理 printed as one row in a 2023 report
    assert got[("t4", "all", "review.upheld")] == "10"
    assert got[("t4", "all", "after_review.upheld")] == "5"
    assert got[("t2", "admin_fees", "fee_amount")] == "7730.28"
    assert sum(1 for k in got if k[0] == "t3") == 23 * 7
    assert sum(1 for k in got if k[0] == "t4") == 15


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    row=st.integers(min_value=0, max_value=len(AGG_T3_KEYS) - 1),
    how=st.sampled_from(["remove", "add"]),
    k=st.integers(min_value=0, max_value=6),
)
def test_mutated_row_reads_as_text_others_keep_values(row: int, how: str, k: int) -> None:
    cells_mod = _cells_module()
    text, rows = _base("aggregated_2024_section3_fragment.txt")
    t3_rows = [r for r in rows if r[0] == T3_TABLE]
    mutated, _, _ = _mutate(text, t3_rows[row][2], how, k)
    before = {(c.table, c.row_key, c.col_key): c for c in cells_mod.extract_cells(text_grids(text), text)}
    after = {
        (c.table, c.row_key, c.col_key): c for c in cells_mod.extract_cells(text_grids(mutated), mutated)
    }
    assert before.keys() == after.keys()
    for key, cell in after.items():
        if key[0] == "t3" and key[1] == AGG_T3_KEYS[row]:
            assert cell.value_semantic == "TEXT" and cell.value_num is None
        else:
            assert (cell.value_raw, cell.value_semantic, cell.value_num) == (
                before[key].value_raw,
                before[key].value_semantic,
                before[key].value_num,
            )


def test_one_value_row_with_a_stray_number_reads_as_text() -> None:
    cells_mod = _cells_module()
    text = load("aggregated_2024_section3_fragment.txt").replace("行政处罚 3985758", "行政处罚 3985758 2024")
    got = {(c.table, c.row_key, c.col_key): c for c in cells_mod.extract_cells(text_grids(text), text)}
    assert got[("t2", "penalty", "decisions")].value_semantic == "TEXT"


# A real scraped page (corpus/pages2/changchun_tyjr_2023.txt): each row closed by its pipe, then the row's hidden
# merged positions printed as `||` on the same line.
PADDED_ROWS = """三、收到和处理政府信息公开申请情况
| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||
| 自然人 | 法人或其他组织 | 总计 | |||||||
| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||
| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 | ||
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||
| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | | 7 |"""


def test_same_line_merge_padding_is_dropped_and_a_value_past_the_columns_is_not() -> None:
    """Regression: `| … | 3 | … | 3 | ||` was one TEXT cell; empty cells past the seventh value are padding,
    but a number out there (`| 7 |`) means the row does not fit: it stays one text cell, nothing shifted."""
    rows = data_rows(text_grids(PADDED_ROWS)[0])
    assert [[c.text for c in cells] for _, cells in rows] == [
        ["3", "0", "0", "0", "0", "0", "3"],
        ["0", "0", "0", "0", "0", "0", "0"],
        ["1 | 0 | 0 | 0 | 0 | 0 | 1 | | 7"],
    ]


def test_t2_block_without_a_readable_header_borrows_no_columns():
    """A PDF text layer splits 本年|收费金额 across the 信息|内容 lines, so block (八)'s header is not read: its
    row stays unread, never read with the block above's 本年处理决定数量 (synthetic corpus regression)."""
    text = normalize(
        "二、主动公开政府信息情况\n第二十条第（六）项\n信息内容 本年处理决定数量\n行政处罚 1754\n"
        "第二十条第（八）项\n信息 本年\n内容 收费金额（单位：万元）\n行政事业性收费 409.9\n"
        "三、收到和处理政府信息公开申请情况\n"
    ).text
    found = _cells_module().extract_cells(text_grids(text), text)
    assert [(c.row_key, c.col_key, c.value_raw) for c in found] == [("penalty", "decisions", "1754")]

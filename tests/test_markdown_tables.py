"""Markdown pipe tables as PDF-to-markdown and OCR converters print them → exact cells, read by labels.

Fixtures (`tests/fixtures/converter/`, synthetic, numbers in `tests/converter_truth.py`): split header
rows with merged cells printed as blank cells, rowspan labels printed as blank label cells, `<br>` in
cells; the same tables cut at page breaks into blocks with a repeated partial header, `|---|` lines in the
middle and a block without a delimiter row; a caption-less fragment that starts mid-table.
"""

from __future__ import annotations

import re

import pytest

from nianbao.normalize import normalize
from nianbao.tables.cells import extract_cells
from nianbao.tables.converted import converter_grids
from nianbao.tables.flattened import text_grids
from nianbao.tables.labels import TableCell
from nianbao.tables.markdown import markdown_grids
from tests.conftest import FIXTURES
from tests.converter_truth import T3_2021, T4, truth
from tests.helpers import T3_COLUMNS

CONVERTER = FIXTURES / "converter"


def _text(name: str) -> str:
    return normalize((CONVERTER / name).read_text(encoding="utf-8")).text


def _cells(text: str) -> list[TableCell]:
    grids, _ = converter_grids(text)
    return extract_cells(grids, text)


def _by_key(cells: list[TableCell]) -> dict[tuple[str, str, str], TableCell]:
    return {(c.table, c.row_key, c.col_key): c for c in cells}


def _assert_exact(text: str, cells: list[TableCell], rows: dict[str, list[int]], rule: str) -> None:
    got = _by_key(cells)
    for row_key, values in rows.items():
        for col_key, want in zip(T3_COLUMNS, values, strict=True):
            cell = got[("t3", row_key, col_key)]
            assert (cell.value_num, cell.value_semantic) == (want, "ZERO" if want == 0 else "NUMERIC"), cell
            assert cell.rule_id == rule
            assert cell.span_start is not None and cell.span_end is not None
            assert text[cell.span_start : cell.span_end] == cell.value_raw == str(want)
            assert cell.source == f"text:{cell.span_start}-{cell.span_end}"


def _assert_t4(text: str, cells: list[TableCell]) -> None:
    got = {c.col_key: c for c in cells if c.table == "t4"}
    assert {k: got[k].value_num for k in T4} == T4
    assert all(got[k].rule_id == "t4.labels.markdown" for k in T4)
    assert all(text[got[k].span_start : got[k].span_end] == got[k].value_raw for k in T4)


@pytest.mark.parametrize("name", ["md_split_header.md", "md_page_break.md"])
def test_split_header_tables_yield_every_cell_exactly(name: str) -> None:
    text = _text(name)
    cells = _cells(text)
    _assert_exact(text, cells, T3_2021, "t3.labels.markdown")
    _assert_t4(text, cells)
    assert len(cells) == 25 * 7 + 15


def test_merged_renderings_become_spans_and_labels_keep_their_parents() -> None:
    text = _text("md_split_header.md")
    cells = _by_key(_cells(text))
    law = cells[("t3", "denied.law_forbidden", "other_org")]
    assert law.row_label == "三、本年度办理结果 / (三)不予公开 / 2.其他法律行政法规禁止公开"
    assert law.col_label == "法人或其他组织 / 其他"
    assert cells[("t3", "total", "total")].col_label == "总计"  # not the 其他 to its left
    assert cells[("t4", "all", "direct.pending")].col_label == "行政诉讼 / 未经复议直接起诉 / 尚未审结"
    assert cells[("t4", "all", "review.upheld")].col_label == "行政复议 / 结果 维持"  # `<br>` read as a break


def test_page_break_blocks_are_joined_with_their_notes() -> None:
    grids, _ = markdown_grids(_text("md_page_break.md"))
    assert [len(g.rows) for g in grids] == [3 + 25, 4]
    assert any("repeated header dropped" in n for n in grids[0].notes)
    assert any("(no header)" in n for n in grids[0].notes)  # the block without a delimiter row
    assert any("(no header)" in n for n in grids[1].notes)  # 表四's number row after 续表


def test_caption_less_fragment_read_in_official_column_order() -> None:
    text = _text("md_fragment.md")
    cells = _cells(text)
    rows = dict(list(T3_2021.items())[9:])  # the fragment starts at 6.属于四类过程性信息
    _assert_exact(text, cells, rows, "t3.labels.markdown_fragment")
    assert {c.row_key for c in cells} == set(rows)


def test_fragment_with_a_short_row_is_text_everywhere() -> None:
    text = _text("md_fragment.md").replace("| 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| 2 | 0 | 0 | 0 | 0 | 2 |", 1)
    cells = _cells(text)
    assert cells and all(c.value_num is None for c in cells)
    assert {c.value_semantic for c in cells} == {"TEXT"}
    grid, _ = markdown_grids(text)
    assert any("official column order cannot be assumed" in n for n in grid[0].notes)


def test_a_row_that_lost_a_cell_is_text_and_moves_nothing() -> None:
    good = _text("md_split_header.md")
    text = good.replace("| 31 | 4 | 1 | 0 | 2 | 1 | 39 |", "| 31 | 4 | 1 | 2 | 1 | 39 |", 1)
    cells = _by_key(_cells(text))
    assert {cells[("t3", "new", c)].value_semantic for c in T3_COLUMNS} == {"TEXT"}
    assert cells[("t3", "carried_over", "total")].value_num == 4  # the other rows keep their cells
    others = [c for k, c in cells.items() if k[1] != "new" and c.table == "t3"]
    assert all(c.value_num == truth("t3", c.row_key, c.col_key) for c in others)


def test_a_header_row_that_lost_a_cell_places_no_value() -> None:
    text = _text("md_split_header.md").replace("| 科研机构 |", "|", 1)
    cells = [c for c in _cells(text) if c.table == "t3"]
    assert cells and all(c.value_num is None for c in cells)


def test_scraped_pipe_lines_without_a_delimiter_row_are_left_to_the_text_reader() -> None:
    """Negative: `| a | b |` lines of a scraped page (no `|---|`) are not a markdown table."""
    text = normalize(
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n"
        "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 | ||\n"
    ).text
    grids, rest = converter_grids(text)
    assert grids == [] and rest == text


def test_claimed_lines_are_blanked_for_the_text_reader_with_offsets_kept() -> None:
    text = _text("md_split_header.md")
    _, rest = converter_grids(text)
    assert len(rest) == len(text)
    assert "|" not in rest and re.search(r"本年新收|行政复议\s*\|", rest) is None
    assert "五、存在的主要问题及改进情况" in rest


def test_a_markdown_t4_header_over_a_plain_number_line_is_left_to_the_text_reader() -> None:
    """A converter that kept the header as a table but printed the 15 numbers as a line of text."""
    raw = (CONVERTER / "md_split_header.md").read_text(encoding="utf-8")
    row = "| 3 | 1 | 0 | 1 | 5 | 2 | 0 | 1 | 0 | 3 | 1 | 0 | 0 | 1 | 2 |"
    text = normalize(raw.replace(row, "\n3 1 0 1 5 2 0 1 0 3 1 0 0 1 2")).text
    grids, rest = converter_grids(text)
    t4 = {c.col_key: c for c in extract_cells(grids + text_grids(rest), text) if c.table == "t4"}
    assert {k: t4[k].value_num for k in T4} == T4
    assert {c.rule_id for c in t4.values()} == {"t4.labels.text"}

"""洪泽区 2023 (a real PDF): every statutory-table cell, read by hand from the rendered pages.

The expected values below were typed from page images (pypdfium2, scale 2-3), not from any parser
output, so this test checks the whole chain PDF → grids → cells against what a reader sees.

What the source itself does, kept as printed:
- 表三 prints （六）其他处理 as ONE row (the 2019 trial layout) in a 2023 report whose 表二 is in the
  2021 format: 23 data rows × 7 = 161 cells, not 25 × 7 = 175. So 186 cells in all, not 200.
- 表四 does not add up: 行政复议 10 + 1 + 0 + 0 = 11 but 总计 is printed 0; 复议后起诉 5 + 0 + 0 + 0 = 5
  but 总计 is printed 0.
- 表三 label typos: "2.其他法律行政止公开" (法规禁 missing), "4.无正当理由大量反复 申请" and
  "5.要求行政机关确认或重 新出具已获取信息" (stray spaces).
- 表二 and 表三 both run over a page break (pages 2→3 and 3→4), without a repeated header.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.readers.pdf import read_pdf
from nianbao.tables.cells import TableCell, extract_cells
from tests.helpers import T3_COLUMNS

HONGZE = Path(__file__).resolve().parent / "fixtures" / "pdf" / "hongze_2023.pdf"

T3_COLS = T3_COLUMNS

# 表三, as printed (pages 3-4). Columns: 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计.
T3 = """
new                         21 0 0 0 0 0 21
carried_over                 0 0 0 0 0 0  0
granted                      0 0 0 0 0 0  0
partial                      4 0 0 0 0 0  4
denied.state_secret          1 0 0 0 0 0  1
denied.law_forbidden         0 0 0 0 0 0  0
denied.three_security        0 0 0 0 0 0  0
denied.third_party           0 0 0 0 0 0  0
denied.internal_affairs      0 0 0 0 0 0  0
denied.process_info          1 0 0 0 0 0  1
denied.enforcement_file      1 0 0 0 0 0  1
denied.inquiry               0 0 0 0 0 0  0
unavailable.not_held        10 0 0 0 0 0 10
unavailable.need_create      3 0 0 0 0 0  3
unavailable.unclear          0 0 0 0 0 0  0
not_processed.petition       1 0 0 0 0 0  1
not_processed.repeat         0 0 0 0 0 0  0
not_processed.publication    0 0 0 0 0 0  0
not_processed.mass_repeat    0 0 0 0 0 0  0
not_processed.confirm        0 0 0 0 0 0  0
other                        0 0 0 0 0 0  0
total                       21 0 0 0 0 0 21
carried_forward              0 0 0 0 0 0  0
"""

# Rows printed on page 3; the rest (from 3.补正后申请内容仍不明确) are on page 4.
T3_PAGE3 = 14

# 表四, page 4: one data row. Columns: 结果维持 结果纠正 其他结果 尚未审结 总计, per block.
T4 = {
    "review.upheld": "10",
    "review.corrected": "1",
    "review.other": "0",
    "review.pending": "0",
    "review.total": "0",
    "direct.upheld": "0",
    "direct.corrected": "0",
    "direct.other": "0",
    "direct.pending": "0",
    "direct.total": "0",
    "after_review.upheld": "5",
    "after_review.corrected": "0",
    "after_review.other": "0",
    "after_review.pending": "0",
    "after_review.total": "0",
}

# 表二, pages 2-3: (row, col) → as printed, page. The fee is in 万元 as the column header says.
T2 = {
    ("regulations", "issued"): ("0", 2),
    ("regulations", "repealed"): ("0", 2),
    ("regulations", "in_force"): ("0", 2),
    ("normative_docs", "issued"): ("0", 2),
    ("normative_docs", "repealed"): ("5", 2),
    ("normative_docs", "in_force"): ("5", 2),
    ("licensing", "decisions"): ("550", 2),
    ("penalty", "decisions"): ("4119", 3),
    ("compulsion", "decisions"): ("195", 3),
    ("admin_fees", "fee_amount"): ("7730.28", 3),
}


def _t3_expected() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for line in T3.strip().splitlines():
        row, *values = line.split()
        assert len(values) == len(T3_COLS), row
        out.update({(row, col): v for col, v in zip(T3_COLS, values, strict=True)})
    return out


def _page(cell: TableCell) -> int:
    assert cell.source.startswith("pdf:p"), cell.source
    return int(cell.source[len("pdf:p") :].split()[0])


@pytest.fixture(scope="module")
def cells() -> dict[tuple[str, str, str], TableCell]:
    content = read_pdf(HONGZE)
    found = extract_cells(content.grids, content.text)
    by_key = {(c.table, c.row_key, c.col_key): c for c in found}
    assert len(by_key) == len(found), "a (table, row, col) key came out twice"
    return by_key


def test_exactly_the_printed_cells(cells: dict[tuple[str, str, str], TableCell]) -> None:
    expected = (
        {("t2", r, c) for r, c in T2}
        | {("t3", r, c) for r, c in _t3_expected()}
        | {("t4", "all", c) for c in T4}
    )
    assert set(cells) == expected
    assert len(cells) == 10 + 23 * 7 + 15 == 186


def test_t3_prints_six_as_one_row(cells: dict[tuple[str, str, str], TableCell]) -> None:
    """（六）其他处理 has no sub-rows in this PDF: no 2021 other.* keys, and the table reads as std2019."""
    assert not any(k[0] == "t3" and k[1].startswith("other.") for k in cells)
    assert {c.era for k, c in cells.items() if k[0] == "t3"} == {"std2019"}


@pytest.mark.parametrize(("row", "col"), list(_t3_expected()))
def test_t3_cell(cells: dict[tuple[str, str, str], TableCell], row: str, col: str) -> None:
    printed = _t3_expected()[(row, col)]
    cell = cells[("t3", row, col)]
    assert cell.value_raw == printed
    assert cell.value_num == float(printed)
    assert cell.value_semantic == ("ZERO" if printed == "0" else "NUMERIC")
    rows = [line.split()[0] for line in T3.strip().splitlines()]
    assert _page(cell) == (3 if rows.index(row) < T3_PAGE3 else 4)


@pytest.mark.parametrize("col", list(T4))
def test_t4_cell(cells: dict[tuple[str, str, str], TableCell], col: str) -> None:
    cell = cells[("t4", "all", col)]
    assert cell.value_raw == T4[col]
    assert cell.value_num == float(T4[col])
    assert cell.value_semantic == ("ZERO" if T4[col] == "0" else "NUMERIC")
    assert _page(cell) == 4


@pytest.mark.parametrize(("row", "col"), list(T2))
def test_t2_cell(cells: dict[tuple[str, str, str], TableCell], row: str, col: str) -> None:
    printed, page = T2[(row, col)]
    cell = cells[("t2", row, col)]
    assert cell.value_raw == printed
    assert _page(cell) == page
    if col == "fee_amount":  # 万元 as printed; value_num is money in yuan
        assert cell.value_num == pytest.approx(77_302_800.0)
        assert (cell.unit, cell.unit_stated) == ("元", "万元")
    else:
        assert cell.value_num == float(printed)
        assert cell.unit == "件"


def test_source_identities_as_printed(cells: dict[tuple[str, str, str], TableCell]) -> None:
    """表三 adds up; 表四's 总计 does not (printed 0 under 10 + 1 and under 5): kept, not repaired."""

    def v(table: str, row: str, col: str) -> float:
        n = cells[(table, row, col)].value_num
        assert n is not None
        return n

    for col in T3_COLS:
        outcomes = [r for r, c in _t3_expected() if c == col and r not in ("new", "carried_over", "total")]
        outcomes.remove("carried_forward")
        assert v("t3", "new", col) + v("t3", "carried_over", col) == v("t3", "total", col) + v(
            "t3", "carried_forward", col
        )
        assert sum(v("t3", r, col) for r in outcomes) == v("t3", "total", col)
    for row in {r for r, _ in _t3_expected()}:
        assert sum(v("t3", row, c) for c in T3_COLS[:-1]) == v("t3", row, "total")
    parts = ("upheld", "corrected", "other", "pending")
    assert sum(v("t4", "all", f"review.{p}") for p in parts) == 11 != v("t4", "all", "review.total")
    assert sum(v("t4", "all", f"direct.{p}") for p in parts) == 0 == v("t4", "all", "direct.total")
    assert (
        sum(v("t4", "all", f"after_review.{p}") for p in parts) == 5 != v("t4", "all", "after_review.total")
    )

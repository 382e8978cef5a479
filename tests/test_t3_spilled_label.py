"""A 表三 label cell that took in the next row's label must not lend that row's values to either row.

Shape from the synthetic truth check (a 2021 PDF whose wrapped 2.没有现成信息需要|另行制作 spilled into the
cell of 3.补正后申请内容仍不明确): the row printed 2.没有现成信息需要 has the need_create values, the next row
reads 另行制作3.补正后申请内容仍不明确 beside the unclear values. Read by first match, need_create took the
unclear row's values (1 where 2 was printed); a label naming two numbered rows is now read as neither.
"""

from __future__ import annotations

from nianbao.readers.html_tables import html_grids
from nianbao.tables import catalog
from nianbao.tables.cells import extract_cells

HEADER = (
    "<tr><td colspan=3 rowspan=3></td><td colspan=7>申请人情况</td></tr>"
    "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)


def _row(labels: str, values: str) -> str:
    return f"<tr>{labels}" + "".join(f"<td>{v}</td>" for v in values.split()) + "</tr>"


def _page(need_create_label: str, unclear_label: str) -> str:
    rows = [
        _row("<td colspan=3>一、本年新收政府信息公开申请数量</td>", "9 0 0 0 0 0 9"),
        _row(
            "<td rowspan=3>三、本年度办理结果</td><td rowspan=3>（四）无法提供</td><td>1.本机关不掌握相关政府信息</td>",
            "4 0 0 0 0 0 4",
        ),
        _row(f"<td>{need_create_label}</td>", "2 0 0 0 0 0 2"),
        _row(f"<td>{unclear_label}</td>", "1 0 0 0 0 0 1"),
    ]
    return "<html><body><table>" + HEADER + "".join(rows) + "</table></body></html>"


def _t3(page: str) -> dict[tuple[str, str], str]:
    return {(c.row_key, c.col_key): c.value_raw for c in extract_cells(html_grids(page)) if c.table == "t3"}


def test_labels_in_their_own_cells_are_read():
    cells = _t3(_page("2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"))
    assert cells[("unavailable.need_create", "natural_person")] == "2"
    assert cells[("unavailable.unclear", "natural_person")] == "1"
    assert cells[("unavailable.not_held", "total")] == "4"


def test_a_label_spilled_into_the_next_rows_cell_lends_no_values():
    cells = _t3(_page("2.没有现成信息需要", "另行制作3.补正后申请内容仍不明确"))
    assert not any(row in ("unavailable.need_create", "unavailable.unclear") for row, _ in cells)
    assert cells[("unavailable.not_held", "natural_person")] == "4"


def test_match_row_keeps_a_parent_with_its_item_and_one_item():
    assert catalog.match_row(catalog.T3_MATCH_ORDER, "(四)无法提供2.没有现成信息需要另行制作").key == (
        "unavailable.need_create"
    )
    assert catalog.match_row(catalog.T3_MATCH_ORDER, "另行制作3.补正后申请内容仍不明确") is None
    assert catalog.match_row(catalog.T3_MATCH_ORDER, "(七)总计").key == "total"

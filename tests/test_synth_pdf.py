"""A synthetic PDF's table taller than a page continues on the next pages, as printed reports' tables do.

Drawn past the page bottom instead, every cell below it landed alone on a page of its own (a lone number the
reader takes for a page number, the page then sent to OCR).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pdfplumber
import pytest

from nianbao.synth import render_pdf
from nianbao.synth.corpus import formats_available
from nianbao.synth.layout import Block, Table, TCell

GROUP, GROUPS = "三、本年度办理结果", 15  # a merged label over 6 rows each: 90 body rows, about 3 pages
ROW = re.compile(r"(\d+)\.申请数 件 (\d+)")

pytestmark = pytest.mark.skipif("pdf" not in formats_available("pdf"), reason="no CJK font")


def _tall_table() -> Table:
    rows = [[TCell("统计指标", 1, 2, label=True), TCell("单位", label=True), TCell("统计数", label=True)]]
    for g in range(GROUPS):
        for k in range(6):
            i = 6 * g + k
            lead = [TCell(GROUP, 6, label=True)] if k == 0 else []
            rows.append([*lead, TCell(f"{i}.申请数", label=True), TCell("件"), TCell(str(1000 + i))])
    return Table("e0_gb", rows, 4, 1)


def test_a_table_taller_than_a_page_continues_with_whole_rows_and_merged_labels():
    blocks = [Block("para", "附表：政府信息公开情况统计表"), Block("table", table=_tall_table())]
    data = render_pdf.render(blocks)
    assert render_pdf.render(blocks) == data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    page_of: dict[int, int] = {}
    for p, text in enumerate(texts):
        found = [(int(i), int(v)) for i, v in ROW.findall(text)]
        assert found, f"page {p + 1} holds no table row"
        assert all(v == 1000 + i for i, v in found)  # label and value on one line of one page
        page_of |= {i: p for i, _ in found}
        groups = {i // 6 for i, _ in found}
        assert text.count(GROUP) == len(groups)  # every group's merged label printed on its page
    assert 3 <= len(texts) <= 4 and sorted(page_of) == list(range(6 * GROUPS))
    pages_of_group = defaultdict(set)
    for i, p in page_of.items():
        pages_of_group[i // 6].add(p)
    assert all(len(ps) == 1 for ps in pages_of_group.values())  # no page break inside a merged label

"""A text-layer PDF (fpdf2): paragraphs, and tables drawn as ruled grids with merged cells, in a CJK font.

Rows are as tall as their longest wrapped label, so no text crosses a ruling line; a table that does not
fit on the rest of a page starts a new one. A table taller than a page (the long pre-2019 statistics forms)
continues on the next pages with its ruled grid, as printed reports do: it breaks only between rows, and
between rows no merged cell crosses when it can, so a label stays with its values.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from fpdf import FPDF

from nianbao.synth.cjk_font import font_path
from nianbao.synth.layout import Block, Table, TCell, positions

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
BODY_PT, TABLE_PT = 10, 7
LINE_MM = 3.4  # one table text line at TABLE_PT
PAD_MM = 1.2


def _col_widths(pdf: FPDF, table: Table, width: float) -> list[float]:
    """Label columns share what the value columns (16 mm each: a 7-digit figure on one line) leave."""
    value_cols = {c for r, c, cell in positions(table) if cell.key}
    n_label = table.n_cols - len(value_cols)
    label_w = (width - 16 * len(value_cols)) / max(n_label, 1)
    return [16.0 if c in value_cols else label_w for c in range(table.n_cols)]


def _lines(pdf: FPDF, text: str, width: float) -> int:
    return sum(
        max(1, math.ceil(pdf.get_string_width(part) / max(width - 2 * PAD_MM - 1, 1)))
        for part in text.split("\n")
    )


def _bands(table: Table, cells: list[tuple[int, int, TCell]]) -> list[range]:
    """Runs of rows no merged cell crosses (the header with the first): a page breaks between them."""
    ends = [r + cell.rowspan for r, _, cell in cells]
    bands, start, reach = [], 0, 0
    for r in range(len(table.rows)):
        reach = max([reach, *(e for (r0, _, _), e in zip(cells, ends, strict=True) if r0 == r)])
        if reach == r + 1 and r >= table.header_rows:  # the header goes with the first body rows
            bands.append(range(start, r + 1))
            start = r + 1
    return bands


def _pages(pdf: FPDF, heights: list[float], bands: list[range]) -> list[range]:
    """The rows each page holds: whole bands while they fit, row by row for a band taller than a page."""
    room = pdf.page_break_trigger - pdf.t_margin
    if sum(heights) <= room:  # fits on one page: on this one or alone on the next
        return [range(len(heights))]
    pages: list[range] = []
    start, used = 0, pdf.get_y() - pdf.t_margin
    for band in bands:
        units = [band] if sum(heights[r] for r in band) <= room else [range(r, r + 1) for r in band]
        for unit in units:
            h = sum(heights[r] for r in unit)
            if used + h > room:  # the next page; before the first unit, the table starts on a fresh one
                if unit.start > start:
                    pages.append(range(start, unit.start))
                    start = unit.start
                used = 0.0
            used += h
    return [*pages, range(start, len(heights))]


def _draw_table(pdf: FPDF, table: Table) -> None:
    pdf.set_font("cjk", size=TABLE_PT)
    widths = _col_widths(pdf, table, pdf.epw)
    cells = positions(table)
    heights = [LINE_MM + 2 * PAD_MM] * len(table.rows)
    for r, c, cell in cells:
        if cell.rowspan == 1:
            w = sum(widths[c : c + cell.colspan])
            heights[r] = max(heights[r], _lines(pdf, cell.text, w) * LINE_MM + 2 * PAD_MM)
    pages = _pages(pdf, heights, _bands(table, cells))
    if pdf.get_y() + sum(heights[r] for r in pages[0]) > pdf.page_break_trigger:
        pdf.add_page()
    left = pdf.l_margin
    x_of = [left + sum(widths[:c]) for c in range(len(widths) + 1)]
    for i, rows in enumerate(pages):
        if i:
            pdf.add_page()
        y_of = {r: pdf.get_y() + sum(heights[rows.start : r]) for r in range(rows.start, rows.stop + 1)}
        for r, c, cell in cells:
            first, last = max(r, rows.start), min(r + cell.rowspan, rows.stop)
            if first >= last:
                continue
            x, y = x_of[c], y_of[first]
            w = x_of[min(c + cell.colspan, len(widths))] - x
            h = y_of[last] - y
            pdf.rect(x, y, w, h)
            if cell.text and r == first:
                n = _lines(pdf, cell.text, w)
                pdf.set_xy(x + PAD_MM, y + (h - n * LINE_MM) / 2)
                pdf.multi_cell(w - 2 * PAD_MM, LINE_MM, cell.text, align="C" if cell.key else "L")
        pdf.set_xy(left, y_of[rows.stop])
    pdf.set_xy(left, pdf.get_y() + 3)
    pdf.set_font("cjk", size=BODY_PT)


def render(blocks: list[Block]) -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(EPOCH)
    pdf.add_font("cjk", fname=str(font_path()))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=BODY_PT)
    for b in blocks:
        if b.kind == "table" and b.table:
            _draw_table(pdf, b.table)
        else:
            pdf.multi_cell(0, 5.5, b.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

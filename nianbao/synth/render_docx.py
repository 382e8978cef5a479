"""A Word report (python-docx): headings, paragraphs and bordered tables with merged cells (gridSpan/vMerge).

python-docx stamps the zip entries and core properties with the current time; both are pinned so a seed
gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx

from nianbao.synth.layout import Block, positions

EPOCH = datetime(2020, 1, 1)


def render(blocks: list[Block]) -> bytes:
    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = d.core_properties.last_printed = EPOCH
    for b in blocks:
        if b.kind == "title":
            d.add_heading(b.text, level=1)
        elif b.kind == "heading":
            d.add_heading(b.text, level=2)
        elif b.kind == "table" and b.table:
            t = b.table
            n_rows = len(t.rows)
            table = d.add_table(rows=n_rows, cols=t.n_cols)
            table.style = "Table Grid"
            grid = table._cells  # once: table.cell() rebuilds this list on every call (quadratic on 表三)
            for r, c, cell in positions(t):
                r2, c2 = min(r + cell.rowspan, n_rows) - 1, min(c + cell.colspan, t.n_cols) - 1
                target = grid[r * t.n_cols + c]
                if (r2, c2) != (r, c):
                    target = target.merge(grid[r2 * t.n_cols + c2])
                target.text = cell.text
        else:
            for line in b.text.split("\n"):
                d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return _pinned_zip(buf.getvalue())


def _pinned_zip(data: bytes) -> bytes:
    """The same archive with every entry dated EPOCH (zip entries carry the time they were written)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=EPOCH.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(pinned, src.read(info.filename))
    return out.getvalue()

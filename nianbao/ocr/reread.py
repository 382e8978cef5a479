"""Identity-guided second reading: when 表三 does not add up, read the cells of the failing check again.

The §2e identities are the proof a scan was read right. When one fails (or cannot be checked because a
value was too doubtful to be a number), only the cells that check involves are read a second time: binarised
another way (adaptive threshold: local, where Tesseract's own is global Otsu), digits-only. Enlarging the
crop was tried and reads worse (Tesseract drops a lone glyph 1.5x its trained height). The second readings are kept only if the
identities then hold; the cell keeps its first text in `Cell.first_reading` and says `ocr_reread` in its
source. Otherwise nothing changes and the dbt check reports FAIL, as for any anomaly of the source.
The identities are `tables.blocks.identity_failure` (one owner); this module only chooses what to re-read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from nianbao.ocr import policy
from nianbao.ocr.engine import Reading, engine
from nianbao.tables.blocks import identity_failure
from nianbao.tables.catalog import T3_COLUMN_KEYS, T3_COLUMNS
from nianbao.tables.cells import extract_cells
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.labels import TableCell
from nianbao.tables.tokens import read_value

if TYPE_CHECKING:
    from nianbao.ocr.limited import OcrContent
    from nianbao.ocr.reader import OcrPage

REREAD = "ocr_reread"
MAX_ROUNDS = 3  # each round fixes one failing check; a table with more is left as read
_BBOX = re.compile(r"^ocr:p(\d+) bbox=([\d.]+),([\d.]+),([\d.]+),([\d.]+)")


def _number(text: str, confidence: float | None) -> float | None:
    if confidence is not None and confidence < policy.MIN_CELL_CONFIDENCE:
        return None
    return read_value(text).number


def _t3_rows(cells: dict[tuple[str, str], tuple[str, float | None]]) -> dict[str, list[float]] | None:
    """row key → the seven numbers in printed column order; None when a value is not a number."""
    rows: dict[str, list[float]] = {}
    for row in dict.fromkeys(r for r, _ in cells):
        values = [cells.get((row, c)) for c in T3_COLUMN_KEYS]
        numbers = [_number(*v) if v else None for v in values]
        if any(n is None for n in numbers):
            return None
        rows[row] = [n for n in numbers if n is not None]
    return rows


def _involved(
    failure: str | None, cells: dict[tuple[str, str], tuple[str, float | None]]
) -> set[tuple[str, str]]:
    """The cells a failed check names: a row's seven, a column's every row, or the values that are no number."""
    doubtful = {k for k, v in cells.items() if _number(*v) is None}
    if doubtful:
        return doubtful
    if failure is None:
        return set()
    if m := re.match(r"row (\S+):", failure):
        return {k for k in cells if k[0] == m.group(1)}
    if m := re.match(r"column (\S+):", failure):
        col = T3_COLUMN_KEYS[T3_COLUMNS.index(m.group(1))] if m.group(1) in T3_COLUMNS else None
        return {k for k in cells if k[1] == col}
    return set()


def reread_cell(pages: dict[int, OcrPage], source: str) -> Reading | None:
    """A second, independent reading of one value cell: adaptive binarisation, digits only."""
    from nianbao.ocr.reader import cell_image

    m = _BBOX.match(source)
    if not m or int(m.group(1)) not in pages:
        return None
    page = pages[int(m.group(1))]
    box = tuple(round(float(v) * page.dpi / 72) for v in m.group(2, 3, 4, 5))
    img = cell_image(page.layout, page.dpi, box)  # type: ignore[arg-type]
    if img is None:
        return Reading("", 1.0)
    bw = cv2.adaptiveThreshold(img, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 15)
    return engine().read_digits(np.ascontiguousarray(bw))


def _replace_cell(grid: Grid, old: Cell, new: Cell) -> None:
    for row in grid.rows:
        for k, c in enumerate(row):
            if c is old:
                row[k] = new


def second_reading(content: OcrContent, pages: list[OcrPage]) -> str | None:
    """Re-read the cells of failing 表三 identities in place; returns (and notes) what was done, if anything.

    Each round re-reads the cells of the check that still fails on the readings so far (up to
    `MAX_ROUNDS` checks); the second readings are taken only when every identity then holds.
    """
    t3 = [c for c in extract_cells(content.grids, content.text) if c.table == "t3"]
    if not t3 or len({c.grid_index for c in t3}) != 1:
        return None
    grid = content.grids[t3[0].grid_index]
    by_key: dict[tuple[str, str], TableCell] = {(c.row_key, c.col_key): c for c in t3}
    read = {k: (c.value_raw, c.ocr_confidence) for k, c in by_key.items()}
    rows = _t3_rows(read)
    failure = identity_failure(rows) if rows is not None else None
    if rows is not None and failure is None:
        return None
    why = failure or "a value is too doubtful to be a number"
    by_number = {p.number: p for p in pages}
    second: dict[tuple[str, str], Reading] = {}
    trial = dict(read)
    for _ in range(MAX_ROUNDS):
        involved = _involved(failure, trial) - set(second)
        if not involved:
            break
        for k in involved:
            r = reread_cell(by_number, by_key[k].source)
            if r is not None:
                second[k] = r
                trial[k] = (r.text, r.confidence)
        trial_rows = _t3_rows(trial)
        failure = identity_failure(trial_rows) if trial_rows is not None else "a value is still not a number"
        if failure is None:
            break
    if failure is not None:
        note = (
            f"表三 {why}: a second reading of {len(second)} cell(s) did not make it hold; first reading kept"
        )
    else:
        changed = 0
        for k, r in second.items():
            tc = by_key[k]
            old = grid.rows[tc.grid_row][tc.grid_col]
            if old is None or r.text == old.text:
                continue
            new = replace(
                old,
                text=r.text,
                confidence=round(r.confidence, 3),
                first_reading=old.text,
                source=f"{old.source} {REREAD}",
            )
            _replace_cell(grid, old, new)
            changed += 1
        note = f"表三 {why}: {len(second)} cell(s) read a second time, {changed} changed; the identities hold"
    grid.notes.append(note)
    content.notes.append(note)
    return note

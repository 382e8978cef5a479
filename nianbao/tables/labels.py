"""Reading a grid by its labels, shared by the per-table cell readers (`t2`, `t3`, `t4`).

Header rows name the columns, label cells name the rows, and a value is only ever read from the grid
position where a known row label and a known column label meet: a missing or extra cell elsewhere cannot
shift it. A value cell that covers more than one known column (a flattened row whose numbers could not be
placed) is read as TEXT in each: not evaluable, never guessed. So is an OCR'd value cell read with less than
`MIN_CELL_CONFIDENCE` (rule id `….ocr_low_confidence`): a doubtful reading is kept as printed, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.ocr.policy import MIN_CELL_CONFIDENCE
from nianbao.tables import catalog
from nianbao.tables.catalog import Label, canon
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.tokens import read_value, to_yuan


@dataclass(unsafe_hash=True)  # not frozen, for the reason `grid.Cell` is not (≈180 of these a report)
class TableCell:
    table: str  # t2 / t3 / t4
    era: str | None  # std2019 / std2021 (None when the table alone does not tell)
    row_key: str
    col_key: str
    row_label: str  # labels as printed, parents first, joined with " / "
    col_label: str
    value_raw: str
    value_num: float | None  # money in yuan
    value_semantic: str
    unit: str  # 件 / 条 / 元 (money normalised to yuan)
    unit_stated: str | None  # the unit as printed (万元) when it differs
    source: str
    grid_index: int
    grid_row: int
    grid_col: int
    page: int | None
    span_start: int | None
    span_end: int | None
    rule_id: str
    ocr_confidence: float | None = None  # the grid cell's OCR confidence; None when a text layer gave it
    ocr_first_reading: str | None = None  # the first OCR text, when a second reading replaced it


def distinct(cells: list[Cell | None]) -> list[Cell]:
    """The non-blank cells in order, each once (a merged cell fills several positions: same object)."""
    out: list[Cell] = []
    seen: set[int] = set()
    prev = None
    for c in cells:
        if c is prev or c is None:  # a cell merged over the positions before: skipped without a lookup
            continue
        prev = c
        if id(c) not in seen and c.text.strip():
            seen.add(id(c))
            out.append(c)
    return out


def row_canon(grid: Grid, r: int) -> str:
    """The row's cells joined by spaces, canonical. The ASCII cells at either end (its numbers) are made
    canonical apart from the rest, so the labels' canonical form is found in the cache whatever numbers sit
    beside them: canonical(a + " " + b) == canonical(a) + canonical(b) when either is ASCII (NFKC, t2s and the
    typos leave ASCII as it is, and no t2s phrase, pinyin gloss or typo runs over a space)."""
    texts = [c.text for c in distinct(grid.rows[r])]
    i, j = 0, len(texts)
    while i < j and texts[i].isascii():
        i += 1
    while j > i and texts[j - 1].isascii():
        j -= 1
    middle = [canon(" ".join(texts[i:j]))] if i < j else []
    return "".join([*map(canon, texts[:i]), *middle, *map(canon, texts[j:])])


def header_labels(grid: Grid, rows: range, col: int) -> tuple[str, list[str]]:
    """Concatenated canonical header text above a column, and the printed labels."""
    printed = [
        c.text.strip()
        for c in distinct([grid.rows[r][col] if col < len(grid.rows[r]) else None for r in rows])
    ]
    return canon("".join(printed)), printed


def map_columns(grid: Grid, header: range, labels: tuple[Label, ...]) -> dict[int, tuple[str, str]]:
    """Grid column → (key, printed label) for every column whose header matches a known label (first wins)."""
    mapped: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for col in range(grid.width):
        text, printed = header_labels(grid, header, col)
        lab = catalog.match(labels, text) if text else None
        if lab and lab.key not in seen:
            seen.add(lab.key)
            mapped[col] = (lab.key, " / ".join(printed))
    return mapped


def read_cell(
    grid: Grid,
    table: str,
    era: str | None,
    r: int,
    col: int,
    row: tuple[str, str],
    column: tuple[str, str],
    value_cols: set[int],
    unit: str,
    unit_stated: str | None,
) -> TableCell:
    cell = grid.rows[r][col] if col < len(grid.rows[r]) else None
    raw = cell.text.strip() if cell else ""
    value = read_value(raw)
    semantic, number = value.semantic, value.number
    if (
        cell
        and cell.colspan > 1
        and len(value_cols.intersection(range(cell.col, cell.col + cell.colspan))) > 1
    ):
        # one printed cell over several known columns: which one it belongs to is unknown
        semantic, number = ("EMPTY", None) if not raw else ("TEXT", None)
    rule_id = f"{table}.labels.{grid.fmt}"
    if raw and is_low_confidence(cell):  # a doubtful OCR reading: kept as printed, not evaluable
        semantic, number, rule_id = "TEXT", None, f"{rule_id}.ocr_low_confidence"
    stated = value.inline_unit or unit_stated
    if stated in ("万元", "元"):
        number, out_unit = to_yuan(number, stated), "元"
    else:
        out_unit = unit
    # Positional, in field order: naming all 21 keywords made the call ~3x slower (~130 cells a report).
    return TableCell(
        table,
        era,
        row[0],  # row_key
        column[0],  # col_key
        row[1],  # row_label
        column[1],  # col_label
        raw,  # value_raw
        number,  # value_num
        semantic,  # value_semantic
        out_unit,  # unit
        stated if stated and stated != out_unit else None,  # unit_stated
        cell.source if cell else f"{grid.fmt}:t{grid.index}/r{r}c{col}",  # source
        grid.index,
        r,  # grid_row
        col,  # grid_col
        grid.page,
        cell.span_start if cell else None,
        cell.span_end if cell else None,
        rule_id,
        cell.confidence if cell else None,  # ocr_confidence
        cell.first_reading if cell else None,  # ocr_first_reading
    )


def is_low_confidence(cell: Cell | None) -> bool:
    """True for an OCR'd cell read with less confidence than a figure needs (a text-layer cell has none)."""
    return cell is not None and cell.confidence is not None and cell.confidence < MIN_CELL_CONFIDENCE


def label_text(grid: Grid, r: int, first_value: int) -> tuple[str, str]:
    """A row's labels (the distinct cells left of the value columns), canonical and as printed."""
    cells = distinct(grid.rows[r][:first_value])
    printed = " / ".join(c.text.strip() for c in cells)
    return canon("".join(c.text for c in cells)), printed

"""表三 in the official layout from printed pieces: caption-less fragments and displaced label/value blocks.

Why: converters and OCR lose a table's geometry in two common ways. (1) A fragment starts in the middle of
the table with no header: its rows still carry their labels, so the values can be read in the official
column order, but only when every value row holds exactly the official seven values. (2) The label column
is printed as one block and the value rows as another block, in the same order. Pairing them by position
is only safe when it is provably right: the counts match exactly AND the accounting identities of 表三
(report_formats.md §2e) hold on the paired rows. The label block must also be the whole official label column of its era
in the official order: a lost label whose lost value row was all zeros leaves every identity intact.
Otherwise the values stay one TEXT cell over all the rows (never a value moved onto another label) and
the grid's notes say why (`NOT_PLACED`).

The grids rebuilt here carry the official header (`_header_cells`), so `tables.cells` reads them by
labels like any other grid; value cells keep their span in the normalised text. Markdown shapes come
from `tables.markdown`; plain-text label and value blocks are found here (`displaced_text_grids`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.tables import catalog, t3
from nianbao.tables.catalog import T3_CAPTION, T3_COLUMNS, canon
from nianbao.tables.era import T3_STD2021_ROWS
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.tokens import is_page_number, is_value_token, read_value

NOT_PLACED = "values not placed"  # starts every note that says why printed values were kept as TEXT
_LABEL_WIDTH = 3
MIN_BLOCK_ROWS = 3  # a label block: at least this many row labels with no number between them
_FIXED_ROWS = ("new", "carried_over", "total", "carried_forward")


@dataclass(frozen=True)
class Piece:
    """A printed piece of the text (a label or a value) and its span in the normalised text."""

    text: str
    start: int
    end: int


def spanning(text: str, pieces: list[Piece]) -> Piece:
    """One piece from the first to the last, as printed (so its text is its span of the text)."""
    return Piece(text[pieces[0].start : pieces[-1].end], pieces[0].start, pieces[-1].end)


def is_2021(labels: list[str]) -> bool:
    """The 2021 layout: （六）其他处理 is a parent over three reasons (report_formats.md §2b/§2c)."""
    return any(T3_STD2021_ROWS.search(canon(t)) for t in labels)


def t3_row_key(label: str, era2021: bool) -> str | None:
    """The 表三 data-row key a printed label names; None for a parent label (（三）不予公开 …) or other text."""
    lab = catalog.match(catalog.T3_MATCH_ORDER, label)
    if lab is None or (era2021 and lab.key == "other"):
        return None
    if not era2021 and lab.key.startswith("other."):
        return None
    return lab.key


def _header_cells(source: str) -> list[Cell]:
    """The official 表三 header in 3 rows × 10 columns: 自然人, 法人或其他组织 over its five kinds, 总计.

    The anchor labels sit in the first row, so `tables.cells` finds the table even when a fragment has no
    一、本年新收 row to end the header with.
    """
    cells = [
        Cell(T3_CAPTION, 0, 0, 3, _LABEL_WIDTH, source),
        Cell("自然人", 0, 3, 3, 1, source),
        Cell("法人或其他组织", 0, 4, 1, 5, source),
        Cell("总计", 0, 9, 3, 1, source),
    ]
    cells += [Cell(lab, 1, 4 + k, 2, 1, source) for k, lab in enumerate(T3_COLUMNS[1:6])]
    return cells


def _value(piece: Piece, r: int, c: int, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(piece.text, r, c, rowspan, colspan, f"text:{piece.start}-{piece.end}", piece.start, piece.end)


def official_t3_grid(
    text: str,
    rows: list[tuple[Piece, list[Piece] | None]],
    fmt: str,
    index: int,
    notes: list[str],
    place: bool = True,
    unplaced: Piece | None = None,
) -> Grid:
    """A 表三 grid in the official layout: one row per (label, values); values in official column order.

    A row's values are placed only when `place` and there are exactly seven; otherwise the row gets one
    cell over the seven value columns holding what was printed (TEXT, not evaluable). `unplaced` is a
    value block that could not be paired: one cell over every row's value columns.
    """
    cells = _header_cells(f"{fmt}:official-header")
    n = len(T3_COLUMNS)
    for k, (label, values) in enumerate(rows):
        r = _LABEL_WIDTH + k
        cells.append(_value(label, r, 0, colspan=_LABEL_WIDTH))
        printed = [v for v in values or [] if v.text]
        if values and place and len(values) == n:
            cells += [_value(v, r, _LABEL_WIDTH + j) for j, v in enumerate(values)]
        elif printed:
            cells.append(_value(spanning(text, printed), r, _LABEL_WIDTH, colspan=n))
    if unplaced is not None and rows:
        cells.append(_value(unplaced, _LABEL_WIDTH, _LABEL_WIDTH, n, len(rows)))
    return from_cells(
        cells, fmt, index, notes=notes, n_rows=_LABEL_WIDTH + len(rows), n_cols=_LABEL_WIDTH + n
    )


def identity_failure(rows: dict[str, list[float]]) -> str | None:
    """Why the 表三 accounting identities (§2e) do not hold on these rows; None when they all hold.

    rows: row key → the seven values in official column order. Checked: 一 + 二 = （七） + 四 per column,
    （七） = the sum of the outcome rows per column, and 总计 = the sum of the six applicant columns per row.
    """
    missing = [k for k in _FIXED_ROWS if k not in rows]
    if missing:
        return f"rows needed for the identities are missing: {', '.join(missing)}"
    for key, vals in rows.items():
        if abs(sum(vals[:6]) - vals[6]) > 1e-9:
            return f"row {key}: the six applicant columns sum to {sum(vals[:6]):g}, 总计 is {vals[6]:g}"
    outcomes = [k for k in rows if k not in _FIXED_ROWS]
    for c, col in enumerate(T3_COLUMNS):
        left = rows["new"][c] + rows["carried_over"][c]
        right = rows["total"][c] + rows["carried_forward"][c]
        if abs(left - right) > 1e-9:
            return f"column {col}: 一+二 = {left:g} but (七)+四 = {right:g}"
        summed = sum(rows[k][c] for k in outcomes)
        if abs(summed - rows["total"][c]) > 1e-9:
            return f"column {col}: the outcome rows sum to {summed:g} but (七)总计 is {rows['total'][c]:g}"
    return None


def pair_blocks(
    text: str, labels: list[Piece], value_rows: list[list[Piece]], block: Piece, fmt: str, index: int
) -> Grid | None:
    """A label block and a value block printed one after the other → a 表三 grid, paired only when proven.

    labels: the label block in order (data rows, parents and wrapped label tails); value_rows: the value
    block's rows in order; block: the whole value block (kept as one TEXT cell when pairing is refused).
    """
    era2021 = is_2021([p.text for p in labels])
    rows: list[tuple[Piece, str]] = []
    for p in labels:
        key = t3_row_key(p.text, era2021)
        if key is not None:
            rows.append((p, key))
    if not rows:
        return None
    notes = [f"label block ({len(rows)} rows) and value block ({len(value_rows)} rows) printed apart"]
    keys = [k for _, k in rows]
    reason = None
    official = [lab.key for lab in catalog.T3_ROWS if t3_row_key(lab.label, era2021) == lab.key]
    if len(set(keys)) != len(keys):
        reason = "a row label occurs twice in the label block"
    elif keys != sorted(keys, key=official.index):
        reason = "the row labels are not in the official order"
    elif missing := [k for k in official if k not in keys]:
        # Identities cannot see a lost label whose lost value row was all zeros: the block must be whole.
        reason = f"the label block lacks {', '.join(missing)}"
    elif len(rows) != len(value_rows):
        reason = f"{len(rows)} row labels but {len(value_rows)} value rows"
    elif any(len(v) != len(T3_COLUMNS) for v in value_rows):
        reason = "a value row does not hold exactly seven values"
    else:
        numbers: dict[str, list[float]] = {}
        for key, vals in zip(keys, value_rows, strict=True):
            read = [read_value(v.text) for v in vals]
            if any(x.number is None for x in read):
                reason = f"row {key}: a value is not a number, so the identities cannot be checked"
                break
            numbers[key] = [x.number for x in read if x.number is not None]
        reason = reason or identity_failure(numbers)
    if reason:
        notes.append(f"{NOT_PLACED}: label and value blocks not paired ({reason}); kept as one text cell")
        return official_t3_grid(text, [(p, None) for p, _ in rows], fmt, index, notes, unplaced=block)
    notes.append("paired by position: counts match and the §2e identities hold")
    return official_t3_grid(
        text, [(p, v) for (p, _), v in zip(rows, value_rows, strict=True)], fmt, index, notes
    )


_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def displaced_text_grids(text: str, first_index: int = 0) -> tuple[list[Grid], list[tuple[int, int]]]:
    """表三 printed in plain text as a block of label lines followed by a block of value lines.

    A label block starts at the 一、本年新收 line and runs over lines that hold no value token; the value
    block is the run of lines right after it that hold only value tokens. Returns the grids (paired or
    refused by `pair_blocks`) and the text spans they cover, which no other reader should read again.
    """
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    grids: list[Grid] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        start, raw = lines[i]
        if (
            "收" not in raw  # no 本年新收 (cheap: most lines are prose)
            or not t3.START.match(_WHITESPACE.sub("", raw))
            or any(is_value_token(t) for t in raw.split())
        ):
            i += 1
            continue
        labels: list[Piece] = []
        j = i
        while j < len(lines) and (
            is_page_number(lines[j][1]) or not any(is_value_token(t) for t in lines[j][1].split())
        ):
            s, line = lines[j]
            if line.strip() and not is_page_number(line):
                lead = len(line) - len(line.lstrip())
                labels.append(Piece(line.strip(), s + lead, s + lead + len(line.strip())))
            j += 1
        values: list[list[Piece]] = []
        k = j
        while k < len(lines):
            s, line = lines[k]
            toks = line.split()
            if is_page_number(line) or not toks:
                k += 1
                continue
            if not all(is_value_token(t) for t in toks):
                break
            values.append([Piece(m.group(), s + m.start(), s + m.end()) for m in _WORD.finditer(line)])
            k += 1
        data_labels = [p for p in labels if t3_row_key(p.text, is_2021([x.text for x in labels]))]
        if len(data_labels) < MIN_BLOCK_ROWS or not values:
            i = j
            continue
        flat = [p for row in values for p in row]
        grid = pair_blocks(text, labels, values, spanning(text, flat), "blocks", first_index + len(grids))
        if grid is not None:
            grids.append(grid)
            spans.append((start, flat[-1].end))
        i = k
    return grids, spans

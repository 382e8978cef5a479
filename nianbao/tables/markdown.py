"""GitHub pipe tables, as PDF-to-markdown and OCR converters print them → Grids read by labels.

Why: a converter prints a real grid, only in its own conventions. A merged header cell is the label then
blank cells (`| 行政复议 | | | | | 行政诉讼 | …`); a rowspan label (（三）不予公开) is the label then blank
label cells below it; a header stands over several rows; a table cut at a page break comes as several
blocks with repeated or partial headers and `|---|` lines anywhere. Read as flattened text, such lines lose
their columns; read as a grid they keep them. So:

1. A table starts at a run of lines that start with `|` and hold a delimiter row (`|---|---|`); a run
   without one is read only as the continuation of the table just above it, otherwise (scraped
   `a | b |` pages) it stays with the flattened-text reader. Where rows close with a pipe, a row that
   does not was cut off mid-cell: it is read as damaged (below).
2. Header rows (the rows before the first row with a value or a known row label) continue each cell
   rightwards over the blank cells after it, but only under one parent: `法人或其他组织` spreads over the
   five kinds below `申请人情况`, while the blank below `总计` does not take the `其他` to its left.
3. Body label cells continue downwards over blank label cells when the row prints a deeper label of its
   own (`| | | 2.其他法律…` sits under （三）不予公开 and 三、本年度办理结果).
4. A block with no header, or with a header that repeats the open table's, continues the table above when
   it has the same number of columns; its repeated header rows are dropped. A headerless block that
   continues nothing is a fragment: read by its row labels in the official column order
   (`blocks.official_t3_grid`) only when every value row holds exactly seven values.
5. Label rows followed by value rows (the label column and the values printed as two blocks) are paired
   by `blocks.pair_blocks`, which refuses unless counts and identities prove the pairing.
6. A row with more or fewer cells than the table's width lost or gained a cell: none of its values is
   placed (one TEXT cell over its value columns); a damaged header row places no value at all.

Cells keep `span_start`/`span_end` into the normalised text (`source="text:<start>-<end>"`), so the
provenance of a value is the same as for the flattened-text reader; `Grid.fmt` names the shape
(`markdown`, `markdown_fragment`, `markdown_blocks`), hence rule ids such as `t3.labels.markdown`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nianbao.tables import catalog
from nianbao.tables.blocks import (
    MIN_BLOCK_ROWS,
    NOT_PLACED,
    Piece,
    is_2021,
    official_t3_grid,
    pair_blocks,
    spanning,
    t3_row_key,
)
from nianbao.tables.catalog import T3_COLUMNS, canon
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.tokens import is_page_number, read_value

DELIMITER = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_CELL_PIPE = re.compile(r"(?<!\\)\|")  # a cell border (an escaped `\|` is text)
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}[、.,]")
_GAP_LINE = 20  # a short line between two blocks (续表, a page number) does not end the table


@dataclass
class PipeBlock:
    """Consecutive `|` lines: their rows of cells (delimiter rows counted, not kept)."""

    first_line: int
    last_line: int
    start: int  # text span of the block
    end: int
    rows: list[list[Piece]] = field(default_factory=list)
    delimiters: int = 0


def _cells(text: str, start: int, end: int) -> list[Piece]:
    """The cells of one `| a | b |` line (leading and trailing pipes are borders, not empty cells)."""
    line = text[start:end]
    body_start = start + (len(line) - len(line.lstrip()))
    body = text[body_start:end].rstrip()
    body_end = body_start + len(body)
    if body.startswith("|"):
        body_start += 1
    if body_end > body_start and text[body_end - 1] == "|" and text[body_end - 2 : body_end] != "\\|":
        body_end -= 1
    out: list[Piece] = []
    pos = body_start
    for raw in _CELL_PIPE.split(text[body_start:body_end]):
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        s = pos + lead
        out.append(
            Piece(_BREAK.sub(" ", content).strip() if "<" in content else content, s, s + len(content))
        )
        pos += len(raw) + 1
    return out


def pipe_blocks(text: str) -> list[PipeBlock]:
    """Every run of `|` lines, in text order (only those with a delimiter row start a table)."""
    blocks: list[PipeBlock] = []
    ends: list[tuple[list[Piece], bool]] = []
    cur: PipeBlock | None = None
    pos = 0
    for no, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.lstrip().startswith("|"):
            cur = None
            continue
        if cur is None:
            cur = PipeBlock(no, no, start, end)
            blocks.append(cur)
        cur.last_line, cur.end = no, end
        if DELIMITER.fullmatch(line.strip()):
            cur.delimiters += 1
            continue
        row = _cells(text, start, end)
        if any(c.text for c in row):
            cur.rows.append(row)
            ends.append((row, line.rstrip().endswith("|")))
    # Where rows close with a pipe, a row that does not was cut off: its last cell may be a cut number
    # (`| 4` of `| 40 |`), so it is dropped and the row, one cell short, is read as damaged.
    if 2 * sum(closed for _, closed in ends) > len(ends):
        for row, closed in ends:
            if not closed:
                row.pop()
    return [b for b in blocks if b.rows]


# --------------------------------------------------------------------------------------------- rows


def _is_value(p: Piece | None) -> bool:
    return p is not None and bool(p.text) and read_value(p.text).semantic in ("NUMERIC", "ZERO", "NA")


def _has_values(row: list[Piece]) -> bool:
    return any(_is_value(p) for p in row)


def _names_row(row: list[Piece]) -> bool:
    """True when the row's text is a known 表二/表三 row label (a data row even with every value blank)."""
    text = "".join(p.text for p in row if p.text and not _is_value(p))
    return bool(text) and (
        catalog.match(catalog.T3_MATCH_ORDER, text) is not None
        or catalog.match(catalog.T2_ROWS, text) is not None
    )


def _header_count(rows: list[list[Piece]]) -> int:
    k = 0
    while k < len(rows) and not _has_values(rows[k]) and not _names_row(rows[k]):
        k += 1
    return k


def _header_canon(rows: list[list[Piece]], width: int) -> list[str]:
    return [canon("".join(r[c].text for r in rows if c < len(r))) for c in range(width)]


def _repeats(header: list[list[Piece]], above: list[str]) -> bool:
    """A header that only repeats (all or part of) the header of the table above, column by column."""
    mine = _header_canon(header, len(above))
    return (
        any(mine)
        and all(m in a for m, a in zip(mine, above, strict=True))
        and all(len(r) <= len(above) for r in header)
    )


@dataclass
class Table:
    """One markdown table: its header rows and body rows (blocks of one table joined)."""

    header: list[list[Piece]]
    body: list[list[Piece]]
    width: int
    last_line: int
    blocks: list[PipeBlock]
    text: str  # the document's normalised text
    notes: list[str] = field(default_factory=list)


def _width(rows: list[list[Piece]]) -> int:
    """The table's number of columns: the commonest row length (a converter prints every row in full)."""
    return Counter(len(r) for r in rows).most_common(1)[0][0]


def _gap_ok(lines: list[str], a: int, b: int) -> bool:
    """Only blank or short non-heading lines (续表, a page number) between two blocks of one table."""
    for line in lines[a:b]:
        s = line.strip()
        if s and not is_page_number(s) and (len(s) > _GAP_LINE or "。" in s or _HEADING.match(s)):
            return False
    return True


def _continues(prev: Table | None, blk: PipeBlock, lines: list[str]) -> str | None:
    """How the block continues the table above (None when it does not)."""
    if prev is None or not _gap_ok(lines, prev.last_line + 1, blk.first_line):
        return None
    rows = blk.rows
    header = rows[: _header_count(rows)]
    body = rows[len(header) :]
    if (
        not header
        and prev.body
        and not any(_has_values(r) for r in prev.body)
        and all(all(_is_value(p) or not p.text for p in r) for r in body)
    ):
        return "the values of the label block above"
    if not prev.header or _width(rows) != prev.width:
        return None
    if not header:
        return "the table above (no header)"
    if _repeats(header, _header_canon(prev.header, prev.width)):
        return "the table above (repeated header dropped)"
    return None


def _tables(text: str, blocks: list[PipeBlock]) -> list[Table]:
    """Markdown tables: a block with a delimiter row starts one unless it continues the one above."""
    lines = text.split("\n")
    tables: list[Table] = []
    for blk in blocks:
        prev = tables[-1] if tables else None
        how = _continues(prev, blk, lines)
        if how is not None and prev is not None:
            prev.notes.append(f"block at text:{blk.start}-{blk.end} continues {how}")
            prev.body += blk.rows[_header_count(blk.rows) :]
            prev.last_line = blk.last_line
            prev.blocks.append(blk)
            continue
        if not blk.delimiters:
            continue  # scraped `a | b |` lines: the flattened-text reader's
        n_header = _header_count(blk.rows)
        table = Table(blk.rows[:n_header], blk.rows[n_header:], _width(blk.rows), blk.last_line, [blk], text)
        if blk.delimiters > 1:
            table.notes.append(f"{blk.delimiters - 1} delimiter row(s) inside the table skipped")
        tables.append(table)
    return tables


# --------------------------------------------------------------------------------------------- grid


def _label_width(body: list[list[Piece]]) -> int:
    """Label columns: before the first value cell of the rows that hold values."""
    firsts = [next(c for c, p in enumerate(r) if _is_value(p)) for r in body if _has_values(r)]
    return min(firsts, default=0)


def _grid(table: Table, index: int) -> Grid:
    """The expanded grid: header cells continued rightwards, label cells downwards.

    A row with more or fewer cells than the table has lost or gained a cell somewhere: its values cannot
    be placed by position, so its value columns become one TEXT cell (all rows', when a header row is
    the damaged one).
    """
    rows = table.header + table.body
    n_header = len(table.header)
    width = table.width
    lw = _label_width([r for r in table.body if len(r) == width])
    damaged_header = any(len(r) != width for r in table.header)
    damaged = {n_header + k for k, r in enumerate(table.body) if damaged_header or len(r) != width}
    # owner[r][c]: the (row, col) of the printed cell covering that position, or None.
    owner: list[list[tuple[int, int] | None]] = [
        [(r, c) if c < len(row) and row[c].text and r not in damaged else None for c in range(width)]
        for r, row in enumerate(rows)
    ]
    for r in range(n_header):
        for c in range(1, width):
            if owner[r][c] is None and owner[r][c - 1] is not None:
                same_parent = r == 0 or owner[r - 1][c] == owner[r - 1][c - 1]
                if same_parent:
                    owner[r][c] = owner[r][c - 1]
    for r in range(n_header + 1, len(rows)):
        for c in range(lw):
            deeper = any(owner[r][k] == (r, k) for k in range(c + 1, lw))
            left_continued = all(owner[r][k] is not None and owner[r][k] != (r, k) for k in range(c))
            if owner[r][c] is None and deeper and left_continued and owner[r - 1][c] is not None:
                owner[r][c] = owner[r - 1][c]
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        if r in damaged:
            cells += _damaged_row(table.text, row, r, lw, width)
            continue
        for c, p in enumerate(row):
            if owner[r][c] != (r, c):
                continue
            colspan = 1
            while c + colspan < width and owner[r][c + colspan] == (r, c):
                colspan += 1
            rowspan = 1
            while r + rowspan < len(rows) and owner[r + rowspan][c] == (r, c):
                rowspan += 1
            cells.append(_cell(p, r, c, rowspan, colspan))
    notes = list(table.notes)
    if damaged:
        notes.append(
            f"{NOT_PLACED}: {len(damaged)} row(s) without the table's {width} cells"
            f"{' under a damaged header' if damaged_header else ''}: values kept as text, not placed"
        )
    return from_cells(cells, "markdown", index, notes=notes, n_rows=len(rows), n_cols=width)


def _cell(p: Piece, r: int, c: int, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(p.text, r, c, rowspan, colspan, f"text:{p.start}-{p.end}", p.start, p.end)


def _damaged_row(text: str, row: list[Piece], r: int, lw: int, width: int) -> list[Cell]:
    """A row whose cells cannot be placed: its labels over the label columns, its values as one cell."""
    labels = [p for p in row if p.text and not _is_value(p)]
    values = [p for p in row if _is_value(p)]
    out: list[Cell] = []
    if labels and lw:
        out.append(_cell(spanning(text, labels), r, 0, 1, lw))
    if values and width > lw:
        out.append(_cell(spanning(text, values), r, lw, 1, width - lw))
    return out


def _fragment(table: Table, index: int) -> Grid | None:
    """A headerless 表三 fragment in the official column order, only with exactly seven values per row."""
    labels = [" ".join(p.text for p in r if p.text and not _is_value(p)) for r in table.body]
    era2021 = is_2021(labels)
    if not any(t3_row_key(t, era2021) for t in labels):
        return None
    lw = max((c + 1 for r in table.body for c, p in enumerate(r) if p.text and not _is_value(p)), default=0)
    rows: list[tuple[Piece, list[Piece] | None]] = []
    counts_ok = True
    for r, text in zip(table.body, labels, strict=True):
        if t3_row_key(text, era2021) is None:
            continue
        values = r[lw:]
        counts_ok &= len(values) == len(T3_COLUMNS)
        rows.append((spanning(table.text, [p for p in r if p.text and not _is_value(p)]), values))
    notes = [*table.notes, "table starts mid-table with no header: columns taken in the official order"]
    if not counts_ok:
        notes.append(
            f"{NOT_PLACED}: a row does not hold exactly {len(T3_COLUMNS)} value cells after its labels,"
            " so the official column order cannot be assumed; values kept as text"
        )
    return official_t3_grid(table.text, rows, "markdown_fragment", index, notes, place=counts_ok)


def _displaced(table: Table, index: int) -> Grid | None:
    """Label rows followed by value rows in one table: the label column and the values printed apart."""
    body = table.body
    k = 0
    while k < len(body) and not _has_values(body[k]):
        k += 1
    labels, values = body[:k], body[k:]
    if (
        len(labels) < MIN_BLOCK_ROWS
        or not values
        or any(not all(_is_value(p) or not p.text for p in r) for r in values)
    ):
        return None
    label_pieces = [spanning(table.text, [p for p in r if p.text]) for r in labels if any(p.text for p in r)]
    value_rows = [[p for p in r if p.text] for r in values]
    flat = [p for r in value_rows for p in r]
    grid = pair_blocks(
        table.text, label_pieces, value_rows, spanning(table.text, flat), "markdown_blocks", index
    )
    if grid is not None:
        grid.notes[:0] = table.notes
    return grid


def markdown_grids(text: str, first_index: int = 0) -> tuple[list[Grid], list[tuple[int, int]]]:
    """Grids of the pipe tables in a normalised text, and the text spans of the blocks they came from."""
    blocks = pipe_blocks(text)
    grids: list[Grid] = []
    tables = _tables(text, blocks)
    for table in tables:
        index = first_index + len(grids)
        grid = _displaced(table, index)
        if grid is None and not table.header:
            grid = _fragment(table, index)
        if grid is None:
            grid = _grid(table, index)
        grids.append(grid)
    # A header with no rows under it (its numbers printed as plain text) stays readable by the text reader.
    return grids, [(b.start, b.end) for t in tables if t.body for b in t.blocks]

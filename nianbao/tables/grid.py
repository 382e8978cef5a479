"""One grid model for tables from HTML, PDF, DOCX and flattened text.

A `Grid` is the expanded table: `rows[r][c]` is the cell covering that position, so a cell merged over
three rows appears in all three with `origin` pointing at its top-left position. Each cell keeps where it
came from (page and bbox, HTML/DOCX coordinates, or a char span of the text) so every value is traceable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


# Not frozen (nothing assigns to a cell once made; hashable all the same): a frozen dataclass sets each field
# through object.__setattr__, which made building cells four times dearer (grids of every document).
@dataclass(unsafe_hash=True)
class Cell:
    text: str
    row: int  # top-left grid position of the (possibly merged) cell
    col: int
    rowspan: int = 1
    colspan: int = 1
    source: str = ""  # e.g. "html:t0/r3c4", "pdf:p3 bbox=72.1,300.2,120.5,318.0", "text:1203-1207"
    span_start: int | None = None  # char span in the document's normalised text (flattened text only)
    span_end: int | None = None
    confidence: float | None = None  # OCR confidence of `text` (0-1); None when a text layer gave it
    first_reading: str | None = None  # the first OCR text, when an identity-guided second reading replaced it


_encode = json.encoder.encode_basestring  # a str as json.dumps(..., ensure_ascii=False) writes it (C)
_FIELDS = tuple(Cell.__dataclass_fields__)
_NULLS = ', "span_start": null, "span_end": null, "confidence": null, "first_reading": null}'


def _scalar(v: object) -> str:
    """One value as `json.dumps(..., ensure_ascii=False)` writes it inside a container."""
    t = type(v)
    if t is str:
        return _encode(v)
    if v is None:
        return "null"
    if t is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False)  # floats (NaN, Infinity), bools, or json's own TypeError


def cell_json(c: Cell) -> str:
    """`json.dumps(vars(c), ensure_ascii=False)`, written directly (the encoder's pass over a ten-key dict a
    cell cost ~25 % more). The common cell (str text and source, int positions) is one f-string, with a
    constant tail when nothing optional is set (an HTML cell); any other takes the per-value path."""
    d = vars(c)
    text, source = d["text"], d["source"]
    row, col, rowspan, colspan = d["row"], d["col"], d["rowspan"], d["colspan"]
    if not (
        type(text) is str
        and type(source) is str
        and type(row) is int
        and type(col) is int
        and type(rowspan) is int
        and type(colspan) is int
        and len(d) == len(_FIELDS)
    ):
        return "{" + ", ".join([f"{_encode(k)}: {_scalar(v)}" for k, v in d.items()]) + "}"
    head = (
        f'{{"text": {_encode(text)}, "row": {row}, "col": {col}, "rowspan": {rowspan}, '
        f'"colspan": {colspan}, "source": {_encode(source)}'
    )
    start, end, confidence, first = d["span_start"], d["span_end"], d["confidence"], d["first_reading"]
    if start is None and end is None and confidence is None and first is None:
        return head + _NULLS
    return (
        f'{head}, "span_start": {_scalar(start)}, "span_end": {_scalar(end)}, '
        f'"confidence": {_scalar(confidence)}, "first_reading": {_scalar(first)}}}'
    )


@dataclass
class Grid:
    """An expanded table; `rows[r][c]` is the cell at that position (None where nothing is)."""

    rows: list[list[Cell | None]]
    fmt: str  # html / pdf / docx / text
    index: int = 0  # position of the table in the document
    page: int | None = None  # first page (PDF)
    notes: list[str] = field(default_factory=list)  # what the reader did (joined pages, fallback used)
    # Where the table's own lines stand in the normalised text (an HTML table that holds all its text,
    # as its reader gave it): the flattened-text reader leaves them to this grid. Not stored.
    text_span: tuple[int, int] | None = None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text_at(self, r: int, c: int) -> str:
        row = self.rows[r]
        cell = row[c] if c < len(row) else None
        return cell.text if cell else ""

    def is_origin(self, r: int, c: int) -> bool:
        """True where the cell starts (not a copy of a cell merged from above or from the left)."""
        row = self.rows[r]
        cell = row[c] if c < len(row) else None
        return cell is not None and cell.row == r and cell.col == c

    def to_json(self) -> str:
        head = json.dumps(
            {
                "fmt": self.fmt,
                "index": self.index,
                "page": self.page,
                "notes": self.notes,
                "n_rows": len(self.rows),
                "n_cols": self.width,
            },
            ensure_ascii=False,
        )
        cells = ", ".join(
            [
                cell_json(c)
                for r, row in enumerate(self.rows)
                for k, c in enumerate(row)
                if c is not None and c.row == r and c.col == k  # `is_origin`, without indexing the row again
            ]
        )
        return f'{head[:-1]}, "cells": [{cells}]}}'

    @classmethod
    def from_json(cls, data: str) -> Grid:
        return cls.from_dict(json.loads(data))

    @classmethod
    def from_dict(cls, d: dict) -> Grid:
        """A grid from `to_json`'s object already decoded (a document's grids come as one JSON list)."""
        return from_cells(
            [Cell(**c) for c in d["cells"]],
            d["fmt"],
            d["index"],
            d["page"],
            d["notes"],
            d["n_rows"],
            d["n_cols"],
        )


def from_cells(
    cells: list[Cell],
    fmt: str,
    index: int = 0,
    page: int | None = None,
    notes: list[str] | None = None,
    n_rows: int | None = None,
    n_cols: int | None = None,
) -> Grid:
    """Expand origin cells (with their spans) into a full grid."""
    n_rows = n_rows if n_rows is not None else max((c.row + c.rowspan for c in cells), default=0)
    n_cols = n_cols if n_cols is not None else max((c.col + c.colspan for c in cells), default=0)
    rows: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for c in cells:
        for r in range(c.row, min(c.row + c.rowspan, n_rows)):
            for k in range(c.col, min(c.col + c.colspan, n_cols)):
                rows[r][k] = c
    return Grid(rows, fmt, index, page, list(notes or []))

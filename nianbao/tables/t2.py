"""表二 (主动公开政府信息情况): rebuilt from flattened text, and read from a grid by its labels.

Its layout: blocks captioned 第二十条第（一）（五）（六）（八）（九）项, each with a 信息内容 header row whose
columns differ per block and era (`catalog.T2_BLOCK_HEADERS`), then its rows. See report_formats.md §1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.tables import catalog
from nianbao.tables.catalog import T2_BLOCK_HEADERS, T2_ROWS
from nianbao.tables.era import marked_era
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.labels import TableCell, distinct, label_text, map_columns, read_cell, row_canon
from nianbao.tables.text_grid import (
    Anchor,
    Line,
    RowHit,
    Seg,
    Stream,
    bind_rows,
    find_rows,
    has_labels,
    header_cell,
    label_cell,
    note_orphans,
    row_values,
    segs_in,
    squash_notes,
    value_cells,
)

START = re.compile(r"^(?:第二十条|信息内容)")
CAPTION = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,2})\)?项")
_COLUMN = re.compile(
    r"本年制发件数|本年废止件数|现行有效件数|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量"
    r"|本年增/?减|(?:本年)?处理决定数量|本年收费金额(?:\((?:单位:)?万?元\))?|采购项目数量"
    r"|采购总金额(?:\([^)]{0,8}\))?"
)


def text_grid(text: str, lines: list[Line], a: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    segs = segs_in(lines, a, b)
    stream = Stream(segs)
    markers: list[Anchor] = []
    for m in CAPTION.finditer(stream.s):
        markers.append(Anchor(m.start(), m.end(), "caption", m.group(1)))
    for m in re.finditer("信息内容", stream.s):
        markers.append(Anchor(m.start(), m.end(), "header", "信息内容"))
    for m in _COLUMN.finditer(stream.s):
        markers.append(Anchor(m.start(), m.end(), "column", m.group()))
    spans = [(x.start, x.key_end) for x in markers]
    rows = find_rows(stream, T2_ROWS, lambda i, j: any(i < e and j > s for s, e in spans))
    if not rows:
        return None
    anchors = sorted(markers + rows, key=lambda x: x.start)
    hits, free = bind_rows(segs, stream, anchors)
    note_orphans(text, free, notes)
    era = marked_era(stream.s) or "std2021"

    # Blocks: a caption opens one; 信息内容 opens one unless the open block has no header or rows yet.
    blocks: list[Block] = []
    by_anchor = {id(h.anchor): h for h in hits}
    for i, x in enumerate(anchors):
        cur = blocks[-1] if blocks else None
        if x.kind == "caption":
            blocks.append(Block(caption=x))
        elif x.kind == "header":
            if cur is None or cur.rows or cur.header is not None:
                blocks.append(Block())
            blocks[-1].header = x
            end = anchors[i + 1].start if i + 1 < len(anchors) else len(stream.s)
            blocks[-1].header_chars += stream.s[x.start : end]
        elif x.kind == "column":
            if cur is None or cur.rows:
                blocks.append(Block())
            blocks[-1].columns.append(x)
        elif id(x) in by_anchor:
            if cur is None:
                blocks.append(Block())
            blocks[-1].rows.append(by_anchor[id(x)])
    blocks = [bl for bl in blocks if bl.rows]
    width = 3
    cells: list[Cell] = []
    r = 0
    for bl in blocks:
        item = bl.caption.name if bl.caption else _block_of(bl.rows[0].anchor)
        labels = [(c.name, stream.text_span(c.start, c.key_end)) for c in bl.columns]
        if not labels and bl.header is not None:
            official = T2_BLOCK_HEADERS[era].get(item, ())
            if official and has_labels(bl.header_chars, [re.sub(r"[()/:]", "", o) for o in official]):
                labels = [(o, None) for o in official]
                notes.append(f"第二十条第({item})项: header rebuilt in official order")
        expected = len(labels) or len(T2_BLOCK_HEADERS[era].get(item, ())) or 1
        if bl.caption:
            cs, ce = stream.text_span(bl.caption.start, bl.caption.key_end)
            cells.append(
                Cell(f"第二十条第({bl.caption.name})项", r, 0, 1, width + 1, f"text:{cs}-{ce}", cs, ce)
            )
            r += 1
        else:
            notes.append(f"block of {bl.rows[0].label}: caption not found (table starts mid-block)")
        if bl.header is not None or labels:
            if bl.header is not None:
                hs, he = stream.text_span(bl.header.start, bl.header.key_end)
                cells.append(Cell("信息内容", r, 0, 1, 1, f"text:{hs}-{he}", hs, he))
            for k, (lab, sp) in enumerate(labels[:width]):
                span = width - k if k == len(labels[:width]) - 1 else 1
                cells.append(
                    label_cell(lab, sp, r, 1 + k, 1, span)
                    if sp
                    else header_cell(lab, r, 1 + k, "text:rebuilt", 1, span)
                )
            r += 1
        for h in bl.rows:
            vals = row_values(h, expected, notes)
            if h.run is None:
                notes.append(f"row {h.label}: no numbers printed; left blank")
            cells.append(label_cell(h.label, h.span, r, 0))
            if isinstance(vals, list) and len(vals) > width:
                vals = row_values(RowHit(h.anchor, h.lines, Seg("run", 0, vals)), width, notes)
            cells += value_cells(text, vals, r, 1, width)
            r += 1
    if any(seg.kind == "run" and not seg.sequential for seg in segs):
        notes.append("numbers attached to row labels by line adjacency")
    return from_cells(cells, "text", index, notes=squash_notes(notes), n_rows=r, n_cols=width + 1)


@dataclass
class Block:
    """One 表二 block (第二十条第（x）项): caption, header words, rows."""

    caption: Anchor | None = None
    columns: list[Anchor] = field(default_factory=list)
    header: Anchor | None = None
    rows: list[RowHit] = field(default_factory=list)
    header_chars: str = ""


_ROW_STARTS = tuple(p for spec in T2_ROWS for p in (spec.label, spec.keys[-1]))


def row_line(sq: str) -> bool:
    """A line that starts with a 表二 row label (规章, 行政许可 …)."""
    return sq.startswith(_ROW_STARTS)


def _block_of(row: Anchor) -> str:
    """The block (第二十条第（x）项) a row belongs to, for a table that starts mid-block."""
    assert row.spec is not None and row.spec.parent is not None
    return row.spec.parent


def read_cells(
    grid: Grid, start: int, end: int, doc_era: str | None, taken: set[tuple[str, str, str]]
) -> list[TableCell]:
    out: list[TableCell] = []
    columns: dict[int, tuple[str, str]] = {}
    unit_stated: str | None = None
    block = ""
    seen: set[tuple[str, str]] = set()
    for r in range(start, end):
        text = row_canon(grid, r)
        if "信息内容" in text:
            columns = map_columns(grid, range(r, r + 1), catalog.T2_COLS)
            unit_stated = (
                "万元" if "万元" in text else ("元" if "金额单位元" in text or "单位元" in text else None)
            )
            continue
        if text.startswith("第二十条"):
            block = " ".join(c.text.strip() for c in distinct(grid.rows[r]))
            columns = {}  # a block is read by its own header: one not found never borrows the block above's
            continue
        if not columns:
            continue
        first_value = min(columns)
        canon_label, printed = label_text(grid, r, first_value)
        lab = catalog.match(catalog.T2_ROWS, canon_label) if canon_label else None
        if not lab:
            continue
        cols = {c: v for c, v in columns.items() if (lab.key, v[0]) not in seen}
        era = (
            "std2021"
            if any(k in ("issued", "repealed", "in_force", "fee_amount") for k, _ in cols.values())
            else (
                "std2019"
                if any(k in ("new_made", "prev_items", "procurement_count") for k, _ in cols.values())
                else doc_era
            )
        )
        label = f"{block} / {printed}" if block else printed
        for col, column in sorted(cols.items()):
            seen.add((lab.key, column[0]))
            if ("t2", lab.key, column[0]) in taken:
                continue
            money = column[0] in ("fee_amount", "procurement_amount")
            out.append(
                read_cell(
                    grid,
                    "t2",
                    era,
                    r,
                    col,
                    (lab.key, label),
                    column,
                    set(columns),
                    "元" if money else "件",
                    unit_stated if money else None,
                )
            )
    return out

"""Markdown as PDF-to-markdown converters write it: pipe tables with a `|---|` row, merged cells left blank."""

from __future__ import annotations

from nianbao.synth.layout import Block, Table, positions
from nianbao.synth.render_text import TextOut, write_blocks


def pipe_table(out: TextOut, table: Table) -> None:
    grid: dict[tuple[int, int], object] = {(r, c): cell for r, c, cell in positions(table)}
    n_rows = len(table.rows)
    out.add("\n")
    for r in range(n_rows):
        out.add("|")
        row_keys = []
        for c in range(table.n_cols):
            cell = grid.get((r, c))
            text = cell.text.replace("\n", "") if cell is not None else ""
            start, end = out.add(f" {text} " if text else " ")
            out.add("|")
            if cell is not None and cell.key:
                row_keys.append((cell.key, start + 1, end - 1))
        out.add("\n")
        for key, start, end in row_keys:
            out.cells[key] = (start, end, out.length)
        if r == 0:
            out.add("|" + "---|" * table.n_cols + "\n")
    out.add("\n")


def render(blocks: list[Block], chrome: tuple[str, str] | None = None) -> TextOut:
    out = TextOut()
    for b in blocks:
        if b.kind == "title":
            b = Block("title", "# " + b.text)
        elif b.kind == "heading":
            b = Block("heading", "## " + b.text)
        write_blocks(out, [b], pipe_table)
    return out

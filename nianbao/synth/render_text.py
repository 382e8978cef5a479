"""Flattened text, as a scraper or a PDF-to-text converter leaves it: one table row per line, ` | ` between cells.

`TextOut` keeps the char span of every value cell and every stated paragraph so truncation (`noise`) knows
which true figures the kept text still shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.synth.figures import Key
from nianbao.synth.layout import Block, Table


@dataclass
class TextOut:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    cells: dict[Key, tuple[int, int, int]] = field(default_factory=dict)  # key -> (start, end, row end)
    paras: list[tuple[int, int, Block]] = field(default_factory=list)

    def add(self, s: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


def write_blocks(out: TextOut, blocks: list[Block], table_writer) -> None:
    for b in blocks:
        if b.kind == "table" and b.table:
            table_writer(out, b.table)
        else:
            start, end = out.add(b.text)
            out.paras.append((start, end, b))
            out.add("\n")


def flat_table(out: TextOut, table: Table) -> None:
    for row in table.rows:
        row_keys = []
        for cell in row:
            start, end = out.add(cell.text.replace("\n", ""))
            out.add(" | ")
            if cell.key:
                row_keys.append((cell.key, start, end))
        out.add("\n")
        for key, start, end in row_keys:
            out.cells[key] = (start, end, out.length)


def render(blocks: list[Block], chrome: tuple[str, str] | None = None) -> TextOut:
    out = TextOut()
    if chrome:
        out.add(chrome[0] + "\n")
    write_blocks(out, blocks, flat_table)
    if chrome:
        out.add(chrome[1] + "\n")
    return out

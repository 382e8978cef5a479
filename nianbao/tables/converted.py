"""Tables as converters print them (markdown pipe tables, label/value blocks), read before flattened text.

Why a separate first pass: these shapes are real grids (or provably pairable blocks), so they are read
as such; the lines they came from are then blanked (same length, so every span stays valid) before the
flattened-text reader runs, which would otherwise read the same lines a second time as flattened rows
(and pair a displaced value block with the nearest label by line distance).
"""

from __future__ import annotations

from nianbao.tables.blocks import NOT_PLACED, displaced_text_grids
from nianbao.tables.grid import Grid
from nianbao.tables.markdown import markdown_grids


def converter_grids(text: str) -> tuple[list[Grid], str]:
    """Grids of the converter-shaped tables in a normalised text, and the text with their lines blanked."""
    grids, spans = markdown_grids(text)
    more, more_spans = displaced_text_grids(blank(text, spans), len(grids))
    return grids + more, blank(text, spans + more_spans)


def not_placed(grids: list[Grid]) -> list[str]:
    """Why printed values were kept as TEXT in these grids (a pairing refused, a damaged row), for the report."""
    return [n for g in grids for n in g.notes if n.startswith(NOT_PLACED)]


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span's characters (line breaks kept) turned into spaces."""
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):  # slice by slice (a table is thousands of chars), overlaps once
        start = max(start, pos)
        if end <= start:
            continue
        out += [text[pos:start], "\n".join(" " * len(part) for part in text[start:end].split("\n"))]
        pos = end
    out.append(text[pos:])
    return "".join(out)

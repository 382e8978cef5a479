"""表二/表三/表四 rebuilt from text where the tables were flattened into lines.

Why: many reports reach us only as text — scraped pages whose table rows became `a | b | c` lines (or
one cell per line), and PDF text layers whose rows became `label v1 … v7`, with labels broken across
lines, vertical labels one character per line, numbers printed on the line before or after their label,
jumbled header words and page numbers in between. Counting numbers in such text shifts every value
after the first irregular row, so rows are rebuilt from their LABELS instead:

1. Lines are cut into label text and runs of value tokens (numbers, `/`, `-`, `—`; page-number lines
   such as `- 3 -` or `第 3 页` are dropped first and never read as values). Pipe lines are cut into
   cells: `a | b |` (each cell closed by a pipe) or `a | b` (cells separated; a final pipe opens an
   empty last cell), whichever the document uses; a line of bare pipes after a row is the scraper's
   rendering of that row's hidden merged cells. Lines that each hold one value are one cell per line.
2. The label text of a table region is joined into one stream without whitespace and line breaks, and
   the known row labels are found in it in their official order (tolerant keys, so `其他法律行政止公开`
   or `内容事务` still match); merged parent labels (（三）不予公开 …) and vertical labels are recognised
   so they do not leak into the row labels.
3. Each run of numbers is attached to the label it belongs to by line adjacency: a run on the line of
   its label binds to it; the remaining runs and labels are paired by an order-preserving alignment
   that minimises line distance, a run just above a label winning a tie (PDF layers print the numbers
   of a one-line label slightly higher). Cells in reading order (pipes, one cell per line) bind to the
   label cell before them.
4. A row whose run does not hold exactly the expected number of values is emitted as ONE text cell
   over all its value columns (the raw run as written): nothing is shifted, nothing is guessed.

Output grids follow the official layouts (`report_formats.md`) so the cell readers can map header rows to
column keys and label cells to row keys. Value cells carry `span_start`/`span_end` with
`text[span_start:span_end] == cell.text` and `source="text:<start>-<end>"`. Label cells hold the label
as written with whitespace removed; their span is the label's extent (it may enclose numbers printed
inside a broken label). Header cells rebuilt in official order have no span.
"""

from __future__ import annotations

import re

from nianbao.tables import t2, t3, t4
from nianbao.tables.grid import Grid
from nianbao.tables.stats_e0_text import e0_text_grids
from nianbao.tables.text_grid import cut_lines, region_end

_STATUTORY_WORDS = re.compile(r"本年新收|第二十条|行政复议|信息内容")
_T3_END = re.compile(r"结转下年度|转下年度")


def text_grids(text: str) -> list[Grid]:
    """Grids of the statutory tables found in a report's normalised text (fmt="text"), in text order, then
    those of the pre-2019 statistics tables (`stats_e0_text`)."""
    grids = _statutory_grids(text)
    return grids + e0_text_grids(text, len(grids))


def _statutory_grids(text: str) -> list[Grid]:
    if not text or not _STATUTORY_WORDS.search(text):
        return []
    lines, dropped = cut_lines(text)
    n = len(lines)
    starts: list[tuple[int, str]] = []
    t3_closed = True  # a second 表三 (aggregated reports) starts only after the first one's last row
    for ln in lines:
        sq = ln.squeezed
        if t3.START.match(sq) and (t3_closed or starts[-1][1] != "t3"):
            starts.append((ln.no, "t3"))
            t3_closed = False
        elif _T3_END.search(sq):
            t3_closed = True
        elif t4.START.match(sq) and "。" not in sq:
            window = "".join(x.squeezed for x in lines[ln.no : ln.no + 4])
            if "行政诉讼" in window:
                starts.append((ln.no, "t4"))
        elif (t2.START.match(sq) or (t2.row_line(sq) and ln.segs[-1].kind == "run")) and not (
            starts and starts[-1][1] == "t2"
        ):
            starts.append((ln.no, "t2"))
    grids: list[Grid] = []
    floor = 0
    for i, (k, kind) in enumerate(starts):
        nxt = starts[i + 1][0] if i + 1 < len(starts) else n
        if kind == "t3":
            a = t3.header_start(lines, k, floor)
            b = region_end(lines, k, nxt)
            grid = t3.text_grid(text, lines, a, k, b, len(grids))
        elif kind == "t4":
            b = region_end(lines, k + 1, nxt)
            grid = t4.text_grid(text, lines, k, b, len(grids))
        else:
            b = region_end(lines, k + 1, nxt)
            if i + 1 < len(starts) and starts[i + 1][1] == "t3":
                b = min(b, t3.header_start(lines, starts[i + 1][0], k))
            grid = t2.text_grid(text, lines, k, b, len(grids))
        floor = b
        if grid is not None:
            if dropped:
                grid.notes.append(f"{dropped} page-number line(s) in the document skipped")
            grids.append(grid)
    return grids

"""表四 (政府信息公开行政复议、行政诉讼情况): rebuilt from flattened text, and read from a grid by its labels.

Its layout: one row of 15 numbers under a three-row header: 行政复议 (five results), 行政诉讼 split into
未经复议直接起诉 and 复议后起诉 (five results each). See report_formats.md §3.
"""

from __future__ import annotations

import re

from nianbao.tables import catalog
from nianbao.tables.catalog import T4_RESULT_LABELS
from nianbao.tables.grid import Grid, from_cells
from nianbao.tables.labels import TableCell, header_labels, read_cell, row_canon
from nianbao.tables.text_grid import (
    Anchor,
    Line,
    RowHit,
    Seg,
    Tok,
    has_labels,
    header_cell,
    row_values,
    squash_notes,
    value_cells,
)

START = re.compile(r"^行政复议")
_T4_NEED = "行政复议行政诉讼直接起诉复议后起诉" + "维持纠正其他审结总计" * 3


def text_grid(text: str, lines: list[Line], a: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    toks: list[Tok] = []
    header = ""
    data_line = None
    for k in range(a, b):
        ln = lines[k]
        runs = [s for s in ln.segs if s.kind == "run"]
        if data_line is None:
            header += "".join(t.text for s in ln.segs if s.kind == "label" for t in s.toks)
            if runs and any(t.text for s in runs for t in s.toks):
                data_line = k
                toks += [t for s in runs for t in s.toks]
        elif runs and all(s.kind == "run" for s in ln.segs) and len(toks) < 15:
            toks += [t for s in runs for t in s.toks]  # the data row wrapped onto the next line
        else:
            break
    if data_line is None:
        return None
    header = re.sub(r"\s+", "", header)
    if not has_labels(header, [_T4_NEED]):
        return None  # without its header a row of 15 numbers cannot be read as 表四
    hs, he = lines[a].start, lines[data_line].start
    src = f"text:header@{hs}-{he}"
    notes.append(f"header rebuilt in official order (labels found in text:{hs}-{he})")
    cells = [
        header_cell("行政复议", 0, 0, src, 1, 5),
        header_cell("行政诉讼", 0, 5, src, 1, 10),
        *[header_cell(lab, 1, k, src, 2, 1) for k, lab in enumerate(T4_RESULT_LABELS)],
        header_cell("未经复议直接起诉", 1, 5, src, 1, 5),
        header_cell("复议后起诉", 1, 10, src, 1, 5),
        *[header_cell(lab, 2, 5 + k, src) for k, lab in enumerate(T4_RESULT_LABELS * 2)],
    ]
    r = 3
    hit = RowHit(Anchor(0, 0, "row", "all"), set(), Seg("run", data_line, toks), label="表四")
    vals = row_values(hit, 15, notes)
    cells += value_cells(text, vals, r, 0, 15)
    return from_cells(cells, "text", index, notes=squash_notes(notes), n_rows=r + 1, n_cols=15)


_T4_HEADER_WORDS = re.compile(r"行政复议|行政诉讼|维持|纠正|其他|审结|总计|合计|起诉|结果")


def read_cells(
    grid: Grid, start: int, end: int, doc_era: str | None, taken: set[tuple[str, str, str]]
) -> list[TableCell]:
    header_end = start
    while header_end < end and _T4_HEADER_WORDS.search(row_canon(grid, header_end)):
        header_end += 1
    if header_end >= end:
        return []
    columns: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for col in range(grid.width):
        text, printed = header_labels(grid, range(start, header_end), col)
        block = catalog.match(catalog.T4_BLOCKS, text)
        result = catalog.match(
            catalog.T4_RESULTS, text.split("起诉")[-1] if block and block.key != "review" else text
        )
        if block and result and f"{block.key}.{result.key}" not in seen:
            key = f"{block.key}.{result.key}"
            seen.add(key)
            columns[col] = (key, " / ".join(printed))
    value_cols = set(columns)
    return [
        read_cell(grid, "t4", doc_era, header_end, col, ("all", ""), columns[col], value_cols, "件", None)
        for col in sorted(columns)
        if ("t4", "all", columns[col][0]) not in taken
    ]

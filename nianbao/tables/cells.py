"""Grids → cell-level facts of the statutory tables, by labels (one reader per table: `t2`, `t3`, `t4`).

Each grid is cut into table segments by the tables' anchor labels; each segment is read by its table's
reader (`READERS`: a new table family adds one entry). Where a cell's table does not tell its own era,
the document's labels do (`era.marked_era`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from nianbao.tables import catalog, stats_e0, t2, t3, t4
from nianbao.tables.era import marked_era
from nianbao.tables.grid import Grid
from nianbao.tables.labels import TableCell, row_canon

# (grid, first row, end row, the document's era, keys already read) → the segment's cells, less those whose
# (table, row_key, col_key) an earlier table already gave (first table wins: not built only to be dropped).
CellReader = Callable[[Grid, int, int, "str | None", set[tuple[str, str, str]]], list[TableCell]]
READERS: dict[str, CellReader] = {"t2": t2.read_cells, "t3": t3.read_cells, "t4": t4.read_cells}


def segments(grid: Grid) -> Iterator[tuple[str, int, int]]:
    """(table, first row, end row) for each statutory table in the grid, found by its anchor labels."""
    starts: list[tuple[int, str]] = []
    current = None
    canons = [row_canon(grid, r) for r in range(len(grid.rows))]  # the 表四 test looks two rows ahead
    for r, text in enumerate(canons):
        table = None
        if (
            catalog.T4_ANCHOR.search(text)
            and any(catalog.T4_CONFIRM.search(c) for c in canons[r : r + 3])
            and not catalog.T3_ANCHOR.search(text)
        ):
            table = "t4"
        elif catalog.T3_ANCHOR.search(text) and current != "t3":
            table = "t3"
        elif catalog.T2_ANCHOR.search(text) and current not in ("t2", "t3"):
            table = "t2"
        if table and table != current:
            starts.append((r, table))
            current = table
    for i, (r, table) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(grid.rows)
        yield table, r, end


def extract_cells(grids: list[Grid], text: str | None = None) -> list[TableCell]:
    """Every statutory-table cell found in the grids, keyed by (table, row_key, col_key); first table wins.

    The pre-2019 statistics tables (`stats_e0`, table ids e0_sh / e0_fj / e0_gb) are read from the same grids.
    """
    doc_era = marked_era(" ".join(c.text for g in grids for row in g.rows for c in row if c) + (text or ""))
    out: list[TableCell] = []
    taken: set[tuple[str, str, str]] = set()
    for grid in grids:
        for table, start, end in segments(grid):
            for cell in READERS[table](grid, start, end, doc_era, taken):
                key = (cell.table, cell.row_key, cell.col_key)
                if key not in taken:
                    taken.add(key)
                    out.append(cell)
    return out + stats_e0.extract_e0_cells(grids)

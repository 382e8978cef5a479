"""Grids → cell-level facts, by labels: header rows name the columns, label cells name the rows.

A value is only ever read from the grid position where a known row label and a known column label meet;
a missing or extra cell elsewhere cannot shift it. A value cell that covers more than one known column
(a flattened row whose numbers could not be placed) is read as TEXT in each: not evaluable, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.tables import catalog
from nianbao.tables.catalog import Label, canon
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.values import read_value, to_yuan

TABLE_UNITS = {"t3": "件", "t4": "件"}
_T4_HEADER_WORDS = re.compile(r"行政复议|行政诉讼|维持|纠正|其他|审结|总计|合计|起诉|结果")


@dataclass(frozen=True)
class TableCell:
    table: str  # t2 / t3 / t4
    era: str | None  # std2019 / std2021 (None when the table alone does not tell)
    row_key: str
    col_key: str
    row_label: str  # labels as printed, parents first, joined with " / "
    col_label: str
    value_raw: str
    value_num: float | None  # money in yuan
    value_semantic: str
    unit: str  # 件 / 条 / 元 (money normalised to yuan)
    unit_stated: str | None  # the unit as printed (万元) when it differs
    source: str
    grid_index: int
    grid_row: int
    grid_col: int
    page: int | None
    span_start: int | None
    span_end: int | None
    rule_id: str


def _distinct(cells: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for c in cells:
        if c is not None and c.text.strip() and all(c is not o for o in out):
            out.append(c)
    return out


def _row_canon(grid: Grid, r: int) -> str:
    return canon(" ".join(c.text for c in _distinct(grid.rows[r])))


def segments(grid: Grid) -> Iterator[tuple[str, int, int]]:
    """(table, first row, end row) for each statutory table in the grid, found by its anchor labels."""
    starts: list[tuple[int, str]] = []
    current = None
    for r in range(len(grid.rows)):
        text = _row_canon(grid, r)
        table = None
        if (
            catalog.T4_ANCHOR.search(text)
            and any(
                catalog.T4_CONFIRM.search(_row_canon(grid, k)) for k in range(r, min(r + 3, len(grid.rows)))
            )
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


def _header_labels(grid: Grid, rows: range, col: int) -> tuple[str, list[str]]:
    """Concatenated canonical header text above a column, and the printed labels."""
    printed = [
        c.text.strip()
        for c in _distinct([grid.rows[r][col] if col < len(grid.rows[r]) else None for r in rows])
    ]
    return canon("".join(printed)), printed


def _map_columns(grid: Grid, header: range, labels: tuple[Label, ...]) -> dict[int, tuple[str, str]]:
    """Grid column → (key, printed label) for every column whose header matches a known label (first wins)."""
    mapped: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for col in range(grid.width):
        text, printed = _header_labels(grid, header, col)
        lab = catalog.match(labels, text) if text else None
        if lab and lab.key not in seen:
            seen.add(lab.key)
            mapped[col] = (lab.key, " / ".join(printed))
    return mapped


def _cell(
    grid: Grid,
    table: str,
    era: str | None,
    r: int,
    col: int,
    row: tuple[str, str],
    column: tuple[str, str],
    value_cols: set[int],
    unit: str,
    unit_stated: str | None,
) -> TableCell:
    cell = grid.rows[r][col] if col < len(grid.rows[r]) else None
    raw = cell.text.strip() if cell else ""
    covered = {k for k in range(cell.col, cell.col + cell.colspan)} & value_cols if cell else set()
    value = read_value(raw)
    semantic, number = value.semantic, value.number
    if len(covered) > 1:  # one printed cell over several known columns: which one it belongs to is unknown
        semantic, number = ("EMPTY", None) if not raw else ("TEXT", None)
    stated = value.inline_unit or unit_stated
    if stated in ("万元", "元"):
        number, out_unit = to_yuan(number, stated), "元"
    else:
        out_unit = unit
    return TableCell(
        table=table,
        era=era,
        row_key=row[0],
        col_key=column[0],
        row_label=row[1],
        col_label=column[1],
        value_raw=raw,
        value_num=number,
        value_semantic=semantic,
        unit=out_unit,
        unit_stated=stated if stated and stated != out_unit else None,
        source=cell.source if cell else f"{grid.fmt}:t{grid.index}/r{r}c{col}",
        grid_index=grid.index,
        grid_row=r,
        grid_col=col,
        page=grid.page,
        span_start=cell.span_start if cell else None,
        span_end=cell.span_end if cell else None,
        rule_id=f"{table}.labels.{grid.fmt}",
    )


def _t3(grid: Grid, start: int, end: int, doc_era: str | None) -> list[TableCell]:
    first_data = next((r for r in range(start, end) if "本年新收" in _row_canon(grid, r)), None)
    header = range(start, first_data if first_data is not None else min(start + 3, end))
    columns = _map_columns(grid, header, catalog.T3_COLS)
    if not columns:
        return []
    first_value = min(columns)
    rows: list[tuple[int, Label, str]] = []
    seen: set[str] = set()
    for r in range(header.stop, end):
        canon_label, printed = _label_text(grid, r, first_value)
        lab = catalog.match(catalog.T3_ROWS, canon_label) if canon_label else None
        if lab and lab.key not in seen:
            seen.add(lab.key)
            rows.append((r, lab, printed))
    keys = {lab.key for _, lab, _ in rows}
    era = (
        "std2021"
        if keys & {"other.no_correction", "other.no_fee", "other.other"}
        else ("std2019" if "other" in keys else doc_era)
    )
    value_cols = set(columns)
    return [
        _cell(grid, "t3", era, r, col, (lab.key, printed), columns[col], value_cols, "件", None)
        for r, lab, printed in rows
        if era is None or era in lab.eras
        for col in sorted(columns)
    ]


def _label_text(grid: Grid, r: int, first_value: int) -> tuple[str, str]:
    """A row's labels (the distinct cells left of the value columns), canonical and as printed."""
    cells = _distinct(grid.rows[r][:first_value])
    printed = " / ".join(c.text.strip() for c in cells)
    return canon("".join(c.text for c in cells)), printed


def _t4(grid: Grid, start: int, end: int, doc_era: str | None) -> list[TableCell]:
    header_end = start
    while header_end < end and _T4_HEADER_WORDS.search(_row_canon(grid, header_end)):
        header_end += 1
    if header_end >= end:
        return []
    columns: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for col in range(grid.width):
        text, printed = _header_labels(grid, range(start, header_end), col)
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
        _cell(grid, "t4", doc_era, header_end, col, ("all", ""), columns[col], value_cols, "件", None)
        for col in sorted(columns)
    ]


def _t2(grid: Grid, start: int, end: int, doc_era: str | None) -> list[TableCell]:
    out: list[TableCell] = []
    columns: dict[int, tuple[str, str]] = {}
    unit_stated: str | None = None
    block = ""
    seen: set[tuple[str, str]] = set()
    for r in range(start, end):
        text = _row_canon(grid, r)
        if "信息内容" in text:
            columns = _map_columns(grid, range(r, r + 1), catalog.T2_COLS)
            unit_stated = (
                "万元" if "万元" in text else ("元" if "金额单位元" in text or "单位元" in text else None)
            )
            continue
        if text.startswith("第二十条"):
            block = " ".join(c.text.strip() for c in _distinct(grid.rows[r]))
            continue
        if not columns:
            continue
        first_value = min(columns)
        canon_label, printed = _label_text(grid, r, first_value)
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
            money = column[0] in ("fee_amount", "procurement_amount")
            out.append(
                _cell(
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


def document_era(text: str) -> str | None:
    c = canon(text) if text else ""
    if catalog.ERA2021.search(c):
        return "std2021"
    if catalog.ERA2019.search(c):
        return "std2019"
    return None


def extract_cells(grids: list[Grid], text: str | None = None) -> list[TableCell]:
    """Every statutory-table cell found in the grids, keyed by (table, row_key, col_key); first table wins."""
    doc_era = document_era(" ".join(c.text for g in grids for row in g.rows for c in row if c) + (text or ""))
    out: list[TableCell] = []
    taken: set[tuple[str, str, str]] = set()
    readers = {"t2": _t2, "t3": _t3, "t4": _t4}
    for grid in grids:
        for table, start, end in segments(grid):
            for cell in readers[table](grid, start, end, doc_era):
                key = (cell.table, cell.row_key, cell.col_key)
                if key not in taken:
                    taken.add(key)
                    out.append(cell)
    return out

"""The per-report shortcuts of reading and staging give what the slower forms they replace gave.

`grid.cell_json` writes a cell as `json.dumps(vars(cell), ensure_ascii=False)` did (a grid's stored JSON,
`Grid.to_json`); `listing`'s line test matches where counting the line's Chinese characters reached
`MIN_LINE_CJK`; `staging.parsed_rows` builds a table cell's row as the merged dict did.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao import PARSER_VERSION
from nianbao.batches import to_arrow
from nianbao.listing import _ENOUGH_CJK, MIN_LINE_CJK
from nianbao.model import Metadata, ParsedReport
from nianbao.normalize import normalize
from nianbao.staging import parsed_rows
from nianbao.tables.grid import Cell, Grid, cell_json, from_cells
from nianbao.tables.labels import TableCell

# JSON's escapes (quote, backslash, control characters), CJK, supplementary-plane and lone surrogates.
_text = st.text(
    st.one_of(
        st.sampled_from('"\\\n\t\x00\x1f\x7f/年报告表三'),
        st.characters(),
        st.characters(min_codepoint=0x10000),
    ),
    max_size=12,
)
_int = st.one_of(st.integers(-3, 40), st.integers())
_optional_float = st.one_of(st.none(), st.floats(), st.floats(0, 1))
cells = st.builds(
    Cell,
    text=_text,
    row=_int,
    col=_int,
    rowspan=_int,
    colspan=_int,
    source=_text,
    span_start=st.one_of(st.none(), _int),
    span_end=st.one_of(st.none(), _int),
    confidence=_optional_float,
    first_reading=st.one_of(st.none(), _text),
)
# Values outside the declared types: json.dumps writes them as it writes any value.
odd_cells = st.builds(
    Cell,
    text=st.one_of(_text, st.integers(), st.booleans()),
    row=st.one_of(_int, st.booleans(), st.floats()),
    col=_int,
    rowspan=st.one_of(_int, st.booleans()),
    colspan=_int,
    source=st.one_of(_text, st.none()),
    span_start=st.one_of(st.none(), _int, st.booleans()),
    span_end=st.one_of(st.none(), _int, st.lists(st.integers(), max_size=2)),
    confidence=_optional_float,
    first_reading=st.one_of(st.none(), _text, st.integers()),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(cells, odd_cells))
def test_cell_json_is_json_dumps(cell: Cell) -> None:
    assert cell_json(cell) == json.dumps(vars(cell), ensure_ascii=False)


def test_cell_json_extra_attribute() -> None:
    cell = Cell("表三", 1, 2, source="html:t0/r1c2")
    cell.extra = 3  # not a field: vars() holds it, and so does the JSON
    assert cell_json(cell) == json.dumps(vars(cell), ensure_ascii=False)
    assert cell_json(cell).endswith('"first_reading": null, "extra": 3}')


@settings(max_examples=100, deadline=None)
@given(st.lists(cells, max_size=6), st.lists(_text, max_size=2))
def test_grid_to_json_as_before(cell_list: list[Cell], notes: list[str]) -> None:
    spread = [
        Cell(c.text, i % 3, i // 3, 1, 1, c.source, c.span_start, c.span_end, c.confidence, c.first_reading)
        for i, c in enumerate(cell_list)
    ]
    grid = from_cells(spread, "html", 2, None, notes)
    slow = json.dumps(
        {
            "fmt": grid.fmt,
            "index": grid.index,
            "page": grid.page,
            "notes": grid.notes,
            "n_rows": len(grid.rows),
            "n_cols": grid.width,
            "cells": [
                vars(c) for r, row in enumerate(grid.rows) for k, c in enumerate(row) if grid.is_origin(r, k)
            ],
        },
        ensure_ascii=False,
    )
    assert grid.to_json() == slow


def test_grid_to_json_exact() -> None:
    grid = from_cells(
        [
            Cell("本年新收", 0, 0, 2, 1, "html:t0/r0c0"),
            Cell('3"', 0, 1, source="text:5-7", span_start=5, span_end=7),
        ],
        "html",
    )
    assert grid.to_json() == (
        '{"fmt": "html", "index": 0, "page": null, "notes": [], "n_rows": 2, "n_cols": 2, "cells": ['
        '{"text": "本年新收", "row": 0, "col": 0, "rowspan": 2, "colspan": 1, "source": "html:t0/r0c0", '
        '"span_start": null, "span_end": null, "confidence": null, "first_reading": null}, '
        '{"text": "3\\"", "row": 0, "col": 1, "rowspan": 1, "colspan": 1, "source": "text:5-7", '
        '"span_start": 5, "span_end": 7, "confidence": null, "first_reading": null}]}'
    )
    assert Grid.from_json(grid.to_json()).rows == grid.rows
    assert from_cells([], "text").to_json().endswith('"n_rows": 0, "n_cols": 0, "cells": []}')


_CJK = re.compile(r"[\u4e00-\u9fff]")
lines = st.lists(
    st.sampled_from([*"年报告公开", "\u4dff", "\ua000", "a", " ", "2021", "。", "\n", "\U00020000"]),
    max_size=12,
).map("".join)


@given(lines)
def test_enough_cjk_is_the_count(line: str) -> None:
    assert bool(_ENOUGH_CJK.match(line)) == (len(_CJK.findall(line)) >= MIN_LINE_CJK)


def _report(cells: list[TableCell]) -> ParsedReport:
    return ParsedReport("doc", Metadata(), cells=cells)


# Values Arrow takes (int32 columns, no lone surrogates).
_label = st.text(st.sampled_from([*"表三本年新收/ 1", "\U00020000"]), max_size=6)
_small = st.integers(-3, 40)
table_cells = st.builds(
    TableCell,
    table=st.sampled_from(["t2", "t3", "e0_sh"]),
    era=st.one_of(st.none(), st.just("std2021")),
    row_key=_label,
    col_key=_label,
    row_label=_label,
    col_label=_label,
    value_raw=_label,
    value_num=st.one_of(st.none(), st.floats(allow_nan=False)),
    value_semantic=st.just("NUMERIC"),
    unit=st.just("件"),
    unit_stated=st.one_of(st.none(), st.just("万元")),
    source=_label,
    grid_index=_small,
    grid_row=_small,
    grid_col=_small,
    page=st.one_of(st.none(), _small),
    span_start=st.one_of(st.none(), _small),
    span_end=st.one_of(st.none(), _small),
    rule_id=_label,
    ocr_confidence=_optional_float.filter(lambda v: v == v),
    ocr_first_reading=st.one_of(st.none(), _label),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(table_cells, max_size=4))
def test_cell_rows_as_merged_dicts(cell_list: list[TableCell]) -> None:
    slow = []
    for c in cell_list:
        row = {"document_id": "doc", "table_id": c.table, "parser_version": PARSER_VERSION, **asdict(c)}
        del row["table"]
        row["ocr_reread"] = c.ocr_first_reading is not None
        slow.append(row)
    rows = parsed_rows(_report(cell_list), normalize("一二三").segments_json())["table_cells"]
    assert rows == slow
    assert to_arrow("table_cells", rows).equals(to_arrow("table_cells", slow))  # by name, in any key order

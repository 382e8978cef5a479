"""OCR provenance of table cells: a doubtful reading is TEXT, never a number; confidence and first reading reach
staging; an older warehouse gains the columns."""

from __future__ import annotations

import duckdb
import pytest

from nianbao.cli import _ocr_cell_line
from nianbao.model import Metadata, ParsedReport
from nianbao.ocr.policy import MIN_CELL_CONFIDENCE
from nianbao.staging import create_staging, parsed_rows
from nianbao.staging_schema import STAGING_DDL, ddl_columns
from nianbao.tables.grid import Cell, from_cells
from nianbao.tables.labels import TableCell, read_cell


def _read(value: Cell) -> TableCell:
    """Read the one value cell of a two-column grid (label | value) as 表三 new / natural_person."""
    grid = from_cells([Cell("一、本年新收政府信息公开申请数量", 0, 0), value], "pdf", index=2, page=3)
    return read_cell(
        grid, "t3", "std2021", 0, 1, ("new", "一、本年新收"), ("natural_person", "自然人"), {1}, "件", None
    )


def test_low_confidence_value_is_text_with_the_reason_in_the_rule_id():
    cell = _read(Cell("12", 0, 1, source="ocr:p3 bbox=1,2,3,4", confidence=0.41))
    assert (cell.value_raw, cell.value_semantic, cell.value_num) == ("12", "TEXT", None)
    assert cell.rule_id == "t3.labels.pdf.ocr_low_confidence"
    assert (cell.ocr_confidence, cell.ocr_first_reading, cell.source) == (0.41, None, "ocr:p3 bbox=1,2,3,4")


def test_low_confidence_zero_is_text_too():
    cell = _read(Cell("0", 0, 1, confidence=0.79))
    assert (cell.value_semantic, cell.value_num, cell.rule_id) == (
        "TEXT",
        None,
        "t3.labels.pdf.ocr_low_confidence",
    )


@pytest.mark.parametrize("confidence", [MIN_CELL_CONFIDENCE, 0.97, None])
def test_confident_or_text_layer_value_is_a_number(confidence):
    cell = _read(Cell("12", 0, 1, confidence=confidence))
    assert (cell.value_semantic, cell.value_num, cell.rule_id) == ("NUMERIC", 12.0, "t3.labels.pdf")
    assert cell.ocr_confidence == confidence


def test_blank_ocr_cell_stays_blank():
    """No ink read, nothing to doubt: a blank stays EMPTY (the identities count it 0 among filled parts)."""
    cell = _read(Cell("", 0, 1, confidence=0.2))
    assert (cell.value_semantic, cell.value_num, cell.rule_id) == ("EMPTY", None, "t3.labels.pdf")


def test_second_reading_keeps_the_first():
    cell = _read(Cell("21", 0, 1, confidence=0.93, first_reading="2l"))
    assert (cell.value_semantic, cell.value_num) == ("NUMERIC", 21.0)
    assert (cell.ocr_confidence, cell.ocr_first_reading) == (0.93, "2l")


def test_staged_rows_carry_confidence_first_reading_and_reread_flag():
    cells = [
        _read(Cell("21", 0, 1, confidence=0.93, first_reading="2l")),
        _read(Cell("7", 0, 1, confidence=0.99)),
        _read(Cell("5", 0, 1)),
    ]
    rows = parsed_rows(ParsedReport(document_id="d", metadata=Metadata(), cells=cells), "[]")["table_cells"]
    assert [(r["ocr_confidence"], r["ocr_first_reading"], r["ocr_reread"]) for r in rows] == [
        (0.93, "2l", True),
        (0.99, None, False),
        (None, None, False),
    ]


def test_older_warehouse_gains_the_ocr_columns():
    con = duckdb.connect()
    con.execute("create schema staging")
    old = {k: v for k, v in ddl_columns(STAGING_DDL["table_cells"]).items() if not k.startswith("ocr_")}
    con.execute(f"create table staging.table_cells ({', '.join(old.values())})")
    con.execute(
        "insert into staging.table_cells (document_id, table_id, row_key, col_key, row_label, col_label, value_raw,"
        " value_semantic, unit, source, grid_index, grid_row, grid_col, rule_id, parser_version)"
        " values ('d', 't3', 'new', 'total', '一', '总计', '3', 'NUMERIC', '件', 'html:t0/r1c1', 0, 1, 1, 'r', 'v')"
    )
    create_staging(con)
    create_staging(con)  # idempotent
    assert con.execute(
        "select ocr_confidence, ocr_first_reading, ocr_reread from staging.table_cells"
    ).fetchall() == [(None, None, False)]


def test_parse_shows_confidence_and_first_reading():
    line = _ocr_cell_line(_read(Cell("21", 0, 1, confidence=0.93, first_reading="2l")))
    assert line == (
        "    ocr t3 new/natural_person '21' NUMERIC confidence 0.93 (second reading; first read '2l')"
        "  [t3.labels.pdf]"
    )
    low = _ocr_cell_line(_read(Cell("12", 0, 1, confidence=0.41)))
    assert (
        low == "    ocr t3 new/natural_person '12' TEXT confidence 0.41  [t3.labels.pdf.ocr_low_confidence]"
    )

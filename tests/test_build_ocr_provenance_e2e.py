"""OCR provenance through the real flow: a report whose table cells carry OCR confidences and one second reading
reaches staging.table_cells, the fact marts, check_results and mart_data_quality with its provenance, and a cell
read with too little confidence is TEXT (not evaluable), never a number.

The input is the real PDF `hongze_2023.pdf` read by the real reader; its grids are then given what the OCR reader
hands on for a scanned page (every cell a confidence, one value re-read) before the build stages them. The
scanned-file end-to-end test of the OCR reader itself lives with that reader.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from nianbao import stages
from nianbao.ingest import Document
from nianbao.parse import parse_text
from nianbao.tables.grid import Grid
from tests.conftest import FIXTURES
from tests.helpers import build_and_open

pytestmark = pytest.mark.e2e

PDF = FIXTURES / "pdf" / "hongze_2023.pdf"
CONFIDENCE = 0.96  # every cell's reading
REREAD = ("t3", "new", "natural_person", 0.9, "2l")  # printed 21: the first reading '2l', a second gave '21'
LOW = ("t3", "new", "commercial", 0.5)  # printed 0, read with too little confidence: TEXT


def as_ocr_read(doc: Document) -> Document:
    """The document as the OCR reader would hand it on: the same grids, each cell with an OCR confidence."""
    cells = {
        (c.table, c.row_key, c.col_key): c
        for c in parse_text(doc.document_id, doc.normalized_text, doc.grids).cells
    }
    special = {}
    for table, row, col, confidence, *first in (REREAD, LOW):
        c = cells[(table, row, col)]
        special[(c.grid_index, c.grid_row, c.grid_col)] = (confidence, first[0] if first else None)
    grids = [Grid.from_json(json.dumps(g)) for g in json.loads(doc.grids_json)]
    out = []
    for g in grids:
        for r, row in enumerate(g.rows):
            for k, cell in enumerate(row):
                if cell is not None and g.is_origin(r, k):
                    confidence, first = special.get((g.index, r, k), (CONFIDENCE, None))
                    row[k] = dataclasses.replace(cell, confidence=confidence, first_reading=first)
        out.append(g)  # to_json writes the origin cells only: the covered positions need no update
    return dataclasses.replace(doc, grids_json="[" + ",".join(g.to_json() for g in out) + "]")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    real_read = stages.read_document
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stages, "read_document", lambda path, doc_id: as_ocr_read(real_read(path, doc_id)))
        yield from build_and_open(tmp_path_factory, [PDF], workers=1)


def test_staged_cells_carry_confidence_and_second_reading(warehouse):
    counts = warehouse.execute(
        """select count(*), count(ocr_confidence), count(*) filter (where ocr_reread),
                  count(*) filter (where rule_id like '%.ocr_low_confidence')
           from staging.table_cells"""
    ).fetchone()
    assert counts == (186, 186, 1, 1)
    rows = warehouse.execute(
        """select col_key, value_raw, value_num, value_semantic, ocr_confidence, ocr_first_reading, ocr_reread, rule_id
           from staging.table_cells
           where table_id = 't3' and row_key = 'new' and col_key in ('natural_person', 'commercial', 'research')
           order by grid_col"""
    ).fetchall()
    assert rows == [
        ("natural_person", "21", 21.0, "NUMERIC", 0.9, "2l", True, "t3.labels.pdf"),
        ("commercial", "0", None, "TEXT", 0.5, None, False, "t3.labels.pdf.ocr_low_confidence"),
        ("research", "0", 0.0, "ZERO", 0.96, None, False, "t3.labels.pdf"),
    ]  # fmt: skip


def test_fact_marts_show_how_each_figure_was_read(warehouse):
    rows = warehouse.execute(
        """select applicant_type, value, value_semantic, reading, ocr_confidence, ocr_first_reading
           from marts.fct_application
           where source_kind = 'table' and measure = 'applications_new'
               and applicant_type in ('natural_person', 'commercial', 'total')
           order by grid_col"""
    ).fetchall()
    assert rows == [
        ("natural_person", 21.0, "NUMERIC", "ocr_reread", 0.9, "2l"),
        ("commercial", None, "TEXT", "ocr", 0.5, None),
        ("total", 21.0, "NUMERIC", "ocr", 0.96, None),
    ]  # fmt: skip
    readings = warehouse.execute(
        " union ".join(
            f"select distinct source_kind, reading from marts.{m}"
            for m in ("fct_application", "fct_appeal", "fct_proactive_disclosure")
        )
    ).fetchall()
    # a text-layer PDF whose tables were given OCR readings: its prose stays text_layer
    assert set(readings) == {("prose", "text_layer"), ("table", "ocr"), ("table", "ocr_reread")}


def test_checks_say_which_cells_ocr_and_a_second_reading_gave(warehouse):
    rows = dict(
        (r[0], r[1:])
        for r in warehouse.execute(
            """select check_name, status, reading, reread_cells, detail from marts.check_results
               where check_name in ('t3_column_identity_natural_person', 't3_column_identity_commercial',
                                    't3_row_total_new', 't4_identity_direct', 'prose_consistency_applications_new')"""
        ).fetchall()
    )
    assert rows["t3_column_identity_natural_person"][:3] == (
        "PASS",
        "ocr_reread",
        "t3/new/natural_person 2l → 21",
    )
    assert rows["t3_column_identity_commercial"] == (
        "NOT_EVALUABLE",
        "ocr",
        None,
        "not evaluable: new/commercial text (OCR confidence 0.5, too low for a figure)",
    )
    assert rows["t3_row_total_new"][:3] == ("NOT_EVALUABLE", "ocr_reread", "t3/new/natural_person 2l → 21")
    assert rows["t4_identity_direct"][:3] == ("PASS", "ocr", None)
    assert rows["prose_consistency_applications_new"][1:3] == (None, None)


def test_data_quality_counts_ocr_cells(warehouse):
    assert warehouse.execute(
        "select table_cells_ocr, table_cells_ocr_reread, table_cells_ocr_low_confidence from marts.mart_data_quality"
    ).fetchall() == [(186, 1, 1)]

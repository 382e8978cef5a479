"""Word 97-2003 `.doc` through LibreOffice → DOCX → the DOCX reader, with real files (scripts/make_doc_fixtures.py).

`hongze_2023.doc` carries the real 洪泽区 2023 report's figures (tests/test_hongze_cells.py) in the official 2021
template, so all 200 statutory cells are known exactly; `template_2021_format.doc` is the blank template, whose
labels and merges must survive the round trip as they are read from the DOCX.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from nianbao.ingest import Quarantined, read_document
from nianbao.readers.docx import read_docx
from nianbao.readers.legacy_doc import convert_to_docx, converter, read_legacy_doc
from nianbao.readers.limits import ReaderError
from nianbao.tables.cells import extract_cells
from tests.conftest import FIXTURES
from tests.helpers import T3_COLUMNS, build_and_open
from tests.test_docx_reader import TEMPLATE, _origins
from tests.test_hongze_cells import T2, T3, T4

DOCS = FIXTURES / "doc"
HONGZE_DOC = DOCS / "hongze_2023.doc"
TEMPLATE_DOC = DOCS / "template_2021_format.doc"

pytestmark = pytest.mark.skipif(converter() is None, reason="LibreOffice (soffice) is not installed")


def _truth() -> dict[tuple[str, str, str], str]:
    """The 200 cells as the .doc prints them: 表二 10, 表三 25 rows × 7 (（六） as three 0 rows), 表四 15."""
    out = {("t2", r, c): v for (r, c), (v, _page) in T2.items()}
    for line in T3.strip().splitlines():
        row, *values = line.split()
        rows = ["other.no_correction", "other.no_fee", "other.other"] if row == "other" else [row]
        out |= {("t3", r, c): v for r in rows for c, v in zip(T3_COLUMNS, values, strict=True)}
    return out | {("t4", "all", k): v for k, v in T4.items()}


def _corrupt(tmp_path: Path) -> Path:
    """The real .doc cut after its first 3000 bytes (a download that stopped): LibreOffice cannot load it."""
    bad = tmp_path / "cut_short.doc"
    bad.write_bytes(HONGZE_DOC.read_bytes()[:3000])
    return bad


@pytest.fixture(scope="module")
def hongze():
    return read_legacy_doc(HONGZE_DOC)


def test_every_statutory_cell_of_the_real_report_comes_out_exactly(hongze):
    cells = {(c.table, c.row_key, c.col_key): c for c in extract_cells(hongze.grids, hongze.text)}
    assert {k: c.value_raw for k, c in cells.items()} == _truth()
    assert len(cells) == 200
    assert cells[("t2", "admin_fees", "fee_amount")].value_num == 77302800.0  # 7730.28 万元 in yuan
    assert {c.era for k, c in cells.items() if k[0] == "t3"} == {"std2021"}


def test_prose_comes_through_in_order(hongze):
    text = hongze.text
    assert text.index("洪泽区人民政府2023年政府信息公开工作年度报告") < text.index("一、总体情况")
    assert "2023 年全区受理政府信息公开申请 21 件" in text
    assert text.index("四、政府信息公开行政复议、行政诉讼情况") < text.index("六、其他需要报告的事项")
    assert hongze.notes[0] == "converted from Word 97-2003 by LibreOffice"


def test_the_template_keeps_every_label_and_merge_of_its_docx():
    from_doc, from_docx = read_legacy_doc(TEMPLATE_DOC), read_docx(TEMPLATE)
    shapes = [(len(g.rows), g.width) for g in from_doc.grids]
    assert shapes == [(len(g.rows), g.width) for g in from_docx.grids] == [(14, 4), (28, 10), (4, 15)]
    for a, b in zip(from_doc.grids, from_docx.grids, strict=True):
        assert _origins(a, text_only=False) == _origins(b, text_only=False)


def test_a_wps_file_goes_through_the_same_converter(tmp_path):
    wps = tmp_path / "report.wps"
    shutil.copy(HONGZE_DOC, wps)
    doc = read_document(wps)
    assert not isinstance(doc, Quarantined), doc
    assert doc.file_type == "doc" and doc.grids_json.count('"index"') >= 3


def test_a_cut_short_doc_is_quarantined_as_convert_failed(tmp_path):
    q = read_document(_corrupt(tmp_path))
    assert isinstance(q, Quarantined)
    assert (q.stage, q.reason_code) == ("ingest", "doc_convert_failed")
    assert "without a DOCX" in q.message


def test_no_libreoffice_on_path_is_converter_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice, no libreoffice
    with pytest.raises(ReaderError) as e:
        convert_to_docx(HONGZE_DOC, tmp_path)
    assert e.value.reason == "doc_converter_missing"


def test_a_conversion_past_its_clock_is_a_timeout_and_leaves_no_office_process(tmp_path):
    with pytest.raises(ReaderError) as e:
        convert_to_docx(HONGZE_DOC, tmp_path, timeout_s=0.3)
    assert e.value.reason == "doc_convert_timeout"
    profile = str(tmp_path / "profile")
    left = [p for p in Path("/proc").glob("[0-9]*") if profile in _cmdline(p)]
    assert left == []


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    bad = _corrupt(tmp_path_factory.mktemp("bad"))
    yield from build_and_open(tmp_path_factory, [HONGZE_DOC, bad])


def test_a_doc_reaches_staging_with_exact_cell_values(warehouse: duckdb.DuckDBPyConnection):
    rows = warehouse.execute(
        """select c.table_id, c.row_key, c.col_key, c.value_raw from staging.table_cells c
           join staging.documents d using (document_id) where d.source_file = 'hongze_2023.doc'"""
    ).fetchall()
    assert {(t, r, k): v for t, r, k, v in rows} == _truth()
    file_type, agency, year = warehouse.execute(
        """select d.file_type, s.agency, s.report_year from staging.documents d
           join marts.report_summary s using (document_id) where d.source_file = 'hongze_2023.doc'"""
    ).fetchone()
    assert (file_type, agency, year) == ("doc", "洪泽区人民政府", 2023)


def test_a_corrupt_doc_is_quarantined_in_the_warehouse(warehouse: duckdb.DuckDBPyConnection):
    rows = warehouse.execute("select source_path, stage, reason_code from staging.quarantine").fetchall()
    assert [(os.path.basename(p), s, r) for p, s, r in rows] == [
        ("cut_short.doc", "ingest", "doc_convert_failed")
    ]

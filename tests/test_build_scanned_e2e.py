"""One real `nianbao build` of a folder holding an image-only PDF, a PNG page and a Word 97-2003 `.doc`.

The scan is the real 洪泽区 2023 report rasterised at 200 dpi (no text layer at all); the PNG is its page 4
alone; the `.doc` is a synthetic report of another body (`nianbao synth`, DOCX) saved as Word 97-2003 by
LibreOffice, so its true cells are known from the sidecar and it is not a copy of the scan. What must hold:
every file is staged, the scan's and the PNG's cells carry OCR provenance into `staging.table_cells` and the
fact marts (`reading`), the scan's cells equal the text layer's, and the `.doc`'s cells equal the truth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nianbao.readers.pdf import read_pdf
from nianbao.synth.corpus import make_report
from nianbao.tables.cells import extract_cells
from tests.conftest import FIXTURES
from tests.helpers import build_and_open

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
pytest.importorskip("tesserocr")

HONGZE = FIXTURES / "pdf" / "hongze_2023.pdf"
DPI = 200


def _pages(dpi: int):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(HONGZE))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _as_doc(docx: Path, out: Path) -> Path:
    """The DOCX saved as Word 97-2003 by LibreOffice (its own profile: parallel tests must not share one)."""
    profile = out / "lo-profile"
    subprocess.run(
        [
            *("soffice", f"-env:UserInstallation=file://{profile}", "--headless"),
            *("--convert-to", "doc", "--outdir", str(out), str(docx)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=os.environ | {"HOME": str(out)},
    )
    return out / (docx.stem + ".doc")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict]:
    out = tmp_path_factory.mktemp("scanned-inputs")
    pages = _pages(DPI)
    scan = out / "hongze_scan.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=DPI)
    png = out / "hongze_page4.png"
    pages[3].save(png, dpi=(DPI, DPI))
    rep = make_report(11, 0, {"docx": 1.0})
    docx = out / "synthetic.docx"
    docx.write_bytes(rep.data)
    return [scan, png, _as_doc(docx, out)], rep.truth


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, inputs):
    yield from build_and_open(tmp_path_factory, inputs[0], workers=2)


def _cells(con, source_file: str) -> dict[tuple[str, str, str], tuple]:
    rows = con.execute(
        """select c.table_id, c.row_key, c.col_key, c.value_num, c.value_semantic, c.ocr_confidence
           from staging.table_cells c join staging.documents d using (document_id)
           where d.source_file = ?""",
        [source_file],
    ).fetchall()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def test_every_file_is_staged_with_its_reader(warehouse) -> None:
    got = dict(
        warehouse.execute(
            "select source_file, file_type || ' ' || encoding_rule from staging.documents"
        ).fetchall()
    )
    assert got == {
        "hongze_scan.pdf": "pdf ocr",
        "hongze_page4.png": "image ocr",
        "synthetic.doc": "doc doc",
    }
    assert warehouse.execute("select count(*) from staging.quarantine").fetchone()[0] == 0


def test_scan_cells_equal_the_text_layer_and_carry_ocr_provenance(warehouse) -> None:
    content = read_pdf(HONGZE)
    truth = {(c.table, c.row_key, c.col_key): c.value_num for c in extract_cells(content.grids, content.text)}
    got = _cells(warehouse, "hongze_scan.pdf")
    assert len(truth) == 186
    assert {k: v[0] for k, v in got.items() if v[1] in ("NUMERIC", "ZERO")} == {
        k: v for k, v in truth.items() if k in got and got[k][1] in ("NUMERIC", "ZERO")
    }
    right = sum(1 for k, v in truth.items() if k in got and got[k][0] == v)
    assert right >= 0.99 * len(truth)
    assert all(v[2] is not None for v in got.values()), "every OCR'd cell keeps its confidence"


def test_png_page_cells_carry_ocr_provenance(warehouse) -> None:
    got = _cells(warehouse, "hongze_page4.png")
    assert got and all(v[2] is not None for v in got.values())


def test_doc_cells_equal_the_synthetic_truth(warehouse, inputs) -> None:
    truth = {
        (c["table_id"], c["row_key"], c["col_key"]): c["value"]
        for c in inputs[1]["cells"]
        if c["status"] == "stated"
    }
    got = _cells(warehouse, "synthetic.doc")
    numbers = {k: v[0] for k, v in got.items() if v[1] in ("NUMERIC", "ZERO")}
    assert numbers, "the .doc's tables were read"
    assert all(numbers[k] == truth[k] for k in numbers), "no number the report does not state"
    assert all(v[2] is None for v in got.values()), "a converted .doc is no OCR reading"


def test_fact_marts_say_how_each_figure_was_read(warehouse) -> None:
    rows = dict(
        warehouse.execute(
            """select d.source_file, list(distinct f.reading order by f.reading)
               from marts.fct_application f join staging.documents d using (document_id)
               group by 1"""
        ).fetchall()
    )
    assert rows["hongze_scan.pdf"] in (["ocr"], ["ocr", "ocr_reread"])
    assert rows["synthetic.doc"] == ["text_layer"]

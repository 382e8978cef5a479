"""The PDFium page source reads a PDF as pdfminer does: same text layer, same grids, same notes and scanned
pages, on synthetic reports (fpdf2, embedded CJK font), hand-written PDFs and a mixed text/scan file; what
PDFium might read differently (洪泽区 2023's vertical-writing labels) goes to pdfminer whole."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfWriter
from pypdf.generic import RectangleObject

from nianbao.readers.pdf import PdfContent, _preflight, read_pdf
from nianbao.readers.pdfium_pages import PdfiumPage, pdfium_pages
from nianbao.synth.corpus import REPORTS, formats_available, write_corpus
from tests.test_pdf_reader import HONGZE, _make_pdf, _ruled, _text


def _fast(path: Path) -> list[PdfiumPage] | None:
    return pdfium_pages(path, _preflight(path))


_BBOX = re.compile(r"bbox=([\d.]+),([\d.]+),([\d.]+),([\d.]+)")


def _same(fast: PdfContent, slow: PdfContent) -> None:
    """Equal but for cell boxes printed to 0.1 pt, which may round the other way: PDFium keeps coordinates
    in single precision, pdfminer in double, so a box edge at x.x5 can print either side."""
    a, b = asdict(fast), asdict(slow)
    boxes_a, boxes_b = _BBOX.findall(repr(a)), _BBOX.findall(repr(b))
    assert len(boxes_a) == len(boxes_b)
    for x, y in zip(boxes_a, boxes_b, strict=True):
        assert all(abs(float(u) - float(v)) <= 0.1 + 1e-9 for u, v in zip(x, y, strict=True)), (x, y)
    assert _BBOX.sub("bbox", repr(a)) == _BBOX.sub("bbox", repr(b))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if "pdf" not in formats_available("pdf"):
        pytest.skip("no CJK font for the synthetic PDFs")
    out = tmp_path_factory.mktemp("synth_pdf")
    write_corpus(6, out, seed=3, formats={"pdf": 1.0})
    return sorted((out / REPORTS).glob("*.pdf"))


def test_synthetic_reports_read_the_same(synthetic: list[Path]) -> None:
    assert len(synthetic) == 6
    for path in synthetic:
        assert _fast(path) is not None, path.name  # the fast path is taken
        fast, slow = read_pdf(path), read_pdf(path, fast=False)
        assert fast.grids and fast.text.strip()
        _same(fast, slow)


def test_hand_written_tables_read_the_same(tmp_path: Path) -> None:
    """Line-drawn, box-drawn, open-sided and lineless tables, a page number, over-printed bold."""
    xs = [72.0, 250.0, 350.0, 450.0]
    header = ["信息内容", "本年制发件数", "本年废止件数"]
    page1 = _text(72, 60, "二、主动公开政府信息情况") + _text(72.3, 60, "二、主动公开政府信息情况")
    page1 += _ruled(xs, 700, [header, ["规章", "1", "2"]]) + _text(290, 800, "- 1 -")
    page2 = _ruled(xs, 72, [header, ["行政规范性文件", "3", "4"]]) + _text(72, 140, "三、其他")
    page2 += "0.5 w\n72 500 200 20 re S\n72 480 100 20 re S\n172 480 100 20 re S\n"
    page2 += _text(75, 325, "行政诉讼") + _text(75, 345, "结果维持") + _text(175, 345, "结果纠正")
    lineless = _text(72, 80, "四、行政复议情况如下，单位为件。")
    lineless += "".join(
        _text(x, 120, s) for x, s in zip([72, 200, 300], ["复议", "维持", "纠正"], strict=True)
    )
    lineless += "".join(_text(x, 140, s) for x, s in zip([72, 200, 300], ["本年", "3", "1"], strict=True))
    lineless += "".join(_text(x, 160, s) for x, s in zip([72, 200, 300], ["上年", "0", "12"], strict=True))
    path = tmp_path / "hand.pdf"
    path.write_bytes(_make_pdf([page1, page2, lineless]))
    assert _fast(path) is not None
    fast, slow = read_pdf(path), read_pdf(path, fast=False)
    assert len(fast.grids) == 3 and "- 1 -" not in fast.text
    assert asdict(fast) == asdict(slow)


def test_vertical_writing_goes_to_pdfminer() -> None:
    """PDFium merges a vertical label's glyph boxes (表三's 三、本年度办理结果): the whole file is pdfminer's."""
    assert _fast(HONGZE) is None
    assert asdict(read_pdf(HONGZE)) == asdict(read_pdf(HONGZE, fast=False))


def test_mixed_text_and_scan_finds_the_scanned_page(tmp_path: Path) -> None:
    """A text page and a page that is only an image: the fast path reads the text and names the scan."""
    text = tmp_path / "text.pdf"
    text.write_bytes(
        _make_pdf([_text(72, 60, "一、总体情况") + _ruled([72.0, 250.0, 350.0], 100, [["规章", "1"]])])
    )
    scan = tmp_path / "scan.pdf"
    pdfium.PdfDocument(HONGZE)[2].render(scale=1).to_pil().save(scan, "PDF", resolution=72)
    writer = PdfWriter()
    writer.append(text)
    writer.append(scan)
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    assert _fast(mixed) is not None
    fast = read_pdf(mixed)
    assert (fast.pages, fast.scanned) == (2, [2])
    assert asdict(fast) == asdict(read_pdf(mixed, fast=False))


def test_actual_text_goes_to_pdfminer(tmp_path: Path) -> None:
    """Marked content with /ActualText: PDFium would read the replacement, pdfminer reads the glyphs."""
    replaced = "/Span << /ActualText <FEFF0031> >> BDC\n" + _text(72, 60, "一") + "EMC\n"
    path = tmp_path / "actual.pdf"
    path.write_bytes(_make_pdf([_text(72, 40, "二、主动公开政府信息情况") + replaced]))
    assert _fast(path) is None
    assert read_pdf(path).text.splitlines() == ["二、主动公开政府信息情况", "一"]


def test_cropped_or_rotated_page_goes_to_pdfminer(tmp_path: Path) -> None:
    """pdfplumber places objects in the media box; PDFium's page box is the crop box: pdfminer reads it."""
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(
        _make_pdf([_text(72, 60, "一、总体情况") + _ruled([72.0, 250.0, 350.0], 100, [["规章", "1"]])])
    )
    writer = PdfWriter()
    writer.append(plain)
    writer.pages[0].cropbox = RectangleObject([0, 0, 595, 800])
    cropped = tmp_path / "cropped.pdf"
    writer.write(cropped)
    writer = PdfWriter()
    writer.append(plain)
    writer.pages[0].rotate(90)
    rotated = tmp_path / "rotated.pdf"
    writer.write(rotated)
    assert _fast(plain) is not None and _fast(cropped) is None and _fast(rotated) is None
    assert read_pdf(cropped).grids[0].rows[0][0].source == read_pdf(plain).grids[0].rows[0][0].source

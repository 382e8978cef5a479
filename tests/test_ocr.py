"""OCR of scanned reports on real pages: 洪泽区 2023 rasterised into image-only files, read back by OCR.

The 186 statutory-table cells of this report are known exactly from its text layer (test_hongze_cells.py).
The scans are built here (pypdfium2 renders, Pillow writes the image-only PDF), once per module, and each
variant is OCR'd once: 150 dpi, 200 dpi, and 200 dpi turned by 1° with scan speckle. What must hold:
≥ 99 % of the cells equal the text layer, every other cell is TEXT or flagged, no wrong number passes
silently, and the body and year are found. A page photographed at an angle is refused or read right.
Runtime is dominated by OCR (~20 s a variant on 2 loaded cores); the test prints it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import cv2
import duckdb
import numpy as np
import pytest

from nianbao.ingest import Document, read_document
from nianbao.metadata import extract_metadata
from nianbao.model import ProseFact
from nianbao.normalize import normalize
from nianbao.ocr import policy
from nianbao.ocr.detect import unusable_text
from nianbao.ocr.limited import OcrContent
from nianbao.ocr.reader import OcrPage, assemble, read_page, read_scanned_pdf
from nianbao.ocr.reread import REREAD, second_reading
from nianbao.ocr.spans import ocr_line
from nianbao.readers.limits import ReaderError
from nianbao.readers.pdf import read_pdf
from nianbao.sections import split_sections
from nianbao.staging import create_staging, stage_documents
from nianbao.tables.catalog import canon
from nianbao.tables.cells import extract_cells
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.labels import TableCell, is_low_confidence

pytest.importorskip("tesserocr")

HONGZE = Path(__file__).resolve().parent / "fixtures" / "pdf" / "hongze_2023.pdf"
VARIANTS = ("dpi150", "dpi200", "skew1_noise")
Key = tuple[str, str, str]


def _render(dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(HONGZE))
    try:
        return [np.array(doc[i].render(scale=dpi / 72).to_pil().convert("L")) for i in range(len(doc))]
    finally:
        doc.close()


def _skew_noise(gray: np.ndarray, seed: int) -> np.ndarray:
    """A scanner's look: turned 1°, salt-and-pepper speckle on 0.2 % of the pixels, a light blur."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 1.0, 1.0)
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    rng = np.random.default_rng(seed)
    spots = rng.random(out.shape)
    out[spots < 0.001] = 0
    out[spots > 0.999] = 255
    return cv2.GaussianBlur(out, (3, 3), 0)


def _perspective(gray: np.ndarray) -> np.ndarray:
    """The page photographed from below and to the side: its top edge 12 % narrower than its bottom."""
    h, w = gray.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[0.12 * w, 0.04 * h], [0.94 * w, 0], [w, h], [0, 0.97 * h]])
    return cv2.warpPerspective(gray, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=255)


def _write_pdf(pages: list[np.ndarray], dpi: int, path: Path) -> Path:
    from PIL import Image

    images = [Image.fromarray(p) for p in pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scans")
    p150, p200 = _render(150), _render(200)
    return {
        "dpi150": _write_pdf(p150, 150, out / "hongze_150.pdf"),
        "dpi200": _write_pdf(p200, 200, out / "hongze_200.pdf"),
        "skew1_noise": _write_pdf(
            [_skew_noise(p, i) for i, p in enumerate(p200)], 200, out / "hongze_skew.pdf"
        ),
        "perspective": _write_pdf([_perspective(p200[2])], 200, out / "hongze_photo.pdf"),
        "png": _write_png(p200[3], out / "hongze_p4.png"),
        "mixed": _write_mixed(p200[2], 3, out / "hongze_mixed.pdf"),
    }


def _write_mixed(scan: np.ndarray, number: int, path: Path) -> Path:
    """The report with page `number` replaced by its scan (no text layer); the other pages keep theirs."""
    from pypdf import PdfReader, PdfWriter

    image_pdf = PdfReader(_write_pdf([scan], 200, path.with_suffix(".scan.pdf")))
    writer = PdfWriter()
    for i, page in enumerate(PdfReader(HONGZE).pages, start=1):
        writer.add_page(image_pdf.pages[0] if i == number else page)
    with path.open("wb") as f:
        writer.write(f)
    return path


def _write_png(page: np.ndarray, path: Path, dpi: int = 200) -> Path:
    from PIL import Image

    Image.fromarray(page).save(path, dpi=(dpi, dpi))
    return path


@pytest.fixture(scope="module")
def truth() -> dict[Key, TableCell]:
    content = read_pdf(HONGZE)
    return {(c.table, c.row_key, c.col_key): c for c in extract_cells(content.grids, content.text)}


@pytest.fixture(scope="module")
def ocr(scans: dict[str, Path]) -> dict[str, tuple[OcrContent, float]]:
    """Each variant OCR'd once (in this process: the child-process path is covered by the PNG test)."""
    out = {}
    for name in VARIANTS:
        start = time.monotonic()
        content = read_scanned_pdf(scans[name])
        out[name] = (content, time.monotonic() - start)
    return out


def _flagged(cell: TableCell) -> bool:
    return cell.value_semantic == "TEXT" or cell.ocr_first_reading is not None


@pytest.mark.parametrize("variant", VARIANTS)
def test_cells_equal_the_text_layer(
    ocr: dict[str, tuple[OcrContent, float]], truth: dict[Key, TableCell], variant: str
) -> None:
    content, seconds = ocr[variant]
    got = {(c.table, c.row_key, c.col_key): c for c in extract_cells(content.grids, content.text)}
    assert set(got) <= set(truth), "no cell the text layer does not have"
    right = [
        k
        for k, t in truth.items()
        if k in got and (got[k].value_raw, got[k].value_num) == (t.value_raw, t.value_num)
    ]
    print(f"\n{variant}: {len(right)}/{len(truth)} cells right, {content.pages / seconds:.2f} pages/s")
    assert len(right) >= 0.99 * len(truth)
    for k, t in truth.items():
        if k in got and got[k].value_num != t.value_num:
            assert _flagged(got[k]), f"{k}: read {got[k].value_raw!r}, printed {t.value_raw!r}, not flagged"
    for c in got.values():
        assert c.source.startswith("ocr:p") and " conf=" in c.source and "engine=tesseract" in c.source
        assert c.ocr_confidence is not None and 0.0 <= c.ocr_confidence <= 1.0
    assert all(g.fmt == "ocr" for g in content.grids)


@pytest.mark.parametrize("variant", VARIANTS)
def test_grids_have_the_text_layers_shape_and_spans(
    ocr: dict[str, tuple[OcrContent, float]], variant: str
) -> None:
    """Same tables, same rows and columns, same merged cells (spans), joined over the same page breaks."""

    def shape(grids: list[Grid]) -> list[tuple[int, int, set[tuple[int, int, int, int]]]]:
        return [
            (
                len(g.rows),
                g.width,
                {
                    (c.row, c.col, c.rowspan, c.colspan)
                    for r, row in enumerate(g.rows)
                    for k, c in enumerate(row)
                    if c and g.is_origin(r, k)
                },
            )
            for g in grids
        ]

    assert shape(ocr[variant][0].grids) == shape(read_pdf(HONGZE).grids)


@pytest.mark.parametrize("variant", VARIANTS)
def test_metadata_body_and_year(ocr: dict[str, tuple[OcrContent, float]], variant: str) -> None:
    text = normalize(ocr[variant][0].text).text
    meta = extract_metadata(text, split_sections(text))
    assert meta.report_year == 2023
    assert meta.agency is not None and "洪泽区" in meta.agency


def test_prose_lines_keep_their_page_and_box(ocr: dict[str, tuple[OcrContent, float]]) -> None:
    content = ocr["dpi200"][0]
    assert "政府信息公开工作年度报告" in content.text
    start, end, page, bbox, conf = next(
        m for m in content.line_map if "年度报告" in content.text[m[0] : m[1]]
    )
    assert page == 1 and bbox[1] < 200 and 0 < conf <= 1  # the title, near the top of page 1 (points)
    assert content.text[start:end].endswith("年度报告")


def test_perspective_photo_is_refused_or_read_right(
    scans: dict[str, Path], truth: dict[Key, TableCell]
) -> None:
    try:
        content = read_scanned_pdf(scans["perspective"])
    except ReaderError as e:
        assert e.reason == "ocr_unreadable"
        return
    for c in extract_cells(content.grids, content.text):  # read: then never wrongly
        t = truth.get((c.table, c.row_key, c.col_key))
        assert t is not None and (c.value_raw == t.value_raw or _flagged(c))


def test_png_page_through_ingest(scans: dict[str, Path], truth: dict[Key, TableCell], tmp_path: Path) -> None:
    """A page image is a document: read in the OCR child process, 表四 (page 4) cell by cell; its table rows
    are in the document text too, as a PDF text layer has them."""
    doc = read_document(scans["png"])
    assert isinstance(doc, Document), doc
    assert (doc.file_type, doc.encoding_rule) == ("image", "ocr")
    assert "结果维持" in doc.normalized_text
    grids = [Grid.from_json(json.dumps(g)) for g in json.loads(doc.grids_json)]
    got = {(c.table, c.row_key, c.col_key): c for c in extract_cells(grids, doc.normalized_text)}
    t4 = {k: t for k, t in truth.items() if k[0] == "t4"}
    assert {k: got[k].value_raw for k in t4 if k in got} == {k: t.value_raw for k, t in t4.items()}
    # The span map travels with the document into staging: a figure's span → page, bbox, confidence.
    assert doc.ocr_pages == 1
    start = doc.normalized_text.index("结果维持")
    fact = ProseFact("review.upheld", 0.0, "件", "", start, start + 4, "test")
    where = ocr_line(doc, fact)
    assert where is not None and where["page"] == 1 and 0 < where["confidence"] <= 1
    x0, top, x1, bottom = where["bbox"]
    assert 0 <= x0 < x1 <= 595.3 and 0 <= top < bottom <= 841.9  # an A4 page in points
    orig = doc.original_text.index("结果维持")
    span = next(m for m in json.loads(doc.ocr_lines) if m[0] <= orig < m[1])
    assert "结果维持" in doc.original_text[span[0] : span[1]]
    assert span[3] == pytest.approx(where["bbox"], abs=0.1)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))  # payloads go to a segment beside the file
    create_staging(con)
    stage_documents(con, [doc])
    assert con.execute(
        "select ocr_pages, ocr_lines from staging.documents join staging.document_payloads using (document_id)"
    ).fetchone() == (1, doc.ocr_lines)


def test_ocr_pages_counted_in_the_build_summary_and_bench(scans: dict[str, Path], tmp_path: Path) -> None:
    """The build's batch counts OCR'd pages, the summary rates them over the ingest stage; `nianbao bench`
    rates them over the OCR'd files' reading time."""
    from datetime import UTC, datetime

    from nianbao import stages
    from nianbao.bench import bench
    from nianbao.cli import render_summary
    from nianbao.summary import BuildSummary, summary_dict

    png = str(scans["png"])
    res = stages.ingest_parse_batch([(png, "png-page")], str(tmp_path), 0, datetime.now(UTC), 1)
    assert (res["read"], res["ocr_pages"]) == (1, 1)
    summary = BuildSummary("w.duckdb", "run", stage_seconds={"ingest": 4.0})
    summary.add_parse(res)
    assert (summary.ocr_pages, summary_dict(summary)["ocr_pages_per_s"]) == (1, 0.25)
    assert "  ocr         1 page(s) · 0.25 pages/s over the ingest stage" in render_summary(summary)
    image = bench([scans["png"]], repeat=1)["image"]
    print(f"\nbench: {image['ocr_pages_per_s']} OCR pages/s ({image['read_median_s']:.1f} s for 1 page)")
    assert image["ocr_pages"] == 1 and image["ocr_pages_per_s"] == round(1 / image["read_median_s"], 3)


def test_mixed_pdf_reads_the_scanned_page_by_ocr(scans: dict[str, Path], truth: dict[Key, TableCell]) -> None:
    """Page 3 (the end of 表二, the start of 表三) scanned, the others text: page 3 by OCR in the child, the
    others from the text layer, in page order; the tables running over pages 2-3 and 3-4 are still joined."""
    doc = read_document(scans["mixed"])
    assert isinstance(doc, Document), doc
    assert (doc.file_type, doc.encoding_rule, doc.ocr_pages) == ("pdf", "ocr", 1)
    grids = [Grid.from_json(json.dumps(g)) for g in json.loads(doc.grids_json)]
    got = {(c.table, c.row_key, c.col_key): c for c in extract_cells(grids, doc.normalized_text)}
    assert {k: c.value_raw for k, c in got.items()} == {k: t.value_raw for k, t in truth.items()}
    pages = Counter(c.source.split()[0] for c in got.values())
    assert pages == Counter({"ocr:p3": 101, "pdf:p4": 78, "pdf:p2": 7})
    text = read_pdf(HONGZE)  # the text-layer pages are intact, around page 3's OCR text
    assert doc.original_text.startswith(text.text[: text.page_starts[2]])
    assert doc.original_text.endswith(text.text[text.page_starts[3] - 1 :])
    assert {m[2] for m in json.loads(doc.ocr_lines)} == {3}


def test_coarse_scan_is_refused(tmp_path: Path) -> None:
    """At 80 dpi 4119 reads as 419 with high confidence: a scan that coarse is refused before any OCR."""
    from nianbao.ocr.reader import read_image

    path = _write_png(_render(80)[2], tmp_path / "coarse.png", 80)
    with pytest.raises(ReaderError, match="80 dpi") as e:
        read_image(path)
    assert e.value.reason == "ocr_unreadable"


@pytest.fixture(scope="module")
def table_pages() -> list[OcrPage]:
    """Pages 3-4 (表三 and 表四) read once; each test assembles its own grids from them."""
    return [read_page(img, 200, n) for n, img in enumerate(_render(200), start=1) if n in (3, 4)]


def test_second_reading_repairs_a_misread_cell_and_keeps_the_first(table_pages: list[OcrPage]) -> None:
    """A 表三 digit misread (21 → 27) breaks the identities; re-reading that row's cells restores them."""
    pages = table_pages
    content = assemble(pages, 0.0)
    cells = {(c.table, c.row_key, c.col_key): c for c in extract_cells(content.grids, content.text)}
    target = cells[("t3", "new", "natural_person")]
    assert target.value_raw == "21"
    grid = content.grids[target.grid_index]
    old = grid.rows[target.grid_row][target.grid_col]
    assert old is not None
    misread = replace(old, text="27")
    for row in grid.rows:
        row[:] = [misread if c is old else c for c in row]
    note = second_reading(content, pages)
    assert note is not None and "identities hold" in note
    fixed = grid.rows[target.grid_row][target.grid_col]
    assert fixed is not None and (fixed.text, fixed.first_reading) == ("21", "27")
    assert fixed.source.endswith(REREAD)


def test_second_reading_leaves_a_source_anomaly_alone(table_pages: list[OcrPage]) -> None:
    """表四 of this report does not add up as printed: OCR must not 'repair' it (only 表三 is re-read)."""
    pages = table_pages
    content = assemble(pages, 0.0)
    assert second_reading(content, pages) is None  # 表三 holds: nothing re-read
    t4 = {c.col_key: c.value_raw for c in extract_cells(content.grids, content.text) if c.table == "t4"}
    assert (t4["review.upheld"], t4["review.total"]) == ("10", "0")


@pytest.mark.parametrize(
    ("ocr_text", "printed", "same"),
    [
        ("第二十条第〈一)项", "第二十条第（一）项", True),  # OCR's angle brackets are the printed parentheses
        ("〈二)部分公开", "（二）部分公开", True),
        ("一本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", True),  # a lost 、
        ("本年度辦理結果", "本年度办理结果", True),  # traditional glyphs
        ("(一)予以公开", "（三）不予公开", False),  # one glyph apart, a different row: never the same
        ("行政复议", "行政诉讼", False),
    ],
)
def test_label_confusions_tolerated_but_not_across_labels(ocr_text: str, printed: str, same: bool) -> None:
    assert (canon(ocr_text) == canon(printed)) is same


def test_low_confidence_value_is_text() -> None:
    assert is_low_confidence(Cell("7", 0, 0, confidence=policy.MIN_CELL_CONFIDENCE - 0.01))
    assert not is_low_confidence(Cell("7", 0, 0, confidence=policy.MIN_CELL_CONFIDENCE))
    assert not is_low_confidence(Cell("7", 0, 0))  # a text layer has no confidence: never doubtful


@pytest.mark.parametrize(
    ("text", "unusable"),
    [
        ("", True),
        ("  \n ", True),
        ("(cid:12)(cid:873)(cid:44) (cid:9)", True),
        ("\ue001\ue002\ue003政", True),
        ("洪泽区人民政府2023年政府信息公开工作年度报告", False),
        ("政府信息公开 (cid:3) 工作年度报告", False),
    ],
)
def test_unusable_text_layer(text: str, unusable: bool) -> None:
    assert unusable_text(text) is unusable

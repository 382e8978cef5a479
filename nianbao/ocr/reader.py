"""Scanned pages (image-only PDF, PNG/JPEG/TIFF) → the report's text and its ruled tables as `Grid`s.

Each page is rendered (pypdfium2) or loaded (Pillow, every frame of a TIFF), deskewed, its ruled tables are
cut into cells (`layout`) and every cell is read on its own: Chinese first, and a cell whose reading looks
like a number is read again with the digits-only engine. The page parts of a table are joined by the PDF
reader's own rules (`readers.pdf.group_tables` / `build_grid`), since the coordinates are PDF points here too.
Prose outside the tables is read line by line; `line_map` says where each line came from.
A PDF where only some pages are scans (`read_mixed_pdf`) has those pages read here and handed to the PDF
reader, which places them among its text-layer pages.
The second reading of cells that a failed identity involves is `reread`'s job.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from nianbao.ocr import policy
from nianbao.ocr.engine import ENGINE, Engine, Reading, engine
from nianbao.ocr.layout import PageLayout, analyse
from nianbao.ocr.limited import OcrContent, cap
from nianbao.readers.limits import ReaderError
from nianbao.readers.pdf import (
    PageResult,
    PageTable,
    RawCell,
    build_grid,
    cell_source,
    edge_index,
    group_tables,
    read_pdf,
)
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.tokens import is_page_number

_NUMBERISH = re.compile(r"^[\d.,%\-—oOlI|〇]+$")  # a Chinese reading of a value cell (0 → O, 1 → l)
_CJK = re.compile(r"[\u4e00-\u9fff]")
UNREAD = "□"  # a cell with ink that no reading turned into text


@dataclass
class OcrPage:
    """One page as read: what the second reading needs (the image) and what the document keeps."""

    number: int  # 1-based
    dpi: int
    layout: PageLayout
    lines: list[tuple[str, tuple[float, float, float, float], float]]  # text, bbox (points), confidence
    tables: list[PageTable]
    readings: dict[str, tuple[Reading, str]]  # pdf-style source → (reading, how: label / digits)


def _pt(v: float, dpi: int) -> float:
    return v * 72.0 / dpi


def cell_image(layout: PageLayout, dpi: int, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The cell's ink, specks removed, tightly cropped with a white margin; None for an empty cell.

    Scan speckle inside a cell would otherwise widen the crop and make Tesseract read nothing at all.
    """
    gray, ink = layout.gray, layout.ink
    inset = max(3, dpi // 40)
    x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    if x1 <= x0 or y1 <= y0:
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    specks = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] < policy.SPECK_PIXELS * (dpi / 200) ** 2]
    keep = np.isin(labels, [i for i in range(1, n) if i not in set(specks)])
    ys, xs = np.nonzero(keep)
    if len(xs) < policy.MIN_INK_PIXELS * (dpi / 200) ** 2:
        return None
    crop = gray[y0:y1, x0:x1].copy()
    crop[np.isin(labels, specks)] = 255
    crop = crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return np.pad(crop, 8, constant_values=255)


def read_cell(eng: Engine, img: np.ndarray) -> tuple[Reading, str]:
    """Chinese first; a reading that looks like a number (or nothing) is read again digits-only.

    Ink that neither reading turns into text is `UNREAD` with confidence 0: not an empty cell (which would
    read as a blank figure), but a value nobody could read (TEXT).
    """
    first = eng.read_label(img)
    text = first.text.replace(" ", "")
    if not _CJK.search(text) and (not text or _NUMBERISH.match(text) or len(text) <= 3):
        digits = eng.read_digits(img)
        return (digits, "digits") if digits.text else (Reading(UNREAD, 0.0), "unread")
    if len(text) <= 2:  # a short reading may be a number misread as a glyph (5 → 加): the surer one wins
        digits = eng.read_digits(img)
        if digits.text and digits.confidence > first.confidence:
            return digits, "digits"
    return first, "label"


def read_page(gray: np.ndarray, dpi: int, number: int) -> OcrPage:
    eng = engine()
    layout = analyse(gray, dpi)
    readings: dict[str, tuple[Reading, str]] = {}
    tables: list[PageTable] = []
    blank = layout.gray.copy()
    for t in layout.tables:
        cells = []
        for cb in t.cells:
            bbox = tuple(_pt(v, dpi) for v in cb.box)
            img = cell_image(layout, dpi, cb.box)
            reading, how = read_cell(eng, img) if img is not None else (Reading("", 1.0), "empty")
            readings[cell_source(number, bbox)] = (reading, how)  # type: ignore[arg-type]
            cells.append(RawCell(bbox, reading.text, open_top=cb.open_top))  # type: ignore[arg-type]
        x0, y0, x1, y1 = t.box
        blank[max(0, y0 - 4) : y1 + 4, max(0, x0 - 4) : x1 + 4] = 255
        tables.append(
            PageTable(
                number,
                (_pt(x0, dpi), _pt(y0, dpi), _pt(x1, dpi), _pt(y1, dpi)),
                cells,
                [_pt(x, dpi) for x in t.xs],
                [_pt(y, dpi) for y in t.ys],
            )
        )
    lines = []
    prose_dpi = max(dpi, policy.PROSE_DPI)  # a low-resolution scan's prose is read enlarged
    if prose_dpi != dpi:
        import cv2

        blank = cv2.resize(blank, None, fx=prose_dpi / dpi, fy=prose_dpi / dpi, interpolation=cv2.INTER_CUBIC)
    for ln in eng.read_lines(blank):
        if is_page_number(ln.text.replace(" ", "")):
            continue
        box = tuple(_pt(v, prose_dpi) for v in ln.bbox)
        lines.append((ln.text, box, ln.confidence))
    return OcrPage(number, dpi, layout, lines, tables, readings)  # type: ignore[arg-type]


def _ocr_grid(grid: Grid, readings: dict[str, tuple[Reading, str]], scanned: set[int]) -> Grid:
    """The PDF-style grid with OCR provenance on every cell of a `scanned` page: source, confidence, fmt
    `ocr`. A grid with no cell on such a page (a text-layer table of a mixed PDF) is returned as it is."""
    on_scan = tuple(f"pdf:p{n} " for n in scanned)
    if not any(c is not None and c.source.startswith(on_scan) for row in grid.rows for c in row):
        return grid
    swapped: dict[int, Cell] = {}
    cells = []
    for r, row in enumerate(grid.rows):
        for k, c in enumerate(row):
            if c is None or not grid.is_origin(r, k) or id(c) in swapped:
                continue
            if not c.source.startswith(on_scan):  # a text-layer cell of a table running onto a scan
                swapped[id(c)] = c
                cells.append(c)
                continue
            reading, how = readings.get(c.source, (Reading(c.text, 1.0), "empty"))
            src = (
                c.source.replace("pdf:", "ocr:", 1) + f" conf={reading.confidence:.2f} engine={ENGINE}:{how}"
            )
            new = replace(c, source=src, confidence=round(reading.confidence, 3))
            swapped[id(c)] = new
            cells.append(new)
    return from_cells(cells, "ocr", grid.index, grid.page, grid.notes, len(grid.rows), grid.width)


def _table_lines(page: OcrPage) -> list[tuple[str, tuple[float, float, float, float], float]]:
    """Each table row as one line of its cells' readings (the text of a page that is all table)."""
    out = []
    for t in page.tables:
        for r in range(len(t.ys) - 1):
            cells = sorted((c for c in t.cells if edge_index(t.ys, c.bbox[1]) == r), key=lambda c: c.bbox[0])
            texts = [c.text for c in cells if c.text]
            if not texts:
                continue
            confs = [page.readings[cell_source(page.number, c.bbox)][0].confidence for c in cells if c.text]
            out.append((" ".join(texts), (t.bbox[0], t.ys[r], t.bbox[2], t.ys[r + 1]), min(confs)))
    return out


LineMap = list[tuple[int, int, int, tuple[float, float, float, float], float]]


def page_text(page: OcrPage, offset: int = 0) -> tuple[str, LineMap]:
    """The page's prose lines and table rows top to bottom (as a PDF's text layer has them), with the span
    map of each line, its positions counted from `offset` (where the page begins in the document text)."""
    parts, line_map = [], []
    pos = offset
    for text, box, conf in sorted(page.lines + _table_lines(page), key=lambda ln: ln[1][1]):
        line_map.append((pos, pos + len(text), page.number, box, round(conf, 3)))
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), line_map


def _body(page: OcrPage) -> list[dict[str, Any]]:
    """Prose lines in the PDF reader's line shape (what decides whether a table continues on the next page)."""
    return [{"text": t, "x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]} for t, b, _ in page.lines]


def _notes(pages: list[OcrPage], seconds: float) -> list[str]:
    notes = [f"ocr: {len(pages)} page(s), engine {ENGINE}, {seconds:.1f} s"]
    return notes + [
        f"page {p.number}: deskewed {p.layout.skew_deg:g} degrees" for p in pages if p.layout.skew_deg
    ]


def assemble(pages: list[OcrPage], seconds: float) -> OcrContent:
    """Pages → one document: tables joined over page breaks; the pages' text in page order, with the span map."""
    tables = [t for p in pages for t in p.tables]
    body = {p.number: _body(p) for p in pages}
    readings = {k: v for p in pages for k, v in p.readings.items()}
    scanned = {p.number for p in pages}
    grids = [
        _ocr_grid(build_grid(parts, i), readings, scanned)
        for i, parts in enumerate(group_tables(tables, body))
    ]
    texts: list[str] = []
    line_map: LineMap = []
    pos = 0
    for p in pages:
        text, lines = page_text(p, pos)
        texts.append(text)
        line_map += lines
        pos += len(text) + 1
    notes = _notes(pages, seconds)
    return OcrContent(
        "\n".join(texts), grids, len(pages), notes, line_map=line_map, seconds=seconds, ocr_pages=len(pages)
    )


def _check(page: OcrPage) -> None:
    """A page that cannot be read confidently is refused whole: right or absent."""
    if page.layout.unreadable:
        raise ReaderError("ocr_unreadable", f"page {page.number}: {page.layout.unreadable}")
    ink = int(np.count_nonzero(page.layout.ink))
    confs = [c for _t, _b, c in page.lines]
    if ink and not page.tables and not confs:
        raise ReaderError("ocr_unreadable", f"page {page.number}: ink but no line of text could be read")
    if confs and float(np.median(confs)) < policy.MIN_PAGE_CONFIDENCE:
        raise ReaderError(
            "ocr_unreadable",
            f"page {page.number}: median line confidence {float(np.median(confs)):.2f}"
            f" < {policy.MIN_PAGE_CONFIDENCE}",
        )


def _read_pages(images: list[np.ndarray], dpi: int) -> OcrContent:
    from nianbao.ocr.reread import second_reading

    start = time.monotonic()
    pages = []
    for i, gray in enumerate(images, start=1):
        page = read_page(gray, dpi, i)
        _check(page)
        pages.append(page)
    content = assemble(pages, time.monotonic() - start)
    second_reading(content, pages)
    content.seconds = time.monotonic() - start
    return content


def read_mixed_pdf(path: Path, dpi: int = policy.DPI) -> OcrContent:
    """A PDF where only some pages lack a usable text layer: those by OCR (text and tables), the others from
    the text layer, in page order (`readers.pdf.read_pdf` places them; a table may run across both)."""
    import pypdfium2 as pdfium

    from nianbao.ocr.reread import second_reading

    start = time.monotonic()
    pages: list[OcrPage] = []

    def scanned_pages(numbers: list[int]) -> dict[int, PageResult]:
        doc = pdfium.PdfDocument(str(path))
        try:
            for n in numbers:
                _resolution_ok(scan_dpi(doc[n - 1]), f"{path.name} page {n}")
                gray = np.array(doc[n - 1].render(scale=dpi / 72).to_pil().convert("L"))
                page = read_page(gray, dpi, n)
                _check(page)
                pages.append(page)
        finally:
            doc.close()
        return {p.number: PageResult(page_text(p)[0], p.tables, _body(p), []) for p in pages}

    pdf = read_pdf(path, scanned_pages)
    readings = {k: v for p in pages for k, v in p.readings.items()}
    scanned = {p.number for p in pages}
    grids = [_ocr_grid(g, readings, scanned) for g in pdf.grids]
    line_map = [m for p in pages for m in page_text(p, pdf.page_starts[p.number - 1])[1]]
    content = OcrContent(
        pdf.text,
        grids,
        pdf.pages,
        pdf.notes + _notes(pages, time.monotonic() - start),
        pdf.scanned,
        pdf.page_starts,
        line_map=line_map,
        ocr_pages=len(pages),
    )
    second_reading(content, pages)
    content.seconds = time.monotonic() - start
    return content


def scan_dpi(page: object) -> float | None:
    """The resolution a PDF page was scanned at: its largest image's pixels per inch (None: no image)."""
    import pypdfium2.raw as pdfium_c

    best = None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):  # type: ignore[attr-defined]
        x0, _y0, x1, _y1 = obj.get_bounds()
        width_px, _ = obj.get_px_size()
        if x1 - x0 > 72 and (best is None or width_px / ((x1 - x0) / 72) > best):
            best = width_px / ((x1 - x0) / 72)
    return best


def _resolution_ok(dpi: float | None, where: str) -> None:
    """Below `MIN_SOURCE_DPI` digits merge (4119 read as 419 with high confidence): refuse, never guess."""
    if dpi is not None and dpi < policy.MIN_SOURCE_DPI:
        raise ReaderError(
            "ocr_unreadable", f"{where}: scanned at {dpi:.0f} dpi, below {policy.MIN_SOURCE_DPI}"
        )


def read_scanned_pdf(path: Path, dpi: int = policy.DPI) -> OcrContent:
    """OCR every page of a PDF (one without a usable text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        cap(len(doc), path.name)
        for i in range(len(doc)):
            _resolution_ok(scan_dpi(doc[i]), f"{path.name} page {i + 1}")
        images = [np.array(doc[i].render(scale=dpi / 72).to_pil().convert("L")) for i in range(len(doc))]
    finally:
        doc.close()
    return _read_pages(images, dpi)


def read_image(path: Path) -> OcrContent:
    """OCR a page image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            cap(n, path.name)
            dpi_info = im.info.get("dpi")
            frames = [np.array(f.convert("L")) for f in ImageSequence.Iterator(im)]
    except (UnidentifiedImageError, OSError) as e:
        raise ReaderError("not_an_image", f"{path.name}: {e}") from e
    # Without a stated resolution, assume a portrait A4 page as wide as the image.
    stated = float(dpi_info[0]) if dpi_info and float(dpi_info[0]) > 1 else None
    dpi = round(stated or frames[0].shape[1] / policy.A4_WIDTH_INCH)
    _resolution_ok(dpi, path.name)
    return _read_pages(frames, dpi)

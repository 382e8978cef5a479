"""OCR under the readers' limits: a child process per document, a time budget per page, a memory ceiling.

This module stays light (no OpenCV, no Tesseract): `run_limited` preloads the module of the function it runs
into the fork server that every reader's child is forked from, and OpenCV alone maps ~300 MB of address
space, which would count against the PDF and DOCX readers' ceilings. The child imports `reader` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nianbao.ocr import policy
from nianbao.readers.limits import ReaderError, run_limited
from nianbao.readers.pdf import PdfContent


@dataclass
class OcrContent(PdfContent):
    """`PdfContent` plus where each text line came from: (start, end, page, bbox in points, confidence)."""

    line_map: list[tuple[int, int, int, tuple[float, float, float, float], float]] = field(
        default_factory=list
    )
    seconds: float = 0.0
    ocr_pages: int = 0  # pages read by OCR (all of them, but for a mixed PDF)


def cap(n: int, name: str) -> None:
    if n > policy.MAX_PAGES:
        raise ReaderError(
            "too_many_pages", f"{name}: {n} pages, more than an annual report ({policy.MAX_PAGES})"
        )


def _budget(n_pages: int) -> float:
    return policy.START_BUDGET_S + policy.PAGE_BUDGET_S * max(1, n_pages)


def _scanned_pdf(path: Path) -> OcrContent:
    from nianbao.ocr.reader import read_scanned_pdf

    return read_scanned_pdf(path)


def _mixed_pdf(path: Path) -> OcrContent:
    from nianbao.ocr.reader import read_mixed_pdf

    return read_mixed_pdf(path)


def _image(path: Path) -> OcrContent:
    from nianbao.ocr.reader import read_image

    return read_image(path)


def read_scanned_safely(path: Path) -> OcrContent:
    """Every page of a PDF by OCR in a child process: a time budget per page and a memory ceiling.

    Called after the text-layer reader parsed the file in its own child, so counting pages here is safe.
    """
    from pypdf import PdfReader

    n_pages = len(PdfReader(path, strict=False).pages)
    cap(n_pages, Path(path).name)
    return run_limited(_scanned_pdf, Path(path), timeout_s=_budget(n_pages), memory_mb=policy.MEMORY_MB)


def read_mixed_safely(path: Path, scanned: int) -> OcrContent:
    """A PDF with `scanned` pages lacking a text layer: those by OCR, the rest from the text layer, in a child
    process budgeted by the scanned pages (the text-layer reader already parsed the file in its own child)."""
    return run_limited(_mixed_pdf, Path(path), timeout_s=_budget(scanned), memory_mb=policy.MEMORY_MB)


def read_image_safely(path: Path) -> OcrContent:
    """A page image file (every frame of a TIFF) by OCR in a child process, budgeted by its frame count."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
    except Exception as e:
        raise ReaderError("not_an_image", f"{Path(path).name}: {e}") from e
    cap(n, Path(path).name)
    return run_limited(_image, Path(path), timeout_s=_budget(n), memory_mb=policy.MEMORY_MB)

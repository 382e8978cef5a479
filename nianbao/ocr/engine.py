"""Tesseract 5 through tesserocr: one engine per worker process, reused for every cell and line.

Why Tesseract and not RapidOCR (measured on cell crops of a real report page at 200 dpi, see README):
Tesseract with a digits-only whitelist read 184/186 value cells right at ~6 ms a cell, RapidOCR's
recogniser 99/186 (it reads a lone `0` as `。` and drops short numbers) at ~130 ms. Starting an engine
costs ~0.5 s, so `engine()` builds it once per process (the OCR reader runs in its own child process).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nianbao.readers.limits import ReaderError

ENGINE = "tesseract"
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata")
DIGITS_WHITELIST = "0123456789.,-%"
LINE_HEIGHT_PX = 40  # a prose line is read at this height (Tesseract's models read 20-50 px text best)
MIN_LINE_PX = 8
SPLIT_CONFIDENCE = 0.5  # the confidence of a value read as several words (under any sane threshold)
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")  # Tesseract spaces out CJK glyphs


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0-1: the least confident glyph (one doubtful digit makes the whole number doubtful)


@dataclass(frozen=True)
class Line:
    text: str
    bbox: tuple[int, int, int, int]  # pixels: x0, y0, x1, y1
    confidence: float  # 0-1: mean word confidence of the line


def tessdata() -> str:
    for d in (os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS):
        if d and (Path(d) / "chi_sim.traineddata").is_file():
            return d
    raise ReaderError("ocr_engine_missing", "no chi_sim.traineddata: apt-get install tesseract-ocr-chi-sim")


def squeeze(text: str) -> str:
    """One line of OCR text: CJK glyphs joined without the spaces Tesseract puts between them."""
    return _CJK_SPACE.sub("", " ".join(text.split()))


class Engine:
    """Configured Tesseract APIs: digits (value cells), Chinese lines (label cells), page layout (prose)."""

    def __init__(self) -> None:
        try:
            import tesserocr
        except ImportError as e:
            raise ReaderError("ocr_engine_missing", f"tesserocr cannot load Tesseract: {e}") from e

        self._t = tesserocr
        path = tessdata()
        self.digits = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=tesserocr.PSM.SINGLE_LINE)
        self.digits.SetVariable("tessedit_char_whitelist", DIGITS_WHITELIST)
        self.label = tesserocr.PyTessBaseAPI(path=path, lang="chi_sim", psm=tesserocr.PSM.SINGLE_LINE)
        self.raw_line = tesserocr.PyTessBaseAPI(path=path, lang="chi_sim", psm=tesserocr.PSM.RAW_LINE)
        self.page = tesserocr.PyTessBaseAPI(path=path, lang="chi_sim", psm=tesserocr.PSM.AUTO)

    def _read(self, api: object, img: np.ndarray, mean: bool = False) -> Reading:
        from PIL import Image

        api.SetImage(Image.fromarray(img))  # type: ignore[attr-defined]
        api.Recognize()  # type: ignore[attr-defined]
        text = squeeze(api.GetUTF8Text())  # type: ignore[attr-defined]
        if not text:
            return Reading("", 0.0)
        confs = []
        it = api.GetIterator()  # type: ignore[attr-defined]
        level = self._t.RIL.SYMBOL
        for sym in self._t.iterate_level(it, level):
            if (sym.GetUTF8Text(level) or "").strip():
                confs.append(sym.Confidence(level) / 100.0)
        if not confs:
            return Reading(text, 0.0)
        return Reading(text, sum(confs) / len(confs) if mean else min(confs))

    def read_digits(self, img: np.ndarray) -> Reading:
        """A value cell. Read as several words (`- 4119`), a stray mark became a glyph: not one figure."""
        reading = self._read(self.digits, img)
        if len(reading.text.split()) > 1:
            return Reading(reading.text, min(reading.confidence, SPLIT_CONFIDENCE))
        return reading

    def read_label(self, img: np.ndarray) -> Reading:
        """A label cell line by line: Tesseract's block mode drops a line of a wrapped or vertical label."""
        parts = []
        for band in text_bands(img):
            reading = self._read(self.label, band)
            # Line mode returns nothing for some two-glyph lines (法律, 维持) that raw-line mode reads.
            parts.append(reading if reading.text else self._read(self.raw_line, band))
        parts = [p for p in parts if p.text]
        if not parts:
            return Reading("", 0.0)
        return Reading("".join(p.text for p in parts), min(p.confidence for p in parts))

    def read_lines(self, img: np.ndarray) -> list[Line]:
        """Text lines of a page region in reading order, with pixel boxes (prose outside the tables).

        A line printed much larger than body text (a title at 22 pt) is read again on its own at a normal
        glyph height: Tesseract's page pass drops or garbles such glyphs.
        """
        import cv2
        from PIL import Image

        api = self.page
        api.SetImage(Image.fromarray(img))
        api.Recognize()
        level = self._t.RIL.TEXTLINE
        found = []
        for it in self._t.iterate_level(api.GetIterator(), level):
            box = it.BoundingBox(level)
            if box:
                found.append((squeeze(it.GetUTF8Text(level) or ""), box, it.Confidence(level) / 100.0))
        out: list[Line] = []
        for text, (x0, y0, x1, y1), conf in found:
            if y1 - y0 < MIN_LINE_PX or x1 - x0 < MIN_LINE_PX:
                continue  # a speck or a ruling fragment, not a line of text
            if y1 - y0 > 1.6 * LINE_HEIGHT_PX:
                crop = img[y0:y1, x0:x1]
                scale = LINE_HEIGHT_PX / crop.shape[0]
                small = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
                again = self._read(self.label, np.pad(small, 16, constant_values=255), mean=True)
                if again.confidence > conf:
                    text, conf = again.text, again.confidence
            if text:
                out.append(Line(text, (x0, y0, x1, y1), conf))
        return out


def text_bands(img: np.ndarray, margin: int = 16) -> list[np.ndarray]:
    """The text lines of a cell image (gray, white margin), split at blank pixel rows."""
    dark = (img < 128).any(axis=1)
    bands: list[tuple[int, int]] = []
    start = None
    for y, d in enumerate(dark):
        if d and start is None:
            start = y
        elif not d and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, len(dark)))
    tall = max((b - a for a, b in bands), default=0)
    bands = [(a, b) for a, b in bands if b - a >= tall / 4]  # a stray dot or the tail of 、 is not a line
    return [np.pad(img[a:b], margin, constant_values=255) for a, b in bands] or [img]


@functools.cache
def engine() -> Engine:
    """The process's engine (built on first use; the OCR child process reuses it for every page)."""
    return Engine()

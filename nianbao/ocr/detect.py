"""Does a PDF page's text layer say what the page shows? No text, or `(cid:…)` / private-use glyphs, is no."""

from __future__ import annotations

import re

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # page images: read by OCR
OCR_ENCODING = "ocr:tesseract-chi_sim"  # a document's `encoding` when its text came from OCR (engine.ENGINE)
_CID = re.compile(r"\(cid:\d+\)")
MAX_UNMAPPED_SHARE = 0.3  # more glyphs than this without a Unicode mapping: the layer is not the page's text


def unusable_text(text: str) -> bool:
    """True for a page text layer that cannot be read: empty, or mostly unmapped glyph codes."""
    marked = _CID.sub("\ufffd", text)
    chars = [c for c in marked if not c.isspace()]
    if not chars:
        return True
    unmapped = sum(1 for c in chars if c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    return unmapped / len(chars) > MAX_UNMAPPED_SHARE

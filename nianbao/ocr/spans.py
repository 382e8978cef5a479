"""Where a figure of an OCR'd document was read: its span → the scanned line's page, bbox and confidence.

The span map (`staging.documents.ocr_lines`) is over the original (OCR) text; a figure's span is over the
normalised text, so it goes through the document's offset map first. Light: no OpenCV, no Tesseract.
"""

from __future__ import annotations

import json
from typing import Any

from nianbao.normalize import Normalized


def line_at(ocr_lines: str, start: int) -> dict[str, Any] | None:
    """The OCR line holding original-text position `start` (None: no line, e.g. a text-layer page)."""
    for s, e, page, bbox, conf in json.loads(ocr_lines):
        if s <= start < e:
            return {"page": page, "bbox": [round(v, 1) for v in bbox], "confidence": conf}
    return None


def ocr_line(doc: Any, fact: Any) -> dict[str, Any] | None:
    """The OCR line a prose figure (`model.ProseFact`) of `doc` (`ingest.Document`) was read from."""
    if not doc.ocr_lines:
        return None
    segs = Normalized("", "", tuple(tuple(s) for s in json.loads(doc.offset_map)), 0)
    start, _end = segs.to_original(fact.span_start, fact.span_end)
    return line_at(doc.ocr_lines, start)

"""`nianbao bench`: time reading and parsing per document, by file type, without building a warehouse.

Numbers for notes and regressions; tests never assert timings.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from nianbao.ingest import Document, discover, read_document
from nianbao.parse import NotAReport, parse_text


def bench(paths: list[Path], repeat: int = 3) -> dict[str, dict[str, float]]:
    """Median read and parse seconds per file type (best of `repeat` per file, to damp noise)."""
    by_type: dict[str, list[tuple[float, float, int, int]]] = {}
    for path in discover(paths):
        reads, parses, cells = [], [], 0
        doc = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            doc = read_document(path)
            reads.append(time.perf_counter() - t0)
            if not isinstance(doc, Document):
                break
            t0 = time.perf_counter()
            try:
                cells = len(parse_text(doc.document_id, doc.normalized_text, doc.grids).cells)
            except NotAReport:
                break
            parses.append(time.perf_counter() - t0)
        kind = doc.file_type if isinstance(doc, Document) else f"quarantined:{doc.reason_code}"  # type: ignore[union-attr]
        ocr_pages = doc.ocr_pages if isinstance(doc, Document) else 0
        by_type.setdefault(kind, []).append((min(reads), min(parses) if parses else 0.0, cells, ocr_pages))
    return {
        kind: {
            "files": len(rows),
            "read_median_s": statistics.median(r for r, _, _, _ in rows),
            "parse_median_s": statistics.median(p for _, p, _, _ in rows),
            "read_max_s": max(r for r, _, _, _ in rows),
            "parse_max_s": max(p for _, p, _, _ in rows),
            "cells": sum(c for _, _, c, _ in rows),
            "ocr_pages": sum(n for _, _, _, n in rows),
            # pages over the reading seconds of the files OCR'd (their text-layer pass included)
            "ocr_pages_per_s": _rate(sum(n for *_, n in rows), sum(r for r, _, _, n in rows if n)),
        }
        for kind, rows in sorted(by_type.items())
    }


def _rate(pages: int, seconds: float) -> float | None:
    return round(pages / seconds, 3) if pages and seconds else None


def render(result: dict[str, dict[str, float]]) -> str:
    lines = [
        f"{'type':28} {'files':>5} {'read med':>9} {'read max':>9} {'parse med':>10} {'parse max':>10} {'cells':>6} {'ocr p/s':>8}"
    ]
    for kind, r in result.items():
        lines.append(
            f"{kind:28} {r['files']:>5} {r['read_median_s'] * 1000:>7.1f}ms {r['read_max_s'] * 1000:>7.1f}ms"
            f" {r['parse_median_s'] * 1000:>8.1f}ms {r['parse_max_s'] * 1000:>8.1f}ms {r['cells']:>6}"
            f" {r['ocr_pages_per_s'] if r['ocr_pages_per_s'] is not None else '-':>8}"
        )
    return "\n".join(lines)

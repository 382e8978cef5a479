"""The same report published twice (HTML and PDF of one body and year): keep the richer, record the other.

A body's reports for different years read alike, so similarity alone never merges: only documents with the
same issuing body and the same covered year are compared, and then their texts must largely agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

SIMILARITY = 0.5  # Jaccard of 4-char shingles above which two texts of one body-year are one report
_NOISE = re.compile(r"[\s\d|,.:;，。：；、()（）\-—/]+")


@dataclass(frozen=True)
class Candidate:
    document_id: str
    source_path: str
    agency: str | None
    report_year: int | None
    text: str
    richness: int  # table cells + prose figures extracted


@dataclass(frozen=True)
class Duplicate:
    document_id: str  # the one set aside
    source_path: str
    duplicate_of: str  # the one kept
    kept_path: str
    similarity: float


def shingles(text: str, k: int = 4) -> set[str]:
    """Char k-grams of the text without digits, spaces and punctuation (layout and page numbers differ)."""
    t = _NOISE.sub("", text)
    return {t[i : i + k] for i in range(max(0, len(t) - k + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicates(candidates: list[Candidate]) -> list[Duplicate]:
    """For each body-year with several documents, the ones that repeat a richer one."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in candidates:
        if c.agency and c.report_year:
            groups.setdefault((c.agency, c.report_year), []).append(c)
    out: list[Duplicate] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        ranked = sorted(members, key=lambda c: (-c.richness, -len(c.text), c.document_id))
        sh = {c.document_id: shingles(c.text) for c in ranked}
        dropped: set[str] = set()
        for keep, other in combinations(ranked, 2):
            if keep.document_id in dropped or other.document_id in dropped:
                continue
            sim = jaccard(sh[keep.document_id], sh[other.document_id])
            if sim >= SIMILARITY:
                dropped.add(other.document_id)
                out.append(
                    Duplicate(
                        other.document_id,
                        other.source_path,
                        keep.document_id,
                        keep.source_path,
                        round(sim, 3),
                    )
                )
    return sorted(out, key=lambda d: d.document_id)

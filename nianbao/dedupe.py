"""The same report published twice (HTML and PDF of one body and year): keep the richer, record the other.

A body's reports for different years read alike, so similarity alone never merges: only documents with the
same issuing body and the same covered year are compared, and then their texts must largely agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np

SIMILARITY = 0.5  # Jaccard of SHINGLE-char shingles above which two texts of one body-year are one report
SHINGLE = 4
_BMP = 0x10000  # characters below it fit 16 bits: SHINGLE of them one 64-bit key
_NOISE = re.compile(r"[\s\d|,.:;，。：；、()（）\-—/]+")


Shingles = np.ndarray | set[str]  # sorted distinct 64-bit keys, or the runs themselves (`shingles`)


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


@cache
def _bmp_noise() -> np.ndarray:
    """Which Basic Multilingual Plane characters _NOISE removes, one flag per code point (built once)."""
    return np.array([bool(_NOISE.match(chr(c))) for c in range(_BMP)], dtype=bool)


def shingles(text: str) -> Shingles:
    """The text's distinct runs of SHINGLE characters, digits, spaces and punctuation left out (layout and page
    numbers differ). For a text of Basic Multilingual Plane characters only (nearly every report) they are a
    sorted array of 64-bit keys, a run's characters 16 bits each: the same set, built and compared in numpy
    (the regular expression and a Python set of the runs were two thirds of deduplication's time); any other
    text gives the set itself."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) and codes.max() >= _BMP:
        t = _NOISE.sub("", text)
        return {t[i : i + SHINGLE] for i in range(max(0, len(t) - SHINGLE + 1))}
    codes = codes[~_bmp_noise()[codes]].astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n < 1:
        return np.empty(0, dtype=np.uint64)
    keys = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        keys = (keys << np.uint64(16)) | codes[i : i + n]
    keys.sort()  # distinct by sorting: np.unique's hash table took 4x longer on these short arrays
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def _runs(s: Shingles) -> set[str]:
    """The runs themselves (to compare an array of keys with a set of runs)."""
    if isinstance(s, set):
        return s
    return {"".join(chr((int(k) >> (16 * (SHINGLE - 1 - i))) & 0xFFFF) for i in range(SHINGLE)) for k in s}


def jaccard(a: Shingles, b: Shingles) -> float:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if not len(a) or not len(b):
            return 0.0
        both = len(np.intersect1d(a, b, assume_unique=True))
        return both / (len(a) + len(b) - both)
    a, b = _runs(a), _runs(b)
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

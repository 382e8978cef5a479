"""A page image → deskewed ink, ruled tables as cell boxes (spans included), and whether it can be read.

Ruling lines are found by OpenCV morphology: an opening with a long thin kernel keeps only strokes longer
than any glyph. A ruling must touch another ruling at one end at least (a `1` or a `一` in a cell touches
none). Rows and columns are the clustered line positions; two neighbouring slots are one merged cell where
the ruling between them is missing for most of its length. Coordinates handed on are PDF points (72/inch),
the same units the text-layer reader uses, so the PDF reader's page-joining code applies unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from nianbao.readers.pdf import cluster_values

MAX_SKEW_DEG = 3.0  # searched range; scans are rarely more tilted than this
SKEW_STEP_DEG = 0.1
MAX_LINE_SPREAD_DEG = 0.4  # rulings of one page disagreeing by more than this: a photo at an angle
MIN_LINE_INCH = 0.25  # a ruling is at least this long (a glyph stroke at 12 pt is shorter)
COVERED = 0.5  # a ruling between two slots counts when drawn over at least this share of their edge


@dataclass
class CellBox:
    box: tuple[int, int, int, int]  # pixels: x0, y0, x1, y1 (ruling centres)
    row: int
    col: int
    rowspan: int
    colspan: int
    open_top: bool


@dataclass
class TableBox:
    box: tuple[int, int, int, int]
    xs: list[int]  # column edges (pixels)
    ys: list[int]  # row edges (pixels)
    cells: list[CellBox]


@dataclass
class PageLayout:
    gray: np.ndarray  # deskewed page, 0 = ink
    ink: np.ndarray  # binarised, 255 = ink
    skew_deg: float
    tables: list[TableBox]
    unreadable: str | None  # why the page cannot be read confidently, or None


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255 by Otsu; light fills behind header rows fall to paper. No blur: it erases 1-px rulings."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def skew_angle(ink: np.ndarray) -> float:
    """The rotation (degrees) that makes text lines and rulings horizontal: sharpest row profile wins."""
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    steps = round(MAX_SKEW_DEG / SKEW_STEP_DEG)
    for a in sorted((k * SKEW_STEP_DEG for k in range(-steps, steps + 1)), key=abs):  # ties keep the smallest
        m = cv2.getRotationMatrix2D(centre, float(a), 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(a), score
    return round(best, 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < SKEW_STEP_DEG / 2:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def _masks(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    k = max(10, int(dpi * MIN_LINE_INCH))
    hs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    vs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    return hs, vs


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _a in stats[1:n]]


def _touches(box: tuple[int, int, int, int], other: np.ndarray, tol: int) -> bool:
    """Does a ruling reach another ruling (of the other direction) at one of its ends?"""
    x0, y0, x1, y1 = box
    h, w = other.shape
    if x1 - x0 >= y1 - y0:  # horizontal: look at its left and right ends
        ends = [(y0 - tol, y1 + tol, x0 - tol, x0 + tol), (y0 - tol, y1 + tol, x1 - tol, x1 + tol)]
    else:
        ends = [(y0 - tol, y0 + tol, x0 - tol, x1 + tol), (y1 - tol, y1 + tol, x0 - tol, x1 + tol)]
    return any(other[max(0, a) : min(h, b), max(0, c) : min(w, d)].any() for a, b, c, d in ends)


def _angle(mask: np.ndarray, box: tuple[int, int, int, int], horizontal: bool) -> float:
    x0, y0, x1, y1 = box
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    if horizontal:
        return float(np.degrees(np.arctan(np.polyfit(xs, ys, 1)[0])))
    return float(np.degrees(np.arctan(np.polyfit(ys, xs, 1)[0])))


def _cluster(values: list[int], tol: int) -> list[int]:
    """Distinct pixel positions: the PDF reader's clustering, rounded to whole pixels."""
    return [round(v) for v in cluster_values(values, tol)]


def _coverage(mask: np.ndarray, horizontal: bool, pos: int, lo: int, hi: int, tol: int) -> float:
    """Share of the edge [lo, hi] at `pos` that a ruling covers (ends trimmed: corners belong to both)."""
    trim = (hi - lo) // 5
    lo, hi = lo + trim, hi - trim
    if hi <= lo:
        return 1.0
    band = mask[pos - tol : pos + tol + 1, lo:hi] if horizontal else mask[lo:hi, pos - tol : pos + tol + 1]
    hit = band.any(axis=0) if horizontal else band.any(axis=1)
    return float(hit.mean()) if hit.size else 0.0


def _table(
    box: tuple[int, int, int, int], hs: np.ndarray, vs: np.ndarray, h_lines: list, v_lines: list, tol: int
) -> TableBox | None:
    x0, y0, x1, y1 = box
    inside = [
        b for b in h_lines if b[0] >= x0 - tol and b[2] <= x1 + tol and b[1] >= y0 - tol and b[3] <= y1 + tol
    ]
    inside_v = [
        b for b in v_lines if b[0] >= x0 - tol and b[2] <= x1 + tol and b[1] >= y0 - tol and b[3] <= y1 + tol
    ]
    ys = _cluster([(b[1] + b[3]) // 2 for b in inside] + [y0, y1], 2 * tol)
    xs = _cluster([(b[0] + b[2]) // 2 for b in inside_v] + [x0, x1], 2 * tol)
    if len(xs) < 2 or len(ys) < 2 or len(xs) * len(ys) < 6:
        return None
    n_r, n_c = len(ys) - 1, len(xs) - 1
    parent = list(range(n_r * n_c))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and _coverage(vs, False, xs[c + 1], ys[r], ys[r + 1], tol) < COVERED:
                parent[find(r * n_c + c + 1)] = find(r * n_c + c)
            if r + 1 < n_r and _coverage(hs, True, ys[r + 1], xs[c], xs[c + 1], tol) < COVERED:
                parent[find((r + 1) * n_c + c)] = find(r * n_c + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_r):
        for c in range(n_c):
            groups.setdefault(find(r * n_c + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        r0, r1 = min(s[0] for s in slots), max(s[0] for s in slots) + 1
        c0, c1 = min(s[1] for s in slots), max(s[1] for s in slots) + 1
        open_top = _coverage(hs, True, ys[r0], xs[c0], xs[c1], tol) < COVERED
        cells.append(CellBox((xs[c0], ys[r0], xs[c1], ys[r1]), r0, c0, r1 - r0, c1 - c0, open_top))
    return TableBox(box, xs, ys, sorted(cells, key=lambda c: (c.row, c.col)))


def analyse(gray: np.ndarray, dpi: int) -> PageLayout:
    """Deskew, find the ruled tables, and say whether the page is too distorted to read."""
    angle = skew_angle(binarize(gray))
    gray = rotate(gray, angle)
    ink = binarize(gray)
    hs, vs = _masks(ink, dpi)
    tol = max(2, dpi // 50)
    h_lines = [b for b in _components(hs) if _touches(b, vs, tol)]
    v_lines = [b for b in _components(vs) if _touches(b, hs, tol)]
    long_h = [b for b in h_lines if b[2] - b[0] >= dpi]
    long_v = [b for b in v_lines if b[3] - b[1] >= dpi]
    angles = [_angle(hs, b, True) for b in long_h] + [_angle(vs, b, False) for b in long_v]
    unreadable = None
    if len(angles) >= 2 and max(angles) - min(angles) > MAX_LINE_SPREAD_DEG:
        unreadable = (
            f"rulings disagree by {max(angles) - min(angles):.1f} degrees (perspective or a bent page)"
        )
    grid_mask = cv2.bitwise_or(hs, vs)
    tables = []
    for box in _components(grid_mask):
        if box[2] - box[0] < dpi or box[3] - box[1] < dpi // 4:
            continue
        t = _table(box, hs, vs, h_lines, v_lines, tol)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: t.box[1])
    return PageLayout(gray, ink, angle, tables, unreadable)

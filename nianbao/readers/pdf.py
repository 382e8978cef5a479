"""PDF → the report's text layer and its ruled tables as `Grid`s, every cell traceable to page and bbox.

Reports are Word documents printed to PDF: tables are drawn with ruling lines, merged cells are single
boxes, and a table often runs over a page break where Word leaves the border of the split cells open and
does not repeat the header. So tables are found on the *rulings* only (stroked lines, stroked rects and
hairline rects; filled background boxes behind every text line are not rulings), open ends are closed
before pdfplumber's table finder runs, spans come from cell boxes against the table's distinct edges, and a
table that continues on the next page is joined into one grid. Pages without any rulings fall back to
rebuilding rows from positioned words. Page numbers (`- 3 -`) are removed before anything is read.
The characters and paths come from PDFium where it reads them as pdfminer would (`pdfium_pages`, several
times faster), else from pdfminer; everything after that is the same code on the same objects.

Hostile files are refused with a `ReaderError` reason (`not_a_pdf`, `truncated_pdf`, `encrypted_pdf`,
`image_only_pdf`); `read_pdf_safely` also bounds time and memory in a child process (`limits.py`).
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nianbao.ocr.detect import unusable_text
from nianbao.readers.limits import ReaderError, exception_chain, run_limited
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.tokens import DIGITS, is_page_number

if TYPE_CHECKING:
    from pdfplumber.page import Page

TOL = 3.0  # points: how far apart two rulings or edges may be and still be "the same"
HAIRLINE = 2.5  # a filled rect thinner than this is a ruling drawn as a box
EOF_WINDOW = 1024  # %%EOF must be this close to the end (after trailing whitespace)
MAX_RULINGS = 2000  # more segments than this on a page is a drawing, not a table
MARGIN_BAND = 0.1  # top/bottom fraction of the page where bare page numbers live

_EPS = 1e-6  # widening of an index lookup, so float rounding never drops a hit the exact test keeps
_T = TypeVar("_T")

BARE_NUMBER = re.compile(r"^\d{1,4}$")  # a page number only when it stands alone in the margin band
_NUMERIC_CELL = re.compile(rf"^[+-]?{DIGITS}%?$")
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")


@dataclass
class PdfContent:
    """What the PDF reader hands on: the text layer, the tables as grids, and what it had to do."""

    text: str  # the text layer, pages joined with "\n", page-number lines dropped
    grids: list[Grid]
    pages: int
    notes: list[str] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)  # pages without a usable text layer: OCR reads them
    page_starts: list[int] = field(default_factory=list)  # where each page's text begins in `text`


# --- geometry -------------------------------------------------------------------------------------------


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left
_Piece = tuple[Box, str]  # a run of words on one line (words fallback)


@dataclass
class _Seg:
    """An axis-aligned ruling: `pos` is y for a horizontal, x for a vertical; [lo, hi] its extent."""

    pos: float
    lo: float
    hi: float
    synthetic: bool = False


@dataclass
class RawCell:
    bbox: Box  # x0, top, x1, bottom
    text: str
    open_top: bool = False  # no ruling drawn along its top edge (a cell split by a page break)
    pos: tuple[int, int] | None = None  # (row, column) where the words fallback placed it


@dataclass
class PageTable:
    page: int  # 1-based
    bbox: Box
    cells: list[RawCell]
    xs: list[float]
    ys: list[float]
    notes: list[str] = field(default_factory=list)
    ruled: bool = True


def cluster_values(values: Iterable[float], tol: float = TOL) -> list[float]:
    """Distinct coordinates: sorted values closer than `tol` collapse to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def edge_index(edges: Sequence[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _is_white(color: Any) -> bool:
    """True for a paint colour that is (near) white: an invisible ruling."""
    if color is None or isinstance(color, str):
        return False
    values = [color] if isinstance(color, int | float) else list(color)
    if not values or not all(isinstance(v, int | float) for v in values):
        return False
    if len(values) == 4:  # CMYK
        return all(v <= 0.05 for v in values)
    return all(v >= 0.95 for v in values)


def _rulings(page: Page) -> tuple[list[_Seg], list[_Seg]]:
    """Horizontal and vertical rulings of a page: lines, stroked rect edges, hairline rects, straight curves."""
    hs: list[_Seg] = []
    vs: list[_Seg] = []

    def add(x0: float, top: float, x1: float, bottom: float) -> None:
        if bottom - top <= 1.0 and x1 - x0 > 1.0:
            hs.append(_Seg((top + bottom) / 2, x0, x1))
        elif x1 - x0 <= 1.0 and bottom - top > 1.0:
            vs.append(_Seg((x0 + x1) / 2, top, bottom))

    for line in page.lines:
        if not _is_white(line.get("stroking_color")):
            add(line["x0"], line["top"], line["x1"], line["bottom"])
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        w, h = x1 - x0, bottom - top
        if w <= HAIRLINE and h <= HAIRLINE:
            continue
        if h <= HAIRLINE or w <= HAIRLINE:
            color = rect.get("non_stroking_color") if rect.get("fill") else rect.get("stroking_color")
            if not _is_white(color):
                if h <= HAIRLINE:
                    hs.append(_Seg((top + bottom) / 2, x0, x1))
                else:
                    vs.append(_Seg((x0 + x1) / 2, top, bottom))
        elif rect.get("stroke") and not _is_white(rect.get("stroking_color")):
            hs += [_Seg(top, x0, x1), _Seg(bottom, x0, x1)]
            vs += [_Seg(x0, top, bottom), _Seg(x1, top, bottom)]
    for curve in page.curves:
        if not curve.get("stroke") or _is_white(curve.get("stroking_color")):
            continue
        pts = curve.get("pts") or []
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return hs, vs


class _ByCoord(Generic[_T]):
    """Items sorted by one coordinate: those within a range without scanning all of them (a Word table
    drawn cell by cell has thousands of rulings, a page thousands of characters). Hits come back in the
    items' original order, so every caller sees exactly what a full scan with its own test would give."""

    def __init__(self, items: Sequence[_T], key: Callable[[_T], float]) -> None:
        self._items = items
        self._order = sorted(range(len(items)), key=lambda i: key(items[i]))
        self._keys = [key(items[i]) for i in self._order]

    def between(self, lo: float, hi: float, ordered: bool = True) -> list[_T]:
        """Items with the coordinate in [lo, hi], widened by a hair: callers apply their exact test."""
        a = bisect.bisect_left(self._keys, lo - _EPS)
        b = bisect.bisect_right(self._keys, hi + _EPS)
        hits = self._order[a:b]
        return [self._items[i] for i in (sorted(hits) if ordered else hits)]


def _covers(segs: _ByCoord[_Seg], pos: float, at: float, tol: float = TOL) -> bool:
    return any(
        abs(s.pos - pos) <= tol and s.lo - tol <= at <= s.hi + tol
        for s in segs.between(pos - tol, pos + tol, ordered=False)
    )


def _close_open_ends(across: list[_Seg], along: list[_Seg]) -> list[_Seg]:
    """Close borders Word leaves open (a table split by a page break, open-sided tables).

    `along` are the segments whose ends may dangle (e.g. verticals); `across` the ones that should meet
    them (horizontals). A dangling end at position p is met by extending the nearest `across` segment
    at p, or, where two or more ends dangle at p and nothing is there, by a new synthetic segment.
    """
    by_pos = _ByCoord(across, lambda s: s.pos)
    dangling: list[tuple[float, float]] = []  # (position across, coordinate along)
    for s in along:
        for end in (s.lo, s.hi):
            if not _covers(by_pos, end, s.pos):
                dangling.append((end, s.pos))
    ends = _ByCoord(dangling, lambda d: d[0])
    added: list[_Seg] = []
    for group_pos in cluster_values([p for p, _ in dangling]):
        coords = sorted(
            c for p, c in ends.between(group_pos - TOL, group_pos + TOL) if abs(p - group_pos) <= TOL
        )
        at_pos = [
            s for s in by_pos.between(group_pos - TOL, group_pos + TOL) if abs(s.pos - group_pos) <= TOL
        ]
        if at_pos:
            for c in coords:
                nearest = min(
                    at_pos, key=lambda s: 0.0 if s.lo <= c <= s.hi else min(abs(s.lo - c), abs(s.hi - c))
                )
                if c < nearest.lo or c > nearest.hi:
                    grown = _Seg(nearest.pos, min(nearest.lo, c), max(nearest.hi, c), synthetic=True)
                    added.append(grown)
                    at_pos.append(grown)
        elif len(coords) >= 2:
            added.append(_Seg(group_pos, coords[0], coords[-1], synthetic=True))
    return added


def _edge_dicts(segs: list[_Seg], orientation: str, page: Page) -> list[dict[str, Any]]:
    """Segments as pdfplumber line objects (for the "explicit" table strategy)."""
    out = []
    page_top = page.bbox[1]
    offset = page.initial_doctop if hasattr(page, "initial_doctop") else 0
    for s in segs:
        if orientation == "h":
            x0, x1, top, bottom = s.lo, s.hi, s.pos, s.pos
        else:
            x0, x1, top, bottom = s.pos, s.pos, s.lo, s.hi
        out.append(
            {
                "object_type": "line",
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top - page_top + offset,
                "width": x1 - x0,
                "height": bottom - top,
                "y0": page.height - bottom,
                "y1": page.height - top,
            }
        )
    return out


# --- text -----------------------------------------------------------------------------------------------


def _join_lines(lines: list[str]) -> str:
    """Lines of one cell: CJK joins without a space (vertical labels, wrapped labels), Latin with one."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _ASCII_ALNUM.match(out[-1]) and _ASCII_ALNUM.match(line[0]):
            out += " "
        out += line
    return out


def _chars_text(chars: list[dict[str, Any]]) -> str:
    from pdfplumber.utils import extract_text

    if not chars:
        return ""
    return _join_lines(extract_text(chars).split("\n"))


def _inside(obj: dict[str, Any], bbox: Box) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def cell_source(page: int, bbox: Box) -> str:
    return f"pdf:p{page} bbox={bbox[0]:.1f},{bbox[1]:.1f},{bbox[2]:.1f},{bbox[3]:.1f}"


# --- ruled tables ---------------------------------------------------------------------------------------


def _ruled_tables(page: Page, pno: int, hs: list[_Seg], vs: list[_Seg]) -> list[PageTable]:
    """Tables bounded by rulings, via pdfplumber's finder on our cleaned rulings only."""
    if len(hs) < 2 or len(vs) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": _edge_dicts(vs, "v", page),
        "explicit_horizontal_lines": _edge_dicts(hs, "h", page),
        "snap_tolerance": TOL,
        "join_tolerance": TOL,
        "edge_min_length": TOL,
        "intersection_tolerance": TOL,
    }
    real_hs = _ByCoord([s for s in hs if not s.synthetic], lambda s: s.pos)
    chars = _ByCoord(page.chars, lambda ch: (ch["top"] + ch["bottom"]) / 2)
    out: list[PageTable] = []
    for table in page.find_tables(settings):
        boxes = [tuple(float(v) for v in c) for c in table.cells]
        if len(boxes) < 2:
            continue  # a single framed box is a note or a text frame, not a table
        xs = cluster_values([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = cluster_values([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 3 and len(ys) < 3:
            continue
        cells = []
        for b in boxes:
            bbox = (b[0], b[1], b[2], b[3])
            text = _chars_text([ch for ch in chars.between(bbox[1], bbox[3]) if _inside(ch, bbox)])
            covered = sum(
                max(0.0, min(s.hi, bbox[2]) - max(s.lo, bbox[0]))
                for s in real_hs.between(bbox[1] - TOL, bbox[1] + TOL)
                if abs(s.pos - bbox[1]) <= TOL
            )
            cells.append(RawCell(bbox, text, open_top=covered < 0.5 * (bbox[2] - bbox[0])))
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        out.append(PageTable(pno, (x0, top, x1, bottom), cells, xs, ys))
    return out


# --- word fallback (no rulings) -------------------------------------------------------------------------


def _word_tables(page: Page, pno: int) -> list[PageTable]:
    """Rows from positioned words on a page without rulings: lines by y, columns split at wide x gaps.

    Only blocks of two or more consecutive lines that each split into two or more segments, with numbers
    among them, count: justified prose (even letter-spaced) never has gaps that wide.
    """
    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
    if not words:
        return []
    sizes = [w["bottom"] - w["top"] for w in words]
    gap_min = max(1.6 * statistics.median(sizes), 12.0)
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        mid = (w["top"] + w["bottom"]) / 2
        for line in lines:
            if line[0]["top"] - 1 <= mid <= line[0]["bottom"] + 1:
                line.append(w)
                break
        else:
            lines.append([w])
    lines.sort(key=lambda ln: ln[0]["top"])
    rows: list[list[_Piece]] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        segs: list[list[dict[str, Any]]] = [[line[0]]]
        for w in line[1:]:
            if w["x0"] - segs[-1][-1]["x1"] >= gap_min:
                segs.append([w])
            else:
                segs[-1].append(w)
        row = []
        for seg in segs:
            bbox = (
                min(w["x0"] for w in seg),
                min(w["top"] for w in seg),
                max(w["x1"] for w in seg),
                max(w["bottom"] for w in seg),
            )
            text = " ".join(w["text"] for w in seg)
            row.append((bbox, text))
        rows.append(row)
    blocks: list[list[list[_Piece]]] = []
    current: list[list[_Piece]] = []
    for row in [*rows, []]:
        if len(row) >= 2:
            current.append(row)
            continue
        if len(current) >= 2 and sum(1 for r in current for _, t in r if _NUMERIC_CELL.match(t)) >= 2:
            blocks.append(current)
        current = []
    out = []
    for block in blocks:
        spans = sorted((b[0], b[2]) for r in block for b, _ in r)
        bands: list[list[float]] = []
        for lo, hi in spans:
            if bands and lo <= bands[-1][1] + 1.0:
                bands[-1][1] = max(bands[-1][1], hi)
            else:
                bands.append([lo, hi])
        cells: list[RawCell] = []
        ys: list[float] = []
        for r, row in enumerate(block):
            ys.append(min(b[1] for b, _ in row))
            by_band: dict[int, list[_Piece]] = {}
            for b, t in row:
                k = next(i for i, (lo, hi) in enumerate(bands) if lo - 1.0 <= (b[0] + b[2]) / 2 <= hi + 1.0)
                by_band.setdefault(k, []).append((b, t))
            for k, parts in by_band.items():
                bbox = (
                    min(p[0][0] for p in parts),
                    min(p[0][1] for p in parts),
                    max(p[0][2] for p in parts),
                    max(p[0][3] for p in parts),
                )
                cells.append(RawCell(bbox, " ".join(p[1] for p in parts), pos=(r, k)))
        x0 = min(c.bbox[0] for c in cells)
        x1 = max(c.bbox[2] for c in cells)
        top = min(c.bbox[1] for c in cells)
        bottom = max(c.bbox[3] for c in cells)
        table = PageTable(
            pno,
            (x0, top, x1, bottom),
            cells,
            [b[0] for b in bands] + [bands[-1][1]],
            ys,
            ["words fallback: no ruling lines on the page; rows rebuilt from word positions"],
            ruled=False,
        )
        out.append(table)
    return out


# --- joining across pages and building grids ------------------------------------------------------------


def _row_texts(cells: list[RawCell], ys: list[float], r: int) -> list[str]:
    return [
        re.sub(r"\s+", "", c.text)
        for c in sorted(cells, key=lambda c: c.bbox[0])
        if edge_index(ys, c.bbox[1]) == r
    ]


def build_grid(parts: list[PageTable], index: int) -> Grid:
    """One grid from a table's page parts: shared column edges, rows appended, open cells continued."""
    notes: list[str] = [n for p in parts for n in p.notes]
    if not parts[0].ruled:
        cells = []
        for c in parts[0].cells:
            r, k = c.pos or (0, 0)
            cells.append(Cell(c.text, r, k, source=cell_source(parts[0].page, c.bbox)))
        return from_cells(cells, "pdf", index, parts[0].page, notes)
    xs = cluster_values([x for p in parts for x in p.xs])
    out: list[Cell] = []
    offset = 0
    for i, part in enumerate(parts):
        skip = 0
        if i > 0:
            first = parts[0]
            while (
                skip < min(3, len(part.ys) - 2)
                and skip < len(first.ys) - 1
                and _row_texts(part.cells, part.ys, skip)
                and _row_texts(part.cells, part.ys, skip) == _row_texts(first.cells, first.ys, skip)
            ):
                skip += 1
            if skip:
                notes.append(f"page {part.page}: {skip} repeated header row(s) dropped")
        previous_last = [c for c in out if c.row + c.rowspan == offset]
        for c in sorted(part.cells, key=lambda c: (c.bbox[1], c.bbox[0])):
            r0, r1 = edge_index(part.ys, c.bbox[1]), edge_index(part.ys, c.bbox[3])
            if r0 < skip:
                continue
            c0, c1 = edge_index(xs, c.bbox[0]), edge_index(xs, c.bbox[2])
            if r1 <= r0 or c1 <= c0:
                continue
            row = offset + r0 - skip
            cell = Cell(c.text, row, c0, r1 - r0, c1 - c0, cell_source(part.page, c.bbox))
            if i > 0 and r0 == skip and c.open_top and not c.text:
                above = next((a for a in previous_last if a.col == c0 and a.colspan == c1 - c0), None)
                if above is not None:  # a merged cell split by the page break: one cell again
                    merged = Cell(
                        above.text, above.row, above.col, above.rowspan + r1 - r0, above.colspan, above.source
                    )
                    out[out.index(above)] = merged
                    previous_last[previous_last.index(above)] = merged
                    continue
            out.append(cell)
        offset += len(part.ys) - 1 - skip
    return from_cells(out, "pdf", index, parts[0].page, notes, n_rows=offset, n_cols=len(xs) - 1)


def _text_between(lines_by_page: dict[int, list[dict[str, Any]]], a: PageTable, b: PageTable) -> bool:
    """Is there body text after table `a` on its page or before table `b` on the next one?"""
    after = any(ln["top"] >= a.bbox[3] - 1 for ln in lines_by_page.get(a.page, []))
    before = any(ln["bottom"] <= b.bbox[1] + 1 for ln in lines_by_page.get(b.page, []))
    return after or before


def _continues(lines_by_page: dict[int, list[dict[str, Any]]], a: PageTable, b: PageTable) -> str | None:
    """Why `b` (first table of the next page) continues `a` (last table of its page), or None."""
    if not (a.ruled and b.ruled) or b.page != a.page + 1:
        return None
    if abs(a.bbox[0] - b.bbox[0]) > 2 * TOL or abs(a.bbox[2] - b.bbox[2]) > 2 * TOL:
        return None
    if _text_between(lines_by_page, a, b):
        return None
    ax, bx = cluster_values(a.xs), cluster_values(b.xs)
    same = len(ax) == len(bx) and all(abs(p - q) <= TOL for p, q in zip(ax, bx, strict=True))
    if same:
        return "same column edges"
    subset = all(any(abs(p - q) <= TOL for q in ax) for p in bx) or all(
        any(abs(p - q) <= TOL for q in bx) for p in ax
    )
    return "column edges of one part are a subset of the other's" if subset else "column edges differ"


# --- the reader -----------------------------------------------------------------------------------------


def _preflight(path: Path) -> list[tuple[float, float] | None]:
    """Refuse what is not a readable PDF before pdfminer sees it: wrong magic, cut off, password.

    Returns each page's size where its media box sits at the origin, unrotated and uncropped (the pages
    `pdfium_pages` may read; PDFium does not say whether a box was inherited or cropped), else None."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError, PdfStreamError

    with path.open("rb") as f:
        head = f.read(1024)
        if b"%PDF-" not in head:
            raise ReaderError("not_a_pdf", f"{path.name} has no %PDF- header")
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 16 * EOF_WINDOW))
        tail = f.read()
    tail = tail.rstrip(b"\x00\r\n\t\f ")
    if b"%%EOF" not in tail[-EOF_WINDOW:]:
        raise ReaderError("truncated_pdf", f"{path.name}: no %%EOF at the end of the file (cut off)")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError) as e:
                raise ReaderError("encrypted_pdf", f"{path.name}: encrypted ({e})") from e
            if not ok:
                raise ReaderError("encrypted_pdf", f"{path.name}: needs a password")
        sizes = [_plain_size(page) for page in reader.pages]
    except ReaderError:
        raise
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise ReaderError("truncated_pdf", f"{path.name}: structure broken ({type(e).__name__}: {e})") from e
    if not sizes:
        raise ReaderError("no_text", f"{path.name}: the PDF has no pages")
    return sizes


def _plain_size(page: Any) -> tuple[float, float] | None:
    """(width, height) of a pypdf page whose media box is at the origin, unrotated and not cropped; None
    for any other page, a malformed box included (pdfminer then reads the file, and says what is wrong)."""
    from pypdf.errors import PdfReadError

    try:
        media, crop = [float(v) for v in page.mediabox], [float(v) for v in page.cropbox]
        rotated = page.rotation % 360 != 0
    except (IndexError, KeyError, TypeError, ValueError, AttributeError, PdfReadError):
        return None
    if len(media) != 4 or media != crop or media[0] != 0 or media[1] != 0 or rotated:
        return None
    return (media[2], media[3])


def _page_number_lines(
    page: Page, lines: list[dict[str, Any]], tables: list[PageTable]
) -> list[dict[str, Any]]:
    """Text lines that are page numbers: `- 3 -` anywhere outside tables, a bare `3` in the margin band."""
    out = []
    for ln in lines:
        text = re.sub(r"\s+", " ", ln["text"]).strip()
        if any(_inside(ln, t.bbox) for t in tables):
            continue
        compact = text.replace(" ", "")
        if is_page_number(compact) or (_in_margin(ln, page.height) and BARE_NUMBER.match(compact)):
            out.append(ln)
    return out


@dataclass
class PageResult:
    """One page as read: its text, tables and the text lines outside them (what joins a table's parts)."""

    text: str
    tables: list[PageTable]
    body_lines: list[dict[str, Any]]  # text lines outside tables and page numbers
    notes: list[str]


def _dedupe_chars(page: Page, tolerance: float = 1.0) -> Page:
    """The page without duplicate characters: pdfplumber's `Page.dedupe_chars()` (same text, upright, font
    and size, positions chained within `tolerance`; the first of a cluster in (doctop, x0) order stays), less
    its final `sorted(key=list.index)`, quadratic in the characters (seconds on a table page). Survivors
    keep their order on the page, as there."""
    from pdfplumber.utils import cluster_objects

    def key(ch: dict[str, Any]) -> tuple[Any, ...]:
        return (ch["upright"], ch["text"], ch["fontname"], ch["size"])

    keep: set[int] = set()
    for _, run in itertools.groupby(sorted(page.chars, key=key), key=key):
        group = list(run)
        if len(group) == 1:  # a character alone in its kind is its own cluster (most of a CJK page)
            keep.add(id(group[0]))
            continue
        for y_cluster in cluster_objects(group, lambda ch: ch["doctop"], tolerance):
            for x_cluster in cluster_objects(y_cluster, lambda ch: ch["x0"], tolerance):
                keep.add(id(min(x_cluster, key=lambda ch: (ch["doctop"], ch["x0"]))))
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)


def _read_page(raw_page: Page, pno: int) -> PageResult:
    """One page: rulings → tables (or the words fallback), page numbers dropped, the text layer."""
    notes: list[str] = []
    page = _dedupe_chars(raw_page)  # bold faked by over-printing would double every character
    hs, vs = _rulings(page)
    if len(hs) + len(vs) > MAX_RULINGS:
        notes.append(f"page {pno}: {len(hs) + len(vs)} rulings, a drawing: no tables read")
        hs, vs = [], []
    if hs and vs:
        hs, vs = hs + _close_open_ends(hs, vs), vs + _close_open_ends(vs, hs)
    lines = page.extract_text_lines(return_chars=False)
    tables = _ruled_tables(page, pno, hs, vs)
    numbers = _page_number_lines(page, lines, tables)
    if numbers:
        boxes = [(ln["x0"] - 1, ln["top"] - 1, ln["x1"] + 1, ln["bottom"] + 1) for ln in numbers]
        page = page.filter(
            lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes)
        )
        lines = [ln for ln in lines if ln not in numbers]
    if not tables and not vs:
        tables = _word_tables(page, pno)
    body = [ln for ln in lines if ln["text"].strip() and not any(_inside(ln, t.bbox) for t in tables)]
    return PageResult((page.extract_text() or "").rstrip(), tables, body, notes)


def _drop_running_lines(pages: list[PageResult], height: float) -> None:
    """Running headers/footers (the same margin line on several pages) do not separate a table's parts."""
    seen: dict[str, int] = {}
    for res in pages:
        for text in {re.sub(r"\s+", "", ln["text"]) for ln in res.body_lines if _in_margin(ln, height)}:
            seen[text] = seen.get(text, 0) + 1
    running = {t for t, n in seen.items() if n >= 2}
    for res in pages:
        res.body_lines = [
            ln
            for ln in res.body_lines
            if not (_in_margin(ln, height) and re.sub(r"\s+", "", ln["text"]) in running)
        ]


def _in_margin(ln: dict[str, Any], height: float) -> bool:
    return ln["bottom"] <= height * MARGIN_BAND or ln["top"] >= height * (1 - MARGIN_BAND)


def group_tables(
    tables: list[PageTable], body_lines: dict[int, list[dict[str, Any]]]
) -> list[list[PageTable]]:
    """Tables in document order, the parts of one table split by page breaks grouped together."""
    groups: list[list[PageTable]] = []
    for t in tables:
        if groups:
            prev = groups[-1][-1]
            is_last = all(o.bbox[1] <= prev.bbox[1] for o in tables if o.page == prev.page)
            is_first = all(o.bbox[1] >= t.bbox[1] for o in tables if o.page == t.page)
            why = _continues(body_lines, prev, t) if is_last and is_first else None
            if why:
                t.notes.append(f"page {t.page} continues page {prev.page} ({why}; rows appended)")
                groups[-1].append(t)
                continue
        groups.append([t])
    return groups


def _reraise(e: Exception, path: Path) -> None:
    """Map what pdfminer raised (wrapped by pdfplumber) to a reason; a MemoryError stays one."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    chain = exception_chain(e)
    if any(isinstance(x, MemoryError) for x in chain):
        raise MemoryError(f"{path.name}: {e}") from e
    for reason, kinds in (
        ("encrypted_pdf", (PDFPasswordIncorrect, PDFEncryptionError)),
        ("truncated_pdf", (PDFSyntaxError, PSException)),
    ):
        inner = next((x for x in chain if isinstance(x, kinds)), None)
        if inner is not None:
            raise ReaderError(reason, f"{path.name}: {type(inner).__name__}: {inner}") from e


def read_pdf(
    path: Path, scanned_pages: Callable[[list[int]], dict[int, PageResult]] | None = None, fast: bool = True
) -> PdfContent:
    """Read a PDF in this process (use `read_pdf_safely` for untrusted files).

    `fast` takes the pages' characters and paths from PDFium (`pdfium_pages`) where it reads them as
    pdfminer would; False (or a document PDFium might read differently) has pdfminer interpret them.

    `scanned_pages` reads the pages without a usable text layer (the OCR reader's): they then take their
    place in page order, so a table running from a text page onto a scanned one is still joined.
    """
    import pdfplumber

    from nianbao.readers.pdfium_pages import pdfium_pages

    path = Path(path)
    sizes = _preflight(path)
    from_pdfium = pdfium_pages(path, sizes) if fast else None
    if from_pdfium:
        pages = [_read_page(page, pno) for pno, page in enumerate(from_pdfium, start=1)]
        height = float(from_pdfium[0].height)
    else:
        try:
            with pdfplumber.open(path) as pdf:
                pages = [_read_page(page, pno) for pno, page in enumerate(pdf.pages, start=1)]
                height = float(pdf.pages[0].height) if pdf.pages else 842.0
        except Exception as e:
            _reraise(e, path)
            raise
    notes = [n for res in pages for n in res.notes]
    textless = [pno for pno, res in enumerate(pages, start=1) if unusable_text(res.text)]  # OCR them
    if pages and len(textless) == len(pages):
        raise ReaderError("image_only_pdf", f"{path.name}: {len(pages)} page(s) and no text layer (a scan)")
    if textless and scanned_pages is not None:
        for pno, res in scanned_pages(textless).items():
            pages[pno - 1] = res
        notes.append(f"pages read by OCR (no usable text layer): {textless}")
    elif textless:
        notes.append(f"pages without a text layer (images?): {textless}")
    _drop_running_lines(pages, height)
    tables = [t for res in pages for t in res.tables]
    groups = group_tables(tables, {pno: res.body_lines for pno, res in enumerate(pages, start=1)})
    joined = [f"grid {i} pages {g[0].page}-{g[-1].page}" for i, g in enumerate(groups) if len(g) > 1]
    if joined:
        notes.append("tables joined across pages: " + ", ".join(joined))
    grids = [build_grid(parts, i) for i, parts in enumerate(groups)]
    starts = list(itertools.accumulate((len(res.text) + 1 for res in pages[:-1]), initial=0))
    return PdfContent("\n".join(res.text for res in pages), grids, len(pages), notes, textless, starts)


def read_pdf_safely(path: Path, timeout_s: float = 60, memory_mb: int = 1024) -> PdfContent:
    """`read_pdf` in a child process under a wall-clock timeout and an address-space ceiling; the child
    is reused from file to file (a fresh start cost ~8 % of a text-layer PDF's reading)."""
    return run_limited(
        read_pdf,
        Path(path),
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        preload=("pdfplumber", "pypdf", "pypdfium2", "nianbao.readers.pdfium_pages"),
        reuse=True,
    )

"""A PDF's pages as pdfplumber pages whose characters and paths come from PDFium instead of pdfminer.

pdfminer interprets every content stream in Python, most of a text-layer PDF's reading time; PDFium
(pypdfium2) does it in C++. The objects are built as pdfminer would have given them to pdfplumber
(characters: box from the glyph advance and the font's descent, height the font size; paths: pdfminer's
line / rect / curve split of each subpath), so `readers.pdf` runs its rulings, table finder and text
layout unchanged on them. A document where PDFium's view could differ from pdfminer's (rotated, cropped
or offset pages, rotated or vertical text, form XObjects, glyphs without a Unicode mapping, /ActualText)
gives None: pdfminer reads it. PDFium keeps coordinates in single precision, so a cell box printed to
0.1 pt can round the other way at x.x5 (4 of 40 synthetic reports); text, grids and figures are the same.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page

_FONT_NAME_BYTES = 256


@lru_cache(maxsize=1 << 16)  # a page repeats its coordinates and sizes; formatting each was ~20 % of reading
def _decimal(v: float) -> float:
    return float(f"{v:.7g}")


def _f(v: float) -> float:
    """A PDFium single-precision number as the decimal it stands for (517.15, not 517.1500244): pdfminer
    parses the content stream's decimals in double precision, and a box printed to 0.1 pt must not flip.
    Zero passes as it is: the cache holds 0.0 and -0.0 as one key."""
    return _decimal(v) if v else v


class PdfiumPage(Page):
    """A pdfplumber `Page` over ready-made objects (no pdfminer page behind it)."""

    def __init__(
        self,
        objects: dict[str, list[dict[str, Any]]],
        number: int,
        width: float,
        height: float,
        doctop: float,
    ) -> None:
        self._objects = objects
        self.pdf = None  # type: ignore[assignment]
        self.page_obj = None  # type: ignore[assignment]
        self.root_page = self
        self.page_number = number
        self.rotation = 0
        self.initial_doctop = doctop
        self.mediabox = self.cropbox = self.bbox = (0.0, 0.0, width, height)
        self.get_textmap = lru_cache()(self._get_textmap)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        return self._objects


class _Unsupported(Exception):
    """Something on a page that PDFium might read differently from pdfminer."""


def _matrix(getter: Any, handle: Any, index: int | None = None) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    ok = getter(handle, index, ctypes.byref(m)) if index is not None else getter(handle, ctypes.byref(m))
    if not ok:
        raise _Unsupported("no matrix")
    return (_f(m.a), _f(m.b), _f(m.c), _f(m.d), _f(m.e), _f(m.f))


def _color(getter: Any, obj: Any) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, *(ctypes.byref(v) for v in (r, g, b, a))):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)  # RGB in 0..1, whatever the colour space


def _chars(textpage: Any, height: float, doctop: float) -> list[dict[str, Any]]:
    out = []
    name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
    flags = ctypes.c_int()
    box = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, i):
            continue  # spaces and line breaks PDFium infers; pdfplumber infers its own from positions
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i):
            raise _Unsupported("a glyph without a Unicode mapping")
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code == 0 or code == 0xFFFE or code == 0xFFFD:
            raise _Unsupported("a glyph without a Unicode mapping")
        if not pdfium_c.FPDFText_GetMatrix(textpage, i, ctypes.byref(m)):
            raise _Unsupported("no matrix")
        if not (m.a > 0 and m.d > 0 and m.b == 0 and m.c == 0):  # signs and zeros are _f's too
            raise _Unsupported("rotated, mirrored or skewed text")
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(box))
        size = _f(pdfium_c.FPDFText_GetFontSize(textpage, i)) * _f(m.d)
        pdfium_c.FPDFText_GetFontInfo(textpage, i, name, _FONT_NAME_BYTES, ctypes.byref(flags))
        x0, x1, y0 = _f(box.left), _f(box.right), _f(box.bottom)
        if x1 - x0 > 2 * size or box.top - box.bottom > 2 * size:
            raise _Unsupported("a glyph box PDFium merged with its neighbours (vertical writing)")
        bottom = height - y0
        top = bottom - size
        out.append(
            {
                "object_type": "char",
                "page_number": None,
                "text": chr(code),
                "fontname": name.value.decode("utf-8", "replace"),
                "size": size,
                "upright": True,
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y0 + size,
                "top": top,
                "bottom": bottom,
                "doctop": doctop + top,
                "width": x1 - x0,
                "height": size,
            }
        )
    return out


def _subpaths(obj: Any, matrix: tuple[float, ...]) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """The path's subpaths as pdfminer's shape strings ("mlllh") and device-space points."""
    a, b, c, d, e, f = matrix
    shape, pts = "", []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = _f(x.value), _f(y.value)
        pt = (a * px + c * py + e, b * px + d * py + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, pts
            shape, pts = "m", [pt]
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            shape, pts = shape + "l", [*pts, pt]
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            shape, pts = shape + "c", [*pts, pt]
        else:
            raise _Unsupported("an unknown path segment")
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            shape, pts = shape + "h", [*pts, pts[0]]
    if shape:
        yield shape, pts


def _path_objects(obj: Any, height: float) -> list[tuple[str, dict[str, Any]]]:
    """A path object as pdfminer's line / rect / curve objects, in pdfplumber's keys."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
    paint = {
        "stroke": bool(stroke.value),
        "fill": fill_mode.value != 0,
        "stroking_color": _color(pdfium_c.FPDFPageObj_GetStrokeColor, obj),
        "non_stroking_color": _color(pdfium_c.FPDFPageObj_GetFillColor, obj),
    }
    out = []
    for shape, pts in _subpaths(obj, _matrix(pdfium_c.FPDFPageObj_GetMatrix, obj)):
        # bezier segments come as three points each: keep only their end points, like pdfminer's pts
        ends = _end_points(shape, pts)
        shape = re.sub("ccc", "c", shape)
        if len(shape) > 3 and shape[-2:] == "lh" and ends[-2] == ends[0]:
            shape = shape[:-2] + "h"
            ends = ends[:-2] + ends[-1:]
        kind = "curve"
        if shape in {"mlh", "ml"}:
            kind = "line"
        elif shape in {"mlllh", "mllll"}:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = ends
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if ends[0] == ends[4] and square:
                kind = "rect"
        used = ends[:2] if kind == "line" else ends
        xs, ys = [p[0] for p in used], [p[1] for p in used]
        if kind == "rect":
            xs, ys = [ends[0][0], ends[2][0]], [ends[0][1], ends[2][1]]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        out.append(
            (
                kind,
                paint
                | {
                    "object_type": kind,
                    "x0": x0,
                    "x1": x1,
                    "y0": y0,
                    "y1": y1,
                    "top": height - y1,
                    "bottom": height - y0,
                    "width": x1 - x0,
                    "height": y1 - y0,
                    "pts": [(px, height - py) for px, py in ends],
                },
            )
        )
    return out


def _end_points(shape: str, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points pdfminer keeps for a subpath: each operator's last point (a bezier's third)."""
    out, i = [], 0
    while i < len(shape):
        if shape[i : i + 3] == "ccc":
            out.append(pts[i + 2])
            i += 3
        else:
            out.append(pts[i])
            i += 1
    return out


def _has_actual_text(obj: Any) -> bool:
    for k in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, k)
        if pdfium_c.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != pdfium_c.FPDF_OBJECT_UNKNOWN:
            return True
    return False


def _page(page: Any, number: int, doctop: float, size: tuple[float, float] | None) -> PdfiumPage:
    if size is None or pdfium_c.FPDFPage_GetRotation(page) != 0:
        raise _Unsupported("a rotated or cropped page, or a media box off the origin")
    width, height = size  # pdfplumber's page box: the media box
    if any(abs(a - b) > 0.01 for a, b in zip(page.get_bbox(), (0.0, 0.0, width, height), strict=True)):
        raise _Unsupported("PDFium's page box is not the media box")
    objects: dict[str, list[dict[str, Any]]] = {"char": [], "line": [], "rect": [], "curve": []}
    for k in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            raise _Unsupported("a form XObject")
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT and _has_actual_text(obj):
            raise _Unsupported("marked content with /ActualText (PDFium reads that instead of the glyphs)")
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            for name, item in _path_objects(obj, height):
                objects[name].append(item)
    textpage = page.get_textpage()
    try:
        objects["char"] = _chars(textpage, height, doctop)
    finally:
        textpage.close()
    return PdfiumPage(objects, number, width, height, doctop)


def pdfium_pages(path: Path, sizes: list[tuple[float, float] | None]) -> list[PdfiumPage] | None:
    """Every page read by PDFium, or None when any page holds what PDFium might read differently.

    `sizes`: each page's (width, height) where its media box is plain (at the origin, unrotated, not
    cropped), else None (the file goes to pdfminer); `readers.pdf._preflight` gives them."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None  # pdfminer then says why (encrypted, broken)
    try:
        pages, doctop = [], 0.0
        if len(doc) != len(sizes):
            return None
        for number in range(len(doc)):
            page = doc[number]
            try:
                pages.append(_page(page, number + 1, doctop, sizes[number]))
            finally:
                page.close()
            doctop += pages[-1].height
        return pages
    except (_Unsupported, pdfium.PdfiumError):
        return None
    finally:
        doc.close()

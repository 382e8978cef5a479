"""DOCX → the report's text and its tables as `Grid`s with their true merges.

Order of defences: the zip's central directory is checked first (`zipcheck`), then every XML part's prolog
is parsed with defusedxml so a DTD or entity declaration is refused before any parser could expand it, and
only then does python-docx open the package (it resolves the main part and checks the content type).
Tables are read from the XML, not through python-docx's `cell` API: that API repeats a merged cell in
every position it covers, and the spans (`w:gridSpan`, `w:vMerge`) are what say which label covers which
row of 表三.
"""

from __future__ import annotations

import email
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from lxml import etree

from nianbao.decode import DecodeError, decode_bytes
from nianbao.html_extract import extract_report_text
from nianbao.readers.html_tables import MAX_GRID_SLOTS, clean_text, html_grids
from nianbao.readers.limits import ReaderError, run_limited
from nianbao.readers.zipcheck import DEFAULT_LIMITS, ZipLimits, check_zip
from nianbao.tables.grid import Cell, Grid, from_cells

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional (what Word/WPS write)
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
    }
)
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_GRIDSPAN = 1000
_XML_PART = re.compile(r"(\.xml|\.rels)$", re.I)
_WRAPPERS = frozenset({"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo"})
_DROPPED = frozenset(
    {"del", "moveFrom", "sdtPr", "sdtEndPr", "customXmlPr", "tcPr", "trPr", "tblPr", "pPr", "rPr"}
)


@dataclass
class DocxContent:
    text: str  # paragraphs in body order; each table row one line of ` | `-separated cells
    grids: list[Grid]
    notes: list[str] = field(default_factory=list)


def _local(el: etree._Element) -> str:
    """Local name of a WordprocessingML element ('' for anything else, comments included)."""
    if not isinstance(el.tag, str):
        return ""
    q = etree.QName(el)
    if q.namespace in W_NAMESPACES:
        return q.localname
    if q.namespace == MC_NS:
        return "mc:" + q.localname
    return "?" + q.localname


def _wattr(el: etree._Element, name: str) -> str | None:
    for ns in W_NAMESPACES:
        v = el.get(f"{{{ns}}}{name}")
        if v is not None:
            return v
    return None


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if _local(c) == name), None)


def _prop(el: etree._Element, pr: str, name: str) -> etree._Element | None:
    props = _child(el, pr)
    return _child(props, name) if props is not None else None


def _int(value: str | None, default: int, cap: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(m.group(1)[:9]), cap)) if m else default


# ---------------------------------------------------------------- defences before python-docx


def _check_xml_prolog(stream: BinaryIO, name: str) -> None:
    """Refuse a part whose prolog declares a DTD or entities (billion laughs, XXE).

    A DTD can only come before the root element, so parsing stops at the first start tag: the check reads
    the prolog (however long), not the whole part.
    """
    try:
        for _event, _el in DET.iterparse(stream, events=("start",), forbid_dtd=True):
            break
    except DefusedXmlException as e:
        raise ReaderError("xml_entity_attack", f"{name}: {type(e).__name__}: {e}") from e
    except DET.ParseError:
        return  # malformed XML: python-docx (or the walk below) reports it if the part matters


def _check_parts(path: Path, names: tuple[str, ...]) -> None:
    with zipfile.ZipFile(path) as zf:
        for name in names:
            if _XML_PART.search(name):
                with zf.open(name) as f:
                    _check_xml_prolog(f, name)


def _open_document(path: Path) -> DocxDocument:
    """python-docx opens the package: it finds the main part by relationship and checks its content type."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as e:
        raise ReaderError("not_a_docx", f"python-docx cannot open it as a Word document: {e}") from e


def _alt_chunk_html(document: DocxDocument, rid: str | None) -> tuple[str | None, str]:
    """The HTML of an `w:altChunk` part (HTML, XHTML or MHT), or None and why not.

    Some CMS "export to Word" buttons write the whole report as one embedded HTML/MHT chunk: without it
    such a file would have no text at all.
    """
    part = document.part.related_parts.get(rid or "")
    if part is None:
        return None, "its relationship is missing"
    blob, ctype = part.blob, part.content_type
    if ctype in ("message/rfc822", "multipart/related") or part.partname.endswith((".mht", ".mhtml")):
        message = email.message_from_bytes(blob)
        html_part = next((m for m in message.walk() if m.get_content_type() == "text/html"), None)
        payload = html_part.get_payload(decode=True) if html_part is not None else None
        if not isinstance(payload, bytes):
            return None, "an MHT part without an HTML body"
        blob = payload
    elif ctype not in ("text/html", "application/xhtml+xml"):
        return None, f"content type {ctype} is not read"
    try:
        return decode_bytes(blob).text, ""
    except DecodeError as e:
        return None, f"undecodable: {e}"


def _reindexed(grid: Grid, index: int, prefix: str) -> Grid:
    """An altChunk's HTML grid renumbered into the document's table sequence."""
    cells = [
        Cell(c.text, c.row, c.col, c.rowspan, c.colspan, source=f"{prefix}/r{c.row}c{c.col}")
        for r, row in enumerate(grid.rows)
        for k, c in enumerate(row)
        if c is not None and grid.is_origin(r, k)
    ]
    return from_cells(cells, "docx", index, notes=grid.notes, n_rows=len(grid.rows), n_cols=grid.width)


# ---------------------------------------------------------------- walking the body


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """`w:p` and `w:tbl` in reading order, through content controls and custom-XML wrappers."""
    for child in container:
        name = _local(child)
        if name in ("p", "tbl", "altChunk"):
            yield child
        elif name in _WRAPPERS:
            yield from _blocks(child)
        elif name == "mc:AlternateContent":
            choice = next((c for c in child if _local(c) == "mc:Choice"), None)
            if choice is not None:
                yield from _blocks(choice)


def _run_text(el: etree._Element, out: list[str], breaks: str) -> None:
    """Visible text under a paragraph-level element; deleted text, field codes and fallbacks are skipped."""
    for child in el:
        name = _local(child)
        if name == "t":
            out.append(child.text or "")
        elif name in ("tab", "ptab"):
            out.append(" ")
        elif name in ("br", "cr"):
            out.append(breaks)
        elif name == "noBreakHyphen":
            out.append("-")
        elif name in _DROPPED or name in ("tbl", "mc:Fallback", "instrText", "delText"):
            continue
        elif name == "p":  # a paragraph inside a text box
            _run_text(child, out, breaks)
            out.append(breaks)
        else:
            _run_text(child, out, breaks)


def _paragraph_text(p: etree._Element, breaks: str = "\n") -> str:
    out: list[str] = []
    _run_text(p, out, breaks)
    return "".join(out)


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl:
        name = _local(child)
        if name == "tr":
            if _prop(child, "trPr", "del") is None:  # a row deleted under track changes is not shown
                yield child
        elif name in _WRAPPERS:
            yield from _rows(child)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        name = _local(child)
        if name == "tc":
            yield child
        elif name in _WRAPPERS:
            yield from _cells(child)


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined by spaces; nested tables are their own grids, so left out here."""
    return clean_text(" ".join(_paragraph_text(p, " ") for p in _blocks(tc) if _local(p) == "p"))


@dataclass
class _Origin:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    tc: etree._Element


def _table_cells(tbl: etree._Element, notes: list[str]) -> tuple[list[_Origin], int]:
    """Origin cells with spans from `w:gridSpan`, `w:vMerge` (restart/continue), `w:hMerge` and `gridBefore`."""
    origins: list[_Origin] = []
    open_above: dict[int, _Origin] = {}  # grid column → the vMerge origin a `continue` below would join
    n_rows = 0
    for r, tr in enumerate(_rows(tbl)):
        n_rows = r + 1
        before = _prop(tr, "trPr", "gridBefore")
        c = _int(_wattr(before, "val"), 0, MAX_GRIDSPAN) if before is not None else 0
        continued: dict[int, _Origin] = {}
        previous: _Origin | None = None
        for tc in _cells(tr):
            span_el = _prop(tc, "tcPr", "gridSpan")
            span = _int(_wattr(span_el, "val"), 1, MAX_GRIDSPAN) if span_el is not None else 1
            vm = _prop(tc, "tcPr", "vMerge")
            vmerge = None if vm is None else (_wattr(vm, "val") or "continue")
            hm = _prop(tc, "tcPr", "hMerge")
            hmerge = None if hm is None else (_wattr(hm, "val") or "continue")
            text = _cell_text(tc)
            above = open_above.get(c)
            if vmerge == "continue" and above is not None and above.row + above.rowspan == r:
                above.rowspan += 1
                continued[c] = above
                if text:
                    notes.append(f"text in a merged-away cell r{r}c{c}: {text[:40]}")
                previous = above
            elif hmerge == "continue" and previous is not None and previous.row == r:
                previous.colspan += span
            else:
                if vmerge == "continue":
                    notes.append(f"vMerge continue with nothing above r{r}c{c}: read as a cell")
                cell = _Origin(text, r, c, 1, span, tc)
                origins.append(cell)
                if vmerge is not None:
                    continued[c] = cell
                previous = cell
            c += span
        open_above = continued
    return origins, n_rows


def _table_grid(tbl: etree._Element, index: int, nested: dict[etree._Element, int]) -> Grid:
    notes: list[str] = []
    origins, n_rows = _table_cells(tbl, notes)
    width = max((o.col + 1 for o in origins), default=0)  # past the last start column there are only spans
    cells: list[Cell] = []
    for o in origins:
        colspan = o.colspan
        if o.col + colspan > width:
            notes.append(f"gridSpan clamped r{o.row}c{o.col}: {colspan} -> {width - o.col}")
            colspan = width - o.col
        cells.append(Cell(o.text, o.row, o.col, o.rowspan, colspan, source=f"docx:t{index}/r{o.row}c{o.col}"))
        for inner in _blocks(o.tc):
            if _local(inner) == "tbl" and inner in nested:
                notes.append(f"nested table t{nested[inner]} in r{o.row}c{o.col}")
    grid_cols = _child(tbl, "tblGrid")
    n_grid = len([g for g in grid_cols if _local(g) == "gridCol"]) if grid_cols is not None else 0
    if n_grid and n_grid != width:
        notes.append(f"tblGrid declares {n_grid} columns, cells use {width}")
    if n_rows * width > MAX_GRID_SLOTS:  # a crafted table could otherwise expand to gigabytes
        return Grid([], "docx", index, notes=[*notes, f"not expanded: {n_rows} rows x {width} columns"])
    return from_cells(cells, "docx", index, notes=notes, n_rows=n_rows, n_cols=width)


def _table_lines(tbl: etree._Element, lines: list[str]) -> None:
    """Each row as one line of its cells (merged-away cells left out, as an HTML row has no `td` there)."""
    for tr in _rows(tbl):
        texts: list[str] = []
        inner: list[etree._Element] = []
        for tc in _cells(tr):
            vm = _prop(tc, "tcPr", "vMerge")
            hm = _prop(tc, "tcPr", "hMerge")
            merged_away = (vm is not None and (_wattr(vm, "val") or "continue") == "continue") or (
                hm is not None and (_wattr(hm, "val") or "continue") == "continue"
            )
            if not merged_away:
                texts.append(_cell_text(tc))
            inner.extend(b for b in _blocks(tc) if _local(b) == "tbl")
        line = clean_text(" | ".join(texts))
        if line.strip(" |"):
            lines.append(line)
        for t in inner:
            _table_lines(t, lines)


def _body_tables(body: etree._Element) -> list[etree._Element]:
    """All tables in reading order (outer before inner), each once: mc:Fallback copies are skipped."""
    found: list[etree._Element] = []

    def walk(container: etree._Element) -> None:
        for block in _blocks(container):
            if _local(block) != "tbl":
                continue
            found.append(block)
            for tr in _rows(block):
                for tc in _cells(tr):
                    walk(tc)

    walk(body)
    return found


def read_docx(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> DocxContent:
    """Text and grids of a DOCX; raises `ReaderError` (empty_file, not_a_docx, zip_bomb, xml_entity_attack)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise ReaderError("empty_file", f"{path.name} has 0 bytes")
    summary = check_zip(path, limits, not_zip_reason="not_a_docx")
    if "word/document.xml" not in summary.names and "[Content_Types].xml" not in summary.names:
        raise ReaderError("not_a_docx", "a zip container without [Content_Types].xml or word/document.xml")
    _check_parts(path, summary.names)
    document = _open_document(path)
    body = _child(document.element, "body")
    if body is None:
        raise ReaderError("not_a_docx", "the main document part has no w:body")
    notes: list[str] = []
    tables = _body_tables(body)
    index = {t: i for i, t in enumerate(tables)}
    grids = [_table_grid(t, i, index) for i, t in enumerate(tables)]
    lines: list[str] = []
    for block in _blocks(body):
        name = _local(block)
        if name == "p":
            lines.extend(ln for ln in (clean_text(x) for x in _paragraph_text(block).split("\n")) if ln)
        elif name == "tbl":
            _table_lines(block, lines)
        elif name == "altChunk":
            rid = block.get(f"{{{R_NS}}}id")
            html, why = _alt_chunk_html(document, rid)
            if html is None:
                notes.append(f"altChunk {rid}: not read, {why}")
                continue
            chunk_grids = html_grids(html)
            notes.append(f"altChunk {rid}: embedded HTML read, {len(chunk_grids)} tables")
            lines.extend(extract_report_text(html).splitlines())
            for g in chunk_grids:
                grids.append(_reindexed(g, len(grids), f"docx:altChunk={rid}/t{g.index}"))
    notes.append(f"{len(grids)} tables, {summary.entries} zip entries, {summary.total_bytes} bytes inflated")
    return DocxContent("\n".join(lines), grids, notes)


def read_docx_safely(path: Path, timeout_s: float = 60.0, memory_mb: int | None = 1536) -> DocxContent:
    """`read_docx` in a child process under a wall-clock timeout and a memory ceiling."""
    return run_limited(read_docx, Path(path), timeout_s=timeout_s, memory_mb=memory_mb)

"""Files → documents: hash, type check, decode, extract the report body, normalise.

`document_id` is the sha256 of the raw bytes, so the same bytes are one document wherever they sit. A file
that cannot become text is returned as a quarantine record with a reason code, never raised: the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nianbao import PARSER_VERSION
from nianbao.decode import DecodeError, decode_bytes
from nianbao.html_extract import looks_like_html, report_text_tables
from nianbao.normalize import normalize
from nianbao.ocr.detect import IMAGE_SUFFIXES, OCR_ENCODING
from nianbao.ocr.limited import OcrContent, read_image_safely, read_mixed_safely, read_scanned_safely
from nianbao.readers.docx import read_docx_safely
from nianbao.readers.html_tables import holds_all_text, page_tables, parse_html
from nianbao.readers.legacy_doc import DOC_SUFFIXES, read_legacy_doc
from nianbao.readers.limits import ReaderError
from nianbao.readers.pdf import read_pdf_safely
from nianbao.tables.grid import Grid

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}  # markdown: what PDF-to-markdown converters write
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
MAX_BYTES = 20 * 1024 * 1024  # a report page is at most a few MB of text; beyond this it is not one report
MIN_TEXT_CHARS = 20


@dataclass(frozen=True)
class Document:
    document_id: str
    source_path: str
    source_file: str
    file_type: str
    byte_size: int
    encoding: str
    encoding_rule: str
    replacement_count: int
    script: str
    pinyin_removed: int
    original_text: str
    normalized_text: str
    offset_map: str
    grids_json: str = "[]"
    parser_version: str = PARSER_VERSION
    ocr_pages: int = 0  # pages read by OCR
    ocr_lines: str | None = None  # OCR'd text: JSON span map (`ocr.limited.OcrContent.line_map`)

    @cached_property
    def grids(self) -> list[Grid]:
        """The tables of `grids_json` as grids. `read_document` sets the reader's own objects here, so the
        parse in the same process does not decode the JSON it was just given (not a field: not stored)."""
        return [Grid.from_dict(g) for g in json.loads(self.grids_json)]


@dataclass(frozen=True)
class Quarantined:
    document_id: str
    source_path: str
    stage: str
    reason_code: str
    message: str
    parser_version: str = PARSER_VERSION


def file_id(path: Path) -> str:
    """sha256 of the bytes; for an unreadable path, of the path itself (so it still has a stable key)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return hashlib.sha256(str(path).encode()).hexdigest()
    return h.hexdigest()


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """The files under `paths`, one at a time (a corpus is never listed whole), in a deterministic order.

    Each folder is read with `os.scandir` and sorted by name, so the order is that of the sorted full paths.
    Hidden files and folders are skipped. Symbolic links are not followed out of the given folder: a linked
    file counts only when it points inside it, and a linked folder is never walked (what it points to inside
    the folder is walked where it is; outside, never).
    """
    for p in paths:
        if p.is_dir():
            yield from _walk(str(p), os.path.realpath(p))
        else:
            yield p


def _walk(folder: str, root: str) -> Iterator[Path]:
    with os.scandir(folder) as it:
        entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    for e in entries:
        if e.is_symlink():
            target = os.path.realpath(e.path)
            if os.path.isfile(target) and os.path.commonpath([target, root]) == root:
                yield Path(e.path)
        elif e.is_dir(follow_symlinks=False):
            yield from _walk(e.path, root)
        elif e.is_file(follow_symlinks=False):
            yield Path(e.path)


def read_document(path: Path, document_id: str | None = None) -> Document | Quarantined:
    """Turn one file into a Document, or a Quarantined record saying why it cannot be one."""
    doc_id = document_id or file_id(path)

    def quarantine(reason: str, message: str) -> Quarantined:
        return Quarantined(doc_id, str(path), "ingest", reason, message)

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return quarantine("too_large", f"{size} bytes is over the {MAX_BYTES}-byte cap")
        raw = path.read_bytes()
    except OSError as e:
        return quarantine("unreadable", f"cannot read the file: {e}")
    suffix = path.suffix.lower()
    if (
        suffix
        not in TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | DOC_SUFFIXES | IMAGE_SUFFIXES
    ):
        return quarantine("unsupported_type", f"no reader for {suffix or 'files without a suffix'} yet")
    if not raw.strip():
        return quarantine("empty_file", "the file is empty or holds only whitespace")
    try:
        extracted = _extract(path, raw, suffix)
    except DecodeError as e:
        return quarantine(e.reason, str(e))
    except ReaderError as e:
        return quarantine(e.reason, str(e))
    norm = normalize(extracted.text)
    if len(norm.text) < MIN_TEXT_CHARS:
        return quarantine("no_text", f"only {len(norm.text)} characters of text after extraction")
    for i, (start, end) in extracted.table_spans.items():
        extracted.grids[i].text_span = norm.to_normalized(start, end)
    doc = Document(
        document_id=doc_id,
        source_path=str(path),
        source_file=path.name,
        file_type=extracted.file_type,
        byte_size=len(raw),
        encoding=extracted.encoding,
        encoding_rule=extracted.encoding_rule,
        replacement_count=extracted.replacement_count,
        script=norm.script,
        pinyin_removed=norm.pinyin_removed,
        original_text=extracted.text,
        normalized_text=norm.text,
        offset_map=norm.segments_json(),
        grids_json="[" + ",".join(g.to_json() for g in extracted.grids) + "]",
        ocr_pages=extracted.ocr_pages,
        ocr_lines=extracted.ocr_lines,
    )
    object.__setattr__(doc, "grids", extracted.grids)  # the cached property's value (a frozen class)
    return doc


@dataclass(frozen=True)
class Extracted:
    """What a format reader gives back: the report's text and the tables it found in the file's structure."""

    text: str
    file_type: str
    encoding: str
    encoding_rule: str
    replacement_count: int
    grids: list[Grid]
    ocr_pages: int = 0
    ocr_lines: str | None = None
    table_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # grid → its lines in `text`


def _ocr(content: OcrContent, file_type: str) -> Extracted:
    """A document read by OCR, with its page count and span map (a prose figure traced to page and bbox)."""
    lines = json.dumps(content.line_map, separators=(",", ":"))
    return Extracted(content.text, file_type, OCR_ENCODING, "ocr", 0, content.grids, content.ocr_pages, lines)


def _extract(path: Path, raw: bytes, suffix: str) -> Extracted:
    """Dispatch on the bytes first (a `.pdf` that is really HTML is read as HTML), then on the suffix."""
    if raw.startswith(b"%PDF"):
        try:
            content = read_pdf_safely(path)
        except ReaderError as e:
            if e.reason != "image_only_pdf":
                raise
            return _ocr(read_scanned_safely(path), "pdf")  # a scan: every page read by OCR
        if content.scanned:  # some pages are scans: those by OCR, the others from the text layer
            try:
                return _ocr(read_mixed_safely(path, len(content.scanned)), "pdf")
            except ReaderError:
                pass  # a scanned page OCR refuses: the text-layer pages are still the report's (as before)
        return Extracted(content.text, "pdf", "pdf-text-layer", "pdf", 0, content.grids)
    if suffix in IMAGE_SUFFIXES:
        return _ocr(read_image_safely(path), "image")
    if raw.startswith(b"PK\x03\x04") and suffix in DOCX_SUFFIXES:
        content = read_docx_safely(path)
        return Extracted(content.text, "docx", "utf-8", "docx", 0, content.grids)
    if suffix in DOC_SUFFIXES and not looks_like_html(raw[:4096].decode("latin-1")):  # HTML saved as .doc
        content = read_legacy_doc(path)
        return Extracted(content.text, "doc", "utf-8", "doc", 0, content.grids)
    if suffix in PDF_SUFFIXES | DOCX_SUFFIXES and not looks_like_html(raw[:4096].decode("latin-1")):
        kind = "not_a_pdf" if suffix in PDF_SUFFIXES else "not_a_docx"
        raise ReaderError(kind, f"{path.name} does not start like a {suffix[1:].upper()} file")
    decoded = decode_bytes(raw)
    if suffix in HTML_SUFFIXES or looks_like_html(decoded.text):
        page = parse_html(decoded.text)  # one parse for the text and the tables
        text, lines = report_text_tables(page)
        tables = page_tables(page)
        return Extracted(
            text,
            "html",
            decoded.encoding,
            decoded.rule,
            decoded.replacement_count,
            [grid for _, grid in tables],
            table_spans={
                i: lines[table]
                for i, (table, grid) in enumerate(tables)
                if table in lines and holds_all_text(table, grid)
            },
        )
    return Extracted(decoded.text, "txt", decoded.encoding, decoded.rule, decoded.replacement_count, [])

"""Files → documents: hash, type check, decode, extract the report body, normalise.

`document_id` is the sha256 of the raw bytes, so the same bytes are one document wherever they sit. A file
that cannot become text is returned as a quarantine record with a reason code, never raised: the run goes on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from nianbao import PARSER_VERSION
from nianbao.decode import DecodeError, decode_bytes
from nianbao.html_extract import extract_report_text, looks_like_html
from nianbao.normalize import normalize

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
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
    parser_version: str = PARSER_VERSION


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


def discover(paths: list[Path]) -> list[Path]:
    """Expand directories into their files (sorted, hidden files skipped) so runs are deterministic."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(f for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith("."))
        else:
            found.append(p)
    return found


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
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return quarantine("unsupported_type", f"no reader for {suffix or 'files without a suffix'} yet")
    try:
        decoded = decode_bytes(raw)
    except DecodeError as e:
        return quarantine(e.reason, str(e))
    is_html = suffix in HTML_SUFFIXES or looks_like_html(decoded.text)
    original = extract_report_text(decoded.text) if is_html else decoded.text
    norm = normalize(original)
    if len(norm.text) < MIN_TEXT_CHARS:
        return quarantine("no_text", f"only {len(norm.text)} characters of text after extraction")
    return Document(
        document_id=doc_id,
        source_path=str(path),
        source_file=path.name,
        file_type="html" if is_html else "txt",
        byte_size=len(raw),
        encoding=decoded.encoding,
        encoding_rule=decoded.rule,
        replacement_count=decoded.replacement_count,
        script=norm.script,
        pinyin_removed=norm.pinyin_removed,
        original_text=original,
        normalized_text=norm.text,
        offset_map=norm.segments_json(),
    )

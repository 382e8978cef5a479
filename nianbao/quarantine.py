"""The closed list of quarantine reason codes: every input that is not in the warehouse has one of these."""

from __future__ import annotations

REASON_CODES: dict[str, str] = {
    "empty_file": "the file is empty or holds only whitespace",
    "undecodable": "the bytes are in no accepted text encoding (UTF-8/16, GB18030, Big5)",
    "replacement_chars": "decoding left too many U+FFFD replacement characters to trust the text",
    "no_text": "a reader found (almost) no text in the file",
    "not_a_report": "the text is not an open-government-information annual report (listing, error page, other)",
    "unsupported_type": "no reader for this file type",
    "too_large": "the file is over the per-input size cap",
    "unreadable": "the file could not be read from disk",
    "truncated_pdf": "the PDF is cut off or its structure is broken beyond repair",
    "encrypted_pdf": "the PDF needs a password",
    "image_only_pdf": "the PDF has pages but no text layer (a scan: needs OCR)",
    "not_a_pdf": "named .pdf but not a PDF",
    "not_a_docx": "named .docx but not a Word (OOXML) file",
    "ocr_unreadable": "a scanned page cannot be read confidently (a photo at an angle, too coarse, too noisy)",
    "too_many_pages": "a scan with more pages than one annual report has: not OCR'd",
    "not_an_image": "named like a page image (.png/.jpg/.tif) but not one Pillow can open",
    "ocr_engine_missing": "a scan needs Tesseract 5 with chi_sim data (apt: tesseract-ocr tesseract-ocr-chi-sim)",
    "doc_converter_missing": "a Word 97-2003 .doc/.wps needs LibreOffice (soffice), which is not installed",
    "doc_convert_failed": "LibreOffice could not convert the .doc/.wps (corrupt, or not a document it knows)",
    "doc_convert_timeout": "LibreOffice ran past its wall-clock limit converting the .doc/.wps",
    "zip_bomb": "a zip container whose declared sizes or compression ratio are beyond the limits",
    "xml_entity_attack": "XML with a DTD or entity declarations (billion laughs, external entities)",
    "parse_timeout": "a reader ran past its wall-clock limit",
    "parse_memory": "a reader ran past its memory ceiling",
    "reader_error": "a reader failed unexpectedly (a bug: the message has the exception)",
    "parser_error": "the parser failed unexpectedly on this text (a bug: the message has the exception)",
    "duplicate_of": "the same report (same body and year) in another, richer file; the message names it",
    "failed_expectation": "a Great Expectations check at a stage boundary failed for this document",
}

# Reasons that say more about the code or the run than about the file: retried when the code, dbt project or
# suites change (the build fingerprint), or on `nianbao build --retry-quarantined`; others on a new parser version.
TRANSIENT = frozenset(
    {
        "parse_timeout",
        "parse_memory",
        "reader_error",
        "parser_error",
        "unreadable",
        "failed_expectation",
        "doc_converter_missing",
        "doc_convert_timeout",
        "ocr_engine_missing",
    }
)

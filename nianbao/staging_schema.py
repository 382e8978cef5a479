"""DDL of the staging schema: what the parsers hand to dbt. One place, so Python and dbt sources agree.

A warehouse built before a column existed gains it when a build opens it (`staging.create_staging`), so a
column added here later must be nullable or carry a default.
"""

from __future__ import annotations

STAGING_DDL: dict[str, str] = {
    "documents": """
        document_id        varchar primary key,  -- sha256 of the raw bytes
        source_path        varchar not null,     -- path as given to `nianbao build`
        source_file        varchar not null,     -- base name of source_path
        file_type          varchar not null,     -- txt / html
        byte_size          bigint not null,
        encoding           varchar not null,     -- codec that decoded the bytes (strict ladder)
        encoding_rule      varchar not null,     -- which rung of the ladder decided it
        replacement_count  integer not null,     -- U+FFFD in the decoded text
        script             varchar not null,     -- simplified / traditional / none (before OpenCC t2s)
        pinyin_removed     integer not null,     -- mirror-site pinyin groups stripped
        parser_version     varchar not null,
        ocr_pages          integer default 0,    -- pages read by OCR (0: every page had a text layer)
        payload_segment    varchar               -- Parquet segment holding its PAYLOAD_DDL columns (nianbao/payloads.py)
    """,
    "report_metadata": """
        document_id           varchar primary key,
        title                 varchar,
        agency                varchar,
        agency_rule           varchar,
        admin_level           varchar,
        province              varchar,
        province_rule         varchar,
        report_year           integer,
        report_year_rule      varchar,
        report_year_evidence  varchar,
        published_on          date,
        published_on_rule     varchar,
        format_era            varchar,
        parser_version        varchar not null
    """,
    "sections": """
        document_id     varchar not null,
        section_no      integer not null,
        section_key     varchar not null,
        heading         varchar not null,
        span_start      integer not null,
        span_end        integer not null,
        parser_version  varchar not null
    """,
    "prose_facts": """
        document_id     varchar not null,
        fact_no         integer not null,       -- order of the figure in the text
        measure         varchar not null,       -- glossary name (nianbao/glossary.py)
        value           double not null,
        unit            varchar not null,
        approximate     boolean not null,
        sentence        varchar not null,
        span_start      integer not null,       -- char span of the number in normalized_text
        span_end        integer not null,
        orig_span_start integer not null,       -- the same span in original_text
        orig_span_end   integer not null,
        section_key     varchar,
        rule_id         varchar not null,
        rule_rank       integer not null,       -- lower = more specific rule; decides the summary value
        parser_version  varchar not null
    """,
    "table_cells": """
        document_id     varchar not null,
        table_id        varchar not null,       -- t2 表二 proactive / t3 表三 requests / t4 表四 review+litigation
        row_key         varchar not null,       -- stable row key (nianbao/tables/catalog.py), e.g. denied.state_secret
        col_key         varchar not null,       -- stable column key, e.g. natural_person, review.total
        era             varchar,                -- std2019 / std2021 as the table's own labels tell
        row_label       varchar not null,       -- row labels as printed, parents first
        col_label       varchar not null,       -- column labels as printed
        value_raw       varchar not null,       -- the cell text as printed ('' for blank)
        value_num       double,                 -- the number (money in yuan); NULL unless NUMERIC/ZERO
        value_semantic  varchar not null,       -- NUMERIC / ZERO / EMPTY / NA / TEXT
        unit            varchar not null,       -- 件 / 条 / 元
        unit_stated     varchar,                -- the unit as printed when converted (万元)
        source          varchar not null,       -- where the cell is: pdf page+bbox, html/docx coordinates, text span
        grid_index      integer not null,
        grid_row        integer not null,
        grid_col        integer not null,
        page            integer,
        span_start      integer,                -- char span in normalized_text (flattened-text tables)
        span_end        integer,
        rule_id         varchar not null,       -- ….ocr_low_confidence: an OCR reading too doubtful to be a figure
        parser_version  varchar not null,
        ocr_confidence  double,                 -- OCR confidence of the cell's text (0-1); NULL when a text layer gave it
        ocr_first_reading varchar,              -- the first OCR text when a second reading replaced it; else NULL
        ocr_reread      boolean not null default false  -- an identity-guided second reading gave value_raw
    """,
    "parse_issues": """
        document_id     varchar not null,
        issue_no        integer not null,
        issue_code      varchar not null,
        severity        varchar not null,
        measure         varchar,
        message         varchar not null,
        parser_version  varchar not null
    """,
    "quarantine": """
        document_id     varchar not null,       -- sha256 of the bytes (of the path when unreadable)
        source_path     varchar not null,
        stage           varchar not null,       -- ingest / parse / validate
        reason_code     varchar not null,
        message         varchar not null,
        parser_version  varchar not null,
        first_seen      timestamp not null,
        last_seen       timestamp not null,
        primary key (document_id, stage)
    """,
}

# The keys of the per-document tables, left undeclared: a primary key's ART index over millions of rows was
# most of the warehouse file (table_cells' four varchars over 2.5 M rows at 20 000 reports) and of staging's
# time. The one writer keeps them unique by replacing whole documents (batches.stage_batch deletes a
# document's rows before inserting them), and the staging suite (expectations/staging.json) checks each.
UNDECLARED_KEYS: dict[str, tuple[str, ...]] = {
    "sections": ("document_id", "section_no"),
    "prose_facts": ("document_id", "fact_no"),
    "table_cells": ("document_id", "table_id", "row_key", "col_key"),
    "parse_issues": ("document_id", "issue_no"),
}


# A document's payloads: the bulk of the warehouse, written once per document to a Parquet segment beside it
# (nianbao/payloads.py) and read through the view staging.document_payloads, not stored in staging.documents.
PAYLOAD_DDL = """
    document_id        varchar not null,
    original_text      varchar not null,     -- decoded text (HTML: the extracted report body)
    normalized_text    varchar not null,     -- NFKC + t2s + pinyin stripped + whitespace; spans refer to it
    offset_map         varchar not null,     -- JSON [[norm_start, orig_start, length], ...] runs
    grids_json         varchar not null,     -- JSON list of the tables the reader found (nianbao/tables/grid.py)
    ocr_lines          varchar               -- OCR span map of original_text: JSON [[start, end, page, [x0, top, x1, bottom] (points), confidence]]
"""


def ddl_columns(ddl: str) -> dict[str, str]:
    """Column name → its definition as the DDL writes it (comments and table constraints left out)."""
    columns: dict[str, str] = {}
    for line in ddl.splitlines():
        definition = line.split("--", 1)[0].strip().rstrip(",").strip()
        if definition and not definition.lower().startswith("primary key"):
            columns[definition.split()[0]] = definition
    return columns

"""Rows into the `staging` schema: per-batch, in one transaction, delete-then-insert by document_id.

Writes are idempotent: re-staging a document replaces its rows, so a retried or re-run batch never leaves
duplicate keys behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import duckdb

from nianbao import PARSER_VERSION
from nianbao.ingest import Document, Quarantined
from nianbao.model import ParsedReport
from nianbao.normalize import Normalized
from nianbao.payloads import create_store, insert_documents
from nianbao.staging_schema import STAGING_DDL, ddl_columns

PARSED_TABLES = ("report_metadata", "sections", "prose_facts", "table_cells", "parse_issues")


def create_staging(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the staging tables and the payload store; a table from an older warehouse gains the columns
    added since (their defaults) and loses a primary key its DDL no longer declares. Returns whether a table
    was rebuilt: its old blocks stay free in the file until the file is rewritten."""
    con.execute("create schema if not exists staging")
    rebuilt = False
    for name, ddl in STAGING_DDL.items():
        con.execute(f"create table if not exists staging.{name} ({ddl})")
        have = set(_columns(con, name))
        for column, definition in ddl_columns(ddl).items():
            if column not in have:
                con.execute(f"alter table staging.{name} add column {definition}")
        rebuilt |= _drop_undeclared_key(con, name, ddl)
    create_store(con)
    return rebuilt


def _drop_undeclared_key(con: duckdb.DuckDBPyConnection, name: str, ddl: str) -> bool:
    """Rebuild a table whose primary key the DDL dropped (staging_schema.UNDECLARED_KEYS): DuckDB cannot drop
    a constraint, so its rows move to a table made from the DDL, in one transaction."""
    keyed = con.execute(
        """select count(*) from duckdb_constraints() where database_name = current_database()
           and schema_name = 'staging' and table_name = ? and constraint_type = 'PRIMARY KEY'""",
        [name],
    ).fetchone()[0]
    if not keyed or "primary key" in ddl.lower():
        return False
    con.execute("begin")
    try:
        con.execute(f"create table staging._rebuilt_{name} ({ddl})")
        columns = ", ".join(ddl_columns(ddl))
        con.execute(f"insert into staging._rebuilt_{name} ({columns}) select {columns} from staging.{name}")
        con.execute(f"drop table staging.{name}")
        con.execute(f"alter table staging._rebuilt_{name} rename to {name}")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return True


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe staging.{table}").fetchall()]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """Insert dict rows by column name (missing keys become NULL), as one columnar batch."""
    if not rows:
        return 0
    import pandas as pd

    cols = _columns(con, table)
    frame = pd.DataFrame({c: [r.get(c) for r in rows] for c in cols}, dtype=object)  # noqa: F841 (read by SQL)
    con.execute(f"insert into staging.{table} by name select * from frame")
    return len(rows)


def delete_documents(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], document_ids: Sequence[str]
) -> None:
    if not document_ids:
        return
    con.execute(
        "create or replace temp table _ids as select unnest(?::varchar[]) as document_id", [document_ids]
    )
    for t in tables:
        con.execute(f"delete from staging.{t} where document_id in (select document_id from _ids)")


def stage_documents(con: duckdb.DuckDBPyConnection, docs: Sequence[Document]) -> int:
    """Replace these documents (and everything parsed from them) in one transaction; their payloads go to
    a new segment."""
    import pyarrow as pa

    if not docs:
        return 0
    ids = [d.document_id for d in docs]
    con.register("_incoming_documents", pa.Table.from_pylist([asdict(d) for d in docs]))
    con.execute("begin")
    try:
        delete_documents(con, ("documents", *PARSED_TABLES), ids)
        con.execute(
            "delete from staging.quarantine where document_id in (select unnest(?::varchar[]))", [ids]
        )
        n = insert_documents(con, "_incoming_documents")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister("_incoming_documents")
    return n


def parsed_rows(report: ParsedReport, offset_map: str) -> dict[str, list[dict[str, Any]]]:
    """Flatten one parsed report into staging rows, each figure with both its normalised and original span."""
    segs = Normalized("", "", tuple(tuple(s) for s in json.loads(offset_map)), 0)
    doc = report.document_id
    meta = asdict(report.metadata) | {"document_id": doc, "parser_version": PARSER_VERSION}
    sections = [
        {
            "document_id": doc,
            "section_no": i,
            "section_key": s.key,
            "heading": s.heading,
            "span_start": s.start,
            "span_end": s.end,
            "parser_version": PARSER_VERSION,
        }
        for i, s in enumerate(report.sections)
    ]
    section_of = {i: s.key for i, s in enumerate(report.sections)}
    facts = []
    for i, f in enumerate(sorted(report.facts, key=lambda f: (f.span_start, f.measure))):
        o_start, o_end = segs.to_original(f.span_start, f.span_end)
        sec = next(
            (
                k
                for j, k in section_of.items()
                if report.sections[j].start <= f.span_start < report.sections[j].end
            ),
            None,
        )
        facts.append(
            {
                "document_id": doc,
                "fact_no": i,
                "measure": f.measure,
                "value": f.value,
                "unit": f.unit,
                "approximate": f.approximate,
                "sentence": f.sentence,
                "span_start": f.span_start,
                "span_end": f.span_end,
                "orig_span_start": o_start,
                "orig_span_end": o_end,
                "section_key": sec,
                "rule_id": f.rule_id,
                "rule_rank": f.rank,
                "parser_version": PARSER_VERSION,
            }
        )
    cells = []
    for c in report.cells:  # scalar fields: asdict's deep copy is slow, and so are merged dicts (2x this)
        row = vars(c).copy()
        row["table_id"] = row.pop("table")
        row["document_id"] = doc
        row["parser_version"] = PARSER_VERSION
        row["ocr_reread"] = c.ocr_first_reading is not None
        cells.append(row)
    issues = [
        {
            "document_id": doc,
            "issue_no": i,
            "issue_code": x.code,
            "severity": x.severity,
            "measure": x.measure,
            "message": x.message,
            "parser_version": PARSER_VERSION,
        }
        for i, x in enumerate(report.issues)
    ]
    return {
        "report_metadata": [meta],
        "sections": sections,
        "prose_facts": facts,
        "table_cells": cells,
        "parse_issues": issues,
    }


def stage_rows(
    con: duckdb.DuckDBPyConnection,
    document_ids: Sequence[str],
    rows: dict[str, list[dict[str, Any]]],
    quarantined: Sequence[Quarantined],
    at: datetime,
) -> dict[str, int]:
    """Replace the parsed rows of these documents and record quarantines, all in one transaction."""
    counts: dict[str, int] = {}
    con.execute("begin")
    try:
        delete_documents(con, PARSED_TABLES, document_ids)
        for table in PARSED_TABLES:
            counts[table] = insert_rows(con, table, rows.get(table, []))
        upsert_quarantine(con, quarantined, at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return counts


def move_to_quarantine(con: duckdb.DuckDBPyConnection, records: Sequence[Quarantined], at: datetime) -> int:
    """Take documents out of staging (and everything parsed from them) and quarantine them, in one transaction."""
    if not records:
        return 0
    con.execute("begin")
    try:
        delete_documents(con, ("documents", *PARSED_TABLES), [q.document_id for q in records])
        upsert_quarantine(con, records, at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(records)


def upsert_quarantine(con: duckdb.DuckDBPyConnection, records: Sequence[Quarantined], at: datetime) -> int:
    """Record quarantined inputs; a record seen again keeps first_seen and moves last_seen."""
    for q in records:
        con.execute(
            """insert into staging.quarantine values (?, ?, ?, ?, ?, ?, ?, ?)
               on conflict (document_id, stage) do update set
                 source_path = excluded.source_path, reason_code = excluded.reason_code,
                 message = excluded.message, parser_version = excluded.parser_version,
                 last_seen = excluded.last_seen""",
            [q.document_id, q.source_path, q.stage, q.reason_code, q.message, q.parser_version, at, at],
        )
    return len(records)

"""The pipeline's stages as plain functions over a candidate warehouse file, each returning small summaries.

`flows/build_warehouse.py` wraps these in Prefect tasks; keeping them here keeps them testable without Prefect.
"""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from nianbao import PARSER_VERSION
from nianbao.dedupe import Candidate, Duplicate, find_duplicates
from nianbao.ingest import Document, Quarantined, file_id, read_document
from nianbao.parse import NotAReport, parse_text, pool_map
from nianbao.staging import move_to_quarantine, parsed_rows, stage_documents, stage_parsed, upsert_quarantine
from nianbao.warehouse import connect, is_current, known_documents


@dataclass
class IngestSummary:
    seen: int = 0
    new: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0
    new_ids: list[str] = field(default_factory=list)


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def _read(args: tuple[str, str]) -> Document | Quarantined:
    path, doc_id = args
    try:
        return read_document(Path(path), doc_id)
    except Exception as e:  # a reader bug must not take the batch down: quarantine with the trace
        return Quarantined(doc_id, path, "ingest", "reader_error", f"{type(e).__name__}: {e}")


def ingest_batch(
    candidate: Path, paths: list[str], at: datetime, workers: int, retry_transient: bool = False
) -> IngestSummary:
    """Hash every path, skip documents this parser version already holds, decode and normalise the rest."""
    summary = IngestSummary(seen=len(paths))
    with connect(candidate) as con:
        known = known_documents(con, retry_transient)
    todo: list[tuple[str, str]] = []
    batch_ids: set[str] = set()
    for p in paths:
        doc_id = file_id(Path(p))
        if doc_id in batch_ids:
            summary.duplicates += 1
        elif is_current(known, doc_id):
            summary.unchanged += 1
        else:
            batch_ids.add(doc_id)
            todo.append((p, doc_id))
    results = pool_map(_read, todo, workers)
    docs = [r for r in results if isinstance(r, Document)]
    quarantined = [r for r in results if isinstance(r, Quarantined)]
    with connect(candidate) as con:
        stage_documents(con, docs)
        upsert_quarantine(con, quarantined, at)
    summary.new = len(docs)
    summary.quarantined = len(quarantined)
    summary.new_ids = [d.document_id for d in docs]
    return summary


def _parse(args: tuple[str, str, str, str]) -> dict:
    doc_id, text, offset_map, grids_json = args
    try:
        return {"rows": parsed_rows(parse_text(doc_id, text, grids_json), offset_map)}
    except NotAReport as e:
        return {"quarantine": (e.reason, str(e))}
    except Exception as e:  # a parser bug quarantines one document, never the batch
        return {"quarantine": ("parser_error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")}


def parse_batch(candidate: Path, document_ids: list[str], out_file: Path, at: datetime, workers: int) -> dict:
    """Parse staged documents in a process pool; write the rows to one JSON batch file for the stage step."""
    with connect(candidate, read_only=True) as con:
        docs = con.execute(
            """select document_id, normalized_text, offset_map, grids_json, source_path from staging.documents
               where document_id in (select unnest(?::varchar[])) order by document_id""",
            [document_ids],
        ).fetchall()
    results = pool_map(_parse, [(d[0], d[1], d[2], d[3]) for d in docs], workers)
    rows: dict[str, list[dict]] = {}
    quarantined: list[dict] = []
    for (doc_id, _, _, _, path), res in zip(docs, results, strict=True):
        if "quarantine" in res:
            reason, message = res["quarantine"]
            quarantined.append(asdict(Quarantined(doc_id, path, "parse", reason, message)))
            continue
        for table, table_rows in res["rows"].items():
            rows.setdefault(table, []).extend(table_rows)
    batch = {
        "document_ids": [d[0] for d in docs],
        "rows": rows,
        "quarantined": quarantined,
        "at": at.isoformat(),
        "parser_version": PARSER_VERSION,
    }
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(batch, ensure_ascii=False, default=str), encoding="utf-8")
    return {
        "file": str(out_file),
        "parsed": len(docs) - len(quarantined),
        "quarantined": len(quarantined),
        "figures": len(rows.get("prose_facts", [])),
        "cells": len(rows.get("table_cells", [])),
    }


def stage_batch(candidate: Path, batch_file: Path) -> dict[str, int]:
    """Load a parse batch; documents quarantined by the parser leave `staging.documents`."""
    with connect(candidate) as con:
        counts = stage_parsed(con, batch_file)
        con.execute(
            """delete from staging.documents where document_id in
               (select document_id from staging.quarantine where stage = 'parse')"""
        )
    return counts


def quarantine_at_fault(
    candidate: Path, document_ids: list[str], reason: str, message: str, at: datetime
) -> int:
    """Move documents that failed a data expectation out of staging and into quarantine."""
    if not document_ids:
        return 0
    with connect(candidate) as con:
        rows = con.execute(
            "select document_id, source_path from staging.documents where document_id in (select unnest(?::varchar[]))",
            [document_ids],
        ).fetchall()
        return move_to_quarantine(
            con, [Quarantined(r[0], r[1], "validate", reason, message) for r in rows], at
        )


def warehouse_counts(candidate: Path) -> dict[str, int]:
    with connect(candidate, read_only=True) as con:
        return {
            "documents": con.execute("select count(*) from staging.documents").fetchone()[0],
            "figures": con.execute("select count(*) from staging.prose_facts").fetchone()[0],
            "cells": con.execute("select count(*) from staging.table_cells").fetchone()[0],
            "quarantined": con.execute("select count(*) from staging.quarantine").fetchone()[0],
        }


def set_aside_duplicates(candidate: Path, at: datetime) -> list[Duplicate]:
    """Quarantine documents that repeat a richer document of the same body and year as `duplicate_of`."""
    with connect(candidate, read_only=True) as con:
        rows = con.execute(
            """select d.document_id, d.source_path, m.agency, m.report_year, d.normalized_text,
                      (select count(*) from staging.table_cells c where c.document_id = d.document_id)
                    + (select count(*) from staging.prose_facts f where f.document_id = d.document_id)
               from staging.documents d join staging.report_metadata m using (document_id)
               where (m.agency, m.report_year) in (
                   select (agency, report_year) from staging.report_metadata
                   where agency is not null and report_year is not null
                   group by all having count(*) > 1)"""
        ).fetchall()
    dups = find_duplicates([Candidate(*r) for r in rows])
    if not dups:
        return []
    with connect(candidate) as con:
        move_to_quarantine(
            con,
            [
                Quarantined(
                    d.document_id,
                    d.source_path,
                    "dedupe",
                    "duplicate_of",
                    f"duplicate_of {d.duplicate_of} ({d.kept_path}); text similarity {d.similarity}",
                )
                for d in dups
            ],
            at,
        )
    return dups

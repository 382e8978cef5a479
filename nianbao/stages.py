"""The pipeline's stages as plain functions over a candidate warehouse file, each returning small summaries.

`flows/build_warehouse.py` wraps these in Prefect tasks; keeping them here keeps them testable without Prefect.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import duckdb

from nianbao import PARSER_VERSION
from nianbao.batches import start_batch, write_part
from nianbao.build_policy import PART_SIZE
from nianbao.dedupe import Candidate, Duplicate, find_duplicates
from nianbao.ingest import Document, Quarantined, file_id, read_document
from nianbao.parse import POOL_THRESHOLD, NotAReport, parse_text, pool_map
from nianbao.payloads import VIEW as PAYLOADS
from nianbao.quarantine import TRANSIENT
from nianbao.staging import move_to_quarantine, parsed_rows
from nianbao.warehouse import connect

CLAIMS = "meta.run_claims"  # ids this run has claimed so far (a table in the candidate, not a Python set)
# The stream's writer checkpoints when its WAL passes this (DuckDB's default, 16 MB, came every few batches,
# and each checkpoint compressed again the row groups later batches append to: a third of the writer's CPU).
# Commits still sync the WAL; the rows not yet checkpointed are held in memory until then, so not more.
WRITER_CHECKPOINT = "64MB"


@dataclass
class IngestSummary:
    seen: int = 0
    new: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def hash_batch(paths: list[str]) -> list[tuple[str, str]]:
    """(path, document_id) for each file: the id is the sha256 of the bytes."""
    return [(p, file_id(Path(p))) for p in paths]


@contextmanager
def open_writer(candidate: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The stream's one connection to the candidate (claims and staging), checkpointing at WRITER_CHECKPOINT."""
    with connect(candidate) as con:
        con.execute(f"set checkpoint_threshold = '{WRITER_CHECKPOINT}'")
        yield con


def claim_new(
    writer: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]], retry_transient: bool = False
) -> tuple[list[tuple[str, str]], IngestSummary]:
    """The batch's files this run must read: not staged or quarantined by this parser version, not claimed
    by an earlier batch of this run. A join in DuckDB against the batch's ids (the warehouse's ids stay there),
    on the stream's one writer connection to the candidate (`writer`: opening and checkpointing a connection
    per batch cost more than the join).

    With `retry_transient` (the code changed since the last build, or the operator asked), quarantines for
    transient reasons (timeouts, reader bugs, failed expectations) do not count as known: they are tried again.
    """
    summary = IngestSummary(seen=len(pairs))
    first: dict[str, str] = {}
    for path, doc_id in pairs:  # the same bytes twice in one batch
        if doc_id in first:
            summary.duplicates += 1
        else:
            first[doc_id] = path
    writer.execute("create schema if not exists meta")
    writer.execute(f"create table if not exists {CLAIMS} (document_id varchar primary key)")
    rows = writer.execute(
        f"""select i.document_id, i.source_path,
                  exists(select 1 from {CLAIMS} c where c.document_id = i.document_id),
                  exists(select 1 from staging.documents d
                         where d.document_id = i.document_id and d.parser_version = $version)
                  or exists(select 1 from staging.quarantine q
                            where q.document_id = i.document_id and q.parser_version = $version
                              and not ($retry and q.reason_code in (select unnest($transient::varchar[]))))
           from (select unnest($ids::varchar[]) as document_id, unnest($paths::varchar[]) as source_path,
                        unnest(range(len($ids::varchar[]))) as pos) i
           order by i.pos""",
        {
            "ids": list(first),
            "paths": list(first.values()),
            "version": PARSER_VERSION,
            "retry": retry_transient,
            "transient": sorted(TRANSIENT),
        },
    ).fetchall()
    todo = [(path, doc_id) for doc_id, path, claimed, known in rows if not claimed and not known]
    summary.duplicates += sum(1 for r in rows if r[2])
    summary.unchanged += sum(1 for r in rows if not r[2] and r[3])
    writer.execute(f"insert into {CLAIMS} select unnest(?::varchar[])", [[d for _, d in todo]])
    return todo, summary


def release_claims(candidate: Path) -> None:
    """The claims are this run's bookkeeping: gone before dbt sees the candidate."""
    with connect(candidate) as con:
        con.execute(f"drop table if exists {CLAIMS}")


def _read(args: tuple[str, str]) -> Document | Quarantined:
    path, doc_id = args
    try:
        return read_document(Path(path), doc_id)
    except Exception as e:  # a reader bug must not take the batch down: quarantine with the trace
        return Quarantined(doc_id, path, "ingest", "reader_error", f"{type(e).__name__}: {e}")


def _parse(doc: Document) -> dict:
    try:
        return {
            "rows": parsed_rows(parse_text(doc.document_id, doc.normalized_text, doc.grids), doc.offset_map)
        }
    except NotAReport as e:
        return {"quarantine": (e.reason, str(e))}
    except Exception as e:  # a parser bug quarantines one document, never the batch
        return {"quarantine": ("parser_error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")}


def _ingest_parse(args: tuple[str, str]) -> dict:
    """One file through reader and parser in one worker process, with the seconds each took."""
    t0 = time.perf_counter()
    doc = _read(args)
    t1 = time.perf_counter()
    if isinstance(doc, Quarantined):
        return {"quarantine": doc, "read_s": t1 - t0, "parse_s": 0.0}
    res = _parse(doc)
    out: dict[str, Any] = {"document": doc, "read_s": t1 - t0, "parse_s": time.perf_counter() - t1}
    if "quarantine" in res:
        out["quarantine"] = Quarantined(doc.document_id, doc.source_path, "parse", *res["quarantine"])
    else:
        out["rows"] = res["rows"]
    return out


def _ingest_parse_part(args: tuple[list[tuple[str, str]], str, int, datetime]) -> dict[str, Any]:
    """One part of a batch through reader and parser in one worker process, written there as Parquet parts:
    the documents' texts and rows never travel back to the flow's process, only counts and seconds."""
    pairs, url, part, at = args
    rows: dict[str, list[dict]] = {"documents": [], "quarantine": []}
    out = {"ingest_quarantined": 0, "quarantined": 0, "ocr_pages": 0, "read_s": 0.0, "parse_s": 0.0}
    for pair in pairs:
        res = _ingest_parse(pair)
        out["read_s"] += res["read_s"]
        out["parse_s"] += res["parse_s"]
        if doc := res.get("document"):
            rows["documents"].append(asdict(doc))
            out["ocr_pages"] += doc.ocr_pages
        if q := res.get("quarantine"):
            rows["quarantine"].append(asdict(q) | {"first_seen": at, "last_seen": at})
            out["ingest_quarantined"] += q.stage == "ingest"
            out["quarantined"] += q.stage == "parse"
        for table, table_rows in res.get("rows", {}).items():
            rows.setdefault(table, []).extend(table_rows)
    return out | {"rows": write_part(url, part, rows)}


def ingest_parse_batch(
    pairs: list[tuple[str, str]], root: str, index: int, at: datetime, workers: int
) -> dict[str, Any]:
    """Read and parse a batch of claimed files into one Parquet batch under `root`, part by part (a process
    pool of `workers` takes the parts); returns its URL and counts. Touches no warehouse, so it runs on any
    worker that sees the files."""
    started = time.perf_counter()
    url = start_batch(root, index)
    parts = [(pairs[i : i + PART_SIZE], url, k, at) for k, i in enumerate(range(0, len(pairs), PART_SIZE))]
    results = pool_map(_ingest_parse_part, parts, workers if len(pairs) >= POOL_THRESHOLD else 1)
    total = {k: sum(r[k] for r in results) for k in ("ingest_quarantined", "quarantined", "ocr_pages")}
    read_s, parse_s = sum(r["read_s"] for r in results), sum(r["parse_s"] for r in results)
    wall = time.perf_counter() - started
    share = read_s / (read_s + parse_s) if read_s + parse_s else 0.5
    return total | {
        "url": url,
        "read": sum(r["rows"]["documents"] for r in results),
        "figures": sum(r["rows"]["prose_facts"] for r in results),
        "cells": sum(r["rows"]["table_cells"] for r in results),
        "ingest_s": wall * share,  # the batch's wall time, split by what reading and parsing cost
        "parse_s": wall * (1 - share),
    }


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


# Documents whose texts deduplication reads at a time (whole body-years; a bigger body-year alone).
DEDUPE_TEXTS = 2_000


def _body_year_chunks(keys: list[tuple], size: int) -> Iterator[list[list[tuple]]]:
    """`keys` (sorted by body-year: agency, report_year at 2 and 3) as body-year groups, in chunks of about
    `size` documents, never cutting a group."""
    chunk: list[list[tuple]] = []
    for _, group in groupby(keys, key=lambda k: (k[2], k[3])):
        if sum(map(len, chunk)) >= size:
            yield chunk
            chunk = []
        chunk.append(list(group))
    if chunk:
        yield chunk


def set_aside_duplicates(candidate: Path, at: datetime) -> list[Duplicate]:
    """Quarantine documents that repeat a richer document of the same body and year as `duplicate_of`.

    Only body-years holding a document this run claimed can have changed. Their documents' keys and row
    counts come first (small rows, sorted by body-year), then their texts, DEDUPE_TEXTS documents' worth of
    whole body-years at a time: the texts in memory are a chunk's, never the corpus's. (One query joining the
    texts to the groups and sorting them ran out of a 512 MB limit at 100 000 reports: DuckDB built its hash
    table over the payload view's every text.)
    """
    dups: list[Duplicate] = []
    with connect(candidate, read_only=True) as con:
        keys = con.execute(
            f"""with groups as (
                   select agency, report_year from staging.report_metadata
                   where agency is not null and report_year is not null
                   group by all having count(*) > 1 and bool_or(document_id in (select document_id from {CLAIMS}))
               ),
               grouped as (
                   select m.document_id, m.agency, m.report_year
                   from staging.report_metadata m semi join groups using (agency, report_year)
               ),
               cell_counts as (
                   select document_id, count(*) as n from staging.table_cells
                   where document_id in (select document_id from grouped) group by all
               ),
               fact_counts as (
                   select document_id, count(*) as n from staging.prose_facts
                   where document_id in (select document_id from grouped) group by all
               )
               select d.document_id, d.source_path, g.agency, g.report_year, coalesce(c.n, 0) + coalesce(f.n, 0)
               from grouped g join staging.documents d using (document_id)
                    left join cell_counts c using (document_id) left join fact_counts f using (document_id)
               order by g.agency, g.report_year, d.document_id"""
        ).fetchall()
        for chunk in _body_year_chunks(keys, DEDUPE_TEXTS):
            texts = dict(
                con.execute(
                    f"select document_id, normalized_text from {PAYLOADS}"
                    " where document_id in (select unnest(?::varchar[]))",
                    [[k[0] for group in chunk for k in group]],
                ).fetchall()
            )
            for group in chunk:
                dups += find_duplicates([Candidate(*k[:4], texts[k[0]], k[4]) for k in group])
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

"""Write-audit-publish for the warehouse file.

A build never touches the published file: it copies it to a candidate next to it, writes and validates
there, then `os.replace`s the candidate over the published path. A reader holding the old file open keeps
its inode (it sees the old warehouse until it reconnects); a crash leaves the published file as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nianbao import PARSER_VERSION
from nianbao.staging import create_staging

# Readers built on DuckDB 1.4 (BI drivers, IDE plugins) cannot open duckdb 2.0's newest format.
STORAGE_VERSION = "v1.4.0"


def candidate_path(warehouse: Path, run_id: str) -> Path:
    return warehouse.with_name(f".{warehouse.stem}.candidate-{run_id}{warehouse.suffix}")


def start_candidate(warehouse: Path, run_id: str) -> Path:
    """Copy the published warehouse (or create an empty one) to a fresh candidate file."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    cand = candidate_path(warehouse, run_id)
    for stale in (cand, cand.with_name(cand.name + ".wal")):
        stale.unlink(missing_ok=True)
    if warehouse.exists():
        shutil.copy2(warehouse, cand)
        with connect(cand) as con:
            create_staging(con)
    else:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"attach '{cand}' as w (storage_version '{STORAGE_VERSION}')")
            con.execute("use w")
            create_staging(con)
            con.execute("checkpoint w")
        finally:
            con.close()
    return cand


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """document_id → parser_version, for documents staged or quarantined by an earlier run."""
    rows = con.execute(
        """select document_id, parser_version from staging.documents
           union all
           select document_id, parser_version from staging.quarantine"""
    ).fetchall()
    return dict(rows)


def is_current(known: dict[str, str], document_id: str) -> bool:
    return known.get(document_id) == PARSER_VERSION


def publish(candidate: Path, warehouse: Path) -> Path:
    """Checkpoint the candidate, then atomically put it where readers look."""
    with connect(candidate) as con:
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} survived a checkpoint; refusing to publish a file that needs its WAL")
    with candidate.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(candidate, warehouse)
    dir_fd = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return warehouse


def discard(candidate: Path) -> None:
    for p in (candidate, candidate.with_name(candidate.name + ".wal")):
        p.unlink(missing_ok=True)

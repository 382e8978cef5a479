"""Parse batches as Parquet files on a shared path: many writers (pool or Dask workers), one stager.

A batch is a folder `<root>/batch-NNNNN/` with one Parquet file per staging table (`documents`, the parsed
tables, `quarantine`). Workers write them through fsspec (a local folder by default, `s3://…` on a cluster,
`NIANBAO_BATCH_URL`); the build's single writer stages them into DuckDB in one transaction per batch. The
Parquet schema is the staging DDL's (`staging_schema.py`) as DuckDB maps it to Arrow, so a column added
there travels without a change here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from nianbao.staging import PARSED_TABLES, create_staging

BATCH_URL_ENV = "NIANBAO_BATCH_URL"
BATCH_TABLES = ("documents", *PARSED_TABLES, "quarantine")


def batch_root(run_dir: Path, run_id: str, url: str | None = None) -> str:
    """Where this run's batches go: `url` (or $NIANBAO_BATCH_URL) per run, else the run's folder."""
    base = url or os.environ.get(BATCH_URL_ENV)
    return f"{base.rstrip('/')}/{run_id}" if base else str(run_dir)


@cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a staging table, from its DDL (the one owner of its columns and types)."""
    con = duckdb.connect(":memory:")
    try:
        create_staging(con)
        return con.sql(f"select * from staging.{table} limit 0").to_arrow_table().schema
    finally:
        con.close()


def _column(values: list[Any], typ: pa.DataType) -> pa.Array:
    if pa.types.is_temporal(typ) and any(isinstance(v, str) for v in values):  # ISO dates from the parser
        return pa.array(values, pa.string()).cast(typ)
    return pa.array(values, typ)


def to_arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Dict rows as the staging table's columns (a missing key is NULL, a key that is no column is dropped)."""
    schema = arrow_schema(table)
    return pa.Table.from_arrays(
        [_column([r.get(f.name) for r in rows], f.type) for f in schema], schema=schema
    )


def write_batch(root: str, index: int, rows: dict[str, Sequence[dict[str, Any]]]) -> str:
    """Write one batch folder (every table, empty ones too, so the stager never guesses); returns its URL."""
    url = f"{root.rstrip('/')}/batch-{index:05d}"
    fs, path = fsspec.core.url_to_fs(url)
    fs.makedirs(path, exist_ok=True)
    for table in BATCH_TABLES:
        with fs.open(f"{path}/{table}.parquet", "wb") as f:
            pq.write_table(to_arrow(table, rows.get(table, ())), f)
    return url


def _readable(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Let DuckDB read a non-local URL through fsspec (no httpfs extension to download)."""
    fs, _ = fsspec.core.url_to_fs(url)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol not in ("file", "local") and not con.filesystem_is_registered(protocol):
        con.register_filesystem(fs)


def stage_batch(con: duckdb.DuckDBPyConnection, url: str) -> dict[str, int]:
    """Replace the batch's documents and everything parsed from them, in one transaction.

    A document read well replaces its earlier rows and quarantine records; the parser's quarantines leave
    `staging.documents`; a file the reader quarantines again keeps its first_seen. Returns rows per table.
    """
    _readable(con, url)
    files = {t: f"{url}/{t}.parquet" for t in BATCH_TABLES}
    counts: dict[str, int] = {}
    con.execute("begin")
    try:
        con.execute(
            "create or replace temp table _batch_ids as select document_id from read_parquet(?)",
            [files["documents"]],
        )
        for t in ("documents", *PARSED_TABLES, "quarantine"):
            con.execute(f"delete from staging.{t} where document_id in (select document_id from _batch_ids)")
        for t in ("documents", *PARSED_TABLES):
            counts[t] = con.execute(
                f"insert into staging.{t} by name select * from read_parquet(?)", [files[t]]
            ).fetchone()[0]
        counts["quarantine"] = con.execute(
            """insert into staging.quarantine by name select * from read_parquet(?)
               on conflict (document_id, stage) do update set
                 source_path = excluded.source_path, reason_code = excluded.reason_code,
                 message = excluded.message, parser_version = excluded.parser_version,
                 last_seen = excluded.last_seen""",
            [files["quarantine"]],
        ).fetchone()[0]
        counts["documents"] -= con.execute(
            """delete from staging.documents where document_id in
               (select document_id from read_parquet(?) where stage = 'parse')""",
            [files["quarantine"]],
        ).fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return counts


def remove(root: str) -> None:
    """Drop a run's batches once they are in the warehouse (kept on failure, to look at)."""
    fs, path = fsspec.core.url_to_fs(root)
    if fs.exists(path):
        fs.rm(path, recursive=True)

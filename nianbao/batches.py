"""Parse batches as Parquet files on a shared path: many writers (pool or Dask workers), one stager.

A batch is a folder `<root>/batch-NNNNN/` holding one folder per staging table (`documents`, the parsed
tables, `quarantine`) of Parquet parts, `<table>/part-KKKKK.parquet`: each pool task (a part of the batch's
documents) writes its own rows where it parsed them, so only counts travel back to the flow's process. A part
with no rows for a table writes no file for it, and a table with no parts is empty to the stager. Workers
write through fsspec (a local folder by default, `s3://…` on a cluster, `NIANBAO_BATCH_URL`); the build's single
writer stages a batch into DuckDB in one transaction. The Parquet schema is the staging DDL's
(`staging_schema.py`) as DuckDB maps it to Arrow, so a column added there travels without a change here.
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

from nianbao.payloads import DOCUMENTS_WITH_PAYLOADS, insert_documents
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
        relation = DOCUMENTS_WITH_PAYLOADS if table == "documents" else f"staging.{table}"
        return con.sql(f"select * from {relation} limit 0").to_arrow_table().schema
    finally:
        con.close()


def _column(values: list[Any], typ: pa.DataType) -> pa.Array:
    if pa.types.is_temporal(typ) and any(isinstance(v, str) for v in values):  # ISO dates from the parser
        return pa.array(values, pa.string()).cast(typ)
    return pa.array(values, typ)


def to_arrow(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Dict rows as the staging table's columns (a missing key is NULL, a key that is no column is dropped).

    The columns other than dates are converted in one pass over the rows as a struct (in Arrow's C++: a
    Python list per column cost ~1 ms of a synthetic report's ~9 ms in the parse workers, 4× this)."""
    schema = arrow_schema(table)
    rest = pa.array(rows, pa.struct([f for f in schema if not pa.types.is_temporal(f.type)]))
    return pa.Table.from_arrays(
        [
            _column([r.get(f.name) for r in rows], f.type)
            if pa.types.is_temporal(f.type)
            else rest.field(f.name)
            for f in schema
        ],
        schema=schema,
    )


def start_batch(root: str, index: int) -> str:
    """An empty folder for batch `index` (parts left by an earlier attempt would be staged twice); its URL."""
    url = f"{root.rstrip('/')}/batch-{index:05d}"
    fs, path = fsspec.core.url_to_fs(url)
    if fs.exists(path):
        fs.rm(path, recursive=True)
    fs.makedirs(path, exist_ok=True)
    return url


def write_part(url: str, part: int, rows: dict[str, Sequence[dict[str, Any]]]) -> dict[str, int]:
    """Write one part of the batch at `url`: a Parquet file per table that has rows. Returns rows per table."""
    fs, path = fsspec.core.url_to_fs(url)
    counts = {}
    for table in BATCH_TABLES:
        if counts.setdefault(table, len(rows.get(table, ()))):
            fs.makedirs(f"{path}/{table}", exist_ok=True)
            with fs.open(f"{path}/{table}/part-{part:05d}.parquet", "wb") as f:
                pq.write_table(to_arrow(table, rows[table]), f)
    return counts


def batch_parts(url: str) -> dict[str, list[str]]:
    """Each table's part files in the batch at `url`, as URLs DuckDB reads (an empty list: no rows)."""
    fs, path = fsspec.core.url_to_fs(url)
    local = _protocol(fs) in ("file", "local")
    parts: dict[str, list[str]] = {t: [] for t in BATCH_TABLES}
    for found in sorted(fs.glob(f"{path.rstrip('/')}/*/part-*.parquet")):
        table = found.rsplit("/", 2)[-2]
        if table in parts:
            parts[table].append(found if local else fs.unstrip_protocol(found))
    return parts


def _protocol(fs: fsspec.AbstractFileSystem) -> str:
    return fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]


def _readable(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Let DuckDB read a non-local URL through fsspec (no httpfs extension to download)."""
    fs, _ = fsspec.core.url_to_fs(url)
    protocol = _protocol(fs)
    if protocol not in ("file", "local") and not con.filesystem_is_registered(protocol):
        con.register_filesystem(fs)


def stage_batch(con: duckdb.DuckDBPyConnection, url: str) -> dict[str, int]:
    """Replace the batch's documents and everything parsed from them, in one transaction.

    A document read well replaces its earlier rows and quarantine records; the parser's quarantines leave
    `staging.documents`; a file the reader quarantines again keeps its first_seen. Returns rows per table.
    """
    _readable(con, url)
    parts = batch_parts(url)

    def rows(table: str) -> tuple[str, list]:
        """The batch's rows of `table` as SQL and its parameters (no parts: no rows, the table's columns)."""
        if parts[table]:
            return "read_parquet(?)", [parts[table]]
        return f"(select * from staging.{table} where false)", []

    counts: dict[str, int] = {}
    con.execute("begin")
    try:
        sql, params = rows("documents")
        con.execute(f"create or replace temp table _batch_ids as select document_id from {sql}", params)
        # Parsed rows exist only for documents in staging.documents (they are staged and taken out together),
        # and the large tables have no index (staging_schema.UNDECLARED_KEYS): their delete scans every row,
        # so a batch of documents never staged before (a cold build's every batch) skips it.
        staged = con.execute(
            "select count(*) from _batch_ids semi join staging.documents using (document_id)"
        ).fetchone()[0]
        for t in (("documents", *PARSED_TABLES) if staged else ()) + ("quarantine",):
            con.execute(f"delete from staging.{t} where document_id in (select document_id from _batch_ids)")
        sql, params = rows("documents")
        counts["documents"] = insert_documents(con, sql, params) if parts["documents"] else 0
        for t in PARSED_TABLES:
            sql, params = rows(t)
            counts[t] = con.execute(
                f"insert into staging.{t} by name select * from {sql}", params
            ).fetchone()[0]
        sql, params = rows("quarantine")
        counts["quarantine"] = con.execute(
            f"""insert into staging.quarantine by name select * from {sql}
               on conflict (document_id, stage) do update set
                 source_path = excluded.source_path, reason_code = excluded.reason_code,
                 message = excluded.message, parser_version = excluded.parser_version,
                 last_seen = excluded.last_seen""",
            params,
        ).fetchone()[0]
        counts["documents"] -= con.execute(
            f"""delete from staging.documents where document_id in
               (select document_id from {sql} where stage = 'parse')""",
            params,
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

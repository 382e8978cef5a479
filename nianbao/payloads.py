"""Document payloads (texts, offset map, grids, OCR span map) as Parquet segments beside the warehouse file.

They are ~90 % of the warehouse's bytes and never change once written (a document id is the sha256 of its
bytes; a new parser version writes a new row), so they leave the file a build copies: each staged batch
writes its payloads once to a segment `<warehouse dir>/payloads/<warehouse stem>/<name>.parquet` (zstd,
sorted by document_id, fsynced before it is registered); `meta.payload_segments` lists the segments the
file refers to, `staging.documents.payload_segment` names the segment of each document, and the view
`staging.document_payloads` reads them (one row per staged document, from its own segment).

DuckDB resolves a relative path in a view against the reader's working directory, so the view holds
absolute paths, rewritten whenever a build opens the warehouse (`bind_store`): a warehouse moved with its
`payloads/` folder reads again after its next build. Segments are deleted only by `collect_garbage`, under
the build lock, once neither the published file nor a kept version lists them.
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from nianbao.file_clone import clone_file
from nianbao.staging_schema import PAYLOAD_DDL, ddl_columns

PAYLOAD_COLUMNS = tuple(c for c in ddl_columns(PAYLOAD_DDL) if c != "document_id")
VIEW = "staging.document_payloads"
SEGMENTS = "meta.payload_segments"
STORE = "meta.payload_store"  # one row: the segments' folder, relative to the warehouse's directory
_CAST = ", ".join(f"{c}::varchar as {c}" for c in PAYLOAD_COLUMNS)
ROW_GROUP_ROWS = 1024
# Segments listing fewer documents are merged at publish: a cold build's batches become one segment and the
# small segments of incremental builds merge until they reach this size, so the view reads few files and a
# build rewrites at most this many documents' payloads, whatever the warehouse's size.
COMPACT_BELOW = 5_000  # sorted by id, small row groups: a lookup of a few documents skips the rest
# A batch's documents as the parsers write them: staging.documents' columns and the payload columns.
DOCUMENTS_WITH_PAYLOADS = (
    f"(select d.* exclude (payload_segment), p.* exclude (document_id) from staging.documents d"
    f" join {VIEW} p using (document_id))"
)


def store_folder(warehouse: Path) -> str:
    """The segments' folder of the warehouse at `warehouse`, relative to its directory."""
    return f"payloads/{warehouse.stem}"


def copy_warehouse(source: Path, target: Path) -> None:
    """Copy a warehouse file with its segments folder (the file alone cannot be built on: its texts stay behind)."""
    clone_file(source, target)
    store = source.parent / store_folder(source)
    if store.is_dir():
        shutil.copytree(
            store, target.parent / store_folder(target), dirs_exist_ok=True, copy_function=clone_file
        )


def _database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return Path(row[0]).resolve() if row and row[0] else None


def create_store(con: duckdb.DuckDBPyConnection) -> None:
    """The segment list, the store's folder (the file's own name until a build binds it) and the view
    (left as it is when it exists: a build rewrites it in `bind_store`, once it has checked the folder)."""
    con.execute("create schema if not exists meta")
    con.execute(
        f"create table if not exists {SEGMENTS} (segment varchar primary key, documents integer not null,"
        " bytes bigint not null, written_at timestamp not null)"
    )
    con.execute(f"create table if not exists {STORE} (folder varchar not null)")
    if not con.execute(f"select count(*) from {STORE}").fetchone()[0]:
        db = _database_path(con)
        con.execute(f"insert into {STORE} values (?)", [store_folder(db) if db else ""])
    schema, name = VIEW.split(".")
    if not con.execute(
        "select count(*) from duckdb_views() where database_name = current_database() and schema_name = ?"
        " and view_name = ?",
        [schema, name],
    ).fetchone()[0]:
        refresh_view(con)


def bind_store(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Point a candidate of `warehouse` at the warehouse's segments (and fail if a listed one is missing)."""
    con.execute(f"update {STORE} set folder = ?", [store_folder(warehouse)])
    if missing := missing_segments(con):
        raise FileNotFoundError(
            f"{warehouse} lists {len(missing)} payload segment(s) missing from {store_dir(con)}"
            f" (e.g. {missing[0]}): a warehouse file moves or copies together with its payloads folder"
        )
    refresh_view(con)


def store_dir(con: duckdb.DuckDBPyConnection) -> Path:
    db = _database_path(con)
    if db is None:
        raise RuntimeError("payload segments need a warehouse file, not an in-memory database")
    return db.parent / con.execute(f"select folder from {STORE}").fetchone()[0]


def segment_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(f"select segment from {SEGMENTS} order by segment").fetchall()]


def missing_segments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The listed segments that are not in the store's folder (a file moved without its payloads, a lost file)."""
    folder = store_dir(con)
    return [n for n in segment_names(con) if not (folder / n).exists()]


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def refresh_view(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write the view over the listed segments, by absolute path (see the module docstring)."""
    names = segment_names(con)
    columns = ", ".join(f"s.{c}" for c in PAYLOAD_COLUMNS)
    if names:
        folder = store_dir(con)
        files = ", ".join(_quote(str(folder / n)) for n in names)
        body = (
            f"select s.document_id, {columns} from read_parquet([{files}]) s"
            " semi join staging.documents d on d.document_id = s.document_id and d.payload_segment = s.segment"
        )
    else:
        body = "select " + ", ".join(f"null::varchar as {c}" for c in ("document_id", *PAYLOAD_COLUMNS))
        body += " limit 0"
    con.execute(f"create or replace view {VIEW} as {body}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_segment(con: duckdb.DuckDBPyConnection, source: str, params: list | None = None) -> str:
    """Write the payload columns of `source` (SQL over documents with their payloads) to a new segment,
    durable before it returns, and list it; returns its name. The caller's transaction covers the listing."""
    folder = store_dir(con)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.parquet"
    tmp = folder / f".{name}.tmp"
    n = con.execute(
        f"copy (select document_id, ?::varchar as segment, {_CAST} from {source}"
        f" order by document_id) to {_quote(str(tmp))}"
        f" (format parquet, compression zstd, row_group_size {ROW_GROUP_ROWS})",
        [name, *(params or [])],
    ).fetchone()[0]
    _fsync(tmp)
    os.replace(tmp, folder / name)
    _fsync(folder)
    con.execute(
        f"insert into {SEGMENTS} values (?, ?, ?, ?)",
        [name, n, (folder / name).stat().st_size, datetime.now(UTC).replace(tzinfo=None)],
    )
    refresh_view(con)
    return name


def insert_documents(con: duckdb.DuckDBPyConnection, source: str, params: list | None = None) -> int:
    """Insert documents given with their payloads: payloads to a new segment, the rest to staging.documents
    pointing at it. Call inside the caller's transaction (a failure leaves an orphan segment, nothing else)."""
    segment = write_segment(con, source, params)
    return con.execute(
        f"insert into staging.documents by name select * exclude ({', '.join(PAYLOAD_COLUMNS)}),"
        f" ?::varchar as payload_segment from {source}",
        [segment, *(params or [])],
    ).fetchone()[0]


def move_inline(con: duckdb.DuckDBPyConnection) -> int:
    """A warehouse from before the segments keeps its payloads in staging.documents: move them to one
    segment and drop the columns. Returns the documents moved (0: nothing to move)."""
    have = {r[0] for r in con.execute("describe staging.documents").fetchall()}
    inline = [c for c in PAYLOAD_COLUMNS if c in have]
    if not inline:
        return 0
    con.execute("begin")
    try:
        n = con.execute("select count(*) from staging.documents").fetchone()[0]
        if n:
            missing = ", ".join(f"null::varchar as {c}" for c in PAYLOAD_COLUMNS if c not in have)
            source = f"(select *{', ' + missing if missing else ''} from staging.documents)"
            segment = write_segment(con, source)
            con.execute("update staging.documents set payload_segment = ?", [segment])
        for c in inline:
            con.execute(f"alter table staging.documents drop column {c}")
        refresh_view(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return n


def seal(con: duckdb.DuckDBPyConnection) -> None:
    """Before publish: merge the small segments, list only segments some staged document uses (the rest can
    be collected once no version lists them), and check every listed segment is on disk."""
    con.execute("begin")
    try:
        con.execute(
            f"delete from {SEGMENTS} where segment not in"
            " (select payload_segment from staging.documents where payload_segment is not null)"
        )
        _compact(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    if missing := missing_segments(con):
        raise FileNotFoundError(f"payload segment {store_dir(con) / missing[0]} is listed but missing")
    refresh_view(con)


def _compact(con: duckdb.DuckDBPyConnection) -> None:
    """Merge the live rows of the segments smaller than COMPACT_BELOW, oldest first, into new segments of
    about COMPACT_BELOW documents each (in the caller's transaction; the old files stay for the versions
    that list them, until collected). Each merge sorts at most about COMPACT_BELOW documents' payloads: one
    merge of a cold build's every batch sorted all its texts and ran out of a 1 GB limit at 100 000 reports.
    The caller, `seal`, rewrites the view once the list is final."""
    groups: list[list[str]] = [[]]
    total = 0
    for segment, documents in con.execute(
        f"select segment, documents from {SEGMENTS} where documents < ? order by segment", [COMPACT_BELOW]
    ).fetchall():
        groups[-1].append(segment)
        total += documents
        if total >= COMPACT_BELOW:
            groups.append([])
            total = 0
    for small in groups:
        if len(small) < 2:
            continue
        files = ", ".join(_quote(str(store_dir(con) / n)) for n in small)
        merged = write_segment(
            con,
            f"(select s.* exclude (segment) from read_parquet([{files}]) s semi join staging.documents d"
            " on d.document_id = s.document_id and d.payload_segment = s.segment)",
        )
        con.execute(
            "update staging.documents set payload_segment = ?"
            " where payload_segment in (select unnest(?::varchar[]))",
            [merged, small],
        )
        con.execute(f"delete from {SEGMENTS} where segment in (select unnest(?::varchar[]))", [small])


def listed_segments(path: Path) -> set[str]:
    """The segments a warehouse file (published or a kept version) lists; none for one made before them."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        if not con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'payload_segments'"
            " and database_name = current_database()"
        ).fetchone()[0]:
            return set()
        return set(segment_names(con))
    finally:
        con.close()


def collect_garbage(warehouse: Path, kept: list[Path]) -> list[Path]:
    """Delete the segments (and unfinished writes) in the warehouse's folder that no file in `kept` lists.
    Call under the build lock, with no candidate alive: a candidate's segments are listed by no kept file.
    A kept file another process holds open for writing cannot be read: then nothing is deleted this time."""
    folder = warehouse.parent / store_folder(warehouse)
    if not folder.is_dir():
        return []
    keep: set[str] = set()
    for f in kept:
        try:
            keep |= listed_segments(f)
        except duckdb.Error:  # locked by a writer (a `duckdb` shell, say): never delete on a guess
            return []
    removed = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.name not in keep:
            p.unlink()
            removed.append(p)
    return removed

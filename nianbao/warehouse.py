"""Write-audit-publish for the warehouse file.

A build never touches the published file: it copies it to a candidate next to it, writes and validates
there, then `os.replace`s the candidate over the published path. A reader holding the old file open keeps
its inode (it sees the old warehouse until it reconnects); a crash leaves the published file as it was.
The documents' payloads are not in the file (`nianbao/payloads.py`): the copy is of the small tables and
marts, and a build adds segments that only the candidate lists until it is published.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from nianbao import PARSER_VERSION, payloads
from nianbao.file_clone import clone_file
from nianbao.staging import create_staging

# Readers built on DuckDB 1.4 (BI drivers, IDE plugins) cannot open duckdb 2.0's newest format.
STORAGE_VERSION = "v1.4.0"
KEEP_VERSIONS = 3  # published versions kept under versions/ for readers that pin one


LOCK_POLL_S = 0.5  # how often a waiting build tries the lock again


class BuildLocked(RuntimeError):
    """Another build holds the warehouse's lock: two writers would race on publish."""


@contextmanager
def build_lock(warehouse: Path, run_id: str = "", wait_s: float | None = 0.0) -> Iterator[None]:
    """One build per warehouse at a time (an advisory lock next to it; released if the process dies).

    The holder writes its run id, pid and start time into the lock file, so a build that finds the lock held
    can say by whom (`BuildLocked`); `wait_s` waits that long for the holder to finish (None: no limit).
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(f".{warehouse.stem}.lock")
    with lock_path.open("a+", encoding="utf-8") as fh:  # not "w": that would wipe the holder's record
        deadline = time.monotonic() + (float("inf") if wait_s is None else wait_s)
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as e:
                if time.monotonic() >= deadline:
                    raise BuildLocked(f"lock held by {_lock_holder(lock_path)}: {warehouse}") from e
                time.sleep(min(LOCK_POLL_S, max(0.0, deadline - time.monotonic())))
        since = datetime.now(UTC).isoformat(timespec="seconds")
        fh.truncate(0)
        fh.write(json.dumps({"run_id": run_id, "pid": os.getpid(), "since": since}))
        fh.flush()
        try:
            yield
        finally:
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


def _lock_holder(lock_path: Path) -> str:
    """'run R (pid P) since T' from the lock file; the holder may not have written it yet."""
    try:
        h = json.loads(lock_path.read_text(encoding="utf-8"))
        return f"run {h['run_id'] or '?'} (pid {h['pid']}) since {h['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return f"another build (its record in {lock_path} is not readable yet)"


def clean_stale_candidates(warehouse: Path) -> list[Path]:
    """Remove candidates left by killed builds, then the payload segments that neither the published file
    nor a kept version lists (call under the build lock: no live build owns them)."""
    stale = sorted(warehouse.parent.glob(f".{warehouse.stem}.candidate-*"))
    for p in stale:
        p.unlink(missing_ok=True)
    kept = [p for p in (warehouse, *version_paths(warehouse)) if p.exists()]
    return stale + payloads.collect_garbage(warehouse, kept)


def version_paths(warehouse: Path) -> list[Path]:
    """The kept published versions, oldest first (run ids sort by time)."""
    return sorted((warehouse.parent / "versions").glob(f"{warehouse.stem}-*{warehouse.suffix}"))


def candidate_path(warehouse: Path, run_id: str) -> Path:
    return warehouse.with_name(f".{warehouse.stem}.candidate-{run_id}{warehouse.suffix}")


def start_candidate(warehouse: Path, run_id: str) -> Path:
    """Copy the published warehouse (or create an empty one) to a fresh candidate file."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    cand = candidate_path(warehouse, run_id)
    for stale in (cand, cand.with_name(cand.name + ".wal")):
        stale.unlink(missing_ok=True)
    if warehouse.exists():
        clone_file(warehouse, cand)  # a reflink where the filesystem shares blocks (file_clone)
        try:
            with connect(cand) as con:
                rebuilt = create_staging(con)
                payloads.bind_store(con, warehouse)
                moved = payloads.move_inline(con)
            if moved or rebuilt:  # the freed blocks (payloads, dropped keys) stay until the file is rewritten
                _rewrite(cand)
        except Exception:
            discard(cand)
            raise
    else:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"attach '{cand}' as w (storage_version '{STORAGE_VERSION}')")
            con.execute("use w")
            create_staging(con)
            payloads.bind_store(con, warehouse)
            con.execute("checkpoint w")
        finally:
            con.close()
    return cand


def _rewrite(path: Path) -> None:
    """Copy every schema, table and view of `path` into a fresh file (its free blocks left behind)."""
    fresh = path.with_name(path.name + ".rewrite")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        # An in-memory database would spill to ./.tmp: next to the file instead, as a file's own would.
        limit_memory(con, spill_to=path.with_name(path.name + ".tmp"))
        con.execute(f"attach '{path}' as src (read_only)")
        con.execute(f"attach '{fresh}' as dst (storage_version '{STORAGE_VERSION}')")
        con.execute("copy from database src to dst")
        con.execute("checkpoint dst")
    finally:
        con.close()
    os.replace(fresh, path)


# DuckDB's own limit is 80 % of the machine's RAM, and a connection of the build (its one writer, the migration
# of an older file, deduplication, planning, publish, the checks) keeps what it read cached up to it: without a
# limit a cold 20 000-report build's flow process reached 1 278 MB in the stream and 1 900 MB in publish, and
# the 100 000-report build's tree 6.2 GB. Past the limit DuckDB spills to `<file>.tmp` next to the warehouse.
# Set after connecting (a global setting of the database): a connection opened with another `config` next to
# one already open on the same file would be refused. DEFAULT_MEMORY_LIMIT unless $NIANBAO_DUCKDB_MEMORY_LIMIT
# says otherwise: 256 MB held every step at 20 000 reports, but at 100 000 deduplication (since read in chunks)
# and publish's one merge (since in groups) ran out of 512 MB; 1 GB passed the whole cold 100 000 build.
# At 512 MB a cold 20 000-report build's flow process peaked at 732 MB (stream) and 746 MB (publish).
MEMORY_LIMIT_ENV = "NIANBAO_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"


def limit_memory(con: duckdb.DuckDBPyConnection, spill_to: Path | None = None) -> None:
    """$NIANBAO_DUCKDB_MEMORY_LIMIT (else DEFAULT_MEMORY_LIMIT) on `con`'s database; past it DuckDB spills to
    `spill_to` (default: its own, `<file>.tmp`)."""
    con.execute("set memory_limit = ?", [os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT])
    if spill_to is not None:
        con.execute("set temp_directory = ?", [str(spill_to)])


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=read_only)
    limit_memory(con)
    try:
        yield con
    finally:
        con.close()


def publish(candidate: Path, warehouse: Path, run_id: str | None = None) -> Path:
    """Checkpoint the candidate, then atomically put it where readers look (and keep it as a version).

    Its payload segments were fsynced when they were written; the file lists only those it uses. Call under
    the build lock: segments no kept file lists are deleted afterwards."""
    with connect(candidate) as con:
        payloads.seal(con)
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} survived a checkpoint; refusing to publish a file that needs its WAL")
    with candidate.open("rb") as f:
        os.fsync(f.fileno())
    if run_id:
        versions = warehouse.parent / "versions"
        versions.mkdir(exist_ok=True)
        os.link(candidate, versions / f"{warehouse.stem}-{run_id}{warehouse.suffix}")
        for old in version_paths(warehouse)[:-KEEP_VERSIONS]:
            old.unlink(missing_ok=True)
    os.replace(candidate, warehouse)
    dir_fd = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    # segments merged away before this publish, or listed only by versions just dropped (under the build lock)
    payloads.collect_garbage(warehouse, [warehouse, *version_paths(warehouse)])
    return warehouse


def discard(candidate: Path) -> None:
    for p in (candidate, candidate.with_name(candidate.name + ".wal")):
        p.unlink(missing_ok=True)


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the build that produced this warehouse's marts (None before any build)."""
    con.execute("create schema if not exists meta")
    con.execute(
        "create table if not exists meta.builds (run_id varchar primary key, fingerprint varchar not null,"
        " parser_version varchar not null, documents integer not null, built_at timestamp not null)"
    )
    row = con.execute("select fingerprint from meta.builds order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def record_build(candidate: Path, run_id: str, fingerprint: str, at: datetime) -> None:
    with connect(candidate) as con:
        recorded_fingerprint(con)
        n = con.execute("select count(*) from staging.documents").fetchone()[0]
        con.execute(
            "insert into meta.builds values (?, ?, ?, ?, ?)", [run_id, fingerprint, PARSER_VERSION, n, at]
        )

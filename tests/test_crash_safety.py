"""kill -9 at every stage boundary and in the middle of dbt: the published warehouse is never half-written,
and a rerun ends exactly where a clean build does.

Every build is the real `nianbao build` command in its own process group (`start_new_session=True`), so
`os.killpg(pgid, SIGKILL)` takes down the flow, the Prefect temporary server, reader processes and the dbt
subprocess at once, as a power cut or the OOM killer would.

The scenario (shared by the tests below, in order, to stay within a few minutes on two cores):

1. build the seeds → the published warehouse P0; then add one new report to the inbox;
2. a clean build of the same inbox (seeds + new report) into a fresh warehouse → the reference marts;
3. on P0's warehouse, start a build and kill it when the flow logs `stage <name> done`, for each stage in
   order, and once while `dbt build` has been running for about 2 s. Each attempt after the first is a
   rerun after a kill (it finds and removes the candidate the previous one left behind) and must get past
   the point where the previous one died. After every kill nothing of the group survives, and P0 opens
   read-only with the same bytes and the same marts as before the kill;
4. a rerun to completion: marts identical to the reference, no duplicate keys in staging, no candidate left;
5. one more build with nothing new: up to date, marts unchanged (its time is printed).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from nianbao.payloads import listed_segments, store_folder
from nianbao.staging_schema import STAGING_DDL, UNDECLARED_KEYS
from nianbao.warehouse import version_paths
from tests.conftest import FIXTURES, SEEDS
from tests.helpers import mart_checksums

pytestmark = pytest.mark.e2e

NIANBAO = Path(sys.executable).with_name("nianbao")
NEW_REPORT = FIXTURES / "html" / "zj_gzw_2009_gbk.html"
STAGES = ("ingest", "parse", "stage", "validate_inputs", "dbt_build", "validate")
MID_DBT = "mid_dbt"
KILL_POINTS = (*STAGES[:4], MID_DBT, *STAGES[4:])  # in the order a build reaches them
DBT_RUNNING_S = 2.0  # how long dbt runs before the mid-dbt kill
WAIT_S = 240  # longest wait for a kill point or a build
_STAGE_DONE = re.compile(r"stage (\w+) done in")
PREFECT_START_FAILURE = "database is locked"  # the temporary API server on SQLite under load (stack_pitfalls)


def build_env() -> dict[str, str]:
    """The test session's PREFECT_HOME (conftest), INFO logs (the `stage … done` lines), unbuffered output."""
    return os.environ | {"PREFECT_LOGGING_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}


def build_command(inbox: Path, warehouse: Path) -> list[str]:
    return [str(NIANBAO), "build", str(inbox), "--warehouse", str(warehouse), "--json"]


@dataclass
class Finished:
    returncode: int
    summary: dict
    seconds: float
    output: str = field(repr=False)


def run_build(inbox: Path, warehouse: Path) -> Finished:
    """A build to completion; a Prefect start-up failure (`database is locked`, no summary) is retried once."""
    for attempt in (1, 2):
        started = time.perf_counter()
        proc = subprocess.run(
            build_command(inbox, warehouse),
            env=build_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=WAIT_S,
            check=False,
            start_new_session=True,
        )
        seconds = time.perf_counter() - started
        output = "\n" + proc.stdout
        start = output.rfind("\n{\n")
        if start == -1 and attempt == 1 and PREFECT_START_FAILURE in proc.stdout:
            continue
        assert start != -1, f"no JSON summary (exit {proc.returncode}):\n{proc.stdout[-4000:]}"
        summary, _ = json.JSONDecoder().raw_decode(output, start + 1)  # log lines may follow it
        return Finished(proc.returncode, summary, seconds, proc.stdout)
    raise AssertionError("unreachable")


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (non-zombie) processes of a process group, from /proc: (pid, command line)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append((int(entry.name), cmdline.strip()))
    return out


@dataclass
class Kill:
    point: str
    seconds: float  # from start to the kill
    output: str = field(repr=False)
    dbt_pid: int | None = None
    survivors: list[tuple[int, str]] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # candidate files the killed build left behind


class EndedEarly(Exception):
    """The build exited before the kill point (the output says why)."""


def build_and_kill(inbox: Path, warehouse: Path, point: str) -> Kill:
    """`kill_once`, retried once when the build died at start-up of Prefect's temporary server."""
    try:
        return kill_once(inbox, warehouse, point)
    except EndedEarly as e:
        if PREFECT_START_FAILURE not in str(e) or "stage ingest done" in str(e):
            pytest.fail(f"the build ended before {point}:\n{str(e)[-4000:]}")
    return kill_once(inbox, warehouse, point)


def kill_once(inbox: Path, warehouse: Path, point: str) -> Kill:
    """Start a build, SIGKILL its whole process group at `point`, wait until nothing of it is left."""
    proc = subprocess.Popen(
        build_command(inbox, warehouse),
        env=build_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pgid = os.getpgid(proc.pid)
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.put(raw.decode("utf-8", "replace"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    started = time.perf_counter()
    wait_for = "validate_inputs" if point == MID_DBT else point
    dbt_pid = None
    try:
        while True:
            line = lines.get(timeout=max(0.1, WAIT_S - (time.perf_counter() - started)))
            if line is None:
                raise EndedEarly("".join(seen))
            seen.append(line)
            m = _STAGE_DONE.search(line)
            if m and m.group(1) == wait_for:
                break
        if point == MID_DBT:
            while dbt_pid is None and time.perf_counter() - started < WAIT_S:
                dbt_pid = next((pid for pid, cmd in group_members(pgid) if "dbt.cli.main" in cmd), None)
                time.sleep(0.05)
            assert dbt_pid is not None, "dbt never started"
            time.sleep(DBT_RUNNING_S)
            assert any(pid == dbt_pid for pid, _ in group_members(pgid)), "dbt finished before the kill"
        os.killpg(pgid, signal.SIGKILL)
        killed_at = time.perf_counter() - started
    finally:
        if proc.poll() is None:
            os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while (survivors := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    while (line := _drain(lines)) is not None:
        seen.append(line)
    return Kill(point, killed_at, "".join(seen), dbt_pid, survivors, leftovers(warehouse))


def _drain(lines: queue.Queue[str | None]) -> str | None:
    try:
        return lines.get_nowait()
    except queue.Empty:
        return None


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def staging_keys() -> dict[str, list[str]]:
    """Key columns of every staging table: its DDL's primary key, or the key the writer keeps undeclared."""
    keys = {t: list(key) for t, key in UNDECLARED_KEYS.items()}
    for table, ddl in STAGING_DDL.items():
        if table in keys:
            continue
        composite = re.search(r"primary key \(([^)]+)\)", ddl)
        if composite:
            keys[table] = [c.strip() for c in composite.group(1).split(",")]
        else:
            keys[table] = [m.group(1) for m in re.finditer(r"^\s*(\w+)\s+\w+\s+primary key", ddl, re.M)]
    return keys


def leftovers(warehouse: Path) -> list[str]:
    """Candidate files and WALs a build left next to the published warehouse."""
    return sorted(
        p.name
        for p in warehouse.parent.iterdir()
        if p.name.startswith(f".{warehouse.stem}.candidate-") or p.name.endswith(".wal")
    )


@dataclass
class Lab:
    inbox: Path
    warehouse: Path  # the one that gets killed
    reference: Path  # a clean build of the same inbox
    published_sha: str  # P0, before any kill
    published_marts: dict[str, str]
    reference_marts: dict[str, str]
    kills: dict[str, Kill] = field(default_factory=dict)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    root = tmp_path_factory.mktemp("crash")
    inbox = root / "inbox"
    shutil.copytree(SEEDS, inbox)
    warehouse = root / "killed" / "warehouse.duckdb"
    first = run_build(inbox, warehouse)
    assert first.returncode == 0 and first.summary["ok"] and first.summary["published"], first.output[-4000:]
    print(f"\nseeds build: {first.seconds:.1f}s")
    shutil.copy(NEW_REPORT, inbox / NEW_REPORT.name)
    reference = root / "clean" / "warehouse.duckdb"
    clean = run_build(inbox, reference)
    assert clean.returncode == 0 and clean.summary["ok"] and clean.summary["published"], clean.output[-4000:]
    print(f"clean build of seeds + new report: {clean.seconds:.1f}s")
    return Lab(
        inbox,
        warehouse,
        reference,
        file_sha256(warehouse),
        mart_checksums(warehouse),
        mart_checksums(reference),
    )


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_leaves_the_published_warehouse_whole(lab: Lab, point: str) -> None:
    kill = build_and_kill(lab.inbox, lab.warehouse, point)
    lab.kills[point] = kill
    print(
        f"\nkilled at {point} after {kill.seconds:.1f}s"
        + (f" (dbt pid {kill.dbt_pid} running {DBT_RUNNING_S:g}s)" if kill.dbt_pid else "")
        + f", left behind: {kill.leftovers or 'nothing'}"
    )
    assert kill.survivors == [], f"processes of the killed build still run: {kill.survivors}"
    assert not (lab.warehouse.parent / f"{lab.warehouse.name}.wal").exists()
    con = duckdb.connect(str(lab.warehouse), read_only=True)  # opens, read-only, no lock held by anyone
    con.close()
    if point == "validate" and file_sha256(lab.warehouse) != lab.published_sha:
        # The kill landed after publish's atomic rename: the new warehouse, whole. Anything else is a failure.
        assert mart_checksums(lab.warehouse) == lab.reference_marts
        pytest.skip("the kill came after publish: the published file is the complete new warehouse")
    assert file_sha256(lab.warehouse) == lab.published_sha
    assert mart_checksums(lab.warehouse) == lab.published_marts


def test_rerun_after_the_kills_matches_a_clean_build(lab: Lab) -> None:
    done = run_build(lab.inbox, lab.warehouse)
    s = done.summary
    print(f"\nrerun after {len(lab.kills)} kills: {done.seconds:.1f}s")
    assert done.returncode == 0 and s["ok"], (s["failures"], done.output[-4000:])
    if s["published"]:
        assert (s["documents_seen"], s["documents_new"], s["documents_unchanged"]) == (6, 1, 5)
    assert mart_checksums(lab.warehouse) == lab.reference_marts
    assert leftovers(lab.warehouse) == []
    # the killed builds' payload segments were collected: only segments a kept file lists remain
    kept = [lab.warehouse, *version_paths(lab.warehouse)]
    listed = set().union(*(listed_segments(f) for f in kept))
    assert {p.name for p in (lab.warehouse.parent / store_folder(lab.warehouse)).iterdir()} == listed
    last = lab.kills.get(KILL_POINTS[-1])
    for name in last.leftovers if last else []:  # the rerun found what the last kill left, and said so
        if ".candidate-" in name and not name.endswith(".wal"):
            assert f"removed {name}" in done.output
    con = duckdb.connect(str(lab.warehouse), read_only=True)
    try:
        for table, key in staging_keys().items():
            cols = ", ".join(key)
            dups = con.execute(
                f"select {cols}, count(*) from staging.{table} group by all having count(*) > 1"
            ).fetchall()
            assert dups == [], (table, dups[:5])
        n = con.execute("select count(*) from staging.documents").fetchone()[0]
        assert n == 6
    finally:
        con.close()


def test_second_build_with_nothing_new_is_up_to_date(lab: Lab) -> None:
    before = mart_checksums(lab.warehouse)
    sha = file_sha256(lab.warehouse)
    again = run_build(lab.inbox, lab.warehouse)
    s = again.summary
    print(f"\nno-change rerun: {again.seconds:.1f}s (stages {s['stage_seconds']})")
    assert again.returncode == 0 and s["ok"] and s["up_to_date"] and not s["published"], again.output[-4000:]
    assert (s["documents_seen"], s["documents_new"], s["documents_unchanged"]) == (6, 0, 6)
    assert mart_checksums(lab.warehouse) == before
    assert file_sha256(lab.warehouse) == sha  # not even rewritten
    assert leftovers(lab.warehouse) == []

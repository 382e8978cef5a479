"""Run `dbt build` (seed + run + test) on a DuckDB warehouse and summarise what happened.

    from pathlib import Path
    from nianbao.dbt_build import run_dbt_build

    result = run_dbt_build(Path("build/warehouse.duckdb"))
    if not result.success:
        print(result.failed_nodes, result.stderr_tail)

dbt runs in a subprocess (what the `dbt` console script runs, with this interpreter; `warm_up` starts it
early), so its global state, logging and DuckDB connection never leak into the caller. The warehouse file
must not be open in another process while it runs (DuckDB allows one writer or many readers). Artefacts
(run_results.json, manifest, compiled SQL, logs) go under `target_dir`, never into the repository. A failing
build raises nothing: the result says what failed and the caller decides.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
TAIL_CHARS = 4000
# What a dbt process runs: the `dbt` console script's `cli`, given its command and environment as one JSON
# line on stdin, so a process can be started ahead of its command (`warm_up`) and import dbt and the adapter
# (~10 s on the loaded box) while the build still works. (`python -m dbt.cli.main` warns: dbt.cli imports main.)
# (Freezing its objects to skip the exit's last garbage collection saved seconds, but then DuckDB's nanobind
# reports their instances as leaked on stderr, after dbt's own last line.)
_DBT_WAITING = (
    "import json, os, sys\n"
    "from dbt.cli.main import cli\n"
    "import dbt.adapters.duckdb\n"  # the adapter's plugin (dbt's "Registered adapter": ~3.5 s on the loaded box)
    "line = sys.stdin.readline()\n"
    "if not line:\n"
    "    sys.exit(0)\n"
    "job = json.loads(line)\n"
    "os.environ.clear()\n"
    "os.environ.update(job['env'])\n"
    "cli(job['args'], prog_name='dbt')\n"
)
_warm: tuple[subprocess.Popen, Path] | None = None  # (the waiting process, its working directory)
# An incremental run leaves out the unit tests (they test the SQL, not the data), the seeds, the models that
# read only seeds (tag seeds_only) and the views: the same code loaded the seeds and built those in the full
# build (a view is only its SQL, and the code is the same), so they and the tests reading only them would do
# what they did then (cautious: a test reading a model and a seed still runs). The tests of the views run:
# the data under them changed. dbt keeps the order of the nodes it runs through the ones it leaves out (a
# test of a view runs after the tables it reads).
INCREMENTAL_SELECT = "config.materialized:incremental config.materialized:table resource_type:test"
INCREMENTAL_ARGS = ["--exclude-resource-type", "unit_test", "--exclude", "resource_type:seed tag:seeds_only"]
# A batch this small runs on two dbt threads: its queries are small, so one node's SQL runs while dbt prepares
# the next (each query keeps the profile's one DuckDB thread). A larger one runs its queries one at a time
# under the profile's memory limit, as a full build does.
SMALL_BATCH = 5_000  # documents
# The name dbt opens every warehouse under (stable_path): the profile's path, and so its database name.
STABLE_NAME = "warehouse.duckdb"


@dataclass(frozen=True)
class DbtBuildResult:
    """What one `dbt build` did, read from its run_results.json."""

    success: bool  # dbt exited 0 and no node errored or failed (warnings are allowed)
    returncode: int
    models_built: int
    seeds_loaded: int
    tests_passed: int  # data tests and unit tests together
    tests_warned: int
    tests_failed: int
    tests_errored: int
    nodes_skipped: int  # skipped because something upstream failed
    failed_nodes: tuple[str, ...]  # names of nodes that failed or errored (tests, models, seeds)
    failed_models: tuple[str, ...]  # the models, seeds and snapshots among them: what did not build
    warned_nodes: tuple[str, ...]  # names of tests that warned (e.g. identity_holds: a source anomaly)
    messages: tuple[str, ...]  # "name [status]: message" for each node that warned, failed or errored
    elapsed_s: float  # wall clock of the subprocess, start-up included
    target_dir: Path  # where run_results.json, manifest.json and logs/ are
    stderr_tail: str  # last part of dbt's console output (stdout and stderr: dbt logs errors to stdout)


def run_dbt_build(
    warehouse: Path,
    *,
    project_dir: Path | None = None,
    target_dir: Path | None = None,
    timeout_s: float | None = None,
    select: str | None = None,
    incremental: bool = False,
) -> DbtBuildResult:
    """Run `dbt build` against the DuckDB file `warehouse` and return a summary of run_results.json.

    `target_dir` defaults to `<warehouse dir>/dbt`; dbt's target path is that folder, its logs go to
    `<target_dir>/logs`. `project_dir` defaults to the repository's `dbt_project/`. `select` narrows the
    build to a dbt node selection (e.g. `+check_results` to compute one report's checks); only tests whose
    parents are all selected run (`--indirect-selection cautious`). The marts with rows per document are
    rebuilt in full (`--full-refresh`) unless `incremental`: then only the documents of `meta.build_batch`
    (nianbao.incremental.plan_build_batch, which the caller ran on this file) are recomputed, the data tests
    on those marts read the batch's rows (macros/test_scope.sql) and the unit tests, seeds and views are left
    to the full builds (INCREMENTAL_ARGS, INCREMENTAL_SELECT).
    """
    warehouse = Path(warehouse).resolve()
    project_dir = Path(project_dir or PROJECT_DIR).resolve()
    target_dir = Path(target_dir or warehouse.parent / "dbt").resolve()
    log_dir = target_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    run_results = target_dir / "run_results.json"
    run_results.unlink(missing_ok=True)  # never read a previous build's results

    selection = select or (INCREMENTAL_SELECT if incremental else None)
    started = time.perf_counter()
    with stable_path(warehouse, target_dir) as path:
        returncode, output, timed_out = run_dbt(
            [
                "build",
                *(INCREMENTAL_ARGS + _threads(warehouse) if incremental else ["--full-refresh"]),
                *(["--select", selection] if selection else []),
                *(["--indirect-selection", "cautious"] if select or incremental else []),
            ],
            warehouse=path,
            project_dir=project_dir,
            target_dir=target_dir,
            log_dir=log_dir,
            timeout_s=timeout_s,
        )
    if timed_out:  # exit code -9
        output += f"\n[nianbao] dbt build killed after {timeout_s}s"
    elapsed = time.perf_counter() - started

    results = _read_results(run_results)
    return summarise(results, returncode=returncode, elapsed_s=elapsed, target_dir=target_dir, output=output)


def _threads(warehouse: Path) -> list[str]:
    """dbt's --threads for the incremental run of `warehouse`'s batch (SMALL_BATCH)."""
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return []
    try:
        n = con.execute("select count(*) from meta.build_batch").fetchone()[0]
    except duckdb.Error:  # no batch: dbt builds everything
        return []
    finally:
        con.close()
    return ["--threads", "2"] if n < SMALL_BATCH else []


@contextmanager
def stable_path(warehouse: Path, target_dir: Path) -> Iterator[Path]:
    """`warehouse` under the same path in every build into `target_dir`: a hard link named STABLE_NAME there.

    dbt parses the whole project again (~15 s on a loaded box) when the profile's connection changes, and
    the path is part of it: every build writes a new candidate file. Under one path, dbt's partial parse
    (target_dir/partial_parse.msgpack) carries over. A hard link, not a symlink: DuckDB resolves a symlink
    and would name the catalog after the candidate, not after the path dbt knows. A WAL left next to the
    link (dbt killed before its checkpoint) goes back next to the candidate, where DuckDB looks for it;
    a stale link or WAL from a killed caller is removed first, and so is DuckDB's spill folder (`<link>.tmp`,
    its default temp_directory; ~1 GB at 20 000 reports), which a killed dbt leaves behind. On another
    filesystem (no hard link), the candidate's own path.
    """
    link = target_dir / STABLE_NAME
    wal = link.with_name(link.name + ".wal")
    spill = link.with_name(link.name + ".tmp")
    link.unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    shutil.rmtree(spill, ignore_errors=True)
    try:
        os.link(warehouse, link)
    except OSError:  # another filesystem, or no file yet (dbt creates it)
        yield warehouse
        return
    try:
        yield link
    finally:
        if wal.exists():
            os.replace(wal, warehouse.with_name(warehouse.name + ".wal"))
        link.unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)


def run_dbt(
    args: list[str],
    *,
    warehouse: Path,
    project_dir: Path,
    target_dir: Path,
    log_dir: Path,
    timeout_s: float | None,
) -> tuple[int, str, bool]:
    """One dbt command in a subprocess on `warehouse`: (exit code, console output, timed out).

    The one place that knows how dbt is invoked here (interpreter, profile, no tracking, artefact paths), for
    `dbt build` and `dbt docs generate` alike.
    """
    job = {
        "env": _env(project_dir) | {"NIANBAO_WAREHOUSE": str(warehouse)},
        "args": [
            *args,
            "--project-dir", str(project_dir),
            "--profiles-dir", str(project_dir),
            "--target-path", str(target_dir),
            "--log-path", str(log_dir),
            "--no-use-colors",
        ],
    }  # fmt: skip
    proc = _take_warm(project_dir) or _spawn(project_dir)
    try:
        output, _ = proc.communicate(json.dumps(job) + "\n", timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        return -9, output or "", True
    return proc.returncode, output, False


def warm_up(project_dir: Path | None = None) -> None:
    """Start the next dbt command's process now: its imports overlap the build's work until `run_dbt` hands it
    the command (a build calls this once it knows the marts are built by this code). Idempotent."""
    global _warm
    project_dir = Path(project_dir or PROJECT_DIR).resolve()
    if _warm is None or _warm[0].poll() is not None:
        _warm = (_spawn(project_dir), project_dir)


def cool_down() -> None:
    """End a warmed process no command was given to (the build stopped before dbt)."""
    if proc := _take_warm(None):
        proc.communicate("")  # an empty line: it exits without running anything


def _take_warm(project_dir: Path | None) -> subprocess.Popen | None:
    """The warmed process, if one is alive (for `project_dir`, unless None); it is handed out once."""
    global _warm
    warm, _warm = _warm, None
    if warm is None:
        return None
    proc, cwd = warm
    if proc.poll() is None and project_dir in (None, cwd):
        return proc
    if proc.poll() is None:
        proc.communicate("")
    return None


def _spawn(project_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _DBT_WAITING],
        cwd=project_dir,
        env=_env(project_dir),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def _env(project_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DBT_PROFILES_DIR": str(project_dir),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def summarise(
    results: Iterable[dict], *, returncode: int, elapsed_s: float, target_dir: Path, output: str
) -> DbtBuildResult:
    """Fold the `results` entries of a run_results.json into a DbtBuildResult."""
    counts = dict.fromkeys(("models", "seeds", "passed", "warned", "failed", "errored", "skipped"), 0)
    failed: list[str] = []
    failed_models: list[str] = []
    warned: list[str] = []
    messages: list[str] = []
    for entry in results:
        uid = str(entry.get("unique_id", ""))
        kind = uid.split(".", 1)[0]  # model / seed / test / unit_test
        status = str(entry.get("status", "")).lower()
        name = node_name(uid)
        if status in ("success", "pass"):
            counts[{"model": "models", "seed": "seeds"}.get(kind, "passed")] += 1
            continue
        if status == "skipped":  # a consequence of a failure upstream, which has its own message
            counts["skipped"] += 1
            continue
        messages.append(f"{name} [{status}]: {entry.get('message') or ''}".rstrip())
        if status == "warn":
            counts["warned"] += 1
            warned.append(name)
        else:  # fail, error, runtime error: a test that failed, or a model / seed that did not build
            failed.append(name)
            if kind in ("test", "unit_test"):
                counts["failed" if status == "fail" else "errored"] += 1
            else:
                failed_models.append(name)
    return DbtBuildResult(
        success=returncode == 0 and not failed and sum(counts.values()) > 0,
        returncode=returncode,
        models_built=counts["models"],
        seeds_loaded=counts["seeds"],
        tests_passed=counts["passed"],
        tests_warned=counts["warned"],
        tests_failed=counts["failed"],
        tests_errored=counts["errored"],
        nodes_skipped=counts["skipped"],
        failed_nodes=tuple(failed),
        failed_models=tuple(failed_models),
        warned_nodes=tuple(warned),
        messages=tuple(messages),
        elapsed_s=round(elapsed_s, 2),
        target_dir=target_dir,
        stderr_tail=output[-TAIL_CHARS:],
    )


def node_name(unique_id: str) -> str:
    """`test.nianbao.not_null_x.1a2b3c` → `not_null_x`; `model.nianbao.dim_report` → `dim_report`."""
    parts = unique_id.split(".")
    if parts[0] == "test" and len(parts) >= 3:
        return parts[2]
    return parts[-1]


def _read_results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []

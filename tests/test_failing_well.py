"""A failed `nianbao build` ends with its run summary and one line naming the cause, with the cause's exit code.

Real parts only: the lock is held by another process, the disk is really full (a small tmpfs mounted for the
test, which needs root with CAP_SYS_ADMIN: skipped elsewhere), the file-size limit is a real RLIMIT_FSIZE, and
dbt really fails on a broken model in a copy of the project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from nianbao import failures
from nianbao.dbt_build import PROJECT_DIR, run_dbt_build
from nianbao.warehouse import BuildLocked, build_lock, start_candidate
from tests.conftest import ROOT, SEEDS

ONE_SEED = SEEDS / "003_6f43bf410af91967.txt"
NIANBAO = [sys.executable, "-c", "import sys; from nianbao.cli import main; sys.exit(main())"]
LINE = re.compile(r"^nianbao build failed \((\w+), exit (\d+)\): (.+)$")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Each build its own Prefect home: two ephemeral API servers on one SQLite file lock each other out."""
    home = tmp_path / f"prefect-{time.monotonic_ns()}"
    return (
        os.environ
        | {"PREFECT_HOME": str(home), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
        | extra
    )


def _build(tmp_path: Path, *args: str, env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [*NIANBAO, "build", *args],
        cwd=ROOT,
        env=env or _env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def _finish(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _last_line(err: str) -> tuple[str, int, str]:
    m = LINE.match(err.rstrip("\n").splitlines()[-1])
    assert m, err[-3000:]
    return m.group(1), int(m.group(2)), m.group(3)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """Another process holding the build lock of `tmp_path/w.duckdb` as run `run-held` until told to stop."""
    wh = tmp_path / "w.duckdb"
    code = (
        "import sys; from pathlib import Path; from nianbao.warehouse import build_lock\n"
        f"with build_lock(Path({str(wh)!r}), 'run-held'):\n"
        "    print('held', flush=True); sys.stdin.readline()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    yield wh, proc
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(30)


def test_the_lock_file_names_its_holder_and_a_second_taker_is_told(holder) -> None:
    wh, proc = holder
    with pytest.raises(BuildLocked) as e, build_lock(wh, "run-second"):
        pass
    assert re.fullmatch(
        rf"lock held by run run-held \(pid {proc.pid}\) since \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00: {re.escape(str(wh))}",
        str(e.value),
    )
    assert failures.from_exception(e.value).exit_code == 4


def test_a_build_on_a_locked_warehouse_names_the_lock_and_waits_with_wait(holder, tmp_path: Path) -> None:
    wh, proc = holder
    refused = _build(tmp_path, str(ONE_SEED), "--warehouse", str(wh))
    waiting = _build(tmp_path, str(ONE_SEED), "--warehouse", str(wh), "--wait", "900")
    code, out, err = _finish(refused)
    assert code == 4, err[-3000:]
    cause, exit_code, detail = _last_line(err)
    assert (cause, exit_code) == ("lock_held", 4)
    assert detail.startswith(f"lock held by run run-held (pid {proc.pid}) since ")
    assert "nianbao build FAILED (run " in out and "FAILURE     lock held by run run-held" in out
    _wait_for_open(waiting.pid, wh.with_name(".w.lock"))  # the --wait build is in the lock's queue
    proc.stdin.close()
    proc.wait(30)
    code, out, err = _finish(waiting)
    assert code == 0, (out[-3000:], err[-3000:])
    assert "nianbao build OK (run " in out and wh.exists()


def _wait_for_open(pid: int, path: Path, timeout: float = 600) -> None:
    """Until process `pid` has `path` open (a build waiting for the lock holds the lock file open)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fds = Path(f"/proc/{pid}/fd")
        try:
            if any(os.readlink(fd) == str(path) for fd in fds.iterdir()):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"process {pid} never opened {path}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB tmpfs: a build of the seeds needs more (DuckDB, dbt artefacts, data docs)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_disk_too_small_for_the_build_fails_before_the_candidate(small_disk: Path, tmp_path: Path) -> None:
    wh = small_disk / "w.duckdb"
    code, out, err = _finish(_build(tmp_path, str(SEEDS), "--warehouse", str(wh)))
    assert code == 5, err[-3000:]
    cause, _, detail = _last_line(err)
    assert cause == "disk_full"
    assert re.fullmatch(
        r"OSError: \[Errno 28\] No space left on device: the build needs about 256 MB in \S+ \(warehouse copy"
        r" \+ [\d.]+ MB of new inputs × 4 \+ NIANBAO_MIN_FREE_MB\), [0-3] MB are free",
        detail,
    ), detail
    assert "nianbao build FAILED" in out and "NOT published" in out
    assert not list(small_disk.glob(".w.candidate-*"))  # refused before it was made


def test_a_disk_that_fills_during_the_build_names_disk_full(small_disk: Path, tmp_path: Path) -> None:
    wh = small_disk / "w.duckdb"
    env = _env(tmp_path, NIANBAO_MIN_FREE_MB="0")  # past the early check: the disk fills while building
    code, out, err = _finish(_build(tmp_path, str(SEEDS), "--warehouse", str(wh), env=env))
    assert code == 5, err[-3000:]
    cause, _, detail = _last_line(err)
    assert cause == "disk_full" and "No space left on device" in detail
    assert "FAILURE     " in out and not wh.exists()


def test_a_file_size_limit_on_the_warehouse_is_disk_full(tmp_path: Path) -> None:
    """RLIMIT_FSIZE needs no privilege (CI without mounts): DuckDB's write fails with EFBIG, 'File too large'.

    In a child that only runs DuckDB: under a whole build the limit first hits Prefect's SQLite file, whose
    driver reports a bare 'disk I/O error' (cause `failed`, the line quotes it).
    """
    code = (
        "import resource, duckdb; from nianbao import failures\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
        f"con = duckdb.connect({str(tmp_path / 'w.duckdb')!r})\n"
        "try:\n"
        "    con.execute(\"create table t as select repeat('x', 100) || range as s from range(200000)\")\n"
        "    con.execute('checkpoint')\n"
        "except duckdb.Error as e:\n"
        "    print(failures.from_exception(e).line())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    cause, exit_code, detail = _last_line(out)
    assert (cause, exit_code) == ("disk_full", 5) and detail.endswith("File too large"), detail


def test_duckdb_no_space_is_named_over_its_secondary_rollback_error(small_disk: Path) -> None:
    con = duckdb.connect(str(small_disk / "x.duckdb"))
    try:
        with pytest.raises(duckdb.Error) as e:
            try:
                con.execute("begin")
                con.execute("create table t as select repeat('x', 100) || range as s from range(200000)")
                con.execute("commit")
            except duckdb.Error:
                con.execute("rollback")  # what a transaction wrapper does: it fails too
    finally:
        con.close()
    assert "cannot rollback - no transaction is active" in str(e.value)
    failure = failures.from_exception(e.value)
    assert failure.cause == "disk_full" and failure.exit_code == 5
    assert failure.detail.endswith("No space left on device") and "Failed to commit" in failure.detail


def test_a_dbt_model_that_fails_is_named(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    model = project / "models" / "staging" / "stg_documents.sql"
    model.write_text("select no_such_column from {{ source('staging', 'documents') }}\n", encoding="utf-8")
    wh = start_candidate(tmp_path / "w.duckdb", "dbt-test")
    dbt = run_dbt_build(wh, project_dir=project, target_dir=tmp_path / "dbt", select="stg_documents+1")
    assert not dbt.success and dbt.failed_models == ("stg_documents",)
    failure = failures.dbt_failure(dbt)
    assert (failure.cause, failure.exit_code) == ("dbt_failed", 6)
    assert failure.detail.startswith("dbt failed in model stg_documents: ")
    assert "no_such_column" in failure.detail


def test_a_run_that_ends_unpublished_takes_its_first_failures_cause() -> None:
    from nianbao.summary import BuildSummary

    s = BuildSummary(warehouse="w", run_id="r")
    assert failures.from_summary(s) == failures.Failure("failed", "the warehouse was not published")
    s.fail(failures.EXPECTATIONS_FAILED, "staging expectations failed: documents.* expect_x")
    s.fail(failures.DBT_FAILED, "dbt failed in model m: boom")
    failure = failures.from_summary(s)
    assert (failure.cause, failure.exit_code) == ("expectations_failed", 7)
    assert failure.line() == (
        "nianbao build failed (expectations_failed, exit 7): staging expectations failed: documents.* expect_x"
    )
    assert failures.from_summary(BuildSummary(warehouse="w", run_id="r", up_to_date=True)) is None

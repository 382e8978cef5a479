"""`nianbao serve` runs the build on a schedule end to end: a real Prefect server (started by `nianbao serve`
in a temporary PREFECT_HOME), a 10-second interval, the seed reports in an inbox. The first run publishes, the
next finds nothing new and finishes in seconds; each run's summary artifact matches the warehouse. Then the
same flow deployed to a process work pool runs once on a real worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from flows.artifacts import ARTIFACT_KEY
from flows.deploy import DEPLOYMENT_NAME as POOL_DEPLOYMENT
from flows.serve import DEPLOYMENT_NAME as SERVED_DEPLOYMENT
from nianbao.payloads import copy_warehouse
from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
INTERVAL_S = 10
UP_TO_DATE_MAX_S = 20  # "a run that finds nothing new finishes in seconds", with room for a loaded 2-core box


@dataclass
class Served:
    api_url: str
    env: dict[str, str]
    inbox: Path
    warehouse: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    inbox = tmp / "inbox"
    shutil.copytree(SEEDS, inbox)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(tmp / "prefect"),
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",  # default 60: the first runs exist sooner
    }
    log = tmp / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                *(str(BIN / "nianbao"), "serve", "--interval", str(INTERVAL_S), "--inbox", str(inbox)),
                *("--warehouse", str(tmp / "build" / "warehouse.duckdb"), "--api-port", str(port)),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}/api", env, inbox, tmp / "build" / "warehouse.duckdb", log)
    finally:
        proc.terminate()  # as an operator's `kill` or `docker stop`: nianbao serve stops its runs and server
        try:
            proc.wait(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its process group


def _client(api_url: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        return get_client(sync_client=True)


def _runs(client, deployment: str, state: str):
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[state]))),
        sort=FlowRunSort.START_TIME_ASC,
    )


def _wait_for_runs(served: Served, deployment: str, n: int, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with _client(served.api_url) as client:
                done = _runs(client, deployment, "COMPLETED")
                failed = _runs(client, deployment, "FAILED") + _runs(client, deployment, "CRASHED")
        except Exception:  # the server is still starting
            done, failed = [], []
        assert not failed, f"a scheduled build failed; log: {served.log.read_text()[-3000:]}"
        if len(done) >= n:
            return done[:n]
        time.sleep(3)
    pytest.fail(
        f"{n} completed runs of {deployment} not seen in {timeout:.0f}s; log: {served.log.read_text()[-3000:]}"
    )


def _summary(client, flow_run_id) -> tuple[dict[tuple[str, str], int], str]:
    """The run's summary artifact as {(group, measure): value}, and its description."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    (artifact,) = client.read_artifacts(
        artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=[ARTIFACT_KEY]),
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
        )
    )
    assert artifact.type == "table"
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    return {(r["group"], r["measure"]): r["value"] for r in rows}, artifact.description


def _warehouse_counts(warehouse: Path) -> dict[tuple[str, str], int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = {
            ("figures", "prose figures in warehouse"): con.execute(
                "select count(*) from staging.prose_facts"
            ).fetchone()[0],
            ("figures", "table cells in warehouse"): con.execute(
                "select count(*) from staging.table_cells"
            ).fetchone()[0],
        }
        quarantine = con.execute("select reason_code, count(*) from staging.quarantine group by 1").fetchall()
        return counts | {("quarantine", reason): n for reason, n in quarantine}
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_runs(served):
    return _wait_for_runs(served, SERVED_DEPLOYMENT, 2, timeout=600)


def test_first_scheduled_run_publishes_and_its_artifact_matches_the_warehouse(served, two_runs):
    assert served.warehouse.exists()
    with _client(served.api_url) as client:
        figures, description = _summary(client, two_runs[0].id)
    assert "published" in description and "OK" in description
    assert {k: v for k, v in figures.items() if k[0] == "documents"} == {
        ("documents", "seen"): 5,
        ("documents", "new"): 5,
        ("documents", "unchanged"): 0,
        ("documents", "duplicate"): 0,
        ("documents", "quarantined this run"): 0,
    }
    in_warehouse = _warehouse_counts(served.warehouse)
    assert {k: v for k, v in figures.items() if k in in_warehouse or k[0] == "quarantine"} == in_warehouse
    assert in_warehouse[("figures", "prose figures in warehouse")] > 0
    assert (
        figures[("figures", "prose figures extracted this run")]
        == in_warehouse[("figures", "prose figures in warehouse")]
    )
    assert figures[("checks", "failed")] == 0 and figures[("checks", "passed")] > 0


def test_a_run_that_finds_nothing_new_finishes_in_seconds(served, two_runs):
    second = two_runs[1]
    with _client(served.api_url) as client:
        figures, description = _summary(client, second.id)
    assert "up to date" in description
    assert figures[("documents", "new")] == 0 and figures[("documents", "unchanged")] == 5
    assert figures[("checks", "passed")] == 0  # nothing was rebuilt, so nothing re-checked
    assert {
        k: v for k, v in figures.items() if k[0] in ("figures", "quarantine") and "warehouse" in k[1]
    } == {k: v for k, v in _warehouse_counts(served.warehouse).items() if k[0] == "figures"}
    seconds = (second.end_time - second.start_time).total_seconds()
    print(
        f"up-to-date scheduled run: {seconds:.1f}s (first run {(two_runs[0].end_time - two_runs[0].start_time).total_seconds():.1f}s)"
    )
    assert seconds < UP_TO_DATE_MAX_S


def test_scheduled_runs_never_overlap(served, two_runs):
    """One build at a time: a run that came due during the first build was cancelled, not run beside it."""
    first, second = two_runs
    assert second.start_time >= first.end_time
    with _client(served.api_url) as client:
        deployment = client.read_deployment_by_name(f"build_warehouse/{SERVED_DEPLOYMENT}")
        assert [s.schedule.interval.total_seconds() for s in deployment.schedules] == [INTERVAL_S]
        assert deployment.parameters == {"paths": [str(served.inbox)], "warehouse": str(served.warehouse)}
        assert deployment.concurrency_options.collision_strategy.value == "CANCEL_NEW"
        assert deployment.global_concurrency_limit.limit == 1


def test_the_work_pool_deployment_runs_on_a_worker(served, two_runs, tmp_path):
    """`nianbao deploy` to a process pool; one run triggered and executed by `prefect worker start --run-once`.

    It builds a copy of the served warehouse, so it never waits on the served schedule's build lock.
    """
    from prefect.client.schemas.actions import WorkPoolCreate

    warehouse = tmp_path / "build" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    copy_warehouse(served.warehouse, warehouse)
    env = served.env | {"PREFECT_API_URL": served.api_url}
    with _client(served.api_url) as client:
        client.create_work_pool(WorkPoolCreate(name="nianbao-test", type="process"))
    out = subprocess.run(
        [
            *(str(BIN / "nianbao"), "deploy", "--pool", "nianbao-test", "--cron", "0 3 * * *"),
            *("--inbox", str(served.inbox), "--warehouse", str(warehouse)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    with _client(served.api_url) as client:
        deployment = client.read_deployment_by_name(f"build_warehouse/{POOL_DEPLOYMENT}")
        assert deployment.work_pool_name == "nianbao-test"
        assert deployment.entrypoint == "flows.build_warehouse.build_warehouse"
        assert [s.schedule.cron for s in deployment.schedules] == ["0 3 * * *"]
        assert deployment.parameters == {"paths": [str(served.inbox)], "warehouse": str(warehouse)}
        run = client.create_flow_run_from_deployment(deployment.id)
    worker = subprocess.run(
        [str(BIN / "prefect"), "worker", "start", "--pool", "nianbao-test", "--run-once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    with _client(served.api_url) as client:
        state = client.read_flow_run(run.id).state
        assert state.is_completed(), f"{state}: {worker.stdout[-3000:]}{worker.stderr[-3000:]}"
        figures, description = _summary(client, run.id)
    assert "up to date" in description
    assert figures[("documents", "unchanged")] == 5

"""A `nianbao build` without a Prefect server starts Prefect's ephemeral API itself, quieted (flows.runners:
`LocalApi`, `quiet_ephemeral_api`), and the run is still recorded there: its flow run and the stream's task
runs, read back by another process through Prefect's own ephemeral API on the same PREFECT_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import runners
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]

READ_RUNS = """
import json
from prefect.client.orchestration import get_client
with get_client(sync_client=True) as client:
    (run,) = client.read_flow_runs()
    tasks = client.read_task_runs()
    print(json.dumps({"flow": [run.name, run.state_type.value],
                      "tasks": sorted({t.name.rsplit("-", 1)[0] for t in tasks if t.flow_run_id == run.id})}))
"""


def test_settings_apply_only_without_a_server_and_never_over_the_operators(monkeypatch):
    for name in runners.EPHEMERAL_API_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect:4200/api")
    runners.quiet_ephemeral_api()
    assert not any(name in os.environ for name in runners.EPHEMERAL_API_SETTINGS)
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_LOGGING_TO_API_ENABLED", "true")
    runners.quiet_ephemeral_api()
    assert os.environ["PREFECT_LOGGING_TO_API_ENABLED"] == "true"
    assert os.environ["PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED"] == "false"


START_AND_DIE = """
import os, signal
from flows import runners
api = runners.start_local_api()
api.wait()
print(api.process.pid, os.environ["PREFECT_API_URL"], flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no `stop`, no exit hooks: a build killed mid-run
"""


@pytest.mark.e2e
def test_the_local_api_answers_and_ends_with_a_cli_that_was_killed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    }
    done = subprocess.run(
        [sys.executable, "-c", START_AND_DIE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == -9, done.stderr[-3000:]
    pid, url = done.stdout.split()
    assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)


def _state(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0].lower()
    except (OSError, IndexError):
        return "gone"


@pytest.mark.e2e
def test_a_cli_build_is_recorded_by_the_quieted_ephemeral_api(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    env["PREFECT_LOGGING_LEVEL"] = "WARNING"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (inbox / seed.name).write_bytes(seed.read_bytes())
    build = [
        sys.executable,
        "-m",
        "nianbao.cli",
        "build",
        str(inbox),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
    ]
    done = subprocess.run([*build, "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    read = subprocess.run(
        [sys.executable, "-c", READ_RUNS],
        cwd=ROOT,
        # the reader starts its own ephemeral API, with Prefect's 20 s start-up limit unless told (a loaded box)
        env=env | {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert read.returncode == 0, read.stderr[-3000:]
    runs = json.loads(read.stdout.strip().splitlines()[-1])
    assert runs["flow"][1] == "COMPLETED"
    assert {"hash-batch", "ingest-parse-batch", "stage-batch", "dbt-build", "publish"} <= set(runs["tasks"])

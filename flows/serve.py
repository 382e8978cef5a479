"""Run `build_warehouse` on a schedule: served from one box (`nianbao serve`, the compose worker) or deployed
to a work pool (`nianbao deploy`). Both share the parameters and one build at a time (a run that comes due
while a build is running is cancelled, not queued behind it); their names differ so both can live on one server.

Prefect schedules runs only on a real API server, never on the ephemeral one `nianbao build` uses, so with no
`PREFECT_API_URL` set `nianbao serve` starts a local `prefect server start` and serves against it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEPLOYMENT_NAME = "scheduled-build"  # build_warehouse/scheduled-build in the Prefect UI
ENTRYPOINT = "flows.build_warehouse.build_warehouse"  # a module path: the installed package, any working dir
TAGS = ["nianbao"]


def parameters(inbox: list[str], warehouse: str) -> dict[str, Any]:
    """The flow's parameters, as absolute paths (the runs start in another process and working directory)."""
    return {"paths": [str(Path(p).resolve()) for p in inbox], "warehouse": str(Path(warehouse).resolve())}


def one_build_at_a_time():
    """Deployment concurrency 1, and a run that comes due while a build holds the slot is cancelled."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def schedule(cron: str | None, interval: float | None) -> dict[str, Any]:
    return {"interval": interval} if interval else {"cron": cron}


def serve(inbox: list[str], warehouse: str, cron: str | None, interval: float | None) -> None:
    """Serve the build on the schedule until stopped; the schedule stays active across restarts."""
    from prefect.types.entrypoint import EntrypointType

    from flows.build_warehouse import build_warehouse

    build_warehouse.serve(
        name=DEPLOYMENT_NAME,
        parameters=parameters(inbox, warehouse),
        global_limit=one_build_at_a_time(),
        tags=TAGS,
        pause_on_shutdown=False,
        entrypoint_type=EntrypointType.MODULE_PATH,
        **schedule(cron, interval),
    )


@contextmanager
def local_server(port: int, timeout: float = 180.0) -> Iterator[str]:
    """A Prefect server on 127.0.0.1:`port` (SQLite under PREFECT_HOME) for as long as the block runs."""
    url = f"http://127.0.0.1:{port}/api"
    prefect = Path(sys.executable).with_name("prefect")
    proc = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=os.environ | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
        start_new_session=True,  # a terminal's Ctrl-C stops the runner first; the server goes last, below
        preexec_fn=_die_with_parent,
    )
    try:
        _wait_healthy(url, proc, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _die_with_parent() -> None:
    """Linux: the server is sent SIGTERM if `nianbao serve` dies without stopping it (kill -9, OOM)."""
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with {proc.returncode} before it answered at {url}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"prefect server did not answer at {url} within {timeout:.0f}s")

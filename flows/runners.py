"""Where the build's ingest and parse batches run: threads in this process, or a Dask cluster's workers.

`nianbao build --dask tcp://scheduler:8786`, or `NIANBAO_DASK_ADDRESS` for every build of this process
(`nianbao serve` and deployments included), hands the batches to Prefect's `DaskTaskRunner`. The workers must
see the input files and the batch path (`NIANBAO_BATCH_URL`), and reach the Prefect API (`PREFECT_API_URL`);
the flow's process stays the one writer of the warehouse.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Prefect is imported on use: `quiet_ephemeral_api` must run before it is
    from prefect.task_runners import TaskRunner

DASK_ENV = "NIANBAO_DASK_ADDRESS"

# Prefect settings for a build without a Prefect server (no PREFECT_API_URL): Prefect starts an ephemeral API
# for the run that ends with it, and its services took as much CPU as the parse workers (1 000 synthetic
# reports, loaded box: 16.3 s of the server's CPU with Prefect's defaults, 8.5 s with these). Builds run by
# `nianbao serve` or a deployment report to a real server and keep its defaults.
EPHEMERAL_API_SETTINGS = {
    "PREFECT_LOGGING_TO_API_ENABLED": "false",  # the console shows the logs; the API's copy dies with it
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # a telemetry heartbeat (offline: a failed lookup a start)
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",  # automations: an ephemeral API has none
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",  # task runs are recorded without it
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",  # no UI or client subscribes to its events
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",  # 20 s was too short on a loaded box
}


def quiet_ephemeral_api() -> None:
    """Apply EPHEMERAL_API_SETTINGS (where the operator set none) when no Prefect server is configured.
    Call before Prefect is imported: its settings and the ephemeral server's are read from the environment."""
    if not os.environ.get("PREFECT_API_URL"):
        for name, value in EPHEMERAL_API_SETTINGS.items():
            os.environ.setdefault(name, value)


# The server the CLI starts for a local build: Prefect's own app, served by uvicorn on the socket the CLI bound
# (handed down as a file descriptor: the port is held from the start, no probe-then-bind race to retry). It
# ends when the CLI does, even a CLI killed before its `stop` (its parent changes).
_SERVE = (
    "import os, socket, sys, threading, time\n"
    "def orphaned(parent=os.getppid()):\n"
    "    while os.getppid() == parent:\n"
    "        time.sleep(1)\n"
    "    os._exit(0)\n"
    "threading.Thread(target=orphaned, daemon=True).start()\n"
    "import uvicorn\n"
    "sock = socket.socket(fileno=int(sys.argv[1]))\n"
    "config = uvicorn.Config('prefect.server.api.server:create_app', factory=True, log_level='error', lifespan='on')\n"
    "uvicorn.Server(config).run(sockets=[sock])\n"
)


class LocalApi:
    """Prefect's ephemeral API for a build without a server, started by the CLI before it imports Prefect.

    Prefect starts its ephemeral API (`SubprocessASGIServer`: uvicorn in a subprocess) only when the flow first
    calls it, after the build's imports, and the calling process first imports the whole server module
    (FastAPI, the ORM: 15 s on the loaded box, ~1 000 modules kept in the build's memory) only to start that
    subprocess. Started here, the server imports while the build imports Prefect and the flow, and the build's
    process never imports the server. Same app, same ephemeral settings (no UI; the services an ephemeral
    server runs); it ends with the build (`stop`), as Prefect's own would.
    """

    def __init__(self) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        with sock:
            self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
            self.process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, str(sock.fileno())],
                pass_fds=[sock.fileno()],
                env=os.environ
                | {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"},
            )
        os.environ["PREFECT_API_URL"] = self.url  # before Prefect is imported: it reads its settings then
        os.environ.setdefault("PREFECT_UI_URL", "")  # it serves no UI: no "View at" link to print

    def wait(self) -> None:
        """Until the API answers, within Prefect's ephemeral start-up limit; raises if it does not."""
        limit = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "20"))
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:  # not listening yet (URLError is an OSError)
                pass
            time.sleep(0.1)
        code = self.process.poll()
        self.stop()
        raise RuntimeError(
            f"the local Prefect API did not start within {limit:.0f} s"
            + (f" (exit code {code})" if code is not None else "")
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_local_api() -> LocalApi | None:
    """A `LocalApi` when no Prefect server is configured (call after `quiet_ephemeral_api`); else None."""
    return None if os.environ.get("PREFECT_API_URL") else LocalApi()


def task_runner(address: str | None = None) -> TaskRunner:
    """The Dask scheduler at `address` (or $NIANBAO_DASK_ADDRESS); threads in this process without one."""
    from prefect.task_runners import ThreadPoolTaskRunner

    address = address or os.environ.get(DASK_ENV)
    if not address:
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


def cluster_threads() -> int:
    """Worker threads of the cluster the running flow submits to; 0 when its tasks run in this process."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    runner = ctx.task_runner if ctx else None
    if runner is None or type(runner).__name__ != "DaskTaskRunner":
        return 0
    return max(1, sum(runner.client.nthreads().values()))

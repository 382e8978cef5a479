"""Where the build's ingest and parse batches run: threads in this process, or a Dask cluster's workers.

`nianbao build --dask tcp://scheduler:8786`, or `NIANBAO_DASK_ADDRESS` for every build of this process
(`nianbao serve` and deployments included), hands the batches to Prefect's `DaskTaskRunner`. The workers must
see the input files and the batch path (`NIANBAO_BATCH_URL`), and reach the Prefect API (`PREFECT_API_URL`);
the flow's process stays the one writer of the warehouse.
"""

from __future__ import annotations

import os
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

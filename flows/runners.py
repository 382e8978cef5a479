"""Where the build's ingest and parse batches run: threads in this process, or a Dask cluster's workers.

`nianbao build --dask tcp://scheduler:8786`, or `NIANBAO_DASK_ADDRESS` for every build of this process
(`nianbao serve` and deployments included), hands the batches to Prefect's `DaskTaskRunner`. The workers must
see the input files and the batch path (`NIANBAO_BATCH_URL`), and reach the Prefect API (`PREFECT_API_URL`);
the flow's process stays the one writer of the warehouse.
"""

from __future__ import annotations

import os

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

DASK_ENV = "NIANBAO_DASK_ADDRESS"


def task_runner(address: str | None = None) -> TaskRunner:
    """The Dask scheduler at `address` (or $NIANBAO_DASK_ADDRESS); threads in this process without one."""
    address = address or os.environ.get(DASK_ENV)
    if not address:
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


def cluster_threads() -> int:
    """Worker threads of the cluster the running flow submits to; 0 when its tasks run in this process."""
    ctx = FlowRunContext.get()
    runner = ctx.task_runner if ctx else None
    if runner is None or type(runner).__name__ != "DaskTaskRunner":
        return 0
    return max(1, sum(runner.client.nthreads().values()))

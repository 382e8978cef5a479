"""`build_warehouse` as a deployment of a work pool: a Prefect worker (`prefect worker start --pool NAME`)
runs it, on this box or another with nianbao installed. Same parameters and one-at-a-time rule as
`nianbao serve` (`flows.serve`); the flow is found by module path in the installed package, so a process
pool needs no code storage and a Docker pool needs only the image built from this repository's Dockerfile.
"""

from __future__ import annotations

from uuid import UUID

from flows.serve import TAGS, one_build_at_a_time, parameters, schedule

DEPLOYMENT_NAME = "work-pool-build"  # build_warehouse/work-pool-build in the Prefect UI


def deploy(
    pool: str,
    inbox: list[str],
    warehouse: str,
    cron: str | None,
    interval: float | None,
    image: str | None = None,
) -> UUID:
    """Create or update the deployment in work pool `pool` (which must exist); returns its id."""
    from prefect.types.entrypoint import EntrypointType

    from flows.build_warehouse import build_warehouse

    return build_warehouse.deploy(
        name=DEPLOYMENT_NAME,
        work_pool_name=pool,
        image=image,
        build=False,
        push=False,
        parameters=parameters(inbox, warehouse),
        concurrency_limit=one_build_at_a_time(),
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
        print_next_steps=False,
        ignore_warnings=True,
        **schedule(cron, interval),
    )

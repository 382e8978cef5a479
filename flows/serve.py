"""Serve `build_warehouse` on a schedule from one box (the compose stack's worker runs this)."""

from __future__ import annotations

import os

from flows.build_warehouse import build_warehouse

if __name__ == "__main__":
    build_warehouse.serve(
        name="nightly",
        cron=os.environ.get("NIANBAO_CRON", "0 2 * * *"),
        parameters={
            "paths": [os.environ.get("NIANBAO_INBOX", "/data/inbox")],
            "warehouse": os.environ.get("NIANBAO_WAREHOUSE_FILE", "/data/build/warehouse.duckdb"),
        },
        pause_on_shutdown=False,
    )

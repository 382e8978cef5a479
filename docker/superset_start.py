"""Superset's start in the compose stack: set up, import the dashboards of `bi/`, serve on port 8088.

The steps are `nianbao bi`'s own (`nianbao/bi.py`, copied into the image beside `bi/`), so the stack shows
the same dashboards as a local `nianbao bi`. The admin password (NIANBAO_BI_PASSWORD) and the Flask key
(SUPERSET_SECRET_KEY) come from the operator's `.env`. The import waits for the worker's first publish.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nianbao.bi import Superset, import_dashboards, serve_command, setup


def main() -> None:
    s = Superset(venv=Path(os.environ["SUPERSET_VENV"]), home=Path(os.environ["SUPERSET_HOME"]))
    warehouse = Path(os.environ["NIANBAO_WAREHOUSE_FILE"])
    setup(s)
    while not warehouse.exists():
        print(f"superset: waiting for the worker to publish {warehouse}", flush=True)
        time.sleep(10)
    import_dashboards(s, warehouse)
    cmd = serve_command(s, "0.0.0.0", 8088)  # inside the container; compose publishes it on 127.0.0.1
    os.execve(cmd[0], cmd, s.env())


if __name__ == "__main__":
    main()

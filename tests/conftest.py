"""Test-wide settings: Prefect keeps its ephemeral API database in a temp home, never the user's."""

import os
import tempfile
from pathlib import Path

# Set, not setdefault: pytest-xdist's workers inherit the controller's environment, and ephemeral API servers
# of two processes on one SQLite file lock each other out. Each process (worker) gets its own home.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="nianbao-prefect-")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(items: list) -> None:
    """Modules of end-to-end tests (marked e2e or bi) first, in their order, then the rest in theirs.

    Under `pytest -n N --dist loadfile --no-loadscope-reorder` a worker takes one module at a time in this
    order: the long modules start first and the short ones fill in at the end, so no worker is left running
    one long module alone after the others are done.
    """
    heavy = {item.module for item in items if item.get_closest_marker("e2e") or item.get_closest_marker("bi")}
    items.sort(key=lambda item: item.module not in heavy)  # stable: order within each group is kept

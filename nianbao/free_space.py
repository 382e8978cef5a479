"""Refuse a build before it makes its candidate when the warehouse's disk cannot hold what it will write.

A build that runs out of space half-way has spent its time for nothing and leaves a partial candidate on a
full disk; the estimate below fails it in a second instead, with the same cause (`disk_full`) as a write
that fails later. The estimate is deliberately generous: the candidate is a copy of the published file
(`warehouse.start_candidate`), each new input grows the warehouse by a few times its own size (original and
normalised text, offset map, cells, rebuilt marts), and dbt's artefacts, data docs and DuckDB's WAL and
temporary files need room besides (`NIANBAO_MIN_FREE_MB`, default 256).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

INPUT_GROWTH = 4  # warehouse bytes per byte of new input, at most (text inputs; PDFs and DOCX grow less)
DEFAULT_MIN_FREE_MB = 256


def bytes_needed(warehouse: Path, new_input_bytes: int) -> int:
    """What a build of `new_input_bytes` of new files into `warehouse` may write next to it."""
    published = sum(
        p.stat().st_size for p in (warehouse, warehouse.with_name(warehouse.name + ".wal")) if p.exists()
    )
    margin = int(float(os.environ.get("NIANBAO_MIN_FREE_MB", DEFAULT_MIN_FREE_MB)) * 1024 * 1024)
    return published + new_input_bytes * INPUT_GROWTH + margin


def check_free_space(warehouse: Path, new_input_bytes: int) -> None:
    """Raise `OSError(ENOSPC)` when the warehouse's filesystem has less free space than the build needs."""
    folder = warehouse.parent
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    needed = bytes_needed(warehouse, new_input_bytes)
    if free < needed:
        mb = 1024 * 1024
        raise OSError(
            errno.ENOSPC,
            f"No space left on device: the build needs about {needed / mb:.0f} MB in {folder}"
            f" (warehouse copy + {new_input_bytes / mb:.1f} MB of new inputs × {INPUT_GROWTH}"
            f" + NIANBAO_MIN_FREE_MB), {free / mb:.0f} MB are free",
        )

"""The parse pool's workers (`nianbao.parse.pool_map`): what a worker process holds."""

from __future__ import annotations

import sys

from nianbao.parse import close_pool, pool_map


def _worker_state(values: list[int]) -> tuple[bool, str, list[int]]:
    """Builds an Arrow column from a list (what `batches.write_part` does), which imports pandas where it may."""
    import pyarrow as pa

    column = pa.array(values, pa.int64())
    return "pandas" in sys.modules, pa.default_memory_pool().backend_name, column.to_pylist()


def test_pool_workers_hold_no_pandas_and_use_the_system_allocator():
    """pyarrow imports pandas to ask whether a list is a Series; a parse worker refuses that import (30-45 MB
    a worker) and gives Arrow the system allocator, and the columns come out the same."""
    try:
        results = pool_map(_worker_state, [[1, 2], [3]], workers=2)
    finally:
        close_pool()
    assert results == [(False, "system", [1, 2]), (False, "system", [3])]

"""A build's Great Expectations runs in a child process, which ends before dbt starts.

GX and the pandas it validates with stay in a process once imported (~175 MB), and the frames of the chunks
it read leave the allocator's arenas larger: validating in the flow's process carried all of it through
dbt's run, the build's peak (the flow, Prefect's API server and dbt together). A spawned child validates the
input stages and is stopped before dbt (`stop`); another validates the marts after it, and is stopped before
publish and the Parquet export. The flow's process never imports GX.

The input stages' runs render no data docs (`validate_stage(render_docs=False)`): their suites and results
come back to this process as bytes (GX objects pickled by the child, a few KB a run: unpickling them here
would import GX) and go to the marts' child, whose rendering then lists every run of the build.
"""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from nianbao import validate
from nianbao.validate import StageValidation
from nianbao.warehouse import connect

INPUT_STAGES = validate.STAGES[:-1]  # validated before dbt; the marts after it, in another child
_child: ProcessPoolExecutor | None = None
_carried: tuple[Path | None, bytes] = (None, b"")  # (docs site, its runs not rendered yet, pickled)


def start(stages: tuple[str, ...] = INPUT_STAGES) -> None:
    """Start the child, its GX import (seconds) and the Checkpoints of `stages` now and return at once: a
    build calls this once its documents are staged, so they overlap deduplication and planning. Idempotent."""
    global _child
    if _child is None:
        _child = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        _child.submit(validate.warm, stages)


def validate_file(
    warehouse: Path, stage: str, docs_dir: Path | None, only_batch: bool, render_docs: bool = True
) -> StageValidation:
    """`validate.validate_stage` on a read-only connection to `warehouse`, in the child (started if none
    runs). Runs left unrendered by an earlier child for the same `docs_dir` are rendered with this one's."""
    global _carried
    start((stage,))
    assert _child is not None
    site = Path(docs_dir).resolve() if docs_dir is not None else None
    carried = _carried[1] if _carried[0] == site else b""
    try:
        result, unrendered = _child.submit(
            _validate, warehouse, stage, site, only_batch, render_docs, carried
        ).result()
    except BrokenProcessPool:
        stop()  # the child died (out of memory, killed): the next call starts a fresh one
        raise
    _carried = (site, unrendered)
    return result


def stop() -> None:
    """End the child, and with it GX's memory (a later `validate_file` starts a new one)."""
    global _child
    if _child is not None:
        _child.shutdown(wait=True, cancel_futures=True)
        _child = None


def _validate(
    warehouse: Path,
    stage: str,
    docs_dir: Path | None,
    only_batch: bool,
    render_docs: bool,
    carried: bytes,
) -> tuple[StageValidation, bytes]:
    """In the child: adopt the runs carried over, validate, and hand back the runs still unrendered."""
    validate.adopt_unrendered(docs_dir, pickle.loads(carried) if carried else [])
    with connect(warehouse, read_only=True) as con:
        result = validate.validate_stage(
            con, stage, docs_dir=docs_dir, only_batch=only_batch, render_docs=render_docs
        )
    return result, pickle.dumps(validate.unrendered_runs())

"""The build's policy: when a run may skip everything, what it retries, and what a failed check costs.

Kept out of the Prefect flow so the flow only orders the stages (README diagram) and these rules are
plain functions with one owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

# Documents per ingest / parse task: one task per batch, never per document. Each batch costs three Prefect
# task runs (~0.14 s of CPU each in the flow's process and the ephemeral API, whatever the batch's size) and
# one commit of the writer: at 250 they were ~16 % of a synthetic report's CPU, at 1 000 ~6 %.
BATCH_SIZE = 1000
# Documents per pool task within a batch, each written as its own Parquet part by the worker that parsed it:
# a worker holds this many documents' rows at a time; writing a part costs ~20 ms more than its rows' share
# (~2% of parsing at 50, ~5% at 25), and the last part of the stream keeps one core alone for its length.
PART_SIZE = 50


def new_run_id(now: datetime | None = None) -> str:
    return f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def chunks(items: Iterable[str], size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """Batches of `size`, taken lazily: a stream of paths is never listed whole."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def retry_quarantined(asked: bool, same_code: bool) -> bool:
    """Quarantines for reasons that say more about the code are retried when the code changed, or on request."""
    return asked or not same_code


def up_to_date(same_code: bool, new: int, quarantined: int) -> bool:
    """Nothing new, nothing newly quarantined, and the marts were built by this code: keep what is published."""
    return same_code and not new and not quarantined


def describe_validation(val: Any) -> str:
    """The first failed expectations of a validation stage, for a warning or failure line."""
    return "; ".join(f"{f.table}.{f.column or '*'} {f.expectation}" for f in val.failed[:10])


def input_validation_outcome(stage: str, val: Any) -> tuple[list[str], str | None]:
    """What a failed input expectation costs: the documents at fault are quarantined (the run goes on);
    a failure no document can be blamed for fails the run. Returns (ids to quarantine, failure line)."""
    if val.success:
        return [], None
    if val.documents_at_fault:
        return sorted(val.documents_at_fault), None
    return [], f"{stage} expectations failed: {describe_validation(val)}"

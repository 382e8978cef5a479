"""`build_warehouse`: ingest → parse → stage → dbt build → validate → publish, as one Prefect flow.

The flow decides order, batching and what to report; every stage's work is a call into `nianbao.stages`.
Tasks take and return small things (paths, counts), one task per batch of documents, never per document.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task

from nianbao import stages
from nianbao.ingest import discover
from nianbao.warehouse import (
    build_fingerprint,
    build_lock,
    clean_stale_candidates,
    connect,
    discard,
    publish,
    record_build,
    recorded_fingerprint,
    start_candidate,
)

BATCH_SIZE = 250


@dataclass
class BuildSummary:
    warehouse: str
    run_id: str
    documents_seen: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    documents_duplicate: int = 0
    documents_quarantined: int = 0
    figures_extracted: int = 0  # prose figures
    cells_extracted: int = 0  # statutory-table cells
    figures_in_warehouse: int = 0
    cells_in_warehouse: int = 0
    checks_passed: int = 0
    checks_warned: int = 0
    checks_failed: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None
    published: bool = False
    up_to_date: bool = False  # nothing new and the same code built the marts: nothing was rebuilt

    @property
    def ok(self) -> bool:
        return (self.published or self.up_to_date) and not self.failures


@task(name="start-candidate")
def start_candidate_task(warehouse: Path, run_id: str) -> Path:
    return start_candidate(warehouse, run_id)


@task(name="ingest-batch")
def ingest_task(
    candidate: Path, paths: list[str], at: datetime, workers: int, retry: bool
) -> stages.IngestSummary:
    return stages.ingest_batch(candidate, paths, at, workers, retry)


@task(name="parse-batch")
def parse_task(candidate: Path, ids: list[str], out: Path, at: datetime, workers: int) -> dict:
    return stages.parse_batch(candidate, ids, out, at, workers)


@task(name="stage-batch")
def stage_task(candidate: Path, batch_file: Path) -> dict[str, int]:
    return stages.stage_batch(candidate, batch_file)


@task(name="set-aside-duplicates")
def dedupe_task(candidate: Path, at: datetime) -> int:
    return len(stages.set_aside_duplicates(candidate, at))


@task(name="dbt-build")
def dbt_task(candidate: Path, build_dir: Path):
    from nianbao.dbt_build import run_dbt_build

    return run_dbt_build(candidate, target_dir=build_dir / "dbt")


@task(name="validate")
def validate_task(candidate: Path, stage: str, docs_dir: Path):
    import duckdb

    from nianbao.validate import validate_stage

    con = duckdb.connect(str(candidate), read_only=True)
    try:
        return validate_stage(con, stage, docs_dir=docs_dir)
    finally:
        con.close()


@task(name="quarantine-at-fault")
def quarantine_task(candidate: Path, ids: list[str], message: str, at: datetime) -> int:
    return stages.quarantine_at_fault(candidate, ids, "failed_expectation", message, at)


@task(name="check-up-to-date")
def up_to_date_task(candidate: Path) -> tuple[bool, str]:
    """True when the candidate's marts were built by this same code (so only new documents need a build)."""
    current = build_fingerprint()
    with connect(candidate) as con:
        return recorded_fingerprint(con) == current, current


@task(name="publish")
def publish_task(candidate: Path, warehouse: Path, run_id: str, fingerprint: str, at: datetime) -> str:
    record_build(candidate, run_id, fingerprint, at)
    return str(publish(candidate, warehouse, run_id))


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="build_warehouse", log_prints=True)
def build_warehouse(
    paths: list[str], warehouse: str, workers: int | None = None, retry_quarantined: bool = False
) -> BuildSummary:
    """Build (or refresh) the warehouse at `warehouse` from the report files under `paths`.

    Quarantined documents are retried when the code changed since the last build, or with `retry_quarantined`.
    """
    wh = Path(warehouse).resolve()
    with build_lock(wh):
        for stale in clean_stale_candidates(wh):
            get_run_logger().warning("removed %s left by a build that did not finish", stale.name)
        return _build(paths, wh, workers or stages.default_workers(), retry_quarantined)


def _build(paths: list[str], wh: Path, workers: int, retry_quarantined: bool) -> BuildSummary:
    log = get_run_logger()
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    build_dir = wh.parent
    run_dir = build_dir / "runs" / run_id
    at = datetime.now(UTC).replace(tzinfo=None)
    summary = BuildSummary(warehouse=str(wh), run_id=run_id)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.stage_seconds[stage] = round(now - clock, 2)
        clock = now
        log.info("stage %s done in %.2fs", stage, summary.stage_seconds[stage])

    files = [str(p) for p in discover([Path(p) for p in paths])]
    candidate = start_candidate_task(wh, run_id)
    same_code, fingerprint = up_to_date_task(candidate)
    retry = retry_quarantined or not same_code
    new_ids: list[str] = []
    for chunk in _chunks(files, BATCH_SIZE):
        ing = ingest_task(candidate, chunk, at, workers, retry)
        summary.documents_seen += ing.seen
        summary.documents_new += ing.new
        summary.documents_unchanged += ing.unchanged
        summary.documents_duplicate += ing.duplicates
        summary.documents_quarantined += ing.quarantined
        new_ids.extend(ing.new_ids)
    log.info(
        "ingest: %d files, %d new, %d unchanged",
        len(files),
        summary.documents_new,
        summary.documents_unchanged,
    )
    lap("ingest")

    if same_code and not new_ids and not summary.documents_quarantined:
        log.info("nothing new and the marts were built by this code: keeping the published warehouse")
        discard(candidate)
        summary.up_to_date = True
        counts = stages.warehouse_counts(wh)
        summary.figures_in_warehouse, summary.cells_in_warehouse = counts["figures"], counts["cells"]
        lap("publish")
        return summary

    batch_files = []
    for i, ids in enumerate(_chunks(new_ids, BATCH_SIZE)):
        res = parse_task(candidate, ids, run_dir / f"parsed-{i:04d}.json", at, workers)
        summary.figures_extracted += res["figures"]
        summary.cells_extracted += res["cells"]
        summary.documents_quarantined += res["quarantined"]
        summary.documents_new -= res["quarantined"]
        batch_files.append(Path(res["file"]))
    lap("parse")

    for bf in batch_files:
        stage_task(candidate, bf)
    duplicates = dedupe_task(candidate, at)
    if duplicates:
        summary.documents_duplicate += duplicates
        log.info("set aside %d document(s) repeating a richer copy of the same report", duplicates)
    lap("stage")

    for stage in ("raw_documents", "staging"):
        val = validate_task(candidate, stage, build_dir / "data_docs")
        _tally_validation(summary, val)
        if not val.success and val.documents_at_fault:
            n = quarantine_task(candidate, sorted(val.documents_at_fault), f"{stage}: {_describe(val)}", at)
            summary.documents_quarantined += n
            summary.warnings.append(f"{stage}: {n} document(s) quarantined by failed expectations")
        elif not val.success:
            summary.failures.append(f"{stage} expectations failed: {_describe(val)}")
    lap("validate_inputs")

    dbt = dbt_task(candidate, build_dir)
    summary.checks_passed += dbt.tests_passed
    summary.checks_warned += dbt.tests_warned
    summary.checks_failed += dbt.tests_failed + dbt.tests_errored
    summary.warnings.extend(f"dbt warn: {n}" for n in dbt.warned_nodes)
    if not dbt.success:
        summary.failures.append(f"dbt build failed: {', '.join(dbt.failed_nodes) or dbt.stderr_tail[-500:]}")
    lap("dbt_build")

    if dbt.success:
        val = validate_task(candidate, "marts", build_dir / "data_docs")
        _tally_validation(summary, val)
        summary.data_docs = str(val.docs_index) if val.docs_index else None
        if not val.success:
            summary.failures.append(f"marts expectations failed: {_describe(val)}")
    lap("validate")

    counts = stages.warehouse_counts(candidate)
    summary.figures_in_warehouse = counts["figures"]
    summary.cells_in_warehouse = counts["cells"]
    if summary.failures:
        log.error("not publishing: %s", "; ".join(summary.failures))
        discard(candidate)
    else:
        publish_task(candidate, wh, run_id, fingerprint, at)
        summary.published = True
        shutil.rmtree(run_dir, ignore_errors=True)  # the batches are in the warehouse now; keep them only on failure
    lap("publish")
    return summary


def _tally_validation(summary: BuildSummary, val) -> None:
    summary.checks_passed += val.passed
    summary.checks_failed += val.evaluated - val.passed


def _describe(val) -> str:
    return "; ".join(f"{f.table}.{f.column or '*'} {f.expectation}" for f in val.failed[:10])


def summary_dict(summary: BuildSummary) -> dict:
    return asdict(summary) | {"ok": summary.ok}

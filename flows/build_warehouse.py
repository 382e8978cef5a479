"""`build_warehouse`: ingest → parse → stage → dbt build → validate → publish, as one Prefect flow.

The flow only orders the stages; every stage's work is a call into `nianbao.stages`, the policy (up-to-date
short-cut, retries, what a failed expectation costs, batching) is `nianbao.build_policy` and the accounting
is `nianbao.summary`.
Tasks take and return small things (paths, counts), one task per batch of documents, never per document.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.artifacts import create_summary_artifact
from nianbao import build_policy, input_cache, stages
from nianbao.failures import EXPECTATIONS_FAILED, abort
from nianbao.free_space import check_free_space
from nianbao.ingest import discover
from nianbao.summary import BuildSummary, StageClock
from nianbao.warehouse import (
    build_lock,
    clean_stale_candidates,
    connect,
    discard,
    publish,
    record_build,
    recorded_fingerprint,
    start_candidate,
)


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


@task(name="plan-build-batch")
def plan_task(candidate: Path, same_code: bool) -> int | None:
    """With the same code as the published marts: the documents dbt recomputes and GX validates."""
    from nianbao.incremental import plan_build_batch

    return plan_build_batch(candidate, same_code)


@task(name="dbt-build")
def dbt_task(candidate: Path, build_dir: Path, incremental: bool):
    from nianbao.dbt_build import run_dbt_build

    return run_dbt_build(candidate, target_dir=build_dir / "dbt", incremental=incremental)


@task(name="validate")
def validate_task(candidate: Path, stage: str, docs_dir: Path, only_batch: bool):
    import duckdb

    from nianbao.validate import validate_stage

    con = duckdb.connect(str(candidate), read_only=True)
    try:
        return validate_stage(con, stage, docs_dir=docs_dir, only_batch=only_batch)
    finally:
        con.close()


@task(name="quarantine-at-fault")
def quarantine_task(candidate: Path, ids: list[str], message: str, at: datetime) -> int:
    return stages.quarantine_at_fault(candidate, ids, "failed_expectation", message, at)


@task(name="check-up-to-date")
def up_to_date_task(candidate: Path) -> tuple[bool, str]:
    """True when the candidate's marts were built by this same code (so only new documents need a build)."""
    current = input_cache.build_fingerprint()
    with connect(candidate) as con:
        return recorded_fingerprint(con) == current, current


@task(name="publish")
def publish_task(candidate: Path, warehouse: Path, run_id: str, fingerprint: str, at: datetime) -> str:
    record_build(candidate, run_id, fingerprint, at)
    return str(publish(candidate, warehouse, run_id))


@flow(name="build_warehouse", log_prints=True)
def build_warehouse(
    paths: list[str],
    warehouse: str,
    workers: int | None = None,
    retry_quarantined: bool = False,
    lock_wait_s: float | None = 0.0,
) -> BuildSummary:
    """Build (or refresh) the warehouse at `warehouse` from the report files under `paths`.

    Quarantined documents are retried when the code changed since the last build, or with `retry_quarantined`.
    Another build's lock is waited for `lock_wait_s` seconds (None: no limit). A build that stops on an error
    raises `failures.BuildFailed`, which carries its cause and the summary as far as the run got.
    The run's summary is left as a table artifact for the Prefect UI (`flows.artifacts`).
    """
    wh = Path(warehouse).resolve()
    summary = BuildSummary(warehouse=str(wh), run_id=build_policy.new_run_id())
    try:
        with build_lock(wh, summary.run_id, lock_wait_s):
            for stale in clean_stale_candidates(wh):
                get_run_logger().warning("removed %s left by a build that did not finish", stale.name)
            summary = _build(paths, wh, workers or stages.default_workers(), retry_quarantined, summary)
    except Exception as e:  # the cause is read from the whole chain; the summary is as far as it got
        raise abort(e, summary) from e
    create_summary_artifact(summary)
    return summary


def _build(
    paths: list[str], wh: Path, workers: int, retry_quarantined: bool, summary: BuildSummary
) -> BuildSummary:
    log = get_run_logger()
    run_id = summary.run_id
    build_dir = wh.parent
    run_dir = build_dir / "runs" / run_id
    at = datetime.now(UTC).replace(tzinfo=None)
    clock = StageClock(summary)

    def lap(stage: str) -> None:
        log.info("stage %s done in %.2fs", stage, clock.lap(stage))

    files = [str(p) for p in discover([Path(p) for p in paths])]
    inputs = input_cache.snapshot(files)  # before ingest reads them: a file changed meanwhile shows next run
    code = input_cache.build_fingerprint()
    held = set() if retry_quarantined else input_cache.held(input_cache.load(wh, code), inputs)
    summary.documents_seen = summary.documents_unchanged = len(held)
    if files and len(held) == len(files):
        log.info("every input file is held by the published warehouse (same stat, same code): up to date")
        lap("ingest")
        return _keep_published(summary, wh, inputs, code, lap)
    check_free_space(wh, sum(st[0] for f, st in inputs.items() if st and f not in held))
    candidate = start_candidate_task(wh, run_id)
    same_code, fingerprint = up_to_date_task(candidate)
    retry = build_policy.retry_quarantined(retry_quarantined, same_code)
    new_ids: list[str] = []
    for chunk in build_policy.chunks([f for f in files if f not in held]):
        ing = ingest_task(candidate, chunk, at, workers, retry)
        summary.add_ingest(ing)
        new_ids.extend(ing.new_ids)
    log.info(
        "ingest: %d files, %d new, %d unchanged",
        len(files),
        summary.documents_new,
        summary.documents_unchanged,
    )
    lap("ingest")

    if build_policy.up_to_date(same_code, new_ids, summary.documents_quarantined):
        log.info("nothing new and the marts were built by this code: keeping the published warehouse")
        discard(candidate)
        return _keep_published(summary, wh, inputs, fingerprint, lap)

    batch_files = []
    for i, ids in enumerate(build_policy.chunks(new_ids)):
        res = parse_task(candidate, ids, run_dir / f"parsed-{i:04d}.json", at, workers)
        summary.add_parse(res)
        batch_files.append(Path(res["file"]))
    lap("parse")

    for bf in batch_files:
        stage_task(candidate, bf)
    duplicates = dedupe_task(candidate, at)
    if duplicates:
        summary.documents_duplicate += duplicates
        log.info("set aside %d document(s) repeating a richer copy of the same report", duplicates)
    lap("stage")

    batch = plan_task(candidate, same_code)
    incremental = batch is not None
    log.info("build: %s", f"incremental, {batch} document(s)" if incremental else "everything (full refresh)")
    for stage in ("raw_documents", "staging"):
        val = validate_task(candidate, stage, build_dir / "data_docs", incremental)
        summary.add_validation(val)
        at_fault, failure = build_policy.input_validation_outcome(stage, val)
        if at_fault:
            n = quarantine_task(candidate, at_fault, f"{stage}: {build_policy.describe_validation(val)}", at)
            summary.documents_quarantined += n
            summary.warnings.append(f"{stage}: {n} document(s) quarantined by failed expectations")
        if failure:
            summary.fail(EXPECTATIONS_FAILED, failure)
    lap("validate_inputs")

    dbt = dbt_task(candidate, build_dir, incremental)
    summary.add_dbt(dbt)
    lap("dbt_build")

    if dbt.success:
        val = validate_task(candidate, "marts", build_dir / "data_docs", incremental)
        summary.add_validation(val)
        summary.data_docs = str(val.docs_index) if val.docs_index else None
        if not val.success:
            summary.fail(
                EXPECTATIONS_FAILED, f"marts expectations failed: {build_policy.describe_validation(val)}"
            )
    lap("validate")

    summary.set_warehouse_counts(stages.warehouse_counts(candidate))
    if summary.failures:
        log.error("not publishing: %s", "; ".join(summary.failures))
        discard(candidate)
    else:
        publish_task(candidate, wh, run_id, fingerprint, at)
        summary.published = True
        input_cache.record(wh, inputs, fingerprint, stages.warehouse_counts(wh))
        shutil.rmtree(
            run_dir, ignore_errors=True
        )  # the batches are in the warehouse now; keep them only on failure
    lap("publish")
    return summary


def _keep_published(
    summary: BuildSummary, wh: Path, inputs: dict, fingerprint: str, lap: Callable[[str], None]
) -> BuildSummary:
    """Nothing new and the marts were built by this code: the published warehouse stays as it is."""
    summary.up_to_date = True
    counts = stages.warehouse_counts(wh)
    summary.set_warehouse_counts(counts)
    input_cache.record(wh, inputs, fingerprint, counts)
    lap("publish")
    return summary

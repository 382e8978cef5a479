"""`build_warehouse`: ingest → parse → stage → dbt build → validate → publish, as one Prefect flow.

The flow only orders the stages; every stage's work is a call into `nianbao.stages`, the policy (up-to-date
short-cut, retries, what a failed expectation costs, batching) is `nianbao.build_policy` and the accounting
is `nianbao.summary`.
Tasks take and return small things (paths, counts), one task per batch of documents, never per document.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from flows import runners
from flows.artifacts import create_summary_artifact
from nianbao import batches, build_policy, dbt_build, export, input_cache, stages, validator
from nianbao.failures import EXPECTATIONS_FAILED, abort
from nianbao.free_space import check_free_space
from nianbao.ingest import discover
from nianbao.parse import close_pool
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


# The stream's tasks take a run's paths and the writer's connection: nothing to cache, and no cache key to
# compute from their inputs per batch.
@task(name="hash-batch", cache_policy=NO_CACHE)
def hash_task(paths: list[str]) -> list[tuple[str, str]]:
    return stages.hash_batch(paths)


@task(name="ingest-parse-batch", cache_policy=NO_CACHE)
def ingest_parse_task(
    pairs: list[tuple[str, str]], root: str, index: int, at: datetime, workers: int
) -> dict:
    return stages.ingest_parse_batch(pairs, root, index, at, workers)


@task(name="stage-batch", cache_policy=NO_CACHE)
def stage_task(writer: duckdb.DuckDBPyConnection, url: str) -> dict[str, int]:
    return batches.stage_batch(writer, url)


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
    return dbt_build.run_dbt_build(candidate, target_dir=build_dir / "dbt", incremental=incremental)


@task(name="validate")
def validate_task(candidate: Path, stage: str, docs_dir: Path, only_batch: bool, render_docs: bool = True):
    return validator.validate_file(candidate, stage, docs_dir, only_batch, render_docs)


@task(name="quarantine-at-fault")
def quarantine_task(candidate: Path, ids: list[str], message: str, at: datetime) -> int:
    return stages.quarantine_at_fault(candidate, ids, "failed_expectation", message, at)


@task(name="check-up-to-date")
def up_to_date_task(candidate: Path) -> tuple[bool, str]:
    """True when the candidate's marts were built by this same code (so only new documents need a build)."""
    current = input_cache.build_fingerprint()
    with connect(candidate) as con:
        return recorded_fingerprint(con) == current, current


@task(name="export-parquet")
def export_task(warehouse: Path, run_id: str) -> str:
    return str(export.export_marts(warehouse, run_id))


@task(name="publish")
def publish_task(candidate: Path, warehouse: Path, run_id: str, fingerprint: str, at: datetime) -> str:
    record_build(candidate, run_id, fingerprint, at)
    return str(publish(candidate, warehouse, run_id))


@flow(name="build_warehouse", log_prints=True, task_runner=runners.task_runner())
def build_warehouse(
    paths: list[str],
    warehouse: str,
    workers: int | None = None,
    retry_quarantined: bool = False,
    batch_url: str | None = None,
    lock_wait_s: float | None = 0.0,
) -> BuildSummary:
    """Build (or refresh) the warehouse at `warehouse` from the report files under `paths`.

    Quarantined documents are retried when the code changed since the last build, or with `retry_quarantined`.
    Another build's lock is waited for `lock_wait_s` seconds (None: no limit). A build that stops on an error
    raises `failures.BuildFailed`, which carries its cause and the summary as far as the run got.
    Parse batches go to `batch_url` (or $NIANBAO_BATCH_URL; default: the run's folder next to the warehouse).
    On a Dask cluster (`flows.runners`) its workers ingest and parse; this process stages and builds.
    The run's summary is left as a table artifact for the Prefect UI (`flows.artifacts`).
    """
    wh = Path(warehouse).resolve()
    summary = BuildSummary(warehouse=str(wh), run_id=build_policy.new_run_id())
    try:
        with build_lock(wh, summary.run_id, lock_wait_s):
            for stale in clean_stale_candidates(wh):
                get_run_logger().warning("removed %s left by a build that did not finish", stale.name)
            summary = _build(
                paths, wh, workers or stages.default_workers(), retry_quarantined, batch_url, summary
            )
    except Exception as e:  # the cause is read from the whole chain; the summary is as far as it got
        validator.stop()
        dbt_build.cool_down()
        raise abort(e, summary) from e
    create_summary_artifact(summary)
    return summary


def _build(
    paths: list[str],
    wh: Path,
    workers: int,
    retry_quarantined: bool,
    batch_url: str | None,
    summary: BuildSummary,
) -> BuildSummary:
    log = get_run_logger()
    run_id = summary.run_id
    build_dir = wh.parent
    run_dir = build_dir / "runs" / run_id
    at = datetime.now(UTC).replace(tzinfo=None)
    clock = StageClock(summary)

    def lap(stage: str) -> None:
        log.info("stage %s done in %.2fs", stage, clock.lap(stage))

    # The stat cache (`input_cache`) is the one place that lists every input path; the documents, their ids
    # and rows flow through in batches.
    inputs = input_cache.snapshot(str(p) for p in discover(Path(p) for p in paths))
    code = input_cache.build_fingerprint()
    held = set() if retry_quarantined else input_cache.held(input_cache.load(wh, code), inputs)
    summary.documents_seen = summary.documents_unchanged = len(held)
    if inputs and len(held) == len(inputs):
        log.info("every input file is held by the published warehouse (same stat, same code): up to date")
        lap("ingest")
        return _keep_published(summary, wh, inputs, code, lap)
    check_free_space(wh, sum(st[0] for f, st in inputs.items() if st and f not in held))
    candidate = start_candidate_task(wh, run_id)
    same_code, fingerprint = up_to_date_task(candidate)
    retry = build_policy.retry_quarantined(retry_quarantined, same_code)
    root = batches.batch_root(run_dir, run_id, batch_url)
    claimed, busy = _stream(
        candidate, (f for f in inputs if f not in held), root, at, workers, retry, summary
    )
    log.info(
        "ingest: %d files, %d new, %d unchanged",
        len(inputs),
        summary.documents_new,
        summary.documents_unchanged,
    )
    clock.record({"ingest": busy["ingest"], "parse": busy["parse"]})
    for stage in ("ingest", "parse"):  # the batch stream ends both at once (operators and tests watch these)
        log.info("stage %s done in %.2fs", stage, summary.stage_seconds[stage])

    if build_policy.up_to_date(same_code, claimed, summary.documents_quarantined):
        log.info("nothing new and the marts were built by this code: keeping the published warehouse")
        discard(candidate)
        batches.remove(root)
        return _keep_published(summary, wh, inputs, fingerprint, lap)

    # GX's import (seconds, ~175 MB) runs in its child process while the candidate is deduplicated and
    # planned, not during the stream, where it would add to the parse workers' memory and CPU (started before
    # the candidate, GX's and dbt's imports slowed a +100 stream on the loaded box more than they saved). With
    # the same code the marts' build is likely incremental, short next to dbt's own start: dbt imports now too.
    validator.start()
    if same_code:
        dbt_build.warm_up()
    duplicates = dedupe_task(candidate, at)
    stages.release_claims(candidate)
    if duplicates:
        summary.documents_duplicate += duplicates
        log.info("set aside %d document(s) repeating a richer copy of the same report", duplicates)
    log.info("stage %s done in %.2fs", "stage", clock.lap("stage", plus=busy["stage"]))

    batch = plan_task(candidate, same_code)
    incremental = batch is not None
    log.info("build: %s", f"incremental, {batch} document(s)" if incremental else "everything (full refresh)")
    for stage in ("raw_documents", "staging"):
        # Data docs are rendered once, by the marts' validation (GX compiles its templates per render).
        val = validate_task(candidate, stage, build_dir / "data_docs", incremental, render_docs=False)
        summary.add_validation(val)
        at_fault, failure = build_policy.input_validation_outcome(stage, val)
        if at_fault:
            n = quarantine_task(candidate, at_fault, f"{stage}: {build_policy.describe_validation(val)}", at)
            summary.documents_quarantined += n
            summary.warnings.append(f"{stage}: {n} document(s) quarantined by failed expectations")
            if incremental:  # a report quarantined now changes what its body's neighbours read: plan again
                plan_task(candidate, same_code)
        if failure:
            summary.fail(EXPECTATIONS_FAILED, failure)
    lap("validate_inputs")

    validator.stop()  # GX's child ends before dbt's run: the flow's process never holds GX (`nianbao.validator`)
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
        validator.stop()  # before publish and the Parquet export
    lap("validate")

    summary.set_warehouse_counts(stages.warehouse_counts(candidate))
    if summary.failures:
        log.error("not publishing: %s", "; ".join(summary.failures))
        discard(candidate)
    else:
        publish_task(candidate, wh, run_id, fingerprint, at)
        summary.published = True
        input_cache.record(wh, inputs, fingerprint, stages.warehouse_counts(wh))
        batches.remove(root)  # the batches are in the warehouse now; keep them only on failure
        export_task(wh, run_id)
    lap("publish")
    return summary


def _stream(
    candidate: Path,
    files: Iterable[str],
    root: str,
    at: datetime,
    workers: int,
    retry: bool,
    summary: BuildSummary,
) -> tuple[int, dict[str, float]]:
    """Ingest → parse → stage, batch by batch, never the whole corpus at once.

    Each batch is hashed, its new documents claimed against the candidate (a join in DuckDB), read and
    parsed into a Parquet batch (in a process pool here, on the workers on a Dask cluster), and staged by
    this one writer while later batches are still being parsed; claims and staging share its one connection
    to the candidate (a connection per batch reopened and checkpointed the file each time). Returns the
    number of documents claimed and the seconds of each stage: the writer's staging time, and the rest of the
    stream's wall time split between ingest and parse as reading and parsing shared the batches' time
    (batches overlap, so their own times would count twice).
    """
    started_stream = time.perf_counter()
    cluster = runners.cluster_threads()
    # Batches parsed while the writer stages: locally two, so the pool's queue holds the next batch's parts
    # while the writer stages (a batch in flight is only paths here; its rows are in its Parquet parts).
    window = 2 * cluster if cluster else 2
    workers = 1 if cluster else workers  # a Dask worker is one process; its threads are the parallelism
    busy = dict.fromkeys(("ingest", "parse", "stage"), 0.0)
    in_flight: deque[PrefectFuture] = deque()
    claimed = 0

    def stage_oldest(writer: duckdb.DuckDBPyConnection) -> None:
        res = in_flight.popleft().result()
        started = time.perf_counter()
        stage_task(writer, res["url"])
        busy["stage"] += time.perf_counter() - started
        busy["ingest"] += res["ingest_s"]
        busy["parse"] += res["parse_s"]
        summary.add_ingest(stages.IngestSummary(new=res["read"], quarantined=res["ingest_quarantined"]))
        summary.add_parse(res)

    try:
        with stages.open_writer(candidate) as writer:
            for index, chunk in enumerate(build_policy.chunks(files, build_policy.BATCH_SIZE)):
                started = time.perf_counter()
                todo, ing = stages.claim_new(writer, hash_task.submit(chunk).result(), retry)
                busy["ingest"] += time.perf_counter() - started
                summary.add_ingest(ing)
                if todo:
                    claimed += len(todo)
                    in_flight.append(ingest_parse_task.submit(todo, root, index, at, workers))
                while len(in_flight) > window:
                    stage_oldest(writer)
            while in_flight:
                stage_oldest(writer)
    finally:
        close_pool()  # the parse workers of this build (local runs) end with its stream
    rest = max(0.0, time.perf_counter() - started_stream - busy["stage"])
    read_share = busy["ingest"] / (busy["ingest"] + busy["parse"]) if busy["ingest"] + busy["parse"] else 0.5
    return claimed, {"ingest": rest * read_share, "parse": rest * (1 - read_share), "stage": busy["stage"]}


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

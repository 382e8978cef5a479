"""The build with its ingest and parse batches on a Dask cluster (a `LocalCluster` of 2 worker processes, through
Prefect's DaskTaskRunner) publishes the same marts as the single-process build; the published marts are
exported as Parquet partitioned by year, and DuckDB reads the export back row for row."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb
import pytest

from flows import runners
from flows.build_warehouse import build_warehouse
from nianbao import build_policy
from nianbao.export import export_root
from tests.conftest import FIXTURES, SEEDS
from tests.helpers import mart_checksums, mart_names

pytestmark = pytest.mark.e2e

BATCH = 8  # small batches, so several are parsed while the writer stages others


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """The seeds and 24 real pages (no quarantine: marts.quarantine's first_seen would differ by run)."""
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(SEEDS, inbox / "seeds")
    shutil.copytree(FIXTURES / "corpus" / "pages2", inbox / "pages2", ignore=shutil.ignore_patterns("*.md"))
    return inbox


@pytest.fixture(scope="module")
def small_batches():
    mp = pytest.MonkeyPatch()
    mp.setattr(build_policy, "BATCH_SIZE", BATCH)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def local_build(inbox, small_batches, tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("local") / "warehouse.duckdb"
    started = time.perf_counter()
    summary = build_warehouse(paths=[str(inbox)], warehouse=str(wh), workers=1)
    print(f"\nsingle-process build: {time.perf_counter() - started:.1f}s")
    assert summary.ok, summary.failures
    return wh


@pytest.fixture(scope="module")
def dask_build(inbox, small_batches, tmp_path_factory) -> Path:
    from distributed import LocalCluster
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    root = tmp_path_factory.mktemp("dask")
    wh = root / "warehouse.duckdb"
    started = time.perf_counter()
    server = SubprocessASGIServer()  # the ephemeral API of this process, reachable by the workers
    server.start()
    env = {"PREFECT_API_URL": server.api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
    with (
        temporary_settings({PREFECT_API_URL: server.api_url}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, env=env
        ) as cluster,
    ):
        flow = build_warehouse.with_options(task_runner=runners.task_runner(cluster.scheduler_address))
        summary = flow(paths=[str(inbox)], warehouse=str(wh), batch_url=str(root / "shared"))
        workers = len(cluster.workers)
    print(f"\nDask build (cluster start included): {time.perf_counter() - started:.1f}s")
    assert workers == 2
    assert summary.ok, summary.failures
    assert not (root / "shared").exists() or not any((root / "shared").iterdir())  # batches removed
    return wh


def test_dask_build_publishes_the_same_marts_as_the_single_process_build(local_build, dask_build):
    local, on_dask = mart_checksums(local_build), mart_checksums(dask_build)
    assert len(local) > 10
    assert on_dask == local
    con = duckdb.connect(str(dask_build), read_only=True)
    try:
        assert con.execute("select count(*) from marts.report_summary").fetchone()[0] == 29
    finally:
        con.close()


def test_parquet_export_reads_back_as_the_published_marts(local_build):
    export = export_root(local_build)
    assert export.is_symlink() and export.resolve().parent == local_build.parent
    con = duckdb.connect(str(local_build), read_only=True)
    try:
        marts = mart_names(con)
        assert sorted(p.name for p in export.iterdir()) == marts
        years = sorted(p.name for p in (export / "report_summary").iterdir())
        assert years[0].startswith("report_year=20") and len(years) > 5
        for mart in marts:
            cols = [r[0] for r in con.execute(f"describe marts.{mart}").fetchall()]
            select = ", ".join(f'"{c}"' for c in cols)
            published = con.execute(f"select {select} from marts.{mart} order by all").fetchall()
            exported = con.execute(
                f"select {select} from read_parquet('{export / mart}/**/*.parquet', hive_partitioning = true)"
                " order by all"
            ).fetchall()
            assert exported == published, mart
    finally:
        con.close()

"""`nianbao bench --build`: the JSON record of three real builds (cold, no-op, +1 file) and the comparison
with the previous run. Timings are printed, never asserted."""

import json
import shutil

import pytest

from nianbao.bench_build import bench_build, compare, latest_record, render
from tests.conftest import SEEDS


@pytest.mark.e2e
def test_bench_build_records_cold_noop_and_incremental_builds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(SEEDS.iterdir())[:3]:
        shutil.copy(f, corpus / f.name)
    out = tmp_path / "bench"
    record = bench_build(corpus, out, add=1, workers=1)
    print(render(record))

    written = sorted(out.glob("bench-*.json"))
    assert [p.name for p in written] == [f"bench-{record['at']}.json"]
    assert json.loads(written[0].read_text("utf-8")) == record
    assert not list(out.glob("work-*"))  # the bench's inputs and warehouse are removed
    assert (record["files"], record["added"], record["pdf_files"]) == (2, 1, 0)
    cold, noop, inc = record["cold"], record["noop"], record["incremental"]
    assert (cold["exit_code"], cold["ok"], cold["documents_seen"], cold["documents_new"]) == (0, True, 2, 2)
    # Nothing new: up to date, or (when the code changed in between, as in a working tree) rebuilt as such.
    assert (noop["exit_code"], noop["ok"], noop["documents_new"]) == (0, True, 0)
    assert (inc["exit_code"], inc["ok"], inc["documents_new"]) == (0, True, 1)
    assert {"ingest", "parse", "dbt_build"} <= set(cold["stage_seconds"])
    assert set(record["metrics"]) == {
        "cold_s",
        "noop_s",
        "incremental_s",
        "peak_rss_mb",
        "peak_pss_mb",
        "ingest_parse_s",
        "reports_per_s",
        "ingest_parse_reports_per_s",
        "pdfs_per_s",
    }
    assert record["metrics"]["peak_rss_mb"] > 50  # the build's process tree was sampled
    # Shared pages count once in PSS, once per process in RSS: never more, at any sample.
    assert 0 < record["metrics"]["peak_pss_mb"] <= record["metrics"]["peak_rss_mb"]
    assert record["metrics"]["pdfs_per_s"] is None  # no PDF in the corpus
    assert (record["previous"], record["regressions"]) == (None, [])


def test_a_metric_more_than_20_percent_worse_is_a_regression():
    old = {"cold_s": 10.0, "noop_s": 2.0, "peak_rss_mb": 500.0, "reports_per_s": 100.0, "pdfs_per_s": None}
    new = {"cold_s": 13.0, "noop_s": 1.0, "peak_rss_mb": 590.0, "reports_per_s": 70.0, "pdfs_per_s": 9.0}
    assert compare(old, new) == ["cold_s 10 -> 13 (+30%)", "reports_per_s 100 -> 70 (-30%)"]
    assert compare(new, new) == []


def test_the_previous_run_is_the_newest_bench_file(tmp_path):
    assert latest_record(tmp_path) is None
    for stamp, cold in (("20261130T100000", 1.0), ("20261201T090000", 2.0), ("20261130T235959", 3.0)):
        (tmp_path / f"bench-{stamp}.json").write_text(json.dumps({"metrics": {"cold_s": cold}}), "utf-8")
    path, record = latest_record(tmp_path)
    assert (path.name, record["metrics"]["cold_s"]) == ("bench-20261201T090000.json", 2.0)

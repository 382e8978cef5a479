"""Time what adding reports to a large built warehouse costs, stage by stage (write-audit-publish, dbt, GX).

Takes a warehouse with built marts (e.g. one scripts/replicate_corpus.py made), then does what a build does
after ingest and parse: copies it to a candidate (start_candidate), stages `--add` new reports (copies of
existing ones under new ids, the next year of the same bodies), plans the batch, runs dbt incremental,
validates the batch with GX, publishes and exports the marts as Parquet (by the batch's changes, on top of a
whole export of the input made first and timed as `export_whole`). dbt's project parse is made once before
(as a flow's build folder keeps it). Prints seconds per step, the file size and dbt's slowest nodes. Leaves the input file
as it was (the published file is a copy next to it). Parsing is not timed here: `nianbao bench` does that.

Usage: python scripts/bench_incremental.py BUILT.duckdb [--add 100] [--full]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

import duckdb

from nianbao.dbt_build import PROJECT_DIR, run_dbt, run_dbt_build, stable_path
from nianbao.export import export_marts
from nianbao.incremental import plan_build_batch
from nianbao.payloads import copy_warehouse
from nianbao.staging_schema import STAGING_DDL
from nianbao.validate import validate_stage
from nianbao.warehouse import connect, discard, publish, record_build, recorded_fingerprint, start_candidate


def add_reports(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """`n` new reports: copies of existing ones under new ids, one year later than their body's latest.
    The ids and file names carry the time, so the bench runs again on a warehouse it published."""
    tag = f"added{time.time_ns()}_"
    con.execute(
        "create temp table added as select document_id as old_id, sha256(document_id || ?) as new_id "
        "from staging.documents order by document_id limit ?",
        [tag, n],
    )
    for table in STAGING_DDL:
        cols = [r[0] for r in con.execute(f"describe staging.{table}").fetchall()]
        if "document_id" not in cols or table == "quarantine":
            continue
        exprs = [
            "a.new_id" if c == "document_id"
            else "t.report_year + 20" if table == "report_metadata" and c == "report_year"
            else f"'{tag}' || t.{c}" if table == "documents" and c in ("source_file", "source_path")
            else f"t.{c}"
            for c in cols
        ]  # fmt: skip
        con.execute(
            f"insert into staging.{table} select {', '.join(exprs)} from staging.{table} t "
            "join added a on t.document_id = a.old_id"
        )


def slowest_nodes(target_dir: Path, n: int = 12) -> None:
    """dbt's own seconds per node (run_results.json): the slowest, and the sum by kind."""
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    nodes = [(r["execution_time"], r["unique_id"]) for r in results["results"]]
    kinds: dict[str, list[float]] = {}
    for secs, uid in nodes:
        kinds.setdefault(uid.split(".")[0], []).append(secs)
    print(
        "  dbt elapsed",
        round(results["elapsed_time"], 2),
        "s;",
        ", ".join(f"{k} {len(v)} nodes {sum(v):.1f}s" for k, v in sorted(kinds.items())),
    )
    for secs, uid in sorted(nodes, reverse=True)[:n]:
        print(f"  {secs:7.2f}s {uid}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("built", type=Path)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--full", action="store_true", help="rebuild the marts in full instead (to compare)")
    args = parser.parse_args()
    work = args.built.parent / "bench-incremental"
    work.mkdir(exist_ok=True)
    published = work / "warehouse.duckdb"
    dbt_dir = work / "dbt"
    times: dict[str, float] = {}

    def lap(step: str, started: float) -> None:
        times[step] = round(time.perf_counter() - started, 2)
        print(f"{step:22s} {times[step]:8.2f}s", flush=True)

    t = time.perf_counter()
    copy_warehouse(args.built, published)
    lap("copy_input", t)
    with connect(published) as con:
        fingerprint = recorded_fingerprint(con) or "bench"
        last = con.execute("select run_id from meta.builds order by built_at desc limit 1").fetchone()
    if not (dbt_dir / "partial_parse.msgpack").exists():
        (dbt_dir / "logs").mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        with stable_path(published, dbt_dir) as path:
            run_dbt(
                ["parse"],
                warehouse=path,
                project_dir=PROJECT_DIR,
                target_dir=dbt_dir,
                log_dir=dbt_dir / "logs",
                timeout_s=None,
            )
        lap("dbt_parse (once)", t)
    t = time.perf_counter()
    export_marts(published, last[0] if last else "input")
    lap("export_whole", t)
    run_id = f"bench-{time.strftime('%Y%m%dT%H%M%S')}"  # a new version name per run

    t = time.perf_counter()
    cand = start_candidate(published, "bench")
    lap("start_candidate", t)
    t = time.perf_counter()
    with connect(cand) as con:
        add_reports(con, args.add)
    lap("stage_added", t)
    t = time.perf_counter()
    batch = plan_build_batch(cand, same_code=not args.full)
    lap("plan_batch", t)
    t = time.perf_counter()
    dbt = run_dbt_build(cand, target_dir=dbt_dir, incremental=batch is not None)
    lap("dbt_build", t)
    if not dbt.success:
        print(dbt.messages, dbt.stderr_tail[-2000:])
        discard(cand)
        return 1
    slowest_nodes(dbt_dir)
    t = time.perf_counter()
    with connect(cand, read_only=True) as con:
        for stage in ("raw_documents", "staging", "marts"):
            val = validate_stage(con, stage, only_batch=batch is not None)
            print(f"  GX {stage}: {val.passed}/{val.evaluated} passed in {val.seconds}s")
    lap("validate", t)
    t = time.perf_counter()
    record_build(cand, run_id, fingerprint, datetime.now())
    publish(cand, published, run_id)
    lap("publish", t)
    t = time.perf_counter()
    export_marts(published, run_id)
    lap("export", t)
    size = published.stat().st_size
    print(json.dumps({"batch": batch, "added": args.add, "warehouse_bytes": size, "seconds": times}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

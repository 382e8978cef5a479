"""Time and size GX validation of a built warehouse: seconds, peak RSS and where the time went, per stage.

Each stage runs in a fresh child process (so each pays the GX import, as a build does once, and its peak RSS
is its own), on the warehouse opened read-only. `--only-batch N` validates as an incremental build of N
documents would: it works on a copy with `meta.build_batch` holding the N last document ids.

Usage: python scripts/bench_validate.py WAREHOUSE.duckdb [--chunk 2000] [--only-batch 100] [--docs DIR]
       [--expectations DIR]  (suites other than expectations/, e.g. those the warehouse was built with)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nianbao.validate import CHUNK_DOCUMENTS, STAGES


def measure(args: argparse.Namespace) -> dict[str, object]:
    """One stage in this process: the figures `main` prints."""
    import duckdb

    from nianbao.validate import validate_stage

    con = duckdb.connect(str(args.warehouse), read_only=True)
    started = time.perf_counter()
    result = validate_stage(
        con,
        args.stage,
        only_batch=args.only_batch > 0,
        chunk_documents=args.chunk,
        docs_dir=args.docs,
        expectations_dir=args.expectations,
    )
    return {
        "stage": args.stage,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "timings": result.timings,
        "evaluated": result.evaluated,
        "failed": [f.describe() for f in result.failed],
    }


def with_batch(warehouse: Path, n: int, folder: Path) -> Path:
    """A copy of the warehouse whose `meta.build_batch` holds its `n` last documents."""
    import duckdb

    from nianbao.incremental import BATCH_TABLE

    copy = folder / warehouse.name
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("create schema if not exists meta")
        con.execute(
            f"create or replace table {BATCH_TABLE} as "
            "select document_id from staging.documents order by document_id desc limit ?",
            [n],
        )
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--chunk", type=int, default=CHUNK_DOCUMENTS, help="documents per GX run")
    parser.add_argument("--only-batch", type=int, default=0, help="validate a batch of this many documents")
    parser.add_argument("--docs", type=Path, help="render data docs here")
    parser.add_argument("--expectations", type=Path, help="suites folder (default: expectations/)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(measure(args)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = (
            with_batch(args.warehouse, args.only_batch, Path(tmp)) if args.only_batch else args.warehouse
        )
        for stage in STAGES:
            cmd = [sys.executable, __file__, str(warehouse), "--stage", stage, "--chunk", str(args.chunk)]
            cmd += ["--only-batch", str(args.only_batch)]
            for option, value in (("--docs", args.docs), ("--expectations", args.expectations)):
                cmd += [option, str(value)] if value else []
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()

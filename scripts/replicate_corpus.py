"""Make a large warehouse for timing: replicate a built warehouse's reports under other names and years.

Every staged report (staging.* rows of a warehouse `nianbao build` wrote) is copied `--copies` times; copy k
gets a new document id and file name, its year moved by k mod `--years` (so a body has a run of years for
the trend and cross-year marts) and, for each new run of years, its body renamed (agency + 第N分局), so the
bodies multiply too. Then dbt builds the marts on the copy and each query of docs/queries is timed.
Parsing 20 000 files would take hours on two cores; the marts and queries see the same rows either way.

Usage: python scripts/replicate_corpus.py BUILT.duckdb OUT.duckdb [--copies 500] [--years 15]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

from nianbao.dbt_build import run_dbt_build
from nianbao.staging_schema import STAGING_DDL

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "docs" / "queries"


def replicate(con: duckdb.DuckDBPyConnection, copies: int, years: int) -> int:
    """Replace staging with `copies` renamed copies of every document; returns the number of documents."""
    con.execute(
        "create temp table copies as select range as k, range // ? as body_run, range % ? as year_shift "
        "from range(?)",
        [years, years, copies],
    )
    con.execute(
        "create temp table id_map as select d.document_id as old_id, "
        "sha256(d.document_id || '#' || c.k) as new_id, c.k, c.body_run, c.year_shift "
        "from staging.documents d cross join copies c"
    )
    for table in STAGING_DDL:
        cols = [r[0] for r in con.execute(f"describe staging.{table}").fetchall()]
        if "document_id" not in cols:
            continue
        exprs = []
        for col in cols:
            if col == "document_id":
                exprs.append("m.new_id")
            elif table == "documents" and col in ("source_file", "source_path"):
                exprs.append(f"'c' || m.k || '_' || t.{col}")
            elif table == "report_metadata" and col == "report_year":
                exprs.append("t.report_year + m.year_shift")
            elif table == "report_metadata" and col == "agency":
                exprs.append(
                    "case when m.body_run = 0 then t.agency else t.agency || '第' || m.body_run || '分局' end"
                )
            else:
                exprs.append(f"t.{col}")
        con.execute(f"create temp table rep as select {', '.join(exprs)} from staging.{table} t "
                    "join id_map m on t.document_id = m.old_id")  # fmt: skip
        con.execute(f"delete from staging.{table}")
        con.execute(f"insert into staging.{table} select * from rep")
        con.execute("drop table rep")
    return con.execute("select count(*) from staging.documents").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("built", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--years", type=int, default=15)
    args = parser.parse_args()
    shutil.copy(args.built, args.out)
    con = duckdb.connect(str(args.out))
    try:
        n = replicate(con, args.copies, args.years)
    finally:
        con.close()
    print(f"{n} reports staged in {args.out}")
    started = time.perf_counter()
    result = run_dbt_build(args.out, target_dir=args.out.parent / "dbt-replicated")
    print(f"dbt build: {'ok' if result.success else 'FAILED'} in {time.perf_counter() - started:.1f}s")
    if not result.success:
        print(result.stderr_tail)
        return 1
    con = duckdb.connect(str(args.out), read_only=True)
    try:
        print(
            f"marts.report_summary rows: {con.execute('select count(*) from marts.report_summary').fetchone()[0]}"
        )
        for query in sorted(QUERIES.glob("*.sql")):
            started = time.perf_counter()
            rows = len(con.execute(query.read_text(encoding="utf-8")).fetchall())
            print(f"{query.stem:40s} {time.perf_counter() - started:7.3f}s  {rows} rows")
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

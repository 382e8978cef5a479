"""The published marts as Parquet next to the warehouse file, for readers on other machines.

`build/parquet/<mart>/report_year=YYYY/*.parquet` (hive partitions; a mart without `report_year`, or without
rows, is one `<mart>/data.parquet`). Each publish writes a complete export to `parquet-<run_id>/`, then swaps the
`parquet` symlink to it with one rename, so a reader resolves either the old export or the new one, never a
half-written folder. The previous export is kept for readers still inside it; older ones are removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

LINK = "parquet"
PARTITION = "report_year"


def export_root(warehouse: Path) -> Path:
    return warehouse.parent / LINK


def export_marts(warehouse: Path, run_id: str) -> Path:
    """Write every table and view of schema `marts` of the published `warehouse`; returns the export root."""
    parent = warehouse.parent
    target = parent / f"{LINK}-{run_id}"
    tmp = parent / f".{LINK}-{run_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = con.execute(
            """select table_name, bool_or(column_name = ?) from information_schema.columns
               where table_schema = 'marts' group by table_name order by table_name""",
            [PARTITION],
        ).fetchall()
        for mart, partitioned in marts:
            out = tmp / mart
            if partitioned and con.execute(f"select count(*) from marts.{mart}").fetchone()[0]:
                con.execute(
                    f"copy (select * from marts.{mart}) to '{out}' (format parquet, partition_by ({PARTITION}))"
                )
            else:
                out.mkdir()
                con.execute(f"copy (select * from marts.{mart}) to '{out / 'data.parquet'}' (format parquet)")
    finally:
        con.close()
    tmp.rename(target)
    link = export_root(warehouse)
    new_link = parent / f".{LINK}.link-{run_id}"
    new_link.unlink(missing_ok=True)
    new_link.symlink_to(target.name)
    previous = os.readlink(link) if link.is_symlink() else None
    os.replace(new_link, link)
    for old in parent.glob(f"{LINK}-*"):
        if old.name not in (target.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    return link

"""The published marts as Parquet next to the warehouse file, for readers on other machines.

`build/parquet/<mart>/report_year=YYYY/*.parquet` (hive partitions; a mart without `report_year`, or without
rows, is `<mart>/*.parquet`). Each publish writes a complete export to `parquet-<run_id>/`, then swaps the
`parquet` symlink to it with one rename, so a reader resolves either the old export or the new one, never a
half-written folder. The previous export is kept for readers still inside it; older ones are removed.

Rewriting every mart at each publish costs as much as the marts are large (at 20 000 reports ~10 s, growing
with the corpus), so after an incremental build (`meta.build_batch` in the published file) the marts by
document (dbt_project.yml: the incremental marts) are exported by their changes. Their files are parts,
each holding all the rows of its documents (a cold export cuts them every ~`ROWS_PER_PART` rows of one body's
reports after another: the reports whose rows change together, a body's, sit together). Only a batch
document can have other rows than in the previous export (nianbao/incremental.py); those whose rows differ
(a content hash per document, new and removed ones included) go to one new part per partition, together with
the other documents of the parts that held their old rows, and the parts smaller than `COMPACT_BELOW` rows;
every other part is hard-linked from the previous export. The small marts rebuilt in full are written whole.
An export is named for the build it mirrors (the flow exports under the build's run id, the `meta.builds`
row publish recorded); an export by changes is made only on top of the export of the build just before, so a
failed or skipped export is followed by a full one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import yaml

from nianbao.dbt_build import PROJECT_DIR
from nianbao.warehouse import connect

LINK = "parquet"
PARTITION = "report_year"
ROWS_PER_PART = 10_000  # a cold export cuts a mart by document into parts of about this many rows
COMPACT_BELOW = ROWS_PER_PART // 4  # a part with fewer rows is merged into the next export's new part


def export_root(warehouse: Path) -> Path:
    return warehouse.parent / LINK


def by_document_marts(project_dir: Path = PROJECT_DIR) -> set[str]:
    """The marts dbt builds incrementally by document (their `+materialized: incremental` in dbt_project.yml)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    marts = project["models"][project["name"]]["marts"]
    return {
        name
        for name, cfg in marts.items()
        if not name.startswith("+") and isinstance(cfg, dict) and cfg.get("+materialized") == "incremental"
    }


def export_marts(warehouse: Path, run_id: str) -> Path:
    """Write every table and view of schema `marts` of the published `warehouse`; returns the export root."""
    parent = warehouse.parent
    target = parent / f"{LINK}-{run_id}"
    tmp = parent / f".{LINK}-{run_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    link = export_root(warehouse)
    with connect(warehouse, read_only=True) as con:  # under the warehouse's DuckDB memory limit
        previous = _previous_export(link, _builds(con), con)
        by_document = by_document_marts()
        marts = con.execute(
            """select table_name, bool_or(column_name = ?) from information_schema.columns
               where table_schema = 'marts' group by table_name order by table_name""",
            [PARTITION],
        ).fetchall()
        for mart, partitioned in marts:
            if mart not in by_document:
                _write_whole(con, mart, partitioned, tmp / mart)
            elif previous is not None and (previous / mart).is_dir():
                _write_changes(con, mart, partitioned, previous / mart, tmp / mart, run_id)
            else:
                _write_parts(con, mart, partitioned, tmp / mart, run_id)
            if not any((tmp / mart).rglob("*.parquet")):  # no rows: an empty file says which columns
                _write_whole(con, mart, False, tmp / mart)
    tmp.rename(target)
    new_link = parent / f".{LINK}.link-{run_id}"
    new_link.unlink(missing_ok=True)
    new_link.symlink_to(target.name)
    previous_name = os.readlink(link) if link.is_symlink() else None
    os.replace(new_link, link)
    for old in parent.glob(f"{LINK}-*"):
        if old.name not in (target.name, previous_name):
            shutil.rmtree(old, ignore_errors=True)
    return link


def _builds(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The runs that built this warehouse's marts, newest first (none for a file no build recorded)."""
    have = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = 'builds'"
    ).fetchone()[0]
    if not have:
        return []
    return [
        r[0]
        for r in con.execute("select run_id from meta.builds order by built_at desc, run_id desc").fetchall()
    ]


def _previous_export(link: Path, builds: list[str], con: duckdb.DuckDBPyConnection) -> Path | None:
    """The current export, when this publish was an incremental build on top of the build it mirrors."""
    batch = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'meta' and table_name = 'build_batch'"
    ).fetchone()[0]
    if not batch or len(builds) < 2 or not link.is_symlink() or not link.is_dir():
        return None
    return link.resolve() if os.readlink(link) == f"{LINK}-{builds[1]}" else None


def _columns(con: duckdb.DuckDBPyConnection, mart: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe marts.{mart}").fetchall()]


def _write_whole(con: duckdb.DuckDBPyConnection, mart: str, partitioned: bool, out: Path) -> None:
    if partitioned and con.execute(f"select count(*) from marts.{mart}").fetchone()[0]:
        con.execute(
            f"copy (select * from marts.{mart}) to '{out}' (format parquet, partition_by ({PARTITION}))"
        )
    else:
        out.mkdir(exist_ok=True)
        con.execute(f"copy (select * from marts.{mart}) to '{out / 'data.parquet'}' (format parquet)")


def _write_parts(
    con: duckdb.DuckDBPyConnection,
    mart: str,
    partitioned: bool,
    out: Path,
    run_id: str,
    only: tuple[str, str] | None = None,
) -> None:
    """The mart's rows as parts of whole documents, `<out>/[report_year=Y/]part-<run_id>-<n>.parquet`: cut
    every ~`ROWS_PER_PART` rows of a body's reports after another, or, with `only` (a relation holding the
    mart's rows, a temp table of documents), that table's documents' rows as one part (per partition)."""
    out.mkdir(parents=True, exist_ok=True)
    parts = out.parent / f".{out.name}.parts"
    shutil.rmtree(parts, ignore_errors=True)
    if only:
        relation, docs = only
        source = f"select m.*, 0 as _part from {relation} m where m.document_id in (select document_id from {docs})"
    else:
        source = f"""
            with docs as (select document_id, count(*) as n from marts.{mart} group by document_id),
            cut as (
                select docs.document_id,
                    (sum(docs.n) over (
                        order by r.agency_key nulls last, r.report_year nulls last, docs.document_id
                        rows between unbounded preceding and current row
                    ) - docs.n) // {ROWS_PER_PART} as _part
                from docs left join marts.dim_report r using (document_id)
            )
            select m.*, cut._part from marts.{mart} m join cut using (document_id)"""
    by = f"_part, {PARTITION}" if partitioned else "_part"
    con.execute(f"copy ({source}) to '{parts}' (format parquet, partition_by ({by}), overwrite_or_ignore)")
    for part_dir in sorted(parts.iterdir()) if parts.exists() else ():
        n = part_dir.name.split("=", 1)[1]
        for folder in sorted({f.parent for f in part_dir.rglob("*.parquet")}):
            rel = folder.relative_to(part_dir)
            (out / rel).mkdir(parents=True, exist_ok=True)
            for i, f in enumerate(sorted(folder.glob("*.parquet"))):
                f.rename(out / rel / f"part-{run_id}-{n}{f'-{i}' if i else ''}.parquet")
    shutil.rmtree(parts, ignore_errors=True)


def _write_changes(
    con: duckdb.DuckDBPyConnection, mart: str, partitioned: bool, before: Path, out: Path, run_id: str
) -> None:
    """The previous export `before` of a mart by document, brought up to the published rows (module doc)."""
    files = sorted(str(f) for f in before.rglob("*.parquet"))
    rows = dict(
        con.execute(
            "select file_name, sum(num_rows) from parquet_file_metadata(?) group by all", [files]
        ).fetchall()
        if files
        else []
    )
    held = [f for f in files if rows[f]]  # an empty mart's file has no partition folder
    if not held:
        _write_parts(con, mart, partitioned, out, run_id)
        return
    cols = _columns(con, mart)
    row = ", ".join(f'cast("{c}" as {t})' for c, t in cols)
    read = f"read_parquet(?, filename = true, hive_partitioning = {str(partitioned).lower()})"
    batch = "(select document_id from meta.build_batch)"
    con.execute(
        f"""create or replace temp table old_docs as
            select document_id, filename, sum(hash({row})::hugeint) as h, count(*) as n from {read}
            where document_id in {batch} group by all""",
        [held],
    )
    # The batch's rows and those of the small parts (rewritten whatever changed; few rows by definition): the
    # mart's one scan when no other part holds a changed document, as after new reports only.
    small = sorted(f for f, n in rows.items() if n < COMPACT_BELOW)
    ids = f"select document_id from {batch}"
    if small:
        ids += " union select document_id from read_parquet(?, hive_partitioning = false)"
    con.execute(f"create or replace temp table mart_docs as {ids}", [small] if small else [])
    con.execute(
        f"""create or replace temp table mart_rows as select * from marts.{mart}
            where document_id in (select document_id from mart_docs)"""
    )
    con.execute(
        f"""create or replace temp table changed as
            with new_docs as (
                select document_id, sum(hash({row})::hugeint) as h, count(*) as n from mart_rows
                where document_id in {batch} group by all
            ),
            old as (select document_id, sum(h) as h, sum(n) as n from old_docs group by all)
            select document_id from new_docs full join old using (document_id)
            where (new_docs.h, new_docs.n) is distinct from (old.h, old.n)"""
    )
    dirty = {r[0] for r in con.execute(
        "select distinct filename from old_docs where document_id in (select document_id from changed)"
    ).fetchall()} | set(small)  # fmt: skip
    if dirty:
        con.execute(
            """create or replace temp table rewrite as
                select document_id from changed
                union
                select document_id from read_parquet(?, hive_partitioning = false)""",
            [sorted(dirty)],
        )
    else:
        con.execute("create or replace temp table rewrite as select document_id from changed")
    # The other documents of the dirty parts are not in the batch, so their rows are those of the previous
    # export: read from its dirty files (small), not from the mart (a scan of the whole mart per mart).
    if dirty:
        cast = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in cols)
        con.execute(
            f"""insert into mart_rows select {cast}
                from read_parquet(?, hive_partitioning = {str(partitioned).lower()})
                where document_id in (select document_id from rewrite)
                and document_id not in (select document_id from mart_docs)""",
            [sorted(dirty)],
        )
    _write_parts(con, mart, partitioned, out, run_id, only=("mart_rows", "rewrite"))
    for f in files:
        if f not in dirty:
            rel = Path(f).relative_to(before)
            (out / rel.parent).mkdir(parents=True, exist_ok=True)
            os.link(f, out / rel)

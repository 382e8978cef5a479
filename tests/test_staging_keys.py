"""The per-document staging tables carry no primary key (staging_schema.UNDECLARED_KEYS): a warehouse built
with the keys loses them when a build opens it, rows intact, and the one writer keeps the keys unique."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from nianbao import batches, stages
from nianbao.staging import PARSED_TABLES, create_staging
from nianbao.staging_schema import STAGING_DDL, UNDECLARED_KEYS
from nianbao.warehouse import connect, publish, start_candidate
from tests.conftest import FIXTURES, SEEDS

AT = datetime(2026, 1, 2, 3, 4, 5)
# reports with tables, prose figures and sections
REPORTS = [
    str(FIXTURES / "html_tables" / "std2021_county.html"),
    *(str(p) for p in sorted(SEEDS.glob("*.txt"))[:2]),
]
KEYED = ("documents", "report_metadata", "quarantine")  # small, or read by `on conflict`


def _primary_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            """select table_name from duckdb_constraints()
               where schema_name = 'staging' and constraint_type = 'PRIMARY KEY' order by 1"""
        ).fetchall()
    ]


def _staged(tmp_path: Path, paths: list[str], run: str = "run") -> Path:
    """A published warehouse holding `paths`, staged the way a build stages them."""
    warehouse = tmp_path / "warehouse.duckdb"
    cand = start_candidate(warehouse, run)
    with connect(cand) as con:
        todo, _ = stages.claim_new(con, stages.hash_batch(paths))
        url = stages.ingest_parse_batch(todo, str(tmp_path / "batches" / run), 0, AT, 1)["url"]
        batches.stage_batch(con, url)
        con.execute(f"drop table {stages.CLAIMS}")
    return publish(cand, warehouse)


def _with_old_keys(warehouse: Path) -> None:
    """Give the tables the primary keys their DDL declared before (what a warehouse built then has)."""
    with connect(warehouse) as con:
        for table, key in UNDECLARED_KEYS.items():
            con.execute(
                f"create table staging.old_{table} ({STAGING_DDL[table]}\n, primary key ({', '.join(key)}))"
            )
            con.execute(f"insert into staging.old_{table} by name select * from staging.{table}")
            con.execute(f"drop table staging.{table}")
            con.execute(f"alter table staging.old_{table} rename to {table}")
        con.execute("checkpoint")


def _rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {t: con.execute(f"select * from staging.{t} order by all").fetchall() for t in PARSED_TABLES}


def test_a_warehouse_with_the_old_keys_loses_them_on_open_with_its_rows(tmp_path: Path) -> None:
    warehouse = _staged(tmp_path, REPORTS)
    _with_old_keys(warehouse)
    with connect(warehouse, read_only=True) as con:
        assert _primary_keys(con) == sorted((*KEYED, *UNDECLARED_KEYS))
        before = _rows(con)
    assert {t: len(before[t]) for t in UNDECLARED_KEYS} == {
        "sections": 16,
        "prose_facts": 20,
        "table_cells": 200,
        "parse_issues": 1,
    }
    cand = start_candidate(warehouse, "next")
    with connect(cand) as con:
        assert _primary_keys(con) == sorted(KEYED)
        assert _rows(con) == before
        assert con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'staging' and table_name like '_rebuilt_%'"
        ).fetchone() == (0,)
        assert create_staging(con) is False  # once migrated, an open changes nothing


def test_restaging_a_document_replaces_its_rows_without_a_key_to_stop_a_double(tmp_path: Path) -> None:
    """No key refuses a second copy of a document's rows: the writer's delete-then-insert must."""
    warehouse = _staged(tmp_path, REPORTS)
    with connect(warehouse, read_only=True) as con:
        once = _rows(con)
    cand = start_candidate(warehouse, "again")
    with connect(cand) as con:
        con.execute("update staging.documents set parser_version = 'older'")  # claimed again, staged again
        todo, _ = stages.claim_new(con, stages.hash_batch(REPORTS))
        assert len(todo) == 3
        batches.stage_batch(con, stages.ingest_parse_batch(todo, str(tmp_path / "again"), 0, AT, 1)["url"])
        assert _rows(con) == once
        for table, key in UNDECLARED_KEYS.items():
            cols = ", ".join(key)
            dups = f"select {cols} from staging.{table} group by all having count(*) > 1"
            assert con.execute(dups).fetchall() == [], table

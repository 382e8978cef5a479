"""nianbao.dbt_build.stable_path: every build's candidate under one path, so dbt's partial parse carries over.

(That dbt then skips the parse is checked end to end in test_incremental_marts.py.) Real files and DuckDB.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from nianbao.dbt_build import STABLE_NAME, stable_path


def test_the_candidate_is_linked_under_the_stable_name_and_unlinked_after(tmp_path: Path) -> None:
    target = tmp_path / "dbt"
    target.mkdir()
    for name in ("a.duckdb", "b.duckdb"):
        warehouse = tmp_path / name
        duckdb.connect(str(warehouse)).execute(f"create table t as select '{name}' as name").close()
        with stable_path(warehouse, target) as path:
            assert path == target / STABLE_NAME
            assert path.stat().st_ino == warehouse.stat().st_ino
            with duckdb.connect(str(path)) as con:  # DuckDB names the catalog after the path it was given
                assert con.execute("select current_database(), name from t").fetchone() == ("warehouse", name)
                con.execute("insert into t values ('written')")
        assert not path.exists()
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("select count(*) from t").fetchone() == (2,)


def test_a_wal_left_at_the_link_goes_back_to_the_candidate(tmp_path: Path) -> None:
    """dbt killed before its checkpoint: what it committed is in the WAL, which DuckDB looks for by path."""
    target = tmp_path / "dbt"
    target.mkdir()
    (target / (STABLE_NAME + ".wal")).write_bytes(b"stale: from a build killed earlier")
    warehouse = tmp_path / "cand.duckdb"
    duckdb.connect(str(warehouse)).close()
    with stable_path(warehouse, target) as path:
        assert not (target / (STABLE_NAME + ".wal")).exists()  # a stale WAL never meets this candidate
        (target / (STABLE_NAME + ".wal")).write_bytes(b"this build's")
    assert not path.exists()
    assert not (target / (STABLE_NAME + ".wal")).exists()
    assert (tmp_path / "cand.duckdb.wal").read_bytes() == b"this build's"


def test_no_file_yet_gives_the_path_itself(tmp_path: Path) -> None:
    with stable_path(tmp_path / "new.duckdb", tmp_path) as path:
        assert path == tmp_path / "new.duckdb"


def test_a_spill_folder_left_by_a_killed_dbt_is_removed_before_and_after(tmp_path: Path) -> None:
    """DuckDB spills to `<database path>.tmp` under the memory limit; a killed dbt leaves it (a GB at scale)."""
    target = tmp_path / "dbt"
    spill = target / (STABLE_NAME + ".tmp")
    spill.mkdir(parents=True)
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 1024)
    warehouse = tmp_path / "cand.duckdb"
    duckdb.connect(str(warehouse)).close()
    with stable_path(warehouse, target):
        assert not spill.exists()
        spill.mkdir()
        (spill / "duckdb_temp_storage-1.tmp").write_bytes(b"this build's")
    assert not spill.exists()

"""The batch stream without Prefect: lazy discovery that stays inside the given folders, the "already known?"
join in DuckDB, and Parquet batches (schema from the staging DDL) staged by one writer."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nianbao import PARSER_VERSION, batches, stages
from nianbao.ingest import discover, file_id
from nianbao.parse import POOL_THRESHOLD, close_pool
from nianbao.payloads import PAYLOAD_COLUMNS
from nianbao.staging import PARSED_TABLES
from nianbao.staging_schema import STAGING_DDL, ddl_columns
from nianbao.warehouse import MEMORY_LIMIT_ENV, connect, start_candidate
from tests.conftest import FIXTURES, SEEDS

AT = datetime(2026, 1, 2, 3, 4, 5)
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_discover_is_lazy_sorted_and_skips_hidden(tmp_path):
    for rel in ("b/2.txt", "b/1.txt", "a.txt", "a/z.txt", ".hidden.txt", ".git/x.txt", "c/.y.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    found = discover([tmp_path])
    assert iter(found) is found  # a generator: a corpus is never listed whole
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/z.txt", "a.txt", "b/1.txt", "b/2.txt"]


def test_discover_does_not_follow_symlinks_out_of_the_given_folder(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "sub").mkdir(parents=True)
    outside.mkdir()
    (inbox / "sub" / "report.txt").write_text("in")
    (outside / "secret.txt").write_text("out")
    os.symlink(outside / "secret.txt", inbox / "secret_link.txt")  # a file outside: not read
    os.symlink(outside, inbox / "outside_dir")  # a folder outside: not walked
    os.symlink(inbox / "sub", inbox / "sub_again")  # a folder inside: walked where it is, not twice
    os.symlink(inbox, inbox / "sub" / "loop")  # a cycle: never walked
    os.symlink(inbox / "sub" / "report.txt", inbox / "alias.txt")  # a file inside: a path like any other
    os.symlink(tmp_path / "missing.txt", inbox / "dangling.txt")  # points nowhere: skipped
    assert [p.relative_to(inbox).as_posix() for p in discover([inbox])] == ["alias.txt", "sub/report.txt"]
    # a file given by name is the operator's choice, link or not
    assert list(discover([inbox / "secret_link.txt"])) == [inbox / "secret_link.txt"]


def test_parquet_schema_is_the_staging_ddl():
    for table in batches.BATCH_TABLES:
        if table != "documents":
            assert batches.arrow_schema(table).names == list(ddl_columns(STAGING_DDL[table]))
    # a batch's documents carry their payloads; staging moves them to a segment (nianbao/payloads.py)
    documents = [c for c in ddl_columns(STAGING_DDL["documents"]) if c != "payload_segment"]
    assert batches.arrow_schema("documents").names == documents + list(PAYLOAD_COLUMNS)
    meta = batches.arrow_schema("report_metadata")
    assert (str(meta.field("report_year").type), str(meta.field("published_on").type)) == (
        "int32",
        "date32[day]",
    )


def test_dict_rows_become_the_tables_columns():
    """A missing key is NULL, a key that is no column is dropped, dates come as ISO strings or datetimes,
    and a value of the wrong type fails the part rather than being stored as something else."""
    meta = batches.to_arrow(
        "report_metadata",
        [
            {"document_id": "a", "report_year": 2021, "published_on": "2022-01-23", "not_a_column": 1},
            {"document_id": "b"},
        ],
    )
    assert meta.schema == batches.arrow_schema("report_metadata")
    picked = meta.select(["document_id", "report_year", "published_on"]).to_pylist()
    assert picked == [
        {"document_id": "a", "report_year": 2021, "published_on": datetime(2022, 1, 23).date()},
        {"document_id": "b", "report_year": None, "published_on": None},
    ]
    q = batches.to_arrow(
        "quarantine", [{"document_id": "c", "stage": "parse", "first_seen": AT, "last_seen": AT}]
    )
    assert q.select(["document_id", "stage", "reason_code", "first_seen"]).to_pylist() == [
        {"document_id": "c", "stage": "parse", "reason_code": None, "first_seen": AT}
    ]
    with pytest.raises(pa.ArrowTypeError):
        batches.to_arrow("report_metadata", [{"document_id": 7}])


def test_the_stream_writer_checkpoints_at_its_own_threshold(tmp_path):
    with stages.open_writer(_candidate(tmp_path)) as con:
        threshold = con.execute("select current_setting('checkpoint_threshold')").fetchone()[0]
    with duckdb.connect(":memory:") as con:
        con.execute(f"set checkpoint_threshold = '{stages.WRITER_CHECKPOINT}'")
        assert threshold == con.execute("select current_setting('checkpoint_threshold')").fetchone()[0]


@pytest.mark.parametrize(("env", "shown"), [(None, "488.2 MiB"), ("", "488.2 MiB"), ("1GB", "953.6 MiB")])
def test_the_build_connections_run_under_a_memory_limit_by_default(tmp_path, monkeypatch, env, shown):
    """DuckDB's own default is 80 % of the machine's RAM, which its cache fills: the writer, and every other
    connection of the build, runs under DEFAULT_MEMORY_LIMIT (512MB) unless $NIANBAO_DUCKDB_MEMORY_LIMIT is set."""
    if env is None:
        monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    else:
        monkeypatch.setenv(MEMORY_LIMIT_ENV, env)
    cand = _candidate(tmp_path)
    for opened in (stages.open_writer(cand), connect(cand, read_only=True)):
        with opened as con:
            assert con.execute("select current_setting('memory_limit')").fetchone()[0] == shown


def _candidate(tmp_path: Path) -> Path:
    return start_candidate(tmp_path / "warehouse.duckdb", "run")


def _claim(cand: Path, pairs: list[tuple[str, str]], retry_transient: bool = False):
    """stages.claim_new on a connection of its own (the flow's stream holds one for every batch)."""
    with connect(cand) as con:
        return stages.claim_new(con, pairs, retry_transient)


def _stage(cand: Path, url: str) -> dict[str, int]:
    with connect(cand) as con:
        return batches.stage_batch(con, url)


def _rows(cand: Path, sql: str) -> list[tuple]:
    with connect(cand, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_claims_join_in_duckdb_and_count_unchanged_and_duplicates(tmp_path):
    cand = _candidate(tmp_path)
    a, b = str(SEED_FILES[0]), str(SEED_FILES[1])
    copy = tmp_path / "copy_of_a.txt"
    shutil.copy(a, copy)
    todo, ing = _claim(cand, stages.hash_batch([a, str(copy), b]))
    assert todo == [(a, file_id(Path(a))), (b, file_id(Path(b)))]
    assert (ing.seen, ing.duplicates, ing.unchanged) == (3, 1, 0)
    # a later batch of the same run repeating a claimed document: a duplicate, not parsed twice
    todo, ing = _claim(cand, stages.hash_batch([str(copy)]))
    assert (todo, ing.duplicates, ing.unchanged) == ([], 1, 0)
    res = stages.ingest_parse_batch([(a, file_id(Path(a)))], str(tmp_path / "batches"), 0, AT, 1)
    _stage(cand, res["url"])
    stages.release_claims(cand)
    assert _rows(cand, "select count(*) from information_schema.tables where table_name = 'run_claims'") == [
        (0,)
    ]
    # the next run: staged by this parser version is unchanged; b was claimed but never staged, so it is new
    todo, ing = _claim(cand, stages.hash_batch([a, b]))
    assert (todo, ing.unchanged) == ([(b, file_id(Path(b)))], 1)


def test_transient_quarantines_are_claimed_again_only_on_retry(tmp_path):
    cand = _candidate(tmp_path)
    path = str(SEED_FILES[0])
    doc_id = file_id(Path(path))
    with connect(cand) as con:
        con.execute(
            "insert into staging.quarantine values (?, ?, 'parse', 'parser_error', 'boom', ?, ?, ?)",
            [doc_id, path, PARSER_VERSION, AT, AT],
        )
    assert _claim(cand, [(path, doc_id)])[0] == []
    stages.release_claims(cand)
    assert _claim(cand, [(path, doc_id)], True)[0] == [(path, doc_id)]


def test_a_parquet_batch_stages_what_the_parser_found(tmp_path):
    cand = _candidate(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    listing = tmp_path / "listing.txt"
    listing.write_text("政府信息公开年度报告 目录\n" * 3)
    paths = [str(SEED_FILES[3]), str(empty), str(listing)]
    todo, _ = _claim(cand, stages.hash_batch(paths))
    res = stages.ingest_parse_batch(todo, str(tmp_path / "batches"), 7, AT, 1)
    assert res["url"] == str(tmp_path / "batches" / "batch-00007")
    assert (res["read"], res["ingest_quarantined"], res["quarantined"]) == (2, 1, 1)
    # one part (3 documents), a file for each table with rows: this plain-text report has no tables
    assert sorted(p.relative_to(res["url"]).as_posix() for p in Path(res["url"]).rglob("*.parquet")) == [
        f"{t}/part-00000.parquet"
        for t in ("documents", "prose_facts", "quarantine", "report_metadata", "sections")
    ]
    facts = pq.read_table(f"{res['url']}/prose_facts/part-00000.parquet")
    assert facts.schema == batches.arrow_schema("prose_facts") and facts.num_rows == res["figures"]
    counts = _stage(cand, res["url"])
    assert counts["table_cells"] == counts["parse_issues"] == res["cells"] == 0
    assert counts["prose_facts"] == res["figures"] > 0
    assert _rows(cand, "select source_path from staging.documents") == [(paths[0],)]
    assert _rows(
        cand, "select source_path, stage, reason_code, first_seen from staging.quarantine order by 1"
    ) == [
        (str(empty), "ingest", "empty_file", AT),
        (str(listing), "parse", "not_a_report", AT),
    ]
    assert _rows(cand, "select agency, report_year, published_on::varchar from staging.report_metadata") == [
        ("长沙市开福区", 2020, "2021-02-20")
    ]
    # staged again a day later: the rows are replaced, not doubled; a quarantine keeps its first_seen
    later = datetime(2026, 1, 3)
    again = stages.ingest_parse_batch(todo, str(tmp_path / "batches"), 8, later, 1)
    assert _stage(cand, again["url"]) == counts
    for table in ("documents", *PARSED_TABLES):
        n = _rows(cand, f"select count(*) from staging.{table}")[0][0]
        assert n == counts[table], table
    assert _rows(cand, "select stage, first_seen, last_seen from staging.quarantine order by 1") == [
        ("ingest", AT, later),  # the same unreadable file again
        ("parse", later, later),  # read again, so its earlier records went with its earlier rows
    ]
    batches.remove(str(tmp_path / "batches"))
    assert not (tmp_path / "batches").exists()


def test_a_batch_parsed_in_parts_by_the_pool_stages_what_one_part_stages(tmp_path, monkeypatch):
    """Two pool workers each write the parts they parsed (3 documents a part); the stager reads every part
    of every table and stages the same rows as one part written in this process."""
    paths = [str(p) for p in (*SEED_FILES, *sorted((FIXTURES / "corpus" / "pages2").glob("*.txt"))[:6])]
    whole, parted = _candidate(tmp_path / "whole"), _candidate(tmp_path / "parted")
    todo, _ = _claim(whole, stages.hash_batch(paths))
    assert len(todo) == len(paths) == 11 >= POOL_THRESHOLD
    one = stages.ingest_parse_batch(todo, str(tmp_path / "one"), 0, AT, 1)
    monkeypatch.setattr(stages, "PART_SIZE", 3)
    try:
        res = stages.ingest_parse_batch(todo, str(tmp_path / "pool"), 0, AT, 2)
    finally:
        close_pool()
    assert {k: v for k, v in res.items() if not k.endswith(("_s", "url"))} == {
        k: v for k, v in one.items() if not k.endswith(("_s", "url"))
    }
    assert sorted(p.name for p in Path(res["url"], "documents").iterdir()) == [
        f"part-{k:05d}.parquet" for k in range(4)
    ]
    assert _stage(parted, res["url"]) == _stage(whole, one["url"])
    for table in ("documents", *PARSED_TABLES, "quarantine"):
        sql = f"select * from staging.{table} order by all"
        if table == "documents":  # with their payloads; each warehouse names its own segment
            sql = (
                "select * exclude (payload_segment) from staging.documents"
                " join staging.document_payloads using (document_id) order by all"
            )
        assert _rows(parted, sql) == _rows(whole, sql), table


def test_stage_batch_reads_through_fsspec(tmp_path):
    """A non-local batch URL (here fsspec's in-memory filesystem standing in for s3://) is written by the
    worker and read by DuckDB through the same fsspec filesystem."""
    cand = _candidate(tmp_path)
    todo, _ = _claim(cand, stages.hash_batch([str(SEED_FILES[0])]))
    res = stages.ingest_parse_batch(todo, "memory://nianbao-test/run", 0, AT, 1)
    assert res["url"] == "memory://nianbao-test/run/batch-00000"
    _stage(cand, res["url"])
    assert _rows(cand, "select count(*) from staging.documents") == [(1,)]
    batches.remove("memory://nianbao-test/run")


@pytest.mark.parametrize("url", [None, "s3://bucket/batches/"])
def test_batch_root(tmp_path, monkeypatch, url):
    monkeypatch.delenv(batches.BATCH_URL_ENV, raising=False)
    expected = "s3://bucket/batches/run1" if url else str(tmp_path)
    assert batches.batch_root(tmp_path, "run1", url) == expected
    monkeypatch.setenv(batches.BATCH_URL_ENV, "memory://shared")
    assert batches.batch_root(tmp_path, "run1", url) == (expected if url else "memory://shared/run1")


def test_duplicates_are_set_aside_group_by_group_in_the_body_years_this_run_touched(tmp_path):
    cand = _candidate(tmp_path)
    original = tmp_path / "kaifu.txt"
    shutil.copy(SEED_FILES[3], original)
    longer = tmp_path / "kaifu_mirror.txt"  # the same report on another site: a footer more
    longer.write_text(
        original.read_text(encoding="utf-8") + "\n（来源：长沙市开福区人民政府网站）\n", encoding="utf-8"
    )
    other = str(SEED_FILES[0])  # another body-year
    todo, _ = _claim(cand, stages.hash_batch([str(original), str(longer), other]))
    _stage(cand, stages.ingest_parse_batch(todo, str(tmp_path / "b"), 0, AT, 1)["url"])
    dups = stages.set_aside_duplicates(cand, AT)
    assert [(d.source_path, d.kept_path) for d in dups] == [(str(original), str(longer))]
    assert _rows(cand, "select source_path, reason_code from staging.quarantine") == [
        (str(original), "duplicate_of")
    ]
    stages.release_claims(cand)
    # a later run with nothing new in that body-year sets nothing aside again
    _claim(cand, stages.hash_batch([other]))
    assert stages.set_aside_duplicates(cand, AT) == []

"""Deduplication over staged documents: one sorted query over the payload segments finds every copy, whatever
segment holds it, and reads each document once (a re-staged document's older segment row is not a copy)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from nianbao import batches, stages
from nianbao.warehouse import connect, start_candidate
from tests.conftest import SEEDS

AT = datetime(2026, 1, 2, 3, 4, 5)
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _mirror(src: Path, dst: Path) -> Path:
    """The same report on another site: a footer more (longer, so ranked first)."""
    dst.write_text(src.read_text(encoding="utf-8") + "\n（来源：政府网站镜像）\n", encoding="utf-8")
    return dst


def _stage_files(cand: Path, paths: list[Path], root: Path, index: int, claim: bool = True) -> None:
    pairs = stages.hash_batch([str(p) for p in paths])
    with connect(cand) as con:
        todo = stages.claim_new(con, pairs)[0] if claim else pairs
    res = stages.ingest_parse_batch(todo, str(root), index, AT, 1)
    with connect(cand) as con:
        batches.stage_batch(con, res["url"])


def test_copies_in_different_segments_are_found_and_a_restaged_document_is_read_once(tmp_path):
    cand = start_candidate(tmp_path / "warehouse.duckdb", "run")
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    shutil.copy(SEED_FILES[3], first)
    shutil.copy(SEED_FILES[1], second)
    first_mirror = _mirror(first, tmp_path / "first_mirror.txt")
    second_mirror = _mirror(second, tmp_path / "second_mirror.txt")
    _stage_files(cand, [first, second, SEED_FILES[0]], tmp_path / "b", 0)
    _stage_files(cand, [first_mirror, second_mirror], tmp_path / "b", 1)
    _stage_files(cand, [first], tmp_path / "b", 2, claim=False)  # re-staged: a third segment lists it too
    with connect(cand, read_only=True) as con:
        assert con.execute("select count(*) from meta.payload_segments").fetchone()[0] == 3
        assert con.execute("select count(*) from staging.documents").fetchone()[0] == 5

    dups = stages.set_aside_duplicates(cand, AT)
    assert sorted((d.source_path, d.kept_path) for d in dups) == sorted(
        [(str(first), str(first_mirror)), (str(second), str(second_mirror))]
    )
    assert all(0.9 < d.similarity < 1 for d in dups)
    with connect(cand, read_only=True) as con:
        assert sorted(
            con.execute("select source_path, reason_code from staging.quarantine").fetchall()
        ) == sorted([(str(first), "duplicate_of"), (str(second), "duplicate_of")])

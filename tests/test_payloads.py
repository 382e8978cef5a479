"""Payload segments: the documents' texts live in Parquet beside the warehouse file, read through a view.

Real DuckDB files, real reports; the published file is read from another working directory, as a BI tool
or the `duckdb` CLI would.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import duckdb
import pytest

from nianbao import payloads
from nianbao.ingest import Document, read_document
from nianbao.staging import stage_documents
from nianbao.staging_schema import PAYLOAD_DDL, STAGING_DDL, ddl_columns
from nianbao.warehouse import (
    KEEP_VERSIONS,
    clean_stale_candidates,
    connect,
    discard,
    publish,
    start_candidate,
    version_paths,
)
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "corpus" / "pages2").glob("*.txt"))[:4]


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return [read_document(p) for p in PAGES]


def _build(wh: Path, run_id: str, docs: list[Document]) -> Path:
    cand = start_candidate(wh, run_id)
    with connect(cand) as con:
        stage_documents(con, docs)
    return publish(cand, wh, run_id)


def _texts(path: Path) -> dict[str, tuple[str, str]]:
    """Each document's texts as a reader of the file sees them, from a working directory elsewhere."""
    here = Path.cwd()
    os.chdir("/")
    try:
        con = duckdb.connect(str(path), read_only=True)
        rows = con.execute(
            "select document_id, original_text, normalized_text from staging.document_payloads"
        ).fetchall()
        con.close()
    finally:
        os.chdir(here)
    return {r[0]: (r[1], r[2]) for r in rows}


def _segments(wh: Path) -> list[str]:
    return sorted(p.name for p in (wh.parent / "payloads" / wh.stem).iterdir())


def test_published_file_reads_its_payloads_from_anywhere(tmp_path: Path, docs: list[Document]) -> None:
    wh = tmp_path / "wh.duckdb"
    _build(wh, "r1", docs[:3])
    assert _texts(wh) == {d.document_id: (d.original_text, d.normalized_text) for d in docs[:3]}
    with connect(wh, read_only=True) as con:
        columns = {r[0] for r in con.execute("describe staging.documents").fetchall()}
        (segment,) = payloads.segment_names(con)
        grids = con.execute(
            "select document_id, grids_json, offset_map from staging.document_payloads"
        ).fetchall()
    assert not columns & set(payloads.PAYLOAD_COLUMNS)  # the copied file holds no payloads
    assert _segments(wh) == [segment]
    assert sorted(grids) == sorted((d.document_id, d.grids_json, d.offset_map) for d in docs[:3])


def test_a_restaged_document_reads_its_newest_payload(tmp_path: Path, docs: list[Document]) -> None:
    """Re-staging writes a new segment; the view reads each document from the segment its row names."""
    wh = tmp_path / "wh.duckdb"
    _build(wh, "r1", docs[:2])
    changed = Document(**asdict(docs[0]) | {"normalized_text": docs[0].normalized_text + "（重读）"})
    _build(wh, "r2", [changed])
    assert _texts(wh) == {
        docs[0].document_id: (docs[0].original_text, changed.normalized_text),
        docs[1].document_id: (docs[1].original_text, docs[1].normalized_text),
    }


def test_versions_keep_their_segments_and_orphans_are_collected(tmp_path: Path, docs: list[Document]) -> None:
    wh = tmp_path / "wh.duckdb"
    for i, doc in enumerate(docs[:3]):  # each build re-stages one document over the same id
        _build(
            wh, f"r{i}", [Document(**asdict(docs[0]) | {"normalized_text": f"{i} " + doc.normalized_text})]
        )
    listed = {v.name: payloads.listed_segments(v) for v in version_paths(wh)}
    assert len(listed) == 3 and len(set().union(*listed.values())) == 3  # one segment per version
    assert clean_stale_candidates(wh) == []  # every segment is listed by a kept version
    for v in version_paths(wh):
        assert _texts(v)[docs[0].document_id][1].startswith(v.stem.rsplit("-r", 1)[1] + " ")

    cand = start_candidate(wh, "crashed")  # a build that dies after staging: its segment is listed nowhere
    with connect(cand) as con:
        stage_documents(con, docs[3:4])
        (orphan,) = set(payloads.segment_names(con)) - payloads.listed_segments(wh)
    (wh.parent / "payloads" / wh.stem / f".{orphan}.tmp").write_bytes(b"half a write")
    removed = clean_stale_candidates(wh)
    assert sorted(p.name for p in removed) == sorted([cand.name, orphan, f".{orphan}.tmp"])
    assert _segments(wh) == sorted(set().union(*listed.values()))

    for i in range(KEEP_VERSIONS):  # newer builds push r0..r2 out of versions/: their segments go
        _build(wh, f"s{i}", [docs[0]])
    clean_stale_candidates(wh)
    kept = set().union(
        *(payloads.listed_segments(v) for v in version_paths(wh)), payloads.listed_segments(wh)
    )
    assert set(_segments(wh)) == kept and not kept & set().union(*listed.values())
    assert _texts(wh) == {docs[0].document_id: (docs[0].original_text, docs[0].normalized_text)}


def test_a_discarded_candidate_leaves_the_published_file_and_its_reads_intact(
    tmp_path: Path, docs: list[Document]
) -> None:
    wh = tmp_path / "wh.duckdb"
    _build(wh, "r1", docs[:2])
    before = _texts(wh)
    cand = start_candidate(wh, "r2")
    with connect(cand) as con:
        stage_documents(con, docs[2:4])
    discard(cand)
    assert _texts(wh) == before


def test_a_warehouse_with_inline_payloads_moves_them_to_a_segment(
    tmp_path: Path, docs: list[Document]
) -> None:
    """A warehouse built before the segments: its first build moves the payloads out and rewrites the file."""
    wh = tmp_path / "old.duckdb"
    documents = {c: d for c, d in ddl_columns(STAGING_DDL["documents"]).items() if c != "payload_segment"}
    documents |= {c: d for c, d in ddl_columns(PAYLOAD_DDL).items() if c != "document_id"}
    con = duckdb.connect(str(wh))
    con.execute("create schema staging")
    con.execute(f"create table staging.documents ({', '.join(documents.values())})")
    for d in docs:
        con.execute(
            f"insert into staging.documents ({', '.join(documents)}) values ({', '.join('?' * len(documents))})",
            [asdict(d)[c] for c in documents],
        )
    con.close()
    cand = start_candidate(wh, "migrate")
    with connect(cand, read_only=True) as con:
        assert con.execute("select free_blocks from pragma_database_size()").fetchone() == (0,)  # rewritten
        columns = {r[0] for r in con.execute("describe staging.documents").fetchall()}
        assert not columns & set(payloads.PAYLOAD_COLUMNS) and "payload_segment" in columns
        assert con.execute("select count(distinct payload_segment) from staging.documents").fetchone() == (1,)
    publish(cand, wh, "migrate")
    assert _texts(wh) == {d.document_id: (d.original_text, d.normalized_text) for d in docs}


def test_a_moved_warehouse_without_its_payloads_folder_is_refused(
    tmp_path: Path, docs: list[Document]
) -> None:
    wh = tmp_path / "a" / "wh.duckdb"
    _build(wh, "r1", docs[:1])
    moved = tmp_path / "b" / "wh.duckdb"
    moved.parent.mkdir()
    os.replace(wh, moved)
    with pytest.raises(FileNotFoundError, match="payloads folder"):
        start_candidate(moved, "r2")
    os.replace(wh.parent / "payloads", moved.parent / "payloads")
    publish(start_candidate(moved, "r3"), moved, "r3")  # the build re-points the view at the new folder
    assert list(_texts(moved)) == [docs[0].document_id]


def test_collection_waits_while_a_writer_holds_the_published_file(
    tmp_path: Path, docs: list[Document]
) -> None:
    """A `duckdb` shell holding the published file for writing: the build goes on, deleting nothing."""
    wh = tmp_path / "wh.duckdb"
    _build(wh, "r1", docs[:1])
    stray = wh.parent / "payloads" / wh.stem / "stray.parquet"
    stray.write_bytes(b"not listed")
    holder = duckdb.connect(str(wh))
    try:
        assert clean_stale_candidates(wh) == []
    finally:
        holder.close()
    assert clean_stale_candidates(wh) == [stray]


def test_publish_merges_a_builds_small_segments(tmp_path: Path, docs: list[Document]) -> None:
    """One segment per staged batch while building; one segment for them all once published (the batch
    segments, listed by no published file, are deleted once it is published)."""
    wh = tmp_path / "wh.duckdb"
    cand = start_candidate(wh, "r1")
    with connect(cand) as con:
        for doc in docs:  # four batches
            stage_documents(con, [doc])
        assert len(payloads.segment_names(con)) == 4
    publish(cand, wh, "r1")
    with connect(wh, read_only=True) as con:
        (merged,) = payloads.segment_names(con)
        assert con.execute(f"select documents from {payloads.SEGMENTS}").fetchone() == (4,)
    assert _texts(wh) == {d.document_id: (d.original_text, d.normalized_text) for d in docs}
    assert _segments(wh) == [merged]


def test_publish_merges_small_segments_in_groups_of_compact_below(
    tmp_path: Path, docs: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build's batches merge into segments of about COMPACT_BELOW documents, never one sort of every
    payload (at 100 000 reports that one merge ran out of a 1 GB limit): four one-document batches at 2 a
    segment make two segments of 2, and every text still reads from them."""
    monkeypatch.setattr(payloads, "COMPACT_BELOW", 2)
    wh = tmp_path / "wh.duckdb"
    cand = start_candidate(wh, "r1")
    with connect(cand) as con:
        for doc in docs:  # four batches
            stage_documents(con, [doc])
    publish(cand, wh, "r1")
    with connect(wh, read_only=True) as con:
        assert con.execute(f"select documents from {payloads.SEGMENTS} order by segment").fetchall() == [
            (2,),
            (2,),
        ]
        assert len(payloads.segment_names(con)) == 2
    assert _texts(wh) == {d.document_id: (d.original_text, d.normalized_text) for d in docs}
    assert len(_segments(wh)) == 2

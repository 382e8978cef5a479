"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import pytest

from nianbao.tables.catalog import T3_COLUMN_KEYS

# The staging.documents columns every fixture fills; later columns (OCR provenance) take their defaults, and
# a fixture's documents have no payloads (staging.document_payloads: their texts are NULL in stg_documents).
INSERT_DOCUMENT = (
    "insert into staging.documents (document_id, source_path, source_file, file_type, byte_size, encoding,"
    " encoding_rule, replacement_count, script, pinyin_removed, parser_version) values "
)


def build_and_open(
    tmp_path_factory: pytest.TempPathFactory, inputs: Iterable[Path], workers: int = 1
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Copy `inputs` into an inbox, build them with the real flow and yield the warehouse opened read-only."""
    from flows.build_warehouse import build_warehouse

    inbox = tmp_path_factory.mktemp("inbox")
    for f in inputs:
        shutil.copy(f, inbox / f.name)
    wh = tmp_path_factory.mktemp("build") / "warehouse.duckdb"
    summary = build_warehouse(paths=[str(inbox)], warehouse=str(wh), workers=workers)
    assert summary.ok, summary.failures
    con = duckdb.connect(str(wh), read_only=True)
    yield con
    con.close()


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view in schema `marts`, by name."""
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
    ]


def mart_checksums(path: Path) -> dict[str, str]:
    """A content hash of every table and view in schema `marts`, rows in a fixed order (`order by all`)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        marts = mart_names(con)
        return {
            m: hashlib.sha256(
                repr(con.execute(f"select * from marts.{m} order by all").fetchall()).encode()
            ).hexdigest()
            for m in marts
        }
    finally:
        con.close()


# 表三's applicant column keys in printed order (自然人 … 其他, 总计): the catalog's.
T3_COLUMNS = T3_COLUMN_KEYS

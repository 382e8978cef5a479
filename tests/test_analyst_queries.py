"""The analyst questions of docs/queries/, each run against the seed and corpus warehouse with its expected result.

The warehouse is built by the real flow from the seeds and the real corpus pages (tests/fixtures/corpus/, the
Hongze PDF and the 2021 template DOCX); each query's result must equal docs/queries/expected/<query>.json
exactly (columns and rows, in order).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.build_warehouse import build_warehouse
from tests.conftest import FIXTURES, ROOT, SEEDS

pytestmark = pytest.mark.e2e

QUERIES = ROOT / "docs" / "queries"
INPUTS = (
    *SEEDS.iterdir(),
    *(FIXTURES / "corpus" / "pages").glob("*.txt"),
    *(FIXTURES / "corpus" / "pages2").glob("*.txt"),
    FIXTURES / "corpus" / "aggregated_2024_section3_fragment.txt",
    FIXTURES / "pdf" / "hongze_2023.pdf",
    FIXTURES / "docx" / "template_2021_format.docx",
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    for f in INPUTS:
        shutil.copy(f, inbox / f.name)
    path = tmp_path_factory.mktemp("build") / "warehouse.duckdb"
    summary = build_warehouse(paths=[str(inbox)], warehouse=str(path), workers=2)
    assert summary.ok and summary.documents_new == 40
    return path


def test_ten_questions_each_with_its_expected_result():
    queries = sorted(p.stem for p in QUERIES.glob("*.sql"))
    assert len(queries) == 10
    assert queries == sorted(p.stem for p in (QUERIES / "expected").glob("*.json"))
    for stem in queries:
        assert (QUERIES / f"{stem}.sql").read_text(encoding="utf-8").startswith("-- "), stem  # the question


@pytest.mark.parametrize("query", sorted(p.stem for p in QUERIES.glob("*.sql")))
def test_query_gives_its_expected_result(warehouse, query):
    expected = json.loads((QUERIES / "expected" / f"{query}.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute((QUERIES / f"{query}.sql").read_text(encoding="utf-8"))
        columns = [d[0] for d in cur.description]
        rows = [list(r) for r in cur.fetchall()]
    finally:
        con.close()
    assert columns == expected["columns"]
    assert rows == expected["rows"]

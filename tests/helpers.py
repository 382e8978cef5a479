"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def mart_checksums(path: Path) -> dict[str, str]:
    """A content hash of every table and view in schema `marts`, rows in a fixed order (`order by all`)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            m: hashlib.sha256(
                repr(con.execute(f"select * from marts.{m} order by all").fetchall()).encode()
            ).hexdigest()
            for m in marts
        }
    finally:
        con.close()


# 表三's applicant columns in the order the official form prints them (自然人 … 其他, 总计).
T3_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)

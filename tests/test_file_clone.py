"""clone_file: the copy a build makes of the published warehouse (nianbao/file_clone.py)."""

from __future__ import annotations

import os
from pathlib import Path

from nianbao.file_clone import clone_file


def test_clone_is_a_full_independent_copy_with_the_source_times(tmp_path: Path) -> None:
    src, dst = tmp_path / "w.duckdb", tmp_path / "c.duckdb"
    data = bytes(range(256)) * 40_000  # 10 MB
    src.write_bytes(data)
    os.utime(src, ns=(1_700_000_000_000_000_000, 1_700_000_000_123_456_789))
    cloned = clone_file(src, dst)
    assert isinstance(cloned, bool)  # a reflink on XFS or btrfs, a byte copy on ext4 or tmpfs
    assert dst.read_bytes() == data
    assert dst.stat().st_mtime_ns == 1_700_000_000_123_456_789
    assert dst.stat().st_ino != src.stat().st_ino
    with dst.open("r+b") as f:  # writing the copy leaves the source as it was
        f.write(b"changed")
    assert src.read_bytes() == data

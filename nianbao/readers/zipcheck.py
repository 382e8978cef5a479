"""Check a zip container (DOCX/XLSX) from its central directory before anything decompresses it.

A zip bomb is a few KB on disk that claims gigabytes once inflated; `zipfile` never returns more than an
entry's declared size (and fails its CRC when the data disagrees), so bounding the declared sizes and the
declared ratio bounds what a reader can be made to inflate. Paths are checked too: an absolute or `..`
entry name has no business in an OOXML package, and it marks a hostile or broken file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from nianbao.readers.limits import ReaderError

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 10_000  # a large real DOCX has a few hundred parts (mostly images)
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    max_ratio: float = 100.0  # DOCX XML deflates 5–30:1; beyond 100:1 it is built to inflate
    # below this an entry cannot hurt, whatever its ratio (a tiny XML part can exceed 100:1)
    ratio_floor_bytes: int = 1 * MiB


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipSummary:
    entries: int
    total_bytes: int  # declared uncompressed
    total_compressed: int
    names: tuple[str, ...]


def _ratio(size: int, compressed: int) -> float:
    return float("inf") if compressed <= 0 else size / compressed


def _bad_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    p = PurePosixPath(normalised)
    return (
        normalised.startswith("/")
        or (len(normalised) > 1 and normalised[1] == ":")  # C:/...
        or ".." in p.parts
        or "\x00" in name
    )


def check_zip(
    source: str | Path | BinaryIO,
    limits: ZipLimits = DEFAULT_LIMITS,
    not_zip_reason: str = "not_a_docx",
) -> ZipSummary:
    """Raise `ReaderError("zip_bomb")` for limits broken, `not_zip_reason` for a non-zip; else a summary."""
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as e:
        raise ReaderError(not_zip_reason, f"not a readable zip container: {e}") from e
    if not infos:
        raise ReaderError(not_zip_reason, "an empty zip container")
    if len(infos) > limits.max_entries:
        raise ReaderError("zip_bomb", f"{len(infos)} entries is over the cap of {limits.max_entries}")
    total = compressed = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if _bad_name(name):
            raise ReaderError("zip_bomb", f"entry {name!r} has an absolute or parent-relative path")
        if name in seen:
            raise ReaderError("zip_bomb", f"entry {name!r} occurs twice in the central directory")
        seen.add(name)
        if info.file_size > limits.max_entry_bytes:
            raise ReaderError(
                "zip_bomb", f"entry {name!r} declares {info.file_size} bytes (cap {limits.max_entry_bytes})"
            )
        ratio = _ratio(info.file_size, info.compress_size)
        if info.file_size >= limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise ReaderError(
                "zip_bomb",
                f"entry {name!r} inflates {info.compress_size} → {info.file_size} bytes "
                f"(ratio {ratio:.0f}:1, cap {limits.max_ratio:.0f}:1)",
            )
        total += info.file_size
        compressed += info.compress_size
        if total > limits.max_total_bytes:
            raise ReaderError(
                "zip_bomb",
                f"entries declare over {limits.max_total_bytes} bytes in all (cap reached at {name!r})",
            )
    overall = _ratio(total, compressed)
    if total >= limits.ratio_floor_bytes and overall > limits.max_ratio:
        raise ReaderError(
            "zip_bomb", f"the container inflates {compressed} → {total} bytes (ratio {overall:.0f}:1)"
        )
    return ZipSummary(len(infos), total, compressed, tuple(i.filename for i in infos))

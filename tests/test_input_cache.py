"""The stat cache that decides a no-op build before any heavy start-up (nianbao/input_cache.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from nianbao import input_cache

COUNTS = {"documents": 2, "figures": 5, "cells": 7, "quarantined": 0}


def make_published(tmp_path: Path) -> tuple[Path, Path]:
    inbox = tmp_path / "in"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("一", encoding="utf-8")
    (inbox / "sub" / "b.html").write_text("<p>二</p>", encoding="utf-8")
    (inbox / ".hidden").write_text("x", encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    duckdb.connect(str(wh)).close()
    files = input_cache.walk([str(inbox)])
    input_cache.record(wh, input_cache.snapshot(files), input_cache.build_fingerprint(), COUNTS)
    return inbox, wh


def test_walk_lists_what_discover_lists_without_hidden_files(tmp_path: Path) -> None:
    inbox, _ = make_published(tmp_path)
    assert sorted(input_cache.walk([str(inbox)])) == [str(inbox / "a.txt"), str(inbox / "sub" / "b.html")]


def test_unchanged_inputs_on_the_same_published_file_are_up_to_date(tmp_path: Path) -> None:
    inbox, wh = make_published(tmp_path)
    assert input_cache.up_to_date(wh, [str(inbox)]) == COUNTS | {"files": 2}
    rel = os.path.relpath(inbox)  # the same files named relative to the working folder
    assert input_cache.up_to_date(wh, [rel]) == COUNTS | {"files": 2}


def test_a_new_touched_or_rewritten_file_needs_the_build(tmp_path: Path) -> None:
    inbox, wh = make_published(tmp_path)
    (inbox / "c.txt").write_text("三", encoding="utf-8")
    assert input_cache.up_to_date(wh, [str(inbox)]) is None
    (inbox / "c.txt").unlink()
    assert input_cache.up_to_date(wh, [str(inbox)]) is not None
    later = time.time_ns() + 10**9
    os.utime(inbox / "a.txt", ns=(later, later))
    assert input_cache.up_to_date(wh, [str(inbox)]) is None
    held = input_cache.held(
        input_cache.load(wh, input_cache.build_fingerprint()),
        input_cache.snapshot(input_cache.walk([str(inbox)])),
    )
    assert held == {str(inbox / "sub" / "b.html")}  # the flow ingests only a.txt


def test_a_removed_file_keeps_it_up_to_date(tmp_path: Path) -> None:
    inbox, wh = make_published(tmp_path)
    (inbox / "sub" / "b.html").unlink()
    assert input_cache.up_to_date(wh, [str(inbox)]) == COUNTS | {"files": 1}


def test_another_published_file_or_other_code_invalidates_the_cache(tmp_path: Path) -> None:
    inbox, wh = make_published(tmp_path)
    assert input_cache.load(wh, "another fingerprint") is None
    republished = tmp_path / "next.duckdb"
    duckdb.connect(str(republished)).close()
    os.replace(republished, wh)  # what publish does: a new inode
    assert input_cache.up_to_date(wh, [str(inbox)]) is None


def test_a_symlinked_folder_leaves_the_decision_to_the_build(tmp_path: Path) -> None:
    inbox, wh = make_published(tmp_path)
    (inbox / "link").symlink_to(inbox / "sub", target_is_directory=True)
    assert input_cache.walk([str(inbox)]) is None
    assert input_cache.up_to_date(wh, [str(inbox)]) is None

"""Normalised text → sections, metadata and prose figures for one report; batches in a process pool."""

from __future__ import annotations

import multiprocessing
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib.abc import MetaPathFinder
from typing import TypeVar

from nianbao.listing import listing_reason
from nianbao.metadata import extract_metadata
from nianbao.model import ParsedReport, ParseIssue
from nianbao.prose import read_prose
from nianbao.sections import split_sections
from nianbao.tables.cells import extract_cells
from nianbao.tables.converted import blank, converter_grids, not_placed
from nianbao.tables.flattened import text_grids
from nianbao.tables.grid import Grid
from nianbao.tables.stats_e0 import FAMILIES

_REPORT_WORDS = re.compile(r"信息公开|政务公开|依申请公开")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_REPORT_CJK = 100  # a listing or an empty page shows a title and a few links; a report has a body
# A text holding MIN_REPORT_CJK Chinese characters, matched from its start: counting them all (`findall`)
# cost more than the rest of the checks, and the count is only wanted to say why a short text is none.
_ENOUGH_CJK = re.compile(rf"[^\u4e00-\u9fff]*+(?:[\u4e00-\u9fff][^\u4e00-\u9fff]*+){{{MIN_REPORT_CJK}}}")
POOL_THRESHOLD = 8  # below this many documents a pool costs more than it saves

T = TypeVar("T")
R = TypeVar("R")


class NotAReport(ValueError):
    reason = "not_a_report"


def parse_text(document_id: str, text: str, grids: Sequence[Grid] = ()) -> ParsedReport:
    """Parse one normalised text and the tables its reader found (`Document.grids`, which decodes a stored
    `grids_json` once); raise NotAReport when it is none."""
    if not _REPORT_WORDS.search(text):
        raise NotAReport("no mention of 信息公开/政务公开: not an open-government-information report")
    if not _ENOUGH_CJK.match(text):
        n = len(_CJK.findall(text))
        raise NotAReport(f"only {n} Chinese characters: a title, listing or empty page, not a report body")
    if reason := listing_reason(text):
        raise NotAReport(reason)
    sections = split_sections(text)
    # Converter-shaped tables (markdown, label/value blocks) first; the flattened reader gets what they left.
    converted, rest = converter_grids(text)
    # …and the lines of a table the reader gave as a grid are that grid's (`Grid.text_span`), not read again.
    rest = blank(rest, [g.text_span for g in grids if g.text_span])
    tables = [*grids, *converted, *text_grids(rest)]
    metadata = extract_metadata(text, sections)
    facts, prose_issues = read_prose(text, sections, metadata.admin_level, metadata.report_year)
    report = ParsedReport(
        document_id=document_id,
        metadata=metadata,
        sections=sections,
        facts=facts,
        cells=extract_cells(tables, text),
        issues=prose_issues + [ParseIssue("table_values_not_placed", n) for n in not_placed(converted)],
    )
    statutory = [c for c in report.cells if c.table not in FAMILIES]  # E0 tables belong in pre-2019 reports
    if statutory and report.metadata.format_era == "pre2019":
        report.issues.append(
            ParseIssue("era_mismatch", "statutory 2019+ tables in a report read as pre-2019")
        )
    report.issues.extend(conflict_issues(report))
    return report


def conflict_issues(report: ParsedReport) -> list[ParseIssue]:
    """Two different values for one measure are both kept; this says so."""
    values: dict[str, set[float]] = {}
    for f in report.facts:
        values.setdefault(f.measure, set()).add(f.value)
    return [
        ParseIssue(
            "measure_conflict",
            f"{measure} is stated with different values: {', '.join(f'{v:g}' for v in sorted(vals))}",
            measure=measure,
        )
        for measure, vals in sorted(values.items())
        if len(vals) > 1
    ]


_pool: tuple[int, ProcessPoolExecutor] | None = None  # (workers, pool): one pool for every batch of a build


def pool_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    """Map in a spawn-context process pool (safe next to Prefect's threads), one item per task (an item is a
    batch's part, many documents); one worker or one item runs inline.

    The pool outlives the call: a build maps hundreds of batches, and starting `workers` interpreters for
    each would cost more than parsing a batch. `close_pool` ends it (the build does, when it finishes).
    """
    global _pool
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [fn(i) for i in items]
    if _pool is None or _pool[0] != workers:
        close_pool()
        _pool = (
            workers,
            ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker
            ),
        )
    try:
        return list(_pool[1].map(fn, items))
    except BrokenProcessPool:
        close_pool()  # a worker died: the next batch starts a fresh pool
        raise


class _NoPandas(MetaPathFinder):
    """Refuses `import pandas` in a parse worker (see `start_worker`)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("a parse worker does not load pandas", name=name)
        return None


def start_worker() -> None:
    """Pool worker initializer: a worker holds what reading, parsing and writing Parquet parts need, no more.

    Measured on two workers that parsed 500 synthetic reports in parts of 50: RSS 208–210 → 174–178 MB each.
    - pyarrow's `pa.array` imports pandas (30–45 MB) only to ask whether the list it got is a pandas
      Series; the workers build Arrow columns from lists only, and pyarrow carries on without pandas when
      the import fails. No reader or parser uses pandas.
    - Arrow buffers come from the system allocator, which hands freed memory back; the wheel's mimalloc pool
      keeps 10–20 MB of arenas per process after the first part is written.
    """
    sys.meta_path.insert(0, _NoPandas())
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def close_pool() -> None:
    global _pool
    if _pool is not None:
        _pool[1].shutdown(cancel_futures=True)
        _pool = None

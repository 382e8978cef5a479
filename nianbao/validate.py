"""Great Expectations checks at the stage boundaries: raw documents, staging rows, marts.

The suites are data (``expectations/<stage>.json``), so a reviewer sees every rule and why it exists without
reading code. DuckDB is not a supported GX SQL datasource, so each table is read into pandas, in chunks of
whole documents so memory stays flat as the corpus grows, and validated with GX's pandas datasource through
real Checkpoint runs. A failed expectation fails the stage: callers
check ``result.success`` (or call ``raise_if_failed()``); nothing here passes silently.

    from pathlib import Path

    import duckdb
    from nianbao.validate import validate_stage

    con = duckdb.connect("warehouse.duckdb", read_only=True)
    result = validate_stage(con, "staging", docs_dir=Path("build/data_docs"))
    result.raise_if_failed()

Suite file format (one file per stage)::

    {"name": "staging",
     "description": "...",
     "tables": {
       "staging.prose_facts": {
         "document_key": "document_id",            # optional: names the documents at fault
         "chunk_documents": 1000,                  # optional: fewer documents a chunk for a wide table
         "expectations": [
           {"type": "expect_column_values_to_be_between",
            "kwargs": {"column": "value", "min_value": 0},
            "meta": {"why": "counts are never negative"}}]}}}

``import great_expectations`` takes seconds, so GX is imported inside functions only, and one ephemeral
context is built per process and reused by every stage.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nianbao.offline_assets import localize_assets

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import EphemeralDataContext

STAGES: tuple[str, ...] = ("raw_documents", "staging", "marts")
"""Stage names; each has a suite file ``expectations/<stage>.json``."""

DEFAULT_EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
DOCS_SITE_NAME = "nianbao"
_T = TypeVar("_T")
SAMPLE_SIZE = 10  # unexpected values kept per failure: enough to recognise the problem, small enough to log
CHUNK_DOCUMENTS = 2_500
"""Documents per Checkpoint run on a table with a document key: bounds what validation holds in pandas (at
20 000 synthetic reports the input stages peak at 548 MB of RSS with 5 000, 489 MB with 2 500, GX's own
267 MB included; 0.73 GB whole) while keeping GX's fixed cost per run (graph building, some 0.1 s per
expectation-heavy table) small: the two input stages took 275 s with 5 000 and 262 s with 2 500 (loaded box)."""

_DATASOURCE_NAME = "nianbao_duckdb"
_BATCH_DEFINITION_NAME = "whole_table"
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
# kwargs that name the columns an expectation reads; used to load only those columns from DuckDB.
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list",)
# Map expectations whose verdict on a row depends on other rows: judged on the whole table, never per chunk.
_ACROSS_ROWS = frozenset(
    {
        "expect_column_values_to_be_increasing",
        "expect_column_values_to_be_decreasing",
        "expect_column_value_z_scores_to_be_less_than",
        "expect_column_values_to_not_be_outliers",
    }
)
# Uniqueness: exact per chunk when the document key is among its columns (see `_per_document`).
_UNIQUENESS = frozenset({"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"})

_context: EphemeralDataContext | None = None
# Each Checkpoint made in this process, by name, with the table and expectations it was made for: made again
# only when those change (making one, a GX store round trip, was ~15 % of validating a small batch).
_checkpoints: dict[str, tuple[str, Any]] = {}
_results_for: Path | None = None  # the docs site whose validation results the context holds
_unrendered: list[Any] = []  # its suites and runs that have no data docs pages yet (render_docs=False)
_lock = threading.RLock()  # GX contexts are not thread-safe; Prefect may run tasks in threads.


class SuiteError(ValueError):
    """A suite file is malformed (unknown table name, missing meta.why, bad expectation config)."""


class StageValidationError(RuntimeError):
    """Raised by `StageValidation.raise_if_failed`: a stage whose data broke an expectation must stop."""


@dataclass(frozen=True)
class TableSuite:
    """The expectations for one table, as read from a suite file."""

    table: str
    expectations: tuple[dict[str, Any], ...]
    document_key: str | None = None
    chunk_documents: int | None = None  # a table with many rows per document reads fewer documents a chunk


@dataclass(frozen=True)
class Suite:
    """One stage's suite file."""

    name: str
    tables: tuple[TableSuite, ...]
    description: str = ""


@dataclass(frozen=True)
class Failure:
    """One failed expectation: where, which rule, what GX saw, and the documents it points at."""

    table: str
    expectation: str
    column: str | None
    observed: Any  # observed_value, a sample of unexpected values, or the exception message
    unexpected_count: int | None = None
    documents: tuple[str, ...] = ()
    why: str | None = None

    def describe(self) -> str:
        """One line for logs and error messages."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        count = f" ({self.unexpected_count} rows)" if self.unexpected_count else ""
        return f"{where}: {self.expectation}{count}, observed {self.observed!r}"


@dataclass
class StageValidation:
    """What one stage's validation found; `success` is False as soon as any expectation failed."""

    stage: str
    success: bool
    evaluated: int
    passed: int
    failed: list[Failure] = field(default_factory=list)
    documents_at_fault: list[str] = field(default_factory=list)
    docs_index: Path | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # read, gx_context, checkpoints, data_docs

    def raise_if_failed(self) -> None:
        """Stop the pipeline when the stage failed, naming every broken expectation."""
        if not self.success:
            lines = "\n  ".join(f.describe() for f in self.failed)
            raise StageValidationError(
                f"stage {self.stage!r}: {len(self.failed)} of {self.evaluated} expectations failed\n  {lines}"
            )


def load_suite(stage: str, expectations_dir: Path | None = None) -> Suite:
    """Read and check ``<expectations_dir>/<stage>.json``; fails loudly so a typo never disables a check."""
    path = (expectations_dir or DEFAULT_EXPECTATIONS_DIR) / f"{stage}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no suite for stage {stage!r}: {path} does not exist")
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = data.get("tables")
    if not isinstance(tables, Mapping) or not tables:
        raise SuiteError(f"{path}: 'tables' must be a non-empty object")
    table_suites = []
    for table, spec in tables.items():
        if not _TABLE_NAME.match(table):
            raise SuiteError(f"{path}: table {table!r} must be schema.table")
        if not isinstance(spec, Mapping) or not isinstance(spec.get("expectations"), list):
            raise SuiteError(f"{path}: {table} must be an object with an 'expectations' list")
        for i, exp in enumerate(spec["expectations"]):
            if not isinstance(exp, Mapping) or not isinstance(exp.get("type"), str):
                raise SuiteError(f"{path}: {table} expectation #{i} has no 'type'")
            if not isinstance(exp.get("kwargs", {}), Mapping):
                raise SuiteError(f"{path}: {table} expectation #{i} 'kwargs' must be an object")
            if not str((exp.get("meta") or {}).get("why", "")).strip():
                raise SuiteError(f"{path}: {table} {exp['type']} (#{i}) has no meta.why")
        key = spec.get("document_key")
        if key is not None and not isinstance(key, str):
            raise SuiteError(f"{path}: {table} document_key must be a column name")
        chunk = spec.get("chunk_documents")
        if chunk is not None and not (isinstance(chunk, int) and chunk > 0):
            raise SuiteError(f"{path}: {table} chunk_documents must be a positive integer")
        table_suites.append(TableSuite(table, tuple(dict(e) for e in spec["expectations"]), key, chunk))
    return Suite(str(data.get("name") or stage), tuple(table_suites), str(data.get("description", "")))


def validate_stage(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    *,
    docs_dir: Path | None = None,
    expectations_dir: Path | None = None,
    only_batch: bool = False,
    chunk_documents: int | None = None,
    render_docs: bool = True,
) -> StageValidation:
    """Validate every table in the stage's suite with GX Checkpoints; optionally (re)build data docs.

    Memory is bounded by the chunks, not by the corpus: a table with a `document_key` is read and validated
    in chunks of whole documents (only the columns its suite names; `_chunk_size` documents), one Checkpoint
    run per chunk, and each expectation's results over the chunks are merged into one verdict. That is exact for
    row-by-row expectations, and for uniqueness of the document key (a document's rows never straddle two
    chunks). Every other expectation (row counts, column sets, aggregates, `mostly`, uniqueness of another
    column) runs once on the whole table, reading only the columns it names (`_per_document` decides).

    With `only_batch` (an incremental build) the chunks hold only the rows of the build's batch
    (`nianbao.incremental.BATCH_TABLE`: the documents this build adds or recomputes); the other rows passed
    the same suites when their build made them (a changed suite changes the fingerprint, and that build
    validates everything). Whole-table expectations still see the whole table.

    A table missing from the warehouse counts as a failed check (`table_exists`), since a stage that did
    not produce its output must not pass. `docs_dir` gets a static GX data docs site covering every
    validation run made for that site in this process (one page per chunk); its index.html is returned in
    `docs_index`. Rendering costs seconds per call (GX compiles its page templates anew each time), so a
    caller validating several stages for one site passes `render_docs=False` to all but the last, whose call
    renders the pages of every run since. `timings` says where the seconds went (read, gx_context,
    checkpoints, data_docs).
    """
    started = time.perf_counter()
    suite = load_suite(stage, expectations_dir)
    clock = _Clock()
    failures: list[Failure] = []
    evaluated = passed = 0
    with clock("gx_context"):  # the GX import and context, unless `warm` made them first
        context = _get_context()
    with _lock:
        _keep_results_of(context, docs_dir)
        runs: list[Any] = []
        for table_suite in suite.tables:
            present = _table_columns(con, table_suite.table)
            if not present:
                evaluated += 1
                failures.append(
                    Failure(
                        table_suite.table, "table_exists", None, "missing", why="the stage produced no table"
                    )
                )
                continue
            key = table_suite.document_key
            if key is not None and key not in present:
                raise SuiteError(f"{table_suite.table}: document_key {key!r} is not a column")
            tallies = [_Tally(table_suite, exp) for exp in table_suite.expectations]
            for by_document, group in _split_by_document(table_suite, tallies):
                runs += _run_group(
                    context,
                    con,
                    suite.name,
                    table_suite,
                    group,
                    present,
                    by_document,
                    only_batch,
                    _chunk_size(table_suite, chunk_documents),
                    clock,
                )
            evaluated += len(tallies)
            passed += sum(t.success for t in tallies)
            failures += [t.failure() for t in tallies if not t.success]
        docs_index = None
        if docs_dir is not None:
            _unrendered.extend([*{run.expectation_suite_identifier for run in runs}, *runs])
            if render_docs:
                with clock("data_docs"):
                    docs_index = build_data_docs(docs_dir, list(_unrendered))
                _unrendered.clear()

    documents = sorted({doc for f in failures for doc in f.documents})
    return StageValidation(
        stage=stage,
        success=not failures,
        evaluated=evaluated,
        passed=passed,
        failed=failures,
        documents_at_fault=documents,
        docs_index=docs_index,
        seconds=round(time.perf_counter() - started, 3),
        timings=clock.rounded(),
    )


def build_data_docs(docs_dir: Path, resources: list[Any] | None = None) -> Path:
    """Write GX data docs for the suites and validation runs held by this process's context.

    The ephemeral context keeps results in memory; pointing a filesystem site at `docs_dir` renders them
    without a `gx/` project folder in the repository. `resources` (suite and validation result identifiers)
    renders only those pages plus the index, which still lists every run the context holds: a stage renders
    its own runs instead of every earlier stage's again.
    """
    docs_dir = Path(docs_dir).resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    with _lock:
        context = _get_context()
        # type: ignore below: GX's DataDocsSiteConfigTypedDict lacks show_how_to_buttons, which SiteBuilder takes.
        if DOCS_SITE_NAME in context.list_data_docs_sites():
            context.update_data_docs_site(DOCS_SITE_NAME, site)  # type: ignore[arg-type]
        else:
            context.add_data_docs_site(DOCS_SITE_NAME, site)  # type: ignore[arg-type]
        context.build_data_docs(site_names=[DOCS_SITE_NAME], resource_identifiers=resources or None)
    index = docs_dir / "index.html"
    if not index.is_file():
        raise RuntimeError(f"GX did not write {index}")
    localize_assets(docs_dir)  # GX's pages load their scripts from CDNs: offline they list nothing
    return index


def warm(stages: tuple[str, ...] = ()) -> None:
    """Import GX and build this process's context now (seconds; GX and its context hold ~175 MB), and the
    Checkpoints of `stages`' suites: the first task a build's validation child (`nianbao.validator`) runs,
    while the build deduplicates and plans."""
    context = _get_context()
    with _lock:
        for stage in stages:
            suite = load_suite(stage)
            for table_suite in suite.tables:
                for by_document, group in _split_by_document(table_suite, table_suite.expectations):
                    name = _checkpoint_name(suite.name, table_suite, by_document)
                    _checkpoint(context, name, table_suite, group)


def unrendered_runs() -> list[tuple[Any, Any]]:
    """(identifier, suite or validation result) of every run held for the current docs site and not rendered
    yet (`render_docs=False`): what another process's context needs to render them (`adopt_unrendered`)."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    with _lock:
        if not _unrendered:
            return []
        context = _get_context()
        return [
            (
                key,
                context.suites.get(key.name)
                if isinstance(key, ExpectationSuiteIdentifier)
                else context.validation_results_store.get(key),
            )
            for key in _unrendered
        ]


def adopt_unrendered(docs_dir: Path | None, runs: list[tuple[Any, Any]]) -> None:
    """Hold another process's unrendered runs for `docs_dir` (from its `unrendered_runs`), so that the next
    rendering for that site lists them too (a build validates its inputs and its marts in two processes)."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    with _lock:
        context = _get_context()
        _keep_results_of(context, docs_dir)
        for key, value in runs:
            if key in _unrendered:
                continue
            if isinstance(key, ExpectationSuiteIdentifier):
                context.suites.add_or_update(value)
            else:
                context.validation_results_store.set(key, value)
            _unrendered.append(key)


def _keep_results_of(context: EphemeralDataContext, docs_dir: Path | None) -> None:
    """Forget the validation results held for another docs site before validating for this one.

    The context lives as long as the process (a test session, `nianbao serve`), and its data docs render every
    result it holds: without this, one warehouse's data docs would list the runs of another built before it.
    """
    global _results_for
    target = Path(docs_dir).resolve() if docs_dir is not None else None
    if target != _results_for:
        store = context.validation_results_store
        for key in store.list_keys():
            store.remove_key(key)
        _unrendered.clear()
        _results_for = target


def _get_context() -> EphemeralDataContext:
    """One in-memory GX context per process: creating one (and importing GX) is the slow part."""
    global _context
    with _lock:
        if _context is None:
            import great_expectations as gx
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                InMemoryStoreBackendDefaults,
                ProgressBarsConfig,
            )

            config = DataContextConfig(
                # No default temp docs site: docs are written only where the caller asks.
                store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                # tqdm bars would flood pipeline logs with one line per expectation batch.
                progress_bars=ProgressBarsConfig(globally=False),
                analytics_enabled=False,
            )
            _context = gx.get_context(mode="ephemeral", project_config=config)
        return _context


class _Clock:
    """Seconds per label, summed over a stage's tables and chunks (`StageValidation.timings`)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start

    def timed(self, label: str, items: Iterator[Any]) -> Iterator[Any]:
        """`items`, with the time spent producing each one counted under `label`."""
        while True:
            with self(label):
                item = next(items, None)
            if item is None:
                return
            yield item

    def rounded(self) -> dict[str, float]:
        return {label: round(seconds, 3) for label, seconds in self.seconds.items()}


@dataclass(eq=False)  # identity: two tallies of identical expectations are still two
class _Tally:
    """One expectation's verdict, merged over every Checkpoint run (chunk) it took part in."""

    table_suite: TableSuite
    expectation: dict[str, Any]
    success: bool = True
    errors: set[str] = field(default_factory=set)
    unexpected_count: int | None = None
    observed: Any = None  # observed_value, or a sample of unexpected values over the chunks
    documents: set[str] = field(default_factory=set)

    def add(self, result: Any) -> None:
        """Fold one chunk's ExpectationValidationResult in: failed in any chunk means failed."""
        if result.success:
            return
        self.success = False
        errors = _exception_messages(result.exception_info)
        if errors:
            self.errors.update(errors)
            return
        detail = result.result or {}
        key = self.table_suite.document_key
        if key is not None:
            # COMPLETE + unexpected_index_column_names: every unexpected_index_list entry carries the key's
            # value, so failures name documents rather than pandas row numbers.
            self.documents.update(
                str(row[key])
                for row in detail.get("unexpected_index_list") or []
                if isinstance(row, Mapping) and _present(row.get(key))
            )
        if "observed_value" in detail:
            self.observed = _plain(detail["observed_value"])
        else:
            sample = self.observed if isinstance(self.observed, list) else []
            unexpected = (detail.get("unexpected_list") or [])[: SAMPLE_SIZE - len(sample)]
            self.observed = sample + [_plain(v) for v in unexpected]
        if detail.get("unexpected_count") is not None:
            self.unexpected_count = (self.unexpected_count or 0) + detail["unexpected_count"]

    def failure(self) -> Failure:
        kwargs = self.expectation.get("kwargs", {})
        column = kwargs.get("column")
        if column is None and "column_A" in kwargs:
            column = f"{kwargs['column_A']},{kwargs['column_B']}"
        elif column is None and "column_list" in kwargs:
            column = ",".join(kwargs["column_list"])
        why = (self.expectation.get("meta") or {}).get("why")
        table, kind = self.table_suite.table, self.expectation["type"]
        if self.errors:
            return Failure(table, kind, column, "; ".join(sorted(self.errors)), why=why)
        return Failure(
            table=table,
            expectation=kind,
            column=column,
            observed=self.observed if self.observed is not None else [],
            unexpected_count=self.unexpected_count,
            documents=tuple(sorted(self.documents)),
            why=why,
        )


def _split_by_document(table_suite: TableSuite, items: Sequence[_T]) -> list[tuple[bool, list[_T]]]:
    """`items` (one per expectation of `table_suite`, in its order) as (by_document, group) pairs, the
    per-document group first, empty groups left out: the one split that validation and `warm` share, since a
    cached Checkpoint is found again only for the same expectations in the same order."""
    flags = [_per_document(e, table_suite.document_key) for e in table_suite.expectations]
    pairs = [(b, [it for it, f in zip(items, flags, strict=True) if f == b]) for b in (True, False)]
    return [(by_document, group) for by_document, group in pairs if group]


def _per_document(expectation: Mapping[str, Any], key: str | None) -> bool:
    """True when the expectation's verdict over chunks of whole documents equals its verdict on the table.

    Row-by-row (map) expectations qualify unless `mostly` asks for a share of the whole table; uniqueness
    qualifies when the document key is one of its columns, since a document's rows never straddle chunks.
    Map expectations that compare a row with others (order, z-scores, outliers) do not.
    """
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    kwargs = expectation.get("kwargs", {})
    if key is None or kwargs.get("mostly", 1) != 1 or expectation["type"] in _ACROSS_ROWS:
        return False
    if expectation["type"] in _UNIQUENESS:
        return key in _named_columns(kwargs)
    try:
        impl = get_expectation_impl(expectation["type"])
    except Exception:  # an unknown type: `_expectation_suite` names it in a SuiteError
        return False
    return issubclass(impl, ColumnMapExpectation | ColumnPairMapExpectation | MulticolumnMapExpectation)


def _chunk_size(table_suite: TableSuite, given: int | None) -> int:
    """Documents a chunk of the table: its suite's `chunk_documents` (a table of one small row per document
    takes many: GX's fixed cost per run is most of such a run), else CHUNK_DOCUMENTS; a `given` size (tests,
    benchmarks) replaces the default and caps the suite's."""
    if given:
        return min(given, table_suite.chunk_documents or given)
    return table_suite.chunk_documents or CHUNK_DOCUMENTS


def _run_group(
    context: EphemeralDataContext,
    con: duckdb.DuckDBPyConnection,
    stage_name: str,
    table_suite: TableSuite,
    group: list[_Tally],
    present: list[str],
    by_document: bool,
    only_batch: bool,
    chunk_documents: int,
    clock: _Clock,
) -> list[Any]:
    """Run one Checkpoint for `group` over the table's chunks (or the whole table); returns the result ids.

    Only the columns the group names are read; columns it names but the table lacks are left out, so GX
    reports them as failed expectations instead of the SQL failing here.
    """
    from great_expectations.core.run_identifier import RunIdentifier

    wanted = _referenced_columns([t.expectation for t in group], table_suite.document_key)
    columns = [c for c in present if wanted is None or c in wanted] or present
    name = _checkpoint_name(stage_name, table_suite, by_document)
    with clock("checkpoints"):
        checkpoint = _checkpoint(context, name, table_suite, [t.expectation for t in group])
        stored = checkpoint.validation_definitions[0].suite.expectations
        by_id = {e.id: tally for e, tally in zip(stored, group, strict=True)}
    if by_document and table_suite.document_key is not None:
        frames = _chunks(
            con, table_suite.table, columns, table_suite.document_key, only_batch, chunk_documents
        )
    else:
        frames = iter([("whole-table", _frame(con, _select(table_suite.table, columns)))])
    identifiers = []
    for run_name, frame in clock.timed("read", frames):
        with clock("checkpoints"):
            run = checkpoint.run(
                batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name)
            )
        for identifier, suite_result in run.run_results.items():
            identifiers.append(identifier)
            for result in suite_result.results:
                by_id[result.expectation_config.id].add(result)
    return identifiers


def _chunks(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    key: str,
    only_batch: bool,
    per_chunk: int,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """The table's rows as (run name, frame), `per_chunk` whole documents at a time, in key order.

    The chunks' key ranges come from one SQL query, so neither the rows nor the list of keys are held in
    Python. Rows without a key go with the first chunk (none with `only_batch`: the batch is documents, and
    its ids are cut into ranges without reading the table: a chunk of a batch reads the table once).
    """
    from nianbao.incremental import BATCH_TABLE

    k = _quote(key)
    batch = f" and {k} in (select document_id from {BATCH_TABLE})" if only_batch else ""
    keys = (
        f"select distinct document_id as k from {BATCH_TABLE} where document_id is not null"
        if only_batch
        else f"select distinct {k} as k from {_relation(table)} where {k} is not null"
    )
    ranges = con.execute(
        f"select min(k), max(k) from (select k, (row_number() over (order by k) - 1) // {int(per_chunk)} as n "
        f"from ({keys})) group by n order by n"
    ).fetchall()
    select = _select(table, columns)
    if not ranges:  # still one run, so expectations on missing columns fail and data docs show the table
        yield "chunk-1-of-1", _frame(con, f"{select} where {'false' if only_batch else f'{k} is null'}")
        return
    nulls = "" if only_batch else f" or {k} is null"
    for i, (low, high) in enumerate(ranges):
        where = f" where ({k} between ? and ?{nulls if i == 0 else ''}){batch}"
        yield f"chunk-{i + 1}-of-{len(ranges)}", _frame(con, select + where, [low, high])


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """A query's rows as pandas, through Arrow: the same frame as DuckDB's `.df()` (dtypes and values, every
    suite's columns at 20 000 reports), 4-5x faster for text columns (150 000 cells: 0.4 s, `.df()` 1.7-2.7 s)."""
    return con.sql(sql, params=params).to_arrow_table().to_pandas()


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The table's (or view's) columns in order; empty when it does not exist."""
    schema, name = table.split(".")
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def _referenced_columns(expectations: list[dict[str, Any]], document_key: str | None) -> set[str] | None:
    """Columns named by the expectations' kwargs, or None when one of them needs the whole table."""
    columns: set[str] = {document_key} if document_key else set()
    for exp in expectations:
        named = _named_columns(exp.get("kwargs", {}))
        if not named:
            return None  # table-level expectation (row count, column set): give it every column
        columns.update(named)
    return columns


def _named_columns(kwargs: Mapping[str, Any]) -> list[str]:
    named = [kwargs[k] for k in _COLUMN_KWARGS if k in kwargs]
    for k in _COLUMN_LIST_KWARGS:
        named.extend(kwargs.get(k, []))
    return named


def _relation(table: str) -> str:
    return ".".join(_quote(part) for part in table.split("."))


def _select(table: str, columns: list[str]) -> str:
    return f"select {', '.join(_quote(c) for c in columns)} from {_relation(table)}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _checkpoint_name(stage_name: str, table_suite: TableSuite, by_document: bool) -> str:
    name = f"{stage_name}.{table_suite.table}"  # dots become folders in data docs
    return name if by_document else name + ".whole_table"


def _checkpoint(
    context: EphemeralDataContext, name: str, table_suite: TableSuite, expectations: list[dict[str, Any]]
) -> Any:
    """The GX Checkpoint for some of a table's expectations; its runs take the frame as a batch parameter.

    One per table (and group), not one per stage: a dataframe asset receives its frame through the run's
    `batch_parameters`, which a Checkpoint hands to every validation definition it holds alike.
    """
    import great_expectations as gx

    spec = json.dumps(
        [table_suite.table, table_suite.document_key, expectations], sort_keys=True, default=str
    )
    if (held := _checkpoints.get(name)) and held[0] == spec:
        return held[1]
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    if table_suite.document_key is not None:
        result_format["unexpected_index_column_names"] = [table_suite.document_key]
    definition = gx.ValidationDefinition(
        name=name,
        data=_batch_definition(context, table_suite.table),
        suite=_expectation_suite(name, table_suite.table, expectations),
    )
    # add_or_update cascades to the suite and validation definition, so an edited suite file is
    # picked up by the next call in the same process.
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[definition], result_format=result_format)
    )
    _checkpoints[name] = (spec, checkpoint)
    return checkpoint


def _batch_definition(context: EphemeralDataContext, table: str) -> BatchDefinition:
    """The pandas dataframe asset for a table, created once and reused across runs."""
    try:
        datasource = context.data_sources.get(_DATASOURCE_NAME)
    except KeyError:
        datasource = context.data_sources.add_pandas(_DATASOURCE_NAME)
    if table in datasource.get_asset_names():
        asset = datasource.get_asset(table)
    else:
        asset = datasource.add_dataframe_asset(table)
    try:
        return asset.get_batch_definition(_BATCH_DEFINITION_NAME)
    except KeyError:
        return asset.add_batch_definition_whole_dataframe(_BATCH_DEFINITION_NAME)


def _expectation_suite(name: str, table: str, expectations: list[dict[str, Any]]) -> Any:
    """Build the GX suite; each expectation is built on its own so a bad config raises.

    (`ExpectationSuite(expectations=[...])` only logs invalid configurations and drops them.)
    """
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    gx_suite = gx.ExpectationSuite(name=name)
    for exp in expectations:
        try:
            meta = dict(exp.get("meta", {}))
            expectation = ExpectationConfiguration(
                type=exp["type"],
                kwargs=dict(exp.get("kwargs", {})),
                meta=meta,
                notes=meta.get("why"),  # data docs render notes (not meta) beside each expectation
            ).to_domain_obj()
        except Exception as err:  # ExpectationNotFoundError, InvalidExpectationConfigurationError, pydantic
            raise SuiteError(f"{table}: invalid expectation {exp['type']}: {err}") from err
        gx_suite.add_expectation(expectation)
    return gx_suite


def _exception_messages(info: Any) -> list[str]:
    """Messages of exceptions GX caught while computing an expectation (e.g. a missing column).

    GX 1.x gives either one flat dict or a dict keyed by metric id whose values are such dicts.
    """
    if not isinstance(info, Mapping):
        return []
    if "raised_exception" in info:
        return [str(info.get("exception_message"))] if info.get("raised_exception") else []
    return sorted({m for sub in info.values() for m in _exception_messages(sub)})


def _present(value: Any) -> bool:
    """False for None, NaN and pd.NA: a null key cannot name a document."""
    import pandas as pd

    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values: present
        return True


def _plain(value: Any) -> Any:
    """numpy / pandas scalars to plain Python, nulls to None, tuples to lists: safe to log or json.dumps."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if not _present(value):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str | bytes) else value

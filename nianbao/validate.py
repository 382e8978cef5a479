"""Great Expectations checks at the stage boundaries: raw documents, staging rows, marts.

The suites are data (``expectations/<stage>.json``), so a reviewer sees every rule and why it exists without
reading code. DuckDB is not a supported GX SQL datasource, so each table is read into pandas and validated
with GX's pandas datasource through a real Checkpoint run. A failed expectation fails the stage: callers
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
         "expectations": [
           {"type": "expect_column_values_to_be_between",
            "kwargs": {"column": "value", "min_value": 0},
            "meta": {"why": "counts are never negative"}}]}}}

``import great_expectations`` takes seconds, so GX is imported inside functions only, and one ephemeral
context is built per process and reused by every stage.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
SAMPLE_SIZE = 10  # unexpected values kept per failure: enough to recognise the problem, small enough to log

_DATASOURCE_NAME = "nianbao_duckdb"
_BATCH_DEFINITION_NAME = "whole_table"
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
# kwargs that name the columns an expectation reads; used to load only those columns from DuckDB.
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list",)

_context: EphemeralDataContext | None = None
_results_for: Path | None = None  # the docs site whose validation results the context holds
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
        table_suites.append(TableSuite(table, tuple(dict(e) for e in spec["expectations"]), key))
    return Suite(str(data.get("name") or stage), tuple(table_suites), str(data.get("description", "")))


def validate_stage(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    *,
    docs_dir: Path | None = None,
    expectations_dir: Path | None = None,
    only_batch: bool = False,
) -> StageValidation:
    """Validate every table in the stage's suite with a GX Checkpoint; optionally (re)build data docs.

    With `only_batch` (an incremental build), a table with a `document_key` is validated on the rows of the
    build's batch only (`nianbao.incremental.BATCH_TABLE`: the documents this build adds or recomputes); the
    other rows passed the same suites when their build made them (a changed suite changes the fingerprint,
    and that build validates everything). Tables without a document key, and tables whose suite has a
    table-level expectation (row count, column set), are validated whole. Uniqueness of the document key
    within the batch is what GX sees; across the table the primary keys (staging DDL, mart contracts) hold it.

    A table missing from the warehouse counts as a failed check (`table_exists`), since a stage that did
    not produce its output must not pass. `docs_dir` gets a static GX data docs site covering every
    validation run made for that site in this process; its index.html is returned in `docs_index`.
    """
    started = time.perf_counter()
    suite = load_suite(stage, expectations_dir)
    failures: list[Failure] = []
    frames: dict[str, pd.DataFrame] = {}
    evaluated = 0
    for table_suite in suite.tables:
        frame = _read_table(con, table_suite, only_batch)
        if frame is None:
            evaluated += 1
            failures.append(
                Failure(table_suite.table, "table_exists", None, "missing", why="the stage produced no table")
            )
        else:
            frames[table_suite.table] = frame

    with _lock:
        context = _get_context()
        _keep_results_of(context, docs_dir)
        validated = [t for t in suite.tables if t.table in frames]
        results = _run_checkpoints(context, suite, validated, frames)
        passed = 0
        for table_suite, suite_result in results:
            for expectation_result in suite_result.results:
                evaluated += 1
                if expectation_result.success:
                    passed += 1
                else:
                    failures.append(_failure(table_suite, expectation_result))
        docs_index = build_data_docs(docs_dir) if docs_dir is not None else None

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
    )


def build_data_docs(docs_dir: Path) -> Path:
    """Write GX data docs for every suite and validation run held by this process's context.

    The ephemeral context keeps results in memory; pointing a filesystem site at `docs_dir` renders them
    without a `gx/` project folder in the repository.
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
        context.build_data_docs(site_names=[DOCS_SITE_NAME])
    index = docs_dir / "index.html"
    if not index.is_file():
        raise RuntimeError(f"GX did not write {index}")
    localize_assets(docs_dir)  # GX's pages load their scripts from CDNs: offline they list nothing
    return index


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
        _results_for = target


def _get_context() -> EphemeralDataContext:
    """One in-memory GX context per process: creating one (and importing GX) is the slow part."""
    global _context
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


def _read_table(
    con: duckdb.DuckDBPyConnection, table_suite: TableSuite, only_batch: bool = False
) -> pd.DataFrame | None:
    """Load the columns the suite reads (all of them if an expectation looks at the table's columns).

    Columns a suite names but the table lacks are left out, so GX reports them as failed expectations
    instead of the SQL failing here. Returns None when the table (or view) does not exist.
    """
    schema, name = table_suite.table.split(".")
    present = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]
    if not present:
        return None
    wanted = _referenced_columns(table_suite)
    columns = [c for c in present if wanted is None or c in wanted] or present
    select = ", ".join(_quote(c) for c in columns)
    where = ""
    if only_batch and table_suite.document_key and wanted is not None:
        from nianbao.incremental import BATCH_TABLE

        where = f" where {_quote(table_suite.document_key)} in (select document_id from {BATCH_TABLE})"
    return con.execute(f"select {select} from {_quote(schema)}.{_quote(name)}{where}").df()


def _referenced_columns(table_suite: TableSuite) -> set[str] | None:
    """Columns named by the suite's kwargs, or None when some expectation needs the whole table."""
    columns: set[str] = set()
    if table_suite.document_key:
        columns.add(table_suite.document_key)
    for exp in table_suite.expectations:
        kwargs = exp.get("kwargs", {})
        named = [kwargs[k] for k in _COLUMN_KWARGS if k in kwargs]
        for k in _COLUMN_LIST_KWARGS:
            named.extend(kwargs.get(k, []))
        if not named:
            return None  # table-level expectation (row count, column set): give it every column
        columns.update(named)
    return columns


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _run_checkpoints(
    context: EphemeralDataContext,
    suite: Suite,
    tables: list[TableSuite],
    frames: dict[str, pd.DataFrame],
) -> list[tuple[TableSuite, Any]]:
    """Run one GX Checkpoint per table and return (table, suite validation result) pairs.

    One per table, not one per stage: a dataframe asset receives its frame through the run's
    `batch_parameters`, which a Checkpoint hands to every validation definition it holds alike.
    """
    import great_expectations as gx

    results: list[tuple[TableSuite, Any]] = []
    for table_suite in tables:
        frame = frames[table_suite.table]
        key = table_suite.document_key
        result_format: dict[str, Any] = {"result_format": "COMPLETE"}
        if key is not None:
            if key not in frame.columns:
                raise SuiteError(f"{table_suite.table}: document_key {key!r} is not a column")
            # COMPLETE + unexpected_index_column_names: every unexpected_index_list entry carries the
            # key's value, so failures name documents rather than pandas row numbers.
            result_format["unexpected_index_column_names"] = [key]
        name = f"{suite.name}.{table_suite.table}"  # dots become folders in data docs
        definition = gx.ValidationDefinition(
            name=name,
            data=_batch_definition(context, table_suite.table),
            suite=_expectation_suite(name, table_suite),
        )
        # add_or_update cascades to the suite and validation definition, so an edited suite file is
        # picked up by the next call in the same process.
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(name=name, validation_definitions=[definition], result_format=result_format)
        )
        run = checkpoint.run(batch_parameters={"dataframe": frame})
        results.extend((table_suite, r) for r in run.run_results.values())
    return results


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


def _expectation_suite(name: str, table_suite: TableSuite) -> Any:
    """Build the GX suite; each expectation is built on its own so a bad config raises.

    (`ExpectationSuite(expectations=[...])` only logs invalid configurations and drops them.)
    """
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    gx_suite = gx.ExpectationSuite(name=name)
    for exp in table_suite.expectations:
        try:
            meta = dict(exp.get("meta", {}))
            expectation = ExpectationConfiguration(
                type=exp["type"],
                kwargs=dict(exp.get("kwargs", {})),
                meta=meta,
                notes=meta.get("why"),  # data docs render notes (not meta) beside each expectation
            ).to_domain_obj()
        except Exception as err:  # ExpectationNotFoundError, InvalidExpectationConfigurationError, pydantic
            raise SuiteError(f"{table_suite.table}: invalid expectation {exp['type']}: {err}") from err
        gx_suite.add_expectation(expectation)
    return gx_suite


def _failure(table_suite: TableSuite, result: Any) -> Failure:
    """Turn a GX ExpectationValidationResult into a plain `Failure`."""
    config = result.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column")
    if column is None and "column_A" in kwargs:
        column = f"{kwargs['column_A']},{kwargs['column_B']}"
    elif column is None and "column_list" in kwargs:
        column = ",".join(kwargs["column_list"])
    why = (config.meta or {}).get("why")
    errors = _exception_messages(result.exception_info)
    if errors:
        return Failure(table_suite.table, config.type, column, "; ".join(errors), why=why)

    detail = result.result or {}
    documents: tuple[str, ...] = ()
    key = table_suite.document_key
    if key is not None:
        found = {
            str(row[key])
            for row in detail.get("unexpected_index_list") or []
            if isinstance(row, Mapping) and _present(row.get(key))
        }
        documents = tuple(sorted(found))
    if "observed_value" in detail:
        observed = _plain(detail["observed_value"])
    else:
        observed = [_plain(v) for v in (detail.get("unexpected_list") or [])[:SAMPLE_SIZE]]
    return Failure(
        table=table_suite.table,
        expectation=config.type,
        column=column,
        observed=observed,
        unexpected_count=detail.get("unexpected_count"),
        documents=documents,
        why=why,
    )


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

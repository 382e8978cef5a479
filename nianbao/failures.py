"""Why a build failed: one cause per failed build, one line that names it, one exit code per cause.

A failure deep in a build often surfaces as a secondary error (a full disk makes DuckDB's write fail, and the
rollback that follows raises `cannot rollback - no transaction is active`), so causes are read from the whole
exception chain, the first cause found wins, and the line quotes the error that names it. The exit codes are
the CLI's contract with schedulers and scripts (README "What the build produces", `nianbao build --help`).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from nianbao.readers.limits import exception_chain


@dataclass(frozen=True)
class Cause:
    key: str
    exit_code: int
    meaning: str


FAILED, INPUT_MISSING, LOCK_HELD = "failed", "input_missing", "lock_held"
DISK_FULL, DBT_FAILED, EXPECTATIONS_FAILED = "disk_full", "dbt_failed", "expectations_failed"
CAUSES = {  # 0 is success (or up to date) and 2 argparse's usage error
    c.key: c
    for c in (
        Cause(FAILED, 1, "failed for another reason (the last line names the error)"),
        Cause(INPUT_MISSING, 3, "an input path does not exist"),
        Cause(
            LOCK_HELD, 4, "another build holds the warehouse's lock (the line names its run, pid and start)"
        ),
        Cause(DISK_FULL, 5, "no space left (disk full, quota, file-size limit), before or during the build"),
        Cause(DBT_FAILED, 6, "dbt failed (the line names the failing models, or tests)"),
        Cause(
            EXPECTATIONS_FAILED, 7, "Great Expectations failed on data no single document can be blamed for"
        ),
    )
}

# errno values and the messages of libraries (DuckDB, SQLite) that report them without an errno.
_NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_NO_SPACE_TEXTS = (
    "no space left on device",
    "disk quota exceeded",
    "file too large",
    "database or disk is full",
)


@dataclass(frozen=True)
class Failure:
    cause: str
    detail: str

    @property
    def exit_code(self) -> int:
        return CAUSES[self.cause].exit_code

    def line(self) -> str:
        """The one line a failed build ends with."""
        return f"nianbao build failed ({self.cause}, exit {self.exit_code}): {self.detail}"


class BuildFailed(Exception):
    """A build that stopped on an exception, with the cause and the run's summary as far as it got."""

    def __init__(self, failure: Failure, summary: Any = None) -> None:
        super().__init__(failure.line())
        self.failure = failure
        self.summary = summary

    def __reduce__(self) -> tuple[type[BuildFailed], tuple[Failure, Any]]:
        return (type(self), (self.failure, self.summary))  # pickled (Prefect, process pools) whole


def no_space(text: str) -> bool:
    low = text.lower()
    return any(t in low for t in _NO_SPACE_TEXTS)


def _first_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:400]


def from_exception(e: BaseException) -> Failure:
    """The cause of a build that raised `e`: a held lock, then no space anywhere in the chain, else `failed`."""
    from nianbao.warehouse import BuildLocked

    chain = exception_chain(e)
    if isinstance(e, BuildFailed):
        return e.failure
    for x in chain:
        if isinstance(x, BuildLocked):
            return Failure(LOCK_HELD, _first_line(x))
    for x in chain:
        if (isinstance(x, OSError) and x.errno in _NO_SPACE_ERRNOS) or no_space(str(x)):
            return Failure(DISK_FULL, f"{type(x).__name__}: {_first_line(x)}")
    return Failure(FAILED, f"{type(e).__name__}: {_first_line(e)}")


def abort(e: BaseException, summary: Any) -> BuildFailed:
    """The exception a build raises when `e` stopped it: the cause is recorded in its summary too."""
    failure = from_exception(e)
    summary.fail(failure.cause, failure.detail)
    for x in exception_chain(e):  # logged by now; their frames hold DuckDB objects that nanobind would
        x.__traceback__ = None  # report as leaked at exit, after the line that names the cause
    return BuildFailed(failure, summary)


def dbt_failure(dbt: Any) -> Failure:
    """A failed `dbt build` (`dbt_build.DbtBuildResult`): the models that did not build, else the tests."""
    said = " ".join((*dbt.messages, dbt.stderr_tail))
    if no_space(said):
        where = f" in model {', '.join(dbt.failed_models)}" if dbt.failed_models else ""
        return Failure(DISK_FULL, f"dbt{where}: No space left on device")
    if dbt.failed_models:
        first = next((m for m in dbt.messages if m.startswith(f"{dbt.failed_models[0]} [")), "")
        detail = " ".join(first.split(":", 1)[-1].split())[:300]
        return Failure(DBT_FAILED, f"dbt failed in model {', '.join(dbt.failed_models)}: {detail}")
    if dbt.failed_nodes:
        return Failure(DBT_FAILED, f"dbt tests failed: {', '.join(dbt.failed_nodes)}")
    tail = [ln for ln in dbt.stderr_tail.splitlines() if ln.strip()]
    return Failure(
        DBT_FAILED, f"dbt build failed (exit {dbt.returncode}): {tail[-1].strip() if tail else ''}"
    )


def from_summary(summary: Any) -> Failure | None:
    """The cause of a build that ran to its end without publishing (None when it is ok)."""
    if summary.ok:
        return None
    detail = summary.failures[0] if summary.failures else "the warehouse was not published"
    return Failure(summary.cause or FAILED, detail)


def exit_code_table() -> str:
    """The exit codes as `nianbao build --help` prints them."""
    rows = [(0, "built and published, or already up to date"), (2, "usage error")]
    rows += [(c.exit_code, f"{c.key}: {c.meaning}") for c in CAUSES.values()]
    return "\n".join(f"  {code}  {text}" for code, text in sorted(rows))

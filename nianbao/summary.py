"""What a build did, counted as it goes: documents, figures, checks, stage times and what went wrong.

The accounting rules live here, next to the numbers they fill, so the flow only says which stage
finished: a document quarantined while parsing is no longer new; a dbt test that errored counts as
failed; an expectation evaluated but not passed is a failed check.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from nianbao.failures import dbt_failure


@dataclass
class BuildSummary:
    warehouse: str
    run_id: str
    documents_seen: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    documents_duplicate: int = 0
    documents_quarantined: int = 0
    figures_extracted: int = 0  # prose figures
    cells_extracted: int = 0  # statutory-table cells
    ocr_pages: int = 0  # pages read by OCR this run (their seconds are inside the ingest stage)
    figures_in_warehouse: int = 0
    cells_in_warehouse: int = 0
    checks_passed: int = 0
    checks_warned: int = 0
    checks_failed: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None
    published: bool = False
    up_to_date: bool = False  # nothing new and the same code built the marts: nothing was rebuilt
    cause: str | None = None  # why the run failed (a nianbao.failures cause; it sets the exit code)

    @property
    def ok(self) -> bool:
        return (self.published or self.up_to_date) and not self.failures

    def fail(self, cause: str, line: str) -> None:
        """Record a failure of the run; the first one's cause is the run's."""
        self.failures.append(line)
        self.cause = self.cause or cause

    def add_ingest(self, ing: Any) -> None:
        """One ingest batch (`stages.IngestSummary`)."""
        self.documents_seen += ing.seen
        self.documents_new += ing.new
        self.documents_unchanged += ing.unchanged
        self.documents_duplicate += ing.duplicates
        self.documents_quarantined += ing.quarantined

    def add_parse(self, res: dict) -> None:
        """One parse batch: a document quarantined while parsing is no longer counted as new."""
        self.figures_extracted += res["figures"]
        self.cells_extracted += res["cells"]
        self.ocr_pages += res.get("ocr_pages", 0)
        self.documents_quarantined += res["quarantined"]
        self.documents_new -= res["quarantined"]

    def add_validation(self, val: Any) -> None:
        """One Great Expectations stage: an expectation evaluated and not passed is a failed check."""
        self.checks_passed += val.passed
        self.checks_failed += val.evaluated - val.passed

    def add_dbt(self, dbt: Any) -> None:
        """The dbt build: errored tests count as failed; a failed build is a failure of the run."""
        self.checks_passed += dbt.tests_passed
        self.checks_warned += dbt.tests_warned
        self.checks_failed += dbt.tests_failed + dbt.tests_errored
        self.warnings.extend(f"dbt warn: {n}" for n in dbt.warned_nodes)
        if not dbt.success:
            failure = dbt_failure(dbt)
            self.fail(failure.cause, failure.detail)

    def set_warehouse_counts(self, counts: dict[str, int]) -> None:
        self.figures_in_warehouse, self.cells_in_warehouse = counts["figures"], counts["cells"]

    @property
    def ocr_pages_per_s(self) -> float | None:
        """OCR'd pages over the whole ingest stage (reading every file, not OCR alone): a lower bound."""
        seconds = self.stage_seconds.get("ingest")
        return round(self.ocr_pages / seconds, 3) if self.ocr_pages and seconds else None


class StageClock:
    """Seconds per stage, measured from the end of the previous one into `summary.stage_seconds`."""

    def __init__(self, summary: BuildSummary) -> None:
        self.summary = summary
        self.last = time.perf_counter()

    def lap(self, stage: str, plus: float = 0.0) -> float:
        """`plus`: seconds the stage already spent interleaved with others (see `record`)."""
        now = time.perf_counter()
        self.summary.stage_seconds[stage] = round(now - self.last + plus, 2)
        self.last = now
        return self.summary.stage_seconds[stage]

    def record(self, seconds: dict[str, float]) -> None:
        """Stages that ran interleaved (the batch stream) report their busy seconds; the clock restarts."""
        for stage, s in seconds.items():
            self.summary.stage_seconds[stage] = round(s, 2)
        self.last = time.perf_counter()


def summary_dict(summary: BuildSummary) -> dict:
    return asdict(summary) | {"ok": summary.ok, "ocr_pages_per_s": summary.ocr_pages_per_s}

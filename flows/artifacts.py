"""Each build's summary as a Prefect table artifact: what an operator reads for a run in the Prefect UI.

One row per figure (documents, figures, checks, quarantine by reason) so the UI shows it as a table and a
script reads it back by name; the description says whether the run published and what went wrong.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from prefect.artifacts import create_table_artifact

from nianbao.summary import BuildSummary
from nianbao.warehouse import connect

ARTIFACT_KEY = "build-summary"  # the same key every run: the UI keeps each run's version under it


def summary_table(summary: BuildSummary, quarantine: dict[str, int]) -> list[dict[str, object]]:
    s = summary
    rows = [
        ("documents", "seen", s.documents_seen),
        ("documents", "new", s.documents_new),
        ("documents", "unchanged", s.documents_unchanged),
        ("documents", "duplicate", s.documents_duplicate),
        ("documents", "quarantined this run", s.documents_quarantined),
        ("figures", "prose figures extracted this run", s.figures_extracted),
        ("figures", "table cells extracted this run", s.cells_extracted),
        ("figures", "prose figures in warehouse", s.figures_in_warehouse),
        ("figures", "table cells in warehouse", s.cells_in_warehouse),
        ("checks", "passed", s.checks_passed),
        ("checks", "warned", s.checks_warned),
        ("checks", "failed", s.checks_failed),
    ]
    rows += [("quarantine", reason, n) for reason, n in quarantine.items()]
    return [{"group": g, "measure": m, "value": v} for g, m, v in rows]


def summary_description(summary: BuildSummary) -> str:
    s = summary
    if s.up_to_date:
        outcome = "up to date: nothing new, the published warehouse kept"
    elif s.published:
        outcome = "published"
    else:
        outcome = "NOT published: the previous warehouse kept"
    lines = [f"**nianbao build {'OK' if s.ok else 'FAILED'}** (run `{s.run_id}`): {outcome}", ""]
    lines.append("Stages: " + ", ".join(f"{k} {v:.1f}s" for k, v in s.stage_seconds.items()))
    lines += [f"- failure: {f}" for f in s.failures]
    lines += [f"- warning: {w}" for w in s.warnings[:20]]
    return "\n".join(lines)


def quarantine_by_reason(warehouse: Path) -> dict[str, int]:
    """Documents set aside in the published warehouse, by reason code (none before the first publish)."""
    if not warehouse.exists():
        return {}
    with connect(warehouse, read_only=True) as con:
        rows = con.execute(
            "select reason_code, count(*) from staging.quarantine group by 1 order by 1"
        ).fetchall()
    return dict(rows)


def create_summary_artifact(summary: BuildSummary) -> UUID:
    return create_table_artifact(
        table=summary_table(summary, quarantine_by_reason(Path(summary.warehouse))),
        key=ARTIFACT_KEY,
        description=summary_description(summary),
    )

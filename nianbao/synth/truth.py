"""The sidecar: every true figure of one report, what the source shows of it, and the noise applied.

Cells carry `status`: `stated` (printed, must be read exactly), `blank` / `na` (printed blank or `/`: the
source does not state it), `lost` (cut off by truncation), `cut_row` (a row the truncation cut through: if read
it must be exact, but it is not expected). `report_summary` is what marts.report_summary should hold, worked out
the way the warehouse does (a table figure where the table gives it, else the prose's).
"""

from __future__ import annotations

from datetime import date

from nianbao.glossary import SUMMARY_MEASURES as SUMMARY_FIELDS
from nianbao.synth.bodies import Body
from nianbao.synth.figures import APPLICANTS, SUMMARY_ROWS, Figures, Key
from nianbao.synth.layout import Block
from nianbao.synth.noise import Noise
from nianbao.tables import stats_e0


def _stated(cells: list[dict]) -> dict[Key, float]:
    return {(c["table_id"], c["row_key"], c["col_key"]): c["value"] for c in cells if c["status"] == "stated"}


def _row_total(known: dict[Key, float], table: str, row: str, parts: tuple[str, ...]) -> float | None:
    """A row's total: the 总计 cell, or the sum of its parts when every part is printed."""
    if (table, row, "total") in known:
        return known[table, row, "total"]
    if all((table, row, p) in known for p in parts):
        return sum(known[table, row, p] for p in parts)
    return None


def _t4_total(known: dict[Key, float], block: str) -> float | None:
    """表四's block total: its 总计 cell, or 维持 + 纠正 + 其他 + 尚未审结 when all four are printed."""
    parts = [("t4", "all", f"{block}.{r}") for r in ("upheld", "corrected", "other", "pending")]
    if ("t4", "all", f"{block}.total") in known:
        return known["t4", "all", f"{block}.total"]
    return sum(known[k] for k in parts) if all(k in known for k in parts) else None


def _table_measures(fig: Figures, known: dict[Key, float]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    if fig.e0_family:
        for r in stats_e0.ROWS[fig.e0_family]:
            m = r.maps
            if (
                m
                and not m.reason
                and m.confidence in ("exact", "approximate")
                and m.measure in SUMMARY_FIELDS
            ):
                key = (fig.e0_family, r.key, stats_e0.YEAR_COLUMN[fig.e0_family])
                if key in fig.cells:
                    out.setdefault(m.measure, known.get(key))
        return out
    if fig.era == "pre2019":
        return out
    for measure, rows in SUMMARY_ROWS.items():
        rows = tuple(r for r in rows if ("t3", r, "total") in fig.cells)
        values = [_row_total(known, "t3", r, APPLICANTS) for r in rows]
        out[measure] = None if any(v is None for v in values) else sum(values)  # type: ignore[misc]
    t4 = {b: _t4_total(known, b) for b in ("review", "direct", "after_review")}
    out["reconsideration_total"] = t4["review"]
    out["litigation_total"] = (
        None if t4["direct"] is None or t4["after_review"] is None else t4["direct"] + t4["after_review"]
    )
    return out


def sidecar(
    *,
    report_id: str,
    file: str,
    fmt: str,
    encoding: str,
    body: Body,
    fig: Figures,
    published: date,
    blocks: list[Block],
    noise: Noise,
) -> dict:
    cells = []
    for key, value in sorted(fig.cells.items()):
        status, reason = noise.cells.get(key, ("stated", ""))
        cells.append(
            {
                "table_id": key[0],
                "row_key": key[1],
                "col_key": key[2],
                "value": value if status in ("stated", "lost", "cut_row") else None,
                "true_value": value,
                "status": status,
                "reason": reason,
            }
        )
    prose = [
        {"measure": m, "value": v, "status": "lost" if id(b) in noise.lost_facts else "stated"}
        for b in blocks
        if b.kind == "para"
        for m, v in b.facts.items()
    ]
    table = _table_measures(fig, _stated(cells))
    stated_prose = {p["measure"]: p["value"] for p in prose if p["status"] == "stated"}
    summary: dict[str, object] = {
        "agency": body.agency,
        "admin_level": body.admin_level,
        "province": body.province,
        "report_year": fig.year,
        "published_on": published.isoformat(),
    }
    for f in SUMMARY_FIELDS:
        v = table.get(f)
        summary[f] = v if v is not None else stated_prose.get(f)
    return {
        "id": report_id,
        "file": file,
        "format": fmt,
        "encoding": encoding,
        "metadata": {
            "agency": body.agency,
            "admin_level": body.admin_level,
            "province": body.province,
            "report_year": fig.year,
            "published_on": published.isoformat(),
            "format_era": fig.era,
            "e0_family": fig.e0_family,
        },
        "measures": fig.measures,
        "cells": cells,
        "prose": prose,
        "report_summary": summary,
        "noise": noise.applied,
    }

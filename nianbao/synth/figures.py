"""True figures of one report: 表三 / 表四 / 表二 (2019+) or a pre-2019 statistics table, in realistic ranges.

Tables are drawn so the identities of report_formats.md §2e and §3 hold (each applicant column:
一 + 二 = （七） + 四; （七） = Σ outcomes; 总计 = Σ applicants; 表四 维持 + 纠正 + 其他 + 尚未审结 = 总计); the
noise (`noise`) may break them afterwards, as real files do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from nianbao.glossary import SUMMARY_MEASURES
from nianbao.tables import catalog, stats_e0

# Typical requests per year by level (a log-normal median); departments and townships get few.
VOLUME = {"province": 300, "prefecture": 120, "county": 35, "department": 10}
APPLICANT_SHARE = {  # 自然人 dominates; 商业企业 next
    "natural_person": 0.86,
    "commercial": 0.08,
    "research": 0.005,
    "social_welfare": 0.005,
    "legal_service": 0.03,
    "other_org": 0.02,
}
APPLICANTS = tuple(APPLICANT_SHARE)  # 表三's applicant columns in printed order (总计 follows)
OUTCOME_SHARE = {  # leaf outcome rows of 表三 (2021 keys) and their typical weight
    "granted": 0.38,
    "partial": 0.08,
    "denied.state_secret": 0.003,
    "denied.law_forbidden": 0.005,
    "denied.three_security": 0.003,
    "denied.third_party": 0.01,
    "denied.internal_affairs": 0.01,
    "denied.process_info": 0.01,
    "denied.enforcement_file": 0.005,
    "denied.inquiry": 0.01,
    "unavailable.not_held": 0.25,
    "unavailable.need_create": 0.03,
    "unavailable.unclear": 0.03,
    "not_processed.petition": 0.03,
    "not_processed.repeat": 0.03,
    "not_processed.publication": 0.01,
    "not_processed.mass_repeat": 0.01,
    "not_processed.confirm": 0.01,
    "other.no_correction": 0.04,
    "other.no_fee": 0.002,
    "other.other": 0.03,
}
SUMMARY_ROWS = {  # report_summary measure ← 表三 rows (total column), report_formats.md §2e
    "applications_new": ("new",),
    "applications_carried_over": ("carried_over",),
    "granted": ("granted",),
    "partially_granted": ("partial",),
    "denied": tuple(k for k in OUTCOME_SHARE if k.startswith("denied.")),
    "unavailable": tuple(k for k in OUTCOME_SHARE if k.startswith("unavailable.")),
    "not_processed": tuple(k for k in OUTCOME_SHARE if k.startswith("not_processed.")),
    "other_handling": ("other.no_correction", "other.no_fee", "other.other", "other"),
    "responded_total": ("total",),
    "carried_forward": ("carried_forward",),
}
Key = tuple[str, str, str]  # (table_id, row_key, col_key)


@dataclass
class Figures:
    era: str  # pre2019 / std2019 / std2021
    year: int
    cells: dict[Key, float] = field(default_factory=dict)  # every true table figure (money in yuan)
    measures: dict[str, float] = field(default_factory=dict)  # the report's headline figures
    e0_family: str | None = None


def _count(rng: random.Random, median: float) -> int:
    return int(rng.lognormvariate(0, 1.0) * median) if median else 0


def _split(rng: random.Random, total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` items spread over the keys by their shares (a multinomial draw)."""
    out = dict.fromkeys(shares, 0)
    keys, weights = list(shares), list(shares.values())
    for k in rng.choices(keys, weights=weights, k=total) if total else ():
        out[k] += 1
    return out


def t3_figures(rng: random.Random, era: str, volume: int) -> dict[Key, int]:
    """表三 by applicant column; the era decides whether （六） is one row (2019) or three (2021)."""
    cells: dict[Key, int] = {}
    new_by_col = _split(rng, _count(rng, volume), APPLICANT_SHARE)
    for col, new in new_by_col.items():
        carried = rng.choice((0, 0, 0, 1, 2)) if new else 0
        forward = min(new + carried, rng.choice((0, 0, 0, 1, 2, 3)))
        outcomes = _split(rng, new + carried - forward, OUTCOME_SHARE)
        if era == "std2019":
            outcomes["other"] = sum(
                outcomes.pop(k) for k in ("other.no_correction", "other.no_fee", "other.other")
            )
        rows = {
            "new": new,
            "carried_over": carried,
            **outcomes,
            "total": new + carried - forward,
            "carried_forward": forward,
        }
        for row, v in rows.items():
            cells["t3", row, col] = v
    for row in {r for _, r, _ in cells}:
        cells["t3", row, "total"] = sum(cells["t3", row, c] for c in APPLICANT_SHARE)
    return cells


def t4_figures(rng: random.Random, volume: int) -> dict[Key, int]:
    """表四: a few reviews and suits for a busy body, mostly none."""
    cells: dict[Key, int] = {}
    for block in ("review", "direct", "after_review"):
        n = _count(rng, volume / 60) if rng.random() < 0.5 else 0
        parts = _split(rng, n, {"upheld": 0.6, "corrected": 0.1, "other": 0.15, "pending": 0.15})
        for res, v in parts.items():
            cells["t4", "all", f"{block}.{res}"] = v  # the reader's keys: one row, block.result columns
        cells["t4", "all", f"{block}.total"] = n
    return cells


def t2_figures(rng: random.Random, era: str) -> dict[Key, float]:
    """表二: rules and documents, licensing / penalty / compulsion decisions, fees (2021, 万元 → yuan)."""
    c: dict[Key, float] = {}
    for row in ("regulations", "normative_docs"):
        made = rng.choice((0, 0, 1, 2)) if row == "regulations" else rng.randint(0, 40)
        if era == "std2021":
            c["t2", row, "issued"], c["t2", row, "repealed"] = made, rng.randint(0, 5)
            c["t2", row, "in_force"] = made + rng.randint(0, 200)
        else:
            c["t2", row, "new_made"], c["t2", row, "new_published"] = made, made
            c["t2", row, "total_published"] = made + rng.randint(0, 200)
    rows = ("licensing", "penalty", "compulsion") + (("other_services",) if era == "std2019" else ())
    for row in rows:
        decisions = int(rng.lognormvariate(0, 1.5) * (300 if row == "penalty" else 80))
        c["t2", row, "decisions"] = decisions
        if era == "std2019":
            c["t2", row, "prev_items"] = rng.randint(0, 900)
            c["t2", row, "change"] = rng.randint(-30, 60)
    if era == "std2021":
        c["t2", "admin_fees", "fee_amount"] = round(rng.uniform(0, 500), rng.choice((0, 1, 2))) * 10_000
    else:
        c["t2", "admin_fees", "prev_items"] = rng.randint(0, 50)
        c["t2", "admin_fees", "change"] = rng.randint(-5, 5)
        c["t2", "procurement", "procurement_count"] = rng.randint(0, 60)
        c["t2", "procurement", "procurement_amount"] = rng.randint(0, 5_000) * 1000
    return {k: round(v, 2) for k, v in c.items()}


def e0_rows(family: str) -> tuple[stats_e0.E0Row, ...]:
    """The rows a family's form prints, in printed order (section headings included, fees and budget left out).

    The catalog lists parts before their totals (its match order); a form prints each total with its 其中 rows
    right under it, and the Shanghai form in 代码 order. Order matters: the 国办 table's （一）维持… rows belong
    to the section (四 复议 / 五 诉讼) printed above them.
    """
    rows = [
        r
        for r in stats_e0.ROWS[family]
        if not r.key.startswith(("fees.", "budget.", "spending.")) and (family != "e0_sh" or r.code)
    ]
    if family == "e0_sh":
        return tuple(sorted(rows, key=lambda r: r.code or 0))
    keys = {r.key for r in rows}

    def tree(parent: str | None) -> list[stats_e0.E0Row]:
        return [
            x for r in rows if (r.parent if r.parent in keys else None) == parent for x in (r, *tree(r.key))
        ]

    return tuple(tree(None))


def e0_figures(rng: random.Random, family: str, volume: int, measures: dict[str, float]) -> dict[Key, int]:
    """A pre-2019 statistics table whose crosswalked rows agree with the report's headline figures."""
    year_col = stats_e0.YEAR_COLUMN[family]
    values: dict[str, int] = {}
    rows = [r for r in e0_rows(family) if r.unit]
    for r in rows:
        values[r.key] = _count(rng, volume / 4) if rng.random() < 0.6 else 0
    for r in reversed(rows):  # totals after their parts (the catalog lists most parts first)
        parts = [p.key for p in rows if p.parent == r.key]
        if r.sum_of_children and parts:
            values[r.key] = sum(values[p] for p in parts)
    for r in rows:  # the rows the crosswalk reads a summary measure from (int_table_measures_e0)
        m = r.maps
        if m and not m.reason and m.confidence in ("exact", "approximate") and m.measure in SUMMARY_MEASURES:
            measures[m.measure] = values[r.key]
    cells: dict[Key, int] = {}
    for r in rows:
        cells[family, r.key, year_col] = values[r.key]
        if family == "e0_sh":
            cells[family, r.key, "ytd"] = values[r.key]
        elif family == "e0_fj":
            cells[family, r.key, "cumulative"] = values[r.key] + _count(rng, volume)
    return cells


def draw_figures(rng: random.Random, era: str, year: int, admin_level: str) -> Figures:
    volume = VOLUME[admin_level] if rng.random() > 0.15 else 0  # some bodies receive no request at all
    fig = Figures(era, year)
    fig.measures["proactive_total"] = _count(rng, volume * 8 + 40)
    fig.measures["fees_yuan"] = 0 if rng.random() < 0.9 else rng.randint(1, 400) * 10
    if era == "pre2019":
        fig.measures.update(
            applications_new=0, granted=0, partially_granted=0, reconsideration_total=0, litigation_total=0
        )
        if rng.random() < 0.6:
            fig.e0_family = rng.choice(tuple(stats_e0.FAMILIES))
            fig.cells.update(e0_figures(rng, fig.e0_family, volume, fig.measures))
        else:
            new = _count(rng, volume)
            parts = _split(rng, new, {"granted": 0.6, "partially_granted": 0.1, "x": 0.3})
            fig.measures.update(
                applications_new=new, granted=parts["granted"], partially_granted=parts["partially_granted"]
            )
            fig.measures["reconsideration_total"] = rng.choice((0, 0, 0, 1))
            fig.measures["litigation_total"] = rng.choice((0, 0, 0, 0, 1))
        return fig
    fig.cells.update(t2_figures(rng, era))
    fig.cells.update(t3_figures(rng, era, volume))
    fig.cells.update(t4_figures(rng, volume))
    for measure, rows in SUMMARY_ROWS.items():
        fig.measures[measure] = sum(fig.cells.get(("t3", r, "total"), 0) for r in rows)
    fig.measures["reconsideration_total"] = fig.cells["t4", "all", "review.total"]
    fig.measures["litigation_total"] = (
        fig.cells["t4", "all", "direct.total"] + fig.cells["t4", "all", "after_review.total"]
    )
    return fig


ERA_YEARS = {"pre2019": (2008, 2018), "std2019": (2019, 2020), "std2021": (2021, 2025)}
assert set(catalog.BOTH) | {"pre2019"} == set(ERA_YEARS)

"""One glossary of measure names, used verbatim in Python, SQL and docs.

Each entry maps the English snake_case measure to its Chinese label (the gloss analysts see) and its unit.
"""

from __future__ import annotations

MEASURES: dict[str, tuple[str, str]] = {
    # measure: (Chinese gloss, unit)
    "proactive_total": ("主动公开政府信息总数", "条"),
    "applications_new": ("本年新收政府信息公开申请", "件"),
    "applications_carried_over": ("上年结转政府信息公开申请", "件"),
    "granted": ("予以公开", "件"),
    "partially_granted": ("部分公开", "件"),
    "granted_or_partial": ("予以公开及部分公开（合并，不拆分）", "件"),
    "denied": ("不予公开", "件"),
    "unavailable": ("无法提供", "件"),
    "not_processed": ("不予处理", "件"),
    "other_handling": ("其他处理", "件"),
    "responded_total": ("本年度办理结果总计（答复/办结）", "件"),
    "carried_forward": ("结转下年度继续办理", "件"),
    "reconsideration_total": ("政府信息公开行政复议", "件"),
    "litigation_total": ("政府信息公开行政诉讼", "件"),
    "fees_yuan": ("政府信息公开收取的费用", "元"),
}

SUMMARY_MEASURES: tuple[str, ...] = tuple(m for m in MEASURES if m != "granted_or_partial")

ADMIN_LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "township", "department")

FORMAT_ERAS: dict[str, str] = {
    "pre2019": "2008–2018 free form under the 2007 条例",
    "std2019": "2019 trial format (国办公开办函〔2019〕60号)",
    "std2021": "2021 format (国办公开办函〔2021〕30号)",
}

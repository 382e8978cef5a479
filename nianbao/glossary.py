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

# Measures only the pre-2019 statistics tables give (nianbao/tables/stats_e0.py; seed table_crosswalk, era
# pre2019). Table facts in the fct_* marts, never report_summary columns: each keeps its old meaning because no
# 2019+ category means the same (era_specific), or compares only with care (approximate). E0 rows that do mean a
# summary measure map onto MEASURES instead (同意公开答复数 → granted, 收到申请数 → applications_new, …).
PRE2019_MEASURES: dict[str, tuple[str, str]] = {
    "refused_pre2019": (
        "否决公开答复总数（含信息不存在、非本部门掌握、申请内容不明确；不是2019年后的不予公开）",
        "件",
    ),
    "already_public": ("属于已主动公开范围数（2019年后并入予以公开，此处单列）", "件"),
    "not_gov_info": ("不是《条例》所指政府信息（2019年后无对应项）", "件"),
    "unable_not_held": ("不属于本行政机关公开（近似 2019年后 本机关不掌握）", "件"),
    "unable_not_exist": ("申请信息不存在（2019年后归入无法提供，口径不一）", "件"),
    "unable_unclear": ("告知作出更改补充（近似 补正后申请内容仍不明确）", "件"),
    "redirected": ("告知通过其他途径办理（2019年后分属不予处理或其他处理）", "件"),
    "repeat": ("重复申请数（近似 不予处理·重复申请）", "件"),
    "applications_by_channel": ("按渠道的申请数（当面/传真/电子邮件/网上/信函/其他）", "件"),
    "closed_pre2019": ("申请办结数（按时办结＋延期办结）", "件"),
    "complaints": ("行政申诉数 / 举报投诉数量（2019年后无表格项）", "件"),
    "fees_on_request": ("依申请提供信息收取费用（上海式表，单位未经核实）", "元"),
    "litigation_upheld": ("行政诉讼·维持具体行政行为或驳回诉讼请求（不分直接起诉/复议后起诉）", "件"),
    "litigation_corrected": ("行政诉讼·被依法纠错（不分直接起诉/复议后起诉）", "件"),
    "litigation_other": ("行政诉讼·其他情形（不分直接起诉/复议后起诉）", "件"),
}

ADMIN_LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "township", "department")

FORMAT_ERAS: dict[str, str] = {
    "pre2019": "2008–2018 free form under the 2007 条例",
    "std2019": "2019 trial format (国办公开办函〔2019〕60号)",
    "std2021": "2021 format (国办公开办函〔2021〕30号)",
}

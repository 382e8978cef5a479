"""Which format a report's statutory tables follow: std2021, std2019 or pre2019 (the 2007 条例 outline).

One owner for the decision: the table readers ask it when a table alone does not tell its era, metadata
asks it for `format_era`, and dbt consumes what Python decided (`table_cells.era`,
`report_metadata.format_era`) instead of re-deriving it. Marks are table labels that only one era prints
(report_formats.md §1-§3), found where the canonical text (no whitespace or punctuation) would show them
(`catalog.in_canonical`), so a label broken over two lines still counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nianbao.tables.catalog import folded_text, in_canonical

STD2021_MARKS = in_canonical(
    "本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "无正当理由逾期不补正"
)
STD2019_MARKS = in_canonical(
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购项目数量",
)
# 表三's one layout difference: the 2021 format splits （六）其他处理 into three rows (逾期不补正, 收费通知 …).
T3_STD2021_ROWS = re.compile(r"逾期不补正|收费通知|缴纳费用")
# The notices that introduced each format (国办公开办函〔2021〕30号 / 〔2019〕60号), on the text as printed.
_NOTICE_2021 = re.compile(r"国办公开办函\s*[〔\[(]\s*2021\s*[〕\])]\s*30\s*号")
_NOTICE_2019 = re.compile(r"国办公开办函\s*[〔\[(]\s*2019\s*[〕\])]\s*60\s*号")
# Row and column labels only the pre-2019 statistics tables print (`stats_e0`: 否决公开答复总数 of the
# Shanghai and Fujian forms, their 同意部分公开答复数, the Shanghai form's 本期实际 column).
E0_TABLE_MARKS = in_canonical("否决公开答复", "同意部分公开答复数", "本期实际")
# Section headings of the 2007-条例 outline (概述 / 依申请公开…情况 / 收费及减免): a pre-2019-style report.
_PRE2019_OUTLINE = re.compile(r"概述|概况|依申请公开政府信息|收费及减免|收费和减免|不予公开政府信息")
_HEADINGS_2019 = (
    re.compile(r"总体情况"),
    re.compile(r"收到和处理政府信息公开申请"),
    re.compile(r"政府信息公开行政复议、?行政诉讼"),
    re.compile(r"存在的主要问题及改进情况"),
)


def marked_era(text: str) -> str | None:
    """std2021 / std2019 when the text prints a label only that era has (2021 first); else None."""
    c = folded_text(text) if text else ""
    if STD2021_MARKS.search(c):
        return "std2021"
    if STD2019_MARKS.search(c):
        return "std2019"
    return None


def report_era(text: str, headings: Iterable[str], report_year: int | None) -> str:
    """A report's format era: table labels, then the notice numbers; with only the 2019+ section
    headings the report year breaks the tie; a 2019+ report with no structural marks at all takes the
    format in force that year; anything else (the old outline, no year) is pre2019."""
    marked = marked_era(text)
    if marked == "std2021" or _NOTICE_2021.search(text):
        return "std2021"
    if marked == "std2019":
        return "std2019"
    if E0_TABLE_MARKS.search(folded_text(text) if text else ""):
        return "pre2019"  # a 政府信息公开情况统计表 of the 2007-条例 years, whatever the headings say
    joined = " ".join(headings)
    has_2019_headings = sum(bool(p.search(joined)) for p in _HEADINGS_2019) >= 2
    if _NOTICE_2019.search(text) or has_2019_headings:
        if report_year is not None and report_year <= 2018:
            return "pre2019"
        if report_year is not None and report_year >= 2021 and has_2019_headings:
            return "std2021"
        return "std2019"
    if report_year is not None and report_year >= 2019 and not _PRE2019_OUTLINE.search(joined):
        # No structural evidence either way (a truncated page, prose only): the format in force that year.
        return "std2021" if report_year >= 2021 else "std2019"
    return "pre2019"

"""Is a text a listing of annual reports (a column index, a list of links, search results) and not one report?

A listing names many reports, each on a short line of its own (the link text, often with its date), and
has no report body around them. A report names itself once in its title (perhaps again in the page
header or a 上一篇/下一篇 link) and says 年度报告 many times, but inside sentences. So the test counts
distinct title lines and weighs them against the other lines of content, never mentions of 年度报告.
"""

from __future__ import annotations

import re

from nianbao.metadata import REPORT_TITLE

MIN_TITLES = 5  # a report page shows its own title and at most a few neighbours' (上一篇, 下一篇, 相关)
MIN_TITLE_SHARE = 0.3  # of the content lines; a search result adds one snippet line per title
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
# A line holding MIN_LINE_CJK Chinese characters, matched from its start (counting them all with `findall`,
# a list of one-character strings a line, was ~3 % of a report's parse).
MIN_LINE_CJK = 4
_ENOUGH_CJK = re.compile(rf"(?:[^\u4e00-\u9fff]*+[\u4e00-\u9fff]){{{MIN_LINE_CJK}}}")
_SPACE = re.compile(r"\s+")
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_DECORATION = re.compile(r"[\s|·•\-*>»\[\]【】()（）:：]+")


def listing_reason(text: str) -> str | None:
    """Why `text` is a listing of reports, or None when it may be a report."""
    titles: set[str] = set()
    title_lines = content_lines = 0
    for line in text.split("\n"):
        if not _ENOUGH_CJK.match(line):
            continue  # dates, page numbers, separators
        content_lines += 1
        if "。" in line:
            continue  # a sentence: most lines of a report, not compacted
        compact = _SPACE.sub("", line)
        if len(compact) <= 100 and REPORT_TITLE.search(compact) and _YEAR.search(compact):
            title_lines += 1
            titles.add(_DECORATION.sub("", _DATE.sub("", compact)))
    if len(titles) >= MIN_TITLES and title_lines >= MIN_TITLE_SHARE * content_lines:
        return (
            f"a listing of reports: {len(titles)} different report titles on lines of their own, "
            f"{title_lines} of {content_lines} lines of text, and no report body"
        )
    return None

"""Split a normalised report into its top-level sections by their headings.

Headings are short lines that open with a Chinese ordinal (`三、`); the section is named by the words in the
heading, not by its number, because real reports renumber and merge sections.
"""

from __future__ import annotations

import re

from nianbao.model import Section

_HEADING = re.compile(r"^[ ]*(?:第)?([一二三四五六七八九十]{1,3})[、.．,，]\s*(.{2,60})$", re.M)

# (key, pattern) in priority order: the first that matches the heading text names the section.
SECTION_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(r"其他需要报告|其它需要报告")),
    ("problems", re.compile(r"问题|改进|不足|下一步|措施|工作打算|努力方向")),
    ("appeals", re.compile(r"复议|诉讼|申诉")),
    ("fees", re.compile(r"收费|减免|费用")),
    ("applications", re.compile(r"依申请|申请公开|收到和处理|公开申请")),
    ("proactive", re.compile(r"主动公开")),
    ("overview", re.compile(r"概述|概况|总体情况|基本情况|工作开展情况|工作情况")),
)


def classify_heading(heading: str) -> str:
    for key, pattern in SECTION_KEYS:
        if pattern.search(heading):
            return key
    return "misc"


def split_sections(text: str) -> list[Section]:
    """Return the top-level sections in order; text before the first heading is the `preamble`."""
    marks: list[tuple[int, str, str]] = []
    for m in _HEADING.finditer(text):
        heading = m.group(0).strip()
        if heading.endswith(("。", "；", ";")) or len(heading) > 40 or "|" in heading:
            continue  # a numbered sentence in a list, or a flattened table row, not a heading
        marks.append((m.start(), heading, classify_heading(m.group(2))))
    sections: list[Section] = []
    if not marks or marks[0][0] > 0:
        sections.append(Section("preamble", "", 0, marks[0][0] if marks else len(text)))
    for i, (start, heading, key) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        sections.append(Section(key, heading, start, end))
    return sections


def section_at(sections: list[Section], pos: int) -> Section | None:
    for s in sections:
        if s.start <= pos < s.end:
            return s
    return None

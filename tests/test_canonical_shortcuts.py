"""The parser's shortcuts around canonical text find what the canonical text itself would.

`catalog.canonical` on ASCII, `labels.row_canon` (numbers made canonical apart from the labels),
`catalog.in_canonical` (era marks searched in folded text with punctuation between their chars) and
`prose.Rule.matches` with `lead` (skipping to where a match can start) each replace a slower form of the
same answer; these properties hold them to it on text built from the parts that make the forms differ:
traditional characters, proper names t2s would change, pinyin glosses, the repaired typo, spaces,
line breaks and punctuation.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao import prose
from nianbao.normalize import fold
from nianbao.tables import era
from nianbao.tables.catalog import _PUNCT, TYPOS, canonical, folded
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.labels import row_canon

PIECES = [
    *"本年制发件数废止现行有效收费金额无正当理由逾期不补其他对外管理服务事项否决公开答复期实际予以部分同意",
    "乾县",
    "處罰",
    "許可",
    "沈默",
    "(zhèng)",
    "其他法律行政止公开",
    " ",
    "\n",
    "\r",
    "\u3000",
    "、",
    "，",
    "(",
    ")",
    "|",
    "-",
    "—",
    "/",
    "．",
    "1",
    "23",
    "+4",
    "x",
    "１",
]
texts = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)
ascii_texts = st.text(st.characters(max_codepoint=127), max_size=20)


def _slow_canonical(text: str) -> str:
    text = fold(text)
    for wrong, right in TYPOS:
        text = text.replace(wrong, right)
    return _PUNCT.sub("", text)


@settings(max_examples=300, deadline=None)
@given(ascii_texts)
def test_ascii_canonical_is_the_folded_one(text: str) -> None:
    assert canonical(text) == _slow_canonical(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(texts, ascii_texts), max_size=7))
def test_row_canon_is_the_canonical_joined_row(cells: list[str]) -> None:
    row: list[Cell | None] = [Cell(t, 0, c) for c, t in enumerate(cells)]
    grid = Grid([row], "text")
    joined = " ".join(t for t in cells if t.strip())
    assert row_canon(grid, 0) == _slow_canonical(joined)


MARKS = {
    era.STD2021_MARKS: "本年制发件数|本年废止件数|现行有效件数|本年收费金额|无正当理由逾期不补正",
    era.STD2019_MARKS: (
        "本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|其他对外管理服务事项|政府集中采购|采购项目数量"
    ),
    era.E0_TABLE_MARKS: "否决公开答复|同意部分公开答复数|本期实际",
}
gaps = st.lists(
    st.sampled_from([" ", "\n", "、", "(", ")", "|", "x", "其他法律行政止公开", "(pin)", "乾"]), max_size=2
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted("|".join(MARKS.values()).split("|"))), st.data())
def test_marks_are_found_where_the_canonical_text_holds_them(word: str, data: st.DataObject) -> None:
    text = data.draw(texts) + "".join(ch + "".join(data.draw(gaps)) for ch in word) + data.draw(texts)
    for pattern, words in MARKS.items():
        assert bool(pattern.search(folded(text))) == bool(re.search(words, _slow_canonical(text)))


def _finditer_of_the_whole(rule: prose.Rule, text: str) -> list[tuple[int, int]]:
    """What `Rule.matches` stands for: the whole pattern's (lookbehinds included) matches."""
    whole = re.compile((rule.behind.pattern if rule.behind else "") + rule.pattern.pattern)
    return [m.span() for m in whole.finditer(text)]


LEAD_RULES = [r for r in prose.RULES if r.lead is not None]
PROSE_PIECES = [
    *("同意", "予以", "部分公开", "公开", "全部公开", "不", "及", "或", "以及", "、", "答复", "的", "共"),
    *("为", "有", " ", "3", "12", "件", "没有", "未", "无", "无论", "按", "收取", "费用", "，", "。", "\n"),
    *("合计", "总计", "共计", "累计", "发布", "主动", "条", "政府", "信息"),
]


def test_some_rules_skip_to_their_lead_chars() -> None:
    assert {"outcomes.partially_granted_n", "outcomes.granted_or_partial_n"} <= {
        r.rule_id for r in LEAD_RULES
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PROSE_PIECES), max_size=30).map("".join))
def test_lead_rules_match_as_the_whole_pattern(text: str) -> None:
    for rule in LEAD_RULES:
        assert [m.span() for m in rule.matches(text)] == _finditer_of_the_whole(rule, text)

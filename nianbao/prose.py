"""Figures stated in report prose: `共受理政府信息公开申请245件`, `未收取任何费用`, `行政复议4件`.

Each rule is a general regex over the domain's wording (named in its id and pattern), run over the
normalised text. Every hit becomes a `ProseFact` whose span is the number token (or the nil phrase, for
"none happened" wordings). All values are kept, so conflicting statements surface downstream; `rank` says
how far to trust a rule, worse outside the section the figure belongs in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from nianbao.glossary import MEASURES
from nianbao.model import ProseFact, Section
from nianbao.numbers import APPROX_AFTER_UNIT, is_arabic, number_pattern, parse_number
from nianbao.sections import section_at

STOPS = "。；;！!？?\n"
_CLAUSE_CHAR = rf"[^{STOPS},，]"
N = rf" ?{number_pattern()} ?"  # a number token, optionally space-padded as in PDF text ("34 件")
COUNT = r"(?P<unit>件|起|宗|例|个|次)"
FILL = r"(?:共计|共|合计|总计|总数|数量|数)?(?:为|是|达|有|:)?"  # 申请(共计)(为)N件
ABOUT = r"(?:答复)?(?:的)?(?:共|为|有)?"  # 不予公开(答复)(的)(共)N件

ALL_SECTIONS = frozenset(
    {"preamble", "overview", "proactive", "applications", "fees", "appeals", "problems", "other", "misc"}
)
NOT_PROBLEMS = ALL_SECTIONS - {"problems"}  # plans and problems talk about figures without stating them
PROACTIVE_SECTIONS = frozenset({"proactive", "overview", "preamble", "misc"})
APPLICATIONS = frozenset({"applications"})
APPEALS = frozenset({"appeals"})
FEES = frozenset({"fees", "other"})  # 2019+ reports put 信息处理费 in 六、其他需要报告的事项
OUTSIDE_HOME_PENALTY = 10
CUMULATIVE_PENALTY = 20
_CLAUSE_START = re.compile(r"[,，]")
_CUMULATIVE = re.compile(r"累计|历年")
_THIS_YEAR = re.compile(r"新增")  # 其中，本年度新增…N条: the year's own figure inside a cumulative one

NOT_A_REQUEST = re.compile(r"复议|诉讼|投诉|举报|信访|咨询|减免|许可|审批|下一?年")


def gap(n: int, digits: bool = True) -> str:
    """Up to n characters inside one clause (no sentence stop, no comma), matched lazily.

    `digits=False` after a leading number, so `30件，其中2件结转下年度` cannot reach past the 2 to the 30.
    """
    char = _CLAUSE_CHAR if digits else rf"[^{STOPS},，\d]"
    return rf"{char}{{0,{n}}}?"


@dataclass(frozen=True)
class Rule:
    """One phrasing of one (or two) measures; `home` sections are where the phrasing is trusted most."""

    rule_id: str
    measures: tuple[str, ...]
    pattern: re.Pattern[str]
    rank: int
    home: frozenset[str]
    allowed: frozenset[str] = NOT_PROBLEMS
    total: bool = False  # a total: not when it sits in a 其中 (of which) clause of parts
    context: re.Pattern[str] | None = None  # outside `home`, the sentence must mention this
    match_context: re.Pattern[str] | None = None  # outside `home`, the match itself must mention this
    reject: re.Pattern[str] | None = None  # the match must not contain this
    reject_sentence: re.Pattern[str] | None = None  # the sentence must not contain this
    nil: bool = False  # a "none happened" phrase: value 0, span = the phrase
    check: Callable[[re.Match[str], float], bool] | None = None


def _rule(
    rule_id: str, measure: str | tuple[str, ...], pattern: str, rank: int, home: Iterable[str], **kw: Any
) -> Rule:
    measures = (measure,) if isinstance(measure, str) else measure
    return Rule(rule_id, measures, re.compile(pattern), rank, frozenset(home), **kw)


_INFO_CONTEXT = re.compile(r"信息|公开|申请")
_DISCLOSURE = re.compile(r"公开")
_ADMIN_FEES = re.compile(r"行政事业性")
_OPEN_INFO = re.compile(r"公开|信息")
# 发文N件，其中主动公开…，依申请公开…，不予公开N件: the disclosure attribute of documents, not requests.
_DOCUMENT_ATTRIBUTES = re.compile(r"^(?!.*(?<!依)申请).*(?:发文|文件)")


def _each_or_zero(m: re.Match[str], value: float) -> bool:
    """`行政复议、行政诉讼均为0件` gives each; a plain `…共3件` is a combined count, unless it is zero."""
    return bool(m.group("each")) or value == 0


# Order matters: a number span taken by an earlier rule for one measure is not re-read as another measure
# (the lumped 予以公开及部分公开N件 before 部分公开N件; outcomes before the bare 答复N件).
RULES: tuple[Rule, ...] = (
    # --- proactive disclosure total ---
    # 主动公开政府信息N条 / 主动公开各类信息共N条 / 主动公开信息数N条 / 主动公开政府信息达N条
    _rule(
        "proactive.disclosed_info_n",
        "proactive_total",
        rf"主动公开(?:了)?(?:各类|各种|各项)?(?:的)?(?:政府)?信息(?:的)?(?:总数|总量|数量|数)?"
        rf"(?:共计|共|合计|总计)?(?:为|达|:)?{N}(?P<unit>条|件|篇)",
        10,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
    ),
    # 共计发布政府信息N条 / 累计公开信息N条 / 共公开政府信息N条
    # (a bare 共 needs 政府信息: 微博、微信共发布信息N条 is one channel's part)
    _rule(
        "proactive.published_total",
        "proactive_total",
        rf"(?:(?:共计|累计|合计|总计)(?:主动)?(?:发布|公开)(?:了)?(?:各类|各种|各项)?(?:政府)?|共(?:发布|公开)(?:了)?"
        rf"(?:各类|各种|各项)?政府)信息(?:共|达)?"
        rf"{N}(?P<unit>条|件|篇)",
        10,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
    ),
    # …发布信息514条，总计N条 (a grand total closing a list of channels)
    _rule(
        "proactive.grand_total",
        "proactive_total",
        rf"(?:总计|合计)(?:为|共|达|:)?{N}(?P<unit>条)",
        30,
        {"proactive"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
        context=re.compile(r"信息.*(?:公开|发布)|(?:公开|发布).*信息"),
        reject_sentence=re.compile(r"申请"),
    ),
    # 主动公开国资要闻N条，包括… (a figure followed by its own breakdown is a total)
    _rule(
        "proactive.disclosed_with_breakdown",
        "proactive_total",
        rf"主动公开(?:了)?[\u4e00-\u9fff]{{2,8}}?{N}(?P<unit>条)(?=,? ?(?:包括|其中|含))",
        35,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
        reject=re.compile(r"文件|规范性"),
    ),
    # --- applications received ---
    # 收到/受理/共收到…申请N件, 收到政府信息依申请公开N件, 受理依申请信息N条
    _rule(
        "applications.received_n",
        "applications_new",
        rf"(?:收到|受理|接到|接收到?)(?:了)?{gap(20)}"
        rf"(?:依申请(?:公开)?(?:政府)?信息|依申请公开|申请(?:书|件|事项)?){FILL}{N}"
        r"(?P<unit>件|条|个|份|宗|起|项|例)",
        10,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
        match_context=_OPEN_INFO,  # 受理政务服务申请N件 is not an information request
    ),
    # 依申请公开总数为N条 / 依申请公开申请数量N件
    _rule(
        "applications.request_total",
        "applications_new",
        rf"依申请公开(?:政府)?(?:信息|申请)?(?:的)?(?:总数|总量|数量|申请数|数)(?:共|为|是|达|:)?{N}(?P<unit>件|条|个)",
        10,
        APPLICATIONS,
        total=True,
    ),
    # 收到N起政府信息依申请公开 / 受理N件信息公开申请
    _rule(
        "applications.cases_n",
        "applications_new",
        rf"(?:收到|受理|接到)(?:了)?(?:共)?{N}(?P<unit>起|件|宗|个){gap(8, digits=False)}(?:依申请|公开申请)",
        15,
        APPLICATIONS,
        total=True,
    ),
    # 办理…N项依申请公开信息事项
    _rule(
        "applications.items_handled",
        "applications_new",
        rf"(?:办理|受理|处理|收到|接到)(?:了)?{gap(20)}{N}(?P<unit>项|件|个)依申请公开(?:政府)?信息?(?:事项|申请)",
        20,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
    ),
    # 处置…依申请公开N例 (usually a passing mention in an overview)
    _rule(
        "applications.handled_cases",
        "applications_new",
        rf"(?:处置|处理|办理)(?:了)?{gap(12)}依申请公开(?:申请)?{N}(?P<unit>例|件|起|宗|个)",
        30,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
    ),
    # 依申请公开N件 (bare; weakest)
    _rule(
        "applications.on_request_n",
        "applications_new",
        rf"依申请公开(?:政府信息)?(?:共)?{N}(?P<unit>件|条)",
        40,
        APPLICATIONS,
        total=True,
        reject_sentence=_DOCUMENT_ATTRIBUTES,
    ),
    # 未收到/没有收到/没有接收到…申请 (past 依申请公开 to the noun; the text may be cut mid-word: …公开申)
    _rule(
        "applications.nil_phrase",
        "applications_new",
        rf"(?:没有|未|无)(?:收到|接收到|接到|受理)(?:过|到)?{gap(25)}(?:申请(?!公开)|公开申(?=\n|\Z))",
        15,
        APPLICATIONS,
        reject=NOT_A_REQUEST,
        nil=True,
    ),
    # --- carried over from last year ---
    # 上年结转…N件 / 含上年度结转申请N件 / 包括上年结转信息公开申请N件
    _rule(
        "applications.carried_over_n",
        "applications_carried_over",
        rf"上一?年度?结转(?:的)?{gap(12)}{N}(?P<unit>件|个|条)",
        10,
        APPLICATIONS,
        reject=re.compile(r"下一?年|资金|万元"),
    ),
    # --- outcomes ---
    # 予以公开及部分公开N件 / 同意公开或部分公开共N件: lumped, neither granted nor partial alone
    _rule(
        "outcomes.granted_or_partial_n",
        "granted_or_partial",
        rf"(?:予以公开|同意公开)(?:答复)?(?:及|或者|或|和|与|、|以及)(?:同意|予以)?部分公开(?:答复)?(?:的)?"
        rf"(?:共计|共|合计|为)?{N}(?P<unit>件)?",
        10,
        APPLICATIONS,
        reject_sentence=_DOCUMENT_ATTRIBUTES,
    ),
    # 予以公开(答复)N件 / 同意公开答复 N 件 (not 不予以公开, 不同意公开, 部分予以公开)
    _rule(
        "outcomes.granted_n",
        "granted",
        rf"(?<![不分])(?:予以公开|同意公开){ABOUT}{N}(?P<unit>件)?",
        10,
        APPLICATIONS,
        reject_sentence=_DOCUMENT_ATTRIBUTES,
    ),
    # 部分公开N件 / 部分公开67 (no unit)
    _rule(
        "outcomes.partially_granted_n",
        "partially_granted",
        rf"(?:同意|予以)?部分公开{ABOUT}{N}(?P<unit>件)?",
        10,
        APPLICATIONS,
        reject_sentence=_DOCUMENT_ATTRIBUTES,
    ),
    # 不予公开N件 / 不同意公开N件
    _rule(
        "outcomes.denied_n",
        "denied",
        rf"(?:不予以?公开|不同意公开){ABOUT}{N}(?P<unit>件)?",
        10,
        APPLICATIONS,
        reject_sentence=_DOCUMENT_ATTRIBUTES,
    ),
    # (因本机关不掌握等原因)无法提供N件
    _rule("outcomes.unavailable_n", "unavailable", rf"无法提供{ABOUT}{N}(?P<unit>件)?", 10, APPLICATIONS),
    # 不予处理N件
    _rule("outcomes.not_processed_n", "not_processed", rf"不予处理{ABOUT}{N}(?P<unit>件)?", 10, APPLICATIONS),
    # 其他处理N件
    _rule(
        "outcomes.other_handling_n", "other_handling", rf"其他处理{ABOUT}{N}(?P<unit>件)?", 10, APPLICATIONS
    ),
    # --- answered / closed ---
    # 答复政府信息公开申请N件 / 办结…申请N件
    _rule(
        "responded.answered_requests_n",
        "responded_total",
        rf"(?<!按时)(?<!延期)(?:答复|办结)(?:了)?{gap(15)}申请(?:共计|共)?{N}(?P<unit>件)",
        10,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
    ),
    # 完成…答复N件
    _rule(
        "responded.completed_n",
        "responded_total",
        rf"完成{gap(20)}答复(?:共计|共)?{N}(?P<unit>件)",
        10,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
    ),
    # 答复N件 / 办结N件 (about requests: the sentence mentions 申请 unless in the applications section)
    _rule(
        "responded.answered_n",
        "responded_total",
        rf"(?<!按时)(?<!延期)(?:答复|办结)(?:了)?(?:共计|共)?{N}(?P<unit>件)",
        15,
        APPLICATIONS,
        total=True,
        context=re.compile(r"依申请|公开.*申请|申请.*公开"),
    ),
    # --- carried forward to next year ---
    # 结转下年度(继续办理)N件 / 转下一年度办理答复的有N件
    _rule(
        "carried_forward.next_year_n",
        "carried_forward",
        rf"(?:结转|转入|转至|转|顺延|延至)(?:到|至)?下一?(?:个)?年度?(?:继续)?(?:办理)?(?:答复)?(?:的)?"
        rf"(?:有|共|为)?{N}(?P<unit>件)",
        10,
        APPLICATIONS,
    ),
    # 另有N件申请按照《条例》顺延到下年度(答复)
    _rule(
        "carried_forward.deferred_n",
        "carried_forward",
        rf"{N}(?P<unit>件){gap(20, digits=False)}(?:顺延|结转|转入|转至|延至)(?:到|至)?下一?(?:个)?年度?",
        10,
        APPLICATIONS,
    ),
    # --- administrative review and litigation ---
    # 行政复议、行政诉讼均为0件 (each); 行政复议和行政诉讼共0件
    _rule(
        "appeals.both_n",
        ("reconsideration_total", "litigation_total"),
        rf"行政复议(?:案件)?(?:和|与|、|及|或)(?:提起)?行政诉讼(?:案件)?(?:数量|数)?"
        rf"(?P<each>均为|均|都为|都是|各为|各|皆为)?(?:共计|共|为)?{N}{COUNT}",
        10,
        APPEALS,
        check=_each_or_zero,  # the paired names are the 表四 heading itself; no 公开 needed
    ),
    # (信息公开类)行政复议N件 / 被申请行政复议N件 (not the tail of a combined 行政诉讼和行政复议共N件)
    _rule(
        "appeals.reconsideration_n",
        "reconsideration_total",
        rf"(?<!诉讼[和与、及或])行政复议(?:案件|案)?(?:的)?(?:数量|数)?(?:共计|共|为|有)?{N}{COUNT}",
        10,
        APPEALS,
        context=_DISCLOSURE,
    ),
    # 行政诉讼N件 / 涉及的行政诉讼数为 0 件 / 行政诉讼案件N件
    _rule(
        "appeals.litigation_n",
        "litigation_total",
        rf"(?<!复议[和与、及或])行政诉讼(?:案件|案)?(?:的)?(?:数量|数)?(?:共计|共|为|有)?{N}{COUNT}",
        10,
        APPEALS,
        context=_DISCLOSURE,
    ),
    # 行政复议4件，诉讼10件 (a bare 诉讼 paired with a 行政复议 count)
    _rule(
        "appeals.paired_litigation_n",
        "litigation_total",
        rf"行政复议{gap(12)}[,、和及与] ?(?:提起)?诉讼(?:案件|案)?(?:共计|共|为|有)?{N}{COUNT}",
        10,
        APPEALS,
        context=_DISCLOSURE,
    ),
    # 有N件涉及政府信息公开工作的行政复议
    _rule(
        "appeals.n_reconsideration",
        "reconsideration_total",
        rf"{N}{COUNT}(?:涉及|关于|有关|因|针对){gap(15, digits=False)}行政复议",
        10,
        APPEALS,
        context=_DISCLOSURE,
    ),
    _rule(
        "appeals.n_litigation",
        "litigation_total",
        rf"{N}{COUNT}(?:涉及|关于|有关|因|针对){gap(15, digits=False)}行政诉讼",
        10,
        APPEALS,
        context=_DISCLOSURE,
    ),
    # 没有/未发生…行政复议(和|与|、)…行政诉讼… → the ones named are 0
    _rule(
        "appeals.nil_phrase",
        ("reconsideration_total", "litigation_total"),
        rf"(?:没有|未(?:被(?=申请|提起))?(?!经|被)|无(?!论|法))(?:发生|产生|出现|收到|接到|引发|引起|发现)?{gap(30)}"
        rf"(?:行政复议|行政诉讼)(?:{_CLAUSE_CHAR}*?(?:行政复议|诉讼))?",
        15,
        APPEALS,
        context=_DISCLOSURE,
        nil=True,
    ),
    # --- fees for disclosure ---
    # 收取信息处理费N元 / 共收取费用N万元
    _rule(
        "fees.charged_n",
        "fees_yuan",
        rf"收取(?:了)?{gap(15)}费(?:用)?(?:共计|共|合计|总计)?(?:为)?{N}(?P<unit>万元|元)",
        10,
        FEES,
        context=_INFO_CONTEXT,
        reject_sentence=_ADMIN_FEES,
        reject=re.compile(r"没有|未"),
    ),
    # 信息处理费(共)N元
    _rule(
        "fees.processing_fee_n",
        "fees_yuan",
        rf"(?:信息处理费|检索费|复制费|复印费|邮寄费)(?:共计|共|合计|总计)?(?:收取)?(?:为)?{N}(?P<unit>万元|元)",
        10,
        FEES,
        reject_sentence=_ADMIN_FEES,
    ),
    # 未收取(任何)费用 / 没有向…收取复印、传真等任何费用 / 均未收费 / 没有政府信息公开收费(及减免情况)
    _rule(
        "fees.nil_phrase",
        "fees_yuan",
        rf"(?:没有|未|无(?!论))(?:{gap(25)}收取{gap(20)}费用?|{gap(14)}收费)",
        15,
        FEES,
        context=_INFO_CONTEXT,
        reject_sentence=_ADMIN_FEES,
        nil=True,
    ),
    # 未产生依申请信息检索、复印、邮递等成本费用
    _rule(
        "fees.nil_no_cost",
        "fees_yuan",
        rf"(?:没有|未)(?:产生|发生)(?:任何)?{gap(25)}费用",
        20,
        FEES,
        context=_INFO_CONTEXT,
        reject_sentence=_ADMIN_FEES,
        nil=True,
    ),
)

_AFTER_NUMBER_NOT_COUNT = re.compile(r"(?:余|多)? ?(?:%|‰|\.\d| \d)")  # 占66.48%, table rows "0 0 0"
# A unit-less count ends its clause inside a sentence (部分公开67，占…); one ending a line is a table row.
_CLAUSE_BREAK = re.compile(r" ?[,，、;；。]")


_KEYWORD = {"reconsideration_total": "复议", "litigation_total": "诉讼"}  # which of a nil pair is named
_RULE_MEASURES = {r.rule_id: r.measures for r in RULES}


class _Sentences:
    """Sentence bounds by the stop characters, found by bisecting their sorted positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stops = [i for i, ch in enumerate(text) if ch in STOPS]

    def around(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.stops, start)
        s = self.stops[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self.stops, max(start, end - 1))
        e = self.stops[j] if j < len(self.stops) else len(self.text)
        return s, e


def _section_key(sections: list[Section], pos: int) -> str:
    sec = section_at(sections, pos)
    return sec.key if sec else "preamble"


def _read_number(rule: Rule, m: re.Match[str], text: str) -> tuple[float, bool] | None:
    """The value and approximate flag of the match's number, or None when the guards say it is not a count."""
    token = m.group("num")
    value = parse_number(token)
    if value is None:
        return None
    unit = m.groupdict().get("unit")
    rest = text[m.end("num") :]
    if _AFTER_NUMBER_NOT_COUNT.match(rest):
        return None
    if not unit and (not is_arabic(token) or m.group("num_post") or not _CLAUSE_BREAK.match(text, m.end())):
        return None
    if unit == "万元":
        value *= 10_000
    approx = bool(m.group("num_pre") or m.group("num_post"))
    approx = approx or text[m.end() : m.end() + 2].startswith(APPROX_AFTER_UNIT)
    if rule.check and not rule.check(m, value):
        return None
    return value, approx


def _facts(rule: Rule, m: re.Match[str], text: str, sentences: _Sentences, key: str) -> Iterator[ProseFact]:
    s_start, s_end = sentences.around(m.start(), m.end())
    sentence = text[s_start:s_end]
    if "|" in sentence:
        return  # a flattened table row: the table parser owns it
    if key not in rule.home and (
        (rule.context and not rule.context.search(sentence))
        or (rule.match_context and not rule.match_context.search(m.group(0)))
    ):
        return
    if rule.reject and rule.reject.search(m.group(0)):
        return
    if rule.reject_sentence and rule.reject_sentence.search(sentence):
        return
    before = text[s_start : m.start()]
    clause = _CLAUSE_START.split(before)[-1]
    if rule.total and "其中" in before and not _THIS_YEAR.search(clause):
        return  # 其中…N条 lists parts, not the total
    rank = rule.rank + (0 if key in rule.home else OUTSIDE_HOME_PENALTY)
    if rule.total and _CUMULATIVE.search(clause + m.group(0)):
        rank += CUMULATIVE_PENALTY  # 累计/历年 figures run over several years
    if rule.nil:
        value, approx, span = 0.0, False, m.span()
    else:
        read = _read_number(rule, m, text)
        if read is None:
            return
        (value, approx), span = read, m.span("num")
    phrase = m.group(0)
    for measure in rule.measures:
        if rule.nil and len(rule.measures) > 1 and _KEYWORD[measure] not in phrase:
            continue
        yield ProseFact(
            measure=measure,
            value=value,
            unit=MEASURES[measure][1],
            sentence=sentence.strip(),
            span_start=span[0],
            span_end=span[1],
            rule_id=rule.rule_id,
            rank=rank,
            approximate=approx,
        )


def extract_prose_facts(text: str, sections: list[Section]) -> list[ProseFact]:
    """All figures the prose states, in text order; `text` is the normalised text the sections index."""
    sentences = _Sentences(text)
    kept: dict[tuple[int, int, str], ProseFact] = {}
    owner: dict[tuple[int, int], str] = {}  # number span -> rule that read it first
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            key = _section_key(sections, m.start())
            if key not in rule.allowed:
                continue
            for fact in _facts(rule, m, text, sentences, key):
                span = (fact.span_start, fact.span_end)
                first = owner.setdefault(span, rule.rule_id)
                if fact.measure not in _RULE_MEASURES[first]:
                    continue  # an earlier, more specific rule already read this number as another measure
                slot = (*span, fact.measure)
                if slot not in kept or fact.rank < kept[slot].rank:
                    kept[slot] = fact
    return sorted(kept.values(), key=lambda f: (f.span_start, f.rank, f.measure))

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
from dataclasses import dataclass, field
from typing import Any

from nianbao.glossary import MEASURES
from nianbao.model import ParseIssue, ProseFact, Section
from nianbao.numbers import APPROX_AFTER_UNIT, NUMBER_LEADS, is_arabic, number_pattern, parse_number
from nianbao.sections import classify_heading, section_at

STOPS = "。；;！!？?\n"
_CLAUSE_CHAR = rf"[^{STOPS},，]"
N = rf" ?{number_pattern()} ?"  # a number token, optionally space-padded as in PDF text ("34 件")
_N_LEAD = rf"(?=[ {NUMBER_LEADS}])"  # where N can start (`_rule` puts it before a pattern that starts with N)
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
# 共制作政府信息3021条，其中主动公开信息1027条，依申请公开信息459条…: all information split by how it is
# disclosed, so the 主动公开 part is the proactive total.
_ATTRIBUTE_SPLIT = re.compile(
    r"(?:制作|产生|形成|生成)(?:了)?(?:各类)?(?:政府)?信息[^,，]*[,，] ?其中[,，]? ?$"
)

NOT_A_REQUEST = re.compile(r"复议|诉讼|投诉|举报|信访|咨询|减免|许可|审批|政务服务|办件|下一?年")
# A negated request of one kind (延期, 收费, 书面, 转办…) says nothing about how many requests came in.
# One channel alone (未收到书面申请) is such a kind; 书面或其他形式 / 任何形式 is every kind.
_QUALIFIED_REQUEST = re.compile(
    r"延期|逾期|收费|费用|重复|更正|补正|转办|转来|转交|撤回|滥用|不予|不属于|以外|"
    r"(?:书面|当面|网上|网络|信函|传真|邮件|邮寄)(?![^申]*?(?:其他|其它|任何|各种|各类|一切|所有)(?:形式|方式|渠道))"
)


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
    reject_clause: re.Pattern[str] | None = None  # the clauses the match spans must not contain this
    nil: bool = False  # a "none happened" phrase: value 0, span = the phrase
    check: Callable[[re.Match[str], float], bool] | None = None
    fallback: bool = False  # read only when no other rule states the measure (one channel of several)
    # A pattern that starts with N: what must follow the number. Absent from the text, the pattern cannot
    # match, and the engine need not try N at every digit and numeral (most texts: no such wording).
    after_number: re.Pattern[str] | None = None
    # The pattern's leading lookbehinds, kept apart from `pattern`: a pattern that opens with one is tried
    # at every position, while the rest opens with a literal the engine skips to (`matches` joins them).
    behind: re.Pattern[str] | None = None
    # The chars a match of `pattern` can start with (`_lead_chars`), when they are a few literals: the
    # engine tries a pattern that opens with an optional group (`(?:同意|予以)?部分公开`) at every position,
    # ~40x slower than it skips to one of a class; `matches` skips to them and tries the pattern there.
    lead: re.Pattern[str] | None = None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """`finditer` of the whole pattern: the rest's matches where the lookbehinds hold, the search going
        on from the next position where they do not (as the whole pattern's search would). With `lead`,
        the search tries the pattern where a match can start, leftmost first (a match is never empty)."""
        if self.behind is None and self.lead is None:
            yield from self.pattern.finditer(text)
            return
        pos = 0
        while (c := (self.lead or self.pattern).search(text, pos)) is not None:
            start = c.start()
            m = self.pattern.match(text, start) if self.lead else c
            if m is None or (self.behind is not None and self.behind.match(text, start) is None):
                pos = start + 1
                continue
            yield m
            pos = max(m.end(), start + 1)


def _rule(
    rule_id: str, measure: str | tuple[str, ...], pattern: str, rank: int, home: Iterable[str], **kw: Any
) -> Rule:
    measures = (measure,) if isinstance(measure, str) else measure
    if pattern.startswith(N):
        kw["after_number"] = re.compile(pattern[len(N) :])
        pattern = _N_LEAD + pattern  # same matches; the engine skips most chars in one step
    if behind := _leading_lookbehinds(pattern):
        kw["behind"] = re.compile(behind)
        pattern = pattern[len(behind) :]
    compiled = re.compile(pattern)
    return Rule(rule_id, measures, compiled, rank, frozenset(home), lead=_lead_chars(compiled), **kw)


_MAX_LEAD_CHARS = 8  # more lead chars than this: skipping to them saves little over the engine's own search


def _lead_chars(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A class of the chars every match of `pattern` starts with, when they are a few literal chars (a
    superset is safe: `Rule.matches` tries the pattern at each); None when a match may be empty or start
    with a char of a category, a negated class or any char. Zero-width assertions are passed over."""
    from re import _constants as c  # the parse tree `re` compiles from (no public API for it)
    from re import _parser

    def seq(items: Any) -> tuple[set[str], bool] | None:
        chars: set[str] = set()
        for op, av in items:
            got = item(op, av)
            if got is None:
                return None
            chars |= got[0]
            if not got[1]:
                return chars, False
        return chars, True

    def item(op: Any, av: Any) -> tuple[set[str], bool] | None:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            if any(o is not c.LITERAL for o, _ in av):
                return None
            return {chr(v) for _, v in av}, False
        if op is c.BRANCH:
            parts = [seq(p) for p in av[1]]
            if any(p is None for p in parts):
                return None
            return set().union(*(p[0] for p in parts)), any(p[1] for p in parts)  # type: ignore[index]
        if op is c.SUBPATTERN:
            return None if av[1] or av[2] else seq(av[3])  # no inline flags
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            got = seq(av[2])
            return None if got is None else (got[0], av[0] == 0 or got[1])
        if op is c.ATOMIC_GROUP:
            return seq(av)
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True
        return None

    def engine_skips(items: Any) -> bool:
        """True when the engine itself skips to where a match can start: the pattern opens (groups aside)
        with a literal, a class, or alternatives that each open with a literal."""
        while items and items[0][0] is c.SUBPATTERN:
            items = items[0][1][3]
        if not items:
            return False
        op, av = items[0]
        return op in (c.LITERAL, c.IN) or (op is c.BRANCH and all(p and p[0][0] is c.LITERAL for p in av[1]))

    tree = _parser.parse(pattern.pattern, pattern.flags)
    if pattern.flags & re.IGNORECASE or engine_skips(tree):
        return None
    got = seq(tree)
    if got is None or got[1] or len(got[0]) > _MAX_LEAD_CHARS:
        return None
    return re.compile("[" + "".join(map(re.escape, sorted(got[0]))) + "]")


def _leading_lookbehinds(pattern: str) -> str:
    """The `(?<!…)`/`(?<=…)` groups the pattern opens with (nested groups, escapes and classes skipped)."""
    end = 0
    while pattern.startswith(("(?<!", "(?<="), end):
        depth, i, in_class = 0, end, False
        while True:
            ch = pattern[i]
            if ch == "\\":
                i += 2
                continue
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch in "()":
                depth += 1 if ch == "(" else -1
                if depth == 0:
                    break
            i += 1
        end = i + 1
    return pattern[:end]


_INFO_CONTEXT = re.compile(r"信息|公开|申请")
_DISCLOSURE = re.compile(r"公开")
_ADMIN_FEES = re.compile(r"行政事业性")
# 表三 （六）2 申请人逾期未按收费通知要求缴纳费用: the applicant did not pay, no statement of the body's fees.
_NOT_OWN_FEES = re.compile(rf"{_ADMIN_FEES.pattern}|收费通知")
_OPEN_INFO = re.compile(r"公开|信息")
# 发文N件，其中主动公开…，依申请公开…，不予公开N件: the disclosure attribute of documents, not requests.
_DOCUMENT_ATTRIBUTES = re.compile(r"^(?!.*(?<!依)申请).*(?:发文|文件)")


def _each_or_zero(m: re.Match[str], value: float) -> bool:
    """`行政复议、行政诉讼均为0件` gives each; a plain `…共3件` is a combined count, unless it is zero."""
    return bool(m.group("each")) or value == 0


# 未发生…被复议纠错或诉讼败诉: the negation is of an outcome, not of the cases themselves.
_APPEAL_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法|违法|被改变|变更|责任追究|赔偿|错案|新增")
_OTHER_CHANNEL = re.compile(
    r"微信|微博|两微|公众号|新媒体|客户端|头条|抖音|快手|公示栏|公开栏|报刊|电视|广播|公报|政府网站以外"
)
_ALL_CHANNELS = re.compile(r"等|多种|各类渠道|网站|门户")
_COUNT_OF_ITEMS = re.compile(r"\d ?(?:余|多)? ?条")
_BREAKDOWN_NEXT = re.compile(r"^ ?(?:余|多)?[,，:]? ?(?:其中|包括|含)")


def _not_an_outcome(m: re.Match[str], value: float) -> bool:
    """被纠错的行政复议案件1件 counts one outcome of the reviews, not the reviews."""
    text = m.string
    start = max(text.rfind(ch, 0, m.start()) for ch in f"{STOPS},，") + 1
    return not _APPEAL_OUTCOME.search(text, start, m.start()) and "维持" not in text[start : m.start()]


def _sole_count(m: re.Match[str], value: float) -> bool:
    """A channel's count is the total only as the one count of its sentence (a breakdown may follow it)."""
    text = m.string
    start = max(text.rfind(ch, 0, m.start()) for ch in STOPS) + 1
    stops = [i for i in (text.find(ch, m.end()) for ch in STOPS) if i >= 0]
    rest = text[m.end() : min(stops, default=len(text))]
    return not _COUNT_OF_ITEMS.search(text[start : m.start()]) and (
        bool(_BREAKDOWN_NEXT.match(rest)) or not _COUNT_OF_ITEMS.search(rest)
    )


# What may stand between 未收到 and 申请 in a nil of every request: who asks, in any form, for information.
# Anything else (需延期答复的, 涉及国家秘密的, 对答复结果有异议的) names one kind of request.
_ANY_REQUEST_WORDS = re.compile(
    r"任何|各类|各种|一切|所有|形式|方式|渠道|书面|其他|其它|或者|或|和|与|及|以及|公民|法人|组织|个人|群众|公众|"
    r"社会|申请人|提出|提交|递交|要求|请求|要去|办理|公开|政府|信息|政务|依申请|有关|关于|针对|向|对|"
    r"(?:本|我)(?:机关|单位|部门|机构|局|委|办|镇|乡|街道|区|县|市|厅|院)?|的|过|到|件|份|方面|事项|事务|工作|"
    r"[、,，:： ]"
)


def _any_request(m: re.Match[str], value: float) -> bool:
    """`未收到书面或其他形式要求公开政府信息的申请` is no request at all; `未收到需延期答复的申请` is not."""
    return not _ANY_REQUEST_WORDS.sub("", m.group("what"))


_CASE_KIND = re.compile(r"申请|复议|诉讼")


def _of_requests(m: re.Match[str], value: float) -> bool:
    """行政复议3件(其中上年结转1件) is a review carried over: the last kind the sentence named is the one."""
    text = m.string
    start = max(text.rfind(ch, 0, m.start()) for ch in STOPS) + 1
    kinds = _CASE_KIND.findall(text, start, m.start())
    return not kinds or kinds[-1] == "申请"


# Order matters: a number span taken by an earlier rule for one measure is not re-read as another measure
# (the lumped 予以公开及部分公开N件 before 部分公开N件; outcomes before the bare 答复N件).
RULES: tuple[Rule, ...] = (
    # --- proactive disclosure total ---
    # 主动公开政府信息N条 / 主动公开各类信息共N条 / 主动公开信息数N条 / 主动公开政府信息达N条
    _rule(
        "proactive.disclosed_info_n",
        "proactive_total",
        rf"主动公开(?:了)?(?:的)?(?:各类|各种|各项)?(?:的)?(?:政府)?信息(?:的)?(?:总数|总量|数量|数)?"
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
    # 主动公开143条信息 (the count before the noun)
    _rule(
        "proactive.disclosed_n_info",
        "proactive_total",
        rf"主动公开(?:了)?(?:共计|共)?{N}(?P<unit>条)(?:各类)?(?:政府)?信息",
        10,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
    ),
    # 发布主动公开信息28大项、79小项，共计6657条 (counted by category, then the total)
    _rule(
        "proactive.categories_then_total",
        "proactive_total",
        rf"主动公开(?:各类)?(?:政府)?信息(?:共)?(?:\d+ ?[大小]?[类项个][、,，]? ?){{1,3}}"
        rf"(?:共计|合计|总计|共)(?:为|达)?{N}(?P<unit>条)",
        10,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
    ),
    # (通过局)门户网站发布各类信息2960条 / 主动在门户网站公开政府信息50条: the website is the one channel
    # named, so its count is the total, unless the sentence counts another channel too (then it is a part).
    _rule(
        "proactive.website_n",
        "proactive_total",
        rf"(?:门户网站|政府网站|官方网站|官网|网站)(?:上)?(?:共)?(?:主动)?(?:发布|公开|上传|公开上传)(?:了)?"
        rf"(?:各类|各项)?(?:政府|政务)?信息(?:共计|共|合计|总计)?(?:为|达)?{N}(?P<unit>条|篇)",
        32,
        {"proactive", "overview"},
        allowed=PROACTIVE_SECTIONS,
        total=True,
        reject_sentence=_OTHER_CHANNEL,
        check=_sole_count,
        fallback=True,  # 主动公开政府信息1.17万条 elsewhere: the website's 5350条 is then one channel of it
    ),
    # --- applications received ---
    # 本年新收政府信息公开申请32件 / (其中本年度新收32件，上年结转3件): the year's own, named as such
    _rule(
        "applications.new_n",
        "applications_new",
        rf"新收(?:到)?(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?{FILL}{N}(?P<unit>件|条|个|份)",
        5,
        APPLICATIONS,
        reject=NOT_A_REQUEST,
        context=re.compile(r"公开申请|依申请|申请公开"),
    ),
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
    # 收到N起政府信息依申请公开 / 受理N件信息公开申请 / 收到4件针对本部门有关政府信息公开事务的申请
    _rule(
        "applications.cases_n",
        "applications_new",
        rf"(?:收到|受理|接到)(?:了)?(?:共)?{N}(?P<unit>起|件|宗|个|份){gap(16, digits=False)}"
        r"(?:依申请|公开(?:事务|事项)?(?:的)?申请)",
        15,
        APPLICATIONS,
        total=True,
        reject=NOT_A_REQUEST,
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
    # / 未接到…办理依申请公开事项. The negation covers only what it names: 未收到需延期答复的申请 is no count.
    _rule(
        "applications.nil_phrase",
        "applications_new",
        rf"(?:没有|未|无)(?:收到|接收到|接到|受理)(?:过|到)?(?P<what>{gap(25)})"
        r"(?:申请(?!公开|人)|依申请公开(?:政府信息)?(?:的)?(?:事项|情况)|公开申(?=\n|\Z))",
        15,
        APPLICATIONS,
        reject=re.compile(rf"{NOT_A_REQUEST.pattern}|{_QUALIFIED_REQUEST.pattern}"),
        nil=True,
        check=_any_request,
    ),
    # 没有依申请公开政府信息办理事项 / 没有依申请公开信息情况 (no request to handle at all)
    _rule(
        "applications.nil_no_requests",
        "applications_new",
        r"(?:没有|无)(?:发生)?依申请公开(?:政府)?(?:信息)?(?:的)?(?:办理)?(?:事项|情况|申请)",
        20,
        APPLICATIONS,
        nil=True,
    ),
    # 依申请受理信息公开申请:无 (a form answered with 无)
    _rule(
        "applications.nil_answered_none",
        "applications_new",
        r"(?:收到|受理|接到)(?:的)?(?:政府)?(?:信息)?(?:公开)?申请(?:情况|数量|数)?: ?无(?=[。;；\n]|\Z)",
        15,
        APPLICATIONS,
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
        reject=re.compile(r"下一?年|资金|万元|复议|诉讼"),
        check=_of_requests,
    ),
    # --- outcomes ---
    # 予以公开及部分公开N件 / 同意公开或部分公开共N件: lumped, neither granted nor partial alone
    _rule(
        "outcomes.granted_or_partial_n",
        "granted_or_partial",
        rf"(?:予以公开|同意公开|全部公开|(?<![不动予意部])公开)(?:答复)?(?:及|或者|或|和|与|、|以及)(?:同意|予以)?部分公开(?:答复)?(?:的)?"
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
        rf"(?<!公开[及或和与、])(?<!公开以及|公开或者)(?:同意|予以)?部分公开{ABOUT}{N}(?P<unit>件)?",
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
    # 没有不予公开的政府信息 / 没有依申请公开和不予公开的政府信息: an explicit none refused
    _rule(
        "outcomes.denied_nil",
        "denied",
        r"(?:没有|无)(?:依申请公开(?:和|或|、))?不予(?:以)?公开的(?:政府)?(?:信息|申请|情况)",
        20,
        APPLICATIONS,
        nil=True,
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
    # 答复N件 / 办结N件 (about requests: the sentence mentions 申请 unless in the applications section);
    # not an outcome's 不予公开|答复N件 (依申请公开答复 is every request), also where a PDF line wraps
    # inside or after 公开 (不予公开\n答复N件, 不予公\n开答复N件: the outcome rules above cannot read it, the bare
    # 答复 must not)
    _rule(
        "responded.answered_n",
        "responded_total",
        rf"(?<!按时)(?<!延期)(?<!(?<!申请)公开)(?<!(?<!申请)公开\n)(?<!(?<!申请)公\n开)(?:答复|办结)(?:了)?(?:共计|共)?{N}(?P<unit>件)",
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
        check=_not_an_outcome,
    ),
    # 行政诉讼N件 / 涉及的行政诉讼数为 0 件 / 行政诉讼案件N件
    _rule(
        "appeals.litigation_n",
        "litigation_total",
        rf"(?<!复议[和与、及或])行政诉讼(?:案件|案)?(?:的)?(?:数量|数)?(?:共计|共|为|有)?{N}{COUNT}",
        10,
        APPEALS,
        context=_DISCLOSURE,
        check=_not_an_outcome,
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
        reject_clause=_APPEAL_OUTCOME,
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
        rf"(?<!免收)(?<!免除)(?<!减免)(?<!减收)(?:信息处理费|检索费|复制费|复印费|邮寄费)(?:共计|共|合计|总计)?"
        rf"(?:收取)?(?:为)?{N}(?P<unit>万元|元)",  # 免收信息处理费200元 is waived, not charged
        10,
        FEES,
        reject_sentence=_ADMIN_FEES,
    ),
    # 未收取(任何)费用 / 没有向…收取复印、传真等任何费用 / 均未收费 / 没有政府信息公开收费(及减免情况)
    # / 依申请公开政府信息不收取任何费用 (未按…: not as some rule says, as in 未按收费通知要求缴纳费用, is no nil)
    _rule(
        "fees.nil_phrase",
        "fees_yuan",
        rf"(?:(?:没有|未|无(?!论))(?!按)(?:{gap(25)}收取{gap(20)}费用?|{gap(14)}收费(?!(?:减免)?申请))|不收取(?:任何)?{gap(10)}费用)",
        15,
        FEES,
        context=_INFO_CONTEXT,
        reject_sentence=_NOT_OWN_FEES,
        nil=True,
    ),
    # (三)公民、法人和其他组织的收费情况:无 (not 与行政复议、行政诉讼有关的费用支出:无, which is spending)
    _rule(
        "fees.nil_answered_none",
        "fees_yuan",
        r"收费(?:及减免|和减免)?(?:情况)?: ?无(?=[。;；\n]|\Z)",
        15,
        FEES,
        nil=True,
    ),
    # 未产生依申请信息检索、复印、邮递等成本费用
    _rule(
        "fees.nil_no_cost",
        "fees_yuan",
        rf"(?:没有|未)(?:产生|发生)(?:任何)?{gap(25)}(?:费用|信息处理费)",
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
_RULES_BY_ID = {r.rule_id: r for r in RULES}
_RULE_MEASURES = {r.rule_id: r.measures for r in RULES}
_FALLBACK = frozenset(r.rule_id for r in RULES if r.fallback)

# Figures about other bodies (全市, 上级) or other years (去年, 同比) are not this report's own. A measure's
# own wording may name the last year (上年结转 is the carried-over count), so 上年 before 结转 is kept.
_OTHER_SCOPE = re.compile(
    r"全国|全(?:省|市|州|盟|县|区|旗|镇|乡|街道?|苏木)|各县|各区|各市|各乡镇|各部门|上级|下级|市直|县直|区直"
    r"|下属|所属单位|直属单位|(?<![本我该])部门"  # 部门新收…4件 in a government's report: its departments'
)
# The 全X a body of each level says of itself (荔浦市 is a county-level city; 全区 is also an autonomous region).
_OWN_SCOPE: dict[str, re.Pattern[str]] = {
    "province": re.compile(r"全(?:省|区|市)"),
    "prefecture": re.compile(r"全(?:市|州|盟|区)"),
    "county": re.compile(r"全(?:县|区|市|旗)"),
    "township": re.compile(r"全(?:镇|乡|街道?|苏木)"),
}
_OTHER_YEAR = re.compile(r"去年|前年|往年|同比|同期|上一?年(?!度?结转)")
_DATED = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2}) ?年(?![^。;；,，]{0,15}?以来)"
)  # 2021年共收到申请35件，2022年收到申请28件
# 2019年以来累计…, 历年…, 近三年…, 网站开通以来…: a figure over several years (a nil over them still holds).
_MULTI_YEAR = re.compile(
    r"历年|近(?:[两二三四五六七八九十几]|\d+) ?年|(?:成立|建站|开通|上线|创建)以来"
    r"|(?P<year>(?:19|20)\d{2}) ?年[^。;；]{0,15}?以来"
)
# 主动公开政府信息1200条，其中本年度新增300条: the figure runs over the years, the year's own is its part.
_YEARS_PART_FOLLOWS = re.compile(r" ?[,，(（]? ?其中[,，:]? ?(?:本年度?|今年|当年|年内|全年)?新增")
_YEAR_ANCHOR = re.compile(
    r"(?:19|20)\d{2} ?年|本年|今年|全年|年度|一年来|年内"
)  # 2022年累计…: the year's own
# 共受理申请35件(其中本年度新收32件，上年结转3件) / …20件，其中上年结转2件 / …40件(含上年结转5件): a total with
# the carried-over requests in it, not the year's new ones.
_PARTS_FOLLOW = re.compile(r"^ ?(?:\( ?(?:其中|含|包括|包含)?|[,，]? ?(?:其中|含|包括|包含)) ?[,，:]?")
_NEW_PART = re.compile(r"新收|新增|本年度?收到")
_CARRIED_PART = re.compile(
    rf"上一?年度?结转(?:的)?(?:政府信息公开|信息公开)?(?:申请)?(?:为|有)?{N}(?P<unit>件|条|个)"
)
DERIVED_NEW = "derived.new_is_total_less_carried"
_TOPIC_LEAD = re.compile(
    r"(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]|[一二三四五六七八九十]是) ?([^。:\n]{2,16}?)[。:]"
)
_TOPICS = frozenset({"proactive", "applications", "fees", "appeals"})


_STOP = re.compile(f"[{re.escape(STOPS)}]")


class _Sentences:
    """Sentence bounds by the stop characters, found by bisecting their sorted positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stops = [m.start() for m in _STOP.finditer(text)]

    def around(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.stops, start)
        s = self.stops[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self.stops, max(start, end - 1))
        e = self.stops[j] if j < len(self.stops) else len(self.text)
        return s, e


def _section_key(sections: list[Section], text: str, pos: int) -> str:
    """The section's key; inside an overview, a paragraph led by `(二)依申请公开工作情况。` takes that topic."""
    sec = section_at(sections, pos)
    key = sec.key if sec else "preamble"
    if key in {"overview", "preamble", "misc"}:
        line_start = text.rfind("\n", 0, pos) + 1
        lead = _TOPIC_LEAD.match(text, line_start)
        if lead and lead.end() <= pos and (topic := classify_heading(lead.group(1))) in _TOPICS:
            return topic
    return key


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


def _clauses_around(text: str, s_start: int, s_end: int, start: int, end: int) -> str:
    """The clauses (comma to comma inside the sentence) that the span [start, end) touches."""
    left = max(text.rfind(ch, s_start, start) for ch in ",，") + 1
    ends = [i for i in (text.find(ch, end, s_end) for ch in ",，") if i >= 0]
    return text[max(left, s_start) : min(ends, default=s_end)]


@dataclass
class _Reading:
    """What one pass over the prose knows of the report, and the figures it declined with the reason."""

    admin_level: str | None = None  # the report's own level decides whose figure 全县… is
    report_year: int | None = None  # a figure dated to another year (2021年收到申请35件) is not this report's
    issues: list[ParseIssue] = field(default_factory=list)


def _own(scope_word: str, admin_level: str | None) -> bool:
    own = _OWN_SCOPE.get(admin_level or "")
    return bool(own and own.fullmatch(scope_word))


def _not_own(rule: Rule, scope: str, so_far: str, found: _Reading) -> str | None:
    """Why a figure is not the report's own (another body, year or channel), or None when it is.

    `scope` is the match with the clause it starts in; `so_far` the sentence up to the match's end.
    """
    other = next((o for o in _OTHER_SCOPE.finditer(scope) if not _own(o.group(0), found.admin_level)), None)
    if other or (other := _OTHER_YEAR.search(scope)):
        return f"{other.group(0)!r} names another body or year"
    year = found.report_year
    dated = next((d for d in _DATED.finditer(scope) if year and int(d.group("year")) != year), None)
    if dated:
        return f"{dated.group(0)!r} is not the report's year {year}"
    many = None if rule.nil else _MULTI_YEAR.search(so_far)
    if many and (not many.group("year") or int(many.group("year")) != year):
        return f"{many.group(0)!r} runs over several years"
    if rule.total and not rule.nil and "累计" in scope and not _YEAR_ANCHOR.search(so_far):
        return "'累计' with no year named runs over several years"
    if rule.measures == ("proactive_total",) and not rule.fallback and _one_other_channel(scope):
        return "one channel (微博, 微信, 新媒体…) of the year's disclosure"
    return None


def _one_other_channel(scope: str) -> bool:
    """政务微博主动公开政府信息300条 is that channel's part; 通过网站、微博等渠道 (or with the website) is all."""
    return bool(_OTHER_CHANNEL.search(scope)) and not _ALL_CHANNELS.search(scope)


def _fact(
    rule: Rule, measure: str, value: float, sentence: str, span: tuple[int, int], rank: int, **kw: Any
) -> ProseFact:
    return ProseFact(
        measure=measure,
        value=value,
        unit=MEASURES[measure][1],
        sentence=sentence.strip(),
        span_start=span[0],
        span_end=span[1],
        rule_id=kw.pop("rule_id", rule.rule_id),
        rank=rank,
        **kw,
    )


def _facts(
    rule: Rule, m: re.Match[str], text: str, sentences: _Sentences, key: str, found: _Reading
) -> Iterator[ProseFact]:
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
    if rule.reject_clause and rule.reject_clause.search(_clauses_around(text, s_start, s_end, *m.span())):
        return
    before = text[s_start : m.start()]
    clause = _CLAUSE_START.split(before)[-1]
    if (
        rule.total
        and "其中" in before
        and not _THIS_YEAR.search(clause)
        and not _ATTRIBUTE_SPLIT.search(before)
    ):
        return  # 其中…N条 lists parts, not the total
    if rule.measures == ("proactive_total",) and _YEARS_PART_FOLLOWS.match(text, m.end(), s_end):
        found.issues.append(_declined(rule, "a cumulative total: the year's new part follows", sentence))
        return
    scope = clause + m.group(0)
    if reason := _not_own(rule, scope, before + m.group(0), found):
        found.issues.append(_declined(rule, reason, sentence))
        return
    rank = rule.rank + (0 if key in rule.home else OUTSIDE_HOME_PENALTY)
    if rule.total and _CUMULATIVE.search(clause + m.group(0)):
        rank += CUMULATIVE_PENALTY  # 累计/历年 figures run over several years
    if rule.nil:
        if rule.check and not rule.check(m, 0.0):
            return
        value, approx, span = 0.0, False, m.span()
    else:
        read = _read_number(rule, m, text)
        if read is None:
            return
        (value, approx), span = read, m.span("num")
    if rule.measures == ("applications_new",) and rule.total and not rule.nil:
        yield from _new_of_a_total(rule, m, text[m.end() : s_end], value, (sentence, span, rank), found)
        return
    phrase = m.group(0)
    for measure in rule.measures:
        if rule.nil and len(rule.measures) > 1 and _KEYWORD[measure] not in phrase:
            continue
        yield _fact(rule, measure, value, sentence, span, rank, approximate=approx)


def _new_of_a_total(
    rule: Rule,
    m: re.Match[str],
    after: str,
    value: float,
    where: tuple[str, tuple[int, int], int],
    found: _Reading,
) -> Iterator[ProseFact]:
    """A received count is the year's new requests unless its own parts follow it (其中/含 新收…, 上年结转…).

    Then the new part, where named, is read by `applications.new_n`; where only the carried-over part is
    named, the new figure is the total less it, marked derived.
    """
    sentence, span, rank = where
    approx = bool(m.group("num_pre") or m.group("num_post"))
    lead = _PARTS_FOLLOW.match(after)
    parts = after[lead.end() :] if lead else ""
    if not lead or not (_NEW_PART.search(parts[:12]) or "上年" in parts[:12]):
        yield _fact(rule, "applications_new", value, sentence, span, rank, approximate=approx)
        return
    if _NEW_PART.search(parts[:12]):
        return  # the sentence names the new part itself
    carried = _CARRIED_PART.search(parts)
    carried_value = parse_number(carried.group("num")) if carried else None
    if carried_value is None or carried_value > value or approx or carried.group("num_pre"):
        found.issues.append(
            _declined(rule, "a total that includes carried-over requests, no new part", sentence)
        )
        return
    yield _fact(
        rule, "applications_new", value - carried_value, sentence, span, rank + 5, rule_id=DERIVED_NEW
    )


def _declined(rule: Rule, reason: str, sentence: str) -> ParseIssue:
    return ParseIssue(
        "prose_declined",
        f"{rule.rule_id}: {reason}: {sentence.strip()[:80]}",
        severity="info",
        measure=rule.measures[0],
    )


def read_prose(
    text: str, sections: list[Section], admin_level: str | None = None, report_year: int | None = None
) -> tuple[list[ProseFact], list[ParseIssue]]:
    """All figures the prose states, in text order, and the figures it declined to read with the reason.

    `admin_level` (metadata) says whether a 全县/全市 figure is the report's own; unknown, it is declined.
    `report_year` says whether a figure dated 2021年… is the report's own; unknown, any dated one is.
    """
    sentences = _Sentences(text)
    found = _Reading(admin_level, report_year)
    kept: dict[tuple[int, int, str], ProseFact] = {}
    owner: dict[tuple[int, int], str] = {}  # number span -> rule that read it first
    for rule in RULES:
        if rule.after_number and not rule.after_number.search(text):
            continue
        for m in rule.matches(text):
            key = _section_key(sections, text, m.start())
            if key not in rule.allowed:
                continue
            for fact in _facts(rule, m, text, sentences, key, found):
                span = (fact.span_start, fact.span_end)
                first = owner.setdefault(span, rule.rule_id)
                if fact.measure not in _RULE_MEASURES[first]:
                    continue  # an earlier, more specific rule already read this number as another measure
                slot = (*span, fact.measure)
                if slot not in kept or fact.rank < kept[slot].rank:
                    kept[slot] = fact
    stated = {f.measure for f in kept.values() if f.rule_id not in _FALLBACK}
    for fact in [f for f in kept.values() if f.rule_id in _FALLBACK and f.measure in stated]:
        found.issues.append(
            _declined(_RULES_BY_ID[fact.rule_id], "one channel; the report states the total", fact.sentence)
        )
    facts = sorted(
        (f for f in kept.values() if not (f.rule_id in _FALLBACK and f.measure in stated)),
        key=lambda f: (f.span_start, f.rank, f.measure),
    )
    return facts, found.issues


def extract_prose_facts(
    text: str, sections: list[Section], admin_level: str | None = None, report_year: int | None = None
) -> list[ProseFact]:
    """All figures the prose states, in text order; `text` is the normalised text the sections index."""
    return read_prose(text, sections, admin_level, report_year)[0]

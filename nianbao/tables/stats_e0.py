"""Pre-2019 statistics tables (政府信息公开情况统计表): the E0 families' rows, and a grid → cells reader.

Before 2019 there was no national table; three families are known (shared/reference/report_formats.md §4):

- `e0_sh` Shanghai-origin form (§4a): 指标名称 / 计量单位 / 代码 / 本期实际 / 本年累计.
- `e0_fj` Fujian-style 附表 (§4b): 指标名称 / 计量单位 / 2009年度 / 历年累计.
- `e0_gb` 国办 statistics table of c. 2014–2018 (§4c): 序号 / 统计指标 / 单位 / 统计数.

Storage scheme: `table` is the family id (its own layout and row meanings), `era` is always `pre2019`.
Row keys are shared across families where the printed concept is the same (requests.in_person) and the
crosswalk (dbt seed table_crosswalk, generated from `crosswalk_rows`) says per family what a row means in
the conformed measures, so one key may map differently per family (否决公开答复总数 of e0_sh counts
信息不存在 and 非本部门掌握, 不同意公开答复数 of e0_gb does not).

Column keys: `period` 本期实际, `year` N年度 / 本年度 / 统计数 (the year's figure), `ytd` 本年累计, `cumulative`
历年累计. The cumulative columns are stored but never crosswalked: a year's measure is never read from them.

Rows are found by their indicator text (never by position or 代码 alone); the 国办 table repeats
（一）维持… / （二）被依法纠错数 under 四 行政复议 and 五 行政诉讼, so a row may only match under its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.tables.catalog import canon
from nianbao.tables.grid import Grid
from nianbao.tables.labels import TableCell, distinct, read_cell

ERA = "pre2019"
FAMILIES: dict[str, str] = {
    "e0_sh": "上海式 政府信息公开情况统计表（指标名称/计量单位/代码/本期实际/本年累计）",
    "e0_fj": "福建式 附表（指标名称/计量单位/N年度/历年累计）",
    "e0_gb": "国办 2014–2018 统计表（序号/统计指标/单位/统计数）",
}
YEAR_COLUMN = {
    "e0_sh": "period",
    "e0_fj": "year",
    "e0_gb": "year",
}  # the column a year's measure is read from
UNITS = ("人次", "万元", "元", "条", "件", "个", "次", "人", "项", "篇")
MONEY_UNITS = ("万元", "元")


@dataclass(frozen=True)
class Measure:
    """What a row means in the conformed measures (a dbt table_crosswalk row)."""

    measure: str
    confidence: str  # exact / approximate / era_specific (a distinct measure, never the 2019+ one)
    fact_table: str
    reason: str = ""


@dataclass(frozen=True)
class E0Row:
    key: str
    pattern: re.Pattern[str]
    unit: str  # the family's documented unit; a printed unit wins
    gloss: str
    parent: str | None = None
    section: str | None = None  # the 国办 section (一…九) the row belongs to; None: anywhere
    sets_section: str | None = None  # the row is a section heading
    code: int | None = None  # 代码 of the Shanghai form (a check on the flattened text, never the key)
    sum_of_children: bool = False  # the family defines this row as the sum of its children
    maps: Measure | None = None


def _m(measure: str, confidence: str, fact_table: str = "fct_application", reason: str = "") -> Measure:
    return Measure(measure, confidence, fact_table, reason)


PRO, APL = "fct_proactive_disclosure", "fct_appeal"
# Rows with no fact mart: fees reach report_summary.fees_yuan only (fct_fee is keyed by the prose figure),
# complaints (申诉 / 举报投诉) are neither of fct_appeal's kinds (行政复议 / 行政诉讼).
NO_FACT = ""
_CHANNELS = (
    ("in_person", r"当面"),
    ("fax", r"传真"),
    ("email", r"电子邮件"),
    ("online", r"网上|网络"),
    ("letter", r"信函"),
    ("other", r"其他形式|其它形式"),
)


def _row(key: str, pattern: str, unit: str, gloss: str, **kw: object) -> E0Row:
    return E0Row(key, re.compile(pattern), unit, gloss, **kw)  # type: ignore[arg-type]


def _channels(parent: str, codes: tuple[int, ...] | None = None) -> tuple[E0Row, ...]:
    return tuple(
        _row(
            f"requests.{k}",
            rf"^(?:其中)?\d?(?:{p})(?:形式)?申请(?:数|件数)?$|^(?:其中)?\d?(?:{p})$",
            "条",
            f"申请渠道·{k}",
            parent=parent,
            code=codes[i] if codes else None,
            maps=_m("applications_by_channel", "era_specific", reason=k),
        )
        for i, (k, p) in enumerate(_CHANNELS)
    )


# Shanghai-origin form (§4a): the 定西 form's 35 rows plus the Shanghai OA system's extra rows.
_SH_EXEMPT = tuple(
    _row(
        f"replies.refused.exempt_{n}",
        rf"免予公开范围{n}",
        "条",
        f"否决·免予公开范围{n}",
        parent="replies.refused",
        code=24 + n,
        maps=_m("refused_pre2019", "era_specific", reason=f"exempt_{n}"),
    )
    for n in range(1, 7)
)
SH_ROWS: tuple[E0Row, ...] = (
    _row(
        "proactive.electronic",
        r"全文电子化",
        "条",
        "其中：全文电子化的主动公开信息数",
        parent="proactive.total",
        code=2,
    ),
    _row("proactive.documents_secret", r"国家秘密的公文类", "条", "属于国家秘密的公文类信息数"),
    _row("proactive.documents", r"^公文类信息数$", "条", "公文类信息数"),
    _row(
        "proactive.total",
        r"^主动公开信息数$|^主动公开信息总数$",
        "条",
        "主动公开信息数",
        code=1,
        maps=_m("proactive_total", "exact", PRO),
    ),
    _row("proactive.new_normative_docs", r"新增的?行政规范性文件数", "条", "新增的行政规范性文件数", code=3),
    _row("proactive.service_info", r"提供服务类信息数", "条", "提供服务类信息数", code=4),
    _row("visits.page_views", r"网站专栏页面访问量", "人次", "网站专栏页面访问量", code=5),
    _row("visits.walk_in", r"现场接待人数", "人次", "现场接待人数", code=6),
    _row("enquiries.online", r"网上咨询数", "人次", "网上咨询数", code=7),
    _row("enquiries.phone", r"咨询电话接听数", "人次", "咨询电话接听数", code=8),
    _row("request_catalogue", r"依申请公开信息目录数", "条", "依申请公开信息目录数", code=9),
    _row("requests.repeat", r"重复申请数", "条", "重复申请数", maps=_m("repeat", "approximate")),
    *_channels("requests.total", (11, 12, 13, 14, 15, 16)),
    _row(
        "requests.total",
        r"^申请总数$",
        "条",
        "申请总数",
        code=10,
        sum_of_children=True,
        maps=_m("applications_new", "exact"),
    ),
    _row(
        "replies.granted",
        r"同意公开答复数$",
        "条",
        "其中：1.同意公开答复数",
        parent="replies.total",
        code=18,
        maps=_m("granted", "exact"),
    ),
    _row(
        "replies.partial",
        r"同意部分公开答复数$",
        "条",
        "2.同意部分公开答复数",
        parent="replies.total",
        code=19,
        maps=_m("partially_granted", "exact"),
    ),
    _row(
        "replies.refused.not_gov_info",
        r"非规定所指政府信息|非条例所指政府信息",
        "条",
        "(1)“非《规定》所指政府信息”数",
        parent="replies.refused",
        code=21,
        maps=_m("refused_pre2019", "era_specific", reason="not_gov_info"),
    ),
    _row(
        "replies.refused.not_exist",
        r"信息不存在",
        "条",
        "(2)“信息不存在”数",
        parent="replies.refused",
        code=22,
        maps=_m("refused_pre2019", "era_specific", reason="not_exist"),
    ),
    _row(
        "replies.refused.not_held",
        r"非本部门掌握|非本机关掌握",
        "条",
        "(3)“非本部门掌握”数",
        parent="replies.refused",
        code=23,
        maps=_m("refused_pre2019", "era_specific", reason="not_held"),
    ),
    _row(
        "replies.refused.unclear",
        r"申请内容不明确",
        "条",
        "(4)“申请内容不明确”数",
        parent="replies.refused",
        code=24,
        maps=_m("refused_pre2019", "era_specific", reason="unclear"),
    ),
    *_SH_EXEMPT,
    _row(
        "replies.refused.other",
        r"^(?:其中)?\d{0,2}其它原因$|^(?:其中)?\d{0,2}其他原因$",
        "条",
        "(11)其它原因",
        parent="replies.refused",
        code=31,
        maps=_m("refused_pre2019", "era_specific", reason="other"),
    ),
    _row(
        "replies.refused",
        r"否决公开答复总?数$",
        "条",
        "3.否决公开答复总数",
        parent="replies.total",
        code=20,
        sum_of_children=True,
        maps=_m("refused_pre2019", "era_specific"),
    ),
    _row(
        "replies.total",
        r"对申请的答复总数$",
        "条",
        "对申请的答复总数",
        code=17,
        sum_of_children=True,
        maps=_m("responded_total", "approximate"),
    ),
    _row(
        "complaints.first_handling",
        r"首次处理不满意",
        "件",
        "其中：对本部门首次处理不满意的行政申诉数",
        parent="complaints.total",
        code=35,
    ),
    _row(
        "reviews.total",
        r"^行政复议数$|^行政复议件数$",
        "件",
        "行政复议数",
        code=32,
        maps=_m("reconsideration_total", "exact", APL),
    ),
    _row(
        "suits.total",
        r"^行政诉讼数$|^行政诉讼件数$",
        "件",
        "行政诉讼数",
        code=33,
        maps=_m("litigation_total", "exact", APL),
    ),
    _row(
        "complaints.total",
        r"^行政申诉数$",
        "件",
        "行政申诉数",
        code=34,
        maps=_m("complaints", "era_specific", NO_FACT),
    ),
    _row("fees.proactive", r"主动公开信息收取费用", "元", "主动公开信息收取费用", parent="fees.total"),
    _row(
        "fees.on_request",
        r"依申请提供信息收取费用",
        "元",
        "依申请提供信息收取费用",
        parent="fees.total",
        maps=_m("fees_on_request", "era_specific", NO_FACT),
    ),
    _row("fees.total", r"^收取费用(?:总数|总额)?$", "元", "收取费用"),
    _row("staff.designated", r"指定专职人员数", "人", "政府信息公开指定专职人员数"),
    _row("staff.full_time", r"^全职人员(?:数)?$", "人", "全职人员"),
    _row("staff.part_time", r"^兼职人员(?:数)?$", "人", "兼职人员"),
    _row("budget.special", r"专项费", "元", "政府信息公开的专项费"),
    _row("spending.actual", r"实际支出", "元", "处理政府信息公开的实际支出"),
    _row("spending.litigation", r"与诉讼有关的总?费用", "元", "与诉讼有关的总费用"),
)

# Fujian-style 2009 附表 (§4b).
FJ_ROWS: tuple[E0Row, ...] = (
    _row("proactive.website", r"^(?:其中)?\d?政府网站$", "条", "其中：1.政府网站", parent="proactive.total"),
    _row("proactive.gazette", r"^(?:其中)?\d?政府公报$", "条", "2.政府公报", parent="proactive.total"),
    _row(
        "proactive.total",
        r"^主动公开(?:政府)?信息(?:总)?数$",
        "条",
        "主动公开信息数",
        maps=_m("proactive_total", "exact", PRO),
    ),
    *_channels("requests.total"),
    _row(
        "requests.total",
        r"受理依申请公开信息总数|受理依申请公开申请总数",
        "条",
        "受理依申请公开信息总数",
        sum_of_children=True,
        maps=_m("applications_new", "approximate"),
    ),
    _row(
        "replies.granted",
        r"同意公开答复数$",
        "条",
        "1.同意公开答复数",
        parent="replies.total",
        maps=_m("granted", "exact"),
    ),
    _row(
        "replies.partial",
        r"同意部分公开答复数$",
        "条",
        "2.同意部分公开答复数",
        parent="replies.total",
        maps=_m("partially_granted", "exact"),
    ),
    _row(
        "replies.refused",
        r"否决公开答复总?数$",
        "条",
        "3.否决公开答复总数",
        parent="replies.total",
        maps=_m("refused_pre2019", "era_specific"),
    ),
    _row(
        "replies.total",
        r"对申请的答复总数$",
        "条",
        "本年度对申请的答复总数",
        sum_of_children=True,
        maps=_m("responded_total", "approximate"),
    ),
    _row(
        "reviews.total", r"^行政复议数$", "件", "行政复议数", maps=_m("reconsideration_total", "exact", APL)
    ),
    _row("suits.total", r"^行政诉讼数$", "件", "行政诉讼数", maps=_m("litigation_total", "exact", APL)),
    _row(
        "complaints.total",
        r"^行政申诉数$",
        "件",
        "行政申诉数",
        maps=_m("complaints", "era_specific", NO_FACT),
    ),
)

# 国办 2014–2018 table (§4c; below its first rows the layout is [MEM] in the spec: rows are read by their text).
_N = r"^[一二三四五六七八九十]{0,2}(?:\d{1,2})?"  # a row's own numbering (（一）, 1.) before canon removes brackets
GB_ROWS: tuple[E0Row, ...] = (
    _row("section.proactive", r"^一主动公开情况$", "", "一、主动公开情况", sets_section="一"),
    _row(
        "proactive.total",
        _N + r"主动公开政府信息数",
        "条",
        "（一）主动公开政府信息数",
        section="一",
        maps=_m("proactive_total", "exact", PRO),
    ),
    _row(
        "proactive.normative_docs",
        r"主动公开规范性文件数",
        "条",
        "其中：主动公开规范性文件数",
        section="一",
        parent="proactive.total",
    ),
    _row("normative_docs.issued", r"制发规范性文件总数", "件", "制发规范性文件总数", section="一"),
    _row("proactive.gazette", _N + r"政府公报", "条", "1.政府公报公开政府信息数", section="一"),
    _row("proactive.website", _N + r"政府网站", "条", "2.政府网站公开政府信息数", section="一"),
    _row("proactive.weibo", _N + r"政务微博", "条", "3.政务微博公开政府信息数", section="一"),
    _row("proactive.wechat", _N + r"政务微信", "条", "4.政务微信公开政府信息数", section="一"),
    _row("proactive.other_channels", _N + r"其他方式公开", "条", "5.其他方式公开政府信息数", section="一"),
    _row("section.responses", r"^二回应解读情况$", "", "二、回应解读情况", sets_section="二"),
    _row(
        "responses.hot_topics",
        r"回应公众关注热点|重大舆情",
        "次",
        "（一）回应公众关注热点或重大舆情数",
        section="二",
    ),
    _row(
        "responses.press_head",
        r"主要负责同志.*新闻发布会",
        "次",
        "其中：主要负责同志参加新闻发布会次数",
        section="二",
        parent="responses.press",
    ),
    _row("responses.press", r"新闻发布会总?次数", "次", "1.参加或举办新闻发布会总次数", section="二"),
    _row(
        "responses.interviews_head",
        r"主要负责同志.*访谈",
        "次",
        "其中：主要负责同志参加政府网站在线访谈次数",
        section="二",
        parent="responses.interviews",
    ),
    _row("responses.interviews", r"在线访谈次数", "次", "2.政府网站在线访谈次数", section="二"),
    _row("responses.explainers", r"政策解读稿件", "篇", "3.政策解读稿件发布数", section="二"),
    _row("responses.weibo_wechat", r"微博微信回应", "次", "4.微博微信回应事件数", section="二"),
    _row("responses.other", r"其他方式回应", "次", "5.其他方式回应事件数", section="二"),
    _row("section.requests", r"^三依申请公开情况$", "", "三、依申请公开情况", sets_section="三"),
    _row(
        "requests.total",
        _N + r"收到申请数$",
        "件",
        "（一）收到申请数",
        section="三",
        sum_of_children=True,
        maps=_m("applications_new", "exact"),
    ),
    *(
        _row(
            f"requests.{k}",
            rf"^\d?{p}申请数$",
            "件",
            f"{n}.{p}申请数",
            section="三",
            parent="requests.total",
            maps=_m("applications_by_channel", "era_specific", reason=k),
        )
        for n, (k, p) in enumerate(
            (("in_person", "当面"), ("fax", "传真"), ("online", "网络"), ("letter", "信函")), 1
        )
    ),
    _row(
        "requests.closed_on_time", r"按时办结数", "件", "1.按时办结数", section="三", parent="requests.closed"
    ),
    _row(
        "requests.closed_extended",
        r"延期办结数",
        "件",
        "2.延期办结数",
        section="三",
        parent="requests.closed",
    ),
    _row(
        "requests.closed",
        _N + r"申请办结数$",
        "件",
        "（二）申请办结数",
        section="三",
        sum_of_children=True,
        maps=_m("closed_pre2019", "era_specific"),
    ),
    _row(
        "replies.already_public",
        r"已主动公开范围",
        "件",
        "1.属于已主动公开范围数",
        section="三",
        parent="replies.total",
        maps=_m("already_public", "era_specific"),
    ),
    _row(
        "replies.partial",
        r"同意部分公开答复数$",
        "件",
        "3.同意部分公开答复数",
        section="三",
        parent="replies.total",
        maps=_m("partially_granted", "exact"),
    ),
    _row(
        "replies.granted",
        r"^\d?同意公开答复数$",
        "件",
        "2.同意公开答复数",
        section="三",
        parent="replies.total",
        maps=_m("granted", "exact"),
    ),
    _row(
        "replies.refused.state_secret",
        r"涉及国家秘密$",
        "件",
        "其中：涉及国家秘密",
        section="三",
        parent="replies.refused",
        maps=_m("denied", "approximate", reason="state_secret"),
    ),
    _row(
        "replies.refused.commercial_secret",
        r"涉及商业秘密$",
        "件",
        "涉及商业秘密",
        section="三",
        parent="replies.refused",
        maps=_m("denied", "approximate", reason="commercial_secret"),
    ),
    _row(
        "replies.refused.privacy",
        r"涉及个人隐私$",
        "件",
        "涉及个人隐私",
        section="三",
        parent="replies.refused",
        maps=_m("denied", "approximate", reason="privacy"),
    ),
    _row(
        "replies.refused.three_security",
        r"危及国家安全|社会稳定$",
        "件",
        "危及国家安全、公共安全、经济安全和社会稳定",
        section="三",
        parent="replies.refused",
        maps=_m("denied", "approximate", reason="three_security"),
    ),
    _row(
        "replies.refused.not_gov_info",
        r"不是条例所指政府信息|非条例所指政府信息",
        "件",
        "不是《条例》所指政府信息",
        section="三",
        parent="replies.refused",
        maps=_m("not_gov_info", "era_specific"),
    ),
    _row(
        "replies.refused.law_other",
        r"法律法规规定的其他情形$",
        "件",
        "法律法规规定的其他情形",
        section="三",
        parent="replies.refused",
        maps=_m("denied", "approximate", reason="law_other"),
    ),
    _row(
        "replies.refused",
        r"不同意公开答复数$|不同意公开数$",
        "件",
        "4.不同意公开答复数",
        section="三",
        parent="replies.total",
        sum_of_children=True,
        maps=_m("denied", "approximate"),
    ),
    _row(
        "replies.not_this_agency",
        r"不属于本行政机关公开|不属于本机关公开",
        "件",
        "5.不属于本行政机关公开",
        section="三",
        parent="replies.total",
        maps=_m("unable_not_held", "approximate"),
    ),
    _row(
        "replies.not_exist",
        r"申请信息不存在$",
        "件",
        "6.申请信息不存在",
        section="三",
        parent="replies.total",
        maps=_m("unable_not_exist", "era_specific"),
    ),
    _row(
        "replies.told_amend",
        r"告知作出更改补充",
        "件",
        "7.告知作出更改补充",
        section="三",
        parent="replies.total",
        maps=_m("unable_unclear", "approximate"),
    ),
    _row(
        "replies.told_other_channel",
        r"告知通过其他途径办理",
        "件",
        "8.告知通过其他途径办理",
        section="三",
        parent="replies.total",
        maps=_m("redirected", "era_specific"),
    ),
    _row(
        "replies.total",
        _N + r"申请答复数$",
        "件",
        "（三）申请答复数",
        section="三",
        sum_of_children=True,
        maps=_m("responded_total", "approximate"),
    ),
    _row(
        "reviews.total",
        r"^四行政复议数量$|^四行政复议数$",
        "件",
        "四、行政复议数量",
        sets_section="四",
        sum_of_children=True,
        maps=_m("reconsideration_total", "exact", APL),
    ),
    _row(
        "suits.total",
        r"^五行政诉讼数量$|^五行政诉讼数$",
        "件",
        "五、行政诉讼数量",
        sets_section="五",
        sum_of_children=True,
        maps=_m("litigation_total", "exact", APL),
    ),
    *(
        _row(
            f"{block}.{k}",
            _N + p,
            "件",
            g,
            section=sec,
            parent=f"{block}.total",
            maps=_m(f"{measure}_{k}", "approximate", APL),
        )
        for block, sec, measure in (("reviews", "四", "reconsideration"), ("suits", "五", "litigation"))
        for k, p, g in (
            ("upheld", r"维持具体行政行为", "（一）维持具体行政行为数"),
            ("corrected", r"被依法纠错", "（二）被依法纠错数"),
            ("other", r"其他情形", "（三）其他情形数"),
        )
    ),
    _row(
        "complaints.total",
        r"^六举报投诉数量$|^六举报投诉数$",
        "件",
        "六、举报投诉数量",
        sets_section="六",
        maps=_m("complaints", "era_specific", NO_FACT),
    ),
    _row(
        "fees.on_request",
        r"^七依申请公开信息收取的?费用",
        "万元",
        "七、依申请公开信息收取的费用",
        sets_section="七",
        maps=_m("fees_yuan", "exact", NO_FACT),
    ),
    _row(
        "section.staffing", r"^八机构建设和保障经费情况$", "", "八、机构建设和保障经费情况", sets_section="八"
    ),
    _row("staff.bodies", r"专门机构数", "个", "（一）政府信息公开专门机构数", section="八"),
    _row("staff.reading_points", r"查阅点数", "个", "（二）设置政府信息公开查阅点数", section="八"),
    _row("staff.full_time", r"^\d?专职人员数$", "人", "1.专职人员数", section="八", parent="staff.total"),
    _row("staff.part_time", r"^\d?兼职人员数$", "人", "2.兼职人员数", section="八", parent="staff.total"),
    _row(
        "staff.total",
        r"从事政府信息公开工作人员数",
        "人",
        "（三）从事政府信息公开工作人员数",
        section="八",
        sum_of_children=True,
    ),
    _row("budget.special", r"专项经费", "万元", "（四）政府信息公开专项经费", section="八"),
    _row(
        "section.meetings",
        r"^九政府信息公开会议和培训情况$",
        "",
        "九、政府信息公开会议和培训情况",
        sets_section="九",
    ),
    _row(
        "meetings.count",
        r"召开政府信息公开工作会议|会议数|会议次数",
        "次",
        "（一）召开政府信息公开工作会议或专题会议数",
        section="九",
    ),
    _row("meetings.training_courses", r"培训班数", "次", "（二）举办各类培训班数", section="九"),
    _row("meetings.trainees", r"接受培训人员数", "人次", "（三）接受培训人员数", section="九"),
)

ROWS: dict[str, tuple[E0Row, ...]] = {"e0_sh": SH_ROWS, "e0_fj": FJ_ROWS, "e0_gb": GB_ROWS}

# Header words (on canonical text). A header names the indicator column and the family's value columns.
_LABEL_HEAD = re.compile(r"指标名称|统计指标|^指标$|^项目$")
_UNIT_HEAD = re.compile(r"^计量单位$|^单位$")
VALUE_HEADS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("period", re.compile(r"^本期实际$|^本期$")),
    ("ytd", re.compile(r"^本年累计$")),
    ("cumulative", re.compile(r"^历年累计$|^累计$")),
    ("year", re.compile(r"^(?:\d{4}|本)年度?(?:统计数|数)?$|^统计数$|^本年统计数$")),
)


def family_of(header: list[str]) -> str | None:
    """The family a header row (canonical cell texts) belongs to; None when it is not an E0 header."""
    if not any(_LABEL_HEAD.search(h) for h in header if "指标" in h or "项目" in h):  # `in`: cheap, most rows
        return None
    keys = {k for h in header for k, p in VALUE_HEADS if p.search(h)}
    if "统计指标" in "".join(header) and "year" in keys:
        return "e0_gb"
    if keys & {"period", "ytd"}:
        return "e0_sh"
    if keys & {"year", "cumulative"}:
        return "e0_fj"
    return None


def value_column(text: str) -> str | None:
    c = canon(text)
    return next((k for k, p in VALUE_HEADS if p.search(c)), None)


def match_row(family: str, label: str, section: str | None) -> E0Row | None:
    """The first catalog row of the family whose pattern is found in the canonical label, within its section."""
    c = canon(label) if label else ""
    if not c:
        return None
    bare = c.removeprefix("其中")  # 其中：1.当面申请数 is matched as 1当面申请数 too
    for row in ROWS[family]:
        if row.section is not None and row.section != section:
            continue
        if row.pattern.search(c) or row.pattern.search(bare):
            return row
    return None


def unit_of(text: str) -> str | None:
    c = canon(text)
    return c if c in UNITS else None


@dataclass
class _Layout:
    family: str
    header_row: int
    label_cols: list[int]
    unit_col: int | None
    value_cols: dict[int, tuple[str, str]]  # grid col → (col_key, printed header)


def _layout(grid: Grid) -> _Layout | None:
    for r, row in enumerate(grid.rows):
        texts = [canon(cell.text if cell else "") for cell in row]
        family = family_of(texts)
        if not family:
            continue
        label_cols = [c for c, t in enumerate(texts) if _LABEL_HEAD.search(t)]
        unit_col = next((c for c, t in enumerate(texts) if _UNIT_HEAD.search(t)), None)
        value_cols: dict[int, tuple[str, str]] = {}
        for c in range(len(row)):
            cell = row[c]
            if c in label_cols or not cell or not grid.is_origin(r, c):
                continue
            key = value_column(cell.text)
            if key and key not in {k for k, _ in value_cols.values()}:
                value_cols[c] = (key, cell.text.strip())
        if value_cols and label_cols:
            return _Layout(family, r, label_cols, unit_col, value_cols)
    return None


def _label_unit(label: str) -> str | None:
    """A unit written into the indicator text itself: 专项经费（万元）."""
    m = re.search(r"[（(]\s*(?:单位[:：]?)?(万元|元)\s*[)）]", label)
    return m.group(1) if m else None


def e0_cells(grid: Grid) -> list[TableCell]:
    """Every cell of an E0 statistics table in the grid, read where a known indicator and a known column meet."""
    lay = _layout(grid)
    if lay is None:
        return []
    out: list[TableCell] = []
    seen: set[str] = set()
    printed_by_key: dict[str, str] = {}
    section: str | None = None
    for r in range(lay.header_row + 1, len(grid.rows)):
        label_cells = distinct([grid.rows[r][c] for c in lay.label_cols if c < len(grid.rows[r])])
        printed = " ".join(c.text.strip() for c in label_cells)
        row = match_row(lay.family, printed, section)
        if row is None:
            continue
        if row.sets_section:
            section = row.sets_section
        if not row.unit or row.key in seen:
            continue
        seen.add(row.key)
        printed_by_key[row.key] = printed
        unit_printed = unit_of(grid.text_at(r, lay.unit_col)) if lay.unit_col is not None else None
        unit = unit_printed or _label_unit(printed) or row.unit
        label = " / ".join(p for p in (printed_by_key.get(row.parent or ""), printed) if p)
        for c, (col_key, col_label) in sorted(lay.value_cols.items()):
            money = unit in MONEY_UNITS
            out.append(
                read_cell(
                    grid,
                    lay.family,
                    ERA,
                    r,
                    c,
                    (row.key, label),
                    (col_key, col_label),
                    set(lay.value_cols),
                    "元" if money else unit,
                    unit if money else None,
                )
            )
    return out


def extract_e0_cells(grids: list[Grid]) -> list[TableCell]:
    """E0 cells of every grid; the first table of a family wins a (family, row, column) key."""
    out: list[TableCell] = []
    taken: set[tuple[str, str, str]] = set()
    for grid in grids:
        for cell in e0_cells(grid):
            key = (cell.table, cell.row_key, cell.col_key)
            if key not in taken:
                taken.add(key)
                out.append(cell)
    return out


def crosswalk_rows() -> list[dict[str, str]]:
    """The dbt seed table_crosswalk rows of the E0 families: one per mapped row, on the year's column only."""
    out: list[dict[str, str]] = []
    for family, rows in ROWS.items():
        position = 0
        for row in rows:
            if row.maps is None:
                continue
            position += 1
            out.append(
                {
                    "table_id": family,
                    "era": ERA,
                    "row_key": row.key,
                    "col_key": YEAR_COLUMN[family],
                    "position": str(position),
                    "conformed_measure": row.maps.measure,
                    "reason": row.maps.reason,
                    "fact_table": row.maps.fact_table,
                    "mapping_confidence": row.maps.confidence,
                    "gloss_zh": row.gloss,
                }
            )
    return out


def sum_identities() -> list[tuple[str, str, tuple[str, ...]]]:
    """(family, total row, part rows) for every row its family defines as the sum of its 其中 rows.

    The dbt macro `e0_sum_identities` lays out the checks from the same list (a test keeps them equal).
    """
    return [
        (family, row.key, tuple(r.key for r in rows if r.parent == row.key))
        for family, rows in ROWS.items()
        for row in rows
        if row.sum_of_children
    ]

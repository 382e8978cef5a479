"""The statutory tables' catalog: every row and column, its stable key, official label, parent and eras.

One owner for all table readers: grid readers (HTML, PDF, DOCX) match a cell's canonical label against
`pattern`; the flattened-text builders find rows by `keys` in a whitespace-free label stream and rebuild
headers from the official labels. Labels are matched on a canonical form (`canon`): NFKC, simplified
characters, no whitespace or punctuation, known typos repaired. Grid patterns are searched in priority
order, most specific first (`T3_MATCH_ORDER`), so `（七）总计` is never read as the 总计 column and `3.其他`
under （六） is never read as the 其他 column. Source: report_formats.md §1 (表二), §2 (表三), §3 (表四).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.normalize import fold

# 〈〉 too: OCR reads the brackets of （一） as angle brackets (a glyph confusion, not a different label).
PUNCT = r"[\s、，,。.．·:：;；“”\"'‘’()（）\[\]【】<>《》〈〉/／\-—_|]"  # a char the canonical form drops
_PUNCT = re.compile(PUNCT + "+")
TYPOS: tuple[tuple[str, str], ...] = (
    ("其他法律行政止公开", "其他法律行政法规禁止公开"),  # seen in a real 2023 PDF
)
BOTH = ("std2019", "std2021")


def folded(text: str) -> str:
    """NFKC + t2s, typos repaired: the canonical text before spaces and punctuation are dropped."""
    text = fold(text)
    for wrong, right in TYPOS:
        text = text.replace(wrong, right)
    return text


def canonical(text: str) -> str:
    """Canonical text: NFKC + t2s, no spaces, line breaks or punctuation, typos repaired.

    ASCII (a row's numbers, a page's dates) goes straight to the punctuation pass: NFKC and t2s leave it
    as it is, the typos are Chinese, and `fold`'s checks cost more than the rest for a short string."""
    return _PUNCT.sub("", text if text.isascii() else folded(text))


canon = lru_cache(maxsize=65536)(canonical)  # labels repeat across cells and documents
folded_text = lru_cache(maxsize=4)(folded)  # a whole report's text, asked for by several era decisions


def in_canonical(*words: str) -> re.Pattern[str]:
    """A search for literal labels (no punctuation in them) in `folded` text that finds them where the
    canonical text would: with any spaces and punctuation between their chars. For a whole report, whose
    canonical text costs more to build (a piece for every space and punctuation run) than this search."""
    assert not any(re.search(PUNCT, w) for w in words), "a label as the canonical text prints it"
    return re.compile("|".join(f"{PUNCT}*".join(map(re.escape, w)) for w in words))


@dataclass(frozen=True)
class Label:
    """A known row or column."""

    key: str
    pattern: re.Pattern[str]  # searched in a grid cell's canonical label
    label: str  # the official label as printed (NFKC)
    eras: tuple[str, ...] = BOTH
    keys: tuple[str, ...] = ()  # regexes found in a flattened text's whitespace-free label stream
    parent: str | None = None  # 表三: "三" or a parent id (`T3_PARENTS`); 表二: the block (第二十条第（x）项)

    @property
    def level(self) -> int:
        """表三 nesting: 1 (一、二、四、), 2 (三、's （一）…（七）), 3 (the numbered rows under a parent)."""
        return 1 if self.parent is None else (2 if self.parent == "三" else 3)


def _l(
    key: str,
    pattern: str,
    label: str,
    *keys: str,
    parent: str | None = None,
    eras: tuple[str, ...] = BOTH,
) -> Label:
    return Label(key, re.compile(pattern), label, eras, keys, parent)


def _ordered(labels: tuple[Label, ...], *keys: str) -> tuple[Label, ...]:
    by_key = {lab.key: lab for lab in labels}
    assert sorted(keys) == sorted(by_key), "a match order names every label once"
    return tuple(by_key[k] for k in keys)


# --- 表三 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parent:
    """A merged 表三 label that carries no numbers of its own (三、本年度办理结果, （三）不予公开 …)."""

    pid: str
    label: str
    pattern: str  # in the flattened label stream; a bare `(三)` still counts when the words are elsewhere


T3_PARENTS: tuple[Parent, ...] = (
    Parent("三", "三、本年度办理结果", r"(?:三[、.,]?)?本年度办理结果"),
    Parent("denied", "(三)不予公开", r"(?:\(三\))?不予公开|\(三\)不?予?"),
    Parent("unavailable", "(四)无法提供", r"(?:\(四\))?无法提供|\(四\)无?法?"),
    Parent("not_processed", "(五)不予处理", r"(?:\(五\))?不予处理|\(五\)不?予?"),
    Parent("other", "(六)其他处理", r"(?:\(六\))?其他处理|\(六\)其?他?"),
)

# 表三 rows in printed order. `other` is （六）其他处理 as one row (2019; the 2021 format splits it in three).
T3_ROWS: tuple[Label, ...] = (
    _l("new", r"本年新收", "一、本年新收政府信息公开申请数量", "本年新收"),
    _l("carried_over", r"上年结转", "二、上年结转政府信息公开申请数量", "上年结转"),
    _l("granted", r"(?<!不)予以公开$|一予以公开", "(一)予以公开", "予以公开", parent="三"),
    _l(
        "partial",
        r"部分公开",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
        "部分公开",
        parent="三",
    ),
    _l("denied.state_secret", r"国家秘密", "1.属于国家秘密", "国家秘密", parent="denied"),
    _l(
        "denied.law_forbidden",
        r"其他法律行政法规禁止公开|法律行政法规禁止",
        "2.其他法律行政法规禁止公开",
        "其他法律",
        "法规禁止",
        "禁止公开",
        parent="denied",
    ),
    _l(
        "denied.three_security",
        r"三安全一稳定",
        "3.危及“三安全一稳定”",
        "三安全",
        "一稳定",
        "危及",
        parent="denied",
    ),
    _l("denied.third_party", r"第三方", "4.保护第三方合法权益", "第三方", "合法权益", parent="denied"),
    _l(
        "denied.internal_affairs",
        r"内部事务",
        "5.属于三类内部事务信息",
        "内部事务",
        "事务信息",
        parent="denied",
    ),
    _l("denied.process_info", r"过程性", "6.属于四类过程性信息", "过程性", parent="denied"),
    _l("denied.enforcement_file", r"执法案卷", "7.属于行政执法案卷", "执法案卷", parent="denied"),
    _l("denied.inquiry", r"查询事项", "8.属于行政查询事项", "查询事项", parent="denied"),
    _l("unavailable.not_held", r"不掌握", "1.本机关不掌握相关政府信息", "不掌握", parent="unavailable"),
    _l(
        "unavailable.need_create",
        r"另行制作",
        "2.没有现成信息需要另行制作",
        "另行制作",
        "没有现成",
        parent="unavailable",
    ),
    _l(
        "unavailable.unclear",
        r"仍不明确|补正后",
        "3.补正后申请内容仍不明确",
        "补正后",
        "仍不明确",
        parent="unavailable",
    ),
    _l(
        "not_processed.petition",
        r"信访|举报投诉",
        "1.信访举报投诉类申请",
        "信访",
        "举报投诉",
        parent="not_processed",
    ),
    _l("not_processed.repeat", r"重复申请", "2.重复申请", "重复申请", parent="not_processed"),
    _l("not_processed.publication", r"出版物", "3.要求提供公开出版物", "出版物", parent="not_processed"),
    _l(
        "not_processed.mass_repeat",
        r"大量反复",
        "4.无正当理由大量反复申请",
        "大量反复",
        "理由大量",
        parent="not_processed",
    ),
    _l(
        "not_processed.confirm",
        r"确认或重新出具|重新出具",
        "5.要求行政机关确认或重新出具已获取信息",
        "确认或重",
        "重新出具",
        "已获取信息",
        parent="not_processed",
    ),
    _l(
        "other.no_correction",
        r"逾期不补正",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        "不补正",
        parent="other",
        eras=("std2021",),
    ),
    _l(
        "other.no_fee",
        r"缴纳费用|收费通知",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "收费通知",
        "缴纳费用",
        parent="other",
        eras=("std2021",),
    ),
    _l(
        "other.other", r"其他处理3其他$|^3其他$", "3.其他", r"3[.、,]?其他", parent="other", eras=("std2021",)
    ),
    _l("other", r"其他处理$", "(六)其他处理", "其他处理", parent="三", eras=("std2019",)),
    _l("total", r"七总计$|^总计$|办理结果总计$", "(七)总计", r"总计|合计", parent="三"),
    _l(
        "carried_forward",
        r"结转下年度|转下年度",
        "四、结转下年度继续办理",
        "结转下年度",
        "转下年度",
        "下年度继续办理",
    ),
)
# Grid cells: most specific first (（三）…8 before 总计, 部分公开 before 予以公开).
T3_MATCH_ORDER = _ordered(
    T3_ROWS,
    "new",
    "carried_over",
    "carried_forward",
    "denied.state_secret",
    "denied.law_forbidden",
    "denied.three_security",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_file",
    "denied.inquiry",
    "unavailable.not_held",
    "unavailable.need_create",
    "unavailable.unclear",
    "not_processed.petition",
    "not_processed.repeat",
    "not_processed.publication",
    "not_processed.mass_repeat",
    "not_processed.confirm",
    "other.no_correction",
    "other.no_fee",
    "other.other",
    "other",
    "total",
    "partial",
    "granted",
)

# 表三 columns (申请人情况) in match order; `T3_COLUMNS` is the printed order.
T3_COLS: tuple[Label, ...] = (
    _l("natural_person", r"自然人", "自然人"),
    _l("commercial", r"商业企业", "商业企业"),
    _l("research", r"科研机构", "科研机构"),
    _l("social_welfare", r"公益组织", "社会公益组织"),
    _l("legal_service", r"法律服务", "法律服务机构"),
    _l("total", r"总计$|合计$", "总计"),
    _l("other_org", r"其他$", "其他"),  # 法人或其他组织·其他
)
# 表三's applicant column keys in the order the official form prints them (自然人 … 其他, 总计).
T3_COLUMN_KEYS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
T3_COLUMNS = tuple(lab.label for lab in _ordered(T3_COLS, *T3_COLUMN_KEYS))
T3_CAPTION = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"

# --- 表四 -------------------------------------------------------------------------------------------------

# Columns: block × result. Header labels are concatenated top-down (行政诉讼 + 复议后起诉 + 结果维持).
T4_BLOCKS: tuple[Label, ...] = (
    _l("after_review", r"复议后起诉", "复议后起诉"),  # 行政诉讼·复议后起诉
    _l("direct", r"直接起诉", "未经复议直接起诉"),  # 行政诉讼·未经复议直接起诉
    _l("review", r"行政复议", "行政复议"),
)
T4_RESULTS: tuple[Label, ...] = (
    _l("upheld", r"维持", "结果维持"),
    _l("corrected", r"纠正", "结果纠正"),
    _l("pending", r"尚未审结|未审结", "尚未审结"),
    _l("other", r"其他结果|其他", "其他结果"),
    _l("total", r"总计|合计", "总计"),
)
T4_RESULT_LABELS = tuple(
    lab.label for lab in _ordered(T4_RESULTS, "upheld", "corrected", "other", "pending", "total")
)

# --- 表二 -------------------------------------------------------------------------------------------------

# Rows, printed order; keys are unique across the blocks (第二十条第（一）（五）（六）（八）（九）项).
T2_ROWS: tuple[Label, ...] = (
    _l("regulations", r"^规章$", "规章", "规章", parent="一"),
    _l(
        "normative_docs",
        r"规范性文件$",
        "行政规范性文件",  # 2019: 规范性文件
        "行政规范性文件",
        "规范性文件",
        parent="一",
    ),
    _l("licensing", r"行政许可$", "行政许可", "行政许可", parent="五"),
    _l(
        "other_services",
        r"其他对外管理服务事项",
        "其他对外管理服务事项",
        "其他对外管理服务事项",
        "对外管理服务",
        parent="五",
        eras=("std2019",),
    ),
    _l("penalty", r"行政处罚$", "行政处罚", "行政处罚", parent="六"),
    _l("compulsion", r"行政强制$", "行政强制", "行政强制", parent="六"),
    _l("admin_fees", r"行政事业性收费$", "行政事业性收费", "行政事业性收费", "事业性收费", parent="八"),
    _l(
        "procurement",
        r"政府集中采购$",
        "政府集中采购",
        "政府集中采购",
        "集中采购",
        parent="九",
        eras=("std2019",),
    ),
)
T2_COLS: tuple[Label, ...] = (
    _l("issued", r"本年制发件数", "本年制发件数", eras=("std2021",)),
    _l("repealed", r"本年废止件数", "本年废止件数", eras=("std2021",)),
    _l("in_force", r"现行有效件数", "现行有效件数", eras=("std2021",)),
    _l("new_made", r"本年新制作数量", "本年新制作数量", eras=("std2019",)),
    _l("new_published", r"本年新公开数量", "本年新公开数量", eras=("std2019",)),
    _l("total_published", r"对外公开总数量", "对外公开总数量", eras=("std2019",)),
    _l("prev_items", r"上一年项目数量", "上一年项目数量", eras=("std2019",)),
    _l("change", r"本年增减|增减", "本年增/减", eras=("std2019",)),  # signed
    _l("fee_amount", r"收费金额", "本年收费金额(单位:万元)", eras=("std2021",)),
    _l("procurement_count", r"采购项目数量", "采购项目数量", eras=("std2019",)),
    _l("procurement_amount", r"采购总金额", "采购总金额", eras=("std2019",)),
    _l("decisions", r"处理决定数量", "处理决定数量"),  # 2021: 本年处理决定数量
)
# The official header of each block, per era, as printed (rebuilt where the words were not found in order).
T2_BLOCK_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "std2021": {
        "一": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "五": ("本年处理决定数量",),
        "六": ("本年处理决定数量",),
        "八": ("本年收费金额(单位:万元)",),
    },
    "std2019": {
        "一": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "五": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "六": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "八": ("上一年项目数量", "本年增/减"),
        "九": ("采购项目数量", "采购总金额"),
    },
}


def match(labels: tuple[Label, ...], text: str) -> Label | None:
    """The first label whose pattern is found in the canonical text."""
    c = canon(text) if text else ""
    if not c:
        return None
    return next((lab for lab in labels if lab.pattern.search(c)), None)


def match_row(labels: tuple[Label, ...], text: str) -> Label | None:
    """`match` for a 表三 row label, None when it names two numbered rows (level 3): a label cell that took in
    the next row's label (a wrapped 没有现成信息需要|另行制作 spilling into 3.补正后申请内容仍不明确's cell)
    cannot say whose values sit beside it, so the row is read as neither."""
    lab = match(labels, text)
    if lab is None or lab.level < 3:
        return lab
    c = canon(text)
    if any(other.level == 3 and other.key != lab.key and other.pattern.search(c) for other in labels):
        return None
    return lab


# What marks each table in a grid (on canonical cell text).
T3_ANCHOR = re.compile(r"本年新收|自然人|商业企业")
T4_ANCHOR = re.compile(r"行政复议")
T4_CONFIRM = re.compile(r"行政诉讼|复议后起诉|直接起诉")
T2_ANCHOR = re.compile(r"第二十条第|信息内容")

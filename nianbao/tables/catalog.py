"""Row and column labels of the statutory tables, per era, with the stable keys we store them under.

Labels are matched on a canonical form (`canon`): NFKC, simplified characters, no whitespace or punctuation,
known typos repaired. Patterns are searched in priority order, most specific first, so `（七）总计` is never
read as the 总计 column and `3.其他` under （六） is never read as the 其他 column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.normalize import normalize

_PUNCT = re.compile(r"[\s、，,。.．·:：;；“”\"'‘’()（）\[\]【】<>《》/／\-—_|]+")
TYPOS: tuple[tuple[str, str], ...] = (
    ("其他法律行政止公开", "其他法律行政法规禁止公开"),  # seen in a real 2023 PDF
)


@lru_cache(maxsize=65536)
def canon(label: str) -> str:
    """Canonical label: NFKC + t2s, no spaces, line breaks or punctuation, typos repaired."""
    text = normalize(label).text
    for wrong, right in TYPOS:
        text = text.replace(wrong, right)
    return _PUNCT.sub("", text)


@dataclass(frozen=True)
class Label:
    key: str
    pattern: re.Pattern[str]
    eras: tuple[str, ...] = ("std2019", "std2021")
    gloss: str = ""


def _l(key: str, pattern: str, gloss: str, eras: tuple[str, ...] = ("std2019", "std2021")) -> Label:
    return Label(key, re.compile(pattern), eras, gloss)


# 表三 rows, most specific first. Canonical labels include the merged parent labels (三本年度办理结果, （三）不予公开 …).
T3_ROWS: tuple[Label, ...] = (
    _l("new", r"本年新收", "一、本年新收政府信息公开申请数量"),
    _l("carried_over", r"上年结转", "二、上年结转政府信息公开申请数量"),
    _l("carried_forward", r"结转下年度|转下年度", "四、结转下年度继续办理"),
    _l("denied.state_secret", r"国家秘密", "（三）1.属于国家秘密"),
    _l(
        "denied.law_forbidden",
        r"其他法律行政法规禁止公开|法律行政法规禁止",
        "（三）2.其他法律行政法规禁止公开",
    ),
    _l("denied.three_security", r"三安全一稳定", "（三）3.危及“三安全一稳定”"),
    _l("denied.third_party", r"第三方", "（三）4.保护第三方合法权益"),
    _l("denied.internal_affairs", r"内部事务", "（三）5.属于三类内部事务信息"),
    _l("denied.process_info", r"过程性", "（三）6.属于四类过程性信息"),
    _l("denied.enforcement_file", r"执法案卷", "（三）7.属于行政执法案卷"),
    _l("denied.inquiry", r"查询事项", "（三）8.属于行政查询事项"),
    _l("unavailable.not_held", r"不掌握", "（四）1.本机关不掌握相关政府信息"),
    _l("unavailable.need_create", r"另行制作", "（四）2.没有现成信息需要另行制作"),
    _l("unavailable.unclear", r"仍不明确|补正后", "（四）3.补正后申请内容仍不明确"),
    _l("not_processed.petition", r"信访|举报投诉", "（五）1.信访举报投诉类申请"),
    _l("not_processed.repeat", r"重复申请", "（五）2.重复申请"),
    _l("not_processed.publication", r"出版物", "（五）3.要求提供公开出版物"),
    _l("not_processed.mass_repeat", r"大量反复", "（五）4.无正当理由大量反复申请"),
    _l("not_processed.confirm", r"确认或重新出具|重新出具", "（五）5.要求行政机关确认或重新出具已获取信息"),
    _l("other.no_correction", r"逾期不补正", "（六）1.申请人无正当理由逾期不补正…", ("std2021",)),
    _l("other.no_fee", r"缴纳费用|收费通知", "（六）2.申请人逾期未按收费通知要求缴纳费用…", ("std2021",)),
    _l("other.other", r"其他处理3其他$|^3其他$", "（六）3.其他", ("std2021",)),
    _l("other", r"其他处理$", "（六）其他处理 (2019: one row)", ("std2019",)),
    _l("total", r"七总计$|^总计$|办理结果总计$", "（七）总计"),
    _l("partial", r"部分公开", "（二）部分公开"),
    _l("granted", r"(?<!不)予以公开$|一予以公开", "（一）予以公开"),
)

T3_COLS: tuple[Label, ...] = (
    _l("natural_person", r"自然人", "自然人"),
    _l("commercial", r"商业企业", "法人或其他组织·商业企业"),
    _l("research", r"科研机构", "法人或其他组织·科研机构"),
    _l("social_welfare", r"公益组织", "法人或其他组织·社会公益组织"),
    _l("legal_service", r"法律服务", "法人或其他组织·法律服务机构"),
    _l("total", r"总计$|合计$", "总计"),
    _l("other_org", r"其他$", "法人或其他组织·其他"),
)

# 表四 columns: block × result. Header labels are concatenated top-down (行政诉讼 + 复议后起诉 + 结果维持).
T4_BLOCKS: tuple[Label, ...] = (
    _l("after_review", r"复议后起诉", "行政诉讼·复议后起诉"),
    _l("direct", r"直接起诉", "行政诉讼·未经复议直接起诉"),
    _l("review", r"行政复议", "行政复议"),
)
T4_RESULTS: tuple[Label, ...] = (
    _l("upheld", r"维持", "结果维持"),
    _l("corrected", r"纠正", "结果纠正"),
    _l("pending", r"尚未审结|未审结", "尚未审结"),
    _l("other", r"其他结果|其他", "其他结果"),
    _l("total", r"总计|合计", "总计"),
)

# 表二 rows and columns. Row keys are unique across the blocks (第二十条第（一）（五）（六）（八）（九）项).
T2_ROWS: tuple[Label, ...] = (
    _l("normative_docs", r"规范性文件$", "（一）行政规范性文件 (2019: 规范性文件)"),
    _l("regulations", r"^规章$", "（一）规章"),
    _l("licensing", r"行政许可$", "（五）行政许可"),
    _l("other_services", r"其他对外管理服务事项", "（五）其他对外管理服务事项", ("std2019",)),
    _l("penalty", r"行政处罚$", "（六）行政处罚"),
    _l("compulsion", r"行政强制$", "（六）行政强制"),
    _l("admin_fees", r"行政事业性收费$", "（八）行政事业性收费"),
    _l("procurement", r"政府集中采购$", "（九）政府集中采购", ("std2019",)),
)
T2_COLS: tuple[Label, ...] = (
    _l("issued", r"本年制发件数", "本年制发件数", ("std2021",)),
    _l("repealed", r"本年废止件数", "本年废止件数", ("std2021",)),
    _l("in_force", r"现行有效件数", "现行有效件数", ("std2021",)),
    _l("new_made", r"本年新制作数量", "本年新制作数量", ("std2019",)),
    _l("new_published", r"本年新公开数量", "本年新公开数量", ("std2019",)),
    _l("total_published", r"对外公开总数量", "对外公开总数量", ("std2019",)),
    _l("prev_items", r"上一年项目数量", "上一年项目数量", ("std2019",)),
    _l("change", r"本年增减|增减", "本年增/减 (signed)", ("std2019",)),
    _l("fee_amount", r"收费金额", "本年收费金额（单位：万元）", ("std2021",)),
    _l("procurement_count", r"采购项目数量", "采购项目数量", ("std2019",)),
    _l("procurement_amount", r"采购总金额", "采购总金额", ("std2019",)),
    _l("decisions", r"处理决定数量", "（本年）处理决定数量"),
)


def match(labels: tuple[Label, ...], text: str) -> Label | None:
    """The first label whose pattern is found in the canonical text."""
    c = canon(text) if text else ""
    if not c:
        return None
    return next((lab for lab in labels if lab.pattern.search(c)), None)


# What marks each table (on canonical cell text).
T3_ANCHOR = re.compile(r"本年新收|自然人|商业企业")
T4_ANCHOR = re.compile(r"行政复议")
T4_CONFIRM = re.compile(r"行政诉讼|复议后起诉|直接起诉")
T2_ANCHOR = re.compile(r"第二十条第|信息内容")
ERA2021 = re.compile(r"逾期不补正|本年制发件数|本年废止件数|现行有效件数")
ERA2019 = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购")

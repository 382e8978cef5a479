"""Who issued a report, for which year, when it was published, and in which format era.

Works on the normalised text (`normalize(raw).text`). Every decided field records the rule that decided it
(`agency_rule`, `province_rule`, `report_year_rule`, `published_on_rule`); a field no rule supports stays
None, because a wrong agency or year costs more downstream than a missing one.

Agency (first rule that yields a valid name wins):
1. `agency.title`: the title line `[名称]YYYY年(度)[名称]政府信息公开(工作)年度报告` (also as a labelled
   field `标题: | …`); a street body `佳荣里街` when the report calls itself 我街/全街.
2. `agency.preamble`: the publication sentence, `现公布宝鸡市凤县人民政府2020年度…报告`,
   `特向社会公布螺洋街道2021年度…`, `现公布中山市自然资源局政府信息公开工作2022年度报告`,
   `汇总2021年度XX镇人民政府的政务公开年度报告`.
3. `agency.compiled_by`: the 编制说明 `本报告由湖北省地震局根据《条例》…编制` (a name with a place only: an
   office compiling for its government, 市政府办公室, is not the issuer).
4. `agency.signature`: the name line right above the closing date line (`亭子坝镇人民政府` / `2015年1月10日`).
5. `agency.subject`: the subject of an opening sentence, `2022年,XX办公室认真贯彻…`.
6. `agency.self_named`: a township that calls itself 我乡/我镇/我苏木 and names exactly one township of that
   kind, twice or before 政府 (`我苏木成立哈日诺尔苏木政府信息公开领导小组`).
7. `agency.source_line`: a `来源:` line under the title; last, because pages often credit the office
   that uploaded the report (开福区行政审批服务局) rather than the body that issued it.
A name must end in an organisation suffix (with at least two characters before it) or be a place from the
gazetteer; 本机关/我局/上级 never name one; a name of level words only (区统计局) is taken from the title and
the publication sentence, where the report names itself, and nowhere else; a parenthetical abbreviation
(`…分局(以下简称…`) is cut off; footer lines (主办, 版权, ICP) are never read, so a hosting site is not
taken for the issuer.

Province: `province.agency` (places inside the agency name, ambiguity settled by the rest of the text; an
ambiguous name with no settling evidence gives none), then `province.index_code` (the 统一社会信用代码 that
opens a page's 索引号 carries the division code of the body), then `province.text` (places named in the
text, when one province clearly dominates), then `province.doc_number` (document numbers opened by an
unambiguous province abbreviation: 湘政办发〔2008〕).

Report year, rule order and why:
1. `report_year.statistics_period` (统计期限自2020年1月1日至2020年12月31日): the report saying what
   period its figures cover is the definition of the covered year.
2. `report_year.cutoff`: figures stated `截至2008年12月31日` (year-end cut-off, every such cut-off in the
   text agreeing, in a sentence that carries a count): this is what the figures cover even when the title
   names another year; early reports were often titled by their publication year (a `2009年度` report
   whose figures run to 2008-12-31). It is ranked above the title for that reason.
3. `report_year.title`: the year in the title line.
4. `report_year.preamble`: `现将我局2014年政府信息公开情况报告如下`.
5. `report_year.lead_year`: a paragraph opening `2023年,` in the first section (weakest: prose years can
   be anything, but the overview opens with the year under review).

Published on: `published_on.label` (发布时间/发布日期/发文日期/日期: a date, also across a page's metadata
table cells or on the line under a `- 发布日期` item), then `published_on.dateline` (a line of the head that
is a date, bare, bracketed `(2010年3月10日)` or followed by a time and source, or a date line signing off
the report). A date before the covered year ends, or more than two years after it, is rejected: it is a
repost or crawl date, not the publication; 采集时间/抓取日期 are not date labels at all.

Format era: table labels decide (本年制发件数 → std2021, 本年新制作数量 → std2019), then the notice numbers
(国办公开办函〔2021〕30号 / 〔2019〕60号); with only the 2019+ section headings the report year breaks
the tie; anything else is pre2019.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from itertools import pairwise

from nianbao import divisions
from nianbao.model import Metadata, Section
from nianbao.tables.era import report_era

_YEAR = r"((?:19|20)\d{2})"
_CJK = r"\u4e00-\u9fff"
_REPORT_WORD = r"(?:政府信息公开|政务公开|信息公开)"

# --- title -------------------------------------------------------------------------------------------
REPORT_TITLE = re.compile(rf"{_REPORT_WORD}(?:工作)?(?:年度)?(?:情况)?(?:的)?(?:年度)?(?:工作)?报告")
# A title given as a labelled field of a page's metadata table (`标题: | 林业局2008年…报告 | ||`).
_TITLE_LABEL = re.compile(r"^(?:标题|题目|名称|文章标题)[:：]\|?")
_TITLE_PARTS = re.compile(
    rf"^(?:关于)?(?P<pre>.*?)(?:关于)?{_YEAR}年(?:度)?(?:的)?(?P<mid>.*?){_REPORT_WORD}"
)

# --- agency -------------------------------------------------------------------------------------------
_NAME = rf"[{_CJK}()]{{2,40}}?"
# The publication sentence names the body whose report this is: `现公布区统计局2023年政府信息公开…`,
# `特向社会公布螺洋街道2021年度信息公开年度报告`, `现公布中山市自然资源局政府信息公开工作2022年度报告`.
_PUBLISH_VERB = r"(?:(?:现|特|兹)(?:向社会)?(?:予以|予)?(?:公布|发布)|特此公布|现将)"
_PREAMBLE_PATTERNS = (
    re.compile(rf"{_PUBLISH_VERB}(?P<name>{_NAME})(?:{_YEAR}年度?)?(?:的)?{_REPORT_WORD}"),
    re.compile(
        rf"{_YEAR}年度?(?:的)?(?P<name>{_NAME})(?:的)?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告"
    ),
)
# The 编制说明 naming who compiled it: `本报告由湖北省地震局根据《条例》…编制`, `由北京市文化局编制的…报告`.
# The compiler may be an office compiling for its government, so only a name with a place is taken here.
_COMPILED_BY = re.compile(
    rf"本(?:年度)?报告[^。\n]{{0,80}}?由(?P<name>{_NAME})(?:根据|按照|依据|依照|编制|汇总|负责)"
)
# A parenthetical abbreviation ends a name: `某某市某某局某某分局(以下简称某局)` is the 分局.
_ABBREVIATION = re.compile(r"[(（](?:以下)?(?:简称|称)")
# A signature: the body's name on a line of its own, then the date line (`亭子坝镇人民政府` / `2015年1月10日`).
_SIGNATURE_NAME = re.compile(rf"^[{_CJK}()]{{3,30}}$")
_SUBJECT = re.compile(
    rf"(?:^|[。\n])\s*(?:{_YEAR}年(?:度)?(?:以来)?[,，]\s*(?:在[^,，。\n]{{2,40}}[,，]\s*)*|(?:在[^,，。\n]{{2,40}}[,，]\s*)+)"
    rf"(?P<name>[{_CJK}]{{2,30}}?)(?:的)?(?:政务公开|政府信息公开|信息公开)?(?:工作)?"
    r"(?:认真|坚持|严格|高度重视|全面|深入|紧紧围绕|紧扣|扎实|积极|按照|根据|不断|始终|进一步|持续|大力|切实|以)"
)
_SOURCE = re.compile(r"(?:信息)?来源\s*[:：]\s*(?P<name>[^\s|]{2,30})")
_FOOTER = re.compile(r"主办|承办|版权|Copyright|ICP|备案|网站标识码|技术支持|公网安备", re.I)
# A name that opens with a pronoun or a relation names no body of its own (本机关, 全县各部门, 上级机关).
_PRONOUN = re.compile(r"^(?:本|我|该|全|各|其|此|贵|某|上级|上述|下属|下级|所属|相关|有关|以上|以下)")
# A name that opens with a bare level word (区统计局, 县政府办公室) is generic: taken only where the report
# names itself with it (title, publication sentence), unless a place starts so (市中区, 县城关镇).
_LEVEL_WORD = re.compile(r"^[省市县区镇乡州盟旗街]")
# Name endings of a department (a 局/委/办/厅/中心 of any level), longest first.
_DEPT_SUFFIXES = (
    "人民政府办公室",
    "政府办公室",
    "管理委员会",
    "委员会",
    "管委会",
    "办公室",
    "办公厅",
    "中心",
    "局",
    "委",
    "办",
    "厅",
    "院",
    "所",
    "站",
    "队",
    "处",
    "部",
    "会",
    "馆",
    "社",
    "公司",
    "集团",
)
_TOWNSHIP_SUFFIXES = ("街道办事处", "街道办", "街道", "民族乡", "镇", "乡", "苏木")
# How a township-level report refers to itself (我乡, 我苏木, 全街); 街 alone names a street body in Tianjin
# (佳荣里街) and is taken only when the report calls itself so.
_SELF_TOWNSHIP = re.compile(r"(?:我|本|全)(街道|街|镇|乡|苏木)(?![长委党办])")
# Words that can sit right before a township's name in a sentence (我苏木成立哈日诺尔苏木…领导小组).
_NAME_OPENERS = re.compile(
    r"(?:成立|建立|设立|通过|利用|依托|制定|印发|按照|根据|在|由|对|向|为|是|与|和|及|将|把)$"
)
_GOV_SUFFIXES = ("人民政府", "行政公署", "政府")
_ALL_SUFFIXES = tuple(sorted(_DEPT_SUFFIXES + _TOWNSHIP_SUFFIXES + _GOV_SUFFIXES, key=len, reverse=True))
_SELF_DEPT = re.compile(r"(?:我|本)(?:局|委|厅|中心|办(?![法理事公]))(?!长)")
_SELF_LEVEL = {"县": "county", "镇": "township", "乡": "township", "街道": "township", "省": "province"}

# --- year ---------------------------------------------------------------------------------------------
_STAT_PERIOD = re.compile(
    rf"(?:统计|所列数据)[^。\n]{{0,20}}?{_YEAR}\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|-|—|~|－)\s*"
    rf"(?:{_YEAR}\s*年\s*)?12\s*月\s*31\s*日"
)
_STAT_YEAR_ONLY = re.compile(rf"统计(?:期限|时限|期间|周期)\s*[为是:：]?\s*{_YEAR}\s*年(?:度)?(?![\d月])")
_CUTOFF = re.compile(rf"截[至止](?:到)?\s*{_YEAR}\s*年\s*(?:12\s*月\s*(?:31\s*日|底|末)|年?底|年?末)")
_COUNT = re.compile(r"\d+\s*(?:条|件|个|项|次|人次)")
_PREAMBLE_YEAR = re.compile(rf"{_YEAR}\s*年度?[^,，。\n]{{0,30}}?{_REPORT_WORD}[^,，。\n]{{0,12}}?报告")
_LEAD_YEAR = re.compile(rf"(?:^|\n)\s*{_YEAR}\s*年(?:度)?(?:以来)?[,，]")

# --- dates --------------------------------------------------------------------------------------------
_DATE = rf"{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})(?!\d)"
# A date label; 抓取时间/采集日期/转载于 are not (their 时间 follows another word, hence the look-behind).
_DATE_LABEL = r"(?<![\u4e00-\u9fff])(?:(?:发布|发表|公开|公布|成文|发文)(?:时间|日期|于)|日期|时间)"
# `发布日期:2019-03-28`, `发文日期: | 2009-02-27 15:19:45` (a page's metadata table).
_LABELLED_DATE = re.compile(rf"{_DATE_LABEL}\s*[:：]?\s*\|?\s*{_DATE}")
# The label and its value on two lines of a flattened list (`- 发布日期` / `- 2011-03-31`).
_LABEL_LINE = re.compile(rf"^[-·•*\s]*{_DATE_LABEL}\s*[:：]?\s*$")
_VALUE_LINE = re.compile(rf"^[-·•*\s]*{_DATE}\s*日?(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*$")
# A line that is only a date, bare or in brackets (`2015年1月10日`, `(2010年3月10日)`).
_DATELINE = re.compile(rf"^\s*[(（]?\s*{_DATE}\s*日?\s*[)）]?\s*$", re.M)
# A page's date line under the title: the date, perhaps a time, perhaps the source or author after it
# (`2023-01-16 16:50:00 来源: 荔浦市政府`).
_HEAD_DATELINE = re.compile(
    rf"^\s*[(（]?\s*{_DATE}\s*日?\s*[)）]?(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    r"\s*(?:(?:信息)?来源|作者|发布者|浏览|点击|阅读|字号)?(?:[:：].*)?$"
)

# Province abbreviations that open provincial document numbers and mean one province only (吉 is also
# 吉安, 宁 南京, 青 青岛, 新 新乡, 云 云浮, 内 内江, 鄂 alone also 鄂尔多斯 with 府, hence the 府 exclusion).
_DOC_ABBREV = {
    "京": "北京市",
    "津": "天津市",
    "冀": "河北省",
    "晋": "山西省",
    "辽": "辽宁省",
    "黑": "黑龙江省",
    "沪": "上海市",
    "苏": "江苏省",
    "浙": "浙江省",
    "皖": "安徽省",
    "闽": "福建省",
    "赣": "江西省",
    "鲁": "山东省",
    "豫": "河南省",
    "鄂": "湖北省",
    "湘": "湖南省",
    "粤": "广东省",
    "桂": "广西壮族自治区",
    "琼": "海南省",
    "渝": "重庆市",
    "黔": "贵州省",
    "滇": "云南省",
    "藏": "西藏自治区",
    "陕": "陕西省",
}
_DOC_NUMBER = re.compile(
    rf"(?<![{_CJK}])([{''.join(_DOC_ABBREV)}])(?!府)[{_CJK}]{{1,6}}[〔\[(]{_YEAR}[〕\])]\s*\d+\s*号"
)


# A page's 索引号 that opens with the publishing body's 统一社会信用代码: 11/12 (机关/事业单位), then the
# six-digit division code of where it is registered (1133068200259085XF → 330682, 绍兴 上虞, 浙江省).
_CREDIT_CODE = re.compile(
    r"(?:索引号|统一社会信用代码)\s*[:：]?\s*\|?\s*1[1-9](\d{6})[0-9A-Z]{10}(?![0-9A-Z])"
)


def extract_metadata(text: str, sections: list[Section]) -> Metadata:
    """Fill every Metadata field that a rule supports; see the module docstring for the rule order."""
    md = Metadata()
    title = _find_title(text, sections)
    md.title = title
    agency, agency_rule = _find_agency(text, sections, title)
    if agency:
        agency = _fuller_name(agency, text)
    md.agency, md.agency_rule = agency, agency_rule
    md.admin_level = _admin_level(agency, text)
    md.province, md.province_rule = _province(agency, text)
    md.report_year, md.report_year_rule, md.report_year_evidence = _report_year(text, sections, title)
    md.published_on, md.published_on_rule = _published_on(text, md.report_year, sections)
    md.format_era = _format_era(text, sections, md.report_year)
    return md


# --- title ----------------------------------------------------------------------------------------------


def _head(text: str, sections: list[Section], limit: int = 1500) -> str:
    """The text before the first numbered section (title, dateline, 编制说明), capped at `limit` chars."""
    end = next((s.start for s in sections if s.key != "preamble"), len(text))
    return text[: min(end, limit)]


_WHITESPACE = re.compile(r"\s+")


def _find_title(text: str, sections: list[Section]) -> str | None:
    """The first short line of the head that reads like a report title and names a year.

    A title broken over two lines (PDF covers: `洪泽区人民政府` / `2023年政府信息公开工作年度报告`) is joined
    when the year line names no body and the line above it is a short name with no punctuation.
    """
    previous = ""
    for line in _head(text, sections).split("\n"):
        compact = _WHITESPACE.sub("", line)
        if not compact:
            continue
        if len(compact) > 70 or "。" in compact:
            previous = ""
            continue
        compact = _TITLE_LABEL.sub("", compact).strip("|")
        if REPORT_TITLE.search(compact) and re.search(rf"{_YEAR}年", compact):
            if re.match(r"(?:根据|按照|依据|本|现将|现公布|我)", compact) or compact.endswith((":", "：")):
                continue  # a sentence about the report, not its title
            if re.match(rf"{_YEAR}年", compact) and previous and len(previous) <= 25:
                return previous + compact
            return compact
        previous = "" if re.search(r"[,，:：;；、]", compact) else compact
    return None


# --- agency ---------------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    """Trim a captured name to the body it names."""
    name = _ABBREVIATION.split(name)[0]  # 某分局(以下简称某局 → 某分局
    # XX办公室关于印发|XX县|2019年…报告的通知: the body the report is about comes after 关于印发.
    name = re.split(r"关于(?:印发|公布|发布)?", name)[-1]
    name = name.strip(" ()（）的")
    name = re.sub(r"^中共", "", name)
    if name.endswith("人民"):  # 县人民|政府信息公开: the 政府 went to the report word
        name += "政府"
    return name


def _valid_agency(name: str, generic_ok: bool = False) -> bool:
    """A plausible body name: the right length, not a self-reference, a place or an organisation suffix.

    `generic_ok` admits a department named by level only (区统计局), for the places where the report
    names itself that way (its title, its publication sentence); elsewhere such a name is as likely to
    be another body (县政府办公室 forwarding the report, 市统计局 as the supervising office).
    """
    if not 2 <= len(name) <= 40:
        return False
    if re.search(r"\d|年|报告|情况|条例|通知|信息公开|政务公开", name) or name.endswith("工作"):
        return False
    mentions = divisions.find_mentions(name)
    starts_with_place = (
        bool(mentions) and mentions[0].start == 0 and (mentions[0].full or mentions[0].weight > 0)
    )
    if _PRONOUN.match(name) and not starts_with_place:
        return False  # 本机关, 全县各部门, 上级机关
    if (
        _LEVEL_WORD.match(name)
        and not starts_with_place
        and not (generic_ok and name.endswith(_DEPT_SUFFIXES))
    ):
        return False  # 县政府办公室, 市政务服务中心: only a level, no place
    suffix = next((s for s in _ALL_SUFFIXES if name.endswith(s)), None)
    if suffix:
        return len(name) - len(suffix) >= 2  # 政府, 县政府: a suffix with nothing to name
    return bool(mentions) and mentions[-1].full and mentions[-1].end == len(name)


def _find_agency(text: str, sections: list[Section], title: str | None) -> tuple[str | None, str | None]:
    """The first rule that yields a valid name wins; see the module docstring for the order and why."""
    if title:
        m = _TITLE_PARTS.search(title)
        if m:
            for part in (m.group("pre"), m.group("mid")):
                name = _clean_name(part)
                if _valid_agency(name, generic_ok=True) or _self_street(name, text):
                    return name, "agency.title"
    head = _head(text, sections, limit=2000)
    for i, pattern in enumerate(_PREAMBLE_PATTERNS):
        for m in pattern.finditer(head):
            name = _clean_name(m.group("name"))
            if _valid_agency(name, generic_ok=i == 0):
                return name, "agency.preamble"
    for m in _COMPILED_BY.finditer(head):
        name = _clean_name(m.group("name"))
        if _valid_agency(name):
            return name, "agency.compiled_by"
    name = _signature(text)
    if name:
        return name, "agency.signature"
    body_start = text[:3000]
    for m in _SUBJECT.finditer(body_start):
        name = _clean_name(m.group("name"))
        if _valid_agency(name):
            return name, "agency.subject"
    name = _self_named_township(text)
    if name:
        return name, "agency.self_named"
    for line in head.split("\n")[:8]:
        if _FOOTER.search(line):
            continue
        m = _SOURCE.search(line)
        if m:
            name = _clean_name(m.group("name"))
            if _valid_agency(name):
                return name, "agency.source_line"
    return None, None


def _self_street(name: str, text: str) -> bool:
    """`佳荣里街` in a title is a street body when the report calls itself 我街/全街/本街."""
    return (
        len(name) >= 3
        and name.endswith("街")
        and not _PRONOUN.match(name)
        and any(m.group(1) == "街" for m in _SELF_TOWNSHIP.finditer(text))
    )


def _signature(text: str) -> str | None:
    """The name line right above the closing date line, among the last lines of the text."""
    lines: list[str] = []  # the last 8 non-blank lines, whitespace removed (read from the end)
    for ln in reversed(text.split("\n")):
        if c := _WHITESPACE.sub("", ln):
            lines.append(c)
            if len(lines) == 8:
                break
    lines.reverse()
    for name_line, date_line in reversed(list(pairwise(lines))):
        if not _SIGNATURE_NAME.match(name_line) or not _DATELINE.match(date_line):
            continue
        name = _clean_name(name_line)
        if _valid_agency(name):
            return name
    return None


def _self_named_township(text: str) -> str | None:
    """A township that calls itself 我乡/我苏木 and names exactly one township of that kind: that one.

    `我乡 … 《上营乡信息公开保密审查机制》 … 上营乡微信公众号`; `我苏木成立哈日诺尔苏木政府信息公开领导小组`.
    The name must be written at least twice or before 政府, and no other township of the same kind may
    be named (a report that mentions a neighbour gives no answer).
    """
    levels = Counter(m.group(1) for m in _SELF_TOWNSHIP.finditer(text) if m.group(1) != "街")
    if not levels:
        return None
    level, n = levels.most_common(1)[0]
    if n < 2:
        return None
    found: Counter[str] = Counter()
    before_gov: set[str] = set()
    for m in re.finditer(
        rf"(?<=[{_CJK}])(?<![我本全该各此每其])(?={re.escape(level)}(?![村长级民间亲里]))", text
    ):
        run = re.search(rf"[{_CJK}]{{1,10}}$", text[max(0, m.start() - 10) : m.start()])
        if not run:
            continue
        stems = [
            run.group(0)[-k:]
            for k in (2, 3, 4)
            if k <= len(run.group(0))
            and (k == len(run.group(0)) or _NAME_OPENERS.search(run.group(0)[:-k]))
            and not _NAME_OPENERS.search(run.group(0)[-k:])
            and not _PRONOUN.match(run.group(0)[-k:])
        ]
        if len(stems) != 1:
            continue
        found[stems[0]] += 1
        if text.startswith(("人民政府", "政府"), m.start() + len(level)):
            before_gov.add(stems[0])
    if len(found) != 1:
        return None
    stem, count = found.most_common(1)[0]
    return stem + level if count >= 2 or stem in before_gov else None


def _fuller_name(agency: str, text: str) -> str:
    """Prefix the parent place when the text writes it right before the agency (长沙市 + 开福区)."""
    inner = divisions.find_mentions(agency)
    if not inner or inner[0].start != 0:
        return agency
    first = inner[0]
    parents = {d.prefecture for d in first.candidates} | {d.province for d in first.candidates}
    best = agency
    at = text.find(agency)  # each place the text prints it (a str.find: no regex compiled for each agency)
    while at >= 0:
        before = divisions.find_mentions(text[max(0, at - 12) : at])
        if before and before[-1].full and before[-1].end == min(12, at):
            prefix = before[-1].surface
            if any(d.name == prefix for d in before[-1].candidates) and prefix in parents:
                candidate = prefix + agency
                if len(candidate) > len(best):
                    best = candidate
        at = text.find(agency, at + len(agency))
    return best


# --- admin level ----------------------------------------------------------------------------------------


def _strip_suffixes(name: str, suffixes: tuple[str, ...]) -> str:
    for suf in suffixes:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


def _admin_level(agency: str | None, text: str) -> str | None:
    """Level of the issuing body: from its name, else from how the report refers to itself (我局 …)."""
    if agency:
        if agency.endswith(("人民政府办公室", "政府办公室")):
            return "department"
        core = _strip_suffixes(agency, _GOV_SUFFIXES)
        if core.endswith(_TOWNSHIP_SUFFIXES) or (core.endswith("街") and core == agency):
            return "township"
        if core.endswith(_DEPT_SUFFIXES) and core == agency:
            return "department"
        level = divisions.level_of(core)
        if level:
            return level
        for suf, lvl in (
            ("自治区", "province"),
            ("省", "province"),
            ("自治州", "prefecture"),
            ("地区", "prefecture"),
            ("盟", "prefecture"),
            ("州", "prefecture"),
            ("县", "county"),
            ("区", "county"),
            ("旗", "county"),
        ):
            if core.endswith(suf):
                return lvl
    return _self_reference_level(text)


def _self_reference_level(text: str) -> str | None:
    """我局/本委 → department; 我县 → county; 我镇 → township; 我市/我区 stay open (two levels each)."""
    counts: Counter[str] = Counter()
    counts["department"] = len(_SELF_DEPT.findall(text))
    for m in re.finditer(r"(?:我|本)(县|镇|乡|街道|省)(?![长委])", text):
        counts[_SELF_LEVEL[m.group(1)]] += 1
    if not counts or max(counts.values()) == 0:
        return None
    (top, n), *rest = counts.most_common()
    if rest and rest[0][1] * 2 > n:
        return None  # mixed self-references: no clear answer
    return top


# --- province -------------------------------------------------------------------------------------------


def _province(agency: str | None, text: str) -> tuple[str | None, str | None]:
    if agency:
        p = divisions.province_of(agency, context=text)
        if p:
            return p, "province.agency"
    codes = {divisions.province_of_code(m.group(1)) for m in _CREDIT_CODE.finditer(text[:3000])}
    if len(codes) == 1 and None not in codes:
        return codes.pop(), "province.index_code"
    votes = divisions.province_votes(text)
    if votes:
        ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
        top, weight = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        if weight >= 1.0 and weight >= 2 * runner and weight / sum(votes.values()) >= 0.6:
            return top, "province.text"
    abbrevs = Counter(_DOC_ABBREV[m.group(1)] for m in _DOC_NUMBER.finditer(text))
    if len(abbrevs) == 1:
        return next(iter(abbrevs)), "province.doc_number"
    return None, None


# --- report year ----------------------------------------------------------------------------------------


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    ends = [e for e in (text.find("。", pos), text.find("\n", pos)) if e != -1]
    return text[start : min(ends) if ends else len(text)]


def _report_year(
    text: str, sections: list[Section], title: str | None
) -> tuple[int | None, str | None, str | None]:
    for m in _STAT_PERIOD.finditer(text):
        start, end = int(m.group(1)), int(m.group(2) or m.group(1))
        if start == end:
            return start, "report_year.statistics_period", m.group(0)
    m = _STAT_YEAR_ONLY.search(text)
    if m:
        return int(m.group(1)), "report_year.statistics_period", m.group(0)
    cutoffs = [(int(m.group(1)), m) for m in _CUTOFF.finditer(text)]
    years = {y for y, _ in cutoffs}
    if len(years) == 1:
        year, m = cutoffs[0]
        with_count = [mm for _, mm in cutoffs if _COUNT.search(_sentence_at(text, mm.end()))]
        if with_count:
            return year, "report_year.cutoff", with_count[0].group(0)
    if title:
        m = re.search(rf"{_YEAR}\s*年", title)
        if m:
            return int(m.group(1)), "report_year.title", title
    head = _head(text, sections, limit=2000)
    m = _PREAMBLE_YEAR.search(head)
    if m:
        return int(m.group(1)), "report_year.preamble", m.group(0)
    first = next((s for s in sections if s.key != "preamble"), None)
    scope = text[first.start : first.end] if first else text[:2000]
    m = _LEAD_YEAR.search(scope[:1500])
    if m:
        return int(m.group(1)), "report_year.lead_year", m.group(0).strip()
    return None, None, None


# --- publication date -----------------------------------------------------------------------------------


def _to_date(y: str, mo: str, d: str) -> date | None:
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _plausible(d: date, report_year: int | None) -> bool:
    """Published after the covered year ends and within two years of it; else a repost or crawl date."""
    if report_year is None:
        return 2000 <= d.year <= date.today().year
    return date(report_year + 1, 1, 1) <= d <= date(report_year + 2, 12, 31)


def _published_on(
    text: str, report_year: int | None, sections: list[Section]
) -> tuple[str | None, str | None]:
    """A labelled date in the page header or sign-off, else a date line under the title or closing the text.

    Every candidate passes `_plausible`, so a repost or crawl date (years after the covered year) is
    never taken, whichever rule offers it.
    """
    all_lines = [ln.strip() for ln in text.split("\n")]
    for lines in (all_lines[:15], all_lines[15:][-10:]):  # page header and sign-off, not the body
        for i, line in enumerate(lines):
            if _FOOTER.search(line):
                continue
            found = [(m.group(1), m.group(2), m.group(3)) for m in _LABELLED_DATE.finditer(line)]
            if _LABEL_LINE.match(line) and i + 1 < len(lines) and (v := _VALUE_LINE.match(lines[i + 1])):
                found.append((v.group(1), v.group(2), v.group(3)))
            for y, mo, d in found:
                day = _to_date(y, mo, d)
                if day and _plausible(day, report_year):
                    return day.isoformat(), "published_on.label"
    lines = [ln for ln in all_lines if ln]
    head_lines = [ln for ln in _head(text, sections).split("\n") if ln.strip()][:12]
    for candidates, pattern in ((head_lines, _HEAD_DATELINE), (lines[-4:], _DATELINE)):
        for ln in candidates:
            m = pattern.match(ln)
            if m:
                d = _to_date(m.group(1), m.group(2), m.group(3))
                if d and _plausible(d, report_year):
                    return d.isoformat(), "published_on.dateline"
    return None, None


# --- format era -----------------------------------------------------------------------------------------


def _format_era(text: str, sections: list[Section], report_year: int | None) -> str:
    """The one era decision (`tables.era.report_era`): table labels, notices, headings, then the year."""
    return report_era(text, [s.heading for s in sections], report_year)

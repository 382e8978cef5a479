"""表二/表三/表四 rebuilt from text where the tables were flattened into lines.

Why: many reports reach us only as text — scraped pages whose table rows became `a | b | c` lines (or
one cell per line), and PDF text layers whose rows became `label v1 … v7`, with labels broken across
lines, vertical labels one character per line, numbers printed on the line before or after their label,
jumbled header words and page numbers in between. Counting numbers in such text shifts every value
after the first irregular row, so rows are rebuilt from their LABELS instead:

1. Lines are cut into label text and runs of value tokens (numbers, `/`, `-`, `—`; page-number lines
   such as `- 3 -` or `第 3 页` are dropped first and never read as values). Pipe lines are cut into
   cells: `a | b |` (each cell closed by a pipe) or `a | b` (cells separated; a final pipe opens an
   empty last cell), whichever the document uses; a line of bare pipes after a row is the scraper's
   rendering of that row's hidden merged cells. Lines that each hold one value are one cell per line.
2. The label text of a table region is joined into one stream without whitespace and line breaks, and
   the known row labels are found in it in their official order (tolerant keys, so `其他法律行政止公开`
   or `内容事务` still match); merged parent labels (（三）不予公开 …) and vertical labels are recognised
   so they do not leak into the row labels.
3. Each run of numbers is attached to the label it belongs to by line adjacency: a run on the line of
   its label binds to it; the remaining runs and labels are paired by an order-preserving alignment
   that minimises line distance, a run just above a label winning a tie (PDF layers print the numbers
   of a one-line label slightly higher). Cells in reading order (pipes, one cell per line) bind to the
   label cell before them.
4. A row whose run does not hold exactly the expected number of values is emitted as ONE text cell
   over all its value columns (the raw run as written): nothing is shifted, nothing is guessed.

Output grids follow the official layouts (`report_formats.md`) so `tables.cells` can map header rows to
column keys and label cells to row keys. Value cells carry `span_start`/`span_end` with
`text[span_start:span_end] == cell.text` and `source="text:<start>-<end>"`. Label cells hold the label
as written with whitespace removed; their span is the label's extent (it may enclose numbers printed
inside a broken label). Header cells rebuilt in official order have no span.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nianbao.tables.grid import Cell, Grid, from_cells

# A value token as printed: integers (with thousands commas), decimals, signed changes (`+1036`), money
# with an inline unit (`251000元`), and not-applicable marks.
_VALUE = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元)?|[/\\]|[-—–－]{1,2}")
_PAGE = re.compile(
    r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*,?\s*第\s*\d{1,4}\s*页"
)
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}[、.,]")
_T3_ROW_WORDS = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|转下年度")
_T3_START = re.compile(r"^(?:一[、.,]?)?本年新收")
_T3_TITLE = re.compile(r"收到和处理|申请情况$")
_T2_START = re.compile(r"^(?:第二十条|信息内容)")
_T4_START = re.compile(r"^行政复议")
_PROSE_LINE = 40  # a line this long with a full stop is prose: it ends a table region
_MAX_GAP = 12  # lines allowed between two consecutive row labels of one table
_HEADER_LOOKBACK = 30  # lines searched above the first 表三 row for its header
_SKIP = 1.5  # alignment cost of leaving a label without numbers, or numbers without a label
_MAX_DIST = 2.5  # farthest (in lines, with the tie-break) a run may sit from its label

THREE = "三、本年度办理结果"
T3_CAPTION = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


# --------------------------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class RowSpec:
    """A known row: its key (as in `tables.catalog`), official label (NFKC), key phrases and parent."""

    key: str
    label: str
    keys: tuple[str, ...]  # regexes searched in the whitespace-free label stream
    parent: str | None = None  # "三" for level-2 rows, a level-2 parent id for level-3 rows
    level: int = 1


@dataclass(frozen=True)
class ParentSpec:
    """A merged label that carries no numbers of its own (三、本年度办理结果, （三）不予公开 …)."""

    pid: str
    label: str
    pattern: str


T3_PARENTS: tuple[ParentSpec, ...] = (
    ParentSpec("三", "三、本年度办理结果", r"(?:三[、.,]?)?本年度办理结果"),
    ParentSpec("denied", "(三)不予公开", r"(?:\(三\))?不予公开|\(三\)不?予?"),
    ParentSpec("unavailable", "(四)无法提供", r"(?:\(四\))?无法提供|\(四\)无?法?"),
    ParentSpec("not_processed", "(五)不予处理", r"(?:\(五\))?不予处理|\(五\)不?予?"),
    ParentSpec("other", "(六)其他处理", r"(?:\(六\))?其他处理|\(六\)其?他?"),
)
_PARENT_LABEL = {p.pid: p.label for p in T3_PARENTS}


def _r(key: str, label: str, *keys: str, parent: str | None = None) -> RowSpec:
    level = 1 if parent is None else (2 if parent == "三" else 3)
    return RowSpec(key, label, keys, parent, level)


T3_ROWS: tuple[RowSpec, ...] = (
    _r("new", "一、本年新收政府信息公开申请数量", "本年新收"),
    _r("carried_over", "二、上年结转政府信息公开申请数量", "上年结转"),
    _r("granted", "(一)予以公开", "予以公开", parent="三"),
    _r("partial", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开", parent="三"),
    _r("denied.state_secret", "1.属于国家秘密", "国家秘密", parent="denied"),
    _r(
        "denied.law_forbidden",
        "2.其他法律行政法规禁止公开",
        "其他法律",
        "法规禁止",
        "禁止公开",
        parent="denied",
    ),
    _r("denied.three_security", "3.危及“三安全一稳定”", "三安全", "一稳定", "危及", parent="denied"),
    _r("denied.third_party", "4.保护第三方合法权益", "第三方", "合法权益", parent="denied"),
    _r("denied.internal_affairs", "5.属于三类内部事务信息", "内部事务", "事务信息", parent="denied"),
    _r("denied.process_info", "6.属于四类过程性信息", "过程性", parent="denied"),
    _r("denied.enforcement_file", "7.属于行政执法案卷", "执法案卷", parent="denied"),
    _r("denied.inquiry", "8.属于行政查询事项", "查询事项", parent="denied"),
    _r("unavailable.not_held", "1.本机关不掌握相关政府信息", "不掌握", parent="unavailable"),
    _r("unavailable.need_create", "2.没有现成信息需要另行制作", "另行制作", "没有现成", parent="unavailable"),
    _r("unavailable.unclear", "3.补正后申请内容仍不明确", "补正后", "仍不明确", parent="unavailable"),
    _r("not_processed.petition", "1.信访举报投诉类申请", "信访", "举报投诉", parent="not_processed"),
    _r("not_processed.repeat", "2.重复申请", "重复申请", parent="not_processed"),
    _r("not_processed.publication", "3.要求提供公开出版物", "出版物", parent="not_processed"),
    _r(
        "not_processed.mass_repeat",
        "4.无正当理由大量反复申请",
        "大量反复",
        "理由大量",
        parent="not_processed",
    ),
    _r(
        "not_processed.confirm",
        "5.要求行政机关确认或重新出具已获取信息",
        "确认或重",
        "重新出具",
        "已获取信息",
        parent="not_processed",
    ),
    _r(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        "不补正",
        parent="other",
    ),
    _r(
        "other.no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "收费通知",
        "缴纳费用",
        parent="other",
    ),
    _r("other.other", "3.其他", r"3[.、,]?其他", parent="other"),
    _r("other", "(六)其他处理", "其他处理", parent="三"),  # 2019 layout (and some later reports): one row
    _r("total", "(七)总计", r"总计|合计", parent="三"),
    _r("carried_forward", "四、结转下年度继续办理", "结转下年度", "转下年度", "下年度继续办理"),
)
_T3_HEADER_WORDS = re.compile(
    r"\(?本列数据的勾稽关系[^)]*\)?|申请人情况|法人或其他组织|自然人|商业企业|科研机构|社会公益组织|法律服务机构"
)
_T3_SUBROWS = re.compile(r"逾期不补正|收费通知|缴纳费用")

T2_ROWS: tuple[RowSpec, ...] = (
    _r("regulations", "规章", "规章"),
    _r("normative_docs", "行政规范性文件", "行政规范性文件", "规范性文件"),
    _r("licensing", "行政许可", "行政许可"),
    _r("other_services", "其他对外管理服务事项", "其他对外管理服务事项", "对外管理服务"),
    _r("penalty", "行政处罚", "行政处罚"),
    _r("compulsion", "行政强制", "行政强制"),
    _r("admin_fees", "行政事业性收费", "行政事业性收费", "事业性收费"),
    _r("procurement", "政府集中采购", "政府集中采购", "集中采购"),
)
_T2_CAPTION = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,2})\)?项")
_T2_COLUMN = re.compile(
    r"本年制发件数|本年废止件数|现行有效件数|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量"
    r"|本年增/?减|(?:本年)?处理决定数量|本年收费金额(?:\((?:单位:)?万?元\))?|采购项目数量"
    r"|采购总金额(?:\([^)]{0,8}\))?"
)
# Official 表二 columns per block and era, for blocks whose header words were not found contiguously.
_T2_OFFICIAL: dict[str, dict[str, tuple[str, ...]]] = {
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
_T2_BLOCK_OF_ROW = {
    "regulations": "一",
    "normative_docs": "一",
    "licensing": "五",
    "other_services": "五",
    "penalty": "六",
    "compulsion": "六",
    "admin_fees": "八",
    "procurement": "九",
}
_T2_2019 = re.compile(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量|政府集中采购"
)

_NUMBERING = re.compile(r"\d{1,2}[.、,]|\([一二三四五六七八九十]\)|[一二三四五六七八九十][、.,]")
_PUNCT_CLASS = str.maketrans({"、": ".", ",": ".", "．": ".", "·": ".", "“": '"', "”": '"'})


# --------------------------------------------------------------------------------------------- lines


@dataclass
class Tok:
    """A token of the text: a label piece, a value, or an empty pipe cell (zero-width span)."""

    start: int
    end: int
    text: str


@dataclass
class Seg:
    """Consecutive tokens of one kind on one line (space text) or consecutive pipe cells."""

    kind: str  # "label" / "run"
    line: int
    toks: list[Tok]
    pipe: bool = False
    cellwise: bool = False  # values printed one per line (a table flattened cell by cell)
    whole_line: bool = False  # the only thing on its line
    pad: int = 0  # trailing cells from a line of bare pipes: hidden merged positions of the row

    @property
    def sequential(self) -> bool:
        """Cells in reading order: the values follow their own label cell, as in HTML."""
        return self.pipe or self.cellwise


@dataclass
class Line:
    no: int  # index among the kept lines (page-number lines are not kept)
    start: int
    end: int
    raw: str
    pipe: bool
    segs: list[Seg] = field(default_factory=list)

    @property
    def squeezed(self) -> str:
        return re.sub(r"[\s|]+", "", self.raw)


def _lines(text: str) -> tuple[list[Line], int]:
    """Kept lines with their segments, and the number of page-number lines dropped."""
    out: list[Line] = []
    dropped = 0
    pos = 0
    raws = text.split("\n")
    # Two pipe conventions: `a | b |` (each cell closed by a pipe) and `a | b | ` (cells separated, the
    # last one empty when the line ends with a pipe). The document's lines say which one it uses.
    content = [r.rstrip() for r in raws if "|" in r and r.replace("|", "").strip()]
    closed_votes = sum(1 for r in content if re.search(r"[^|\s]\s*\|$", r))  # `… b |`
    open_votes = sum(1 for r in content if not r.endswith("|"))  # `a | b`
    closed = closed_votes >= open_votes
    for raw in raws:
        start, end = pos, pos + len(raw)
        pos = end + 1
        s = raw.strip()
        if not s:
            continue
        if _PAGE.fullmatch(s):
            dropped += 1
            continue
        line = Line(len(out), start, end, raw, "|" in raw)
        line.segs = _pipe_segs(text, line, closed) if line.pipe else _space_segs(text, line)
        out.append(line)
    return out, dropped


def _space_segs(text: str, line: Line) -> list[Seg]:
    toks = [
        Tok(m.start() + line.start, m.end() + line.start, m.group()) for m in re.finditer(r"\S+", line.raw)
    ]
    is_val = [bool(_VALUE.fullmatch(t.text)) for t in toks]
    segs: list[Seg] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and is_val[j] == is_val[i]:
            j += 1
        # A lone number inside label text (`1 属于国家秘密`) is label text; a run ends the line or has 2+.
        kind = "run" if is_val[i] and (j == len(toks) or j - i >= 2) else "label"
        if segs and segs[-1].kind == kind == "label":
            segs[-1].toks.extend(toks[i:j])
        else:
            segs.append(Seg(kind, line.no, toks[i:j]))
        i = j
    return segs


def _pipe_segs(text: str, line: Line, closed: bool) -> list[Seg]:
    """Cells of a `a | b | c` line; a line of bare pipes is that many empty cells (merge padding).

    With `closed` cells (`a | b |`) the final pipe ends the last cell; otherwise it opens an empty one.
    """
    cells: list[Tok] = []
    body_end = line.end
    stripped = line.raw.rstrip()
    if stripped.endswith("|") and (closed or not stripped.replace("|", "").strip()):
        body_end = line.start + len(stripped) - 1
    pos = line.start
    for piece in text[line.start : body_end].split("|"):
        p_start, p_end = pos, pos + len(piece)
        pos = p_end + 1
        lead = len(piece) - len(piece.lstrip())
        content = piece.strip()
        if not content:
            cells.append(Tok(p_end, p_end, ""))
            continue
        s = p_start + lead
        inner = [Tok(m.start() + s, m.end() + s, m.group()) for m in re.finditer(r"\S+", content)]
        if all(_VALUE.fullmatch(t.text) for t in inner):
            cells.extend(inner)
        else:
            cells.append(Tok(s, s + len(content), content))
    segs: list[Seg] = []
    for tok in cells:
        kind = "run" if (not tok.text or _VALUE.fullmatch(tok.text)) else "label"
        if segs and segs[-1].kind == "run" == kind:
            segs[-1].toks.append(tok)
        else:
            segs.append(Seg(kind, line.no, [tok], pipe=True))
    if not line.raw.replace("|", "").strip():
        segs[0].pad = len(segs[0].toks)  # a scraper writes a row's hidden (merged) cells as bare pipes
    return segs


def _is_heading(line: Line) -> bool:
    """A report section heading (五、存在的主要问题…) or prose: both end a table region."""
    sq = line.squeezed
    if _HEADING.match(sq) and len(sq) > 3 and not _T3_ROW_WORDS.search(sq):
        return True
    return "。" in sq and len(sq) >= _PROSE_LINE


# --------------------------------------------------------------------------------------------- stream


@dataclass
class Anchor:
    start: int  # in the stream
    key_end: int
    kind: str  # "row" / "parent" / "caption" / "header" / "column"
    name: str  # row key, parent id, caption item, column label
    spec: RowSpec | None = None


class Stream:
    """The label text of a region, whitespace-free, with each char's text offset and line."""

    def __init__(self, segs: Sequence[Seg]) -> None:
        chars: list[str] = []
        self.offset: list[int] = []
        self.line: list[int] = []
        self.seg_span: dict[int, tuple[int, int]] = {}
        for si, seg in enumerate(segs):
            if seg.kind != "label":
                continue
            first = len(chars)
            for tok in seg.toks:
                for k, ch in enumerate(tok.text):
                    if ch.isspace() or ch == "|":
                        continue
                    chars.append(ch)
                    self.offset.append(tok.start + k)
                    self.line.append(seg.line)
            if len(chars) > first:
                self.seg_span[si] = (first, len(chars))
        self.s = "".join(chars)
        self.owner: list[int] = [-1] * len(self.s)  # index into the anchors, -1 before the first

    def own(self, anchors: list[Anchor]) -> None:
        for i, a in enumerate(anchors):
            end = anchors[i + 1].start if i + 1 < len(anchors) else len(self.s)
            for k in range(a.start, end):
                self.owner[k] = i

    def text_span(self, a: int, b: int) -> tuple[int, int]:
        return self.offset[a], self.offset[b - 1] + 1


def _extend_back(s: str, p: int, lo: int, official: str, matched: str) -> int:
    """Move a key match back over the part of the official label printed before the key (`1.属于`)."""
    off = official.translate(_PUNCT_CLASS)
    k = off.find(matched.translate(_PUNCT_CLASS))
    if k > 0:
        q = p
        while k > 0 and q > lo and s[q - 1].translate(_PUNCT_CLASS) == off[k - 1]:
            q -= 1
            k -= 1
        if q < p:
            return q
    m = re.search(r"(?:\d{1,2}[.、,]?|\([一二三四五六七八九十]\)|[一二三四五六七八九十][、.,])$", s[lo:p])
    if m:
        return lo + m.start()
    # A typo between the number and the key (`5.属于三类内容事务信息`): back to the label's own number.
    num = _NUMBERING.match(official)
    if num and k > len(num.group()):
        window_start = max(lo, p - k - 2)
        at = s.rfind(num.group(), window_start, p)
        if at >= 0:
            return at
    return p


def _find_rows(stream: Stream, specs: Sequence[RowSpec], skip: Callable[[int, int], bool]) -> list[Anchor]:
    """Row labels in their official order; each search starts where the previous label's key ended."""
    s = stream.s
    pos = 0
    out: list[Anchor] = []
    for spec in specs:
        best: re.Match[str] | None = None
        for key in spec.keys:
            for m in re.finditer(key, s[pos:]):
                if skip(pos + m.start(), pos + m.end()):
                    continue
                if (
                    best is None
                    or m.start() < best.start()
                    or (m.start() == best.start() and m.end() > best.end())
                ):
                    best = m
                break
        if best is None:
            continue
        start, end = pos + best.start(), pos + best.end()
        if out and stream.line[start] - stream.line[out[-1].start] > _MAX_GAP:
            continue  # too far from the previous row: prose or another table, not this row
        lo = out[-1].key_end if out else 0
        out.append(Anchor(_extend_back(s, start, lo, spec.label, best.group()), end, "row", spec.key, spec))
        pos = end
    return out


# --------------------------------------------------------------------------------------------- binding


@dataclass
class RowHit:
    anchor: Anchor
    lines: set[int]
    run: Seg | None = None
    label: str = ""
    span: tuple[int, int] | None = None


def _bind(segs: Sequence[Seg], stream: Stream, anchors: list[Anchor], hits: dict[int, RowHit]) -> list[Seg]:
    """Attach runs to rows; return the runs left unattached."""
    free: list[Seg] = []
    for si, seg in enumerate(segs):
        if seg.kind != "run":
            continue
        target = None
        prev = next(
            (k for k in range(si - 1, -1, -1) if segs[k].kind == "label" and k in stream.seg_span), None
        )
        if seg.sequential:
            if prev is not None:
                target = stream.owner[stream.seg_span[prev][1] - 1]
        else:
            if prev is not None and segs[prev].line == seg.line:
                target = stream.owner[stream.seg_span[prev][1] - 1]
            else:
                nxt = next((k for k in range(si + 1, len(segs)) if segs[k].kind == "label"), None)
                if nxt is not None and segs[nxt].line == seg.line and nxt in stream.seg_span:
                    first = stream.seg_span[nxt][0]
                    a = stream.owner[first]
                    if a >= 0 and anchors[a].start != first:  # continuation text of that row
                        target = a
        hit = hits.get(target) if target is not None and target >= 0 else None
        if hit is not None and hit.run is None:
            hit.run = seg
        elif seg.sequential and target is not None and target >= 0 and anchors[target].kind != "row":
            continue  # padding cells after a header or caption cell
        else:
            free.append(seg)
    return free


def _align(free: list[Seg], rows: list[RowHit]) -> None:
    """Pair leftover runs with leftover rows in order, minimising line distance (runs above win ties)."""
    n, m = len(free), len(rows)
    if not n or not m:
        return
    inf = float("inf")

    def cost(i: int, j: int) -> float:
        ln = free[i].line
        d = min(abs(ln - x) + (0.1 if x < ln else 0.0) for x in rows[j].lines)
        return d if d <= _MAX_DIST else inf

    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, bool]]] = [[(0, 0, False)] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = dp[i][j]
            if here == inf:
                continue
            if i < n and here + _SKIP < dp[i + 1][j]:
                dp[i + 1][j], back[i + 1][j] = here + _SKIP, (i, j, False)
            if j < m and here + _SKIP < dp[i][j + 1]:
                dp[i][j + 1], back[i][j + 1] = here + _SKIP, (i, j, False)
            if i < n and j < m and here + cost(i, j) < dp[i + 1][j + 1]:
                dp[i + 1][j + 1], back[i + 1][j + 1] = here + cost(i, j), (i, j, True)
    i, j = n, m
    while i or j:
        pi, pj, matched = back[i][j]
        if matched:
            rows[j - 1].run = free[i - 1]
        i, j = pi, pj


def _rows(segs: Sequence[Seg], stream: Stream, anchors: list[Anchor]) -> tuple[list[RowHit], list[Seg]]:
    """Rows found (in order) with their runs, and the runs no row took."""
    stream.own(anchors)
    hits: dict[int, RowHit] = {}
    for i, a in enumerate(anchors):
        if a.kind != "row":
            continue
        idx = [k for k in range(a.start, len(stream.s)) if stream.owner[k] == i]
        if not idx:
            continue
        label = "".join(stream.s[k] for k in idx)
        lines = {stream.line[k] for k in idx}
        hits[i] = RowHit(a, lines, None, label, (stream.offset[idx[0]], stream.offset[idx[-1]] + 1))
    free = _bind(segs, stream, anchors, hits)
    open_rows = [h for h in hits.values() if h.run is None]
    _align([f for f in free if not f.sequential], open_rows)
    taken = {id(h.run) for h in hits.values() if h.run is not None}
    free = [f for f in free if id(f) not in taken]
    return [hits[i] for i in sorted(hits)], free


def _values(hit: RowHit, expected: int, notes: list[str]) -> list[Tok] | Tok | None:
    """The row's value tokens; one raw-text token when their count is not the expected one."""
    if hit.run is None:
        return None
    toks = list(hit.run.toks)
    if hit.run.pad and len(toks) > expected:
        toks = toks[: -hit.run.pad]
        notes.append(f"row {hit.label}: {hit.run.pad} trailing empty cell(s) dropped as merge padding")
    if not toks:
        return None
    if len(toks) == expected:
        return toks
    numbers = sum(1 for t in toks if t.text)
    notes.append(
        f"row {hit.label}: {len(toks)} value cells ({numbers} printed) where {expected} expected;"
        " kept as one text cell, not shifted"
    )
    return Tok(toks[0].start, toks[-1].end, "")


def _squash(notes: list[str]) -> list[str]:
    """One note for all rows whose trailing pipe cells were merge padding, the others as they are."""
    pad = [n for n in notes if n.endswith("merge padding")]
    rest = [n for n in notes if not n.endswith("merge padding")]
    if pad:
        rest.append(
            f"{len(pad)} row(s): trailing empty pipe cells beyond the value columns dropped as merge padding"
        )
    return rest


def _orphans(text: str, free: list[Seg], notes: list[str]) -> None:
    for seg in free:
        if any(t.text for t in seg.toks):
            s, e = seg.toks[0].start, seg.toks[-1].end
            notes.append(f"numbers not attached to any row at text:{s}-{e}: {text[s:e]!r}")


# --------------------------------------------------------------------------------------------- cells


def _vcell(text: str, tok: Tok, r: int, c: int, colspan: int = 1) -> Cell:
    return Cell(
        text[tok.start : tok.end], r, c, 1, colspan, f"text:{tok.start}-{tok.end}", tok.start, tok.end
    )


def _lcell(
    label: str, span: tuple[int, int] | None, r: int, c: int, rowspan: int = 1, colspan: int = 1
) -> Cell:
    if span is None:
        return Cell(label, r, c, rowspan, colspan, "text:rebuilt")
    return Cell(label, r, c, rowspan, colspan, f"text:{span[0]}-{span[1]}", span[0], span[1])


def _hcell(label: str, r: int, c: int, src: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(label, r, c, rowspan, colspan, src)


def _value_cells(text: str, vals: list[Tok] | Tok | None, r: int, c0: int, width: int) -> list[Cell]:
    if vals is None:
        return []
    if isinstance(vals, Tok):  # the raw run as printed, less any page-number line that fell inside it
        raw = "\n".join(
            ln for ln in text[vals.start : vals.end].split("\n") if not _PAGE.fullmatch(ln.strip())
        )
        return [Cell(raw, r, c0, 1, width, f"text:{vals.start}-{vals.end}", vals.start, vals.end)]
    if len(vals) < width and vals:  # a one-value row under a one-column block spans like the template
        return [_vcell(text, t, r, c0 + k) for k, t in enumerate(vals[:-1])] + [
            _vcell(text, vals[-1], r, c0 + len(vals) - 1, width - len(vals) + 1)
        ]
    return [_vcell(text, t, r, c0 + k) for k, t in enumerate(vals)]


def _has_labels(chars: str, labels: Sequence[str]) -> str | None:
    """How the region holds the labels: "contiguous", "split" (all their characters), or None."""
    if all(lab in chars for lab in labels):
        return "contiguous"
    need = Counter("".join(labels))
    have = Counter(chars)
    return "split" if all(have[ch] >= n for ch, n in need.items()) else None


# --------------------------------------------------------------------------------------------- regions


def _region_end(lines: list[Line], start: int, stop: int) -> int:
    for k in range(start, stop):
        if _is_heading(lines[k]):
            return k
    return stop


def _segs_in(lines: list[Line], a: int, b: int) -> list[Seg]:
    """The region's segments, with the cells of one row printed one per line joined into one run.

    Pipe cells join while they follow each other; plain text joins lines that each hold one value
    and nothing else (a table flattened cell by cell), never lines of several numbers (PDF rows).
    """
    out: list[Seg] = []
    for ln in lines[a:b]:
        single = _single_value_line(ln)
        for seg in ln.segs:
            last = out[-1] if out else None
            if seg.kind == "run" and seg.pipe and last and last.kind == "run" and last.pipe:
                out[-1] = Seg("run", last.line, last.toks + seg.toks, pipe=True, pad=seg.pad)
            elif (
                single
                and not seg.pipe
                and last is not None
                and last.kind == "run"
                and not last.pipe
                and (last.cellwise or len(last.toks) == 1)
                and last.line + 1 == ln.no
                and _line_only(lines, last)
            ):
                out[-1] = Seg("run", ln.no, last.toks + seg.toks, cellwise=True)
            else:
                seg.whole_line = single
                out.append(seg)
    return _cellwise_region(out)


def _single_value_line(ln: Line) -> bool:
    return len(ln.segs) == 1 and ln.segs[0].kind == "run" and len(ln.segs[0].toks) == 1 and not ln.pipe


def _cellwise_region(segs: list[Seg]) -> list[Seg]:
    """Once a region shows values printed one per line, its lone one-value lines are cells too."""
    if not any(seg.cellwise for seg in segs):
        return segs
    return [
        Seg("run", seg.line, seg.toks, cellwise=True)
        if seg.kind == "run" and not seg.pipe and len(seg.toks) == 1 and seg.whole_line
        else seg
        for seg in segs
    ]


def _line_only(lines: list[Line], seg: Seg) -> bool:
    """True when the run is all its (last) line holds."""
    ln = lines[seg.line]
    return len(ln.segs) == 1 and ln.segs[0].kind == "run"


def _strip_vertical(lines: list[Line], a: int, b: int, target: str) -> tuple[int, int] | None:
    """Vertical labels (`三、/本/年/度/…` one char per line, or one char before a row label) → removed.

    Returns the text extent of the removed tokens (None when the label is not printed vertically). Candidates are line-leading tokens of
    one CJK char (plus an optional 、); they are taken in order while they spell the target label.
    """
    want = [ch for ch in target if ch != "、"]
    got = 0
    taken: list[tuple[Seg, Tok]] = []
    for ln in lines[a:b]:
        if ln.pipe or not ln.segs or ln.segs[0].kind != "label":
            continue
        seg = ln.segs[0]
        tok = seg.toks[0]
        core = tok.text.rstrip("、")
        if not ((len(core) == 1 and "\u4e00" <= core <= "\u9fff") or tok.text == "、"):
            continue
        if tok.text == "、":
            taken.append((seg, tok))
            continue
        if got < len(want) and core == want[got]:
            got += 1
            taken.append((seg, tok))
    if got < 4:
        return None
    for seg, tok in taken:
        seg.toks.remove(tok)
    for ln in lines[a:b]:
        ln.segs = [s for s in ln.segs if s.toks]
    return min(t.start for _, t in taken), max(t.end for _, t in taken)


def _t3_grid(text: str, lines: list[Line], a: int, first: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    vspan = _strip_vertical(lines, first, b, THREE)
    if vspan:
        notes.append("vertical label 三、本年度办理结果 read one char per line")
    segs = _segs_in(lines, a, b)
    stream = Stream(segs)
    era2021 = bool(_T3_SUBROWS.search(stream.s))
    # 2021 layout: （六） is a parent over three rows; otherwise （六）其他处理 is one row.
    if era2021:
        specs = [s for s in T3_ROWS if s.key != "other"]
    else:
        specs = [s for s in T3_ROWS if s.parent != "other"]
    row_anchors = _find_rows(stream, specs, lambda i, j: False)
    if not row_anchors:
        return None
    key_spans = [(x.start, x.key_end) for x in row_anchors]
    parents: list[Anchor] = []
    first_row = row_anchors[0].start
    for p in T3_PARENTS:
        if p.pid == "other" and not era2021:
            continue
        for m in re.finditer(p.pattern, stream.s[first_row:]):
            s, e = first_row + m.start(), first_row + m.end()
            if not any(s < ke and e > ks for ks, ke in key_spans):
                parents.append(Anchor(s, e, "parent", p.pid))
                break
    # A header repeated after a page break must not be read as the tail of the row above it.
    taken = key_spans + [(x.start, x.key_end) for x in parents]
    for m in _T3_HEADER_WORDS.finditer(stream.s, first_row):
        if not any(m.start() < ke and m.end() > ks for ks, ke in taken):
            parents.append(Anchor(m.start(), m.end(), "header", m.group()))
    anchors = sorted(row_anchors + parents, key=lambda x: x.start)
    hits, free = _rows(segs, stream, anchors)
    _orphans(text, free, notes)
    if any(seg.kind == "run" and not seg.sequential for seg in segs):
        notes.append("numbers attached to row labels by line adjacency")

    header_chars = stream.s[: anchors[0].start]
    how = _has_labels(header_chars, ["申请人情况", "法人或其他组织", *T3_COLUMNS])
    if how is None:
        how = _has_labels(header_chars, list(T3_COLUMNS))
    cells: list[Cell] = []
    r = 0
    if how:
        hs, he = lines[a].start, lines[first].start
        src = f"text:header@{hs}-{he}"
        notes.append(f"header rebuilt in official order (labels found {how} in text:{hs}-{he})")
        cells += [
            _hcell(T3_CAPTION, 0, 0, src, 3, 3),
            _hcell("申请人情况", 0, 3, src, 1, 7),
            _hcell("自然人", 1, 3, src, 2, 1),
            _hcell("法人或其他组织", 1, 4, src, 1, 5),
            _hcell("总计", 1, 9, src, 2, 1),
            *[_hcell(lab, 2, 4 + k, src) for k, lab in enumerate(T3_COLUMNS[1:6])],
        ]
        r = 3
    else:
        notes.append("表三 header labels not found: value columns left unlabelled")

    parent_span = {
        anchors[i].name: stream.text_span(anchors[i].start, anchors[i].key_end)
        for i in range(len(anchors))
        if anchors[i].kind == "parent"
    }
    if vspan:
        parent_span["三"] = vspan
    body: list[tuple[RowHit, list[Tok] | Tok | None]] = [(h, _values(h, 7, notes)) for h in hits]
    for h, _ in body:
        if h.run is None:
            notes.append(f"row {h.label}: no numbers printed; left blank")
    # Merged parents: 三、 over its consecutive rows, each level-2 parent over its children.
    groups: dict[str, list[int]] = {}
    for k, (h, _) in enumerate(body):
        spec = h.anchor.spec
        assert spec is not None
        if spec.parent:
            groups.setdefault("三", []).append(k)
            if spec.level == 3:
                groups.setdefault(spec.parent, []).append(k)
    for pid, ks in groups.items():
        col = 0 if pid == "三" else 1
        cells.append(_lcell(_PARENT_LABEL[pid], parent_span.get(pid), r + ks[0], col, len(ks), 1))
    for k, (h, vals) in enumerate(body):
        spec = h.anchor.spec
        assert spec is not None
        col = {1: 0, 2: 1, 3: 2}[spec.level]
        cells.append(_lcell(h.label, h.span, r + k, col, 1, 3 - col))
        cells += _value_cells(text, vals, r + k, 3, 7)
    return from_cells(cells, "text", index, notes=_squash(notes), n_rows=r + len(body), n_cols=10)


def _t2_grid(text: str, lines: list[Line], a: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    segs = _segs_in(lines, a, b)
    stream = Stream(segs)
    markers: list[Anchor] = []
    for m in _T2_CAPTION.finditer(stream.s):
        markers.append(Anchor(m.start(), m.end(), "caption", m.group(1)))
    for m in re.finditer("信息内容", stream.s):
        markers.append(Anchor(m.start(), m.end(), "header", "信息内容"))
    for m in _T2_COLUMN.finditer(stream.s):
        markers.append(Anchor(m.start(), m.end(), "column", m.group()))
    spans = [(x.start, x.key_end) for x in markers]
    rows = _find_rows(stream, T2_ROWS, lambda i, j: any(i < e and j > s for s, e in spans))
    if not rows:
        return None
    anchors = sorted(markers + rows, key=lambda x: x.start)
    hits, free = _rows(segs, stream, anchors)
    _orphans(text, free, notes)
    era = "std2019" if _T2_2019.search(stream.s) else "std2021"

    # Blocks: a caption opens one; 信息内容 opens one unless the open block has no header or rows yet.
    blocks: list[Block] = []
    by_anchor = {id(h.anchor): h for h in hits}
    for i, x in enumerate(anchors):
        cur = blocks[-1] if blocks else None
        if x.kind == "caption":
            blocks.append(Block(caption=x))
        elif x.kind == "header":
            if cur is None or cur.rows or cur.header is not None:
                blocks.append(Block())
            blocks[-1].header = x
            end = anchors[i + 1].start if i + 1 < len(anchors) else len(stream.s)
            blocks[-1].header_chars += stream.s[x.start : end]
        elif x.kind == "column":
            if cur is None or cur.rows:
                blocks.append(Block())
            blocks[-1].columns.append(x)
        elif id(x) in by_anchor:
            if cur is None:
                blocks.append(Block())
            blocks[-1].rows.append(by_anchor[id(x)])
    blocks = [bl for bl in blocks if bl.rows]
    width = 3
    cells: list[Cell] = []
    r = 0
    for bl in blocks:
        item = bl.caption.name if bl.caption else _T2_BLOCK_OF_ROW[bl.rows[0].anchor.name]
        labels = [(c.name, stream.text_span(c.start, c.key_end)) for c in bl.columns]
        if not labels and bl.header is not None:
            official = _T2_OFFICIAL[era].get(item, ())
            if official and _has_labels(bl.header_chars, [re.sub(r"[()/:]", "", o) for o in official]):
                labels = [(o, None) for o in official]
                notes.append(f"第二十条第({item})项: header rebuilt in official order")
        expected = len(labels) or len(_T2_OFFICIAL[era].get(item, ())) or 1
        if bl.caption:
            cs, ce = stream.text_span(bl.caption.start, bl.caption.key_end)
            cells.append(
                Cell(f"第二十条第({bl.caption.name})项", r, 0, 1, width + 1, f"text:{cs}-{ce}", cs, ce)
            )
            r += 1
        else:
            notes.append(f"block of {bl.rows[0].label}: caption not found (table starts mid-block)")
        if bl.header is not None or labels:
            if bl.header is not None:
                hs, he = stream.text_span(bl.header.start, bl.header.key_end)
                cells.append(Cell("信息内容", r, 0, 1, 1, f"text:{hs}-{he}", hs, he))
            for k, (lab, sp) in enumerate(labels[:width]):
                span = width - k if k == len(labels[:width]) - 1 else 1
                cells.append(
                    _lcell(lab, sp, r, 1 + k, 1, span)
                    if sp
                    else _hcell(lab, r, 1 + k, "text:rebuilt", 1, span)
                )
            r += 1
        for h in bl.rows:
            vals = _values(h, expected, notes)
            if h.run is None:
                notes.append(f"row {h.label}: no numbers printed; left blank")
            cells.append(_lcell(h.label, h.span, r, 0))
            if isinstance(vals, list) and len(vals) > width:
                vals = _values(RowHit(h.anchor, h.lines, Seg("run", 0, vals)), width, notes)
            cells += _value_cells(text, vals, r, 1, width)
            r += 1
    if any(seg.kind == "run" and not seg.sequential for seg in segs):
        notes.append("numbers attached to row labels by line adjacency")
    return from_cells(cells, "text", index, notes=_squash(notes), n_rows=r, n_cols=width + 1)


@dataclass
class Block:
    """One 表二 block (第二十条第（x）项): caption, header words, rows."""

    caption: Anchor | None = None
    columns: list[Anchor] = field(default_factory=list)
    header: Anchor | None = None
    rows: list[RowHit] = field(default_factory=list)
    header_chars: str = ""


_T4_NEED = "行政复议行政诉讼直接起诉复议后起诉" + "维持纠正其他审结总计" * 3


def _t4_grid(text: str, lines: list[Line], a: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    toks: list[Tok] = []
    header = ""
    data_line = None
    for k in range(a, b):
        ln = lines[k]
        runs = [s for s in ln.segs if s.kind == "run"]
        if data_line is None:
            header += "".join(t.text for s in ln.segs if s.kind == "label" for t in s.toks)
            if runs and any(t.text for s in runs for t in s.toks):
                data_line = k
                toks += [t for s in runs for t in s.toks]
        elif runs and all(s.kind == "run" for s in ln.segs) and len(toks) < 15:
            toks += [t for s in runs for t in s.toks]  # the data row wrapped onto the next line
        else:
            break
    if data_line is None:
        return None
    header = re.sub(r"\s+", "", header)
    if not _has_labels(header, [_T4_NEED]):
        return None  # without its header a row of 15 numbers cannot be read as 表四
    hs, he = lines[a].start, lines[data_line].start
    src = f"text:header@{hs}-{he}"
    notes.append(f"header rebuilt in official order (labels found in text:{hs}-{he})")
    cells = [
        _hcell("行政复议", 0, 0, src, 1, 5),
        _hcell("行政诉讼", 0, 5, src, 1, 10),
        *[_hcell(lab, 1, k, src, 2, 1) for k, lab in enumerate(T4_RESULTS)],
        _hcell("未经复议直接起诉", 1, 5, src, 1, 5),
        _hcell("复议后起诉", 1, 10, src, 1, 5),
        *[_hcell(lab, 2, 5 + k, src) for k, lab in enumerate(T4_RESULTS * 2)],
    ]
    r = 3
    hit = RowHit(Anchor(0, 0, "row", "all"), set(), Seg("run", data_line, toks), label="表四")
    vals = _values(hit, 15, notes)
    cells += _value_cells(text, vals, r, 0, 15)
    return from_cells(cells, "text", index, notes=_squash(notes), n_rows=r + 1, n_cols=15)


def _t3_start(lines: list[Line], first: int, floor: int) -> int:
    """The first line of the 表三 header above its first row: after the title, prose or a table above."""
    k = first
    while k > max(floor, first - _HEADER_LOOKBACK):
        prev = lines[k - 1]
        sq = prev.squeezed
        if _is_heading(prev) or _T3_TITLE.search(sq) or _T2_CAPTION.search(sq) or _t2_row_line(sq):
            break
        k -= 1
    return k


def _t2_row_line(sq: str) -> bool:
    """A line that starts with a 表二 row label (规章, 行政许可 …)."""
    return any(sq.startswith(spec.label) or sq.startswith(spec.keys[-1]) for spec in T2_ROWS)


def text_grids(text: str) -> list[Grid]:
    """Grids of the statutory tables found in a report's normalised text (fmt="text"), in text order."""
    if not text or not re.search(r"本年新收|第二十条|行政复议|信息内容", text):
        return []
    lines, dropped = _lines(text)
    n = len(lines)
    starts: list[tuple[int, str]] = []
    t3_closed = True  # a second 表三 (aggregated reports) starts only after the first one's last row
    for ln in lines:
        sq = ln.squeezed
        if _T3_START.match(sq) and (t3_closed or starts[-1][1] != "t3"):
            starts.append((ln.no, "t3"))
            t3_closed = False
        elif re.search(r"结转下年度|转下年度", sq):
            t3_closed = True
        elif _T4_START.match(sq) and "。" not in sq:
            window = "".join(x.squeezed for x in lines[ln.no : ln.no + 4])
            if "行政诉讼" in window:
                starts.append((ln.no, "t4"))
        elif (_T2_START.match(sq) or (_t2_row_line(sq) and ln.segs[-1].kind == "run")) and not (
            starts and starts[-1][1] == "t2"
        ):
            starts.append((ln.no, "t2"))
    grids: list[Grid] = []
    floor = 0
    for i, (k, kind) in enumerate(starts):
        nxt = starts[i + 1][0] if i + 1 < len(starts) else n
        if kind == "t3":
            a = _t3_start(lines, k, floor)
            b = _region_end(lines, k, nxt)
            grid = _t3_grid(text, lines, a, k, b, len(grids))
        elif kind == "t4":
            b = _region_end(lines, k + 1, nxt)
            grid = _t4_grid(text, lines, k, b, len(grids))
        else:
            b = _region_end(lines, k + 1, nxt)
            if i + 1 < len(starts) and starts[i + 1][1] == "t3":
                b = min(b, _t3_start(lines, starts[i + 1][0], k))
            grid = _t2_grid(text, lines, k, b, len(grids))
        floor = b
        if grid is not None:
            if dropped:
                grid.notes.append(f"{dropped} page-number line(s) in the document skipped")
            grids.append(grid)
    return grids

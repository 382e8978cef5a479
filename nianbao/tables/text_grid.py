"""Shared line cutting and row binding for tables rebuilt from flattened text (see `tables.flattened`).

Table-neutral: the per-table builders (`t2`, `t3`, `t4`) decide which labels to look for and lay out the
grid; this module cuts lines into label text and value runs, finds known row labels in a region's label
stream, binds each run to its row by line adjacency, and makes traceable cells.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nianbao.tables.catalog import Label
from nianbao.tables.grid import Cell
from nianbao.tables.tokens import is_page_number, is_value_token

_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}[、.,]")
_T3_ROW_WORDS = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|转下年度")
_PROSE_LINE = 40  # a line this long with a full stop is prose: it ends a table region
_MAX_GAP = 12  # lines allowed between two consecutive row labels of one table
_SKIP = 1.5  # alignment cost of leaving a label without numbers, or numbers without a label
_MAX_DIST = 2.5  # farthest (in lines, with the tie-break) a run may sit from its label
_NUMBERING = re.compile(r"\d{1,2}[.、,]|\([一二三四五六七八九十]\)|[一二三四五六七八九十][、.,]")
_SQUEEZE = re.compile(r"[\s|]+")
_TOKEN = re.compile(r"\S+")
_CLOSED_PIPE = re.compile(r"[^|\s]\s*\|$")
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
    closed: bool = True  # the document's pipe convention (`cut_lines`)
    # The line without whitespace or pipes: every line's is asked for (table starts), some several times.
    squeezed: str = field(init=False, repr=False, compare=False)
    _segs: list[Seg] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.squeezed = _SQUEEZE.sub("", self.raw)

    @property
    def segs(self) -> list[Seg]:
        """Cut on first use: only the lines in and around a table region are ever asked (most are prose)."""
        if self._segs is None:
            self._segs = _pipe_segs(self, self.closed) if self.pipe else _space_segs(self)
        return self._segs

    @segs.setter
    def segs(self, segs: list[Seg]) -> None:
        self._segs = segs


def cut_lines(text: str) -> tuple[list[Line], int]:
    """Kept lines with their segments, and the number of page-number lines dropped."""
    out: list[Line] = []
    dropped = 0
    pos = 0
    raws = text.split("\n")
    # Two pipe conventions: `a | b |` (each cell closed by a pipe) and `a | b | ` (cells separated, the
    # last one empty when the line ends with a pipe). The document's lines say which one it uses.
    content = [r.rstrip() for r in raws if "|" in r and r.replace("|", "").strip()] if "|" in text else []
    closed_votes = sum(1 for r in content if _CLOSED_PIPE.search(r))  # `… b |`
    open_votes = sum(1 for r in content if not r.endswith("|"))  # `a | b`
    closed = closed_votes >= open_votes
    for raw in raws:
        start, end = pos, pos + len(raw)
        pos = end + 1
        s = raw.strip()
        if not s:
            continue
        if is_page_number(s):
            dropped += 1
            continue
        out.append(Line(len(out), start, end, raw, "|" in raw, closed))
    return out, dropped


def _space_segs(line: Line) -> list[Seg]:
    toks = [Tok(m.start() + line.start, m.end() + line.start, m.group()) for m in _TOKEN.finditer(line.raw)]
    is_val = [bool(is_value_token(t.text)) for t in toks]
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


def _pipe_segs(line: Line, closed: bool) -> list[Seg]:
    """Cells of a `a | b | c` line; a line of bare pipes is that many empty cells (merge padding).

    With `closed` cells (`a | b |`) the final pipe ends the last cell; otherwise it opens an empty one.
    """
    cells: list[tuple[Tok, bool]] = []  # (cell, a value run: empty or all value tokens)
    body_end = line.end
    stripped = line.raw.rstrip()
    if stripped.endswith("|") and (closed or not stripped.replace("|", "").strip()):
        body_end = line.start + len(stripped) - 1
    pos = line.start
    for piece in line.raw[: body_end - line.start].split("|"):
        p_start, p_end = pos, pos + len(piece)
        pos = p_end + 1
        lead = len(piece) - len(piece.lstrip())
        content = piece.strip()
        if not content:
            cells.append((Tok(p_end, p_end, ""), True))
            continue
        s = p_start + lead
        words = content.split()
        if len(words) == 1 and is_value_token(content):  # most cells: one value, the whole content
            cells.append((Tok(s, s + len(content), content), True))
        elif all(map(is_value_token, words)):
            cells.extend((Tok(m.start() + s, m.end() + s, m.group()), True) for m in _TOKEN.finditer(content))
        else:  # label text (a value token holds no space, so the whole cell is none either)
            cells.append((Tok(s, s + len(content), content), False))
    segs: list[Seg] = []
    for tok, is_run in cells:
        kind = "run" if is_run else "label"
        if segs and segs[-1].kind == "run" == kind:
            segs[-1].toks.append(tok)
        else:
            segs.append(Seg(kind, line.no, [tok], pipe=True))
    if not line.raw.replace("|", "").strip():
        segs[0].pad = len(segs[0].toks)  # a scraper writes a row's hidden (merged) cells as bare pipes
    return segs


def is_heading(line: Line) -> bool:
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
    spec: Label | None = None


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
            first = len(self.offset)
            for tok in seg.toks:
                if not _SQUEEZE.search(tok.text):  # most tokens: every char kept, in one step
                    chars.append(tok.text)
                    self.offset += range(tok.start, tok.start + len(tok.text))
                    self.line += [seg.line] * len(tok.text)
                    continue
                for k, ch in enumerate(tok.text):
                    if ch.isspace() or ch == "|":
                        continue
                    chars.append(ch)
                    self.offset.append(tok.start + k)
                    self.line.append(seg.line)
            if len(self.offset) > first:
                self.seg_span[si] = (first, len(self.offset))
        self.s = "".join(chars)
        self.owner: list[int] = [-1] * len(self.s)  # index into the anchors, -1 before the first

    def own(self, anchors: list[Anchor]) -> None:
        """Each anchor (in stream order) owns the stream from its start to the next anchor's."""
        for i, a in enumerate(anchors):
            end = anchors[i + 1].start if i + 1 < len(anchors) else len(self.s)
            self.owner[a.start : end] = [i] * (end - a.start)

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


def find_rows(stream: Stream, specs: Sequence[Label], skip: Callable[[int, int], bool]) -> list[Anchor]:
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


def bind_rows(segs: Sequence[Seg], stream: Stream, anchors: list[Anchor]) -> tuple[list[RowHit], list[Seg]]:
    """Rows found (in order) with their runs, and the runs no row took; `anchors` in stream order."""
    stream.own(anchors)
    hits: dict[int, RowHit] = {}
    for i, a in enumerate(anchors):
        end = anchors[i + 1].start if i + 1 < len(anchors) else len(stream.s)  # what `own` gave it
        if a.kind != "row" or end <= a.start:
            continue
        span = (stream.offset[a.start], stream.offset[end - 1] + 1)
        hits[i] = RowHit(a, set(stream.line[a.start : end]), None, stream.s[a.start : end], span)
    free = _bind(segs, stream, anchors, hits)
    open_rows = [h for h in hits.values() if h.run is None]
    _align([f for f in free if not f.sequential], open_rows)
    taken = {id(h.run) for h in hits.values() if h.run is not None}
    free = [f for f in free if id(f) not in taken]
    return [hits[i] for i in sorted(hits)], free


def row_values(hit: RowHit, expected: int, notes: list[str]) -> list[Tok] | Tok | None:
    """The row's value tokens; one raw-text token when their count is not the expected one."""
    if hit.run is None:
        return None
    toks = list(hit.run.toks)
    if hit.run.pad and len(toks) > expected:
        toks = toks[: -hit.run.pad]
        notes.append(f"row {hit.label}: {hit.run.pad} trailing empty cell(s) dropped as merge padding")
    elif hit.run.pipe and len(toks) > expected and not any(t.text for t in toks[expected:]):
        # `| 一、本年新收… | 3 | … | 3 | ||`: empty pipe cells past the last value column on the row's own line
        # are the same merge padding; a row with a value out there is not trimmed (it stays one text cell).
        notes.append(
            f"row {hit.label}: {len(toks) - expected} trailing empty cell(s) dropped as merge padding"
        )
        toks = toks[:expected]
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


def squash_notes(notes: list[str]) -> list[str]:
    """One note for all rows whose trailing pipe cells were merge padding, the others as they are."""
    pad = [n for n in notes if n.endswith("merge padding")]
    rest = [n for n in notes if not n.endswith("merge padding")]
    if pad:
        rest.append(
            f"{len(pad)} row(s): trailing empty pipe cells beyond the value columns dropped as merge padding"
        )
    return rest


def note_orphans(text: str, free: list[Seg], notes: list[str]) -> None:
    for seg in free:
        if any(t.text for t in seg.toks):
            s, e = seg.toks[0].start, seg.toks[-1].end
            notes.append(f"numbers not attached to any row at text:{s}-{e}: {text[s:e]!r}")


# --------------------------------------------------------------------------------------------- cells


def _vcell(text: str, tok: Tok, r: int, c: int, colspan: int = 1) -> Cell:
    return Cell(
        text[tok.start : tok.end], r, c, 1, colspan, f"text:{tok.start}-{tok.end}", tok.start, tok.end
    )


def label_cell(
    label: str, span: tuple[int, int] | None, r: int, c: int, rowspan: int = 1, colspan: int = 1
) -> Cell:
    if span is None:
        return Cell(label, r, c, rowspan, colspan, "text:rebuilt")
    return Cell(label, r, c, rowspan, colspan, f"text:{span[0]}-{span[1]}", span[0], span[1])


def header_cell(label: str, r: int, c: int, src: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(label, r, c, rowspan, colspan, src)


def value_cells(text: str, vals: list[Tok] | Tok | None, r: int, c0: int, width: int) -> list[Cell]:
    if vals is None:
        return []
    if isinstance(vals, Tok):  # the raw run as printed, less any page-number line that fell inside it
        raw = "\n".join(ln for ln in text[vals.start : vals.end].split("\n") if not is_page_number(ln))
        return [Cell(raw, r, c0, 1, width, f"text:{vals.start}-{vals.end}", vals.start, vals.end)]
    if len(vals) < width and vals:  # a one-value row under a one-column block spans like the template
        return [_vcell(text, t, r, c0 + k) for k, t in enumerate(vals[:-1])] + [
            _vcell(text, vals[-1], r, c0 + len(vals) - 1, width - len(vals) + 1)
        ]
    return [_vcell(text, t, r, c0 + k) for k, t in enumerate(vals)]


def has_labels(chars: str, labels: Sequence[str]) -> str | None:
    """How the region holds the labels: "contiguous", "split" (all their characters), or None."""
    if all(lab in chars for lab in labels):
        return "contiguous"
    need = Counter("".join(labels))
    have = Counter(chars)
    return "split" if all(have[ch] >= n for ch, n in need.items()) else None


# --------------------------------------------------------------------------------------------- regions


def region_end(lines: list[Line], start: int, stop: int) -> int:
    for k in range(start, stop):
        if is_heading(lines[k]):
            return k
    return stop


def segs_in(lines: list[Line], a: int, b: int) -> list[Seg]:
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

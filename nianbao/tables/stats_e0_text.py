"""Flattened text → grids of the pre-2019 statistics tables (E0 families, `stats_e0.py`).

Scraped and extracted copies of these tables come as one row per line (`主动公开信息数 | 条 | 01 | 174 | 174 |`,
`申请总数 条 12`) or one cell per line (`主动公开信息数` / `| 条` / `| 01` / `| 174`). Both are read as a token
stream: a row is an indicator label followed by its unit, 代码 and values. The header says which columns
there are; a row whose numbers do not fill exactly those columns is kept as one unplaced TEXT cell over
all of them, never shifted onto a neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.tables import stats_e0
from nianbao.tables.catalog import canon
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.tokens import is_page_number, is_value_token, read_value

_HEADER_AT = re.compile(r"指\s*标\s*名\s*称|统\s*计\s*指\s*标")
_HEADER_WORDS = re.compile(
    r"序号|指标名称|统计指标|计量单位|单位|代码|本期实际|本年累计|历年累计|(?:\d{4}|本)年度(?:统计数)?|本年统计数|统计数"
)
_PROSE = re.compile(r"[。；]")
_WORD = re.compile(r"\S+")
_MAX_UNMATCHED = 4  # consecutive unknown labels that end a table (the report's prose resumes)
_HEADER_GAP = 8  # tokens after the last header word that end the header
_MAX_LABEL = 45  # a longer label (or one with a full stop) is prose, not a table row
_MAX_MERGE = 3  # further tokens a split header word may take (指 标 名 称: four tokens; 计量 / 单位)


@dataclass
class Tok:
    start: int
    end: int
    text: str  # '' for an empty pipe cell
    line: int
    kind: str = field(init=False, repr=False, compare=False)  # asked for again and again: made once

    def __post_init__(self) -> None:
        if not self.text:
            self.kind = "empty"
        elif stats_e0.unit_of(self.text):
            self.kind = "unit"
        elif is_value_token(self.text):
            self.kind = "value"
        else:
            self.kind = "label"


@dataclass
class Row:
    label: list[Tok] = field(default_factory=list)
    rest: list[Tok] = field(default_factory=list)
    prefix: list[Tok] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.label)


def _tokens(text: str, start: int, end: int) -> list[Tok]:
    """Cells of the region: pipes separate cells (`a | b |` closes each, `| a` opens one); spaces split values.

    Page-number lines are dropped by the one page-number grammar (`tokens.is_page_number`).
    """
    out: list[Tok] = []
    pos = start
    for no, raw in enumerate(text[start:end].split("\n")):
        line_start, pos = pos, pos + len(raw) + 1
        if is_page_number(raw):
            continue  # `- 3 -` between two rows is not a row's value
        if "|" not in raw:
            out.extend(_words(raw, line_start, no))
            continue
        pieces, p = [], line_start
        for piece in raw.split("|"):
            pieces.append((p, piece))
            p += len(piece) + 1
        if not raw.strip().startswith("|") and raw.rstrip().endswith("|"):
            pieces = pieces[:-1]  # `a | b |`: the last pipe closes the row
        elif raw.strip().startswith("|"):
            pieces = pieces[1:]  # `| a`: the pipe opens the cell
        for p0, piece in pieces:
            if not piece.strip():
                out.append(Tok(p0, p0, "", no))
                continue
            words = _words(piece, p0, no)
            if all(w.kind != "label" for w in words):
                out.extend(words)
            else:
                lead = len(piece) - len(piece.lstrip())
                content = piece.strip()
                out.append(Tok(p0 + lead, p0 + lead + len(content), content, no))
    return out


def _words(raw: str, offset: int, line: int) -> list[Tok]:
    return [Tok(m.start() + offset, m.end() + offset, m.group(), line) for m in _WORD.finditer(raw)]


def _header(toks: list[Tok]) -> tuple[list[tuple[str, Tok]], int]:
    """The header's column words (canonical) with their first token, and the index of the first token after it."""
    cols: list[tuple[str, Tok]] = []
    i = last = 0
    while i < len(toks) and i - last <= _HEADER_GAP:
        hit = next(
            (
                (word, j)
                for j in range(min(len(toks), i + _MAX_MERGE + 1), i, -1)
                if (word := canon("".join(t.text for t in toks[i:j]))) and _HEADER_WORDS.fullmatch(word)
            ),
            None,
        )
        if hit:
            cols.append((hit[0], toks[i]))
            i = last = hit[1]
            continue
        if toks[i].text:
            cols.append(("", toks[i]))  # an unknown column word keeps its position
        i += 1
    while cols and not cols[-1][0]:
        cols.pop()  # 甲 乙 丙 1 2 under the header words are not columns
    return cols, last


def _rows(toks: list[Tok], has_seq: bool) -> list[Row]:
    rows: list[Row] = []
    for tok in toks:
        cur = rows[-1] if rows else None
        if tok.kind == "label":
            if cur is None or cur.rest or cur.label[-1].line != tok.line:
                new = Row()
                if has_seq and cur is not None:
                    while cur.rest and cur.rest[-1].line == tok.line and cur.rest[-1].kind == "value":
                        new.prefix.insert(0, cur.rest.pop())  # `2 | 主动公开… |`: the 序号 opens the next row
                rows.append(new)
                cur = new
            cur.label.append(tok)
        elif cur is not None:
            cur.rest.append(tok)
    return rows


def _find(family: str, rows: list[Row]) -> list[tuple[Row, stats_e0.E0Row]]:
    """Rows matched to the family's catalog, in order, with a label broken over two lines joined back."""
    found: list[tuple[Row, stats_e0.E0Row]] = []
    section: str | None = None
    unmatched = 0
    i = 0
    while i < len(rows):
        row = rows[i]
        spec = stats_e0.match_row(family, row.text, section)
        if i + 1 < len(rows) and not row.rest:
            nxt = rows[i + 1]
            joined = stats_e0.match_row(family, row.text + nxt.text, section)
            if joined and not stats_e0.match_row(family, nxt.text, section):
                row = Row(row.label + nxt.label, nxt.rest, row.prefix)
                spec, i = joined, i + 1
        i += 1
        if _PROSE.search(row.text) or len(canon(row.text)) > _MAX_LABEL:
            break
        if spec is None:
            unmatched += 1
            if unmatched >= _MAX_UNMATCHED:
                break
            continue
        unmatched = 0
        if spec.sets_section:
            section = spec.sets_section
        found.append((row, spec))
    return found


def _grid(
    text: str, cols: list[tuple[str, Tok]], found: list[tuple[Row, stats_e0.E0Row]], index: int
) -> Grid:
    words = [w for w, _ in cols]
    label_col = next(i for i, w in enumerate(words) if w in ("指标名称", "统计指标"))
    unit_col = next((i for i, w in enumerate(words) if w in ("计量单位", "单位")), None)
    code_col = next((i for i, w in enumerate(words) if w == "代码"), None)
    seq_col = next((i for i, w in enumerate(words) if w == "序号"), None)
    first_value = max(i for i in (label_col, unit_col, code_col, seq_col) if i is not None) + 1
    n_values = len(words) - first_value
    src = f"text:{cols[0][1].start}-{cols[-1][1].end}"
    cells = [
        Cell(w or t.text, 0, c, source=f"text:{t.start}-{t.end}", span_start=t.start, span_end=t.end)
        for c, (w, t) in enumerate(cols)
    ]

    def put(
        tok: Tok, r: int, c: int, colspan: int = 1, text: str | None = None, end: int | None = None
    ) -> None:
        e = end if end is not None else tok.end
        cells.append(
            Cell(
                tok.text if text is None else text,
                r,
                c,
                colspan=colspan,
                source=f"text:{tok.start}-{e}",
                span_start=tok.start,
                span_end=e,
            )
        )

    for r, (row, spec) in enumerate(found, 1):
        first, last = row.label[0], row.label[-1]
        put(first, r, label_col, text=text[first.start : last.end], end=last.end)
        rest = list(row.rest)
        if rest and rest[0].kind == "unit":
            unit = rest.pop(0)
            if unit_col is not None:
                put(unit, r, unit_col)
        if code_col is not None and rest and rest[0].kind == "value":
            code = read_value(rest[0].text).number
            printed = len([t for t in rest if t.kind != "empty"]) > n_values
            if (spec.code is not None and code == spec.code) or (spec.code is None and printed):
                put(rest.pop(0), r, code_col)
        while len(rest) > n_values and rest[-1].kind == "empty":
            rest.pop()  # the pipe closing a one-cell-per-line row
        if len(rest) == n_values:
            for k, tok in enumerate(rest):
                put(tok, r, first_value + k)
        elif rest and n_values:  # the numbers do not fill the columns: where each belongs is unknown
            put(rest[0], r, first_value, n_values, text=text[rest[0].start : rest[-1].end], end=rest[-1].end)
    grid = from_cells(cells, "text", index, n_rows=len(found) + 1, n_cols=len(words))
    grid.notes.append(f"e0 header {src}")
    return grid


def e0_text_grids(text: str, first_index: int = 0) -> list[Grid]:
    """One grid per E0 statistics table in the flattened text (header found by its 指标名称 / 统计指标 column)."""
    grids: list[Grid] = []
    pos = 0
    while m := _HEADER_AT.search(text, pos):
        start = text.rfind("\n", 0, m.start()) + 1
        prev = text.rfind("\n", 0, max(start - 1, 0)) + 1
        if start and canon(text[prev : start - 1]) == "序号":
            start = prev  # one cell per line: 序号 is on the line above
        toks = _tokens(text, start, len(text))
        cols, after = _header(toks)
        family = stats_e0.family_of([w for w, _ in cols])
        pos = m.end()
        if family is None:
            continue
        rows = _rows(toks[after:], "序号" in (w for w, _ in cols))
        found = _find(family, rows)
        if not found:
            continue
        grids.append(_grid(text, cols, found, first_index + len(grids)))
        pos = max(pos, found[-1][0].label[-1].end)
    return grids

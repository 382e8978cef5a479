"""表三 (收到和处理政府信息公开申请情况): rebuilt from flattened text, and read from a grid by its labels.

Its layout: 一、本年新收 and 二、上年结转 over 三、本年度办理结果 (（一）…（七）, with merged parents （三）不予公开,
（四）无法提供, （五）不予处理 and, in the 2021 format, （六）其他处理 over three rows) and 四、结转下年度; seven
applicant columns. See report_formats.md §2.
"""

from __future__ import annotations

import re

from nianbao.tables import catalog, t2
from nianbao.tables.catalog import T3_CAPTION, T3_COLUMNS, T3_PARENTS, T3_ROWS, Label
from nianbao.tables.era import T3_STD2021_ROWS
from nianbao.tables.grid import Cell, Grid, from_cells
from nianbao.tables.labels import TableCell, label_text, map_columns, read_cell, row_canon
from nianbao.tables.text_grid import (
    Anchor,
    Line,
    RowHit,
    Seg,
    Stream,
    Tok,
    bind_rows,
    find_rows,
    has_labels,
    header_cell,
    is_heading,
    label_cell,
    note_orphans,
    row_values,
    segs_in,
    squash_notes,
    value_cells,
)

START = re.compile(r"^(?:一[、.,]?)?本年新收")
_T3_TITLE = re.compile(r"收到和处理|申请情况$")
_HEADER_LOOKBACK = 30  # lines searched above the first 表三 row for its header
_PARENT_LABEL = {p.pid: p.label for p in T3_PARENTS}
_T3_HEADER_WORDS = re.compile(
    r"\(?本列数据的勾稽关系[^)]*\)?|申请人情况|法人或其他组织|自然人|商业企业|科研机构|社会公益组织|法律服务机构"
)


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


def text_grid(text: str, lines: list[Line], a: int, first: int, b: int, index: int) -> Grid | None:
    notes: list[str] = []
    vspan = _strip_vertical(lines, first, b, _PARENT_LABEL["三"])
    if vspan:
        notes.append("vertical label 三、本年度办理结果 read one char per line")
    segs = segs_in(lines, a, b)
    stream = Stream(segs)
    era2021 = bool(T3_STD2021_ROWS.search(stream.s))
    # 2021 layout: （六） is a parent over three rows; otherwise （六）其他处理 is one row.
    specs = [s for s in T3_ROWS if ("std2021" if era2021 else "std2019") in s.eras]
    row_anchors = find_rows(stream, specs, lambda i, j: False)
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
    hits, free = bind_rows(segs, stream, anchors)
    note_orphans(text, free, notes)
    if any(seg.kind == "run" and not seg.sequential for seg in segs):
        notes.append("numbers attached to row labels by line adjacency")

    header_chars = stream.s[: anchors[0].start]
    how = has_labels(header_chars, ["申请人情况", "法人或其他组织", *T3_COLUMNS])
    if how is None:
        how = has_labels(header_chars, list(T3_COLUMNS))
    cells: list[Cell] = []
    r = 0
    if how:
        hs, he = lines[a].start, lines[first].start
        src = f"text:header@{hs}-{he}"
        notes.append(f"header rebuilt in official order (labels found {how} in text:{hs}-{he})")
        cells += [
            header_cell(T3_CAPTION, 0, 0, src, 3, 3),
            header_cell("申请人情况", 0, 3, src, 1, 7),
            header_cell("自然人", 1, 3, src, 2, 1),
            header_cell("法人或其他组织", 1, 4, src, 1, 5),
            header_cell("总计", 1, 9, src, 2, 1),
            *[header_cell(lab, 2, 4 + k, src) for k, lab in enumerate(T3_COLUMNS[1:6])],
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
    body: list[tuple[RowHit, list[Tok] | Tok | None]] = [(h, row_values(h, 7, notes)) for h in hits]
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
        cells.append(label_cell(_PARENT_LABEL[pid], parent_span.get(pid), r + ks[0], col, len(ks), 1))
    for k, (h, vals) in enumerate(body):
        spec = h.anchor.spec
        assert spec is not None
        col = {1: 0, 2: 1, 3: 2}[spec.level]
        cells.append(label_cell(h.label, h.span, r + k, col, 1, 3 - col))
        cells += value_cells(text, vals, r + k, 3, 7)
    return from_cells(cells, "text", index, notes=squash_notes(notes), n_rows=r + len(body), n_cols=10)


def header_start(lines: list[Line], first: int, floor: int) -> int:
    """The first line of the 表三 header above its first row: after the title, prose or a table above."""
    k = first
    while k > max(floor, first - _HEADER_LOOKBACK):
        prev = lines[k - 1]
        sq = prev.squeezed
        if is_heading(prev) or _T3_TITLE.search(sq) or t2.CAPTION.search(sq) or t2.row_line(sq):
            break
        k -= 1
    return k


def read_cells(
    grid: Grid, start: int, end: int, doc_era: str | None, taken: set[tuple[str, str, str]]
) -> list[TableCell]:
    first_data = next((r for r in range(start, end) if "本年新收" in row_canon(grid, r)), None)
    header = range(start, first_data if first_data is not None else min(start + 3, end))
    columns = map_columns(grid, header, catalog.T3_COLS)
    if not columns:
        return []
    first_value = min(columns)
    rows: list[tuple[int, Label, str]] = []
    seen: set[str] = set()
    for r in range(header.stop, end):
        canon_label, printed = label_text(grid, r, first_value)
        lab = catalog.match_row(catalog.T3_MATCH_ORDER, canon_label) if canon_label else None
        if lab and lab.key not in seen:
            seen.add(lab.key)
            rows.append((r, lab, printed))
    keys = {lab.key for _, lab, _ in rows}
    era = (
        "std2021"
        if keys & {"other.no_correction", "other.no_fee", "other.other"}
        else ("std2019" if "other" in keys else doc_era)
    )
    value_cols = set(columns)
    return [
        read_cell(grid, "t3", era, r, col, (lab.key, printed), columns[col], value_cols, "件", None)
        for r, lab, printed in rows
        if era is None or era in lab.eras
        for col in sorted(columns)
        if ("t3", lab.key, columns[col][0]) not in taken
    ]

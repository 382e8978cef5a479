"""Every HTML `<table>` → a `Grid`, with rowspan/colspan expanded the way a browser lays the table out.

Report pages are hand-made or exported from Word/WPS: spans are the only record of which label covers which
row, so they are expanded (not dropped), and malformed spans (`rowspan="0"`, `colspan="9999"`, overlaps) are
clamped rather than trusted. A table nested in a cell is its own grid; its text is left out of the outer
cell, so no value is read twice. Page-frame layout tables come back too: the catalog ignores grids with no
statutory labels, and dropping them here would hide the tables they contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from nianbao.tables.grid import Cell, Grid, from_cells

MAX_COLSPAN = 1000  # the HTML spec's limits; larger values are clamped like a browser does
MAX_ROWSPAN = 65534
MAX_GRID_SLOTS = 1_000_000  # rows × columns of one expanded grid; a report table has a few hundred
SHALLOW_CELL = 3  # levels of elements below a cell that `_shallow_parts` reads; deeper cells are walked
MAX_DATA_CELL = 200  # chars: a data table's cells are labels and numbers; a page frame's cell is paragraphs
_TWO_NUMBERS = re.compile(r"\d\s+[+-]?\d")  # a cell holding a flattened row (`10 1 0 …`), not one value
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPAN = re.compile(r"\s*\+?(\d+)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SKIP_TEXT = frozenset({"script", "style", "noscript", "template", "head", "title", "object", "select"})
_NO_TEXT = _SKIP_TEXT | {
    "table"
}  # a cell reads neither these nor a nested table (their breaks and tails stay)
_BREAKS = frozenset(
    {
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dd",
        "dt",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "pre",
        "blockquote",
        "section",
        "article",
        "center",
        "tr",
        "td",
        "th",
        "table",
    }
)
# What `_hidden` reads, for a whole table in two calls: any `hidden` attribute, and every style.
_ANY_HIDDEN_ATTR = etree.XPath("boolean(descendant-or-self::*[@hidden])")
_STYLES = etree.XPath("descendant-or-self::*/@style", smart_strings=False)
_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})
_ROW_ITEMS = _GROUPS | _CELLS | {"tr"}  # what `_walk_rows` yields …
_NOT_IN_ROWS = frozenset({"", "caption", "colgroup", "col", "table"})  # … and what it does not look into
_NOT_WRAPPERS = _GROUPS | {"table", "tr"}  # between a `tr` and its cells


@dataclass
class _Row:
    cells: list[etree._Element]
    group_end: int = 0  # index one past the last row of this row's group (rowspan never crosses it)


def _tag(el: etree._Element) -> str:
    """Tag name (libxml2's HTML parser lower-cases it); '' for comments."""
    return el.tag if isinstance(el.tag, str) else ""


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    # Most styles say neither: a substring test first ("none" and "dden" have no case forms but ASCII ones,
    # so any match of the case-blind pattern holds one of them once lower-cased).
    return _hidden_style(el.get("style") or "")


def _hidden_style(style: str) -> bool:
    low = style.lower()
    return ("none" in low or "dden" in low) and bool(_HIDDEN_STYLE.search(style))


def _hides(table: etree._Element) -> bool:
    """True when anything in the table (itself included) is hidden; when not, no element of it needs
    `_hidden`. The styles are tested as one string: NUL is neither a space nor in the pattern, so a match
    never spans two of them."""
    return bool(_ANY_HIDDEN_ATTR(table)) or _hidden_style("\x00".join(_STYLES(table)))


def clean_text(s: str) -> str:
    """One line: invisible characters removed, any whitespace run (nbsp, U+3000, newlines) → one space."""
    if s.isascii():  # (the invisible characters are not)
        return " ".join(s.split())
    return " ".join(_INVISIBLE.sub("", s).split())  # str.split's whitespace is the `\s` of a str pattern


def _cell_text(cell: etree._Element, hides: bool = True) -> str:
    """Visible text of a cell; block elements and `<br>` become a space; nested tables are left out.
    `hides`: whether an element of the cell may be hidden (False: its table hides nothing, see `_hides`).

    One `iterwalk` over the cell (lxml gives each element's start and end, so its tail follows its
    subtree); a break may add a second space where the old walk added one, and `clean_text` collapses both."""
    if not len(cell):  # most cells: their own text only
        return clean_text(cell.text or "")
    parts = [cell.text or ""]
    if _shallow_parts(cell, parts, SHALLOW_CELL, hides):
        return clean_text("".join(parts))
    parts = [cell.text or ""]
    walker = etree.iterwalk(cell, events=("start", "end", "comment", "pi"))
    next(walker)  # the cell's own start: its text is in
    for event, el in walker:
        if event == "start":
            name = el.tag
            if name in _BREAKS:
                parts.append(" ")
            if name in _SKIP_TEXT or name == "table" or _hidden(el):
                walker.skip_subtree()  # its end still comes: its break and tail stay
            elif text := el.text:  # lxml makes a new str on every access: read it once
                parts.append(text)
            continue
        if el is cell:
            break  # the cell's tail is not the cell's
        if event == "end" and el.tag in _BREAKS:
            parts.append(" ")
        if tail := el.tail:  # a comment or processing instruction: only its tail
            parts.append(tail)
    return clean_text("".join(parts))


def _shallow_parts(el: etree._Element, parts: list[str], depth: int, hides: bool) -> bool:
    """`_cell_text`'s walk by recursion over `el`'s children, for a cell a few levels deep (`<td><p>…<br>`:
    a walker's events cost more than the elements); False, leaving `parts` unfinished, past `depth` levels
    or at a node the walker does not report (an entity reference)."""
    add = parts.append
    for child in el:
        name = child.tag
        if isinstance(name, str):
            brk = name in _BREAKS
            if brk:
                add(" ")
            if name not in _NO_TEXT and not (hides and _hidden(child)):
                if text := child.text:
                    add(text)
                if len(child) and (depth == 0 or not _shallow_parts(child, parts, depth - 1, hides)):
                    return False
            if brk:
                add(" ")
        elif name is not etree.Comment and name is not etree.PI:
            return False
        if tail := child.tail:
            add(tail)
    return True


def _walk_rows(node: etree._Element) -> Iterator[etree._Element]:
    """`tr`, `td`/`th` and row groups under a table, looking through stray wrappers (`<form>`, `<div>`)."""
    for child in node:
        name = _tag(child)
        if name in _NOT_IN_ROWS:
            continue
        if name in _ROW_ITEMS:
            yield child
        else:
            yield from _walk_rows(child)


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    out: list[etree._Element] = []
    for child in tr:
        name = _tag(child)
        if name in _CELLS:
            out.append(child)
        elif name and name not in _NOT_WRAPPERS:
            out.extend(_row_cells(child))  # a wrapper between tr and td
    return out


def _rows(table: etree._Element, hides: bool) -> list[_Row]:
    """The table's rows in document order; cells outside any `tr` form an implicit row, as in browsers."""
    rows: list[_Row] = []
    group_start = 0

    def close_group() -> None:
        nonlocal group_start
        for row in rows[group_start:]:
            row.group_end = len(rows)
        group_start = len(rows)

    def add(items: Iterator[etree._Element]) -> None:
        loose: list[etree._Element] = []
        for item in items:
            name = _tag(item)
            if name in _CELLS:
                loose.append(item)
                continue
            if loose:
                rows.append(_Row(loose))
                loose = []
            if name == "tr":
                if not (hides and _hidden(item)):
                    rows.append(_Row(_row_cells(item)))
            elif name in _GROUPS:
                close_group()
                add(_walk_rows(item))
                close_group()
        if loose:
            rows.append(_Row(loose))

    add(_walk_rows(table))
    close_group()
    return rows


def _span(value: str | None, zero: int) -> int:
    """A span attribute as a browser reads it: leading digits; `0` → `zero`; junk or negative → 1."""
    if value is None:
        return 1
    m = _SPAN.match(value)
    if not m:
        return 1
    n = int(m.group(1)[:9])
    return zero if n == 0 else n


def _grid(table: etree._Element, index: int, nested: dict[etree._Element, int], hides: bool) -> Grid:
    """The table's grid; `hides`: whether an element of it may be hidden (`_hides`)."""
    rows = _rows(table, hides)
    notes: list[str] = []
    caption = next((c for c in table if _tag(c) == "caption"), None)
    if caption is not None and (cap := _cell_text(caption, hides)):
        notes.append(f"caption: {cap}")
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[Cell, etree._Element]] = []
    for r, row in enumerate(rows):
        c = 0
        for td in row.cells:
            while (r, c) in taken:
                c += 1
            rs_attr, cs_attr = (td.get("rowspan"), td.get("colspan")) if td.attrib else (None, None)
            source = f"html:t{index}/r{r}c{c}"
            if rs_attr is None and cs_attr is None:  # most cells: no span to read or clamp
                placed.append((Cell(_cell_text(td, hides), r, c, 1, 1, source=source), td))
                taken.add((r, c))
                c += 1
                continue
            left = row.group_end - r
            rs_raw = _span(rs_attr, left)
            cs_raw = _span(cs_attr, 1)
            rs, cs = max(1, min(rs_raw, MAX_ROWSPAN, left)), max(1, min(cs_raw, MAX_COLSPAN))
            if rs != rs_raw:
                notes.append(f"rowspan clamped r{r}c{c}: {rs_attr} -> {rs}")
            cs_ok = next((k for k in range(1, cs) if (r, c + k) in taken), cs)
            rs_ok = next(
                (k for k in range(1, rs) if any((r + k, c + j) in taken for j in range(cs_ok))),
                rs,
            )
            if (cs_ok, rs_ok) != (cs, rs):
                notes.append(f"overlapping span r{r}c{c}: {rs}x{cs} -> {rs_ok}x{cs_ok}")
            placed.append((Cell(_cell_text(td, hides), r, c, rs_ok, cs_ok, source=source), td))
            taken.update((r + i, c + j) for i in range(rs_ok) for j in range(cs_ok))
            c += cs_ok
    cells = [cell for cell, _ in placed]
    width = max((c.col + 1 for c in cells), default=0)  # past the last column where a cell starts: spans only
    final: list[Cell] = []
    for cell in cells:
        if cell.col + cell.colspan > width:
            notes.append(f"colspan clamped r{cell.row}c{cell.col}: {cell.colspan} -> {width - cell.col}")
            cell = Cell(cell.text, cell.row, cell.col, cell.rowspan, width - cell.col, source=cell.source)
        final.append(cell)
    for cell, td in placed if any(t is not table for t in table.iter("table")) else []:
        for inner in td.iter("table"):
            if next(inner.iterancestors("table"), None) is table and inner in nested:
                notes.append(f"nested table t{nested[inner]} in r{cell.row}c{cell.col}")
    if len(rows) * width > MAX_GRID_SLOTS:  # a crafted table could otherwise expand to gigabytes
        return Grid([], "html", index, notes=[*notes, f"not expanded: {len(rows)} rows x {width} columns"])
    return from_cells(final, "html", index, notes=notes, n_rows=len(rows), n_cols=width)


def parse_html(html: str) -> etree._Element | None:
    """Parse a page once, for its text (`html_extract.report_text`) and its tables (`page_grids`), with
    libxml2's forgiving HTML parser (no network, no entity expansion). Comments stay in the tree: the text
    reads them; the grids skip them."""
    html = _XML_DECL.sub("", html.lstrip("\ufeff"), count=1)
    if not html.strip():
        return None
    # huge_tree: else libxml2 silently stops at depth 255. The text goes in as UTF-8 bytes, the encoding the
    # parser is told (a `<meta charset>` in them is not obeyed): the same tree as from the str, parsed in
    # 60 % of the time. A lone surrogate fails to encode, as it fails in the str's parse.
    parser = etree.HTMLParser(no_network=True, huge_tree=True, encoding="utf-8")
    try:
        parser.feed(html.encode("utf-8"))
        return parser.close()
    except (etree.ParserError, ValueError):  # (UnicodeEncodeError is a ValueError)
        return None


def html_grids(html: str) -> list[Grid]:
    """Every `<table>` of the page in document order (outer before inner), spans expanded."""
    return page_grids(parse_html(html))


def page_grids(page: etree._Element | None) -> list[Grid]:
    """`html_grids` of a page already parsed by `parse_html` (the tree is not changed)."""
    return [grid for _, grid in page_tables(page)]


def page_tables(page: etree._Element | None) -> list[tuple[etree._Element, Grid]]:
    """Each `<table>` of the page with its grid (`page_grids`' order)."""
    if page is None:
        return []
    tables = list(page.iter("table"))
    index = {t: i for i, t in enumerate(tables)}
    hides = bool(tables) and _hides(page)  # most pages hide nothing: no table of theirs is asked
    return [(t, _grid(t, i, index, hides and _hides(t))) for i, t in enumerate(tables)]


def holds_all_text(table: etree._Element, grid: Grid) -> bool:
    """True when the grid is all the table says: no table or caption in it, nothing hidden, every cell short
    and holding one number at most.

    Such a table's flattened lines are the grid again; a page-frame table (cells of paragraphs, which may
    print a table as flattened lines), a cell holding a row's numbers, or hidden rows are not that."""
    texts = [c.text for row in grid.rows for c in row if c]
    return (
        bool(texts)
        and max(map(len, texts)) <= MAX_DATA_CELL
        and not _TWO_NUMBERS.search("\x00".join(texts))  # (NUL: a match never spans two cells)
        and not any(True for _ in table.iterdescendants("table", "caption"))
        and not _hides(table)
    )

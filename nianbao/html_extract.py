"""HTML page → the report's text: the body container, its title and its date line; not the site chrome.

Scraped pages wrap one report in navigation, share bars and footers that name the hosting site; the body is
the block with the most non-link Chinese text. Table rows become lines with ` | ` between cells, the form
flattened text takes elsewhere.

The page is read from the lxml tree that `readers.html_tables.parse_html` builds once for both the text and
the table grids, in one walk. The walk keeps the text rules this module had when it read a BeautifulSoup tree
(same output): a string of ASCII whitespace only counts as one space (outside `pre`/`textarea`), comment text
is part of the flattened text but not of the body score or a heading, and neither is text under `script`,
`style`, `template`, `rt` or `rp`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate

from lxml import etree

from nianbao.readers.html_tables import parse_html

_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "iframe", "form", "select", "button", "nav", "header", "footer"}
)
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|copyright|banner|toolbar", re.I)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "tbody",
        "thead",
        "center",
    }
)
_CANDIDATES = frozenset({"div", "article", "section", "td", "main"})
_HEADINGS = frozenset({"h1", "h2"})
_NOT_PROSE = frozenset({"script", "style", "template", "rt", "rp"})  # text here scores nothing
_KEEP_SPACE = frozenset({"pre", "textarea"})
_ASCII_SPACE = " \n\t\f\r"
_NON_CJK = re.compile(r"[^\u4e00-\u9fff]+")  # deleted, what is left is counted
_NON_SPACE = re.compile(r"\S+")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")
_LEADING_BAR = re.compile(r"^[^\S\n]*\|[^\S\n]*", re.M)  # a cell bar that starts a line
_DATE_LINE = re.compile(r"(发布|發布|成文|印发)(时间|日期|時間)|日期[:：]")


def _is_chrome(el: etree._Element) -> bool:
    ident, cls = el.get("id"), el.get("class")
    if not ident and not cls:
        return False
    attrs = " ".join([ident or "", *_NON_SPACE.findall(cls or "")])
    return bool(attrs.strip()) and bool(_CHROME.search(attrs))


def _dropped(el: etree._Element) -> bool:
    return el.tag in _DROP_TAGS or _is_chrome(el)


def _flat(s: str, keep_space: bool) -> str:
    """A text run as the flattened text has it: newlines as spaces, ASCII whitespace alone as one space."""
    if keep_space or s.strip(_ASCII_SPACE):
        return s.replace("\n", " ")
    return " "


# Each tag's roles in the walk, as bits: one dict lookup an element (most elements have none).
_DROP, _CANDIDATE, _HEADING, _CELL, _BLOCK, _TABLE, _KEEPS, _NOT_PROSE_BIT, _LINK = (1 << i for i in range(9))
_ROLES: dict[str, int] = {}
for _bit, _tags in (
    (_DROP, _DROP_TAGS),
    (_CANDIDATE, _CANDIDATES),
    (_HEADING, _HEADINGS),
    (_CELL, ("td", "th")),
    (_BLOCK, _BLOCKS),
    (_TABLE, ("table",)),
    (_KEEPS, _KEEP_SPACE),
    (_NOT_PROSE_BIT, _NOT_PROSE),
    (_LINK, ("a",)),
):
    for _t in _tags:
        _ROLES[_t] = _ROLES.get(_t, 0) | _bit
_MARKED = _CANDIDATE | _HEADING | _KEEPS | _NOT_PROSE_BIT  # roles read at the start, cells and blocks aside
_COUNTED = _CANDIDATE | _HEADING | _LINK  # roles that read the totals at the end
_ID_OR_CLASS = etree.XPath("descendant-or-self::*[@id or @class]")


@dataclass
class _Walk:
    """One pass over the kept part of the page: flattened text parts, each candidate's slice of them and
    body score, and the headings in document order with their Chinese-character counts. Iterative
    (`etree.iterwalk`): a page may nest 2 000 elements deep."""

    parts: list[str] = field(default_factory=list)
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    scores: dict[etree._Element, int] = field(default_factory=dict)
    headings: dict[etree._Element, int] = field(default_factory=dict)
    tables: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)  # each table's parts
    _whole: tuple[str, list[str], list[int]] | None = None  # `whole()`, once the walk is done

    def run(self, root: etree._Element | None, top: list[etree._Element]) -> int:
        """Walk `root` (or, when None, the document's top-level nodes `top`); return its body score.

        An element's score is its prose's Chinese characters less twice those inside links: running
        totals of both, read at its start and end, so an element costs one tuple on the stack, one lookup
        of its tag's roles and lxml's calls (a page is mostly table cells)."""
        parts, spans, scores, headings, tables = (
            self.parts,
            self.spans,
            self.scores,
            self.headings,
            self.tables,
        )
        add = parts.append
        roles = _ROLES.get
        cjk = links = 0  # prose Chinese characters so far; of those, the ones inside links (nested: twice)
        keep, prose = False, True  # the open element's: ASCII whitespace kept; its text scores
        for node in top if root is None else [root]:
            if not isinstance(node.tag, str):  # a comment before or after <html>
                add(_flat(node.text or "", False))
                continue
            chrome = {el for el in _ID_OR_CLASS(node) if _is_chrome(el)}
            # Per open element: its roles, first part, totals at its start, and the flags it came in with;
            # None for a dropped element (its subtree skipped, its end still comes).
            stack: list[tuple[int, int, int, int, bool, bool] | None] = []
            push, pop = stack.append, stack.pop
            walker = etree.iterwalk(node, events=("start", "end", "comment"))
            for event, el in walker:
                if event == "start":
                    role = roles(el.tag, 0)
                    if stack and (role & _DROP or el in chrome):  # the top node is read whatever it is
                        walker.skip_subtree()
                        push(None)
                        continue
                    push((role, len(parts), cjk, links, keep, prose))
                    if role:
                        if role & _MARKED:
                            if role & _CANDIDATE:
                                scores[el] = 0  # a place in document order (parents first), as `max` reads it
                            if role & _HEADING:
                                headings[el] = 0
                            if role & _KEEPS:
                                keep = True
                            if role & _NOT_PROSE_BIT:
                                prose = False
                        if role & _CELL:
                            add(" | ")
                        if role & _BLOCK:
                            add("\n")
                            if role & _TABLE:  # its parts start on a line of their own (the line break)
                                tables[el] = (len(parts), len(parts))
                    if text := el.text:  # lxml makes a new str on every access: read it once
                        add(text.replace("\n", " ") if keep or text.strip(_ASCII_SPACE) else " ")
                        if prose and not text.isascii():
                            cjk += len(_NON_CJK.sub("", text))
                    continue
                if event == "end":
                    opened = pop()
                    if opened is not None:  # (a dropped element: only its tail stays)
                        role, start, cjk0, links0, keep, prose = opened  # back to the parent's flags
                        if role & _BLOCK:
                            if role & _TABLE:  # … and end where a line ends (the block's line break)
                                tables[el] = (tables[el][0], len(parts))
                            add("\n")
                        if role & _COUNTED:
                            if role & _CANDIDATE:
                                spans[el] = (start, len(parts))
                                scores[el] = cjk - cjk0 - 2 * (links - links0)
                            if role & _HEADING:
                                headings[el] = cjk - cjk0
                            if role & _LINK:
                                links += cjk - cjk0
                        if not stack:
                            continue  # the top node's own tail is not the page's
                else:  # a comment: flattened text, never prose
                    add(_flat(el.text or "", keep))
                if tail := el.tail:
                    add(tail.replace("\n", " ") if keep or tail.strip(_ASCII_SPACE) else " ")
                    if prose and not tail.isascii():
                        cjk += len(_NON_CJK.sub("", tail))
        return cjk - 2 * links

    def whole(self) -> tuple[str, list[str], list[int]]:
        """The joined parts, their lines as `_rewritten`, and each part's offset in the joined text."""
        if self._whole is None:
            raw = "".join(self.parts)
            self._whole = raw, _rewritten(raw), list(accumulate(map(len, self.parts), initial=0))
        return self._whole

    def text(self) -> str:
        """The flattened text of the whole walk, one block per line."""
        return "\n".join(ln for ln in self.whole()[1] if ln)

    def text_tables(self, span: tuple[int, int] | None) -> tuple[str, dict[etree._Element, tuple[int, int]]]:
        """The flattened text of the whole walk or of one candidate's span, and the char span in it of each
        table inside `span` that left a line in it.

        A span that starts and ends with a line break (a block's) holds whole lines of the walk's text, the
        same: none of `_rewritten`'s rewrites reaches across a line break. A table's parts are whole lines
        (a table is a block: its parts follow a line break and a line break follows them), so its lines are
        found by counting the line breaks before and in its parts."""
        whole, whole_lines, offsets = self.whole()
        first, last = (0, len(self.parts)) if span is None else span
        start = offsets[first]
        raw = whole[start : offsets[last]]
        if span is None:
            lines = whole_lines
        elif raw[:1] == "\n" and raw[-1:] == "\n":
            i = whole.count("\n", 0, start)  # the line `raw` starts on
            lines = ["", *whole_lines[i + 1 : i + raw.count("\n")], ""]
        else:
            lines = _rewritten(raw)
        text = "\n".join(ln for ln in lines if ln)
        inside = [(el, a, b) for el, (a, b) in self.tables.items() if a >= first and b <= last]
        if not inside:
            return text, {}
        starts = list(accumulate((len(ln) + 1 if ln else 0 for ln in lines), initial=0))  # each line's offset
        found: dict[etree._Element, tuple[int, int]] = {}
        for el, a, b in inside:
            top = whole.count("\n", start, offsets[a])
            bottom = top + whole.count("\n", offsets[a], offsets[b])
            kept = [k for k in range(top, bottom + 1) if lines[k]]
            if kept:
                found[el] = (starts[kept[0]], starts[kept[-1]] + len(lines[kept[-1]]))
        return text, found


def _rewritten(raw: str) -> list[str]:
    """The lines of joined parts as the text has them: space runs as one space, no leading cell bar, no
    spaces at the ends (line for line: none of these rewrites adds or removes a line break)."""
    return [x.strip() for x in _LEADING_BAR.sub("", _SPACE_RUN.sub(" ", raw)).split("\n")]


def _prose_strings(el: etree._Element, keep_dropped: bool) -> list[str]:
    """The prose strings under `el` (what a heading or title reads), without or with dropped elements."""
    if any(a.tag in _NOT_PROSE for a in el.iterancestors()):
        return []
    out: list[str] = []
    todo: list[etree._Element | str] = [el]
    while todo:
        node = todo.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        if node.text:
            out.append(node.text)
        for child in reversed(node):  # each child, then its tail
            if child.tail:
                todo.append(child.tail)
            tag = child.tag
            if isinstance(tag, str) and tag not in _NOT_PROSE and (keep_dropped or not _dropped(child)):
                todo.append(child)
    return out


def _joined(strings: list[str]) -> str:
    """`get_text(" ", strip=True)`: the strings stripped, empty ones left out, joined by one space."""
    return " ".join(s for s in (x.strip() for x in strings) if s)


def extract_report_text(html: str) -> str:
    """Return title, date line and body text of a report page (plain text, one block per line)."""
    return report_text(parse_html(html))


def report_text(page: etree._Element | None) -> str:
    """`extract_report_text` of a page already parsed by `parse_html` (the tree is not changed)."""
    return report_text_tables(page)[0]


def report_text_tables(page: etree._Element | None) -> tuple[str, dict[etree._Element, tuple[int, int]]]:
    """`report_text`, and where each `<table>` of the body stands in it (char span from its first line's
    start to its last line's end): the lines a grid reader read already."""
    if page is None:
        return "", {}
    # Text after `</html>` makes a second `<html>` next to the first; the page is all of them.
    top = [*reversed(list(page.itersiblings(preceding=True))), page, *page.itersiblings()]
    elements = [n for n in top if isinstance(n.tag, str)]
    title_el = next((t for el in elements for t in el.iter("title")), None)
    title = _site_free_title(_joined(_prose_strings(title_el, True))) if title_el is not None else ""
    root = next((b for el in elements for b in el.iter("body")), None)  # None: every node, not the doctype
    walk = _Walk()
    score = walk.run(root, top)  # the body is read whatever its class says: it is the page, not chrome
    best = max(walk.scores, key=walk.scores.__getitem__, default=None)
    if best is not None and walk.scores[best] < 0.5 * score:  # text spread over siblings
        best = None  # keep the whole body
    body, tables = walk.text_tables(None if best is None else walk.spans[best])
    outside = body if best is None else walk.text()
    heading = next((_joined(_prose_strings(h, False)) for h, n in walk.headings.items() if n), "")
    head_lines = [ln for ln in (heading or title,) if ln and ln not in body]
    head = "\n".join([*head_lines, *_date_line(outside, body), ""])
    return head + body, {el: (len(head) + a, len(head) + b) for el, (a, b) in tables.items()}


def _date_line(outside: str, body: str) -> list[str]:
    """The first line of `outside` under 120 chars that names a date and is not in `body` (at most one): the
    lines the pattern finds, not every line (it never spans a line break)."""
    for m in _DATE_LINE.finditer(outside):
        end = outside.find("\n", m.end())
        line = outside[outside.rfind("\n", 0, m.start()) + 1 : None if end < 0 else end]
        if len(line) < 120 and line not in body:
            return [line]
    return []


def _site_free_title(title: str) -> str:
    """`某区2022年…年度报告_某某网` → the part that names the report, not the site."""
    parts = [p.strip() for p in re.split(r"[_|｜]| - | — ", title) if p.strip()]
    return next((p for p in parts if "报告" in p or "報告" in p), parts[0] if parts else "")


def looks_like_html(raw_head: str) -> bool:
    head = raw_head[:2048].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)

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
from collections.abc import Iterable
from dataclasses import dataclass, field

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
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NON_SPACE = re.compile(r"\S+")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")
_LEADING_BAR = re.compile(r"^\s*\|\s*")
_DATE_LINE = re.compile(r"(发布|發布|成文|印发)(时间|日期|時間)|日期[:：]")


def _cjk_len(s: str) -> int:
    return len(_CJK.findall(s))


def _is_chrome(el: etree._Element) -> bool:
    attrs = " ".join([el.get("id") or "", *_NON_SPACE.findall(el.get("class") or "")])
    return bool(attrs.strip()) and bool(_CHROME.search(attrs))


def _dropped(el: etree._Element) -> bool:
    return el.tag in _DROP_TAGS or _is_chrome(el)


def _string(s: str, keep_space: bool) -> str:
    """A text run as it counts: ASCII whitespace alone is one space (a newline when it held one)."""
    if keep_space or s.strip(_ASCII_SPACE):
        return s
    return "\n" if "\n" in s else " "


@dataclass
class _Walk:
    """One pass over the kept part of the page: flattened text parts, each candidate's slice of them and
    body score, and the headings in document order with their Chinese-character counts."""

    parts: list[str] = field(default_factory=list)
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    scores: dict[etree._Element, int] = field(default_factory=dict)
    headings: dict[etree._Element, int] = field(default_factory=dict)

    def visit(self, el: etree._Element, keep_space: bool, prose: bool) -> tuple[int, int]:
        """Emit `el`'s text; return its Chinese chars and those inside its links (score = chars - 2·links)."""
        name = el.tag
        keep_space = keep_space or name in _KEEP_SPACE
        prose = prose and name not in _NOT_PROSE
        start = len(self.parts)
        if name in _CANDIDATES:
            self.scores[el] = 0  # a place in document order (parents before children), as `max` reads it
        if name in _HEADINGS:
            self.headings[el] = 0
        if name in ("td", "th"):
            self.parts.append(" | ")
        block = name in _BLOCKS
        if block:
            self.parts.append("\n")
        cjk, links = self.inner(el.text, el, keep_space, prose)
        if block:
            self.parts.append("\n")
        if name in _CANDIDATES:
            self.spans[el] = (start, len(self.parts))
            self.scores[el] = cjk - 2 * links
        if name in _HEADINGS:
            self.headings[el] = cjk
        return cjk, links

    def inner(
        self, text: str | None, children: Iterable[etree._Element], keep_space: bool, prose: bool
    ) -> tuple[int, int]:
        """Emit a node's own text and its children (comments, kept elements and their tails)."""
        cjk = links = 0
        if text:
            s = _string(text, keep_space)
            self.parts.append(s.replace("\n", " "))
            if prose:
                cjk += _cjk_len(s)
        for child in children:
            if not isinstance(child.tag, str):  # a comment: flattened text, never prose
                self.parts.append(_string(child.text or "", keep_space).replace("\n", " "))
            elif not _dropped(child):
                n, a = self.visit(child, keep_space, prose)
                cjk += n
                links += a + (n if child.tag == "a" else 0)
            if child.tail:
                s = _string(child.tail, keep_space)
                self.parts.append(s.replace("\n", " "))
                if prose:
                    cjk += _cjk_len(s)
        return cjk, links

    def text(self, span: tuple[int, int] | None = None) -> str:
        """The flattened text of the whole walk or of one candidate's span, one block per line."""
        parts = self.parts if span is None else self.parts[span[0] : span[1]]
        lines = [_LEADING_BAR.sub("", _SPACE_RUN.sub(" ", ln)).strip() for ln in "".join(parts).split("\n")]
        return "\n".join(ln for ln in lines if ln)


def _prose_strings(el: etree._Element, keep_dropped: bool) -> list[str]:
    """The prose strings under `el` (what a heading or title reads), without or with dropped elements."""
    if any(a.tag in _NOT_PROSE for a in el.iterancestors()):
        return []
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag in _NOT_PROSE:
            return
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and (keep_dropped or not _dropped(child)):
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return out


def _joined(strings: list[str]) -> str:
    """`get_text(" ", strip=True)`: the strings stripped, empty ones left out, joined by one space."""
    return " ".join(s for s in (x.strip() for x in strings) if s)


def extract_report_text(html: str) -> str:
    """Return title, date line and body text of a report page (plain text, one block per line)."""
    return report_text(parse_html(html))


def report_text(page: etree._Element | None) -> str:
    """`extract_report_text` of a page already parsed by `parse_html` (the tree is not changed)."""
    if page is None:
        return ""
    # Text after `</html>` makes a second `<html>` next to the first; the page is all of them.
    top = [*reversed(list(page.itersiblings(preceding=True))), page, *page.itersiblings()]
    elements = [n for n in top if isinstance(n.tag, str)]
    title_el = next((t for el in elements for t in el.iter("title")), None)
    title = _site_free_title(_joined(_prose_strings(title_el, True))) if title_el is not None else ""
    root = next((b for el in elements for b in el.iter("body")), None)
    walk = _Walk()
    if root is not None:  # the body is read whatever its class says: it is the page, not chrome
        cjk, links = walk.visit(root, False, True)
    else:  # no body (a frameset, a head-only page): every node of the document, the doctype left out
        cjk, links = walk.inner(None, top, False, True)
    best = max(walk.scores, key=walk.scores.__getitem__, default=None)
    if best is not None and walk.scores[best] < 0.5 * (cjk - 2 * links):  # text spread over siblings
        best = None  # keep the whole body
    outside = walk.text()
    body = outside if best is None else walk.text(walk.spans[best])
    heading = next((_joined(_prose_strings(h, False)) for h, n in walk.headings.items() if n), "")
    head_lines = [ln for ln in (heading or title,) if ln and ln not in body]
    date_lines = [
        ln for ln in outside.split("\n") if len(ln) < 120 and _DATE_LINE.search(ln) and ln not in body
    ][:1]
    return "\n".join([*head_lines, *date_lines, body])


def _site_free_title(title: str) -> str:
    """`某区2022年…年度报告_某某网` → the part that names the report, not the site."""
    parts = [p.strip() for p in re.split(r"[_|｜]| - | — ", title) if p.strip()]
    return next((p for p in parts if "报告" in p or "報告" in p), parts[0] if parts else "")


def looks_like_html(raw_head: str) -> bool:
    head = raw_head[:2048].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)

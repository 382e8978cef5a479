"""HTML page → the report's text: the body container, its title and its date line; not the site chrome.

Scraped pages wrap one report in navigation, share bars and footers that name the hosting site; the body is
the block with the most non-link Chinese text. Table rows become lines with ` | ` between cells, the form
flattened text takes elsewhere.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, CData, NavigableString, Tag

_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "select", "button", "nav", "header", "footer")
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|copyright|banner|toolbar", re.I)
_BLOCKS = {
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
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")
_LEADING_BAR = re.compile(r"^\s*\|\s*")
_TEXT_STRINGS = (NavigableString, CData)  # what `get_text` reads: not comments, doctypes or script text
_DATE_LINE = re.compile(r"(发布|發布|成文|印发)(时间|日期|時間)|日期[:：]")


def _cjk_len(s: str) -> int:
    return len(_CJK.findall(s))


def _text(node: Tag) -> str:
    """Visible text with block breaks as newlines and table cells separated by ` | `."""
    parts: list[str] = []

    def walk(n: Tag | NavigableString) -> None:
        if isinstance(n, NavigableString):
            parts.append(str(n).replace("\n", " "))
            return
        name = n.name or ""
        if name in ("td", "th"):
            parts.append(" | ")
        if name in _BLOCKS:
            parts.append("\n")
        for child in n.children:
            if isinstance(child, (Tag, NavigableString)):
                walk(child)
        if name in _BLOCKS:
            parts.append("\n")

    walk(node)
    text = "".join(parts)
    lines = [_LEADING_BAR.sub("", _SPACE_RUN.sub(" ", ln)).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _tags(node: Tag, names: tuple[str, ...] | None = None) -> list[Tag]:
    """`node.find_all(names)` (every tag when None), in document order, without bs4's generic matcher."""
    return [t for t in node.descendants if isinstance(t, Tag) and (names is None or t.name in names)]


def _is_chrome(tag: Tag) -> bool:
    attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])  # type: ignore[list-item]
    return bool(attrs.strip()) and bool(_CHROME.search(attrs))


def _body_scores(root: Tag) -> dict[int, int]:
    """Every tag's body score (by `id`), in one pass from the leaves up: the Chinese chars of its text
    (`get_text`'s strings: plain text and CDATA) less twice those inside its links (`<a>` below it)."""
    cjk: dict[int, int] = {id(root): 0}
    links: dict[int, int] = {id(root): 0}
    for node in reversed(list(root.descendants)):  # every node before the tag that holds it
        up = id(node.parent)
        if isinstance(node, Tag):
            n, a = cjk.get(id(node), 0), links.get(id(node), 0)
            cjk[up] = cjk.get(up, 0) + n
            links[up] = links.get(up, 0) + a + (n if node.name == "a" else 0)
        elif type(node) in _TEXT_STRINGS:
            cjk[up] = cjk.get(up, 0) + _cjk_len(node)
    return {k: n - 2 * links.get(k, 0) for k, n in cjk.items()}


def extract_report_text(html: str) -> str:
    """Return title, date line and body text of a report page (plain text, one block per line)."""
    soup = BeautifulSoup(html, "lxml")
    title = _site_free_title(soup.title.get_text(" ", strip=True)) if soup.title else ""
    for t in _tags(soup, _DROP_TAGS):
        t.decompose()
    for t in [t for t in _tags(soup) if _is_chrome(t)]:
        if not t.decomposed:
            t.decompose()
    root = soup.body or soup
    candidates = _tags(root, ("div", "article", "section", "td", "main"))
    scores = _body_scores(root)
    best = max(candidates, key=lambda t: scores.get(id(t), 0), default=root)
    if scores.get(id(best), 0) < 0.5 * scores[id(root)]:  # text spread over siblings: keep the whole body
        best = root
    outside = _text(root)
    body = outside if best is root else _text(best)
    heading = next(
        (h.get_text(" ", strip=True) for h in _tags(root, ("h1", "h2")) if _cjk_len(h.get_text())), ""
    )
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

"""Text normalisation with a char-level map back to the original text.

Order: NFKC (full-width digits and punctuation), OpenCC traditional→simplified, mirror-site pinyin
stripping (`國(guo)務院` → `国务院`), whitespace. Every normalised char remembers the original char it came
from, so a span found in the normalised text can be shown in the original.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

# The bracket first, its CJK neighbour checked behind it: a pattern that starts with a literal is found by a
# fast scan, one that starts with a lookbehind is tried at every position (same matches).
_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff]\()(?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SPACES = " \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff"
TRADITIONAL_RATIO = 0.02  # share of CJK chars that t2s changes above which a text is called traditional


@dataclass(frozen=True)
class Normalized:
    text: str
    script: str  # simplified / traditional / none
    segments: tuple[tuple[int, int, int], ...]  # (normalised start, original start, length) runs
    pinyin_removed: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original span it came from."""
        return _lookup(self.segments, start), _lookup(self.segments, max(start, end - 1)) + 1

    def to_normalized(self, start: int, end: int) -> tuple[int, int] | None:
        """The normalised span of what the original span [start, end) became; None when all of it went."""
        first = last = None
        for n, o, length in self.segments:
            if o + length > start and o < end:
                if first is None:
                    first = n + max(0, start - o)
                last = n + min(length, end - o)
        return None if first is None or last is None else (first, last)

    def segments_json(self) -> str:
        return json.dumps(self.segments, separators=(",", ":"))


def _lookup(segments: tuple[tuple[int, int, int], ...], pos: int) -> int:
    lo, hi = 0, len(segments) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if segments[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    nstart, ostart, length = segments[lo]
    return ostart + min(pos - nstart, length - 1)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    cc = OpenCC("t2s")
    cc.convert("")  # loads the dictionaries
    return cc


@lru_cache(maxsize=1)
def _t2s_tables() -> tuple[re.Pattern[str], tuple[str, ...], re.Pattern[str], dict[int, str]]:
    """OpenCC's t2s dictionaries, for deciding what its (pure-Python, slow) conversion needs to see:
    (any key character, the phrases that hold none, any phrase, each character key → its simplified form).

    t2s is one group: phrases (TSPhrases, 2+ chars) matched first, longest first, then single characters
    (TSCharacters) in what no phrase matched. So a chunk with no key comes back unchanged, and a chunk with
    no phrase comes back with each character key replaced. The class is every character key of the BMP
    plus all astral chars (a class with astral members is scanned char by char, 50x slower); every key but
    a few phrases (有序, 沈默…) holds one of those."""
    (group,) = _t2s()._dict_chain_data
    *phrase_dicts, (_, _, char_map) = group
    phrases = {k for _, _, mapping in phrase_dicts for k in mapping}
    assert all(len(k) == 1 for k in char_map) and all(len(k) > 1 for k in phrases)
    bmp = "".join(sorted(c for c in char_map if ord(c) <= 0xFFFF))
    return (
        re.compile("[" + re.escape(bmp) + "\U00010000-\U0010ffff]"),
        tuple(sorted(p for p in phrases if not set(p) & char_map.keys())),
        re.compile("|".join(map(re.escape, sorted(phrases)))),
        {ord(k): v.split(" ")[0] for k, v in char_map.items()},  # OpenCC takes a key's first option
    )


def _has_t2s_key(text: str) -> bool:
    chars, phrases, _, _ = _t2s_tables()
    return chars.search(text) is not None or any(p in text for p in phrases)


def _t2s_chunk(chunk: str) -> str:
    """OpenCC t2s of one chunk (no separator in it): only a chunk holding a phrase needs OpenCC itself."""
    chars, _, any_phrase, char_table = _t2s_tables()
    if any_phrase.search(chunk):
        return _t2s().convert(chunk)
    return chars.sub(lambda m: char_table.get(ord(c := m.group()), c), chunk)  # `translate`, key chars only


def _translate(text: str, table: dict[str, str]) -> str:
    """`text.translate(str.maketrans(table))` for an `_nfkc_table`, visiting only the chars it may change
    (`str.translate` looks every char of a Chinese text up in the table)."""
    return _NOT_PLAIN.sub(lambda m: table.get(c := m.group(), c), text)


Runs = list[tuple[int, int, int]]  # (output start, input start, length): consecutive chars map one to one


_NFKC_CHAR: dict[str, str] = {}  # char → its NFKC form; a corpus uses a few thousand distinct chars
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")  # NFKC leaves ASCII and CJK ideographs as they are


def _nfkc_table(text: str) -> dict[str, str]:
    """NFKC char by char, for the chars of `text` it changes: ASCII and CJK ideographs stay as they are,
    odd spaces become " "."""
    table: dict[str, str] = {}
    for ch in set(_NOT_PLAIN.findall(text)):
        out = _NFKC_CHAR.get(ch)
        if out is None:
            out = _NFKC_CHAR[ch] = " " if ch in _SPACES else unicodedata.normalize("NFKC", ch)
        if out != ch:
            table[ch] = out
    return table


def _nfkc(text: str) -> tuple[str, Runs]:
    """NFKC with its runs; a char that NFKC expands maps all its output chars to itself."""
    table = _nfkc_table(text)
    if not table:
        return text, [(0, 0, len(text))]
    expanding = [ch for ch, out in table.items() if len(out) != 1]
    if not expanding:
        return _translate(text, table), [(0, 0, len(text))]
    parts: list[str] = []
    runs: Runs = []
    n = last = 0
    for m in re.finditer("|".join(map(re.escape, expanding)), text):
        i = m.start()
        if i > last:
            parts.append(_translate(text[last:i], table))
            runs.append((n, last, i - last))
            n += i - last
        out = table[m.group()]
        parts.append(out)
        runs.extend((n + k, i, 1) for k in range(len(out)))
        n += len(out)
        last = i + 1
    parts.append(_translate(text[last:], table))
    runs.append((n, last, len(text) - last))
    return "".join(parts), runs


@lru_cache(maxsize=1)
def _proper_names() -> re.Pattern[str]:
    """Gazetteer names t2s would change (乾县, 乾安县: OpenCC's 乾 → 干, though 乾 is also simplified, as in
    乾坤): a place name keeps its characters, so metadata reads the body as the gazetteer names it."""
    from nianbao.divisions import divisions, short_name

    table = _t2s_tables()[3]
    names = {n for d in divisions() for n in (d.name, short_name(d.name)) if n and len(n) >= 2}
    kept = sorted((n for n in names if n.translate(table) != n), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kept)) or r"(?!)")


def _to_simplified(text: str) -> tuple[str, int]:
    """Convert line by line; a line whose length changes is converted char by char to keep the map."""
    if not _has_t2s_key(text):
        return text, 0
    cc = _t2s()
    out: list[str] = []
    changed = 0
    for line in text.split("\n"):
        if _has_t2s_key(line):
            parts = cc.split_chars_re.split(line)  # what OpenCC converts chunk by chunk, separators kept
            conv = "".join(
                _t2s_chunk(p) if i % 2 == 0 and _has_t2s_key(p) else p for i, p in enumerate(parts)
            )
            if len(conv) != len(line):
                conv = "".join(c2 if len(c2 := cc.convert(c)) == 1 else c for c in line)
            for m in _proper_names().finditer(line):
                conv = conv[: m.start()] + m.group() + conv[m.end() :]
            changed += sum(a != b for a, b in zip(line, conv, strict=True))
            line = conv
        out.append(line)
    return "\n".join(out), changed


def _select(text: str, runs: Runs, spans: list[tuple[int, int]]) -> tuple[str, Runs]:
    """Keep the spans [a, b) of `text` (sorted, disjoint); the runs follow."""
    kept = "".join(text[a:b] for a, b in spans)
    if runs == [(0, 0, len(text))]:  # one to one so far (no NFKC expansion): each span is a run
        lengths = [b - a for a, b in spans]
        return kept, [
            (n, a, k) for n, (a, _), k in zip(accumulate(lengths, initial=0), spans, lengths, strict=False)
        ]
    out: Runs = []
    n = i = 0
    for a, b in spans:
        while a < b:
            rn, ro, rl = runs[i]
            if rn + rl <= a:
                i += 1
                continue
            end = min(b, rn + rl)
            out.append((n, ro + a - rn, end - a))
            n += end - a
            a = end
    return kept, out


def _outside(pattern: re.Pattern[str], text: str) -> tuple[list[tuple[int, int]], int]:
    """The spans between the pattern's matches, and how many matches there were."""
    spans: list[tuple[int, int]] = []
    pos = n = 0
    for m in pattern.finditer(text):
        n += 1
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans, n


_WS_EDIT = re.compile(r"[ \n\r]{2,}|\r")  # a lone space or newline inside the text stays as it is


def _whitespace(text: str) -> list[tuple[int, int]]:
    """Spans kept when runs of spaces collapse to one, lines are trimmed, at most one blank line stands in a
    row and carriage returns go: inside the text a run keeps its first two newlines, or else its first space.

    Only the runs that lose a char are visited (most are one newline or one space), so a span runs from one
    such edit to the next."""
    pos = len(text) - len(text.lstrip(" \n\r"))
    end = len(text.rstrip(" \n\r"))
    spans: list[tuple[int, int]] = []
    for m in _WS_EDIT.finditer(text, pos, end):
        a, b = m.span()
        if a > pos:
            spans.append((pos, a))
        pos = b
        run = m.group()
        first = run.find("\n")
        if first >= 0:
            spans.append((a + first, a + first + 1))
            if (second := run.find("\n", first + 1)) >= 0:
                spans.append((a + second, a + second + 1))
        elif (space := run.find(" ")) >= 0:
            spans.append((a + space, a + space + 1))
    if end > pos:
        spans.append((pos, end))
    return spans


def _segments(runs: Runs) -> tuple[tuple[int, int, int], ...]:
    """The runs merged where they continue each other: the maximal one-to-one stretches."""
    segs: list[list[int]] = []
    for n, o, length in runs:
        if not length:
            continue
        if segs and segs[-1][1] + segs[-1][2] == o and segs[-1][0] + segs[-1][2] == n:
            segs[-1][2] += length
        else:
            segs.append([n, o, length])
    return tuple(tuple(s) for s in segs) or ((0, 0, 1),)  # type: ignore[return-value]


def fold(text: str) -> str:
    """`normalize(text).text` but for whitespace, without the offset map: for callers that drop all
    whitespace (canonical labels). The whitespace pass drops a run of carriage returns between two chars
    whole, so they go here too."""
    if table := _nfkc_table(text):  # an already normalised text has none: no pass over it
        text = _translate(text, table)
    return _PINYIN.sub("", _to_simplified(text)[0]).replace("\r", "")


def normalize(text: str) -> Normalized:
    text, runs = _nfkc(text)
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    text, changed = _to_simplified(text)
    script = "none" if cjk == 0 else ("traditional" if changed / cjk > TRADITIONAL_RATIO else "simplified")
    spans, pinyin = _outside(_PINYIN, text)
    if pinyin:
        text, runs = _select(text, runs, spans)
    text, runs = _select(text, runs, _whitespace(text))
    return Normalized(text, script, _segments(runs), pinyin)

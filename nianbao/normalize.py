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

_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
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

    return OpenCC("t2s")


def _nfkc(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii() or "\u4e00" <= ch <= "\u9fff":
            chars.append(ch)
            origin.append(i)
            continue
        for out in unicodedata.normalize("NFKC", ch) if ch not in _SPACES else " ":
            chars.append(out)
            origin.append(i)
    return chars, origin


def _to_simplified(chars: list[str]) -> tuple[list[str], int]:
    """Convert line by line; a line whose length changes is converted char by char to keep the map."""
    cc = _t2s()
    text = "".join(chars)
    out: list[str] = []
    changed = 0
    for line in text.split("\n"):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c2 if len(c2 := cc.convert(c)) == 1 else c for c in line)
        changed += sum(a != b for a, b in zip(line, conv, strict=True))
        out.append(conv)
    return list("\n".join(out)), changed


def _drop(chars: list[str], origin: list[int], pattern: re.Pattern[str]) -> tuple[list[str], list[int], int]:
    text = "".join(chars)
    keep = [True] * len(chars)
    n = 0
    for m in pattern.finditer(text):
        n += 1
        for k in range(m.start(), m.end()):
            keep[k] = False
    return (
        [c for c, k in zip(chars, keep, strict=True) if k],
        [o for o, k in zip(origin, keep, strict=True) if k],
        n,
    )


def _whitespace(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Collapse runs of spaces, trim lines, and allow at most one blank line in a row."""
    out_c: list[str] = []
    out_o: list[int] = []
    for c, o in zip(chars, origin, strict=True):
        if c == "\r":
            continue
        if c == " ":
            if not out_c or out_c[-1] in " \n":
                continue
        elif c == "\n":
            while out_c and out_c[-1] == " ":
                out_c.pop()
                out_o.pop()
            if len(out_c) >= 2 and out_c[-1] == "\n" and out_c[-2] == "\n":
                continue
            if not out_c:
                continue
        out_c.append(c)
        out_o.append(o)
    while out_c and out_c[-1] in " \n":
        out_c.pop()
        out_o.pop()
    return out_c, out_o


def _segments(origin: list[int]) -> tuple[tuple[int, int, int], ...]:
    segs: list[list[int]] = []
    for n, o in enumerate(origin):
        if segs and segs[-1][1] + segs[-1][2] == o and segs[-1][0] + segs[-1][2] == n:
            segs[-1][2] += 1
        else:
            segs.append([n, o, 1])
    return tuple(tuple(s) for s in segs) or ((0, 0, 1),)  # type: ignore[return-value]


def normalize(text: str) -> Normalized:
    chars, origin = _nfkc(text)
    cjk = sum(1 for c in chars if _CJK.match(c))
    chars, changed = _to_simplified(chars)
    script = "none" if cjk == 0 else ("traditional" if changed / cjk > TRADITIONAL_RATIO else "simplified")
    chars, origin, pinyin = _drop(chars, origin, _PINYIN)
    chars, origin = _whitespace(chars, origin)
    return Normalized("".join(chars), script, _segments(origin), pinyin)

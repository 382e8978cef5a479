"""Numbers as reports write them in prose: `1,234`, `1.2万`, `二十三`, `一百零五`, `5500余`, `近300`.

Prose rules embed `number_pattern()` and hand the matched token to `parse_number`; approximate markers
(余/多 after, 约/近 before) sit outside the token so a span always covers the number as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIERS: dict[str, int] = {**_CN_SMALL_UNITS, **_CN_BIG_UNITS}

# Arabic digits, with thousands separators only where exactly three digits follow (so `67,占` stays 67),
# optionally scaled by 万/千/亿 (`1.2万`); or a run of Chinese numerals that starts with a digit or 十.
ARABIC = r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?: ?[万千亿])?"
_CN_LEADS = "零〇○一二两三四五六七八九十"
CHINESE = rf"[{_CN_LEADS}][{_CN_LEADS}百千万亿]*"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
_APPROX_WORDS = ("将近", "大约", "接近", "超过", "约", "近", "逾")
APPROX_BEFORE = rf"(?:{'|'.join(_APPROX_WORDS)})"
# The chars `number_pattern()` can start with: a regex that starts with a number is tried at every char,
# and a lookahead on these turns most chars away in one step (same matches, a few times faster).
NUMBER_LEADS = r"\d" + "".join(dict.fromkeys(w[0] for w in _APPROX_WORDS)) + _CN_LEADS
APPROX_AFTER = r"(?:余|多)"
APPROX_AFTER_UNIT = ("左右", "以上", "余")


def number_pattern(name: str = "num") -> str:
    """A regex fragment for one number token: groups `<name>` (the token) and `<name>_pre`/`<name>_post`."""
    return rf"(?P<{name}_pre>{APPROX_BEFORE})?(?P<{name}>{NUMBER})(?P<{name}_post>{APPROX_AFTER})?"


@dataclass(frozen=True)
class Quantity:
    """A parsed number with whether the text hedged it (余/多/约/近/左右)."""

    value: float
    approximate: bool = False


def is_arabic(token: str) -> bool:
    return any(ch.isdigit() for ch in unicodedata.normalize("NFKC", token))


def parse_number(token: str) -> float | None:
    """Value of one number token (Arabic or Chinese, possibly scaled by 万); None if it is not a number."""
    token = unicodedata.normalize("NFKC", token).replace(" ", "").replace(",", "")
    if not token:
        return None
    if is_arabic(token):
        return _parse_arabic(token)
    value = parse_chinese(token)
    return None if value is None else float(value)


def _parse_arabic(token: str) -> float | None:
    scale = 1
    if token[-1] in _MULTIPLIERS:
        scale = _MULTIPLIERS[token[-1]]
        token = token[:-1]
    try:
        return float(Decimal(token) * scale)
    except InvalidOperation:
        return None


def parse_chinese(token: str) -> int | None:
    """Chinese numerals: 二十三, 一百零五, 两万五 (=25000), 十五, and digit strings like 二〇一七."""
    if not token or any(ch not in _CN_DIGITS and ch not in _MULTIPLIERS for ch in token):
        return None
    if token[0] in _MULTIPLIERS and token[0] != "十":
        return None  # 百/千/万 alone are not numbers (十 is: 十五 = 15)
    if all(ch in _CN_DIGITS for ch in token):
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))  # positional: 二〇一七
    total = section = 0
    digit: int | None = None
    last_unit = biggest = 0
    for ch in token:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            continue
        unit = _MULTIPLIERS[ch]
        if ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * unit
        elif unit > biggest:
            total, biggest = (total + section + (digit or 0)) * unit, unit
        else:
            total += (section + (digit or 0)) * unit
        if ch in _CN_BIG_UNITS:
            section = 0
        digit, last_unit = None, unit
    tail = digit or 0
    # Colloquial trailing digit (三千五 = 3500, 两万五 = 25000) counts in the unit below the last one.
    if tail and last_unit >= 100 and token[-2] in _MULTIPLIERS:
        tail *= last_unit // 10
    return total + section + tail


def parse_quantity(text: str) -> Quantity | None:
    """Parse `5500余条`, `近300个`, `300多`, `约40`, `1.2万`: the number plus an approximate flag."""
    text = unicodedata.normalize("NFKC", text).strip()
    m = re.search(number_pattern(), text)
    if m is None:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    rest = text[m.end() :].lstrip(" 条件个项次人元")
    approx = bool(m.group("num_pre") or m.group("num_post") or rest.startswith(APPROX_AFTER_UNIT))
    return Quantity(value, approx)

"""The two token grammars every table reader shares: page-number lines and printed value tokens.

Why one place: the PDF reader drops page-number lines from its text layer and the flattened-text reader
drops them before cutting rows; if the two disagree, a `3/5` or `共5页第3页` line that one reader drops is
read by the other as a row of values. Likewise a value token is the same thing whether a PDF cell, a
text run or a grid cell holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.normalize import normalize

# A printed number: digits with thousands commas, an optional decimal part (sign and unit are separate).
DIGITS = r"\d[\d,]*(?:\.\d+)?"
# A value token as printed in a flattened row: integers, decimals, signed changes (`+1036`), money with
# an inline unit (`251000元`), and not-applicable marks (`/`, `-`, `—`).
VALUE_TOKEN = re.compile(rf"[+-]?{DIGITS}(?:万元|元)?|[/\\]|[-—–－]{{1,2}}")
# A page-number line: `- 3 -`, `~3~`, `第 3 页`, `第3页 共5页`, `共5页第3页`, `3/5` (no spaces around the
# slash: `3 / 5` is a row of three value cells, `3`, `/` and `5`).
PAGE_NUMBER = re.compile(
    r"[-—–－~]\s*\d{1,4}\s*[-—–－~]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}/\d{1,4}"
)


NA_MARKS = frozenset({"/", "-", "—", "--", "——", "–", "－", "\\", "─", "—/—", "-/-"})
_CELL_NUMBER = re.compile(rf"([+-]?)({DIGITS})(万元|元|件|条|个|项|次)?")
UNIT_FACTORS = {"万元": 10000.0, "元": 1.0}
_TWO_NUMBERS = re.compile(r"\d\s+[+-]?\d")
_SPACE_RUN = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # tokens repeat (0, 1, /, row labels) across lines and documents
def is_value_token(token: str) -> bool:
    return bool(VALUE_TOKEN.fullmatch(token))


def is_page_number(line: str) -> bool:
    """True when the whole line (surrounding whitespace aside) is a page number."""
    return bool(PAGE_NUMBER.fullmatch(line.strip()))


@dataclass(frozen=True)
class Value:
    semantic: str  # NUMERIC / ZERO / EMPTY / NA / TEXT
    number: float | None
    inline_unit: str | None  # a unit written in the cell itself (`251000元`)


@lru_cache(maxsize=65536)  # cell texts repeat (0, /, small counts) across rows and documents
def read_value(raw: str) -> Value:
    """A cell's printed text → its semantic, number and unit.

    Blank, `/`, `-`, `—` are kept as what they are, never turned into 0: a blank 总计 is not a zero.
    """
    s = normalize(raw).text.strip() if raw else ""
    if _TWO_NUMBERS.search(s):  # two numbers in one cell (a stray year or page number): not one value
        return Value("TEXT", None, None)
    s = _SPACE_RUN.sub("", s)
    if not s:
        return Value("EMPTY", None, None)
    if s in NA_MARKS or (len(set(s)) == 1 and s[0] in "-—–/－"):
        return Value("NA", None, None)
    m = _CELL_NUMBER.fullmatch(s)
    if not m:
        return Value("TEXT", None, None)
    number = float(m.group(2).replace(",", ""))
    if m.group(1) == "-":
        number = -number
    return Value("ZERO" if number == 0 else "NUMERIC", number, m.group(3))


def to_yuan(number: float | None, unit: str | None) -> float | None:
    """Money in yuan: 万元 × 10 000; other units are returned unchanged."""
    if number is None:
        return None
    return round(number * UNIT_FACTORS.get(unit or "", 1.0), 4)

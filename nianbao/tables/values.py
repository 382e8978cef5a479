"""A table cell's printed text → its semantic (NUMERIC / ZERO / EMPTY / NA / TEXT), number and unit.

Blank, `/`, `-`, `—` are kept as what they are, never turned into 0: a blank 总计 is not a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.normalize import normalize

NA_MARKS = frozenset({"/", "-", "—", "--", "——", "–", "－", "\\", "─", "—/—", "-/-"})
_NUMBER = re.compile(r"([+-]?)(\d[\d,]*(?:\.\d+)?)(万元|元|件|条|个|项|次)?")
UNIT_FACTORS = {"万元": 10000.0, "元": 1.0}


@dataclass(frozen=True)
class Value:
    semantic: str  # NUMERIC / ZERO / EMPTY / NA / TEXT
    number: float | None
    inline_unit: str | None  # a unit written in the cell itself (`251000元`)


def read_value(raw: str) -> Value:
    s = normalize(raw).text.strip() if raw else ""
    if re.search(r"\d\s+[+-]?\d", s):  # two numbers in one cell (a stray year or page number): not one value
        return Value("TEXT", None, None)
    s = re.sub(r"\s+", "", s)
    if not s:
        return Value("EMPTY", None, None)
    if s in NA_MARKS or (len(set(s)) == 1 and s[0] in "-—–/－"):
        return Value("NA", None, None)
    m = _NUMBER.fullmatch(s)
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

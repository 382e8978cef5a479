"""Build `nianbao/data/divisions.csv`, the gazetteer of China's administrative divisions.

Source: `cpca/resources/adcodes.csv` from the PyPI package cpca 0.5.5 (https://github.com/DQinYuan/chinese_province_city_area_mapper),
MIT licence, copyright (c) 2018 QinYuan Du. Its columns are adcode,name,longitude,latitude with 12-digit
codes (GB/T 2260 code + six zeros): digits 1-2 name the province, 1-4 the prefecture, 1-6 the county.

Output columns: adcode (6 digits), name, level (province / prefecture / county), province_name,
prefecture_name (empty for districts of the four municipalities and for county-level units governed
directly by a province, e.g. 仙桃市). Placeholder rows (市辖区, 县, 省直辖县级行政区划) are dropped: they are
codes for grouping, not places a report can name.

Usage: python scripts/make_divisions.py PATH/TO/adcodes.csv [OUT.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
FIELDS = ["adcode", "name", "level", "province_name", "prefecture_name"]
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "nianbao" / "data" / "divisions.csv"


def read_source(path: Path) -> dict[str, str]:
    """Map 6-digit code → name, skipping placeholders and malformed rows."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = (row.get("adcode") or "").strip(), (row.get("name") or "").strip()
            if len(code) != 12 or not code.isdigit() or code[6:] != "000000" or not name:
                continue
            if name in PLACEHOLDERS:
                continue
            out[code[:6]] = name
    return out


def build_rows(names: dict[str, str]) -> list[dict[str, str]]:
    """Attach level, province and prefecture to every code."""
    rows = []
    for code in sorted(names):
        if code[2:] == "0000":
            level = "province"
        elif code[4:] == "00":
            level = "prefecture"
        else:
            level = "county"
        province = names.get(code[:2] + "0000", "")
        if not province:
            continue  # a code whose province is missing cannot be placed
        prefecture = names.get(code[:4] + "00", "") if level == "county" else ""
        rows.append(
            {
                "adcode": code,
                "name": names[code],
                "level": level,
                "province_name": province,
                "prefecture_name": prefecture,
            }
        )
    return rows


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    src = Path(argv[1])
    out = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUT
    rows = build_rows(read_source(src))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {lvl: sum(r["level"] == lvl for r in rows) for lvl in ("province", "prefecture", "county")}
    print(f"wrote {len(rows)} divisions to {out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

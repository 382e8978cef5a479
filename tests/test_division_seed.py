"""scripts/make_division_seed.py: a former division finds its successor only where the data shows it."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "make_division_seed", ROOT / "scripts" / "make_division_seed.py"
)
seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed)


def _d(code: str, name: str, level: str, province: str, prefecture: str = "") -> dict[str, str]:
    return {
        "adcode": code,
        "name": name,
        "level": level,
        "province_name": province,
        "prefecture_name": prefecture,
    }


FORMER = [
    _d("320000", "江苏省", "province", "江苏省"),
    _d("320600", "南通市", "prefecture", "江苏省"),
    _d("320621", "海安县", "county", "江苏省", "南通市"),  # → 海安市 under a new code
    _d("130502", "桥东区", "county", "河北省", "邢台市"),  # renamed under its code
    _d("130421", "邯郸县", "county", "河北省", "邯郸市"),  # merged: no successor in the data
]
CURRENT = [
    _d("110000", "北京市", "province", "北京市"),
    _d("110100", "北京市", "prefecture", "北京市"),  # a municipality's twin prefecture: dropped
    _d("110101", "东城区", "county", "北京市", "北京市"),
    _d("320000", "江苏省", "province", "江苏省"),
    _d("320600", "南通市", "prefecture", "江苏省"),
    _d("320685", "海安市", "county", "江苏省", "南通市"),
    _d("130502", "襄都区", "county", "河北省", "邢台市"),
]


def test_build_seed_links_renamings_and_guesses_no_merger():
    rows = {(r["division_code"], r["status"]): r for r in seed.build_seed(FORMER, CURRENT)}
    assert sorted(rows) == [
        ("110000", "current"),
        ("110101", "current"),
        ("130421", "former"),
        ("130502", "current"),
        ("130502", "former"),
        ("320000", "current"),
        ("320600", "current"),
        ("320621", "former"),
        ("320685", "current"),
    ]
    assert rows["110101", "current"]["prefecture_code"] == ""  # Beijing's districts sit under the province
    former = {
        code: (r["name"], r["successor_code"], r["change_rule"])
        for (code, s), r in rows.items()
        if s == "former"
    }
    assert former == {
        "130421": ("邯郸县", "", ""),
        "130502": ("桥东区", "130502", "same_code"),
        "320621": ("海安县", "320685", "same_stem"),
    }
    assert rows["320685", "current"]["short_name"] == "海安"
    assert rows["320621", "former"]["prefecture_code"] == "320600"

"""Gazetteer: full and suffix-less names, ambiguity, and the evidence weights used for voting."""

import csv
import time
from importlib import resources

import pytest

from nianbao import divisions as D


def test_csv_has_the_three_levels_and_no_placeholders():
    raw = resources.files("nianbao").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(raw.splitlines()))
    assert {r["level"] for r in rows} == {"province", "prefecture", "county"}
    assert not {"市辖区", "省直辖县级行政区划"} & {r["name"] for r in rows}
    kaifu = next(r for r in rows if r["name"] == "开福区")
    assert (kaifu["adcode"], kaifu["province_name"], kaifu["prefecture_name"]) == (
        "430105",
        "湖南省",
        "长沙市",
    )
    xiantao = next(r for r in rows if r["name"] == "仙桃市")  # county-level city directly under the province
    assert (xiantao["level"], xiantao["prefecture_name"]) == ("county", "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("娄底市", "娄底"),
        ("安化县", "安化"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("恩施土家族苗族自治州", "恩施"),
        ("东乡族自治县", "东乡"),
        ("浦东新区", "浦东"),
        ("凤县", None),  # one character left: too short to stand alone
    ],
)
def test_short_name(name, expected):
    assert D.short_name(name) == expected


def test_lookup_full_short_and_compound_names():
    assert [(d.name, d.province) for d in D.lookup("娄底")] == [("娄底市", "湖南省")]
    assert [d.name for d in D.lookup("长沙市开福区")] == ["开福区"]
    assert [d.province for d in D.lookup("北京市朝阳区")] == ["北京市"]
    assert [d.name for d in D.lookup("河北")] == ["河北省"]  # the province, not 天津's 河北区


def test_ambiguous_name_stays_unresolved_without_context():
    assert sorted(d.province for d in D.lookup("朝阳区")) == ["北京市", "吉林省"]
    assert D.province_of("朝阳区") is None


def test_ambiguous_name_resolved_by_parent_written_next_to_it():
    mentions = D.resolve(D.find_mentions("长春市朝阳区人民政府办公室"))
    chaoyang = next(m for m in mentions if m.surface == "朝阳区")
    assert chaoyang.division is not None and chaoyang.division.province == "吉林省"


def test_province_of_ignores_places_hidden_in_words():
    assert D.province_of("公开平台运维中心") is None  # 开平 inside 公开平台


def test_ambiguous_name_resolved_by_places_elsewhere_in_text():
    assert D.province_of("朝阳区教育局", context="本局位于北京市，负责全区中小学。") == "北京市"
    assert D.province_of("朝阳区教育局", context="辖区内有南关区、宽城区等兄弟单位。") == "吉林省"


def test_short_name_followed_by_town_word_is_not_the_county():
    # 南城 is also 江西's 南城县, but 南城街道 is a street office of that name.
    assert [m.surface for m in D.find_mentions("瑞安市南城街道办事处")] == ["瑞安市"]


def test_short_name_weights():
    mentions = {m.surface: m for m in D.find_mentions("本报告在松阳政府网公布。浙江国资工作稳步推进。")}
    assert mentions["松阳"].weight == 1.0  # next to 政府: a government's name
    assert mentions["浙江"].weight == 0.5  # a bare province short name
    bare = D.find_mentions("依托公开平台发布信息")  # 开平 hides in 公开平台
    assert all(m.weight == 0 for m in bare)


def test_one_character_stem_needs_an_anchor():
    assert D.find_mentions("省、市和县三级政府") == []  # 和县 is not meant
    assert [m.surface for m in D.find_mentions("宝鸡市凤县人民政府")] == ["宝鸡市", "凤县"]


def test_common_word_stoplist():
    assert D.find_mentions("公安机关与合作单位共同推进新兴产业") == []


def test_province_votes_and_level():
    votes = D.province_votes("益阳市安化县、桃江县开展培训。")
    assert votes == {"湖南省": 3.0}
    assert D.level_of("宝鸡市凤县") == "county"
    assert D.level_of("娄底市") == "prefecture"
    assert D.level_of("浙江省") == "province"


def test_scan_is_fast_on_a_long_text():
    text = "全县各部门按照要求开展政务公开工作，" * 2000  # ~36,000 chars
    D.find_mentions("预热")
    t0 = time.perf_counter()
    D.find_mentions(text)
    assert time.perf_counter() - t0 < 0.5


def test_short_name_with_a_newer_suffix_is_that_place():
    # 荔浦县 became 荔浦市 after the gazetteer was compiled; 宁乡县 became 宁乡市 the same way.
    (m,) = D.find_mentions("荔浦市2022年政府信息公开工作年度报告")
    assert (m.surface, m.full, m.weight, m.division.name) == ("荔浦市", True, 1.0, "荔浦县")
    assert D.province_of("荔浦市") == "广西壮族自治区"
    assert D.level_of("荔浦市") == "county"


def test_short_name_before_a_town_word_is_still_not_the_division():
    assert D.find_mentions("荔浦镇") == []


def test_province_of_code_from_the_first_digits_of_a_real_code():
    assert D.province_of_code("330682") == "浙江省"  # 上虞市, now 上虞区 330604: the prefecture 3306 stays
    assert D.province_of_code("370305") == "山东省"


@pytest.mark.parametrize("code", ["990000", "119900", "3306", "33068x"])
def test_province_of_code_refuses_numbers_that_are_no_division(code):
    assert D.province_of_code(code) is None

"""The one format-era decision (`nianbao.tables.era`), used by metadata and the table readers; dbt consumes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.tables import era

ROOT = Path(__file__).resolve().parent.parent
HEADINGS_2019 = [
    "一、总体情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
]
OLD_OUTLINE = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数", "std2021"),
        ("信息内容 本年制\n发件数", "std2021"),  # a label broken over two lines
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "std2021"),
        ("本年收费金额（单位：万元）", "std2021"),
        ("信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量", "std2019"),
        ("第二十条第（九）项 | 政府集中采购 | 采购项目数量", "std2019"),
        ("其他对外管理服务事项 | 3 | 0", "std2019"),
        ("本年新收政府信息公开申请12件", None),
        ("申请人逾期不补正的，按规定处理。", None),  # prose, not the 2021 row label
        ("", None),
    ],
)
def test_marked_era(text: str, expected: str | None) -> None:
    assert era.marked_era(text) == expected


@pytest.mark.parametrize(
    ("text", "headings", "year", "expected"),
    [
        ("本年制发件数 本年废止件数", [], 2019, "std2021"),  # table labels decide over the year
        ("本年新制作数量", HEADINGS_2019, 2022, "std2019"),
        ("按照国办公开办函〔2021〕30号要求", [], None, "std2021"),
        ("按照国办公开办函〔2019〕60号要求", [], 2020, "std2019"),
        ("按照国办公开办函〔2019〕60号要求", [], 2018, "pre2019"),
        ("", HEADINGS_2019, 2022, "std2021"),  # only the 2019+ headings: the year breaks the tie
        ("", HEADINGS_2019, 2019, "std2019"),
        ("", HEADINGS_2019, None, "std2019"),
        ("", [], 2023, "std2021"),  # no structural marks: the format in force that year
        ("", [], 2020, "std2019"),
        ("", OLD_OUTLINE, 2020, "pre2019"),  # the 2007 outline stays pre2019
        ("", [], 2015, "pre2019"),
        ("", [], None, "pre2019"),
    ],
)
def test_report_era(text: str, headings: list[str], year: int | None, expected: str) -> None:
    assert era.report_era(text, headings, year) == expected


def test_t3_layout_rows() -> None:
    assert era.T3_STD2021_ROWS.search("六其他处理1申请人无正当理由逾期不补正")
    assert not era.T3_STD2021_ROWS.search("六其他处理七总计")


def test_metadata_asks_the_one_era_function() -> None:
    from nianbao import metadata

    assert metadata.report_era is era.report_era


def test_dbt_consumes_the_era_python_decided() -> None:
    """No dbt model re-derives the era from table labels: it reads table_cells.era / format_era."""
    marks = [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "逾期不补正",
        "本年新制作数量",
        "上一年项目数量",
        "政府集中采购",
    ]
    sql = [p for p in (ROOT / "dbt_project").rglob("*.sql")]
    assert sql
    offenders = [(p.name, m) for p in sql for m in marks if m in p.read_text(encoding="utf-8")]
    assert offenders == []

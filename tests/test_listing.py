"""Listing, index and search-result pages are not reports, however often they say 年度报告."""

from pathlib import Path

import pytest

from nianbao.ingest import read_document
from nianbao.listing import listing_reason
from nianbao.parse import NotAReport, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"
BODIES = ("岳阳市人民政府", "岳阳市教育局", "岳阳市财政局", "岳阳县人民政府", "华容县人民政府")


def forty_links() -> str:
    """A column page as flattened text: forty report titles, each with its date, and the site chrome."""
    rows = [
        f"{body}{year}年政府信息公开工作年度报告\n{year + 1}-01-{10 + i:02d}"
        for year in range(2023, 2015, -1)
        for i, body in enumerate(BODIES)
    ]
    return "\n".join(
        [
            "首页 > 政府信息公开 > 政府信息公开年报",
            "政府信息公开年报",
            *rows,
            "共40条 首页 上一页 1 2 下一页 尾页",
        ]
    )


def search_results() -> str:
    """Search results: each hit is a title, a snippet of its first sentence and a date."""
    hits = [
        f"{body}{year}年政府信息公开工作年度报告\n"
        f"本报告根据《中华人民共和国政府信息公开条例》要求,由{body}编制。全文包括总体情况……\n{year + 1}-01-20"
        for year in (2022, 2021)
        for body in BODIES
    ]
    return "\n".join(["搜索结果 共找到10条相关结果", *hits])


def test_forty_report_links_are_a_listing():
    reason = listing_reason(forty_links())
    assert reason == (
        "a listing of reports: 40 different report titles on lines of their own, 40 of 43 lines of text, "
        "and no report body"
    )
    with pytest.raises(NotAReport, match="a listing of reports"):
        parse_text("listing", forty_links())


def test_search_results_with_snippets_are_a_listing():
    assert listing_reason(search_results()) is not None


def test_a_report_is_not_a_listing_however_often_it_says_年度报告():
    text = read_document(FIXTURES / "luqiao_luoyang_2021.txt").normalized_text
    assert text.count("年度报告") >= 3
    assert listing_reason(text) is None


def test_a_report_with_links_to_its_neighbours_is_not_a_listing():
    report = read_document(FIXTURES / "luqiao_luoyang_2021.txt").normalized_text
    neighbours = "\n".join(
        [
            "上一篇:螺洋街道2020年度信息公开年度报告",
            "下一篇:路南街道2021年度信息公开年度报告",
            "相关阅读",
            "路桥街道2021年度信息公开年度报告",
            "桐屿街道2021年度信息公开年度报告",
            "峰江街道2021年度信息公开年度报告",
        ]
    )
    assert listing_reason(report + "\n" + neighbours) is None


def test_four_titles_are_not_yet_a_listing():
    text = "\n".join(f"{b}2022年政府信息公开工作年度报告" for b in BODIES[:4])
    assert listing_reason(text) is None

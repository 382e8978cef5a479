"""Sections are named by their heading words, not their numbers."""

import itertools

from nianbao.sections import classify_heading, split_sections

REPORT_2021 = """某县2021年政府信息公开工作年度报告
一、总体情况
全年主动公开信息1200条。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 | 3 | 0
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
本年度未收取信息处理费。"""


def test_the_six_standard_sections_are_found_in_order():
    keys = [s.key for s in split_sections(REPORT_2021)]
    assert keys == ["preamble", "overview", "proactive", "applications", "appeals", "problems", "other"]


def test_a_flattened_table_row_is_not_a_heading():
    headings = [s.heading for s in split_sections(REPORT_2021)]
    assert not any("|" in h for h in headings)


def test_sections_tile_the_text():
    sections = split_sections(REPORT_2021)
    assert sections[0].start == 0 and sections[-1].end == len(REPORT_2021)
    assert all(a.end == b.start for a, b in itertools.pairwise(sections))


def test_pre2019_outline_variants():
    assert classify_heading("依申请公开政府信息和不予公开政府信息的情况") == "applications"
    assert classify_heading("因政府信息公开申请行政复议、提起行政诉讼的情况") == "appeals"
    assert classify_heading("政府信息公开的收费及减免情况") == "fees"
    assert classify_heading("概述") == "overview"
    assert classify_heading("政府信息公开工作存在的主要问题及改进情况") == "problems"
    assert classify_heading("完善政府信息发布渠道") == "misc"


def test_a_numbered_sentence_is_not_a_heading():
    text = "一、概述\n二、全年共收到申请5件,均已按时答复。\n三、主动公开政府信息情况"
    assert [s.key for s in split_sections(text)] == ["overview", "proactive"]

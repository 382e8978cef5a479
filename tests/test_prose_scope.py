"""Prose says only what the sentence says: totals vs parts, negation scope, other bodies and years, units.

Each class pairs sentences a rule must read (exact value, rule) with real or realistic ones it must not.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.model import ParseIssue, ProseFact
from nianbao.normalize import normalize
from nianbao.prose import DERIVED_NEW, read_prose
from nianbao.sections import split_sections

APPLICATIONS = "三、依申请公开政府信息情况\n"
APPEALS = "五、因政府信息公开申请行政复议、提起行政诉讼情况\n"
PROACTIVE = "二、主动公开政府信息情况\n"


def read(raw: str, admin_level: str | None = None) -> tuple[str, list[ProseFact], list[ParseIssue]]:
    text = normalize(raw).text
    facts, issues = read_prose(text, split_sections(text), admin_level)
    return text, facts, issues


def got(raw: str, admin_level: str | None = None) -> set[tuple[str, float, str]]:
    return {(f.measure, f.value, f.rule_id) for f in read(raw, admin_level)[1]}


def values(raw: str, measure: str, admin_level: str | None = None) -> list[float]:
    return [f.value for f in read(raw, admin_level)[1] if f.measure == measure]


# --- a total that includes carried-over requests is not the year's new ones ---


def test_total_with_its_new_and_carried_parts_gives_the_new_part():
    raw = APPLICATIONS + "2022年，本机关共受理政府信息公开申请35件（其中本年度新收32件，上年结转3件）。"
    assert got(raw) == {
        ("applications_new", 32, "applications.new_n"),
        ("applications_carried_over", 3, "applications.carried_over_n"),
    }


@pytest.mark.parametrize(
    "raw",
    [
        "2021年共受理政府信息公开申请20件，其中上年结转2件。",
        "共受理政府信息公开申请20件（含上年度结转申请2件）。",
    ],
)
def test_total_with_only_its_carried_part_gives_the_difference_marked_derived(raw):
    text, facts, _ = read(APPLICATIONS + raw)
    new = [f for f in facts if f.measure == "applications_new"]
    assert [(f.value, f.rule_id) for f in new] == [(18, DERIVED_NEW)]
    assert text[new[0].span_start : new[0].span_end] == "20"  # the span is the stated total
    assert values(APPLICATIONS + raw, "applications_carried_over") == [2]


def test_a_total_whose_carried_part_is_not_a_number_is_declined_with_a_reason():
    _, facts, issues = read(APPLICATIONS + "共受理政府信息公开申请40件（含上年结转若干件）。")
    assert [f for f in facts if f.measure == "applications_new"] == []
    assert [(i.code, i.measure) for i in issues] == [("prose_declined", "applications_new")]


@pytest.mark.parametrize(
    ("raw", "new"),
    [
        ("本年度收到政府信息公开申请30件，上年结转2件。", 30),  # listed side by side, not 其中/含
        ("共受理政府信息公开申请35件，其中结转下年度2件。", 35),  # carried forward, not carried over
    ],
)
def test_a_received_count_followed_by_other_figures_stays_the_new_count(raw, new):
    assert values(APPLICATIONS + raw, "applications_new") == [new]


def test_a_table_row_of_new_requests_is_left_to_the_table_parser():
    raw = APPLICATIONS + "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119\n"
    assert values(raw, "applications_new") == []


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_any_new_part_is_read_and_the_total_never_is(new, carried):
    raw = f"{APPLICATIONS}共受理政府信息公开申请{new + carried}件（其中本年度新收{new}件，上年结转{carried}件）。"
    assert values(raw, "applications_new") == [new]


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_any_total_less_its_carried_part_is_the_new_figure(new, carried):
    facts = read(f"{APPLICATIONS}共受理政府信息公开申请{new + carried}件，其中上年结转{carried}件。")[1]
    assert [(f.value, f.rule_id) for f in facts if f.measure == "applications_new"] == [(new, DERIVED_NEW)]


# --- a lumped figure is not its parts ---


@pytest.mark.parametrize("raw", ["全部公开或部分公开50件，占40%。", "公开和部分公开50件。"])
def test_lumped_outcomes_are_not_partially_granted(raw):
    assert got(APPLICATIONS + raw) == {("granted_or_partial", 50, "outcomes.granted_or_partial_n")}


def test_a_listed_partial_count_after_a_granted_count_is_its_own():
    raw = APPLICATIONS + "同意公开5件、部分公开3件。"
    assert values(raw, "partially_granted") == [3] and values(raw, "granted") == [5]


# --- a negation covers only what it negates ---

OUTCOME_NILS = [
    "全年未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情况。",
    "全年未发生因政府信息公开被复议纠错或诉讼败诉的情况。",
    "本年度未发生行政诉讼败诉案件。",
    "未发生政府信息公开行政复议决定被撤销或确认违法的情况。",
    "本年度无新增行政复议案件。",  # none new: reviews carried over may still have been decided
]


@pytest.mark.parametrize("raw", OUTCOME_NILS)
def test_a_nil_about_corrections_or_losses_says_nothing_about_the_count(raw):
    assert got(APPEALS + raw) == set()


def test_a_nil_count_then_a_nil_correction_still_zeroes_the_count():
    raw = APPEALS + "未发生涉及政府信息公开的行政复议案件，未出现被纠错情况。"
    assert got(raw) == {("reconsideration_total", 0, "appeals.nil_phrase")}


@given(
    st.sampled_from(["被行政复议", "被复议", "行政复议决定被", "行政诉讼"]),
    st.sampled_from(["纠错", "撤销", "确认违法", "败诉", "责任追究"]),
    st.sampled_from(["未发生", "没有发生", "未出现", "无"]),
)
def test_no_nil_about_an_outcome_yields_a_total(subject, outcome, nil):
    raw = f"{APPEALS}本年度{nil}因政府信息公开{subject}{outcome}的情况。"
    assert {f.measure for f in read(raw)[1]} & {"reconsideration_total", "litigation_total"} == set()


@pytest.mark.parametrize(
    "raw",
    [
        "本年度未收到需要延期答复的申请。",
        "本年度未收到以邮寄方式提交的申请。",
        "全年未收到申请人要求更正政府信息的申请。",
    ],
)
def test_a_nil_about_one_kind_of_request_is_not_no_requests(raw):
    assert values(APPLICATIONS + raw, "applications_new") == []


@pytest.mark.parametrize(
    "raw",
    [
        "(二)与行政复议、行政诉讼有关的费用支出:无。",  # spending, not fees charged
        "(一)政府信息公开事务的财政与实际支出情况:无。",
        "行政机关依申请提供政府信息，除可以收取检索、复制、邮寄等成本费用外，不得收取其他费用。",
    ],
)
def test_spending_and_quoted_rules_are_not_fees(raw):
    assert values("四、政府信息公开收费及减免情况\n" + raw, "fees_yuan") == []


def test_information_classed_as_withheld_is_not_a_refusal():
    raw = "2018年,共制作政府信息3021条,其中主动公开信息1027条,依申请公开信息459条,不予公开信息1535条。"
    assert {f.measure for f in read(raw)[1]} == {"proactive_total"}


# --- figures about other bodies or other years ---


@pytest.mark.parametrize(
    ("raw", "measure"),
    [
        (APPLICATIONS + "全市共受理政府信息公开申请1200件。", "applications_new"),
        (APPLICATIONS + "去年同期共收到政府信息公开申请25件。", "applications_new"),
        (APPLICATIONS + "受理上级机关转办的政府信息公开申请3件。", "applications_new"),
        (PROACTIVE + "全省各级行政机关共主动公开政府信息85万条。", "proactive_total"),
        (APPEALS + "同比发生政府信息公开行政复议2件。", "reconsideration_total"),
    ],
)
def test_other_bodies_and_years_are_declined_with_a_reason(raw, measure):
    _, facts, issues = read(raw, "department")
    assert [f for f in facts if f.measure == measure] == []
    assert [i.measure for i in issues] == [measure]


@pytest.mark.parametrize(
    ("admin_level", "expected"),
    [("prefecture", [1200]), ("county", [1200]), ("department", []), ("township", []), (None, [])],
)
def test_the_whole_city_is_the_reports_own_only_for_a_city_or_county_level_body(admin_level, expected):
    raw = APPLICATIONS + "全市共受理政府信息公开申请1200件。"
    assert values(raw, "applications_new", admin_level) == expected


def test_carried_over_from_last_year_is_not_another_year():
    raw = APPLICATIONS + "上年结转政府信息公开申请4件，本年度收到政府信息公开申请30件。"
    assert values(raw, "applications_carried_over") == [4] and values(raw, "applications_new") == [30]


# --- units: 人次, %, 篇 are not 件 ---


@pytest.mark.parametrize(
    "raw",
    [
        "全年接待政府信息公开申请咨询300人次。",
        "依申请公开答复率为100%，收到申请同比增长15%。",
        "受理政务服务申请5000余件。",
    ],
)
def test_visits_rates_and_other_services_are_not_requests(raw):
    assert values(APPLICATIONS + raw, "applications_new") == []


# --- a channel's count is the total only as the one count of its sentence ---


@pytest.mark.parametrize(
    "raw",
    [
        "通过政府网站公开信息65条,政务微信公开信息635条。",
        "截止2023年12月31日我局通过官方网站发布政务类信息34条,概况类信息150条。",
        "其中,政府门户网站公开信息22542条,维护22个专栏。",
    ],
)
def test_a_channel_among_others_is_a_part(raw):
    assert values(PROACTIVE + raw, "proactive_total") == []


def test_a_channel_before_a_grand_total_gives_way_to_it():
    raw = PROACTIVE + "门户网站发布信息1200条，在市政府网站发布信息340条，总计1540条。"
    assert values(raw, "proactive_total") == [1540]


# --- approximate figures keep the number and a flag ---


@pytest.mark.parametrize(
    ("raw", "value"),
    [("全年主动公开政府信息约1200条。", 1200), ("2020年,我乡共主动公开政府信息260余条。", 260)],
)
def test_approximate_figures_are_flagged(raw, value):
    facts = [f for f in read(PROACTIVE + raw)[1] if f.measure == "proactive_total"]
    assert [(f.value, f.approximate) for f in facts] == [(value, True)]


def test_a_plain_figure_is_not_flagged():
    facts = read(PROACTIVE + "全年主动公开政府信息1200条。")[1]
    assert [(f.value, f.approximate) for f in facts] == [(1200, False)]

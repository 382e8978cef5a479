"""Prose rules: one realistic sentence per phrasing; exact measure, value and rule; the span is the number.

Sentences mark the expected span with [brackets]; the brackets are removed before parsing.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.model import ProseFact
from nianbao.normalize import normalize
from nianbao.numbers import parse_number
from nianbao.prose import extract_prose_facts
from nianbao.sections import split_sections
from tests.test_numbers import to_chinese


def facts_of(raw: str) -> tuple[str, list[ProseFact]]:
    text = normalize(raw).text
    return text, extract_prose_facts(text, split_sections(text))


def facts_only(raw: str) -> list[ProseFact]:
    return facts_of(raw)[1]


def measures(raw: str) -> set[str]:
    return {f.measure for f in facts_only(raw)}


def only(raw: str, measure: str) -> tuple[str, ProseFact]:
    """The single fact for `measure`, with the normalised text it indexes."""
    text, facts = facts_of(raw)
    found = [f for f in facts if f.measure == measure]
    assert len(found) == 1, found
    return text, found[0]


def check(marked: str, measure: str, value: float, rule_id: str) -> None:
    """`marked` brackets the expected span: that span, that value, from that rule."""
    raw = marked.replace("[", "").replace("]", "")
    text, fact = only(raw, measure)
    assert (fact.value, fact.rule_id) == (value, rule_id)
    expected = normalize(marked[marked.index("[") + 1 : marked.index("]")]).text
    assert text[fact.span_start : fact.span_end] == expected
    assert text.index(expected) == fact.span_start
    assert fact.sentence in text


@pytest.mark.parametrize(
    ("marked", "value", "rule_id"),
    [
        ("2015年，本局共主动公开政府信息[1,286]条，全文电子化率100%。", 1286, "proactive.disclosed_info_n"),
        ("全年通过门户网站、政务微博等渠道主动公开各类信息共[4870]条。", 4870, "proactive.disclosed_info_n"),
        ("截至12月底，本镇共计发布政府信息[2316]条。", 2316, "proactive.published_total"),
        ("门户网站发布信息1200条，在市政府网站发布信息340条，总计[1540]条。", 1540, "proactive.grand_total"),
        (
            "通过局门户网站主动公开工作动态[318]条，包括通知公告、工作信息等。",
            318,
            "proactive.disclosed_with_breakdown",
        ),
        ("2021年主动公开的各类政府信息数量[66]件。", 66, "proactive.disclosed_info_n"),
        ("截至2019年12月30日,我苏木主动公开[143]条信息,其中政务制度7条。", 143, "proactive.disclosed_n_info"),
        (
            "2012年,我县政府信息公开网站发布主动公开信息28大项、79小项,共计[6657]条。",
            6657,
            "proactive.categories_then_total",
        ),
        ("一是主动公开情况。通过局门户网站发布各类信息[2960]条。", 2960, "proactive.website_n"),
        ("2023年,我局认真梳理,主动在门户网站公开政府信息[50]条。", 50, "proactive.website_n"),
        (
            "全年我街道政府网站公开上传信息[64]条,其中部门工作59条、政策文件3条、财务公开1条。",
            64,
            "proactive.website_n",
        ),
        (
            "全年通过局门户网站发布信息[16887]条,其中政务动态822条,公告公示3672条。",
            16887,
            "proactive.website_n",
        ),
        (  # all information made, split by how it is disclosed: the 主动公开 part is the total
            "2018年,共制作政府信息3021条,其中主动公开信息[1027]条,依申请公开信息459条,不予公开信息1535条。",
            1027,
            "proactive.disclosed_info_n",
        ),
    ],
)
def test_proactive_total(marked, value, rule_id):
    check(marked, "proactive_total", value, rule_id)


@pytest.mark.parametrize(
    ("marked", "value", "rule_id"),
    [
        ("2021年，本机关共受理政府信息公开申请[三百一十二]件。", 312, "applications.received_n"),
        ("全年收到政府信息公开申请 [18] 件，均已按期答复。", 18, "applications.received_n"),
        ("三、依申请公开情况\n共收到申请[642]件。其中，通过网络申请580件。", 642, "applications.received_n"),
        ("截至年底，本县依申请公开总数为[97]条。", 97, "applications.request_total"),
        ("2015年，我委收到[7]起政府信息依申请公开，均在规定期限内办理。", 7, "applications.cases_n"),
        ("全年共办理省政府网站转来的[5]项依申请公开信息事项。", 5, "applications.items_handled"),
        ("全年及时处置政府信息依申请公开[16]例。", 16, "applications.handled_cases"),
        ("全年依申请公开[3]件。", 3, "applications.on_request_n"),
        ("本局本年度收到[4]件针对本部门有关政府信息公开事务的申请。", 4, "applications.cases_n"),
        ("本年新收政府信息公开申请数量为[12]件。", 12, "applications.new_n"),
        (  # a sub-heading inside 总体情况 names the topic, so the bare 申请书 is an information request
            "一、总体情况\n二是依申请公开情况。2025年度市自然资源局接收到申请书[55]份,申请公开的政府信息主要涉及征地信息。",
            55,
            "applications.received_n",
        ),
    ],
)
def test_applications_new(marked, value, rule_id):
    check(marked, "applications_new", value, rule_id)


@pytest.mark.parametrize(
    "marked",
    ["上年结转政府信息公开申请 [4] 件。", "共答复申请120件（含上年度结转申请[4]件）。"],
)
def test_applications_carried_over(marked):
    check(marked, "applications_carried_over", 4, "applications.carried_over_n")


@pytest.mark.parametrize(
    ("marked", "measure", "value", "rule_id"),
    [
        ("予以公开答复[52]件，占43.3%。", "granted", 52, "outcomes.granted_n"),
        ("同意公开答复 [11] 件，部分公开答复 2 件。", "granted", 11, "outcomes.granted_n"),
        ("部分公开[13]，占10.8%；", "partially_granted", 13, "outcomes.partially_granted_n"),
        ("不同意公开[3]件。", "denied", 3, "outcomes.denied_n"),
        ("不予公开[8]件，占6.7%；", "denied", 8, "outcomes.denied_n"),
        ("因本机关不掌握等原因无法提供[41]件。", "unavailable", 41, "outcomes.unavailable_n"),
        ("不予处理[5]件，占4.2%。", "not_processed", 5, "outcomes.not_processed_n"),
        ("其他处理[2]件。", "other_handling", 2, "outcomes.other_handling_n"),
        ("予以公开及部分公开[74]件，占61.7%。", "granted_or_partial", 74, "outcomes.granted_or_partial_n"),
        (
            "同意公开或部分公开共[39]件，公开率为55.7%。",
            "granted_or_partial",
            39,
            "outcomes.granted_or_partial_n",
        ),
    ],
)
def test_outcomes(marked, measure, value, rule_id):
    check(marked, measure, value, rule_id)


@pytest.mark.parametrize(
    ("marked", "value", "rule_id"),
    [
        ("答复政府信息公开申请[118]件。", 118, "responded.answered_requests_n"),
        ("共受理政府信息公开申请130件，答复[126]件。", 126, "responded.answered_n"),
        ("全年完成政府信息公开申请答复[203]件。", 203, "responded.completed_n"),
    ],
)
def test_responded_total(marked, value, rule_id):
    check(marked, "responded_total", value, rule_id)


@pytest.mark.parametrize(
    ("marked", "value", "rule_id"),
    [
        ("结转下年度继续办理[9]件。", 9, "carried_forward.next_year_n"),
        ("转下一年度办理答复的有 [3] 件。", 3, "carried_forward.next_year_n"),
        ("另有[12]件申请按照《条例》顺延到下年度答复。", 12, "carried_forward.deferred_n"),
        ("全年收到申请30件，其中[2]件结转下年度办理。", 2, "carried_forward.deferred_n"),
    ],
)
def test_carried_forward(marked, value, rule_id):
    check(marked, "carried_forward", value, rule_id)


@pytest.mark.parametrize(
    ("marked", "measure", "value", "rule_id"),
    [
        ("全年发生政府信息公开行政复议[2]件。", "reconsideration_total", 2, "appeals.reconsideration_n"),
        (
            "共发生涉及政府信息公开的行政诉讼案件[5]件，被纠错1件。",
            "litigation_total",
            5,
            "appeals.litigation_n",
        ),
        (
            "信息公开类行政复议3件，诉讼[6]件，均获维持。",
            "litigation_total",
            6,
            "appeals.paired_litigation_n",
        ),
        (
            "本年度有 [2] 件涉及政府信息公开工作的行政复议。",
            "reconsideration_total",
            2,
            "appeals.n_reconsideration",
        ),
        ("本年度有 [1] 件涉及政府信息公开工作的行政诉讼。", "litigation_total", 1, "appeals.n_litigation"),
    ],
)
def test_appeals(marked, measure, value, rule_id):
    check(marked, measure, value, rule_id)


@pytest.mark.parametrize(
    ("marked", "value", "rule_id"),
    [
        ("本年度共收取信息处理费[1250]元。", 1250, "fees.charged_n"),
        ("依申请公开共收取检索、复制费用[0.12万]元。", 1200, "fees.charged_n"),
        ("全年信息处理费共计[860]元。", 860, "fees.processing_fee_n"),
    ],
)
def test_fees(marked, value, rule_id):
    check(marked, "fees_yuan", value, rule_id)


# Nil phrasings: value 0 and the span is the phrase itself.
NIL_CASES = [
    ("本局2012年[未收到政府信息公开申请]。", "applications_new", "applications.nil_phrase"),
    ("今年[没有接收到公民、法人要求公开政府信息的申请]。", "applications_new", "applications.nil_phrase"),
    ("本办2013年[没有收到政府信息公开申]", "applications_new", "applications.nil_phrase"),  # cut-off page
    ("依申请提供政府信息，均[未收取任何费用]。", "fees_yuan", "fees.nil_phrase"),
    ("本单位[没有向申请人收取检索、复制等任何费用]。", "fees_yuan", "fees.nil_phrase"),
    ("2015年本局信息公开工作均[未收费]。", "fees_yuan", "fees.nil_phrase"),
    ("全年[没有政府信息公开收费]及减免情况。", "fees_yuan", "fees.nil_phrase"),
    ("[未产生依申请信息检索、复制等成本费用]。", "fees_yuan", "fees.nil_no_cost"),
    ("依申请公开政府信息[不收取任何费用]。", "fees_yuan", "fees.nil_phrase"),
    (
        "四、政府信息公开收费与减免情况\n(三)公民、法人和其他组织的[收费情况:无]。",
        "fees_yuan",
        "fees.nil_answered_none",
    ),
    (
        "三、依申请公开政府信息情况\n我局2008年度依申请[受理信息公开申请:无]。",
        "applications_new",
        "applications.nil_answered_none",
    ),
    ("2014年,我镇[没有依申请公开政府信息办理事项]。", "applications_new", "applications.nil_no_requests"),
    (
        "本年度我镇[没有依申请公开信息情况],因此未发生收费。",
        "applications_new",
        "applications.nil_no_requests",
    ),
    (
        "2019年,[未接到公民、法人或其他组织要去办理依申请公开事项]。",
        "applications_new",
        "applications.nil_phrase",
    ),
    (
        "本年度[没有接收到书面或其他形式要求公开政府信息的申请]。",
        "applications_new",
        "applications.nil_phrase",
    ),
    (
        "2021年,东城街街道办事处[未接到任何形式的信息公开申请]。",
        "applications_new",
        "applications.nil_phrase",
    ),
    ("2020年我乡[没有不予公开的政府信息]。", "denied", "outcomes.denied_nil"),
]


@pytest.mark.parametrize(("marked", "measure", "rule_id"), NIL_CASES)
def test_nil_phrase_is_zero_spanning_the_phrase(marked, measure, rule_id):
    check(marked, measure, 0, rule_id)


@pytest.mark.parametrize(
    "raw",
    [
        "2016年，未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
        "本年度没有出现涉及政府信息公开的行政复议和行政诉讼案件。",
        "全年未产生针对本机关政府信息公开的行政复议与行政诉讼。",
    ],
)
def test_appeals_nil_phrase_naming_both_zeroes_both(raw):
    facts = facts_only(raw)
    got = {(f.measure, f.value, f.rule_id) for f in facts}
    assert got == {
        ("reconsideration_total", 0, "appeals.nil_phrase"),
        ("litigation_total", 0, "appeals.nil_phrase"),
    }


def test_appeals_nil_phrase_naming_one_zeroes_only_that_one():
    facts = facts_only("本年度未发生涉及政府信息公开的行政复议案件。")
    assert [(f.measure, f.value) for f in facts] == [("reconsideration_total", 0)]


def test_appeals_both_zero_with_each():
    text, facts = facts_of("行政复议、行政诉讼均为0件。")
    assert {(f.measure, f.value, f.rule_id) for f in facts} == {
        ("reconsideration_total", 0, "appeals.both_n"),
        ("litigation_total", 0, "appeals.both_n"),
    }
    assert all(text[f.span_start : f.span_end] == "0" for f in facts)


def test_appeals_combined_count_is_not_each():
    assert measures("涉及政府信息公开的行政复议和行政诉讼案件共3件。") == set()


def test_approximate_total_keeps_the_number_and_flags_it():
    text, fact = only("全年主动公开各类政府信息8600余条。", "proactive_total")
    assert (fact.value, fact.approximate, text[fact.span_start : fact.span_end]) == (8600, True, "8600")


def test_first_count_after_received_is_the_total_not_a_channel():
    facts = facts_only("全年共收到政府信息依申请公开803件。其中，当面申请41件，网络申请700件。")
    assert [(f.measure, f.value) for f in facts] == [("applications_new", 803)]


# --- negatives ---


def test_parts_after_qizhong_are_not_totals():
    raw = "其中，政府网站公开信息3100条，政务微信主动公开政府信息400条。"
    assert "proactive_total" not in measures(raw)


def test_this_years_figure_inside_qizhong_beats_a_cumulative_total():
    raw = "截至年底累计主动公开政府信息9102条，其中，本年度新增主动公开政府信息1740条。"
    facts = facts_only(raw)
    best = min((f for f in facts if f.measure == "proactive_total"), key=lambda f: (f.rank, f.span_start))
    assert best.value == 1740


def test_percentages_are_not_counts():
    assert measures("予以公开占55.2%，部分公开率为6.1%，不予公开率3%。") == set()


def test_lumped_outcome_is_neither_granted_nor_partial():
    facts = facts_only("予以公开及部分公开74件，占61.7%；不予公开8件。")
    assert {f.measure for f in facts} == {"granted_or_partial", "denied"}


def test_administrative_fees_are_not_disclosure_fees():
    raw = "第二十条第（八）项 行政事业性收费 本年收费金额（单位：万元）收取行政事业性收费2836.5万元。"
    assert "fees_yuan" not in measures(raw)


def test_flattened_table_rows_are_left_to_the_table_parser():
    raw = "（一）予以公开 | 18 | 0 | 18\n（三）不予公开 3 0 0 0 0 0 3\n（六）其他处理 4"
    assert measures(raw) == set()


def test_document_disclosure_attributes_are_not_request_outcomes():
    raw = "全年共制发文件120件，其中主动公开90件，依申请公开6件，不予公开24件。"
    assert measures(raw) == set()


def test_other_services_are_not_information_requests():
    raw = "政务服务中心全年共受理办件申请15230件，办结15100件。"
    assert measures(raw) == set()


def test_answered_hotline_enquiries_are_not_responded_requests():
    assert measures("已及时答复各类在线咨询260多件。") == set()


def test_a_review_request_is_not_an_information_request():
    assert "applications_new" not in measures("本年度未收到行政复议申请。")


def test_problems_section_is_not_read():
    raw = "五、存在的主要问题及改进情况\n下一步将确保全年主动公开政府信息不少于500条。\n"
    assert measures(raw) == set()


def test_two_different_values_are_both_kept():
    raw = "一、概述\n全年处置依申请公开14例。\n三、依申请公开政府信息情况\n全年收到政府信息公开申请0件。"
    facts = facts_only(raw)
    values = sorted((f.rank, f.value) for f in facts if f.measure == "applications_new")
    assert [v for _, v in values] == [0, 14]  # the applications section outranks the overview mention


def test_one_span_is_not_emitted_twice():
    facts = facts_only("本年度主动公开政府信息215条，其中规章2条。")
    assert [(f.measure, f.value) for f in facts] == [("proactive_total", 215)]


# --- properties ---

_FORMATS = st.sampled_from(["plain", "padded", "comma", "chinese"])


def _write(n: int, how: str) -> str:
    return {"plain": str(n), "padded": f" {n} ", "comma": f"{n:,}", "chinese": to_chinese(n)}[how]


@given(st.integers(min_value=0, max_value=10**6), _FORMATS)
def test_any_count_in_a_received_sentence_is_read_exactly(n, how):
    text, fact = only(f"2022年，本机关共收到政府信息公开申请{_write(n, how)}件。", "applications_new")
    assert fact.value == n
    assert parse_span(text, fact) == n


@given(st.integers(min_value=1, max_value=10**7), _FORMATS)
def test_any_proactive_total_is_read_exactly(n, how):
    text, fact = only(f"全年主动公开政府信息{_write(n, how)}条，其中规范性文件12件。", "proactive_total")
    assert fact.value == n and parse_span(text, fact) == n


@given(st.integers(min_value=1, max_value=99_999), st.booleans())
def test_any_fee_is_in_yuan(n, in_wan):
    unit = "万元" if in_wan else "元"
    text, fact = only(f"本年度共收取信息处理费{n}{unit}。", "fees_yuan")
    assert fact.value == n * (10_000 if in_wan else 1)
    assert text[fact.span_start : fact.span_end].startswith(str(n))


def parse_span(text: str, fact: ProseFact) -> float | None:
    return parse_number(text[fact.span_start : fact.span_end])


def test_nil_phrase_runs_past_yishenqing_to_the_noun():
    check("本厅[没有收到依申请公开政府信息的申请]。", "applications_new", 0, "applications.nil_phrase")


@pytest.mark.parametrize(
    "label", ["申请人逾期未按收费通知要求缴纳费用", "申请人逾期未按收费通\n知要求缴纳费用"]
)
def test_unpaid_fee_notice_label_is_no_fees_statement(label):
    """表三 （六）2 as a line of an HTML/DOCX table's text (whole, or split in a narrow cell) is the applicant's
    unpaid fee, not 未收费 (synthetic corpus regression: read as fees_yuan = 0 in reports that charged fees)."""
    raw = (
        f"三、收到和处理政府信息公开申请情况\n（六）其他处理\n2.{label}、行政机关不再处理其政府信息公开申请\n0\n"
        "六、其他需要报告的事项\n本年度收取信息处理费1760元。\n"
    )
    assert [(f.measure, f.value) for f in facts_only(raw) if f.measure == "fees_yuan"] == [
        ("fees_yuan", 1760.0)
    ]

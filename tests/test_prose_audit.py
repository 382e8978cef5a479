"""Classes found wrong by an audit of every prose fact in the corpus, each with the sentence that showed it.

Negatives are real report sentences (or realistic ones of the same class); each class keeps positives, real
sentences that must still be read with their exact value.
"""

import pytest

from nianbao.model import ParseIssue, ProseFact
from nianbao.normalize import normalize
from nianbao.prose import read_prose
from nianbao.sections import split_sections

APPLICATIONS = "三、依申请公开政府信息情况\n"
APPEALS = "五、因政府信息公开申请行政复议、提起行政诉讼情况\n"
PROACTIVE = "二、主动公开政府信息情况\n"
FEES = "四、政府信息公开的收费及减免情况\n"


def read(
    raw: str, admin_level: str | None = "department", year: int | None = None
) -> tuple[list[ProseFact], list[ParseIssue]]:
    text = normalize(raw).text
    return read_prose(text, split_sections(text), admin_level, year)


def values(raw: str, measure: str, admin_level: str | None = "department", year: int | None = None) -> list:
    return [f.value for f in read(raw, admin_level, year)[0] if f.measure == measure]


def declined(raw: str, measure: str, admin_level: str | None = "department", year: int | None = None) -> bool:
    facts, issues = read(raw, admin_level, year)
    return not [f for f in facts if f.measure == measure] and any(
        i.code == "prose_declined" and i.measure == measure for i in issues
    )


# --- a website's count is one channel when the report states the total elsewhere ---

MEIXIAN = (
    "一、总体情况\n一是主动公开政府信息。2019年,梅县区政府办主动公开政府信息1.17万条,其中通过政府门户网站公开信息"
    "5350条、通过政府信息公开目录公开信息724条。2019年政府网站共发布各类信息5350多条,其中工作动态2534条、"
    "重点领域信息公开561条、视频新闻256条。"
)


def test_the_website_count_gives_way_to_the_stated_total():
    facts, issues = read(MEIXIAN, "department", 2019)
    assert [(f.value, f.rule_id) for f in facts if f.measure == "proactive_total"] == [
        (11700, "proactive.disclosed_info_n")
    ]
    assert any("one channel" in i.message for i in issues)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("一是主动公开情况。通过局门户网站发布各类信息2960条。", 2960),
        ("全年通过局门户网站发布信息16887条,其中政务动态822条,公告公示3672条。", 16887),
    ],
)
def test_the_website_count_is_the_total_when_nothing_else_is(raw, value):
    assert values(PROACTIVE + raw, "proactive_total") == [value]


# --- one channel other than the website (微博, 新媒体…) is a part ---


@pytest.mark.parametrize(
    "raw",
    [
        "政务微博主动公开政府信息300条。",
        "通过“两微一端”主动公开政府信息560条。",
        "通过微信公众号共发布政府信息210条。",
    ],
)
def test_one_other_channel_is_not_the_total(raw):
    assert values(PROACTIVE + raw, "proactive_total") == []


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (
            "开福区全年通过政府门户网站、政务微信、区长信箱等渠道主动公开各类信息共23594条,访问量达到292万人次。",
            23594,
        ),
        (
            "通过政府网站、微信、微博、广播、电视、公开栏、电子屏等多种渠道,主动公开各类政府信息12190余条,"
            "实现了政府信息多渠道、全方位的公开。",
            12190,
        ),
    ],
)
def test_channels_listed_with_etc_are_all_of_them(raw, value):
    assert values(PROACTIVE + raw, "proactive_total") == [value]


# --- other bodies: departments, subordinate units ---

LIPU = (
    "2022年政府新收依申请公开数量为2件,办理结果为予以公开2件;部门新收依申请公开数量为4件,办理结果为予以公开1件,"
    "无法提供2件,不予处理1件;因政府信息公开被申请行政复议、行政诉讼数量为0件。"
)


def test_the_departments_figure_in_a_governments_report_is_not_its_own():
    facts, issues = read(APPLICATIONS + LIPU, "county", 2022)
    assert [f.value for f in facts if f.measure == "applications_new"] == [2]
    assert any("'部门'" in i.message for i in issues)


@pytest.mark.parametrize(
    ("raw", "measure"),
    [
        (PROACTIVE + "下属单位共主动公开政府信息230条。", "proactive_total"),
        (APPEALS + "下属单位发生政府信息公开行政诉讼2件。", "litigation_total"),
        (APPLICATIONS + "各乡镇（街道）共受理政府信息公开申请56件。", "applications_new"),
        (APPLICATIONS + "市直部门共受理政府信息公开申请300件。", "applications_new"),
    ],
)
def test_subordinate_bodies_are_declined(raw, measure):
    assert declined(raw, measure)


def test_this_department_is_its_own():
    raw = APPLICATIONS + "本局2024年度收到4件针对本部门有关政府信息公开事务的申请,本局均已按时答复。"
    assert values(raw, "applications_new", "department", 2024) == [4]


# --- other years: a figure dated to another year, or over several ---


@pytest.mark.parametrize(
    ("raw", "measure", "value"),
    [
        (APPLICATIONS + "2021年共收到申请35件，2022年收到政府信息公开申请28件。", "applications_new", 28),
        (PROACTIVE + "2021年主动公开政府信息980条，2022年主动公开政府信息1100条。", "proactive_total", 1100),
    ],
)
def test_a_figure_dated_to_another_year_is_declined(raw, measure, value):
    facts, issues = read(raw, "department", 2022)
    assert [f.value for f in facts if f.measure == measure] == [value]
    assert any("is not the report's year 2022" in i.message for i in issues)


def test_without_a_report_year_dated_figures_are_all_kept():
    raw = APPLICATIONS + "2021年共收到申请35件，2022年收到政府信息公开申请28件。"
    assert sorted(values(raw, "applications_new")) == [28, 35]


@pytest.mark.parametrize(
    ("raw", "measure"),
    [
        (APPLICATIONS + "2019年以来，累计受理政府信息公开申请580件。", "applications_new"),
        (APPLICATIONS + "历年累计受理政府信息公开申请580件。", "applications_new"),
        (PROACTIVE + "2019年以来累计主动公开政府信息8000条。", "proactive_total"),
        (PROACTIVE + "累计主动公开政府信息5万余条。", "proactive_total"),
        (PROACTIVE + "截至目前，门户网站累计发布信息3.2万条。", "proactive_total"),
        (PROACTIVE + "网站开通以来共主动公开政府信息2万条。", "proactive_total"),
        (APPEALS + "2019年以来累计发生政府信息公开行政诉讼12件。", "litigation_total"),
    ],
)
def test_figures_over_several_years_are_declined(raw, measure):
    assert declined(raw, measure, "department", 2022)


@pytest.mark.parametrize(
    ("raw", "measure", "value", "year"),
    [
        (PROACTIVE + "2021年，我局累计主动公开政府信息1560条。", "proactive_total", 1560, 2021),
        (
            APPLICATIONS + "自2008年5月1日《条例》施行以来，共受理政府信息公开申请12件。",
            "applications_new",
            12,
            2008,
        ),
        (FEES + "本局2024年度及历年政府信息公开均未收取任何费用。", "fees_yuan", 0, 2024),
        (FEES + "2014年度及历年来,我镇政府信息公开没有收费及减免的情况。", "fees_yuan", 0, 2014),
        (FEES + "2019年以来未收取任何信息处理费。", "fees_yuan", 0, 2022),  # a nil over the years holds
    ],
)
def test_the_years_own_figure_or_a_nil_over_the_years_is_kept(raw, measure, value, year):
    assert values(raw, measure, "department", year) == [value]


def test_a_change_against_last_year_is_no_figure():
    assert read(APPLICATIONS + "收到政府信息公开申请同比增长15件。")[0] == []


# --- a case carried over is a request's only when requests are what the sentence counts ---


def test_a_review_carried_over_is_not_a_request_carried_over():
    raw = APPEALS + "全年发生政府信息公开行政复议案件3件（其中上年结转1件），行政诉讼案件2件。"
    assert values(raw, "applications_carried_over") == []


def test_requests_carried_over_are_still_read():
    raw = (
        APPLICATIONS
        + "答复政府信息公开申请266件(含上年度结转申请21件,另有41件申请按照《条例》顺延到下年度答复)。"
    )
    assert values(raw, "applications_carried_over") == [21]


# --- a nil of every request names no kind of request ---


@pytest.mark.parametrize(
    "raw",
    [
        "未收到申请人对答复结果有异议的申请。",
        "未收到涉及国家秘密的申请。",
        "本年度未收到需要补充材料的申请。",
    ],
)
def test_a_nil_of_one_kind_of_request_is_no_count(raw):
    assert values(APPLICATIONS + raw, "applications_new") == []


@pytest.mark.parametrize(
    "raw",
    [
        "本年度没有接收到书面或其他形式要求公开政府信息的申请,不涉及部分公开和不予公开的内容。",
        "街道未收到任何公民、法人和其他组织提出的公开政府信息的申请。",
        "2021年,东城街街道办事处未接到任何形式的信息公开申请。",
        "2019年,未接到公民、法人或其他组织要去办理依申请公开事项。",
        "省国资委没有收到依申请公开政府信息的申请。",
        "本单位2014年没有收到政府信息公开申请件。",
    ],
)
def test_a_nil_of_every_request_is_zero(raw):
    assert values(APPLICATIONS + raw, "applications_new") == [0]


def test_no_request_about_fees_is_not_no_fees():
    assert values(FEES + "本年度未接到收费申请。", "fees_yuan") == []
    assert values(FEES + "2017年,县人民政府没有政府信息公开收费及减免情况。", "fees_yuan") == [0]


# --- a total followed by the year's new part runs over the years ---


def test_a_proactive_total_with_the_years_new_part_is_cumulative():
    assert declined(PROACTIVE + "主动公开政府信息1200条，其中本年度新增300条。", "proactive_total")


def test_a_proactive_total_with_its_categories_is_the_total():
    raw = PROACTIVE + "2023年,通过政府门户网站,主动公开政府信息63条,其中,组织机构类信息16条,动态类信息36条。"
    assert values(raw, "proactive_total", "township", 2023) == [63]


# --- an outcome of the reviews is not their count ---


@pytest.mark.parametrize("raw", ["被纠错的行政复议案件1件。", "结果维持的行政诉讼案件2件。"])
def test_an_outcome_before_the_appeal_count_is_no_total(raw):
    facts = read(APPEALS + raw)[0]
    assert [f for f in facts if f.measure in {"reconsideration_total", "litigation_total"}] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "信息公开类行政复议4件,诉讼10件,均获维持。",
            {("reconsideration_total", 4), ("litigation_total", 10)},
        ),
        ("行政复议2件，均维持原决定；行政诉讼0件。", {("reconsideration_total", 2), ("litigation_total", 0)}),
    ],
)
def test_an_outcome_after_the_appeal_count_keeps_it(raw, expected):
    facts = read(APPEALS + raw)[0]
    assert {(f.measure, f.value) for f in facts} == expected


# --- fees waived are not fees charged; no processing fee arising is none charged ---


def test_a_waived_fee_is_not_charged():
    assert values(FEES + "本年度免收信息处理费200元。", "fees_yuan") == []
    assert values(FEES + "本年度收取信息处理费共计1200元。", "fees_yuan") == [1200]


def test_no_processing_fee_arising_is_zero():
    raw = (
        FEES + "依法按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）执行，全年未产生信息处理费。"
    )
    assert values(raw, "fees_yuan", "department", 2022) == [0]


# --- an outcome's 答复N件 is no total, also when a PDF line wraps between 不予公开 and 答复 ---

WRAPPED_OUTCOME = (
    APPLICATIONS
    + "全年收到政府信息公开申请237件,上年结转政府信息公开申请3件。同意公开答复79件,部分公开答复19件,"
    "不予公开\n答复12件,无法提供的82件,不予处理20件,其他处理22件,转下一年度办理答复的有6件。\n"
)


@pytest.mark.parametrize(
    "raw",
    [
        WRAPPED_OUTCOME,
        WRAPPED_OUTCOME.replace("不予公开\n答复", "同意公开\n答复"),
        WRAPPED_OUTCOME.replace("不予公开\n答复", "不予公\n开答复"),
    ],
)
def test_wrapped_outcome_answer_is_no_total(raw: str) -> None:
    assert values(raw, "responded_total") == []
    assert values(raw, "granted") == [79]


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (APPLICATIONS + "全年共答复政府信息公开申请12件。\n", [12]),
        (APPLICATIONS + "依申请公开答复12件。\n", [12]),
        (APPLICATIONS + "依申请公\n开答复12件。\n", [12]),
    ],
)
def test_answered_total_still_read(raw: str, want: list) -> None:
    assert values(raw, "responded_total") == want

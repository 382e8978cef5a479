"""One test per metadata rule, on short hand-written report texts (not taken from the seeds)."""

from pathlib import Path

from nianbao.ingest import read_document
from nianbao.metadata import extract_metadata
from nianbao.normalize import normalize
from nianbao.sections import split_sections


def meta(raw: str):
    text = normalize(raw).text
    return extract_metadata(text, split_sections(text))


# --- agency -----------------------------------------------------------------------------------------------


def test_agency_from_title_with_name_before_year():
    md = meta(
        "桐庐县2019年度政府信息公开工作年度报告\n发布日期:2020-01-20\n"
        "本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。\n一、总体情况\n2019年,我县……"
    )
    assert (md.agency, md.agency_rule) == ("桐庐县", "agency.title")
    assert md.title == "桐庐县2019年度政府信息公开工作年度报告"
    assert (md.admin_level, md.province, md.province_rule) == ("county", "浙江省", "province.agency")


def test_agency_from_title_with_name_after_year():
    md = meta("2013年醴陵市人民政府政府信息公开工作年度报告\n一、概述\n2013年,全市……")
    assert (md.agency, md.agency_rule) == ("醴陵市人民政府", "agency.title")
    assert (md.admin_level, md.province) == ("county", "湖南省")


def test_agency_title_keeps_renmin_zhengfu_split_by_the_report_word():
    md = meta("2015年宁乡县人民政府信息公开工作年度报告\n一、概述\n")
    assert md.agency == "宁乡县人民政府"


def test_agency_from_title_of_a_forwarding_notice():
    md = meta("攸县人民政府办公室关于印发攸县2019年政府信息公开工作年度报告的通知\n一、总体情况\n")
    assert (md.agency, md.agency_rule, md.admin_level) == ("攸县", "agency.title", "county")


def test_agency_from_preamble_publication_sentence():
    md = meta(
        "根据《中华人民共和国政府信息公开条例》规定,现公布汉中市略阳县人民政府2018年度政府信息公开"
        "工作年度报告。\n一、概述\n"
    )
    assert (md.agency, md.agency_rule) == ("汉中市略阳县人民政府", "agency.preamble")
    assert (md.admin_level, md.province) == ("county", "陕西省")


def test_agency_from_preamble_compiled_from_sentence():
    md = meta("本报告汇总2016年度黄田镇人民政府的政务公开年度报告编制而成。\n一、概述\n")
    assert (md.agency, md.agency_rule) == ("黄田镇人民政府", "agency.preamble")
    assert md.admin_level == "township"


def test_agency_from_subject_of_opening_sentence():
    md = meta(
        "关于2021年度政府信息公开情况的报告\n一、总体情况\n"
        "2021年,在区委、区政府的领导下,越秀区城市管理和综合执法局认真贯彻落实《条例》。"
    )
    assert (md.agency, md.agency_rule) == ("越秀区城市管理和综合执法局", "agency.subject")
    assert (md.admin_level, md.province) == ("department", "广东省")


def test_agency_from_source_line_only_when_nothing_better():
    md = meta(
        "政务公开年报\n来源:芦溪县 发布时间:2017-02-10\n本年度我县认真落实条例要求。\n一、概述\n全县各部门……"
    )
    assert (md.agency, md.agency_rule) == ("芦溪县", "agency.source_line")
    assert md.province == "江西省"


def test_agency_null_when_only_self_references():
    md = meta("现将我局2015年政府信息公开情况报告如下。\n一、主动公开情况\n我局全年主动公开信息300条。")
    assert (md.agency, md.agency_rule) == (None, None)
    assert md.admin_level == "department"  # 我局 still says it is a department
    assert md.province is None


def test_footer_site_is_not_the_agency():
    md = meta(
        "一、概述\n2016年,我局全年主动公开政府信息500条。\n二、依申请公开情况\n未收到申请。\n"
        "主办:黔西南州人民政府办公室 技术支持:某某科技\n来源:黔西南州人民政府"
    )
    assert md.agency is None


def test_fuller_name_prefers_parent_written_in_text():
    md = meta(
        "开发区2019年政府信息公开工作年度报告\n"
        "2019年,瑶海区认真贯彻落实条例。电子版可在合肥市瑶海区人民政府网站下载。\n"
    )
    # the title part 开发区 is not a valid body (no place, no suffix) so the subject decides,
    # and the text writes the prefecture in front of it
    assert md.agency == "合肥市瑶海区"
    assert md.agency_rule == "agency.subject"


# --- admin level ------------------------------------------------------------------------------------------


def test_admin_level_prefecture_and_province_from_gazetteer():
    assert meta("2012年度遵义市政府信息公开工作年度报告\n").admin_level == "prefecture"
    assert meta("2012年度贵州省人民政府政府信息公开工作年度报告\n").admin_level == "province"


def test_admin_level_department_for_provincial_commission():
    md = meta("江西省发展和改革委员会2014年度政府信息公开工作年度报告\n")
    assert (md.admin_level, md.province) == ("department", "江西省")


def test_admin_level_township_for_street_office():
    md = meta("2022年长沙市天心区坡子街街道办事处政府信息公开工作年度报告\n")
    assert (md.agency, md.admin_level, md.province) == ("长沙市天心区坡子街街道办事处", "township", "湖南省")


def test_admin_level_open_for_mixed_self_reference():
    md = meta("2018年,我市主动公开信息120条。\n")
    assert md.admin_level is None  # 我市 is a prefecture or a county-level city


# --- province ---------------------------------------------------------------------------------------------


def test_province_from_agency_with_ambiguous_name_settled_by_text():
    md = meta("朝阳区2020年政府信息公开工作年度报告\n一、总体情况\n全区认真落实长春市政务公开工作要点。\n")
    assert (md.province, md.province_rule) == ("吉林省", "province.agency")


def test_province_from_places_named_in_text():
    md = meta("关于2019年度政府信息公开情况的报告\n一、总体情况\n本中心按照株洲市和湖南省的部署开展工作。\n")
    assert (md.province, md.province_rule) == ("湖南省", "province.text")


def test_province_from_document_number_abbreviation():
    md = meta("关于2016年度政府信息公开情况的报告\n按照(鄂政办发〔2016〕12号)文件要求,我局认真开展工作。\n")
    assert (md.province, md.province_rule) == ("湖北省", "province.doc_number")


def test_province_null_when_text_names_no_place():
    md = meta("关于2020年度政府信息公开情况的报告\n一、总体情况\n在区委、区政府领导下,我街道认真开展工作。\n")
    assert (md.province, md.province_rule) == (None, None)


# --- report year ------------------------------------------------------------------------------------------


def test_year_statistics_period_beats_title():
    md = meta(
        "2012年临湘市政府信息公开工作年度报告\n本报告中所列数据的统计期限自2011年1月1日起至2011年12月31日止。\n"
    )
    assert (md.report_year, md.report_year_rule) == (2011, "report_year.statistics_period")
    assert md.report_year_evidence == "所列数据的统计期限自2011年1月1日起至2011年12月31日"


def test_year_cutoff_figures_beat_title():
    md = meta(
        "2010年度邵阳市政府信息公开工作年度报告\n一、概述\n"
        "截至2009年12月31日,全市主动公开政府信息8000条,受理申请35件。\n"
    )
    assert (md.report_year, md.report_year_rule) == (2009, "report_year.cutoff")
    assert md.report_year_evidence == "截至2009年12月31日"


def test_year_cutoff_ignored_when_cutoffs_disagree():
    md = meta(
        "2015年度邵阳市政府信息公开工作年度报告\n截至2014年底,全市累计公开信息8000条。"
        "截至2015年底,全市累计公开信息9000条。\n"
    )
    assert (md.report_year, md.report_year_rule) == (2015, "report_year.title")


def test_year_from_title():
    md = meta("永州市2014年度政府信息公开工作年度报告\n一、概述\n")
    assert (md.report_year, md.report_year_rule) == (2014, "report_year.title")


def test_year_from_preamble_sentence():
    md = meta("现将我委2013年政府信息公开工作情况报告如下:\n一、概述\n")
    assert (md.report_year, md.report_year_rule) == (2013, "report_year.preamble")


def test_year_from_lead_year_of_first_section():
    md = meta("一、总体情况\n2022年,在县委、县政府的领导下,全镇认真落实条例。\n")
    assert (md.report_year, md.report_year_rule) == (2022, "report_year.lead_year")


# --- published on -----------------------------------------------------------------------------------------


def test_published_on_from_label_with_time():
    md = meta("2018年度宜春市政府信息公开工作年度报告\n发布日期:2019-03-28 10:02:11 点击量:\n一、概述\n")
    assert (md.published_on, md.published_on_rule) == ("2019-03-28", "published_on.label")


def test_published_on_from_dateline_under_title():
    md = meta("2018年度宜春市政府信息公开工作年度报告\n2019年3月28日\n一、概述\n")
    assert (md.published_on, md.published_on_rule) == ("2019-03-28", "published_on.dateline")


def test_published_on_from_sign_off_dateline():
    md = meta("2018年度宜春市政府信息公开工作年度报告\n一、概述\n全市……\n宜春市人民政府办公室\n2019年3月28日")
    assert (md.published_on, md.published_on_rule) == ("2019-03-28", "published_on.dateline")


def test_repost_date_is_not_a_publication_date():
    md = meta("2010年度衡阳市政府信息公开工作年度报告\n发布时间:2021-06-05 作者:佚名\n一、概述\n")
    assert (md.published_on, md.published_on_rule) == (None, None)


def test_date_before_covered_year_ends_is_not_a_publication_date():
    md = meta("2018年度宜春市政府信息公开工作年度报告\n发布时间:2018-06-01\n一、概述\n")
    assert md.published_on is None


def test_garbled_date_is_ignored():
    md = meta("2009年度益阳市政府信息公开工作年度报告简介\n2022/07/1673 作者:佚名\n")
    assert md.published_on is None


# --- format era -------------------------------------------------------------------------------------------


def test_era_std2021_from_table_labels():
    md = meta(
        "一、总体情况\n二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    )
    assert md.format_era == "std2021"


def test_era_std2019_from_table_labels():
    md = meta("二、主动公开政府信息情况\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n")
    assert md.format_era == "std2019"


def test_era_headings_with_year_tie_break():
    body = (
        "一、总体情况\n全年工作有序推进。\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    assert meta("2020年度平江县政府信息公开工作年度报告\n" + body).format_era == "std2019"
    assert meta("2022年度平江县政府信息公开工作年度报告\n" + body).format_era == "std2021"


def test_era_std2019_from_notice_number():
    md = meta("依据国办公开办函〔2019〕60号要求编制。统计期限自2019年1月1日至2019年12月31日。\n")
    assert md.format_era == "std2019"


def test_era_pre2019_for_free_form_report():
    md = meta("2012年度邵东县政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息的情况\n")
    assert md.format_era == "pre2019"


def test_empty_text_gives_empty_metadata():
    md = meta("")
    assert (md.agency, md.province, md.report_year, md.published_on, md.format_era) == (
        None,
        None,
        None,
        None,
        "pre2019",
    )


def test_title_broken_over_two_lines_is_joined():
    text = (
        "桐庐县人民政府\n2023 年政府信息公开工作年度报告\n本报告由桐庐县人民政府办公室编制。\n一、总体情况\n"
    )
    meta = extract_metadata(text, split_sections(text))
    assert meta.title == "桐庐县人民政府2023年政府信息公开工作年度报告"
    assert (meta.agency, meta.agency_rule) == ("桐庐县人民政府", "agency.title")


def test_a_recent_report_without_structural_marks_takes_the_format_in_force_that_year():
    text = "2024年,本局全年主动公开政府信息120条,收到政府信息公开申请3件。"
    assert extract_metadata(text, split_sections(text)).format_era == "std2021"
    text_2019 = "2019年,本局全年主动公开政府信息120条。"
    assert extract_metadata(text_2019, split_sections(text_2019)).format_era == "std2019"


def test_a_recent_report_in_the_old_outline_stays_pre2019():
    text = "一、概述\n2021年,本镇全年主动公开政府信息18条。\n二、依申请公开政府信息情况\n本镇未收到申请。"
    assert extract_metadata(text, split_sections(text)).format_era == "pre2019"


# --- agency: title, 编制说明, signature, self-naming (real pages and sentences) ---------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"


def page_meta(name: str):
    doc = read_document(FIXTURES / name)
    return extract_metadata(doc.normalized_text, split_sections(doc.normalized_text))


def test_agency_from_signature_above_the_closing_date():
    md = page_meta("tingziba_zhen_2014.txt")  # ends 亭子坝镇人民政府 / 2015年1月10日
    assert (md.agency, md.agency_rule, md.admin_level) == ("亭子坝镇人民政府", "agency.signature", "township")
    assert (md.published_on, md.published_on_rule) == ("2015-01-10", "published_on.dateline")


def test_signature_needs_the_date_line_under_it():
    md = meta("一、概述\n2014年,我镇主动公开政府信息160条。\n亭子坝镇人民政府\n联系电话:0856-1234567")
    assert (md.agency, md.agency_rule) == (None, None)


def test_agency_named_by_a_township_that_calls_itself_我乡():
    md = page_meta("lintao_shangying_2020.txt")  # 我乡 … 《上营乡信息公开保密审查机制》 … 上营乡微信公众号
    assert (md.agency, md.agency_rule, md.admin_level) == ("上营乡", "agency.self_named", "township")


def test_agency_named_once_before_政府_by_a_苏木():
    md = page_meta("kyzq_harinuoer_2019.txt")  # 我苏木成立哈日诺尔苏木政府信息公开领导小组
    assert (md.agency, md.agency_rule, md.admin_level) == ("哈日诺尔苏木", "agency.self_named", "township")


def test_self_named_township_gives_no_answer_when_two_townships_are_named():
    md = meta(
        "2020年,我乡共主动公开政府信息260余条。我乡没有不予公开的政府信息。"
        "制定了《上营乡信息公开保密审查机制》,学习借鉴了《中铺镇政务公开制度》和《辛店乡政务公开制度》。"
        "通过上营乡微信公众号、辛店乡微信公众号公开信息。"
    )
    assert md.agency is None


def test_agency_from_title_starting_with_下_and_index_code_province():
    md = page_meta("xiaguan_zhen_2009_trad.txt")  # 2009年度下管鎮…; 索引號 1133068200259085XF
    assert (md.agency, md.agency_rule, md.admin_level) == ("下管镇", "agency.title", "township")
    assert (md.province, md.province_rule) == ("浙江省", "province.index_code")
    assert md.published_on is None  # 公開日期 2015-07-27 is a re-upload six years later


def test_agency_from_title_of_a_street_that_calls_itself_全街():
    md = meta(
        "佳荣里街2021年政府信息公开工作年度报告\n一、总体情况\n"
        "2021年,全街共受理政府信息公开申请总数1件。根据区政府信息公开专栏目录,结合我街实际。"
    )
    assert (md.agency, md.agency_rule, md.admin_level) == ("佳荣里街", "agency.title", "township")


def test_title_name_ending_in_街_without_self_reference_is_not_a_body():
    md = meta("中山大街2021年政府信息公开工作年度报告\n一、总体情况\n2021年,我局主动公开信息66条。")
    assert md.agency is None


def test_agency_from_publication_sentence_with_特向社会公布():
    md = page_meta("luqiao_luoyang_2021.txt")  # 特向社会公布螺洋街道2021年度信息公开年度报告
    assert (md.agency, md.agency_rule, md.admin_level) == ("螺洋街道", "agency.preamble", "township")


def test_agency_from_publication_sentence_with_year_after_the_report_word():
    md = meta(
        "根据《中华人民共和国政府信息公开条例》要求,现公布中山市自然资源局政府信息公开工作2022年度报告。"
        "报告中统计数据时限为2022年1月1日至2022年12月31日。\n一、总体情况\n"
    )
    assert (md.agency, md.agency_rule, md.admin_level) == (
        "中山市自然资源局",
        "agency.preamble",
        "department",
    )
    assert (md.province, md.province_rule) == ("广东省", "province.agency")


def test_generic_department_name_taken_where_the_report_names_itself_so():
    md = meta("根据《中华人民共和国政府信息公开条例》规定,现公布区统计局2023年政府信息公开工作年度报告。\n")
    assert (md.agency, md.agency_rule, md.admin_level) == ("区统计局", "agency.preamble", "department")
    assert (md.province, md.province_rule) == (None, None)  # no place named


def test_generic_name_of_another_body_in_an_opening_sentence_is_not_taken():
    md = meta("一、总体情况\n2023年,县政府办公室认真贯彻落实《条例》,指导各单位做好公开工作。\n")
    assert (md.agency, md.agency_rule) == (None, None)


def test_agency_from_编制说明_compiled_by():
    md = meta(
        "信息公开\n本报告由湖北省地震局根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求,"
        "以及中国地震局和湖北省人民政府关于政府信息公开有关办法的要求编制。\n一、总体情况\n"
    )
    assert (md.agency, md.agency_rule, md.admin_level) == ("湖北省地震局", "agency.compiled_by", "department")
    assert md.province == "湖北省"


def test_compiled_by_never_takes_a_spam_string_or_a_generic_office():
    md = page_meta("pingdingshan_2010.txt")  # 由365官方入口-app下载_…人民政府办公室编制
    assert (md.agency, md.agency_rule) == (None, None)
    md = meta("本报告由市政府办公室汇总编制。\n一、概述\n2010年,全市主动公开信息3000条。\n")
    assert md.agency is None


def test_parenthetical_abbreviation_is_cut_from_the_name():
    md = meta(
        "现公布长沙市公安局开福分局(以下简称开福分局)2020年度政府信息公开工作年度报告。\n一、总体情况\n"
    )
    assert (md.agency, md.agency_rule) == ("长沙市公安局开福分局", "agency.preamble")


def test_title_given_as_a_labelled_field():
    md = meta(
        "标题: | 林业局2008年政府信息公开年度报告 | ||\n发文日期: | 2009-02-27 15:19:45 | 发布机构: | 某某\n"
    )
    assert md.title == "林业局2008年政府信息公开年度报告"
    assert (md.agency, md.agency_rule) == ("林业局", "agency.title")
    assert (md.published_on, md.published_on_rule) == ("2009-02-27", "published_on.label")


# --- province: renamed county, index code, ambiguity -------------------------------------------------------


def test_county_renamed_city_after_the_gazetteer_is_still_placed():
    md = meta("荔浦市2022年政府信息公开工作年度报告\n2023-01-16 16:50:00 来源: 荔浦市政府\n")
    assert (md.agency, md.admin_level) == ("荔浦市", "county")
    assert (md.province, md.province_rule) == ("广西壮族自治区", "province.agency")
    assert (md.published_on, md.published_on_rule) == ("2023-01-16", "published_on.dateline")


def test_province_from_credit_code_in_index_number():
    md = meta(
        "索引号: | 12370305MB2887776R/2009-5098229 | 文号: | 无文号 |\n"
        "现将我单位2008年度政府信息公开工作情况报告如下:\n"
    )
    assert (md.province, md.province_rule) == ("山东省", "province.index_code")


def test_index_number_that_is_not_a_credit_code_names_no_province():
    md = meta("- 索引号\n- 005452065/2016-00001\n现将我局2010年政府信息公开工作情况报告如下:\n")
    assert (md.province, md.province_rule) == (None, None)


def test_ambiguous_district_with_no_other_place_gives_no_province():
    md = meta("朝阳区2020年政府信息公开工作年度报告\n一、总体情况\n全区认真落实政务公开工作要点。\n")
    assert md.agency == "朝阳区"
    assert (md.province, md.province_rule) == (None, None)  # 朝阳区 is in 北京 and in 长春


# --- published on: page date lines --------------------------------------------------------------------------


def test_published_on_from_bracketed_date_under_a_two_line_title():
    md = meta(
        "衡山县人民政府办公室\n2025年政府信息公开工作年度报告\n(2026年1月13日)\n"
        "编制说明:本年度报告根据国、省、市政府信息公开相关法律、法规的规定编制。\n一、总体情况\n"
    )
    assert (md.published_on, md.published_on_rule) == ("2026-01-13", "published_on.dateline")


def test_published_on_from_label_and_value_on_two_lines():
    md = page_meta("pingdingshan_2010.txt")  # - 发布日期 / - 2011-03-31
    assert (md.published_on, md.published_on_rule) == ("2011-03-31", "published_on.label")


def test_crawl_date_is_not_a_publication_date():
    md = meta("2021年度某县政府信息公开工作年度报告\n采集时间:2022-02-01 抓取日期:2022-02-01\n一、总体情况\n")
    assert (md.published_on, md.published_on_rule) == (None, None)

"""HTML pages: the report body is kept, the site's navigation and footer are not."""

from pathlib import Path

from nianbao.html_extract import extract_report_text, looks_like_html
from nianbao.ingest import Document, read_document

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "zj_gzw_2009_gbk.html"


def test_gbk_page_with_gb2312_meta_decodes_through_the_declared_charset():
    doc = read_document(FIXTURE)
    assert isinstance(doc, Document)
    assert (doc.file_type, doc.encoding, doc.encoding_rule) == ("html", "gb18030", "declared")


def test_body_title_and_date_kept_navigation_and_footer_dropped():
    doc = read_document(FIXTURE)
    assert isinstance(doc, Document)
    text = doc.normalized_text
    assert text.startswith("浙江省国资委2009年度政府信息公开工作 年度报告\n发布时间:2010-03-18")
    assert "省国资委没有收到依申请公开政府信息的申请。" in text
    for chrome in ("首页", "互动交流", "版权所有", "ICP备", "分享到", "统计代码", "机构概况"):
        assert chrome not in text


def test_table_cells_become_one_line_per_row():
    html = (
        "<html><body><div id=content><p>三、收到和处理政府信息公开申请情况</p><table>"
        "<tr><td>一、本年新收政府信息公开申请数量</td><td>12</td><td>&nbsp;</td><td>/</td></tr>"
        "</table></div></body></html>"
    )
    assert extract_report_text(html).splitlines()[-1] == "一、本年新收政府信息公开申请数量 | 12 | | /"


def test_title_drops_the_site_name():
    html = "<html><head><title>某区2022年政府信息公开工作年度报告_某区人民政府网</title></head><body><p>正文</p></body></html>"
    assert extract_report_text(html).splitlines()[0] == "某区2022年政府信息公开工作年度报告"


def test_html_is_sniffed_in_a_txt_file():
    assert looks_like_html("<!DOCTYPE html><html><body>")
    assert not looks_like_html("2019年度政府信息公开工作年度报告\n一、总体情况")

"""HTML pages: the report body is kept, the site's navigation and footer are not."""

import json
from pathlib import Path

from lxml import etree

from nianbao.html_extract import extract_report_text, looks_like_html, report_text
from nianbao.ingest import Document, read_document
from nianbao.parse import parse_text
from nianbao.readers.html_tables import html_grids, page_grids, parse_html
from nianbao.tables.grid import Grid

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


def test_a_body_whose_class_names_chrome_is_still_the_page():
    # `share`/`footer` on <body> or <html> once dropped the whole page and left only the doctype's name
    html = (
        '<!DOCTYPE html><html class="nav-page"><head><title>某县2020年政府信息公开工作年度报告_某县网</title></head>'
        '<body class="share-footer"><div id="zoom"><p>本机关2020年收到政府信息公开申请3件。</p></div></body></html>'
    )
    assert (
        extract_report_text(html)
        == "某县2020年政府信息公开工作年度报告\n本机关2020年收到政府信息公开申请3件。"
    )


def test_a_page_without_body_gives_its_text_but_not_the_doctype():
    html = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">'
        "<html><head><title>某市2019年政府信息公开工作年度报告</title></head>"
        '<frameset><frame src="body.html"></frameset></html>'
    )
    # the whole document is the text then; the doctype's name and ids once led it
    assert extract_report_text(html) == "某市2019年政府信息公开工作年度报告"


def test_comments_split_text_but_score_nothing_and_blank_runs_are_one_space():
    html = (
        "<html><body><div class=main><p>一、总体情况<!--正文-->本年\r\n<span>\x0c</span>公开</p>"
        "<pre>a\x0c<b>\x0c</b>b</pre><a>相关链接相关链接相关链接</a></div></body></html>"
    )
    assert extract_report_text(html) == "一、总体情况正文本年 公开\na\x0c\x0cb\n相关链接相关链接相关链接"


def test_one_parsed_page_serves_the_text_and_the_grids_unchanged():
    html = (
        "<html><body><nav><table><tr><td>首页</td></tr></table></nav><div id=content>"
        "<table><tr><td>收到申请</td><td>5</td></tr></table></div></body></html>"
    )
    page = parse_html(html)
    before = etree.tostring(page)
    assert report_text(page) == "收到申请 | 5"
    assert etree.tostring(page) == before  # the text walk leaves the nav table to the grids
    assert [g.to_json() for g in page_grids(page)] == [g.to_json() for g in html_grids(html)]
    assert [g.text_at(0, c) for g in page_grids(page) for c in range(g.width)] == ["首页", "收到申请", "5"]


def test_a_data_tables_lines_are_marked_in_the_normalised_text_a_page_frame_and_hidden_rows_are_not(
    tmp_path: Path,
):
    long_cell = "本机关坚持以公开为常态、不公开为例外。" * 12  # paragraphs: a page frame, not a data table
    page = (
        "<html><body><div><h1>某县2022年政府信息公开工作年度报告㈠</h1>"
        "<p>一、总体情况　　本年度主动公开信息。</p>"
        "<table><tr><td>信息内容</td><td>本年<br>新制作数量</td></tr><tr><td>规章</td><td> 3 </td></tr></table>"
        f"<table><tr><td>{long_cell}</td></tr></table>"
        "<table><tr><td>收到申请</td><td>5</td></tr><tr style='display:none'><td>隐藏</td><td>9</td></tr></table>"
        "<p>二、其他</p></div></body></html>"
    )
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, Document)
    data, frame, hidden = doc.grids
    assert frame.text_span is None and hidden.text_span is None
    assert data.text_span is not None
    assert doc.normalized_text[slice(*data.text_span)] == "信息内容 | 本年\n新制作数量\n规章 | 3"
    assert [Grid.from_dict(g).text_span for g in json.loads(doc.grids_json)] == [None] * 3  # not stored


def test_a_table_flattened_inside_a_page_frame_cell_is_still_read_from_the_text(tmp_path: Path):
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结果 结果 其他 尚未",
        "总 计",
        "维持 纠正 结果 审结 结果 结果 其他 尚未 结果 结果 其他 尚未",
        "总 计 总计",
        "维持 纠正 结果 审结 维持 纠正 结果 审结",
        "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0",
        "五、存在的主要问题及改进情况",
    ]
    prose = "本机关坚持以公开为常态、不公开为例外。"  # three short cells: no one of them is the body
    page = (
        "<html><body><table><tr><td><h1>某区2023年政府信息公开工作年度报告</h1>"
        f"<p>一、总体情况</p><p>{prose * 4}</p></td><td><p>{prose * 5}政府信息公开</p></td><td>"
        + "".join(f"<p>{ln}</p>" for ln in lines)
        + "</td></tr></table></body></html>"
    )
    path = tmp_path / "frame.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, Document)
    assert [g.text_span for g in doc.grids] == [None]  # a cell holds a table's numbers: a page frame
    t4 = [c for c in parse_text(doc.document_id, doc.normalized_text, doc.grids).cells if c.table == "t4"]
    assert t4 and all(c.source.startswith("text:") for c in t4)
    assert sorted(c.value_num for c in t4 if c.value_num) == [1.0, 5.0, 10.0]

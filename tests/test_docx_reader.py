"""DOCX reader: the official 2021 template's three tables with their true merges, and hostile packages.

The template's spans were read from its XML (`w:gridSpan`, `w:vMerge`); the expected origin cells below
are that reading. Hostile inputs are built here, byte by byte: a deflate bomb, a zip whose central
directory declares 2 GiB, path traversal, a billion-laughs DTD, an external entity, non-Word packages.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
from pathlib import Path

import pytest

from nianbao.readers.docx import read_docx, read_docx_safely
from nianbao.readers.limits import ReaderError
from nianbao.readers.zipcheck import ZipLimits, check_zip
from nianbao.tables.grid import Grid
from tests.helpers import T3_COLUMNS

TEMPLATE = Path(__file__).parent / "fixtures" / "docx" / "template_2021_format.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def template():
    return read_docx(TEMPLATE)


def _origins(grid: Grid, text_only: bool = True) -> list[tuple[int, int, int, int, str]]:
    return [
        (c.row, c.col, c.rowspan, c.colspan, c.text)
        for r, row in enumerate(grid.rows)
        for k, c in enumerate(row)
        if c is not None and grid.is_origin(r, k) and (c.text or not text_only)
    ]


T2_LABELS = [
    (0, 0, 1, 4, "第二十条第（一）项"),
    (1, 0, 1, 1, "信息内容"),
    (1, 1, 1, 1, "本年制发件数"),
    (1, 2, 1, 1, "本年废止件数"),
    (1, 3, 1, 1, "现行有效件数"),
    (2, 0, 1, 1, "规章"),
    (3, 0, 1, 1, "行政规范性文件"),
    (4, 0, 1, 4, "第二十条第（五）项"),
    (5, 0, 1, 1, "信息内容"),
    (5, 1, 1, 3, "本年处理决定数量"),
    (6, 0, 1, 1, "行政许可"),
    (7, 0, 1, 4, "第二十条第（六）项"),
    (8, 0, 1, 1, "信息内容"),
    (8, 1, 1, 3, "本年处理决定数量"),
    (9, 0, 1, 1, "行政处罚"),
    (10, 0, 1, 1, "行政强制"),
    (11, 0, 1, 4, "第二十条第（八）项"),
    (12, 0, 1, 1, "信息内容"),
    (12, 1, 1, 3, "本年收费金额（单位：万元）"),
    (13, 0, 1, 1, "行政事业性收费"),
]
T2_VALUE_CELLS = [(2, 1, 1, 1), (2, 2, 1, 1), (2, 3, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1)] + [
    (r, 1, 1, 3) for r in (6, 9, 10, 13)
]

T3_LABELS = [
    (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    (0, 3, 1, 7, "申请人情况"),
    (1, 3, 2, 1, "自然人"),
    (1, 4, 1, 5, "法人或其他组织"),
    (1, 9, 2, 1, "总计"),
    (2, 4, 1, 1, "商业 企业"),  # a w:br between 商业 and 企业
    (2, 5, 1, 1, "科研 机构"),
    (2, 6, 1, 1, "社会公益组织"),
    (2, 7, 1, 1, "法律服务机构"),
    (2, 8, 1, 1, "其他"),
    (3, 0, 1, 3, "一、本年新收政府信息公开申请数量"),
    (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
    (5, 0, 22, 1, "三、本年度办理结果"),
    (5, 1, 1, 2, "（一）予以公开"),
    (6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (7, 1, 8, 1, "（三）不予公开"),
    (7, 2, 1, 1, "1.属于国家秘密"),
    (8, 2, 1, 1, "2.其他法律行政法规禁止公开"),
    (9, 2, 1, 1, "3.危及“三安全一稳定”"),
    (10, 2, 1, 1, "4.保护第三方合法权益"),
    (11, 2, 1, 1, "5.属于三类内部事务信息"),
    (12, 2, 1, 1, "6.属于四类过程性信息"),
    (13, 2, 1, 1, "7.属于行政执法案卷"),
    (14, 2, 1, 1, "8.属于行政查询事项"),
    (15, 1, 3, 1, "（四）无法提供"),
    (15, 2, 1, 1, "1.本机关不掌握相关政府信息"),
    (16, 2, 1, 1, "2.没有现成信息需要另行制作"),
    (17, 2, 1, 1, "3.补正后申请内容仍不明确"),
    (18, 1, 5, 1, "（五）不予处理"),
    (18, 2, 1, 1, "1.信访举报投诉类申请"),
    (19, 2, 1, 1, "2.重复申请"),
    (20, 2, 1, 1, "3.要求提供公开出版物"),
    (21, 2, 1, 1, "4.无正当理由大量反复申请"),
    (22, 2, 1, 1, "5.要求行政机关确认或重新出具已获取信息"),
    (23, 1, 3, 1, "（六）其他处理"),
    (23, 2, 1, 1, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (24, 2, 1, 1, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (25, 2, 1, 1, "3.其他"),
    (26, 1, 1, 2, "（七）总计"),
    (27, 0, 1, 3, "四、结转下年度继续办理"),
]

_RESULTS = ["结果维持", "结果 纠正", "其他 结果", "尚未 审结", "总计"]  # the template breaks lines in these
T4_LABELS = [
    (0, 0, 1, 5, "行政复议"),
    (0, 5, 1, 10, "行政诉讼"),
    *[(1, c, 2, 1, text) for c, text in enumerate(_RESULTS)],
    (1, 5, 1, 5, "未经复议直接起诉"),
    (1, 10, 1, 5, "复议后起诉"),
    *[(2, 5 + c, 1, 1, "结果 维持" if c == 0 else text) for c, text in enumerate(_RESULTS)],
    *[(2, 10 + c, 1, 1, "结果 维持" if c == 0 else text) for c, text in enumerate(_RESULTS)],
]


# ---------------------------------------------------------------- the official 2021 template


def test_template_has_exactly_three_tables_with_their_grid_shapes(template):
    assert [(g.index, g.fmt, len(g.rows), g.width, g.notes) for g in template.grids] == [
        (0, "docx", 14, 4, []),
        (1, "docx", 28, 10, []),
        (2, "docx", 4, 15, []),
    ]
    assert template.notes == ["3 tables, 16 zip entries, 296344 bytes inflated"]


def test_template_t2_four_blocks_every_label_and_span(template):
    t2 = template.grids[0]
    assert _origins(t2) == T2_LABELS
    empty = [o for o in _origins(t2, text_only=False) if not o[4]]
    assert [
        o[:4] for o in empty
    ] == T2_VALUE_CELLS  # 10 value cells, the single-value rows merged over 3 columns


def test_template_t3_every_label_with_its_merges(template):
    t3 = template.grids[1]
    assert _origins(t3) == T3_LABELS
    values = [o for o in _origins(t3, text_only=False) if not o[4]]
    assert values == [(r, c, 1, 1, "") for r in range(3, 28) for c in range(3, 10)]  # 25 × 7, all blank
    merged = t3.rows[5][0]
    assert [r for r in range(28) if t3.rows[r][0] is merged] == list(range(5, 27))
    assert merged.source == "docx:t1/r5c0"
    assert t3.rows[14][1] is t3.rows[7][1] and t3.rows[15][1] is not t3.rows[7][1]
    assert t3.rows[2][0] is t3.rows[0][0] and t3.rows[2][9] is t3.rows[1][9]


def test_template_t4_three_header_rows_and_15_blank_values(template):
    t4 = template.grids[2]
    assert _origins(t4) == T4_LABELS
    values = [o for o in _origins(t4, text_only=False) if not o[4]]
    assert values == [(3, c, 1, 1, "") for c in range(15)]
    assert t4.rows[2][0] is t4.rows[1][0]  # vMerge restart/continue → rowspan 2


def test_template_text_keeps_body_order_with_tables_as_lines(template):
    lines = template.text.splitlines()
    expected_in_order = [
        "政府信息公开工作年度报告格式模板",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "行政事业性收费 |",
        "三、收到和处理政府信息公开申请情况",
        "自然人 | 法人或其他组织 | 总计",
        "三、本年度办理结果 | （一）予以公开 | | | | | | |",
        "（七）总计 | | | | | | |",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 | 行政诉讼",
        "五、存在的主要问题及改进情况",
        "（文字描述，收取信息处理费情况在此处报告。）",
    ]
    positions = [lines.index(line) for line in expected_in_order]
    assert positions == sorted(positions)
    assert (
        len(lines) == 4 + 14 + 1 + 28 + 1 + 3 + 4
    )  # prose, 表二 rows, heading, 表三, heading, 表四 (blank row dropped), prose


def test_template_cells_all_found_and_all_empty(template):
    cells_mod = pytest.importorskip("nianbao.tables.cells")
    cells = cells_mod.extract_cells(template.grids, template.text)
    keys = {(c.table, c.row_key, c.col_key) for c in cells}
    t3_rows = [
        "new",
        "carried_over",
        "granted",
        "partial",
        *[
            f"denied.{k}"
            for k in (
                "state_secret",
                "law_forbidden",
                "three_security",
                "third_party",
                "internal_affairs",
                "process_info",
                "enforcement_file",
                "inquiry",
            )
        ],
        "unavailable.not_held",
        "unavailable.need_create",
        "unavailable.unclear",
        *[f"not_processed.{k}" for k in ("petition", "repeat", "publication", "mass_repeat", "confirm")],
        "other.no_correction",
        "other.no_fee",
        "other.other",
        "total",
        "carried_forward",
    ]
    t3_cols = T3_COLUMNS
    t2 = {
        ("regulations", "issued"),
        ("regulations", "repealed"),
        ("regulations", "in_force"),
        ("normative_docs", "issued"),
        ("normative_docs", "repealed"),
        ("normative_docs", "in_force"),
        ("licensing", "decisions"),
        ("penalty", "decisions"),
        ("compulsion", "decisions"),
        ("admin_fees", "fee_amount"),
    }
    t4_cols = [
        f"{b}.{r}"
        for b in ("review", "direct", "after_review")
        for r in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert keys == (
        {("t3", r, c) for r in t3_rows for c in t3_cols}
        | {("t2", r, c) for r, c in t2}
        | {("t4", "all", c) for c in t4_cols}
    )
    assert len(cells) == 175 + 10 + 15
    assert {(c.value_raw, c.value_semantic, c.value_num, c.era) for c in cells} == {
        ("", "EMPTY", None, "std2021")
    }
    assert all(c.source.startswith("docx:t") for c in cells)


def test_template_through_the_limited_child_process_gives_the_same_result(template):
    safe = read_docx_safely(TEMPLATE, timeout_s=120)
    assert safe.text == template.text
    assert [g.to_json() for g in safe.grids] == [g.to_json() for g in template.grids]


# ---------------------------------------------------------------- hand-built packages

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _document(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}</w:body></w:document>"
    )


def _docx(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _word(path: Path, document: str) -> Path:
    return _docx(
        path, {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": document}
    )


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _reason(path: Path) -> str:
    with pytest.raises(ReaderError) as e:
        read_docx(path)
    return e.value.reason


def test_merges_nesting_wrappers_and_tracked_changes(tmp_path):
    inner = f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{_tc(_p('x'))}{_tc(_p('y'))}</w:tr></w:tbl>"
    textbox = (
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>"
        f"{_p('box')}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        f"{_p('box')}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    tracked = "<w:p><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:ins><w:r><w:t>kept</w:t></w:r></w:ins></w:p>"
    rows = [
        _tc(_p("A"), '<w:gridSpan w:val="2"/>') + _tc(_p("B"), '<w:vMerge w:val="restart"/>'),
        _tc(_p("C")) + _tc(_p("D") + inner) + _tc("<w:p/>", "<w:vMerge/>"),
        _tc(_p("E"), '<w:hMerge w:val="restart"/>') + _tc("<w:p/>", '<w:hMerge w:val="continue"/>'),
        _tc(_p("gone")) + _tc(_p("gone")) + _tc(_p("gone")),
        f"<w:sdt><w:sdtContent>{_tc(_p('F'))}</w:sdtContent></w:sdt>" + _tc(tracked) + _tc(textbox),
    ]
    row_props = ["", "", '<w:trPr><w:gridBefore w:val="1"/></w:trPr>', "<w:trPr><w:del/></w:trPr>", ""]
    trs = "".join(f"<w:tr>{pr}{cells}</w:tr>" for pr, cells in zip(row_props, rows, strict=True))
    body = (
        _p("正文第一段") + f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{trs}</w:tbl>"
    )
    content = read_docx(_word(tmp_path / "merges.docx", _document(body + _p("末段"))))
    outer, nested = content.grids
    assert _origins(outer, text_only=False) == [
        (0, 0, 1, 2, "A"),
        (0, 2, 2, 1, "B"),
        (1, 0, 1, 1, "C"),
        (1, 1, 1, 1, "D"),
        (2, 1, 1, 2, "E"),
        (3, 0, 1, 1, "F"),
        (3, 1, 1, 1, "kept"),
        (3, 2, 1, 1, "box"),
    ]
    assert outer.notes == ["nested table t1 in r1c1"]
    assert (nested.index, _origins(nested)) == (1, [(0, 0, 1, 1, "x"), (0, 1, 1, 1, "y")])
    assert outer.rows[0][2].source == "docx:t0/r0c2" and nested.rows[0][1].source == "docx:t1/r0c1"
    assert content.text.splitlines() == [
        "正文第一段",
        "A | B",
        "C | D",
        "x | y",
        "E",
        "F | kept | box",
        "末段",
    ]


def test_zero_byte_file_is_empty(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert _reason(empty) == "empty_file"


def test_non_zip_and_non_word_packages_are_not_a_docx(tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # a legacy .doc (OLE2) renamed
    assert _reason(junk) == "not_a_docx"
    sheet_types = CONTENT_TYPES.replace("/word/document.xml", "/xl/workbook.xml").replace(
        "wordprocessingml.document.main", "spreadsheetml.sheet.main"
    )
    xlsx = _docx(
        tmp_path / "sheet.docx",
        {
            "[Content_Types].xml": sheet_types,
            "_rels/.rels": RELS.replace("word/document.xml", "xl/workbook.xml"),
            "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        },
    )
    assert _reason(xlsx) == "not_a_docx"


def test_deflate_bomb_is_refused_from_the_central_directory(tmp_path):
    padding = " " * (20 * 1024 * 1024)  # 20 MiB of spaces deflates to ~20 KB: ratio ≈ 1000:1
    bomb = _word(tmp_path / "bomb.docx", _document(_p("x") + f"<!--{padding}-->"))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ReaderError) as e:
        read_docx(bomb)
    assert e.value.reason == "zip_bomb" and "word/document.xml" in str(e.value) and "ratio" in str(e.value)


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """Patch the central directory record of `name` to declare `size` uncompressed bytes."""
    buf = bytearray(data)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if buf[pos + 46 : pos + 46 + name_len] == name.encode():
            struct.pack_into("<I", buf, pos + 24, size)
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(name)


def test_declared_huge_entry_is_refused_before_decompression(tmp_path):
    good = _word(tmp_path / "good.docx", _document(_p("正文")))
    lying = tmp_path / "lying.docx"
    lying.write_bytes(_declare_size(good.read_bytes(), "word/document.xml", 0xFFFF_FFF0))  # ~4 GiB
    with pytest.raises(ReaderError) as e:
        read_docx(lying)
    assert e.value.reason == "zip_bomb" and "declares 4294967280 bytes" in str(e.value)


def test_zip_limits_entry_count_total_and_paths(tmp_path):
    parts = {f"word/media/image{i}.png": b"\x89PNG" + bytes(range(256)) * 4 for i in range(5)}
    many = _docx(tmp_path / "many.docx", parts)
    assert check_zip(many).entries == 5
    for limits, needle in (
        (ZipLimits(max_entries=4), "5 entries"),
        (ZipLimits(max_total_bytes=3000), "in all"),
        (ZipLimits(max_ratio=1.5, ratio_floor_bytes=0), "ratio"),
    ):
        with pytest.raises(ReaderError) as e:
            check_zip(many, limits)
        assert e.value.reason == "zip_bomb" and needle in str(e.value)
    for name in ("../../evil.xml", "/etc/cron.d/x", "C:/x.xml", "word/../../x.xml"):
        bad = _docx(tmp_path / "bad.docx", {"[Content_Types].xml": CONTENT_TYPES, name: "<x/>"})
        assert _reason(bad) == "zip_bomb"
    summary = check_zip(TEMPLATE)
    assert (summary.entries, summary.total_bytes, summary.total_compressed) == (16, 296344, 21256)
    with pytest.raises(ReaderError) as e:
        check_zip(io.BytesIO(b"not a zip"), not_zip_reason="not_a_xlsx")
    assert e.value.reason == "not_a_xlsx"


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


def test_billion_laughs_in_document_xml_is_an_entity_attack(tmp_path):
    doc = _document("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS)
    assert _reason(_word(tmp_path / "lol.docx", doc)) == "xml_entity_attack"


def test_external_entity_and_dtd_in_any_part_are_refused(tmp_path):
    xxe = _document(
        "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
        prolog='<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    )
    assert _reason(_word(tmp_path / "xxe.docx", xxe)) == "xml_entity_attack"
    types = CONTENT_TYPES.replace(
        'standalone="yes"?>', 'standalone="yes"?><!DOCTYPE Types [<!ENTITY a "b">]>'
    )
    doc = _docx(
        tmp_path / "types.docx",
        {"[Content_Types].xml": types, "_rels/.rels": RELS, "word/document.xml": _document(_p("x"))},
    )
    assert _reason(doc) == "xml_entity_attack"


def _alt_chunk_docx(path: Path, name: str, content_type: str, data: bytes) -> Path:
    types = CONTENT_TYPES.replace(
        "</Types>", f'<Override PartName="/word/{name}" ContentType="{content_type}"/></Types>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdAlt" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'aFChunk" Target="{name}"/></Relationships>'
    )
    body = (
        _p("封面")
        + '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdAlt"/>'
    )
    return _docx(
        path,
        {
            "[Content_Types].xml": types,
            "_rels/.rels": RELS,
            "word/document.xml": _document(body),
            "word/_rels/document.xml.rels": doc_rels,
            f"word/{name}": data,
        },
    )


ALT_HTML = (
    '<html><head><meta charset="gb2312"></head><body><div><p>一、总体情况</p><p>本年度收到申请5件。</p>'
    "<table><tr><td rowspan=2>行政复议</td><td>1</td></tr><tr><td>&nbsp;</td></tr></table></div></body></html>"
)


def test_an_embedded_html_chunk_is_read_as_text_and_grids(tmp_path):
    path = _alt_chunk_docx(tmp_path / "alt.docx", "chunk.htm", "text/html", ALT_HTML.encode("gbk"))
    content = read_docx(path)
    assert content.text.splitlines() == ["封面", "一、总体情况", "本年度收到申请5件。", "行政复议 | 1"]
    (grid,) = content.grids
    assert (grid.index, grid.fmt, _origins(grid, text_only=False)) == (
        0,
        "docx",
        [(0, 0, 2, 1, "行政复议"), (0, 1, 1, 1, "1"), (1, 1, 1, 1, "")],
    )
    assert grid.rows[1][1].source == "docx:altChunk=rIdAlt/t0/r1c1"
    assert content.notes[0] == "altChunk rIdAlt: embedded HTML read, 1 tables"


def test_an_embedded_mht_chunk_is_read_and_rtf_is_noted(tmp_path):
    body = ALT_HTML.encode("gbk")
    mht = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(body)
        + b"\r\n--B--\r\n"
    )
    content = read_docx(_alt_chunk_docx(tmp_path / "mht.docx", "chunk.mht", "message/rfc822", mht))
    assert "本年度收到申请5件。" in content.text.splitlines()
    assert len(content.grids) == 1
    rtf = read_docx(_alt_chunk_docx(tmp_path / "rtf.docx", "chunk.rtf", "application/rtf", b"{\\rtf1 x}"))
    assert rtf.text == "封面"
    assert rtf.notes[0] == "altChunk rIdAlt: not read, content type application/rtf is not read"

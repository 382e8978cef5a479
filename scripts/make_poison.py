"""Write the poison corpus `tests/fixtures/poison/`: one file per class of hostile or broken input.

Every file is made here, deterministically (no clock, no randomness), and described in
`tests/fixtures/poison/expected.json` as {file: {"class", "outcome", "reason", "note", ...}}:

- `outcome` is "parsed" (the file ends in `staging.documents` and the marts) or "quarantined" (it ends in
  `staging.quarantine` with `reason`, a code from `nianbao.quarantine.REASON_CODES`);
- `figures` (parsed only) are columns of `marts.report_summary` that must come out exactly, with `null` for a
  figure that must stay NULL (a table of blanks must not invent a zero);
- `file_type`, `encoding`, `script`, `pinyin_removed`, `original_contains` (parsed only) pin what the
  reader recorded in `staging.documents`;
- `same_bytes_as` names a file whose exact bytes this one repeats: the same bytes are one document
  (`document_id` is their sha256), so it is counted as a duplicate at ingest and stored nowhere by its own path;
- `generated_at_test_time` marks a class too big to commit (the file over the 20 MB size cap): the test
  writes it into its inbox with `generate_oversized()` below.

Readable reports are realistic county reports written from the template below (wording of the seeds and of
real pages in ../shared/corpus/pages), each for a different body, so no two of them are the same report to
the dedupe step unless a class says so.

Usage: python scripts/make_poison.py [OUT_DIR]   (default: tests/fixtures/poison)
"""

from __future__ import annotations

import codecs
import io
import json
import re
import shutil
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "poison"
SEEDS = ROOT / "seeds"
OVERSIZED_NAME = "oversized_report.txt"
OVERSIZED_BYTES = 20 * 1024 * 1024 + 1  # one byte over nianbao.ingest.MAX_BYTES
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip member timestamps: the same bytes on every run

Entry = dict[str, Any]


# --- report text ------------------------------------------------------------------------------------------


def report_text(
    agency: str,
    year: int | None,
    *,
    proactive: int,
    applications: int,
    granted: int,
    partial: int,
    denied: int,
    unavailable: int,
    published: str | None = None,
    title_year: int | None = None,
    rare_sentence: str = "",
    with_problems: bool = True,
) -> str:
    """A pre-2019 style county report (E0 outline) stating its figures in prose.

    `year=None` writes a report that names no year anywhere (本年度 only); `title_year` puts another year in
    the title than the statistics period covers (early reports were titled by their publication year).
    """
    y = f"{year}年" if year else "本年度"
    title = (
        f"{agency}{title_year or year}年政府信息公开工作年度报告"
        if year
        else f"{agency}政府信息公开工作年度报告"
    )
    period = (
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        if year
        else "本报告中所列数据的统计期限为本年度1月1日至12月31日。"
    )
    lines = [title, ""]
    if published:
        lines += [f"发布时间：{published}    信息来源：{agency}人民政府办公室", ""]
    lines += [
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。全文包括概述、主动公开政府信息情况、"
        "依申请公开政府信息情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼情况、"
        f"政府信息公开工作存在的主要问题及改进情况。{period}",
        "",
        "一、概述",
        f"{y}，{agency}人民政府认真贯彻落实《条例》，围绕县委、县政府中心工作，进一步健全政府信息公开工作机制，"
        "明确了分管领导和专职工作人员，完善了信息发布、保密审查和依申请公开办理等制度，政府信息公开工作有序推进。"
        + rare_sentence,
        "",
        "二、主动公开政府信息情况",
        f"{y}，全县主动公开政府信息{proactive}条，其中政策文件类信息{proactive // 5}条，工作动态类信息"
        f"{proactive // 2}条，人事信息{proactive // 10}条。公开渠道以县人民政府门户网站为主，同时通过政务微博、"
        "微信公众号、政务公开栏和档案馆查阅点等方式公开。",
        "",
        "三、依申请公开政府信息情况",
        f"{y}，共收到政府信息公开申请{applications}件，其中予以公开{granted}件，部分公开{partial}件，"
        f"不予公开{denied}件，无法提供{unavailable}件。所有申请均在《条例》规定的期限内答复。",
        "",
        "四、政府信息公开的收费及减免情况",
        f"{y}，在办理政府信息公开申请过程中未收取任何费用。",
        "",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        f"{y}，未发生因政府信息公开申请提起行政复议和行政诉讼的情况。",
    ]
    if with_problems:
        lines += [
            "",
            "六、政府信息公开工作存在的主要问题及改进情况",
            "一是部分单位信息公开的及时性有待提高；二是公开内容的深度和广度还需拓展。下一步，我县将进一步加强业务培训，"
            "规范公开流程，不断提高政府信息公开工作水平。",
        ]
    return "\n".join(lines) + "\n"


def figures(
    year: int | None, proactive: int, applications: int, granted: int, partial: int, denied: int
) -> Entry:
    """What `marts.report_summary` must hold for a `report_text` report."""
    return {
        "report_year": year,
        "proactive_total": proactive,
        "applications_new": applications,
        "granted": granted,
        "partially_granted": partial,
        "denied": denied,
    }


def report(agency: str, year: int | None, base: int, **kw: Any) -> tuple[str, Entry]:
    """A report with figures derived from `base` (distinct per body), and the figures it must yield."""
    apps = base
    granted, partial, denied = base - 7, 3, 2
    kw = {"published": f"{year + 1}-03-{10 + base % 18:02d}" if year else None} | kw
    text = report_text(
        agency,
        year,
        proactive=base * 41,
        applications=apps,
        granted=granted,
        partial=partial,
        denied=denied,
        unavailable=2,
        **kw,
    )
    return text, figures(year, base * 41, apps, granted, partial, denied)


def html_page(
    title: str, body_html: str, *, charset: str | None = "utf-8", site: str = "人民政府门户网站"
) -> str:
    """A government site page: chrome (header, nav, breadcrumb, footer) around `body_html`."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n' if charset else ""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f"{meta}<title>{title}_{site}</title>\n"
        '<link rel="stylesheet" href="/css/style.css">\n</head>\n<body>\n'
        f'<div class="header"><div class="logo">{site}</div></div>\n'
        '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a>'
        '<a href="/hdjl/">互动交流</a><a href="/zfxxgknb/">政府信息公开年报</a></div>\n'
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zfxxgknb/">政府信息公开年报</a></div>\n'
        f'<div class="main">\n{body_html}\n</div>\n'
        f'<div class="footer">主办：{site}　承办：政务公开办公室　ICP备案号：湘ICP备05001234号　'
        "网站标识码：4300000001</div>\n</body>\n</html>\n"
    )


def text_to_html_body(text: str) -> str:
    """Report text → the content block of a page: title as <h1>, one <p> per paragraph."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    paras = "\n".join(f"<p>{ln}</p>" for ln in lines[1:])
    return f'<div class="article"><h1>{lines[0]}</h1>\n<div class="content" id="zoom">\n{paras}\n</div></div>'


# --- statutory 2021 tables (表三, 表四) with no numbers -------------------------------------------------------

_T3_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_T3_ROWS: tuple[tuple[str, str, str], ...] = (
    ("一、本年新收政府信息公开申请数量", "", ""),
    ("二、上年结转政府信息公开申请数量", "", ""),
    ("三、本年度办理结果", "（一）予以公开", ""),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    ("三、本年度办理结果", "（七）总计", ""),
    ("四、结转下年度继续办理", "", ""),
)


def table3_html(cell: str) -> str:
    """表三 of the 2021 format, every numeric cell `cell` ('' for blank), spans as in the Word template."""
    head = (
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr>\n'
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>\n'
        "<tr>" + "".join(f"<td>{c}</td>" for c in _T3_COLS[1:6]) + "</tr>\n"
    )
    rows = []
    seen: set[str] = set()
    for l1, l2, l3 in _T3_ROWS:
        tds = []
        if not l2:
            tds.append(f'<td colspan="3">{l1}</td>')
        else:
            if l1 not in seen:
                n1 = sum(1 for r in _T3_ROWS if r[0] == l1)
                tds.append(f'<td rowspan="{n1}">{l1}</td>')
            if not l3:
                tds.append(f'<td colspan="2">{l2}</td>')
            elif l2 not in seen:
                n2 = sum(1 for r in _T3_ROWS if r[1] == l2)
                tds.append(f'<td rowspan="{n2}">{l2}</td>')
            if l3:
                tds.append(f"<td>{l3}</td>")
        seen.update({l1, l2})
        tds += [f"<td>{cell}</td>"] * len(_T3_COLS)
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1">\n<tbody>\n' + head + "\n".join(rows) + "\n</tbody>\n</table>"


def table4_html(cell: str) -> str:
    """表四 (review and litigation), its 15 numeric cells `cell`."""
    outcomes = "".join(f"<td>{c}</td>" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    return (
        '<table border="1">\n<tbody>\n'
        '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>\n'
        '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
        '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td>'
        '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>\n'
        f"<tr>{outcomes}{outcomes}</tr>\n"
        "<tr>" + f"<td>{cell}</td>" * 15 + "</tr>\n</tbody>\n</table>"
    )


def table_report_html(agency: str, year: int, cell: str) -> str:
    """A 2021-format report whose figures are all in its tables, and every table cell is `cell`."""
    body = (
        f'<div class="article"><h1>{agency}{year}年政府信息公开工作年度报告</h1>\n'
        f'<div class="info">发布日期：{year + 1}-01-28</div>\n<div class="content" id="zoom">\n'
        "<p>本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
        "政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。</p>\n"
        "<p>一、总体情况</p>\n"
        f"<p>{year}年，{agency}人民政府坚持以公开为常态、不公开为例外，扎实推进决策、执行、管理、服务、结果公开，"
        "政府信息公开工作取得新成效。</p>\n"
        "<p>二、主动公开政府信息情况</p>\n<p>主动公开政府信息情况详见下表。</p>\n"
        "<p>三、收到和处理政府信息公开申请情况</p>\n"
        f"{table3_html(cell)}\n"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>\n"
        f"{table4_html(cell)}\n"
        "<p>五、存在的主要问题及改进情况</p>\n"
        "<p>一是公开内容的规范性有待加强；二是基层政务公开标准化水平有待提高。下一步，将持续加强业务培训。</p>\n"
        "<p>六、其他需要报告的事项</p>\n<p>本机关无其他需要报告的事项。</p>\n</div></div>"
    )
    return html_page(f"{agency}{year}年政府信息公开工作年度报告", body)


# --- PDF ---------------------------------------------------------------------------------------------------


def pdf_file(objects: list[bytes]) -> bytes:
    """Objects 1..n (object 1 the catalog) → a PDF with a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


_CJK_FONT = [
    # Type0 font on the Adobe-GB1 CID collection (STSong-Light, one of the 14-font-like CJK fonts every
    # reader knows); strings are UCS-2 big-endian through the UniGB-UCS2-H CMap, so the text layer is real.
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
    b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
]


def wrap(text: str, width: int = 44) -> list[str]:
    """Lines of at most `width` chars, broken after punctuation where possible (figures stay whole)."""
    out: list[str] = []
    for para in text.split("\n"):
        while len(para) > width:
            cut = max(para.rfind(p, 0, width) for p in "，。；、")
            cut = cut + 1 if cut > width // 2 else width
            out.append(para[:cut])
            para = para[cut:]
        out.append(para)
    return out


def text_pdf(text: str, compress: bool = False) -> bytes:
    """A one-page A4 PDF with `text` as a real (extractable) Chinese text layer."""
    ops = ["BT", "/F1 11 Tf", "13 TL", "50 800 Td"]
    for line in wrap(text):
        ops.append(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*" if line else "T*")
    ops.append("ET")
    content = "\n".join(ops).encode()
    content_obj = stream(zlib.compress(content, 9), " /Filter /FlateDecode") if compress else stream(content)
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            content_obj,
            *_CJK_FONT,
        ]
    )


def image_only_pdf() -> bytes:
    """A scanned-looking page: a grey image XObject and a drawn frame, no text operator at all."""
    w, h = 64, 48
    pixels = bytes((x * 3 + y * 5) % 256 for y in range(h) for x in range(w))
    image = stream(
        zlib.compress(pixels, 9),
        f" /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray"
        " /BitsPerComponent 8 /Filter /FlateDecode",
    )
    content = b"q 495 0 0 371 50 420 cm /Im1 Do Q\n0.5 w 40 410 515 391 re S\n60 380 m 535 380 l S\n"
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            stream(content),
            image,
        ]
    )


FLATE_BOMB_INFLATED = 4 * 1024**3  # 4 GiB of zeros behind two Flate layers


def flate_bomb_pdf() -> bytes:
    """A well-formed PDF whose one content stream inflates to 4 GiB: zeros, Flate-compressed twice.

    4 GiB of zeros deflate to ~4 MB (1:1030, deflate's ceiling), which deflate again to a few KB, so the
    file stays tiny while any reader that decodes the stream in memory must allocate 4 GiB. `/DL` (the
    decoded length hint of PDF 1.5+) declares the size honestly.
    """
    inner = zlib.compressobj(9)
    chunk = bytes(1 << 24)
    parts = [inner.compress(chunk) for _ in range(FLATE_BOMB_INFLATED // len(chunk))]
    once = b"".join(parts) + inner.flush()
    twice = zlib.compress(once, 9)
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            stream(twice, f" /Filter [/FlateDecode /FlateDecode] /DL {FLATE_BOMB_INFLATED}"),
            *_CJK_FONT,
        ]
    )


def encrypted_pdf(text: str) -> bytes:
    """The text PDF encrypted with RC4-128 (user password `nianbao`).

    RC4 takes no random salt, and the file identifier (which keys the encryption) is fixed here; pypdf draws
    the second identifier at random, so it is replaced by a fixed one too: the same bytes on every run.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    reader = PdfReader(io.BytesIO(text_pdf(text, compress=True)))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    fixed = ByteStringObject(bytes(range(16)))
    writer._ID = ArrayObject([fixed, fixed])
    writer.encrypt(user_password="nianbao", owner_password="nianbao-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    ids = re.findall(rb"/ID \[ ?<([0-9a-fA-F]{32})> ?<([0-9a-fA-F]{32})> ?\]", data)
    assert len(ids) == 1 and ids[0][0].lower() == bytes(range(16)).hex().encode(), ids
    return data.replace(ids[0][1], ids[0][0])


# --- DOCX --------------------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_document_xml(text: str, *, doctype: str = "", body_prefix: str = "", padding: int = 0) -> str:
    """word/document.xml with one paragraph per line (and optional DTD, entity use and whitespace padding)."""
    paras = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{ln}</w:t></w:r></w:p>' for ln in text.split("\n") if ln.strip()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{doctype}"
        f'<w:document xmlns:w="{_W_NS}"><w:body>{body_prefix}{paras}'
        + " " * padding
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
    return out.getvalue()


def docx(document_xml: str) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", _CONTENT_TYPES.encode()),
            ("_rels/.rels", _RELS.encode()),
            ("word/document.xml", document_xml.encode()),
        ]
    )


def forge_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size of `member` in the central directory (what a pre-open check reads)."""
    buf = bytearray(data)
    name = member.encode()
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    raise ValueError(f"{member} not in the central directory")


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<!DOCTYPE w:document [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'


# --- small binaries ------------------------------------------------------------------------------------------


def jpeg() -> bytes:
    """A small JPEG (a photo of a page: no reader for images)."""
    from PIL import Image

    img = Image.new("L", (64, 48))
    img.putdata([(x * 4 + y * 2) % 256 for y in range(48) for x in range(64)])
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return out.getvalue()


def ole2_xls() -> bytes:
    """The start of a legacy Excel workbook (OLE2 compound file header, then filler sectors)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHHH", 0x3E, 0x3, 0xFFFE, 0x9)
    return (
        header + bytes(512 - len(header)) + "附表：政府信息公开情况统计表".encode("utf-16-le") + bytes(2048)
    )


# --- the corpus ------------------------------------------------------------------------------------------------


def build(out: Path) -> dict[str, Entry]:
    files: dict[str, bytes] = {}
    expected: dict[str, Entry] = {}

    def add(
        name: str, data: bytes, cls: str, outcome: str, reason: str | None, note: str, **extra: Any
    ) -> None:
        assert name not in files, name
        files[name] = data
        expected[name] = {"class": cls, "outcome": outcome, "reason": reason, "note": note, **extra}

    def parsed(name: str, data: bytes, cls: str, note: str, figs: Entry, **extra: Any) -> None:
        add(name, data, cls, "parsed", None, note, figures=figs, **extra)

    def quarantined(name: str, data: bytes, cls: str, reason: str, note: str, **extra: Any) -> None:
        add(name, data, cls, "quarantined", reason, note, **extra)

    # --- encodings -------------------------------------------------------------------------------------------
    text, figs = report("平江县", 2018, 37)
    parsed(
        "gbk_no_meta.html",
        html_page("平江县2018年政府信息公开工作年度报告", text_to_html_body(text), charset=None).encode(
            "gbk"
        ),
        "GBK HTML page without a charset meta tag",
        "no BOM, not UTF-8, nothing declared: the ladder's strict GB18030 rung (a superset of GBK) decodes it",
        figs,
        file_type="html",
        encoding="gb18030",
    )
    text, figs = report("浏阳市", 2017, 52)
    parsed(
        "declared_charset_lies.html",
        html_page("浏阳市2017年政府信息公开工作年度报告", text_to_html_body(text), charset="utf-8").encode(
            "gbk"
        ),
        "HTML declaring charset=utf-8 whose bytes are GBK",
        "strict UTF-8 fails, the declared utf-8 is skipped, strict GB18030 decodes it; no U+FFFD",
        figs,
        file_type="html",
        encoding="gb18030",
    )
    rare = "对䶮山村、𠮷岭村、𬌗溪村等偏远村组的政务公开栏进行了更新，做到公开内容与门户网站同步。"
    text, figs = report("番禺区", 2016, 44, rare_sentence=rare)
    parsed(
        "gb18030_rare_chars.txt",
        text.encode("gb18030"),
        "GB18030 text with rare characters (CJK Ext-A 䶮, Ext-B 𠮷 and Ext-E 𬌗: four-byte GB18030)",
        "four-byte sequences decode only as GB18030 (not GBK, not Big5); the rare characters survive in original_text",
        figs,
        encoding="gb18030",
        original_contains=["䶮山村", "𠮷岭村", "𬌗溪村"],
    )
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    text, figs = report("随县", 2016, 29)
    big5_text = s2t.convert(text).replace("爲", "為").replace("衆", "眾")  # Big5 has the Taiwan forms
    parsed(
        "big5_traditional.txt",
        big5_text.encode("big5"),
        "Big5 report in traditional characters",
        "strict GB18030 and strict Big5 both decode; the common-character score picks Big5; OpenCC t2s normalises it",
        figs,
        encoding="big5",
        script="traditional",
    )
    text, figs = report("醴陵市", 2015, 61)
    parsed(
        "utf16le_bom.txt",
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "UTF-16 LE with BOM",
        "the BOM rung decodes it",
        figs,
        encoding="utf-16",
    )
    text, figs = report("攸县", 2014, 23)
    parsed(
        "utf16le_nobom.txt",
        text.encode("utf-16-le"),
        "UTF-16 LE without BOM (a Windows Notepad 'Unicode' export with the BOM stripped)",
        "no BOM; Chinese UTF-16 has few NUL bytes (only ASCII digits/newlines give one), so only a decoder that "
        "recognises UTF-16 by its shape reads it; GB18030 must not swallow it as mojibake",
        figs,
        encoding="utf-16-le",
    )
    text, figs = report("茶陵县", 2013, 19)
    parsed(
        "utf8_bom.txt",
        codecs.BOM_UTF8 + text.encode("utf-8"),
        "UTF-8 with BOM",
        "the BOM is consumed (utf-8-sig), not left as U+FEFF at the start of the title",
        figs,
        encoding="utf-8-sig",
    )
    text, _ = report("涟源市", 2012, 33)
    half = len(text) // 2
    mixed = text[:half].encode("utf-8") + text[half:].encode("gbk")
    quarantined(
        "mixed_utf8_gbk.txt",
        mixed,
        "mixed encodings in one file (first half UTF-8, second half GBK: a page stitched from two sources)",
        "undecodable",
        "no codec decodes all of it strictly (UTF-8 fails on the GBK half, GB18030 and Big5 on the UTF-8 half) "
        "and the detector (charset_normalizer) trusts no encoding for it: undecodable, not replacement_chars, "
        "which is for a codec that decodes but leaves too many U+FFFD. Never a lossy guess either way.",
    )

    # --- empty and non-report pages --------------------------------------------------------------------------
    quarantined(
        "whitespace_only.txt",
        b" \r\n\t\r\n   \n\x0c\n" * 20,
        "whitespace-only file",
        "empty_file",
        "spaces, tabs, CRLF and form feeds only",
    )
    listing = "\n".join(
        f'<li><a href="/zfxxgknb/{y}/{i}.html">{org}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-{20 + i:02d}</span></li>'
        for y in range(2022, 2014, -1)
        for i, org in enumerate(("岳阳市人民政府", "岳阳市教育局", "岳阳市财政局"))
    )
    quarantined(
        "listing_page.html",
        html_page(
            "政府信息公开年报",
            f'<div class="list"><h2>政府信息公开年报</h2><ul>\n{listing}\n</ul>\n'
            '<div class="page">共24条 首页 上一页 1 2 3 下一页 尾页</div></div>',
        ).encode(),
        "listing page: links to many reports, no report body",
        "not_a_report",
        "every report title is a link; there is no report text, only titles, dates and pagination",
    )
    saved_listing = "\n".join(
        [
            "首页 > 政府信息公开 > 政府信息公开年报",
            *(
                f"{org}{y}年政府信息公开工作年度报告\n{y + 1}-01-{10 + i:02d}"
                for y in range(2023, 2015, -1)
                for i, org in enumerate(
                    ("平江县人民政府", "平江县教育局", "平江县财政局", "平江县民政局", "平江县卫生健康局")
                )
            ),
            "共40条 首页 上一页 1 2 下一页 尾页",
        ]
    )
    quarantined(
        "listing_saved_text.txt",
        saved_listing.encode(),
        "listing page saved as text: forty report titles with their dates",
        "not_a_report",
        "as text the titles are not links, and 40 titles are well over the 100-character floor: the many "
        "distinct title lines with no body around them make it a listing",
    )
    quarantined(
        "error_404.html",
        html_page(
            "404 页面不存在",
            '<div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>'
            "<p>可能的原因：1．网址输入错误；2．页面已过期或被移除；3．网站正在维护。</p>"
            '<p><a href="/">返回首页</a> <a href="javascript:history.back()">返回上一页</a></p></div>',
        ).encode(),
        "HTML 404 error page (with the site's navigation around it)",
        "not_a_report",
        "the site chrome names 政务公开 but the page body is an error message",
    )
    quarantined(
        "chrome_no_body.html",
        html_page(
            "汨罗市2022年政府信息公开工作年度报告",
            '<div class="article"><div class="title"></div><div class="info">发布时间：  来源：  '
            '浏览次数：</div><div class="content" id="zoom"></div>'
            '<div class="share">分享到：微信 微博 QQ空间</div><div class="print">【打印本页】【关闭窗口】</div></div>',
        ).encode(),
        "page with site chrome but no report body (the body is loaded by script and was not captured)",
        "not_a_report",
        "only the <title> names a report; the content block is empty: a title alone is not a report",
    )
    script_only = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title></title>\n'
        '<script>var article = {"title": "湘阴县2021年政府信息公开工作年度报告", '
        '"body": "一、总体情况 2021年，湘阴县收到政府信息公开申请25件……"};</script>\n'
        '<script src="/js/render.js"></script>\n</head>\n<body>\n'
        "<script>document.write('<div class=\"content\">' + article.body + '</div>');</script>\n"
        "<script>window.onload = function () { render(article); };</script>\n</body>\n</html>\n"
    )
    quarantined(
        "script_only.html",
        script_only.encode(),
        "HTML page whose only content is <script> (client-side rendered)",
        "no_text",
        "the report text exists only inside JavaScript strings, which are not page text: nothing is left",
    )

    # --- PDF -----------------------------------------------------------------------------------------------
    text, figs = report("江永县", 2017, 27)
    parsed(
        "text_layer.pdf",
        text_pdf(text, compress=True),
        "control: a well-formed PDF with a Chinese text layer (Type0 STSong-Light, UniGB-UCS2-H)",
        "the reference for the broken PDFs below: the same construction, intact, must parse",
        figs,
        file_type="pdf",
    )
    text, _ = report("冷水滩区", 2016, 31)
    whole = text_pdf(text)
    content_at = whole.index(b"stream\n") + len(b"stream\n")
    quarantined(
        "truncated.pdf",
        whole[: content_at + 400],
        "truncated PDF (download cut off inside the page content; no xref, no trailer, no %%EOF)",
        "truncated_pdf",
        f"the first {content_at + 400} of {len(whole)} bytes: the content stream has no end",
    )
    text, _ = report("江华瑶族自治县", 2015, 26)
    quarantined(
        "encrypted.pdf",
        encrypted_pdf(text),
        "encrypted PDF (user password required)",
        "encrypted_pdf",
        "RC4-128 with a user password, written by pypdf",
    )
    quarantined(
        "image_only.pdf",
        image_only_pdf(),
        "image-only PDF (a scan: an image and a drawn frame, no text operator)",
        "image_only_pdf",
        "one page, one image XObject, two vector paths, no BT/ET",
    )
    quarantined(
        "flate_bomb.pdf",
        flate_bomb_pdf(),
        "Flate bomb: a content stream that inflates to 4 GiB",
        "parse_memory",
        "the file is well-formed (xref, trailer, %%EOF), so truncated_pdf would be false; decoding the stream "
        "needs 4 GiB, which hits the reader's memory ceiling (RLIMIT_AS, or pypdf's own decompression cap, "
        "both memory limits) within a second or two, long before any wall-clock limit, since zeros inflate at "
        "~1 GB/s: parse_memory",
    )
    text, figs = report("沅陵县", 2019, 41)
    parsed(
        "pdf_is_html.pdf",
        html_page("沅陵县2019年政府信息公开工作年度报告", text_to_html_body(text)).encode(),
        "a file named .pdf that is really the HTML page of a report",
        "the bytes decide, not the suffix: read as HTML",
        figs,
        file_type="html",
    )
    text, _ = report("辰溪县", 2018, 24)
    quarantined(
        "pdf_is_text.pdf",
        text.encode("utf-8"),
        "a file named .pdf that is plain text",
        "not_a_pdf",
        "not %PDF, not HTML: the reason list has not_a_pdf for exactly this (it is not a cut-off PDF)",
    )

    # --- DOCX ----------------------------------------------------------------------------------------------
    text, figs = report("东安县", 2019, 38)
    parsed(
        "docx_control.docx",
        docx(docx_document_xml(text)),
        "control: a minimal well-formed DOCX report",
        "the reference for the broken DOCX files below: the same package, without the attack, must parse",
        figs,
        file_type="docx",
    )
    text, _ = report("宁远县", 2018, 35)
    quarantined(
        "docx_zip_bomb.docx",
        docx(docx_document_xml(text, padding=48 * 1024 * 1024)),
        "DOCX zip bomb: word/document.xml inflates ~1000:1 (48 MB of padding in a ~60 KB file)",
        "zip_bomb",
        "the central directory declares a compression ratio far beyond 100:1; it must be refused before "
        "inflating",
    )
    text, _ = report("蓝山县", 2017, 22)
    quarantined(
        "docx_declared_huge.docx",
        forge_declared_size(docx(docx_document_xml(text)), "word/document.xml", 3 * 1024**3),
        "DOCX whose central directory declares a 3 GiB word/document.xml",
        "zip_bomb",
        "declared uncompressed size beyond the per-entry limit (the data itself is small: the declaration is "
        "what a pre-open check must distrust)",
    )
    text, _ = report("新田县", 2016, 21)
    quarantined(
        "docx_billion_laughs.docx",
        docx(
            docx_document_xml(
                text, doctype=BILLION_LAUGHS, body_prefix="<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
            )
        ),
        "XML billion laughs inside word/document.xml",
        "xml_entity_attack",
        "nine levels of nested entities (10^9 'lol'): a DTD with entity declarations is refused, never expanded",
    )
    text, _ = report("双牌县", 2015, 28)
    quarantined(
        "docx_xxe.docx",
        docx(docx_document_xml(text, doctype=XXE, body_prefix="<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>")),
        "XML external entity (file:///etc/passwd) inside word/document.xml",
        "xml_entity_attack",
        "an external entity must never be resolved",
    )
    quarantined("empty.docx", b"", "0-byte .docx", "empty_file", "0 bytes named .docx")
    quarantined(
        "empty.txt",
        b"",
        "empty file",
        "empty_file",
        "0 bytes: the same (empty) bytes as empty.docx, so one document id; empty.docx sorts first and holds "
        "the quarantine row, this file is counted as a duplicate of it at ingest",
        same_bytes_as="empty.docx",
    )
    text, figs = report("道县", 2017, 46)
    parsed(
        "docx_is_pdf.docx",
        text_pdf(text, compress=True),
        "a file named .docx that is really a PDF (with a text layer)",
        "the bytes decide (%PDF): read as a PDF, like a .pdf that is really HTML is read as HTML",
        figs,
        file_type="pdf",
    )
    text, _ = report("祁东县", 2016, 32)
    quarantined(
        "docx_is_text.docx",
        text.encode("utf-8"),
        "a file named .docx that is really plain text",
        "not_a_docx",
        "no zip signature, not HTML",
    )
    quarantined(
        "docx_not_ooxml.docx",
        zip_bytes([("report.txt", text.encode("utf-8")), ("readme.txt", b"exported by a CMS")]),
        "a .docx that is a zip but not a Word package (no [Content_Types].xml, no word/document.xml)",
        "not_a_docx",
        "a zip container is not enough: the OOXML parts must be there",
    )

    # --- unsupported and oversized ----------------------------------------------------------------------------
    quarantined(
        "statistics_table.xls",
        ole2_xls(),
        "unsupported type: legacy Excel workbook (.xls)",
        "unsupported_type",
        "OLE2 compound file: no reader for .xls",
    )
    quarantined(
        "scanned_page.jpg",
        jpeg(),
        "unsupported type: a photo of a report page (.jpg)",
        "unsupported_type",
        "no OCR: images are not read",
    )
    expected[OVERSIZED_NAME] = {
        "class": "huge text file over the per-input size cap",
        "outcome": "quarantined",
        "reason": "too_large",
        "note": f"generated at test time (generate_oversized): a sparse {OVERSIZED_BYTES}-byte file, one byte over "
        "nianbao.ingest.MAX_BYTES (20 MiB); the cap is checked on the file size before any byte is read",
        "generated_at_test_time": True,
    }

    # --- metadata edge cases ----------------------------------------------------------------------------------
    text, figs = report("桂东县", None, 43)
    parsed(
        "no_year.txt",
        text.encode("utf-8"),
        "report with no year anywhere (title, period and prose say only 本年度)",
        "parsed with its figures; report_year stays NULL (no rule supports a year), never guessed",
        figs,
    )
    text, figs = report("汝城县", 2019, 34, title_year=2020, published="2020-03-16")
    parsed(
        "two_years.txt",
        text.encode("utf-8"),
        "report with two different years: title 2020, statistics period 2019",
        "the statistics period (2019-01-01 to 2019-12-31) defines the covered year and outranks the title",
        figs,
    )
    no_figures = {
        "report_year": 2021,
        "applications_new": None,
        "applications_carried_over": None,
        "granted": None,
        "partially_granted": None,
        "denied": None,
        "unavailable": None,
        "not_processed": None,
        "other_handling": None,
        "responded_total": None,
        "carried_forward": None,
        "reconsideration_total": None,
        "litigation_total": None,
    }
    parsed(
        "blank_tables.html",
        table_report_html("嘉禾县", 2021, "").encode(),
        "2021-format report with its tables but no numbers (every table cell blank)",
        "parsed (a report, with metadata), but every figure stays NULL: a blank is not a zero, and row labels "
        "such as （三）不予公开 | 1.属于国家秘密 must not be read as 'denied 1'",
        no_figures,
        file_type="html",
    )
    parsed(
        "slash_tables.html",
        table_report_html("临武县", 2021, "/").encode(),
        "2021-format report with every table cell `/`",
        "`/` means not applicable: every figure stays NULL",
        no_figures,
        file_type="html",
    )
    text, figs = report("宜章县", 2018, 48)
    trad = s2t.convert(text)
    for ch, py in (("國", "guo"), ("務", "wù"), ("辦", "ban"), ("開", "kai"), ("廳", "ting"), ("請", "qǐng")):
        trad = trad.replace(ch, f"{ch}({py})")
    trad = trad.replace(
        "《中華人民共和國(guo)政府信息公開(kai)條例》",
        "《中華人民共和國(guo)政府信息公開(kai)條例》（國(guo)務(wù)院令第492號）",
    )
    parsed(
        "traditional_pinyin_mirror.txt",
        trad.encode("utf-8"),
        "traditional characters with mirror-site pinyin: 國(guo)務(wù)院, 公開(kai), 申請(qǐng)",
        "OpenCC t2s then the pinyin stripper: the figures read as in the simplified original",
        figs,
        script="traditional",
        pinyin_removed=trad.count("("),  # every ASCII parenthesis here opens a pinyin group
    )

    # --- duplicates -------------------------------------------------------------------------------------------
    seed = "003_6f43bf410af91967.txt"
    add(
        "seed_copy_003.txt",
        (SEEDS / seed).read_bytes(),
        "duplicate of a seed (same bytes, different name)",
        "parsed",
        None,
        "the same bytes are one document (sha256 id): counted as a duplicate at ingest, stored once under the "
        "seed's own path (the seed sorts first); this name appears in neither table",
        same_bytes_as=seed,
    )
    text, figs = report("永兴县", 2017, 39)
    parsed(
        "same_report.html",
        html_page("永兴县2017年政府信息公开工作年度报告", text_to_html_body(text)).encode(),
        "the same report as HTML and as TXT: the HTML page (kept)",
        "the complete page; the TXT copy lacks its last section, so this is the richer copy and is kept",
        figs,
        file_type="html",
    )
    short = report_text(
        "永兴县",
        2017,
        proactive=39 * 41,
        applications=39,
        granted=32,
        partial=3,
        denied=2,
        unavailable=2,
        published="2018-03-13",
        with_problems=False,
    )
    quarantined(
        "same_report.txt",
        short.encode("utf-8"),
        "the same report as HTML and as TXT: the TXT scrape (set aside)",
        "duplicate_of",
        "same body (永兴县) and year (2017), nearly the same text: set aside as duplicate_of the HTML page",
        duplicate_of="same_report.html",
    )

    # --- hostile text ---------------------------------------------------------------------------------------
    text, figs = report("资兴市", 2016, 57)
    noisy = text.replace("依申请公开政府信息情况\n", "依申请公开政府信息情况\x00\n", 1)
    noisy = noisy.replace("一、概述", "\x1b[0m一、概述\x07", 1).replace(
        "主动公开政府信息", "主动公开\x00政府信息", 1
    )
    controls = sum(1 for c in noisy if ord(c) < 32 and c not in "\r\n\t\f")
    assert 0 < controls / len(noisy) < 0.01, controls  # under decode._plausible's 1 %: a few stray bytes
    parsed(
        "control_chars.txt",
        noisy.encode("utf-8"),
        "control characters and NUL bytes in the text (NUL after a heading, ESC[0m/BEL around another)",
        f"{controls} control characters in {len(noisy)} (under 1 %): decoded and parsed, figures unaffected; the "
        "NULs go through DuckDB VARCHAR and dbt unharmed",
        figs,
    )
    text, figs = report("安仁县", 2015, 26)
    junk = "".join(f"相关链接{i}：县政府门户网站 政务公开 政务服务 互动交流 " for i in range(4000))
    parsed(
        "long_single_line.txt",
        (text.replace("\n", "　") + junk).encode("utf-8"),
        "a very long single line (~128 K characters, 320 KB: the report plus pages of link text, no newline at all)",
        "no line break anywhere: sections cannot be found by their headings, but the figures still must be read "
        "(and in seconds, not minutes: no regex may backtrack over the whole line)",
        {"applications_new": figs["applications_new"]},
    )

    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()
        else:
            shutil.rmtree(old)
    for name, data in files.items():
        (out / name).write_bytes(data)
    (out / "expected.json").write_text(
        json.dumps(dict(sorted(expected.items())), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return expected


def generate_oversized(folder: Path) -> Path:
    """Write the too_large class into `folder`: a sparse file one byte over the cap (no 20 MB in git)."""
    path = folder / OVERSIZED_NAME
    with path.open("wb") as f:
        f.write("某县政府信息公开工作年度报告\n".encode())
        f.truncate(OVERSIZED_BYTES)
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    expected = build(out)
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"wrote {len(expected)} classes ({len(list(out.iterdir()))} files, {size} bytes) to {out}")
    return 0


MAKERS: dict[str, Callable[[Path], Path]] = {OVERSIZED_NAME: generate_oversized}

if __name__ == "__main__":
    sys.exit(main(sys.argv))

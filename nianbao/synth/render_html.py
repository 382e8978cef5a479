"""A government site's report page: navigation chrome, the body, tables with rowspan/colspan; GBK bytes.

Many sites still serve GBK (some without declaring it); the page is encoded as declared, falling back to
UTF-8 only where a character has no GBK code.
"""

from __future__ import annotations

import html
import random

from nianbao.synth.layout import Block, Table


def _cell(text: str) -> str:
    return "<br/>".join(html.escape(part) for part in text.split("\n")) or "&nbsp;"


def table_html(table: Table) -> str:
    rows = []
    for row in table.rows:
        tds = []
        for cell in row:
            span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            tds.append(f'<td{span}><p style="text-align:center;">{_cell(cell.text)}</p></td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;">'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def render(blocks: list[Block], site: str, chrome: bool, rng: random.Random) -> tuple[str, str]:
    """(page text, encoding to write it in)."""
    encoding = rng.choice(("gbk", "gbk", "gb2312", "utf-8"))
    declared = rng.random() < 0.8
    title = next(b.text for b in blocks if b.kind == "title")
    body = []
    for b in blocks:
        if b.kind == "title":
            body.append(f"<h1>{html.escape(b.text)}</h1>")
        elif b.kind == "dateline":
            body.append(f'<div class="info">{html.escape(b.text)}&nbsp;&nbsp;来源：{html.escape(site)}</div>')
        elif b.kind == "heading":
            body.append(f"<p><strong>{html.escape(b.text)}</strong></p>")
        elif b.kind == "table" and b.table:
            body.append(table_html(b.table))
        else:
            body.append("".join(f"<p>{html.escape(line)}</p>" for line in b.text.split("\n")))
    nav = footer = ""
    if chrome:
        nav = (
            f'<div class="top">{html.escape(site)}门户网站 <a href="/">首页</a> <a href="/zwgk/">政务公开</a> '
            '<a href="/bsfw/">办事服务</a> <a href="/hdjl/">互动交流</a></div>'
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>'
        )
        footer = (
            f'<div class="footer">主办单位：{html.escape(site)}办公室 网站标识码：{rng.randint(1000000000, 9999999999)} '
            f"ICP备{rng.randint(10000000, 99999999)}号 【打印本页】【关闭窗口】</div>"
        )
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if declared else ""
    page = (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{html.escape(title)}_{html.escape(site)}</title></head>\n"
        f'<body>{nav}<div class="content">\n' + "\n".join(body) + f"\n</div>{footer}</body></html>\n"
    )
    return page, encoding


def encode(page: str, encoding: str) -> tuple[bytes, str]:
    try:
        return page.encode(encoding), encoding
    except UnicodeEncodeError:
        fixed = page.replace(f"charset={encoding}", "charset=utf-8")
        return fixed.encode("utf-8"), "utf-8"

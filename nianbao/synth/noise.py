"""The damage real files carry, applied to a drawn report; each application is recorded for the sidecar.

Table noise changes what a cell prints (blank or `/` for zeros, a blank 总计 column, a total that does not
add up in the source, labels split by spaces or line breaks, labels printed one character per line); text
noise changes the written page (site chrome, traditional characters, pinyin after characters as on mirror
sites, truncation). What a cell or a sentence no longer shows is marked in `Noise.cells` / `Noise.lost`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.synth.figures import Figures, Key
from nianbao.synth.layout import Block, value_text

# Mirror sites print the reading after some characters: 公(gōng)开(kāi). A few common ones suffice.
PINYIN = {
    "公": "gōng",
    "开": "kāi",
    "政": "zhèng",
    "府": "fǔ",
    "信": "xìn",
    "息": "xī",
    "务": "wù",
    "年": "nián",
    "报": "bào",
    "告": "gào",
    "申": "shēn",
    "请": "qǐng",
    "工": "gōng",
    "作": "zuò",
    "情": "qíng",
    "况": "kuàng",
    "办": "bàn",
    "理": "lǐ",
    "行": "xíng",
    "法": "fǎ",
}


@dataclass
class Noise:
    applied: list[dict] = field(default_factory=list)
    cells: dict[Key, tuple[str, str]] = field(default_factory=dict)  # key -> (status, reason)
    lost_facts: set[int] = field(default_factory=set)  # id() of paragraph blocks cut off by truncation

    def note(self, cls: str, **detail: object) -> None:
        self.applied.append({"class": cls, **detail})


def _tables(blocks: list[Block]):
    return [b.table for b in blocks if b.kind == "table" and b.table]


def blank_zeros(rng: random.Random, blocks: list[Block], noise: Noise) -> None:
    """Zero cells printed blank or `/` (a form filled only where something happened)."""
    mark = rng.choice(("", "/", "—"))
    for table in _tables(blocks):
        for row in table.rows:
            for cell in row:
                if cell.key and cell.text == "0" and rng.random() < 0.7:
                    cell.text = mark
                    noise.cells[cell.key] = ("blank" if not mark else "na", f"zero printed as {mark!r}")
    noise.note("blank_or_slash_cells", mark=mark)


def blank_total_column(blocks: list[Block], noise: Noise) -> None:
    """表三's 总计 column left blank on the outcome rows (as in the 2019 Shanghai report): derive, don't read."""
    for table in _tables(blocks):
        for row in table.rows:
            for cell in row:
                if (
                    cell.key
                    and cell.key[0] == "t3"
                    and cell.key[2] == "total"
                    and cell.key[1] not in ("new", "carried_over", "total", "carried_forward")
                ):
                    cell.text = ""
                    noise.cells[cell.key] = ("blank", "总计 column blank in the source")
    noise.note("blank_total_column")


def break_identity(rng: random.Random, blocks: list[Block], fig: Figures, noise: Noise) -> None:
    """A printed total that does not add up (a typo in the source): the printed figure is the published one."""
    totals = [
        c
        for t in _tables(blocks)
        for row in t.rows
        for c in row
        if c.key and c.key[0] in ("t3", "t4") and c.key[2].endswith("total") and c.text.isdigit()
    ]
    if not totals:
        return
    cell = rng.choice(totals)
    new = fig.cells[cell.key] + rng.randint(1, 9)
    cell.text = value_text(new)
    fig.cells[cell.key] = new
    noise.note("identity_broken", cell=list(cell.key), printed=new)


def split_labels(rng: random.Random, blocks: list[Block], sep: str, vertical: bool, noise: Noise) -> None:
    """Labels broken inside (`商业 企业`, a line break in a narrow cell); merged labels one character a line."""
    for table in _tables(blocks):
        for row in table.rows:
            for cell in row:
                if not cell.label or len(cell.text) < 4:
                    continue
                if vertical and cell.rowspan > 2:
                    cell.text = "\n".join(cell.text)
                elif rng.random() < 0.3:
                    cut = rng.randint(2, len(cell.text) - 2)
                    cell.text = cell.text[:cut] + sep + cell.text[cut:]
    noise.note("split_labels", separator=sep, vertical=vertical)


def chrome(site: str, rng: random.Random, published: str) -> tuple[str, str]:
    """A scraped page's navigation above and footer below the report."""
    head = (
        f"{site}门户网站\n首页 > 政务公开 > 政府信息公开年报\n"
        f"发布时间：{published}  来源：{site}  浏览次数：{rng.randint(10, 9999)}\n【字体：大 中 小】"
    )
    foot = (
        f"【打印本页】【关闭窗口】\n主办单位：{site}办公室 网站标识码：{rng.randint(1000000000, 9999999999)}\n"
        f"ICP备{rng.randint(10000000, 99999999)}号"
    )
    return head, foot


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


def pinyin(text: str, rng: random.Random) -> str:
    """Mirror-site pinyin after some characters: 公(gōng)开(kāi)."""
    return "".join(f"{ch}({PINYIN[ch]})" if ch in PINYIN and rng.random() < 0.5 else ch for ch in text)


def truncation_point(text: str, start: int, rng: random.Random) -> int:
    """Where a scrape stops: anywhere after `start`, but never inside a number (a cut `123` reads as `12`)."""
    cut = rng.randint(start, len(text) - 1)
    while 0 < cut < len(text) and text[cut - 1].isdigit() and text[cut].isdigit():
        cut -= 1
    return cut

"""Gazetteer of China's administrative divisions: find place names in a text and tell their province.

The data (`nianbao/data/divisions.csv`, built by `scripts/make_divisions.py` from the MIT-licensed cpca
package) lists provinces, prefectures and counties. Reports name places in three ways, all handled here:
- the full name (安化县, 长沙市开福区 = prefecture + county written together);
- a short name without the suffix (娄底 for 娄底市, 松阳 for 松阳县, 恩施 for 恩施土家族苗族自治州);
- a name several divisions share (朝阳区 in Beijing and Changchun, 南城 for 南城县 or a 南城街道): the other
  places named in the same text (the prefecture or province written next to it) pick the candidate, and
  with no such evidence the name stays unresolved rather than guessed;
- a short name under a newer title (荔浦市 for the gazetteer's 荔浦县, a county made a city later): read as
  that place.

Short names are weaker evidence than full names (many are ordinary words: 公安, 合作, 新兴), so a stoplist
drops the common-word ones and a short name followed by 镇/乡/街/路 (a town or street of that name) is not
taken as a division.

Scanning is one pass over the text with a dict keyed by the first two characters of every name, so the
cost does not grow with the size of the gazetteer.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources


def _words(*chunks: str) -> tuple[str, ...]:
    """Space-separated word lists kept short per line."""
    return tuple(w for chunk in chunks for w in chunk.split())


# Ethnic names that sit between a place name and 自治州/自治县/自治旗/自治区 (恩施土家族苗族自治州 → 恩施).
_ETHNIC = _words(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳",
    "佤 畲 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬",
    "锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙",
    "鄂伦春 赫哲 门巴 珞巴 基诺 高山",
)
# Suffixes removed to make the short name, longest first.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "林区",
    "地区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)
# Short names that are ordinary words far more often than place names.
SHORT_STOPLIST = frozenset(
    _words(
        "公安 合作 新兴 平安 安定 和平 共和 大同 新华 长安 永和 长治 城关 城中 城东 城西",
        "城北 市中 桥东 桥西 江南 江北 河东 河西 南山 东山 西山 青山 白云 红旗 向阳 新城",
        "老城 古城 前进 友谊 太平 长寿 万年 长乐 富民 资源 东方 清水 清河 沿河 临江 解放",
        "东风 中原 南部 永安 安居 兴业 金山 西湖 东湖 南湖 北湖 新市 铁东 铁西 康乐",
    )
)
# Two-character full names that are ordinary words (城区 = "urban area").
FULL_STOPLIST = frozenset({"城区", "郊区", "矿区", "东区", "西区"})
# A short name followed by these is a town or street of that name (南城街道, 大东坝镇), not the division.
_TOWN_AFTER = re.compile(r"[\u4e00-\u9fff]?(?:镇|乡|村|街道|街|路|大道|巷|社区)")
# A short name followed by one of these is the place under a newer title (荔浦市 for the gazetteer's 荔浦县,
# a county that became a city after the data was compiled): read as a full mention of that place.
_RENAMED_SUFFIX = "市县区旗"
# Words after a place name that show it names a government (松阳政府网, 凤县人民政府).
_GOV_AFTER = re.compile(r"(?:人民政府|政府|县委|市委|区委|州委|盟委|旗委|党委|人大|政协|政务|发布)")


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str  # province / prefecture / county
    province: str
    prefecture: str  # "" for municipal districts and county-level units under a province directly


@dataclass(frozen=True)
class Mention:
    """A place name found in a text; `candidates` are every division it may mean (narrowed by `resolve`)."""

    start: int
    end: int
    surface: str
    candidates: tuple[Division, ...]
    full: bool  # written with its suffix, not as a short name
    weight: float = 1.0  # evidence weight for voting (see find_mentions)

    @property
    def province(self) -> str | None:
        """The province when all candidates agree on it (长沙 = 长沙市 or 长沙县: both 湖南省)."""
        provinces = {d.province for d in self.candidates}
        return provinces.pop() if len(provinces) == 1 else None

    @property
    def division(self) -> Division | None:
        """The one division meant, or None while the name is ambiguous."""
        return self.candidates[0] if len(self.candidates) == 1 else None


def short_name(name: str) -> str | None:
    """The name without its administrative suffix, or None when that would leave under two characters."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or suffix == "特别行政区":
                stem = _strip_ethnic(stem)
            return stem if len(stem) >= 2 and stem != name else None
    return None


def _strip_ethnic(stem: str) -> str:
    """Remove trailing ethnic names (恩施土家族苗族 → 恩施), keeping at least two characters."""
    changed = True
    while changed:
        changed = False
        for eth in sorted(_ETHNIC, key=len, reverse=True):
            for form in (eth + "族", eth):
                if stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    if stem.endswith("族") and len(stem) >= 3:  # 东乡族 → 东乡
        stem = stem[:-1]
    return stem


@dataclass(frozen=True)
class _Gazetteer:
    divisions: tuple[Division, ...]
    by_surface: dict[str, tuple[tuple[Division, ...], bool]]  # surface → (divisions, is full name)
    index: dict[str, tuple[str, ...]]  # first two chars → surfaces, longest first
    # Where a surface may start: a first char of some surface before a second char of some surface. A
    # superset of the index's keys (a tenth of a report's chars, a hundredth are keys), found by the regex
    # engine instead of a Python step per char.
    starts: re.Pattern[str]


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every division of the gazetteer, in the file's order."""
    raw = resources.files("nianbao").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    return tuple(
        Division(r["adcode"], r["name"], r["level"], r["province_name"], r["prefecture_name"])
        for r in csv.DictReader(io.StringIO(raw))
    )


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    full: dict[str, list[Division]] = defaultdict(list)
    short: dict[str, list[Division]] = defaultdict(list)
    for d in divisions():
        if d.name not in FULL_STOPLIST:
            full[d.name].append(d)
        s = short_name(d.name)
        if s and s not in SHORT_STOPLIST:
            short[s].append(d)
    by_surface: dict[str, tuple[tuple[Division, ...], bool]] = {}
    for s, ds in short.items():
        provinces = [d for d in ds if d.level == "province"]
        by_surface[s] = (tuple(provinces or ds), False)  # 河北 alone means the province, not 天津's 河北区
    for s, ds in full.items():  # a full name wins over the same string as someone's short name
        by_surface[s] = (tuple(ds), True)
    index: dict[str, list[str]] = defaultdict(list)
    for s in by_surface:
        index[s[:2]].append(s)
    return _Gazetteer(
        divisions(),
        by_surface,
        {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()},
        re.compile(f"{_char_class(k[0] for k in index)}(?={_char_class(k[1] for k in index)})"),
    )


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def lookup(name: str) -> tuple[Division, ...]:
    """Divisions called `name` (full or short form); a compound (长沙市开福区) resolves its last part."""
    g = _gazetteer()
    if name in g.by_surface:
        return g.by_surface[name][0]
    mentions = resolve(find_mentions(name))
    return mentions[-1].candidates if mentions else ()


def _adjacent(text: str, prev: Mention | None, start: int) -> bool:
    """True when `prev` ends right before `start`, or one non-CJK char before it (湖南省·开福区)."""
    if prev is None or prev.end > start:
        return False
    return start == prev.end or (start - prev.end == 1 and not _is_cjk(text[start - 1]))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def find_mentions(text: str) -> list[Mention]:
    """Leftmost-longest, non-overlapping place names in `text` (candidates not yet narrowed).

    Each mention carries a `weight` (how much it says about where the text is from): 1 for a full name,
    1 for a short name next to a government word or after a parent place (松阳政府网, 湖南娄底), 0.5 for a
    bare province short name (浙江), 0 for any other bare short name (开平 in 公开平台 is not 开平市).
    A full name with a one-character stem (凤县, 和县) is kept only after its parent place (宝鸡市凤县), at
    a line start or before 人民政府, because 和县 also hides in 单位和县、市 and 《条例》和县政府.
    """
    g = _gazetteer()
    out: list[Mention] = []
    i, n = 0, len(text)
    while (start := g.starts.search(text, i)) is not None:
        i = start.start()
        hit = None
        for s in g.index.get(text[i : i + 2], ()):
            if not text.startswith(s, i):
                continue
            divs, is_full = g.by_surface[s]
            end = i + len(s)
            prev = out[-1] if out else None
            after_parent = _adjacent(text, prev, i) and prev is not None and prev.weight > 0
            if not is_full and _TOWN_AFTER.match(text, end):
                continue  # 南城街道, 大东坝镇: a town of that name
            if not is_full and end < n and text[end] in _RENAMED_SUFFIX and divs[0].level != "province":
                hit = Mention(i, end + 1, text[i : end + 1], divs, True, 1.0)
                break
            if is_full and len(s) == 2:
                line_start = i == 0 or text[i - 1] == "\n"
                if not (after_parent or line_start or text.startswith("人民政府", end)):
                    continue
            if is_full or after_parent or _GOV_AFTER.match(text, end):
                weight = 1.0
            elif all(d.level == "province" for d in divs):
                weight = 0.5
            else:
                weight = 0.0
            hit = Mention(i, end, s, divs, is_full, weight)
            break
        if hit:
            out.append(hit)
            i = hit.end
        else:
            i += 1
    return out


def _support(cand: Division, target: Mention, others: list[Mention]) -> int:
    """How strongly the other names in the text back `cand` as the meaning of `target`."""
    score = 0
    for m in others:
        if m is target or m.weight <= 0:
            continue
        adjacent = 0 <= target.start - m.end <= 1  # 长沙市开福区, 湖南省·开福区
        names_parent = any(
            (d.level == "prefecture" and d.name == cand.prefecture)
            or (d.level == "province" and d.name == cand.province)
            for d in m.candidates
        )
        if names_parent:
            score += 10 if adjacent else 3
        elif m.province == cand.province:
            score += 1
    return score


def resolve(mentions: list[Mention]) -> list[Mention]:
    """Narrow each ambiguous mention to the candidate the other mentions support; leave ties unresolved."""
    out = []
    for m in mentions:
        if len(m.candidates) <= 1:
            out.append(m)
            continue
        scored = [(_support(c, m, mentions), c) for c in m.candidates]
        best = max(s for s, _ in scored)
        if best <= 0:
            out.append(m)
            continue
        keep = tuple(c for s, c in scored if s == best)
        out.append(replace(m, candidates=keep))
    return out


def province_of(name: str, context: str = "") -> str | None:
    """The province of a named place or body (长沙市开福区, 永嘉县农业局); `context` settles ambiguity.

    The names inside `name` decide first; when they are ambiguous, places named in `context` (the rest of
    the report) are used to pick one. None when nothing settles it.
    """
    inner = find_mentions(name)
    if not inner:
        return None
    ctx = find_mentions(context) if context else []
    # Resolve the name's own mentions together with the context ones (context shifted past the name).
    shift = len(name) + 1
    combined = inner + [replace(m, start=m.start + shift, end=m.end + shift) for m in ctx]
    resolved = resolve(combined)[: len(inner)]
    provinces = {m.province for m in resolved if m.province and m.weight > 0}
    if len(provinces) == 1:
        return provinces.pop()
    return None


def province_votes(text: str) -> dict[str, float]:
    """Province → summed weight of the resolved place names in `text` (bare short names count for little)."""
    votes: dict[str, float] = defaultdict(float)
    for m in resolve(find_mentions(text)):
        p = m.province
        if p and m.weight > 0:
            votes[p] += m.weight
    return dict(votes)


def province_of_code(adcode: str) -> str | None:
    """The province of a six-digit division code (the one inside a 统一社会信用代码), when it is a real code.

    Only the first two digits name the province; the code must also open a prefecture the gazetteer
    knows (digits 1-4), so that an arbitrary number is not read as a place. County codes change with
    renamings (上虞市 330682 became 上虞区 330604) while the prefecture and province stay.
    """
    if len(adcode) != 6 or not adcode.isdigit():
        return None
    g = _gazetteer()
    province = next((d for d in g.divisions if d.adcode == adcode[:2] + "0000"), None)
    if province is None or not any(
        d.adcode.startswith(adcode[:4]) and d.adcode != province.adcode for d in g.divisions
    ):
        return None
    return province.name


def level_of(name: str) -> str | None:
    """Level of the last place in `name` (宝鸡市凤县 → county) when all its candidates agree."""
    mentions = resolve(find_mentions(name))
    if not mentions or mentions[-1].end != len(name):
        return None
    levels = {d.level for d in mentions[-1].candidates}
    return levels.pop() if len(levels) == 1 else None

"""Who publishes: a government or one of its departments, drawn from the gazetteer (nianbao/data/divisions.csv)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from nianbao.divisions import Division, divisions

# Departments of a government (name stem after the place), each a body of admin_level `department`.
DEPARTMENTS = (
    "财政局",
    "教育局",
    "民政局",
    "自然资源局",
    "生态环境局",
    "交通运输局",
    "卫生健康委员会",
    "市场监督管理局",
    "统计局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "农业农村局",
)


@dataclass(frozen=True)
class Body:
    agency: str  # as the title prints it: 河北省石家庄市长安区人民政府, 石家庄市财政局
    admin_level: str  # province / prefecture / county / department
    province: str


def _qualified(p: Division) -> str:
    """The place with its parents, as titles write it (unambiguous: 朝阳区 alone is in 北京 and 长春)."""
    if p.level == "province":
        return p.name
    chain = [p.province]
    if p.level == "county" and p.prefecture and p.prefecture != p.province:
        chain.append(p.prefecture)
    return "".join(chain) + p.name


@lru_cache(maxsize=4)
def _of_level(level: str) -> tuple[Division, ...]:
    return tuple(p for p in divisions() if p.level == level)


def draw_body(rng: random.Random) -> Body:
    """A county most often (there are most of them), a department in a quarter of the reports."""
    level = rng.choices(("province", "prefecture", "county"), weights=(1, 4, 10))[0]
    place = rng.choice(_of_level(level))
    name = _qualified(place)
    if rng.random() < 0.25:
        return Body(name + rng.choice(DEPARTMENTS), "department", place.province)
    return Body(name + "人民政府", level, place.province)

"""The report's prose per era: headings of the statutory skeleton and sentences that state figures.

Sentences use wordings seen in real reports (report_formats.md §5); each paragraph records the figures it
states (`Block.facts`) so the sidecar knows what the prose says, not only what the tables say.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from nianbao.synth.bodies import Body
from nianbao.synth.figures import Figures
from nianbao.synth.layout import Block, e0_table, t2_table, t3_table, t4_table

FILLER = (
    "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "进一步完善政府信息公开工作机制，明确专人负责，加强业务培训。",
    "加强政府网站信息公开专栏建设，及时更新栏目内容，方便公众查阅。",
    "严格落实信息发布保密审查制度，做到应公开尽公开。",
)
PROBLEMS = "存在的主要问题是信息公开的及时性和规范性有待提高。下一步将加强培训，提升工作水平。"


def publication_date(rng: random.Random, year: int) -> date:
    """Published in the first quarter after the year covered (the statutory deadlines of §0)."""
    return date(year + 1, 1, 10) + timedelta(days=rng.randint(0, 78))


def _n(v: float) -> str:
    return str(int(v))


def _para(text: str, **facts: float) -> Block:
    return Block("para", text, facts=facts)


def _applications_2019(rng: random.Random, m: dict[str, float]) -> Block:
    if not m["applications_new"] and not m["applications_carried_over"]:
        return _para("本年度未收到政府信息公开申请。", applications_new=0)
    style = rng.randrange(3)
    if style == 0:
        return _para(
            f"全年收到政府信息公开申请{_n(m['applications_new'])}件，上年结转政府信息公开申请"
            f"{_n(m['applications_carried_over'])}件。同意公开答复{_n(m['granted'])}件，部分公开答复"
            f"{_n(m['partially_granted'])}件，不予公开答复{_n(m['denied'])}件，无法提供的{_n(m['unavailable'])}件，"
            f"不予处理{_n(m['not_processed'])}件，其他处理{_n(m['other_handling'])}件，转下一年度办理答复的有"
            f"{_n(m['carried_forward'])}件。",
            **{
                k: m[k]
                for k in (
                    "applications_new",
                    "applications_carried_over",
                    "granted",
                    "partially_granted",
                    "denied",
                    "unavailable",
                    "not_processed",
                    "other_handling",
                    "carried_forward",
                )
            },
        )
    if style == 1:
        return _para(
            f"本年度共受理政府信息公开申请{_n(m['applications_new'])}件，予以公开{_n(m['granted'])}件，"
            f"部分公开{_n(m['partially_granted'])}件，不予公开{_n(m['denied'])}件。",
            **{k: m[k] for k in ("applications_new", "granted", "partially_granted", "denied")},
        )
    return _para("本年度政府信息公开申请的收到和处理情况详见下表。")


def _appeals(m: dict[str, float]) -> Block:
    r, s = m["reconsideration_total"], m["litigation_total"]
    if not r and not s:
        return _para(
            "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。",
            reconsideration_total=0,
            litigation_total=0,
        )
    return _para(
        f"本年度发生政府信息公开行政复议{_n(r)}件，行政诉讼{_n(s)}件。",
        reconsideration_total=r,
        litigation_total=s,
    )


def _fees(m: dict[str, float]) -> Block:
    if not m["fees_yuan"]:
        return _para("本年度未收取任何政府信息公开费用。", fees_yuan=0)
    return _para(f"本年度收取信息处理费{_n(m['fees_yuan'])}元。", fees_yuan=m["fees_yuan"])


def blocks_2019(rng: random.Random, body: Body, fig: Figures) -> list[Block]:
    """2019 / 2021 skeleton: 一 总体情况 … 六 其他需要报告的事项, with 表二 / 表三 / 表四."""
    m = fig.measures
    return [
        Block("heading", "一、总体情况"),
        _para(
            f"{fig.year}年，{body.agency}认真贯彻落实《中华人民共和国政府信息公开条例》。"
            + rng.choice(FILLER)
        ),
        _para(
            f"全年主动公开政府信息{_n(m['proactive_total'])}条。" + rng.choice(FILLER),
            proactive_total=m["proactive_total"],
        ),
        Block("heading", "二、主动公开政府信息情况"),
        Block("table", table=t2_table(fig)),
        Block("heading", "三、收到和处理政府信息公开申请情况"),
        _applications_2019(rng, m),
        Block("table", table=t3_table(fig)),
        Block("heading", "四、政府信息公开行政复议、行政诉讼情况"),
        Block("table", table=t4_table(fig)),
        _appeals(m),
        Block("heading", "五、存在的主要问题及改进情况"),
        _para(PROBLEMS),
        Block("heading", "六、其他需要报告的事项"),
        _fees(m),
    ]


def blocks_e0(rng: random.Random, body: Body, fig: Figures) -> list[Block]:
    """Pre-2019 skeleton: 一 概述 … 六 问题 (and the statistics table as 附表 where the report has one)."""
    m = fig.measures
    apps = (
        _para(
            f"{fig.year}年，共受理政府信息公开申请{_n(m['applications_new'])}件，其中同意公开答复"
            f"{_n(m['granted'])}件，同意部分公开答复{_n(m['partially_granted'])}件。",
            applications_new=m["applications_new"],
            granted=m["granted"],
            partially_granted=m["partially_granted"],
        )
        if m["applications_new"]
        else _para(f"{fig.year}年度未收到政府信息公开申请。", applications_new=0)
    )
    blocks = [
        Block("heading", "一、概述"),
        _para(
            f"{fig.year}年，{body.agency}按照《中华人民共和国政府信息公开条例》要求开展工作。"
            + rng.choice(FILLER)
        ),
        Block("heading", "二、主动公开政府信息的情况"),
        _para(
            f"{fig.year}年共主动公开政府信息{_n(m['proactive_total'])}条。",
            proactive_total=m["proactive_total"],
        ),
        Block("heading", "三、依申请公开政府信息和不予公开政府信息的情况"),
        apps,
        Block("heading", "四、政府信息公开的收费及减免情况"),
        _fees(m),
        Block("heading", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        _appeals(m),
        Block("heading", "六、政府信息公开工作存在的主要问题及改进情况"),
        _para(PROBLEMS),
    ]
    if fig.e0_family:
        blocks += [Block("heading", "附表：政府信息公开情况统计表"), Block("table", table=e0_table(fig))]
    return blocks


def report_blocks(rng: random.Random, body: Body, fig: Figures, published: date) -> list[Block]:
    title = f"{body.agency}{fig.year}年政府信息公开工作年度报告"
    preamble = _para(
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自{fig.year}年1月1日起至"
        f"{fig.year}年12月31日止。"
    )
    body_blocks = blocks_e0(rng, body, fig) if fig.era == "pre2019" else blocks_2019(rng, body, fig)
    return [
        Block("title", title),
        Block("dateline", f"发布日期：{published.isoformat()}"),
        preamble,
        *body_blocks,
        Block("para", f"{body.agency}\n{published.year}年{published.month}月{published.day}日"),
    ]

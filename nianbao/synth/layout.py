"""A report as blocks (headings, paragraphs, tables) before any format: every renderer reads this one model.

Tables are laid out as printed forms are, with the catalog's labels (`nianbao.tables.catalog`, `stats_e0`):
merged label cells (rowspan/colspan, HTML semantics: each row lists the cells that start in it) and a
`key` on every value cell naming the true figure it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.synth.figures import APPLICANTS, Figures, Key, e0_rows
from nianbao.tables import catalog, stats_e0

FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})


@dataclass
class TCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    key: Key | None = None  # the true figure this value cell shows
    label: bool = False


@dataclass
class Table:
    table_id: str
    rows: list[list[TCell]]
    n_cols: int
    header_rows: int


@dataclass
class Block:
    kind: str  # heading / para / table
    text: str = ""
    table: Table | None = None
    facts: dict[str, float] = field(default_factory=dict)  # prose figures this paragraph states


def printed(label: str) -> str:
    """A catalog label as forms print it: full-width brackets and colons."""
    return label.translate(FULL_WIDTH)


def value_text(value: float, money_wan: bool = False) -> str:
    if money_wan:
        value = value / 10_000
    return f"{value:g}" if value != int(value) else str(int(value))


def _values(fig: Figures, table: str, row: str, cols: tuple[str, ...]) -> list[TCell]:
    return [TCell(value_text(fig.cells[table, row, c]), key=(table, row, c)) for c in cols]


def _t4_values(fig: Figures, block: str, results: tuple[str, ...]) -> list[TCell]:
    return _values(fig, "t4", "all", tuple(f"{block}.{r}" for r in results))


def t3_table(fig: Figures) -> Table:
    """表三: 3 header rows over a 10-column grid (3 label columns, 7 applicant columns)."""
    cols = (*APPLICANTS, "total")
    labels = {lab.key: printed(lab.label) for lab in catalog.T3_ROWS}
    parents = {p.pid: printed(p.label) for p in catalog.T3_PARENTS}
    col_label = dict(zip(cols, catalog.T3_COLUMNS, strict=True))
    rows: list[list[TCell]] = [
        [TCell(printed(catalog.T3_CAPTION), 3, 3, label=True), TCell("申请人情况", 1, 7, label=True)],
        [
            TCell(col_label["natural_person"], 2, label=True),
            TCell("法人或其他组织", 1, 5, label=True),
            TCell(col_label["total"], 2, label=True),
        ],
        [TCell(col_label[c], label=True) for c in cols[1:6]],
    ]
    era_rows = [lab for lab in catalog.T3_ROWS if fig.era in lab.eras]
    outcome_rows = [lab for lab in era_rows if lab.parent is not None]
    groups: dict[str | None, list[str]] = {}
    for lab in era_rows:
        groups.setdefault(lab.parent, []).append(lab.key)
    for lab in era_rows:
        row: list[TCell] = []
        if lab.parent is None:
            row.append(TCell(labels[lab.key], 1, 3, label=True))
        else:
            if lab is outcome_rows[0]:
                row.append(TCell(parents["三"], len(outcome_rows), label=True))
            if lab.parent == "三":
                row.append(TCell(labels[lab.key], 1, 2, label=True))
            else:
                if groups[lab.parent][0] == lab.key:
                    row.append(TCell(parents[lab.parent], len(groups[lab.parent]), label=True))
                row.append(TCell(labels[lab.key], label=True))
        rows.append(row + _values(fig, "t3", lab.key, cols))
    return Table("t3", rows, 10, 3)


def t4_table(fig: Figures) -> Table:
    """表四: 行政复议 (5 columns) and 行政诉讼 (直接起诉 5 + 复议后起诉 5), one data row."""
    blocks = {lab.key: lab.label for lab in catalog.T4_BLOCKS}
    results = ("upheld", "corrected", "other", "pending", "total")
    res_label = dict(zip(results, catalog.T4_RESULT_LABELS, strict=True))
    rows = [
        [TCell(blocks["review"], 1, 5, label=True), TCell("行政诉讼", 1, 10, label=True)],
        [
            *(TCell(res_label[r], 2, label=True) for r in results),
            TCell(blocks["direct"], 1, 5, label=True),
            TCell(blocks["after_review"], 1, 5, label=True),
        ],
        [TCell(res_label[r], label=True) for r in results * 2],
        [cell for block in ("review", "direct", "after_review") for cell in _t4_values(fig, block, results)],
    ]
    return Table("t4", rows, 15, 3)


def _t2_block_columns(era: str, headers: tuple[str, ...]) -> tuple[str, ...]:
    """Column keys of a 表二 block, read from its official header by the catalog (one owner of the layout)."""
    cols = tuple(lab for lab in catalog.T2_COLS if era in lab.eras)
    return tuple(catalog.match(cols, h).key for h in headers)  # type: ignore[union-attr]


def t2_table(fig: Figures) -> Table:
    """表二: one caption row per block (第二十条第（一）项 …), a header row, then its rows."""
    labels = {lab.key: lab.label for lab in catalog.T2_ROWS}
    if fig.era == "std2019":
        labels["normative_docs"] = labels["normative_docs"].removeprefix("行政")
    rows: list[list[TCell]] = []
    for block, headers in catalog.T2_BLOCK_HEADERS[fig.era].items():
        keys = _t2_block_columns(fig.era, headers)
        rows.append([TCell(f"第二十条第（{block}）项", 1, 4, label=True)])
        span = 3 // len(headers)
        rows.append(
            [TCell("信息内容", label=True)] + [TCell(printed(h), 1, span, label=True) for h in headers]
        )
        for row in (lab.key for lab in catalog.T2_ROWS if lab.parent == block):
            if ("t2", row, keys[0]) not in fig.cells:
                continue
            cells = []
            for c in keys:
                v = fig.cells["t2", row, c]
                text = value_text(v, money_wan=c == "fee_amount")
                if c == "change" and v > 0:
                    text = "+" + text
                cells.append(TCell(text, 1, span, key=("t2", row, c)))
            rows.append([TCell(labels[row], label=True), *cells])
    return Table("t2", rows, 4, 0)


E0_HEADERS = {
    "e0_sh": ("指标名称", "计量单位", "代码", "本期实际", "本年累计"),
    "e0_fj": ("指标名称", "计量单位", "{year}年度", "历年累计"),
    "e0_gb": ("序号", "统计指标", "单位", "统计数"),
}


def e0_table(fig: Figures) -> Table:
    """A pre-2019 statistics table of the report's family, rows printed with their glosses (the form's text)."""
    family = fig.e0_family
    assert family
    header = [TCell(h.format(year=fig.year), label=True) for h in E0_HEADERS[family]]
    value_cols = [
        k for k in ("period", "ytd", "year", "cumulative") if (family, _any_row(fig), k) in fig.cells
    ]
    rows = [header]
    for i, r in enumerate(e0_rows(family), 1):
        values = [
            TCell(value_text(fig.cells[family, r.key, c]), key=(family, r.key, c)) if r.unit else TCell("")
            for c in value_cols
        ]
        if family == "e0_sh":
            lead = [TCell(e0_label(r), label=True), TCell(r.unit), TCell(f"{r.code:02d}")]
        elif family == "e0_fj":
            lead = [TCell(e0_label(r), label=True), TCell(r.unit)]
        else:
            lead = [TCell(str(i)), TCell(e0_label(r), label=True), TCell(r.unit)]
        rows.append(lead + values)
    return Table(family, rows, len(header), 1)


def e0_label(row: stats_e0.E0Row) -> str:
    """The printed indicator: the catalog's gloss, or for a request channel (glossed by its key) `1.当面申请数`."""
    channels = dict(stats_e0._CHANNELS)  # the channels' printed words live only in their patterns
    if row.gloss.startswith("申请渠道"):
        k = row.key.removeprefix("requests.")
        return f"{list(channels).index(k) + 1}.{channels[k].split('|')[0]}申请数"
    return printed(row.gloss)


def _any_row(fig: Figures) -> str:
    return next(r for t, r, _ in fig.cells if t == fig.e0_family)


assert set(stats_e0.FAMILIES) == set(E0_HEADERS)


def positions(table: Table) -> list[tuple[int, int, TCell]]:
    """(row, column, cell) of every origin cell, columns found the way a browser lays out rowspans."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out

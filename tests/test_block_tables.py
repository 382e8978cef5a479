"""表三 printed as a label block and a value block: paired only when counts and identities prove it.

Fixtures: `md_displaced.md` (the label column as one markdown table, the value rows as another) and
`plain_displaced_2019.txt` (plain text, 2019 layout: parent labels on their own lines, one label wrapped).
Damaged copies (a value row or a label lost, a number changed, labels out of order) must give TEXT with
the reason in the grid's notes, never a value on another label.
"""

from __future__ import annotations

import pytest

from nianbao.normalize import normalize
from nianbao.parse import parse_text
from nianbao.tables.blocks import identity_failure
from nianbao.tables.cells import extract_cells
from nianbao.tables.converted import converter_grids
from nianbao.tables.flattened import text_grids
from nianbao.tables.labels import TableCell
from tests.conftest import FIXTURES
from tests.converter_truth import T3_2019, T3_2021
from tests.helpers import T3_COLUMNS

CONVERTER = FIXTURES / "converter"


def _text(name: str) -> str:
    return normalize((CONVERTER / name).read_text(encoding="utf-8")).text


def _text_path(text: str) -> tuple[list[TableCell], list[str]]:
    """Cells as the text path reads them (converter shapes first, then the flattened-text reader)."""
    grids, rest = converter_grids(text)
    all_grids = grids + text_grids(rest)
    return extract_cells(all_grids, text), [n for g in grids for n in g.notes]


@pytest.mark.parametrize(
    ("name", "rows", "rule"),
    [
        ("md_displaced.md", T3_2021, "t3.labels.markdown_blocks"),
        ("plain_displaced_2019.txt", T3_2019, "t3.labels.blocks"),
    ],
)
def test_label_and_value_blocks_paired_when_counts_and_identities_hold(
    name: str, rows: dict[str, list[int]], rule: str
) -> None:
    text = _text(name)
    cells, notes = _text_path(text)
    got = {(c.row_key, c.col_key): c for c in cells if c.table == "t3"}
    assert set(got) == {(r, c) for r in rows for c in T3_COLUMNS}
    for row_key, values in rows.items():
        for col_key, want in zip(T3_COLUMNS, values, strict=True):
            cell = got[(row_key, col_key)]
            assert cell.value_num == want and cell.rule_id == rule
            assert text[cell.span_start : cell.span_end] == cell.value_raw == str(want)
    assert any("identities hold" in n for n in notes)


def _damage_plain(text: str, how: str) -> str:
    lines = text.split("\n")
    if how == "value row lost":
        lines.remove("12 2 0 0 1 0 15")
    elif how == "label lost":
        lines.remove("2.重复申请")
    elif how == "number changed":
        lines[lines.index("6 1 1 0 0 1 9")] = "6 1 1 0 0 1 10"
    elif how == "labels out of order":
        a, b = lines.index("(一)予以公开"), lines.index("(三)不予公开")
        lines[a], lines[b + 1] = lines[b + 1], lines[a]  # (一) swapped with 1.属于国家秘密
    elif how == "value row short":
        lines[lines.index("2 1 0 0 0 0 3")] = "2 1 0 0 0 3"
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("value row lost", "23 row labels but 22 value rows"),
        ("label lost", "the label block lacks not_processed.repeat"),
        ("number changed", "row unavailable.not_held: the six applicant columns sum to 9, 总计 is 10"),
        ("labels out of order", "the row labels are not in the official order"),
        ("value row short", "a value row does not hold exactly seven values"),
    ],
)
def test_damaged_blocks_give_text_and_say_why(how: str, reason: str) -> None:
    text = _damage_plain(_text("plain_displaced_2019.txt"), how)
    cells, notes = _text_path(text)
    t3 = [c for c in cells if c.table == "t3"]
    assert t3 and all(c.value_num is None for c in t3)
    assert {c.value_semantic for c in t3} == {"TEXT"}
    assert any(reason in n for n in notes), notes


def test_flattened_reader_no_longer_pairs_the_value_block_with_the_last_label() -> None:
    """Negative: left to line distance, the first value row went onto 四、结转下年度 (its neighbour)."""
    text = _damage_plain(_text("plain_displaced_2019.txt"), "value row lost")
    cells, _ = _text_path(text)
    forward = [c for c in cells if c.row_key == "carried_forward"]
    assert forward and all(c.value_num is None for c in forward)


def test_identities_on_the_fixture_numbers() -> None:
    assert identity_failure({k: [float(x) for x in v] for k, v in T3_2021.items()}) is None
    broken = {k: [float(x) for x in v] for k, v in T3_2021.items()} | {
        "carried_forward": [2.0] + [0.0] * 5 + [2.0]
    }
    assert identity_failure(broken) == "column 商业企业: 一+二 = 5 but (七)+四 = 4"
    missing = {k: v for k, v in T3_2021.items() if k != "total"}
    assert identity_failure({k: [float(x) for x in v] for k, v in missing.items()}) == (
        "rows needed for the identities are missing: total"
    )


def test_the_report_says_why_values_were_not_placed() -> None:
    text = _damage_plain(_text("plain_displaced_2019.txt"), "number changed")
    issues = [i for i in parse_text("doc", text).issues if i.code == "table_values_not_placed"]
    assert [i.message for i in issues] == [
        "values not placed: label and value blocks not paired (row unavailable.not_held: the six applicant"
        " columns sum to 9, 总计 is 10); kept as one text cell"
    ]

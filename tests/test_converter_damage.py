"""Property: a displaced, split or truncated converter table never yields a value on the wrong label.

Every converter fixture prints the numbers of `tests/converter_truth.py`. Hypothesis damages a fixture
the ways converters and OCR do (a line lost or repeated, a cell lost, the text cut off, a page break with
a page number or 续表 pushed between two rows) and reads it along the text path (converter shapes first,
then the flattened-text reader on what they left). A cell may come out EMPTY or TEXT; any number it
yields must be the one printed at its row and column; a converter reader's cell span holds what it
says was printed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.normalize import normalize
from nianbao.tables.cells import extract_cells
from nianbao.tables.converted import converter_grids
from nianbao.tables.flattened import text_grids
from tests.conftest import FIXTURES
from tests.converter_truth import truth

FIXTURE_NAMES = (
    "md_split_header.md",
    "md_page_break.md",
    "md_fragment.md",
    "md_displaced.md",
    "plain_displaced_2019.txt",
)
TEXTS = {n: (FIXTURES / "converter" / n).read_text(encoding="utf-8") for n in FIXTURE_NAMES}
BREAKS = ("", "- 3 -", "第 3 页", "续表")
CONVERTER_FORMATS = {"markdown", "markdown_fragment", "markdown_blocks", "blocks"}


def _drop_cell(line: str, k: int) -> str:
    if "|" in line:
        parts = line.split("|")
        del parts[k % len(parts)]
        return "|".join(parts)
    toks = line.split(" ")
    del toks[k % len(toks)]
    return " ".join(toks)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FIXTURE_NAMES))
    lines = TEXTS[name].split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop line", "drop cell", "repeat line", "break", "cut"]))
        if how == "drop line":
            del lines[i]
        elif how == "drop cell" and lines[i].strip():
            lines[i] = _drop_cell(lines[i], draw(st.integers(0, 20)))
        elif how == "repeat line":
            lines.insert(i, lines[i])
        elif how == "break":
            lines[i:i] = ["", draw(st.sampled_from(BREAKS)), ""]
        elif how == "cut":
            lines = [*lines[:i], lines[i][: draw(st.integers(0, len(lines[i])))]]
        if not lines:
            lines = [""]
    return name, "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_converter_tables_never_yield_a_value_on_the_wrong_label(case: tuple[str, str]) -> None:
    name, raw = case
    text = normalize(raw).text
    grids, rest = converter_grids(text)
    for cell in extract_cells(grids + text_grids(rest), text):
        if cell.span_start is not None and cell.rule_id.split(".")[-1] in CONVERTER_FORMATS:
            assert text[cell.span_start : cell.span_end] == cell.value_raw, cell
        if cell.value_num is None:
            continue
        want = truth(cell.table, cell.row_key, cell.col_key, era2019=name.endswith("2019.txt"))
        assert cell.value_num == want, (cell.table, cell.row_key, cell.col_key, cell.value_raw, cell.rule_id)

"""One page-number pattern and one value grammar (`nianbao.tables.tokens`), used by the PDF and text readers.

Why: if the readers disagree, a page line one of them keeps is read by it as a row of values.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from nianbao.normalize import normalize
from nianbao.readers import pdf
from nianbao.tables import text_grid, tokens
from nianbao.tables.flattened import text_grids

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "text_tables"
PAGE_LINES = ("- 3 -", "~3~", "第 3 页", "第3页 共5页", "共5页第3页", "共 5 页, 第 3 页", "3/5", "12/40")
NOT_PAGE_LINES = ("3 / 5", "3", "0 0 0", "第三页", "2023年3月5日", "本年新收 3 5", "3/5/7")


@pytest.mark.parametrize("line", PAGE_LINES)
def test_page_lines_are_page_numbers(line: str) -> None:
    assert tokens.is_page_number(line)
    assert tokens.is_page_number(f"  {line} ")


@pytest.mark.parametrize("line", NOT_PAGE_LINES)
def test_other_lines_are_not(line: str) -> None:
    # `3 / 5` (spaced) is a row of three value cells: `3`, `/` (not applicable) and `5`
    assert not tokens.is_page_number(line)


def test_both_readers_use_the_one_pattern() -> None:
    assert pdf.is_page_number is tokens.is_page_number
    assert text_grid.is_page_number is tokens.is_page_number
    # and no module under nianbao/ defines a page-number pattern of its own
    own = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "nianbao").rglob("*.py")
        if p.name != "tokens.py" and re.search(r"第\\s\*\\d\{1,4\}\\s\*页", p.read_text(encoding="utf-8"))
    ]
    assert own == []


def _pdf_line(text: str, top: float) -> dict[str, object]:
    return {"text": text, "x0": 100.0, "x1": 140.0, "top": top, "bottom": top + 10}


def test_pdf_reader_drops_both_page_line_forms() -> None:
    page = SimpleNamespace(height=800.0)
    lines = [
        _pdf_line("3/5", 400.0),
        _pdf_line("共5页第3页", 400.0),
        _pdf_line("共 5 页 第 3 页", 400.0),
        _pdf_line("本年新收 3 5", 400.0),
        _pdf_line("3 / 5 / 7", 400.0),
    ]
    dropped = [ln["text"] for ln in pdf._page_number_lines(page, lines, [])]  # type: ignore[arg-type]
    assert dropped == ["3/5", "共5页第3页", "共 5 页 第 3 页"]


def _with_page_lines(text: str) -> str:
    """The text with `3/5` and `共5页第3页` lines inserted after the 表三 line of 本年新收."""
    at = text.index("\n", text.index("本年新收")) + 1
    return text[:at] + "3/5\n共5页第3页\n" + text[at:]


def _values(text: str) -> list[list[str]]:
    return [[c.text for c in row if c is not None] for g in text_grids(text) for row in g.rows]


def test_text_reader_drops_both_page_line_forms() -> None:
    text = normalize((FIX / "hongze_2023_textlayer.txt").read_text(encoding="utf-8")).text
    mutated = _with_page_lines(text)
    assert _values(mutated) == _values(text)
    notes = [n for g in text_grids(mutated) for n in g.notes if "page-number line" in n]
    before = [n for g in text_grids(text) for n in g.notes if "page-number line" in n]
    n_before = int(before[0].split()[0]) if before else 0
    assert notes and notes[0] == f"{n_before + 2} page-number line(s) in the document skipped"


@pytest.mark.parametrize("token", ["12", "1,234", "+1036", "-3", "0.5", "251000元", "25万元"])
def test_a_number_token_reads_the_same_in_text_runs_and_cells(token: str) -> None:
    assert tokens.is_value_token(token)
    assert tokens.read_value(token).semantic in ("NUMERIC", "ZERO")
    if not token.endswith("元"):
        assert pdf._NUMERIC_CELL.match(token)


@pytest.mark.parametrize(("token", "semantic"), [("/", "NA"), ("-", "NA"), ("—", "NA"), ("--", "NA")])
def test_not_applicable_marks_are_tokens_never_zero(token: str, semantic: str) -> None:
    assert tokens.is_value_token(token)
    assert tokens.read_value(token).semantic == semantic
    assert tokens.read_value(token).number is None


@pytest.mark.parametrize("token", ["3/5", "第3页", "2023年", "12件数"])
def test_other_tokens_are_not_values(token: str) -> None:
    assert not tokens.is_value_token(token)
    assert tokens.read_value(token).number is None

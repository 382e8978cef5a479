"""Make the Word 97-2003 fixtures under tests/fixtures/doc/ (run once; the .doc files are committed).

    .venv/bin/python scripts/make_doc_fixtures.py

Why built and not downloaded: a `.doc` with a known truth. Two files, both written by LibreOffice's own
MS Word 97 filter from a DOCX:
- `template_2021_format.doc`: the official 2021 template as published (every value cell blank);
- `hongze_2023.doc`: the same template carrying the real 洪泽区 2023 report (tests/fixtures/pdf/hongze_2023.pdf):
  its prose (sections 一, 五, 六 as the PDF prints them) and every figure of 表二, 表三 and 表四 as printed
  (the values of tests/test_hongze_cells.py; its one-row （六）其他处理 fills the template's three rows with 0).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.readers.pdf import read_pdf  # noqa: E402
from tests.test_hongze_cells import T2, T3, T4  # noqa: E402

TEMPLATE = ROOT / "tests" / "fixtures" / "docx" / "template_2021_format.docx"
HONGZE = ROOT / "tests" / "fixtures" / "pdf" / "hongze_2023.pdf"
OUT = ROOT / "tests" / "fixtures" / "doc"

T2_CELLS = {  # 表二 key → (row, col) in the template's grid
    ("regulations", "issued"): (2, 1),
    ("regulations", "repealed"): (2, 2),
    ("regulations", "in_force"): (2, 3),
    ("normative_docs", "issued"): (3, 1),
    ("normative_docs", "repealed"): (3, 2),
    ("normative_docs", "in_force"): (3, 3),
    ("licensing", "decisions"): (6, 1),
    ("penalty", "decisions"): (9, 1),
    ("compulsion", "decisions"): (10, 1),
    ("admin_fees", "fee_amount"): (13, 1),
}
T4_BLOCKS = ("review", "direct", "after_review")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")


def _paragraphs(text: str) -> list[str]:
    """The PDF's wrapped lines joined back into paragraphs (a new one at each heading or 。-ended line)."""
    out: list[str] = []
    heading = re.compile(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）")
    for line in text.splitlines():
        if (
            not out
            or heading.match(line)
            or out[-1].endswith("。")
            or re.match(r"^[一二三四五六]、", out[-1])
        ):
            out.append(line)
        else:
            out[-1] += line
    return out


def _set(cell, text: str) -> None:
    cell.paragraphs[0].text = text


def hongze_docx(path: Path) -> None:
    text = read_pdf(HONGZE).text
    head = text[: text.index("二、主动公开政府信息情况")]
    tail = text[text.index("五、存在的主要问题及改进情况") :]
    intro, section1 = head[: head.index("一、总体情况")], head[head.index("一、总体情况") :]
    section5, section6 = (
        tail[: tail.index("六、其他需要报告的事项")],
        tail[tail.index("六、其他需要报告的事项") :],
    )
    d = docx.Document(str(TEMPLATE))
    ps = d.paragraphs
    ps[1].text = "洪泽区人民政府2023年政府信息公开工作年度报告"
    ps[2].text = "".join(_paragraphs(intro)[2:])
    for heading, body in ((3, section1), (28, section5), (30, section6)):
        first, *rest = _paragraphs(body)[1:]
        ps[heading + 1].text = first  # the template's （文字描述）
        for para in rest:  # inserted before the paragraph after it, in order
            ps[heading + 2].insert_paragraph_before(para, style=ps[heading + 1].style)
    t2, t3, t4 = d.tables
    for key, (r, c) in T2_CELLS.items():
        _set(t2.cell(r, c), T2[key][0])
    for r, line in enumerate(T3.strip().splitlines()):
        _, *values = line.split()
        rows = [r + 3] if r < 20 else ([23, 24, 25] if r == 20 else [r + 5])
        for row in rows:
            for c, v in enumerate(values):
                _set(t3.cell(row, 3 + c), v)
    for b, block in enumerate(T4_BLOCKS):
        for c, col in enumerate(T4_COLS):
            _set(t4.cell(3, b * 5 + c), T4[f"{block}.{col}"])
    d.save(str(path))


def to_doc(src: Path, out_dir: Path) -> Path:
    """LibreOffice's MS Word 97 export of `src`, written as `out_dir/<stem>.doc`."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "doc:MS Word 97", "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return out_dir / f"{src.stem}.doc"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(TEMPLATE, work / "template_2021_format.docx")
        hongze_docx(work / "hongze_2023.docx")
        for name in ("template_2021_format.docx", "hongze_2023.docx"):
            doc = to_doc(work / name, work)
            shutil.copy(doc, OUT / doc.name)
            print(OUT / doc.name, doc.stat().st_size)


if __name__ == "__main__":
    main()

"""The PDF reader on a real report (洪泽区 2023) and on generated hostile or odd PDFs; the process limits.

Bad PDFs are made here from the real one (cut, encrypted with pypdf, re-rendered as a scan) or written
byte by byte (a lineless table, a ruled table whose header repeats on the next page), so every reason
code and every table shape the reader claims to handle has a file that proves it.
"""

from __future__ import annotations

import io
import os
import re
import signal
import time
import zlib
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter

from nianbao.readers import limits
from nianbao.readers.limits import ReaderError, run_limited
from nianbao.readers.pdf import PdfContent, read_pdf, read_pdf_safely
from nianbao.tables.grid import Cell, Grid
from nianbao.tables.tokens import is_page_number

HONGZE = Path(__file__).resolve().parent / "fixtures" / "pdf" / "hongze_2023.pdf"
SOURCE = re.compile(r"^pdf:p(\d+) bbox=([\d.]+),([\d.]+),([\d.]+),([\d.]+)$")


@pytest.fixture(scope="module")
def hongze() -> PdfContent:
    return read_pdf(HONGZE)


def _origins(grid: Grid) -> list[Cell]:
    return [c for r, row in enumerate(grid.rows) for k, c in enumerate(row) if c and grid.is_origin(r, k)]


def _find(grid: Grid, text: str) -> Cell:
    return next(c for c in _origins(grid) if c.text == text)


# --- the real report --------------------------------------------------------------------------------------


def test_hongze_grids_and_shapes(hongze: PdfContent) -> None:
    """Three tables: 表二 (pages 2-3), 表三 (pages 3-4), 表四 (page 4); prose pages give none."""
    assert hongze.pages == 5
    shapes = [(g.page, len(g.rows), g.width) for g in hongze.grids]
    assert shapes == [(2, 14, 4), (3, 26, 10), (4, 4, 15)]
    assert [g.index for g in hongze.grids] == [0, 1, 2]
    assert all(g.fmt == "pdf" for g in hongze.grids)


def test_hongze_t3_labels_and_spans(hongze: PdfContent) -> None:
    t3 = hongze.grids[1]
    texts = [c.text for c in _origins(t3)]
    for label in (
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
    ):
        assert label in texts
    assert texts.count("总计") == 1
    assert t3.text_at(3, 0) == "一、本年新收政府信息公开申请数量"
    assert t3.text_at(25, 0) == "四、结转下年度继续办理"
    assert t3.text_at(23, 1) == "（六）其他处理"  # one row here, no 2021 sub-rows
    assert t3.text_at(24, 1) == "（七）总计"
    # The vertical label is read top to bottom and spans all 20 outcome rows, across the page break.
    outcome = _find(t3, "三、本年度办理结果")
    assert (outcome.row, outcome.col, outcome.rowspan, outcome.colspan) == (5, 0, 20, 1)
    unavailable = _find(t3, "（四）无法提供")
    assert (unavailable.row, unavailable.rowspan) == (15, 3)
    header = _find(t3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert (header.rowspan, header.colspan) == (3, 3)
    assert (_find(t3, "申请人情况").colspan, _find(t3, "法人或其他组织").colspan) == (7, 5)
    assert t3.rows[3][3:] == [t3.rows[3][k] for k in range(3, 10)]
    assert [t3.text_at(3, k) for k in range(3, 10)] == ["21", "0", "0", "0", "0", "0", "21"]


def test_hongze_cross_page_tables_are_joined(hongze: PdfContent) -> None:
    t2, t3, _ = hongze.grids
    assert any("page 3 continues page 2" in n for n in t2.notes)
    assert any("page 4 continues page 3" in n and "same column edges" in n for n in t3.notes)
    assert any("grid 1 pages 3-4" in n for n in hongze.notes)
    assert _find(t3, "2.没有现成信息需要另行制作").source.startswith("pdf:p3 ")
    assert _find(t3, "3.补正后申请内容仍不明确").source.startswith("pdf:p4 ")
    # 表二's part on page 3 has fewer column edges (one value column): its cells span the three.
    penalty = _find(t2, "4119")
    assert (penalty.row, penalty.col, penalty.colspan) == (9, 1, 3)
    assert [t2.text_at(r, 0) for r in (7, 8, 9, 10, 13)] == [
        "第二十条第（六）项",
        "信息内容",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]


def test_hongze_t4_header_spans(hongze: PdfContent) -> None:
    t4 = hongze.grids[2]
    assert (_find(t4, "行政复议").colspan, _find(t4, "行政诉讼").colspan) == (5, 10)
    assert _find(t4, "结果维持").rowspan == 2  # 行政复议's result headers span two header rows
    assert [t4.text_at(3, k) for k in range(15)] == [
        "10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0",
    ]  # fmt: skip


def test_no_page_number_anywhere(hongze: PdfContent) -> None:
    for grid in hongze.grids:
        for cell in _origins(grid):
            assert not is_page_number(cell.text.replace(" ", "")), cell
    lines = [ln.strip() for ln in hongze.text.splitlines()]
    assert not any(re.fullmatch(r"-\s*\d+\s*-", ln) for ln in lines)
    assert "二、主动公开政府信息情况" in lines
    assert lines[-1] == "法》，全年收取政府信息公开信息处理费 0 元。"


def test_value_cell_source_names_page_and_bbox(hongze: PdfContent) -> None:
    """A value cell's source points at the box on the page where that number is printed."""
    cell = _find(hongze.grids[0], "7730.28")
    m = SOURCE.match(cell.source)
    assert m, cell.source
    page, x0, top, x1, bottom = int(m[1]), *(float(v) for v in m.groups()[1:])
    assert page == 3
    with pdfplumber.open(HONGZE) as pdf:
        word = next(w for w in pdf.pages[page - 1].extract_words() if w["text"] == "7730.28")
    assert x0 <= word["x0"] < word["x1"] <= x1
    assert top <= word["top"] < word["bottom"] <= bottom
    for grid in hongze.grids:
        assert all(SOURCE.match(c.source) for c in _origins(grid))


def test_read_pdf_safely_gives_the_same(hongze: PdfContent) -> None:
    safe = read_pdf_safely(HONGZE, timeout_s=60, memory_mb=1024)
    assert safe.text == hongze.text
    assert [g.to_json() for g in safe.grids] == [g.to_json() for g in hongze.grids]


# --- hostile and broken files -----------------------------------------------------------------------------


def _reason(path: Path) -> str:
    with pytest.raises(ReaderError) as direct:
        read_pdf(path)
    with pytest.raises(ReaderError) as safe:
        read_pdf_safely(path, timeout_s=60)
    assert direct.value.reason == safe.value.reason
    return direct.value.reason


def test_encrypted_pdf(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=HONGZE)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert PdfReader(path).is_encrypted
    assert _reason(path) == "encrypted_pdf"


def test_owner_password_only_still_reads(tmp_path: Path) -> None:
    """Permissions-only encryption (empty user password) opens without a password: not refused."""
    writer = PdfWriter(clone_from=HONGZE)
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "restricted.pdf"
    writer.write(path)
    content = read_pdf(path)
    assert [len(g.rows) for g in content.grids] == [14, 26, 4]


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.97])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = HONGZE.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    assert _reason(path) == "truncated_pdf"


def test_broken_structure_with_eof_marker(tmp_path: Path) -> None:
    """%%EOF is there but nothing else is: pypdf cannot rebuild an xref or find a page tree."""
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n999999\n%%EOF\n")
    assert _reason(path) == "truncated_pdf"


def test_image_only_blank_page(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "blank.pdf"
    writer.write(path)
    assert _reason(path) == "image_only_pdf"


def test_image_only_scan(tmp_path: Path) -> None:
    """A real page rendered to pixels and saved as a PDF: what a 图片版 report is."""
    image = pdfium.PdfDocument(HONGZE)[2].render(scale=1).to_pil()
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=72)
    assert len(PdfReader(path).pages) == 1
    assert _reason(path) == "image_only_pdf"


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "page.pdf"
    path.write_text("<html><body>404 页面不存在</body></html>", encoding="utf-8")
    assert _reason(path) == "not_a_pdf"


def test_no_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    PdfWriter().write(path)
    assert _reason(path) == "no_text"


def test_flate_bomb_is_parse_memory(tmp_path: Path) -> None:
    """A 1 MB content stream that inflates to 512 MB: the child hits its ceiling, the parent is fine."""
    packer = zlib.compressobj(1)
    chunk = b"0 0 m 1 1 l S\n" * 65536
    bomb = b"".join(packer.compress(chunk) for _ in range(512 * 1024 * 1024 // len(chunk))) + packer.flush()
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_make_pdf([bomb]))
    with pytest.raises(ReaderError) as e:
        read_pdf_safely(path, timeout_s=60, memory_mb=384)
    assert e.value.reason == "parse_memory"


# --- generated table shapes -------------------------------------------------------------------------------

H = 842.0


def _make_pdf(pages: list[str | bytes]) -> bytes:
    """A minimal PDF: one content stream per page, CJK text in Adobe's STSong-Light (no embedding).

    A page given as bytes is an already Flate-compressed content stream.
    """
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 4 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName "
        b"/STSong-Light /Flags 4 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 80 >> >>",
    }
    kids = []
    n = 5
    for content in pages:
        data = content.encode("ascii") if isinstance(content, str) else content
        flate = b"" if isinstance(content, str) else b" /Filter /FlateDecode"
        objs[n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (n + 1)
        )
        objs[n + 1] = b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), flate, data)
        kids.append(n)
        n += 2
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (k, objs[k]))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % n)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[k] for k in range(1, n)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref))
    return out.getvalue()


def _text(x: float, top: float, s: str, size: float = 10) -> str:
    return f"BT /F1 {size} Tf {x} {H - top - size * 0.88:.2f} Td <{s.encode('utf-16-be').hex()}> Tj ET\n"


def _ruled(x_edges: list[float], top: float, rows: list[list[str]], height: float = 20) -> str:
    """A fully ruled table, one cell per position, text left in each cell."""
    bottom = top + height * len(rows)
    out = ["0.5 w\n"]
    for r in range(len(rows) + 1):
        y = H - (top + r * height)
        out.append(f"{x_edges[0]} {y} m {x_edges[-1]} {y} l S\n")
    out += [f"{x} {H - top} m {x} {H - bottom} l S\n" for x in x_edges]
    for r, row in enumerate(rows):
        for k, s in enumerate(row):
            out.append(_text(x_edges[k] + 3, top + r * height + 5, s))
    return "".join(out)


def test_words_fallback_on_a_page_without_lines(tmp_path: Path) -> None:
    """A lineless 表四: rows from word positions, columns from x gaps; prose and page number stay out."""
    header = ["行政复议", "结果维持", "结果纠正", "总计"]
    xs = [72, 200, 300, 400]
    content = _text(72, 80, "四、政府信息公开行政复议、行政诉讼情况。本年度情况如下表所示，单位为件。")
    content += "".join(_text(x, 120, s) for x, s in zip(xs, header, strict=True))
    content += "".join(_text(x, 140, s) for x, s in zip(xs, ["本年", "3", "1", "4"], strict=True))
    content += "".join(_text(x, 160, s) for x, s in zip(xs, ["上年", "0", "12", "12"], strict=True))
    content += _text(72, 200, "五、存在的主要问题及改进情况") + _text(290, 800, "- 1 -")
    path = tmp_path / "lineless.pdf"
    path.write_bytes(_make_pdf([content]))
    content_read = read_pdf(path)
    assert len(content_read.grids) == 1
    grid = content_read.grids[0]
    assert [[grid.text_at(r, k) for k in range(grid.width)] for r in range(len(grid.rows))] == [
        header,
        ["本年", "3", "1", "4"],
        ["上年", "0", "12", "12"],
    ]
    assert any("words fallback" in n for n in grid.notes)
    assert grid.rows[1][1] is not None and SOURCE.match(grid.rows[1][1].source)
    assert "- 1 -" not in content_read.text
    assert content_read.text.splitlines()[-1] == "五、存在的主要问题及改进情况"


def test_repeated_header_on_the_next_page_is_dropped(tmp_path: Path) -> None:
    xs = [72.0, 250.0, 350.0, 450.0]
    header = ["信息内容", "本年制发件数", "本年废止件数"]
    page1 = _text(72, 60, "二、主动公开政府信息情况") + _ruled(xs, 700, [header, ["规章", "1", "2"]])
    page1 += _text(290, 800, "- 1 -")
    page2 = _ruled(xs, 72, [header, ["行政规范性文件", "3", "4"]]) + _text(72, 140, "三、其他")
    path = tmp_path / "repeat.pdf"
    path.write_bytes(_make_pdf([page1, page2]))
    content = read_pdf(path)
    assert len(content.grids) == 1
    grid = content.grids[0]
    assert [[grid.text_at(r, k) for k in range(3)] for r in range(len(grid.rows))] == [
        header,
        ["规章", "1", "2"],
        ["行政规范性文件", "3", "4"],
    ]
    assert any("1 repeated header row(s) dropped" in n for n in grid.notes)
    assert grid.rows[2][1] is not None and grid.rows[2][1].source.startswith("pdf:p2 ")


def test_cell_rectangles_with_a_merged_header(tmp_path: Path) -> None:
    """Every cell drawn as its own stroked box (WPS style); a header box over two columns is one cell."""
    boxes = [(72, 100, 200, 20, "行政诉讼")]  # x, top, w, h, text
    boxes += [(72, 120, 100, 20, "结果维持"), (172, 120, 100, 20, "结果纠正")]
    boxes += [(72, 140, 100, 20, "7"), (172, 140, 100, 20, "0")]
    content = "0.5 w\n" + "".join(f"{x} {H - top - h} {w} {h} re S\n" for x, top, w, h, _ in boxes)
    content += "".join(_text(x + 3, top + 5, t) for x, top, _, _, t in boxes)
    path = tmp_path / "boxes.pdf"
    path.write_bytes(_make_pdf([content]))
    (grid,) = read_pdf(path).grids
    assert (len(grid.rows), grid.width) == (3, 2)
    head = grid.rows[0][0]
    assert head is not None and (head.text, head.colspan) == ("行政诉讼", 2)
    assert grid.rows[0][1] is head
    assert [grid.text_at(2, k) for k in range(2)] == ["7", "0"]


def test_open_sided_table(tmp_path: Path) -> None:
    """No outer left/right borders (a common Word style): the open sides are closed from the row rules."""
    rows = [["信息内容", "本年处理决定数量"], ["行政处罚", "4119"], ["行政强制", "195"]]
    content = "0.5 w\n" + "".join(
        f"72 {H - (100 + 20 * r)} m 400 {H - (100 + 20 * r)} l S\n" for r in range(4)
    )
    content += f"200 {H - 100} m 200 {H - 160} l S\n"
    content += "".join(
        _text(75 + 128 * k, 105 + 20 * r, t) for r, row in enumerate(rows) for k, t in enumerate(row)
    )
    path = tmp_path / "open.pdf"
    path.write_bytes(_make_pdf([content]))
    (grid,) = read_pdf(path).grids
    assert [[grid.text_at(r, k) for k in range(grid.width)] for r in range(len(grid.rows))] == rows


def test_text_between_keeps_tables_apart(tmp_path: Path) -> None:
    """A heading at the top of the next page means a new table, even with the same columns."""
    xs = [72.0, 250.0, 350.0]
    page1 = _ruled(xs, 700, [["规章", "1"], ["行政许可", "2"]])
    page2 = _text(72, 60, "三、收到和处理政府信息公开申请情况") + _ruled(xs, 90, [["甲", "3"], ["乙", "4"]])
    path = tmp_path / "two.pdf"
    path.write_bytes(_make_pdf([page1, page2]))
    content = read_pdf(path)
    assert [(g.page, len(g.rows)) for g in content.grids] == [(1, 2), (2, 2)]


def test_bold_faked_by_over_printing_reads_once(tmp_path: Path) -> None:
    """Word fakes bold by printing a run twice, a hair apart: each character is read once, in page order,
    exactly as pdfplumber's own `dedupe_chars()` keeps them (the reader's is the same rule, without its
    quadratic final sort)."""
    from nianbao.readers.pdf import _dedupe_chars

    xs = [72.0, 250.0, 350.0]
    bold = _text(72, 60, "二、主动公开政府信息情况") + _text(72.3, 60, "二、主动公开政府信息情况")
    cells = _ruled(xs, 100, [["规章", "12"], ["行政规范性文件", "3"]])
    cells += _text(xs[0] + 3.3, 105, "规章") + _text(xs[1] + 3.4, 105, "12")
    path = tmp_path / "bold.pdf"
    path.write_bytes(_make_pdf([bold + cells + _text(72, 200, "三、其他")]))
    content = read_pdf(path)
    assert content.text.splitlines()[0] == "二、主动公开政府信息情况"
    (grid,) = content.grids
    assert [[grid.text_at(r, k) for k in range(2)] for r in range(2)] == [
        ["规章", "12"],
        ["行政规范性文件", "3"],
    ]
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        theirs, ours = page.dedupe_chars().chars, _dedupe_chars(page).chars
        assert len(page.chars) - len(ours) == len("二、主动公开政府信息情况") + len("规章") + len("12")
        assert [id(c) for c in ours] == [id(c) for c in theirs]


# --- limits -----------------------------------------------------------------------------------------------


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _refuses() -> None:
    raise ReaderError("encrypted_pdf", "needs a password")


def _bug() -> float:
    return 1 / 0


def test_limits_returns_the_result() -> None:
    assert run_limited(_sleep, 0.01, timeout_s=30) == 0.01
    assert run_limited(_allocate, 64, timeout_s=30, memory_mb=512) == 64 * 1024 * 1024


def test_limits_timeout() -> None:
    start = time.monotonic()
    with pytest.raises(ReaderError) as e:
        run_limited(_sleep, 60, timeout_s=1)
    assert e.value.reason == "parse_timeout"
    assert time.monotonic() - start < 15


def test_limits_memory() -> None:
    with pytest.raises(ReaderError) as e:
        run_limited(_allocate, 2048, timeout_s=30, memory_mb=256)
    assert e.value.reason == "parse_memory"


def test_limits_killed_child_is_memory() -> None:
    with pytest.raises(ReaderError) as e:
        run_limited(_killed, timeout_s=30)
    assert e.value.reason == "parse_memory"
    assert "SIGKILL" in e.value.message


def test_limits_passes_the_childs_reason_and_reports_bugs() -> None:
    with pytest.raises(ReaderError) as refused:
        run_limited(_refuses, timeout_s=30)
    assert (refused.value.reason, refused.value.message) == ("encrypted_pdf", "needs a password")
    with pytest.raises(ReaderError) as bug:
        run_limited(_bug, timeout_s=30)
    assert bug.value.reason == "reader_error"
    assert "ZeroDivisionError" in bug.value.message


def _pid() -> int:
    return os.getpid()


def test_limits_reuse_keeps_one_child_and_replaces_it_after_a_failure() -> None:
    """A reused child serves file after file; a timeout, a memory error or a death gives the next file a
    fresh one, and so does the task count."""
    first = run_limited(_pid, timeout_s=30, reuse=True)
    assert first != os.getpid()
    assert run_limited(_pid, timeout_s=30, reuse=True) == first
    with pytest.raises(ReaderError) as e:
        run_limited(_sleep, 60, timeout_s=1, reuse=True)
    assert e.value.reason == "parse_timeout"
    second = run_limited(_pid, timeout_s=30, reuse=True)
    assert second != first
    with pytest.raises(ReaderError) as e:
        run_limited(_allocate, 2048, timeout_s=30, reuse=True)
    assert e.value.reason == "parse_memory"
    third = run_limited(_pid, timeout_s=30, reuse=True)
    assert third not in (first, second)
    with pytest.raises(ReaderError) as e:
        run_limited(_killed, timeout_s=30, reuse=True)
    assert (e.value.reason, "SIGKILL" in e.value.message) == ("parse_memory", True)
    with pytest.raises(ReaderError) as e:
        run_limited(_refuses, timeout_s=30, reuse=True)
    assert (e.value.reason, e.value.message) == ("encrypted_pdf", "needs a password")
    fourth = run_limited(_pid, timeout_s=30, reuse=True)
    assert fourth not in (first, second, third)
    assert run_limited(_pid, timeout_s=30, reuse=True) == fourth  # a refusal leaves the child in use


def test_limits_reused_child_retires_after_its_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "REUSE_TASKS", 2)
    pids = [run_limited(_pid, timeout_s=30, memory_mb=900, reuse=True) for _ in range(4)]
    assert pids[0] == pids[1] != pids[2] == pids[3]


def test_limits_reused_child_leaves_when_its_address_space_passes_half_the_ceiling() -> None:
    """Memory glibc keeps after a large file would shrink the next file's room under the same ceiling."""
    first = run_limited(_pid, timeout_s=30, memory_mb=700, reuse=True)
    assert run_limited(_hold, 400, timeout_s=30, memory_mb=700, reuse=True) == 400
    assert run_limited(_pid, timeout_s=30, memory_mb=700, reuse=True) != first


_held: list[bytearray] = []


def _hold(mb: int) -> int:
    _held.append(bytearray(mb * 1024 * 1024))
    return mb

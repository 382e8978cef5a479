"""Ground truth: synthetic reports (nianbao.synth) are read exactly or not at all, never with a wrong value.

Parse level: 1 000 text, markdown and HTML reports (plus a few DOCX and PDF) through ingest.read_document and
parse.parse_text, every table cell and prose figure compared with the sidecar (nianbao.synth.check prints the
per-field precision and recall). End to end: 60 reports through the real `nianbao build`, marts.report_summary
scored against the sidecars with the functions of ../shared/eval/score.py (imported, not copied).

Metadata is printed, not asserted: two known parser cases make it wrong on a few reports (OpenCC t2s turns the
simplified 乾 of 乾安县 into 干 when the page is traditional; a markdown title keeps its `#` in the agency).
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from nianbao.ingest import discover
from nianbao.synth import check
from nianbao.synth.corpus import REPORTS, TRUTH, chosen_formats, formats_available, make_report, write_corpus
from nianbao.synth.figures import APPLICANTS
from tests.conftest import ROOT

TEXT_FORMATS = {"txt": 0.4, "md": 0.2, "html": 0.4}
FIGURES = ("cell:", "prose:")
WORKERS = os.cpu_count() or 1


def _figure_errors(errors: list) -> list:
    return [e for e in errors if e[1][0].startswith(FIGURES)]


def test_same_seed_same_bytes():
    for fmt in formats_available():
        for i in range(1 if fmt in ("docx", "pdf") else 3):  # DOCX and PDF take a second or two each
            a, b = make_report(11, i, {fmt: 1.0}), make_report(11, i, {fmt: 1.0})
            assert a.name == b.name and a.data == b.data and a.truth == b.truth, fmt
    assert make_report(11, 0, TEXT_FORMATS).data != make_report(12, 0, TEXT_FORMATS).data


def test_sidecars_sit_beside_the_reports_folder_never_in_it(tmp_path):
    write_corpus(6, tmp_path, seed=3, formats=TEXT_FORMATS)
    reports = list(discover([tmp_path / REPORTS]))
    assert len(reports) == 6 and not any(p.suffix == ".json" for p in reports)
    sidecars = sorted(p.name for p in (tmp_path / TRUTH).iterdir())
    assert sidecars == sorted(f"{p.name}.truth.json" for p in reports)
    truth = json.loads((tmp_path / TRUTH / sidecars[0]).read_text(encoding="utf-8"))
    assert {"metadata", "cells", "prose", "report_summary", "noise"} <= set(truth)


def test_drawn_tables_hold_the_identities_unless_noise_breaks_them():
    """report_formats.md §2e (每列 一 + 二 = （七） + 四; （七） = Σ outcomes; 总计 = Σ applicants) and §3."""
    checked = 0
    for i in range(60):
        truth = make_report(5, i, TEXT_FORMATS).truth
        if truth["metadata"]["format_era"] == "pre2019" or any(
            n["class"] == "identity_broken" for n in truth["noise"]
        ):
            continue
        v = {(c["table_id"], c["row_key"], c["col_key"]): c["true_value"] for c in truth["cells"]}
        outcomes = {r for t, r, _ in v if t == "t3"} - {"new", "carried_over", "total", "carried_forward"}
        for col in (*APPLICANTS, "total"):
            assert (
                v["t3", "new", col] + v["t3", "carried_over", col]
                == v["t3", "total", col] + v["t3", "carried_forward", col]
            )
            assert v["t3", "total", col] == sum(v["t3", r, col] for r in outcomes)
        for row in outcomes | {"new", "total"}:
            assert v["t3", row, "total"] == sum(v["t3", row, c] for c in APPLICANTS)
        for block in ("review", "direct", "after_review"):
            parts = ("upheld", "corrected", "other", "pending")
            assert v["t4", "all", f"{block}.total"] == sum(v["t4", "all", f"{block}.{p}"] for p in parts)
        checked += 1
    assert checked > 10


def test_parse_level_1000_reports_no_figure_is_ever_wrong():
    tally, errors, seen = check.run(1000, seed=2026, formats=TEXT_FORMATS, workers=WORKERS)
    print(check.report_table(tally), dict(seen))
    assert not _figure_errors(errors), _figure_errors(errors)[:10]
    precision, recall = check.precision_recall(tally, [f for f, _ in tally if f.startswith(FIGURES)])
    assert precision == 1.0 and recall > 0.95


def test_parse_level_docx_and_pdf_slice():
    formats = {k: 1.0 for k in formats_available("docx,pdf")}  # no CJK font: the PDF share is skipped
    tally, errors, seen = check.run(6, seed=2027, formats=formats, workers=WORKERS, chunk=3)
    print(check.report_table(tally), dict(seen))
    assert not _figure_errors(errors), _figure_errors(errors)[:10]


def test_check_json_on_two_workers_counts_what_one_process_counts(tmp_path):
    """`--json`: per-field counts, precision and recall and the rate; a pool over 3 chunks of 4 gives the
    counts the same reports give inline."""
    out = tmp_path / "check.json"
    argv = ["--n", "12", "--seed", "5", "--formats", "txt,md,html", "--workers", "2", "--chunk", "4"]
    assert check.main([*argv, "--json", str(out)]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    tally, _, seen = check.run(12, seed=5, formats=formats_available("txt,md,html"), workers=1, chunk=12)
    assert (got["reports"], got["workers"], got["chunk"], got["formats"]) == (12, 2, 4, dict(seen))
    assert {k: got[k] for k in ("fields", "groups")} == check.summary(tally)
    assert got["groups"]["figures"]["precision"] == 1.0
    assert got["fields"]["meta:report_year"] == {
        "correct": 12,
        "wrong": 0,
        "missed": 0,
        "unsupported": 0,
        "precision": 1.0,
        "recall": 1.0,
    }
    assert isinstance(got["reports_per_s"], float) and got["examples"] == []


def test_check_slices_add_up_to_the_whole_run():
    """`--start`: a long run goes in slices (resumable, one JSON each) whose counts sum to the whole's."""
    formats = formats_available("txt,md,html")
    whole, _, seen = check.run(6, seed=5, formats=formats, workers=1, chunk=6)
    parts = [check.run(3, seed=5, formats=formats, workers=1, chunk=2, start=s) for s in (0, 3)]
    assert parts[0][0] + parts[1][0] == whole
    assert parts[0][2] + parts[1][2] == seen


def _score_module():
    """../shared/eval/score.py (or $NIANBAO_EVAL_DIR/score.py): the scorer's own comparison rules."""
    path = Path(os.environ.get("NIANBAO_EVAL_DIR", ROOT.parent / "shared" / "eval")) / "score.py"
    if not path.is_file():
        pytest.skip(f"no eval scorer at {path} (set NIANBAO_EVAL_DIR)")
    spec = importlib.util.spec_from_file_location("nianbao_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.e2e
def test_end_to_end_report_summary_matches_the_sidecars(tmp_path):
    from flows.build_warehouse import build_warehouse

    score = _score_module()
    write_corpus(60, tmp_path, seed=2028, formats={**TEXT_FORMATS, "docx": 0.05})
    wh = tmp_path / "warehouse.duckdb"
    summary = build_warehouse(paths=[str(tmp_path / REPORTS)], warehouse=str(wh), workers=WORKERS)
    assert summary.ok, summary.failures
    rows, _ = score.load_rows(str(wh), "marts.report_summary")
    tally = {
        f: dict.fromkeys(("correct", "wrong", "missed", "unsupported"), 0)
        for f in score.NUMERIC + score.METADATA
    }
    details = []
    for sidecar in sorted((tmp_path / TRUTH).iterdir()):
        truth = json.loads(sidecar.read_text(encoding="utf-8"))
        row = rows.get(truth["file"])
        for f in score.NUMERIC + score.METADATA:
            gold, pred = truth["report_summary"][f], None if row is None else row.get(f)
            if gold is None:
                outcome = "unsupported" if pred is not None else None
            elif pred is None:
                outcome = "missed"
            else:
                outcome = "correct" if score.same(f, pred, gold) else "wrong"
            if outcome:
                tally[f][outcome] += 1
            if outcome in ("wrong", "unsupported", "missed"):
                details.append((truth["file"], f, pred, gold, outcome))
    for f, t in tally.items():
        print(f"{f:26} {t['correct']:7} {t['wrong']:5} {t['missed']:6} {t['unsupported']:11}")
    for d in details:
        print("  {} {} warehouse={!r} truth={!r} ({})".format(*d))
    numeric_errors = [d for d in details if d[1] in score.NUMERIC and d[4] in ("wrong", "unsupported")]
    assert not numeric_errors, numeric_errors


def test_a_format_choice_that_writes_nothing_is_a_clear_error(monkeypatch, capsys):
    """`--formats pdf` without a CJK font, or a misspelt format, exits 2 saying why (it once ended in an
    IndexError from an empty mix); the default mix without a font still writes the other formats."""
    from nianbao.synth import cjk_font

    def no_font():
        raise cjk_font.FontMissing("no Noto CJK font found")

    monkeypatch.setattr(cjk_font, "font_path", no_font)
    assert check.main(["--n", "1", "--formats", "pdf"]) == 2
    assert "none of the formats pdf can be written on this machine" in capsys.readouterr().err
    assert check.main(["--n", "1", "--formats", "txt,pdff"]) == 2
    assert "unknown format(s) pdff; choose from txt,md,html,docx,pdf" in capsys.readouterr().err
    assert set(chosen_formats(None)) == {"txt", "md", "html", "docx"}

"""The command line as a user meets it: `nianbao parse` on one file, `nianbao quarantine`, errors."""

from __future__ import annotations

import json

from nianbao.cli import main
from tests.conftest import FIXTURES, SEEDS

SH19 = FIXTURES / "html_tables" / "std2019_shanghai.html"


def test_parse_json_shows_metadata_tables_figures_and_checks(capsys):
    assert main(["parse", str(SH19), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["metadata"]["report_year"] == 2019 and out["metadata"]["format_era"] == "std2019"
    cells = {(c["table"], c["row_key"], c["col_key"]): c for c in out["tables"]}
    assert cells[("t3", "new", "total")]["value_num"] == 859
    assert cells[("t3", "carried_forward", "total")]["value_num"] == 72
    assert cells[("t4", "all", "review.corrected")]["value_semantic"] == "NA"
    lumped = [f for f in out["facts"] if f["measure"] == "granted_or_partial"]
    assert [(f["value"], f["text"]) for f in lumped] == [(258, "258")]
    checks = {c["check_name"]: c["status"] for c in out["checks"]}
    assert checks["t3_column_identity_total"] == "PASS"
    assert checks["table_vs_prose_unavailable"] == "FAIL"  # prose 265 vs table 354 in this fixture


def test_parse_of_an_unreadable_file_says_why(tmp_path, capsys):
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    assert main(["parse", str(bad), "--no-checks"]) == 1
    assert json.loads(capsys.readouterr().out)["quarantined"]["reason_code"] == "truncated_pdf"


def test_build_refuses_a_missing_input(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")]) == 3
    err = capsys.readouterr().err
    assert (
        err
        == f"nianbao build failed (input_missing, exit 3): no such file or directory: {tmp_path / 'nowhere'}\n"
    )


def test_parse_text_report_without_checks(capsys):
    assert main(["parse", str(SEEDS / "003_6f43bf410af91967.txt"), "--no-checks"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "长沙市开福区 · 2020 · std2019 · county · 湖南省"
    assert "tables: none found" in out

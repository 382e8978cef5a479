"""The closed list of reason codes is one list: Python, the dbt seed, and every code the readers raise."""

import csv
import re

from nianbao.quarantine import REASON_CODES, TRANSIENT
from tests.conftest import ROOT


def test_dbt_seed_mirrors_the_python_list():
    with (ROOT / "dbt_project" / "seeds" / "quarantine_reasons.csv").open(encoding="utf-8") as f:
        rows = {r["reason_code"]: (r["description"], r["retried_on_code_change"]) for r in csv.DictReader(f)}
    assert rows == {k: (v, str(k in TRANSIENT).lower()) for k, v in REASON_CODES.items()}


def test_every_reason_code_raised_in_the_code_is_on_the_list():
    pattern = re.compile(
        r"""(?:ReaderError|DecodeError|quarantine)\(\s*["']([a-z_]+)["']|reason = ["']([a-z_]+)["']"""
    )
    raised = set()
    for path in (ROOT / "nianbao").rglob("*.py"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            raised.add(m.group(1) or m.group(2))
    assert raised, "the pattern found no reason codes: it no longer matches how the code raises them"
    assert raised <= set(REASON_CODES), raised - set(REASON_CODES)

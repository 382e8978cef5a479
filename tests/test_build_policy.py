"""The build's policy and accounting (`nianbao.build_policy`, `nianbao.summary`), without Prefect."""

from __future__ import annotations

from types import SimpleNamespace

from nianbao import build_policy
from nianbao.summary import BuildSummary, summary_dict


def test_up_to_date_only_when_nothing_new_and_same_code() -> None:
    assert build_policy.up_to_date(True, 0, 0)
    assert not build_policy.up_to_date(False, 0, 0)  # the code changed: rebuild the marts
    assert not build_policy.up_to_date(True, 1, 0)
    assert not build_policy.up_to_date(True, 0, 1)  # a newly quarantined input is news too


def test_quarantines_are_retried_when_the_code_changed_or_on_request() -> None:
    assert build_policy.retry_quarantined(asked=False, same_code=False)
    assert build_policy.retry_quarantined(asked=True, same_code=True)
    assert not build_policy.retry_quarantined(asked=False, same_code=True)


def test_batches() -> None:
    assert list(build_policy.chunks(iter(["a", "b", "c"]), 2)) == [["a", "b"], ["c"]]
    assert list(build_policy.chunks([], 2)) == []


def _val(success: bool, at_fault: set[str]) -> SimpleNamespace:
    failed = [SimpleNamespace(table="documents", column=None, expectation="expect_x")]
    return SimpleNamespace(success=success, documents_at_fault=at_fault, failed=failed, passed=3, evaluated=4)


def test_a_failed_input_expectation_quarantines_its_documents_else_fails_the_run() -> None:
    assert build_policy.input_validation_outcome("staging", _val(True, set())) == ([], None)
    assert build_policy.input_validation_outcome("staging", _val(False, {"d2", "d1"})) == (["d1", "d2"], None)
    assert build_policy.input_validation_outcome("staging", _val(False, set())) == (
        [],
        "staging expectations failed: documents.* expect_x",
    )


def test_summary_accounting() -> None:
    s = BuildSummary(warehouse="w", run_id="r")
    s.add_ingest(SimpleNamespace(seen=5, new=4, unchanged=1, duplicates=0, quarantined=1))
    s.add_parse({"figures": 7, "cells": 3, "quarantined": 1})
    s.add_validation(_val(False, set()))
    dbt = SimpleNamespace(
        tests_passed=10,
        tests_warned=1,
        tests_failed=1,
        tests_errored=1,
        warned_nodes=["identity_holds_check_results"],
        success=False,
        failed_nodes=["int_x"],
        failed_models=(),
        messages=("int_x [fail]: Got 1 result",),
        returncode=1,
        stderr_tail="",
    )
    s.add_dbt(dbt)
    assert (s.documents_new, s.documents_quarantined) == (3, 2)  # quarantined while parsing: no longer new
    assert (s.checks_passed, s.checks_warned, s.checks_failed) == (13, 1, 3)  # errored tests count as failed
    assert s.warnings == ["dbt warn: identity_holds_check_results"]
    assert s.failures == ["dbt tests failed: int_x"] and s.cause == "dbt_failed"
    assert not s.ok
    assert summary_dict(s)["ok"] is False

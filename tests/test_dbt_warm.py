"""nianbao.dbt_build.warm_up: a dbt process started ahead of its command runs the next one, as given then.

A one-model dbt project on a real DuckDB file and real dbt (the repository's project would spend its parse
time on what these tests do not look at).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao import dbt_build

PROJECT = """name: tiny
version: "0.1.0"
config-version: 2
profile: tiny
model-paths: ["models"]
"""
PROFILE = """tiny:
  target: w
  outputs:
    w:
      type: duckdb
      path: "{{ env_var('NIANBAO_WAREHOUSE') }}"
"""
MODEL = "select '{{ env_var(\"NIANBAO_TEST_MARK\") }}' as mark\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(PROJECT, encoding="utf-8")
    (root / "profiles.yml").write_text(PROFILE, encoding="utf-8")
    (root / "models" / "marked.sql").write_text(MODEL, encoding="utf-8")
    return root


def test_the_warmed_process_runs_the_build_with_the_environment_of_its_run(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbt_build.warm_up(project)
    warmed = dbt_build._warm[0]
    monkeypatch.setenv("NIANBAO_TEST_MARK", "set after the warm-up")  # the run's environment, not the spawn's
    result = dbt_build.run_dbt_build(tmp_path / "w.duckdb", project_dir=project, target_dir=tmp_path / "dbt")
    assert result.success, result.stderr_tail
    assert (result.models_built, warmed.returncode, dbt_build._warm) == (1, 0, None)  # it ran, and only once
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select mark from main.marked").fetchall() == [("set after the warm-up",)]


def test_a_process_warmed_for_another_project_is_not_used(project: Path, tmp_path: Path, monkeypatch) -> None:
    dbt_build.warm_up()  # the repository's project
    warmed = dbt_build._warm[0]
    monkeypatch.setenv("NIANBAO_TEST_MARK", "x")
    result = dbt_build.run_dbt_build(tmp_path / "w.duckdb", project_dir=project, target_dir=tmp_path / "dbt")
    assert result.success, result.stderr_tail
    assert (warmed.wait(timeout=60), dbt_build._warm) == (0, None)  # told to end, without running anything


def test_cool_down_ends_a_process_given_no_command() -> None:
    dbt_build.warm_up()
    warmed = dbt_build._warm[0]
    dbt_build.cool_down()
    assert (warmed.returncode, dbt_build._warm) == (0, None)
    dbt_build.cool_down()  # nothing warmed: nothing to do

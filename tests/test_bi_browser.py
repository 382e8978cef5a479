"""The dashboards of `bi/` in a real Superset, looked at in a real headless Chromium.

One warehouse (the seeds, two reports with the statutory tables and two bad files), one Superset set up in a
temporary home by `nianbao bi`'s own functions, served on a free port; Playwright drives Debian's Chromium (no
browser download). Each dashboard must render every chart without an error or an empty result, and show
figures read from the warehouse with SQL. Screenshots are kept in build/test-artifacts/bi/.

Needs the Superset venv (`nianbao bi setup`) and /usr/bin/chromium with a CJK font: `.ci/run` installs all
three. Without them the tests are skipped here, and fail under CI (CI=true) rather than pass without running.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.build_warehouse import build_warehouse
from nianbao import bi
from tests.conftest import FIXTURES, ROOT, SEEDS

pytestmark = pytest.mark.bi

CHROMIUM = Path(os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "build" / "test-artifacts" / "bi"
DASHBOARDS = {
    d["slug"]: d
    for d in (yaml.safe_load(p.read_text()) for p in sorted((bi.BUNDLE / "dashboards").glob("*.yaml")))
}
READY_JS = """() => [...document.querySelectorAll('[data-test="dashboard-component-chart-holder"]')].map(h => ({
    title: h.querySelector('[data-test="editable-title"]')?.innerText ?? '',
    rendered: !!h.querySelector('[data-test="slice-container"]')
              && !h.querySelector('[data-test="loading-indicator"]'),
    error: !!h.querySelector('[role="alert"], .ant-alert-error, [data-test="error-tooltip"]'),
    text: h.innerText,
}))"""


def _missing() -> str | None:
    if not bi.Superset().executable.exists():
        return f"no Superset venv at {bi.DEFAULT_VENV} (run `nianbao bi setup`)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    return None


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    if reason := _missing():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    inbox = tmp_path_factory.mktemp("bi-inbox")
    for f in [*SEEDS.iterdir(), *sorted((FIXTURES / "html_tables").glob("*.html"))]:
        shutil.copy(f, inbox / f.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    path = tmp_path_factory.mktemp("bi-build") / "warehouse.duckdb"
    assert build_warehouse(paths=[str(inbox)], warehouse=str(path), workers=2).ok
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def superset(warehouse, tmp_path_factory):
    """Set up, import and serve exactly as `nianbao bi` does; yields (base URL, admin password)."""
    password = secrets.token_urlsafe(12)
    os.environ[bi.PASSWORD_ENV] = password
    try:
        s = bi.Superset(home=tmp_path_factory.mktemp("superset-home"))
        assert bi.setup(s) is None  # the password came from the environment: nothing generated
        bi.import_dashboards(s, warehouse)
    finally:
        del os.environ[bi.PASSWORD_ENV]
    port = _free_port()
    log = (s.home / "serve.log").open("w")
    proc = subprocess.Popen(bi.serve_command(s, "127.0.0.1", port), env=s.env(), stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, (s.home / "serve.log").read_text()[-3000:]
        time.sleep(1)
    yield base, password
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def page(superset, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    base, password = superset
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox"],  # Playwright gives it a temporary profile; HOME keeps it off the user's
            env={**os.environ, "HOME": str(home)},
        )
        pg = browser.new_page(viewport={"width": 1600, "height": 2400}, locale="zh-CN")
        pg.goto(f"{base}/login/")
        pg.fill('[data-test="username-input"]', bi.ADMIN)
        pg.fill('[data-test="password-input"]', password)
        pg.click('[data-test="login-button"]')
        pg.wait_for_url("**/superset/welcome/**", timeout=60_000)
        yield pg, base
        browser.close()


def _dataset_sql(name: str) -> str:
    return yaml.safe_load((bi.BUNDLE / "datasets" / "warehouse" / f"{name}.yaml").read_text())["sql"]


@pytest.fixture(scope="module")
def figures(warehouse) -> dict[str, list[str]]:
    """Per dashboard, texts that must be on it, each read from the warehouse with SQL."""
    con = duckdb.connect(str(warehouse), read_only=True)
    one = lambda sql: con.execute(sql).fetchall()[0]  # noqa: E731
    requests, carried, reviews, suits = one(
        """select sum(applications_new), sum(applications_carried_over), sum(reconsideration_total),
                  sum(litigation_total) from marts.report_summary"""
    )
    body, year = one(
        "select agency, report_year from marts.report_summary order by applications_new desc limit 1"
    )
    (failed,) = one("select count(*) from marts.check_results where status = 'FAIL'")
    reasons = [r[0] for r in con.execute("select distinct reason_code from marts.quarantine").fetchall()]
    card_body, card_year = one(
        "select agency, min(report_year) from marts.report_summary group by 1 order by 1"
    )
    (card_rate,) = one(
        f"select grant_rate from marts.mart_agency_year where agency = '{card_body}' and grant_rate is not null"
    )
    refusal_body, refusal_reason, refusal_value = one(
        f"""select agency, reason_zh, sum(value) from ({_dataset_sql("nb_refusals")})
            group by agency, report_year, outcome, reason_zh order by 3 desc"""
    )
    con.close()
    n = lambda v: f"{int(v):,}"  # noqa: E731  (how Superset prints whole numbers: ",d" / SMART_NUMBER)
    assert reasons and failed and refusal_value  # the fixture build has something to show on each dashboard
    return {
        "nianbao-overview": [n(requests), body, str(year)],
        "nianbao-requests": [n(requests), n(carried), body],
        "nianbao-refusals": [refusal_body, refusal_reason, n(refusal_value)],
        "nianbao-appeals": [n(reviews), n(suits), "结果维持"],
        "nianbao-data-quality": [str(failed), *reasons],
        "nianbao-report-card": [card_body, str(card_year), f"{card_rate:.1%}"],
    }


def _chart_count(dashboard: dict) -> int:
    return sum(1 for k in dashboard["position"] if k.startswith("CHART-"))


def test_every_dashboard_is_in_the_bundle():
    assert set(DASHBOARDS) == {
        "nianbao-overview",
        "nianbao-requests",
        "nianbao-refusals",
        "nianbao-appeals",
        "nianbao-data-quality",
        "nianbao-report-card",
    }


def test_bundle_names_no_path_of_this_machine(tmp_path):
    text = (bi.BUNDLE / "databases" / "warehouse.yaml").read_text()
    assert "duckdb:///${WAREHOUSE}?access_mode=read_only" in text
    bundle = bi.render_bundle(tmp_path / "wh.duckdb", tmp_path / "bundle.zip")
    with zipfile.ZipFile(bundle) as z:
        db = z.read("nianbao_bi/databases/warehouse.yaml").decode()
        assert f"duckdb:///{tmp_path / 'wh.duckdb'}?access_mode=read_only" in db
        assert sum(n.startswith("nianbao_bi/dashboards/") for n in z.namelist()) == len(DASHBOARDS)


@pytest.mark.parametrize("slug", sorted(DASHBOARDS))
def test_dashboard_renders_every_chart_with_warehouse_figures(page, figures, slug):
    pg, base = page
    expected = _chart_count(DASHBOARDS[slug])
    pg.goto(f"{base}/superset/dashboard/{slug}/")
    deadline = time.monotonic() + 120
    while True:
        charts = pg.evaluate(READY_JS)
        if len(charts) == expected and all(c["rendered"] or c["error"] for c in charts):
            break
        assert time.monotonic() < deadline, f"{slug}: charts not rendered in time: {charts}"
        time.sleep(0.5)
    pg.wait_for_timeout(1500)  # let ECharts finish its entry animation before the screenshot
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)

    assert [c["title"] for c in charts if c["error"]] == []
    assert [c["title"] for c in charts if "No results" in c["text"]] == []
    body = pg.inner_text("body")
    assert DASHBOARDS[slug]["dashboard_title"] in body
    missing = [t for t in figures[slug] if t not in body]
    assert missing == [], f"{slug}: not on the page: {missing}"


def test_import_without_a_warehouse_says_so(tmp_path, capsys):
    from nianbao.cli import main

    code = main(
        ["bi", "import", "--home", str(tmp_path / "home"), "--warehouse", str(tmp_path / "none.duckdb")]
    )
    assert code == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_report_card_narrows_to_one_body_with_its_source_sentences(page, warehouse):
    """Pick a body in the 机关 filter: only its figures remain, each with the sentence it was read from."""
    pg, base = page
    con = duckdb.connect(str(warehouse), read_only=True)
    body, other, sentence = con.execute(
        """select r.agency, (select max(agency) from marts.report_summary where agency <> r.agency), f.sentence
           from marts.report_summary r
           join marts.fct_application f using (document_id)
           where f.is_chosen and f.source_kind = 'prose' and f.measure = 'applications_new'
           order by r.agency limit 1"""
    ).fetchall()[0]
    con.close()
    pg.goto(f"{base}/superset/dashboard/nianbao-report-card/")
    pg.locator('[data-test="filter-bar"] .ant-select').first.click()
    pg.keyboard.type(body)
    pg.wait_for_timeout(1000)
    pg.keyboard.press("Enter")
    pg.keyboard.press("Escape")
    pg.click('[data-test="filter-bar__apply-button"]')
    grid = pg.locator('[data-test="grid-content"]')
    deadline = time.monotonic() + 60
    while other in grid.inner_text() or sentence not in grid.inner_text():
        assert time.monotonic() < deadline, f"report card not narrowed to {body}"
        pg.wait_for_timeout(500)
    assert body in grid.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "nianbao-report-card-one-body.png"), full_page=True)

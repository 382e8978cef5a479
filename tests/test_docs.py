"""Analysts' documentation: vendored assets, offline data docs, the glossary, `nianbao docs`, and both sites
in a real headless Chromium with the network cut off (only file:// and the docs server on 127.0.0.1 answer).

The browser tests need /usr/bin/chromium (`.ci/run` installs it): skipped here without it, failed under CI.
Screenshots are kept in build/test-artifacts/docs/.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import importlib.util
import json
import os
import re
import threading
import urllib.request
from pathlib import Path

import pytest

from nianbao.docs import DocsSite, make_server
from nianbao.glossary_page import column_description, glossary_rows, read_seed, render_glossary
from nianbao.offline_assets import CDN_ASSETS, GX_IMAGES, VENDOR, localize_assets
from nianbao.validate import STAGES, load_suite
from tests.conftest import ROOT, SEEDS

CHROMIUM = Path(os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "build" / "test-artifacts" / "docs"
GX_TEMPLATES = (
    Path(importlib.util.find_spec("great_expectations").submodule_search_locations[0])
    / "render"
    / "view"
    / "templates"
)
TAG_URL = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)="((?:https?:)?//[^"]+)"[^>]*>""")
EXTERNAL_ASSET = re.compile(
    r"""<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
)


# --- vendored assets ------------------------------------------------------------------------------------


def _gx_template_tags() -> list[str]:
    return [m[0] for p in sorted(GX_TEMPLATES.glob("*.j2")) for m in TAG_URL.finditer(p.read_text())]


def test_every_cdn_asset_of_the_gx_templates_has_a_vendored_copy():
    urls = {TAG_URL.match(tag)[1] for tag in _gx_template_tags()}
    assert urls == set(CDN_ASSETS)  # a GX upgrade that names another asset fails here
    assert len(urls) == 16
    missing = [f for f in CDN_ASSETS.values() if not (VENDOR / f).is_file()]
    assert missing == []


def test_vendored_copies_match_the_integrity_hashes_gx_names():
    checked = {}
    for tag in _gx_template_tags():
        if sri := re.search(r'integrity="sha384-([^"]+)"', tag):
            path = VENDOR / CDN_ASSETS[TAG_URL.match(tag)[1]]
            checked[path.name] = base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()
            assert checked[path.name] == sri[1], path
    assert sorted(checked) == ["bootstrap.min.js", "popper.min.js"]


def test_every_vendored_package_comes_with_its_licence_or_says_where_it_is():
    readme = (VENDOR / "README.md").read_text()
    for folder in sorted(p for p in VENDOR.iterdir() if p.is_dir()):
        has_licence = any(f.name.startswith("LICENSE") for f in folder.iterdir())
        assert has_licence or "ships no licence file" in readme.split(f"`{folder.name}/`")[1].split("\n")[0]
    assert all(f"`{Path(f).parts[0]}/`" in readme for f in CDN_ASSETS.values())


def test_font_awesome_finds_its_fonts_beside_its_stylesheet():
    css = (VENDOR / "fontawesome-free-6.6.0" / "css" / "all.min.css").read_text()
    for font in ("fa-solid-900.woff2", "fa-regular-400.woff2"):  # the faces GX's icons (fas) use
        assert f"url(../webfonts/{font})" in css
        assert (VENDOR / "fontawesome-free-6.6.0" / "webfonts" / font).is_file()


PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" integrity="sha384-x" crossorigin="anonymous"></script>
<script src="https://cdn.example.org/unknown.js"></script>
<style>.navbar-brand a { background: url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') 0 0; }</style>
</head><body><a href="https://greatexpectations.io">GX</a>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20261130T152547Z" alt="GX"/>
<script src="./static/scripts/local.js"></script></body></html>"""


def test_localize_assets_points_each_page_at_local_copies_relative_to_it(tmp_path):
    (tmp_path / "index.html").write_text(PAGE)
    nested = tmp_path / "validations" / "marts" / "run" / "page.html"
    nested.parent.mkdir(parents=True)
    nested.write_text(PAGE)

    assert localize_assets(tmp_path) == ["https://cdn.example.org/unknown.js"]

    top, deep = (tmp_path / "index.html").read_text(), nested.read_text()
    assert '<link rel="stylesheet" href="./static/vendor/bootstrap-4.3.1/bootstrap.min.css"/>' in top
    assert '<script src="./static/vendor/popper.js-1.12.9/popper.min.js"></script>' in top  # no SRI attrs
    assert '<img src="./static/images/logo-long.png" alt="GX"/>' in top
    assert "background: url('./static/images/logo-long.png') 0 0;" in top
    assert '<script src="../../../static/vendor/popper.js-1.12.9/popper.min.js"></script>' in deep
    for page in (top, deep):  # links, unknown assets and local scripts stay as they are
        assert '<a href="https://greatexpectations.io">GX</a>' in page
        assert '<script src="https://cdn.example.org/unknown.js"></script>' in page
        assert '<script src="./static/scripts/local.js"></script>' in page
    copied = tmp_path / "static" / "vendor" / "fontawesome-free-6.6.0" / "webfonts" / "fa-solid-900.woff2"
    assert copied.read_bytes() == (VENDOR / "fontawesome-free-6.6.0/webfonts/fa-solid-900.woff2").read_bytes()
    assert not (tmp_path / "static" / "vendor" / "README.md").exists()

    assert localize_assets(tmp_path) == ["https://cdn.example.org/unknown.js"]  # idempotent
    assert (tmp_path / "index.html").read_text() == top


def test_gx_images_map_onto_files_gx_ships_in_its_static_folder():
    static_images = GX_TEMPLATES.parent / "static" / "images"
    assert {name for name in GX_IMAGES.values() if (static_images / name).is_file()} == {"logo-long.png"}


# --- glossary -------------------------------------------------------------------------------------------


def test_glossary_has_one_row_per_crosswalk_row_newest_era_first():
    rows = glossary_rows()
    assert len(rows) == len(read_seed("table_crosswalk")) == 185
    assert [r["era"] for r in rows][:1] == ["std2021"] and rows[-1]["era"] == "pre2019"
    assert [r["era"] for r in rows] == sorted(
        (r["era"] for r in rows), key=("std2021", "std2019", "pre2019").index
    )


def _row(rows, table_id, era, row_key, col_key="*"):
    (row,) = [
        r
        for r in rows
        if (r["table_id"], r["era"], r["row_key"], r["col_key"]) == (table_id, era, row_key, col_key)
    ]
    return row


def test_glossary_rows_pair_label_column_and_meaning_per_era():
    rows = glossary_rows()
    secret = _row(rows, "t3", "std2021", "denied.state_secret")
    assert (secret["gloss_zh"], secret["conformed_measure"], secret["reason"], secret["meaning_zh"]) == (
        "（三）不予公开·1.属于国家秘密",
        "denied",
        "state_secret",
        "不予公开",
    )
    granted = _row(rows, "e0_gb", "pre2019", "replies.granted", "year")
    assert (granted["gloss_zh"], granted["conformed_measure"], granted["mapping_confidence"]) == (
        "2.同意公开答复数",
        "granted",
        "exact",
    )
    assert granted["meaning_zh"] == "予以公开"
    # a pre-2019 category keeps its own measure and says why it is not the 2019+ one
    not_held = _row(rows, "e0_sh", "pre2019", "replies.refused.not_held", "period")
    assert not_held["conformed_measure"] == "refused_pre2019"
    assert not_held["meaning_zh"].startswith("否决公开答复总数（含信息不存在")
    # a table's own era-specific measure has no headline gloss: never another measure's meaning
    new_published = _row(rows, "t2", "std2019", "regulations", "new_published")
    assert (new_published["conformed_measure"], new_published["meaning_zh"]) == ("new_published", "")


def _manifest(description: str) -> dict:
    return {
        "metadata": {"project_name": "nianbao"},
        "nodes": {
            "model.nianbao.report_summary": {
                "columns": {"reconsideration_total": {"description": description}}
            },
            "seed.nianbao.table_crosswalk": {
                "columns": {"mapping_confidence": {"description": "exact: the same concept."}}
            },
        },
    }


def test_glossary_page_shows_each_headline_column_with_its_labels_per_era():
    page = render_glossary(_manifest("Administrative reviews <filed> (行政复议)."))
    (row,) = [r for r in page.split("<tr>") if r.startswith("<td><code>reconsideration_total</code>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[:5] == [
        "<code>reconsideration_total</code>",
        "政府信息公开行政复议",
        "件",
        "<code>fct_appeal</code>",
        "Administrative reviews &lt;filed&gt; (行政复议).",
    ]
    assert cells[5] == cells[6] == "行政复议·总计 <small>(t4)</small>"
    assert cells[7] == (
        "行政复议数 <small>(e0_fj)</small><br>四、行政复议数量 <small>(e0_gb)</small>"
        "<br>行政复议数 <small>(e0_sh)</small>"
    )
    assert "<p>exact: the same concept.</p>" in page
    assert "<tr><td lang='zh'>社会公益组织</td><td><code>social_welfare</code></td></tr>" in page


def test_glossary_page_loads_nothing():
    page = render_glossary(_manifest(""))
    assert "<script" not in page
    assert not EXTERNAL_ASSET.search(page)


# --- nianbao docs on a built warehouse --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A warehouse built from the seeds by the real flow (dbt, GX data docs), as `nianbao build` does."""
    from flows.build_warehouse import build_warehouse

    path = tmp_path_factory.mktemp("docs-build") / "build" / "warehouse.duckdb"
    assert build_warehouse(paths=[str(SEEDS)], warehouse=str(path), workers=1).ok
    return path


@pytest.fixture(scope="module")
def site(built):
    from nianbao.cli import main

    before = (hashlib.sha256(built.read_bytes()).hexdigest(), built.stat().st_mtime_ns)
    assert main(["docs", "--warehouse", str(built)]) == 0
    assert (hashlib.sha256(built.read_bytes()).hexdigest(), built.stat().st_mtime_ns) == before
    docs = built.parent / "docs"
    return DocsSite(docs, docs / "index.html", docs / "glossary.html", built.parent / "data_docs")


@pytest.mark.e2e
def test_docs_writes_dbt_docs_glossary_and_offline_data_docs_beside_the_warehouse(site, built):
    assert site.docs_dir == built.parent / "docs"
    assert sorted(p.name for p in site.docs_dir.iterdir()) == [
        "catalog.json",
        "glossary.html",
        "index.html",
        "manifest.json",
    ]
    manifest = json.loads((site.docs_dir / "manifest.json").read_text())
    catalog = json.loads((site.docs_dir / "catalog.json").read_text())
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False  # dbt docs then load no tracker
    index = site.index.read_text()
    assert '"unique_id": "model.nianbao.report_summary"' in index  # static: manifest inside the page
    # the catalog was read from the warehouse (a copy of it): every mart, with its columns and types
    marts = sorted(
        uid
        for uid, node in manifest["nodes"].items()
        if uid.startswith("model.") and node["schema"] == "marts"
    )
    assert marts and all(uid in catalog["nodes"] for uid in marts)
    summary_cols = catalog["nodes"]["model.nianbao.report_summary"]["columns"]
    assert summary_cols["applications_new"]["type"] == "DOUBLE"
    # every mart column is documented
    undocumented = [
        f"{uid}.{c}"
        for uid in marts
        for c, col in manifest["nodes"][uid]["columns"].items()
        if not col["description"]
    ]
    assert undocumented == []

    glossary = site.glossary.read_text()
    meaning = column_description(manifest, "model.nianbao.report_summary", "applications_new")
    assert meaning.startswith("Disclosure requests newly received this year")
    assert html.escape(meaning) in glossary

    assert site.data_docs == built.parent / "data_docs"
    pages = sorted(site.data_docs.rglob("*.html"))
    assert [p for p in pages if EXTERNAL_ASSET.search(p.read_text())] == []
    assert (site.data_docs / "static" / "vendor" / "jquery-3.7.1" / "jquery.min.js").is_file()


@pytest.mark.e2e
def test_docs_without_a_warehouse_says_so(tmp_path, capsys):
    from nianbao.cli import main

    assert main(["docs", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


@pytest.fixture(scope="module")
def server(site):
    srv = make_server(site)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}"
    srv.shutdown()
    srv.server_close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


@pytest.mark.e2e
def test_server_serves_docs_at_root_and_data_docs_beneath(server, site):
    assert server.startswith("http://127.0.0.1:")
    assert _get(f"{server}/") == (200, site.index.read_bytes())
    assert _get(f"{server}/glossary.html") == (200, site.glossary.read_bytes())
    assert _get(f"{server}/data_docs/index.html") == (200, (site.data_docs / "index.html").read_bytes())
    jquery = "static/vendor/jquery-3.7.1/jquery.min.js"
    assert _get(f"{server}/data_docs/{jquery}") == (200, (VENDOR / "jquery-3.7.1/jquery.min.js").read_bytes())
    assert _get(f"{server}/data_docsx/index.html")[0] == 404
    conn = http.client.HTTPConnection(*server.removeprefix("http://").split(":"), timeout=10)
    conn.request("GET", "/data_docs/../warehouse.duckdb")  # sent as is: never the build folder
    assert conn.getresponse().status == 404
    conn.close()


# --- both sites in headless Chromium, network cut off -------------------------------------------------------


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], env={**os.environ, "HOME": str(home)}
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A page that reaches file:// and the docs server only; every other request is cut and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", server + "/")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    pg = context.new_page()
    pg.blocked = blocked
    yield pg
    context.close()


STYLED_JS = """() => ({
    font: getComputedStyle(document.body).fontFamily,
    icon: getComputedStyle(document.querySelector('i.fas')).fontFamily,
    iconFontLoaded: [...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded'),
})"""


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.e2e
def test_data_docs_index_lists_every_validation_run_offline(page, site):
    page.goto((site.data_docs / "index.html").as_uri())
    page.wait_for_selector(".bootstrap-table tbody tr", timeout=30_000)  # bootstrap-table filled it
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    _shot(page, "data_docs_index.png")
    runs = sorted(
        (t.table, f"{suite.name}.{t.table}") for suite in map(load_suite, STAGES) for t in suite.tables
    )
    # raw_documents reads staging.documents and its payloads view; staging also checks the compound keys of
    # the four tables without a primary key (staging_schema.UNDECLARED_KEYS)
    assert len(runs) == 9
    rows = page.eval_on_selector_all(
        "table.ge-index-page-validation-results-table tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))",
    )
    assert sorted((r[3], r[5]) for r in rows) == runs  # (Asset Name, Expectation Suite), one row per run
    assert f"Showing 1 to {len(runs)} of {len(runs)} rows" in page.inner_text("body")
    styled = page.evaluate(STYLED_JS)
    assert styled["font"].startswith("-apple-system")  # Bootstrap 4's font stack, not the browser default
    assert styled["icon"] == '"Font Awesome 6 Free"' and styled["iconFontLoaded"]
    assert page.blocked == []


@pytest.mark.e2e
def test_a_validation_page_deep_in_the_data_docs_is_styled_offline(page, site):
    (result,) = (site.data_docs / "validations" / "marts" / "marts" / "report_summary").rglob("*.html")
    page.goto(result.as_uri())
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    _shot(page, "data_docs_validation.png")
    styled = page.evaluate(STYLED_JS)
    assert styled["font"].startswith("-apple-system")
    assert styled["iconFontLoaded"]
    (suite,) = [t for t in load_suite("marts").tables if t.table == "marts.report_summary"]
    cells = page.eval_on_selector_all(
        "table tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert ["Evaluated Expectations", str(len(suite.expectations))] in cells
    assert ["Successful Expectations", str(len(suite.expectations))] in cells
    assert page.blocked == []


@pytest.mark.e2e
def test_dbt_docs_show_a_mart_with_its_columns_offline(page, server):
    page.goto(f"{server}/#!/model/model.nianbao.report_summary")
    page.wait_for_function(
        "() => document.body.innerText.includes('applications_carried_over')", timeout=60_000
    )
    _shot(page, "dbt_docs_report_summary.png")
    assert "report_summary" in page.inner_text("h1")
    assert "warehouse.marts.report_summary" in page.inner_text("body")
    assert page.blocked == []  # no tracker, no font, no script from outside


@pytest.mark.e2e
def test_glossary_opens_and_links_to_both_sites(page, server):
    page.goto(f"{server}/glossary.html")
    _shot(page, "glossary.png")
    assert "（三）不予公开·1.属于国家秘密" in page.inner_text("body")
    page.click("text=data docs")
    page.wait_for_selector(".bootstrap-table tbody tr", timeout=30_000)
    assert page.url == f"{server}/data_docs/index.html"
    page.go_back()
    page.click("text=dbt docs")
    page.wait_for_url(f"{server}/index.html**")
    assert page.blocked == []


def test_vendor_folder_is_package_data():
    assert '"data/vendor/**/*"' in (ROOT / "pyproject.toml").read_text()

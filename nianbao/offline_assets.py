"""Pages that work offline: CDN scripts, stylesheets and images rewritten to local copies.

Great Expectations' data docs load jQuery, Bootstrap, bootstrap-table and friends from CDNs, so on a machine
without internet the index lists nothing (bootstrap-table fills it) and every page is unstyled. The same files,
from the npm registry at the versions GX 1.24.1's templates name, are in `nianbao/data/vendor/` (provenance and
licences: its README.md). `localize_assets` copies them into a site and points every `<script src>`,
`<link href>`, `<img src>` and style `url()` at a local copy, relative to the page, so the site works from
`file://` and from any server.

    from nianbao.offline_assets import localize_assets
    left = localize_assets(Path("build/data_docs"))  # [] when every asset is local
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "data" / "vendor"
SITE_VENDOR = Path("static") / "vendor"
"""Where the copies go inside a site (GX keeps its own assets in `static/` too)."""

CDN_ASSETS: dict[str, str] = {
    # URL as great_expectations/render/view/templates/*.j2 write it → file under VENDOR.
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js",
    # GX names 1.19.0's filter-control stylesheet (minified on the index, plain on pages): its rules are
    # 1.19.1's byte for byte (only the version comment differs), so one copy serves both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
    # GX asks for the newest major release; these are the newest of each at vendoring time.
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0/vega-embed.min.js",
}  # fmt: skip

# GX's logo is loaded from its web-assets bucket although GX ships the same file in the site's static/images/.
# It ships no dark-mode logo: the light one stands in (shown on the dark navbar instead of none).
GX_IMAGES: dict[str, str] = {
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": "logo-long.png",
}
SITE_IMAGES = Path("static") / "images"

# A page loads an asset through a script, stylesheet, icon or image tag, or a url() in a style sheet;
# links (<a href>) are navigation, not assets, and stay as they are.
_ASSET_TAG = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"""\burl\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE)
# Subresource-integrity attributes: a file:// page has an opaque origin, so the browser would refuse the
# (identical, see tests/test_docs.py) local copy. The hashes are checked against the copies in the tests.
_SRI_ATTR = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(["']).*?\1)?""", re.IGNORECASE | re.DOTALL)
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def local_copy(url: str) -> Path | None:
    """The site-relative path of the local copy of an external asset URL (its query ignored), else None."""
    bare = url.split("?", 1)[0]
    if bare in CDN_ASSETS:
        return SITE_VENDOR / CDN_ASSETS[bare]
    if bare in GX_IMAGES:
        return SITE_IMAGES / GX_IMAGES[bare]
    return None


def localize_assets(site: Path) -> list[str]:
    """Copy the vendored assets into `site` and rewrite every HTML page under it to load local copies.

    Idempotent (a rewritten page has nothing left to rewrite). Returns the external asset URLs that have no
    local copy, sorted and without repeats: none with GX 1.24.1, and the tests keep it so.
    """
    site = Path(site)
    shutil.copytree(
        VENDOR, site / SITE_VENDOR, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md")
    )
    unknown: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        to_root = Path(os.path.relpath(site, page.parent)).as_posix()

        def relocate(url: str, to_root: str = to_root) -> str | None:
            """The local URL of an external asset, relative to the page; None for anything else."""
            if not _EXTERNAL.match(url):
                return None
            if (copy := local_copy(url)) is None:
                unknown.add(url)
                return None
            return f"{to_root}/{copy.as_posix()}"

        def tag(match: re.Match[str]) -> str:
            found = _URL_ATTR.search(match[0])
            if not found or (url := relocate(found[2])) is None:
                return match[0]
            start, end = found.span(2)
            return _SRI_ATTR.sub("", match[0][:start] + url + match[0][end:])

        def css(match: re.Match[str]) -> str:
            url = relocate(match[2])
            return match[0] if url is None else f"url('{url}')"

        new = _CSS_URL.sub(css, _ASSET_TAG.sub(tag, text))
        if new != text:
            page.write_text(new, encoding="utf-8")
    return sorted(unknown)

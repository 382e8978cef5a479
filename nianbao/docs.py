"""`nianbao docs`: the analysts' documentation, generated into `build/docs/` and served on 127.0.0.1.

    build/docs/index.html      dbt docs: every model, column and test, and the lineage graph (static: the
                               manifest and catalog are inside, so the page works from file:// and offline)
    build/docs/manifest.json,  the same metadata for tools
               catalog.json
    build/docs/glossary.html   Chinese label ↔ column ↔ meaning, per era (nianbao/glossary_page.py)
    build/data_docs/           the build's Great Expectations data docs, with their CDN assets made local

`dbt docs generate` opens the warehouse to read its catalog (column types, row counts), so it runs on a copy
of the published file: the published warehouse is only ever read.

    from nianbao.docs import generate_docs, make_server
    site = generate_docs(Path("build/warehouse.duckdb"))
    make_server(site).serve_forever()
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from nianbao.dbt_build import PROJECT_DIR, TAIL_CHARS, run_dbt
from nianbao.glossary_page import render_glossary
from nianbao.offline_assets import localize_assets

DATA_DOCS_PATH = "/data_docs"
"""Where a served site shows the data docs; the glossary's relative link ../data_docs/ meets it there too."""


class DocsError(RuntimeError):
    """The docs could not be generated (no warehouse, or dbt failed); the message says why."""


@dataclass(frozen=True)
class DocsSite:
    """What `generate_docs` wrote."""

    docs_dir: Path
    index: Path  # dbt docs
    glossary: Path
    data_docs: Path | None  # the build's GX data docs, None when the build wrote none


def generate_docs(
    warehouse: Path, docs_dir: Path | None = None, *, timeout_s: float | None = 600
) -> DocsSite:
    """Write dbt docs and the glossary into `docs_dir` (default: `docs/` beside the warehouse).

    The build's data docs (`data_docs/` beside the warehouse) are made to work offline as well, in case
    they were built before their assets were vendored. Raises `DocsError` when the warehouse is missing or
    `dbt docs generate` fails.
    """
    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise DocsError(f"no warehouse at {warehouse}: run `nianbao build` first")
    docs_dir = Path(docs_dir or warehouse.parent / "docs").resolve()
    with tempfile.TemporaryDirectory(prefix="nianbao-docs-") as tmp:
        copy = Path(tmp) / warehouse.name
        shutil.copyfile(warehouse, copy)  # published files are replaced, never written: a plain copy is whole
        target = Path(tmp) / "target"
        _dbt_docs_generate(copy, target, timeout_s)
        docs_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target / "static_index.html", docs_dir / "index.html")
        for name in ("manifest.json", "catalog.json"):
            shutil.copyfile(target / name, docs_dir / name)
    manifest = json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))
    glossary = docs_dir / "glossary.html"
    glossary.write_text(render_glossary(manifest), encoding="utf-8")
    data_docs = warehouse.parent / "data_docs"
    if (data_docs / "index.html").is_file():
        localize_assets(data_docs)
    else:
        data_docs = None
    return DocsSite(docs_dir, docs_dir / "index.html", glossary, data_docs)


def _dbt_docs_generate(warehouse: Path, target: Path, timeout_s: float | None) -> None:
    """`dbt docs generate --static` on `warehouse` (a copy), artefacts in `target`."""
    returncode, output, timed_out = run_dbt(
        ["docs", "generate", "--static"],
        warehouse=warehouse,
        project_dir=PROJECT_DIR,
        target_dir=target,
        log_dir=target / "logs",
        timeout_s=timeout_s,
    )
    if timed_out:
        raise DocsError(f"dbt docs generate did not finish in {timeout_s}s")
    if returncode != 0 or not (target / "static_index.html").is_file():
        raise DocsError(f"dbt docs generate failed (exit {returncode}):\n{output[-TAIL_CHARS:]}")


class _DocsHandler(SimpleHTTPRequestHandler):
    """Serves the docs folder at /, and the data docs at /data_docs/ when there are any."""

    def __init__(self, *args, data_docs: Path | None, **kwargs) -> None:
        self.data_docs = data_docs
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        rest = path.removeprefix(DATA_DOCS_PATH)
        if self.data_docs is None or rest == path or rest[:1] not in ("", "/", "?", "#"):
            return super().translate_path(path)
        docs_dir, self.directory = self.directory, str(self.data_docs)
        try:
            return super().translate_path(rest or "/")
        finally:
            self.directory = docs_dir

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a page load is dozens of requests."""


def make_server(site: DocsSite, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for the site (not started); port 0 takes a free one (`server.server_address`)."""
    handler = partial(_DocsHandler, directory=str(site.docs_dir), data_docs=site.data_docs)
    return ThreadingHTTPServer((host, port), handler)

"""One synthetic report (bytes + sidecar) per (seed, index), and a corpus of them written to a folder.

Layout: `DIR/reports/<name>` (what `nianbao build DIR/reports` ingests) and `DIR/truth/<name>.truth.json`
beside it, never inside the reports folder, so a build cannot read a sidecar as a report. Each report has
its own generator seeded by `seed/index`: the same seed gives the same bytes, and report i does not
depend on how many came before it.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nianbao.synth import noise as nz
from nianbao.synth import render_docx, render_html, render_markdown, render_pdf, render_text
from nianbao.synth.bodies import draw_body
from nianbao.synth.figures import ERA_YEARS, draw_figures
from nianbao.synth.truth import sidecar
from nianbao.synth.wording import publication_date, report_blocks

FORMATS = {"txt": 0.3, "md": 0.15, "html": 0.37, "docx": 0.1, "pdf": 0.08}
ERAS = {"pre2019": 0.4, "std2019": 0.15, "std2021": 0.45}
REPORTS, TRUTH = "reports", "truth"


@dataclass(frozen=True)
class Synthetic:
    name: str
    data: bytes
    truth: dict


def make_report(seed: int, index: int, formats: dict[str, float] = FORMATS) -> Synthetic:
    rng = random.Random(f"{seed}/{index}")
    fmt = rng.choices(list(formats), weights=list(formats.values()))[0]
    era = rng.choices(list(ERAS), weights=list(ERAS.values()))[0]
    year = rng.randint(*ERA_YEARS[era])
    body = draw_body(rng)
    fig = draw_figures(rng, era, year, body.admin_level)
    published = publication_date(rng, year)
    blocks = report_blocks(rng, body, fig, published)
    noise = nz.Noise()
    if rng.random() < 0.3:
        nz.blank_zeros(rng, blocks, noise)
    if era != "pre2019" and rng.random() < 0.1:
        nz.blank_total_column(blocks, noise)
    if rng.random() < 0.1:
        nz.break_identity(rng, blocks, fig, noise)
    if rng.random() < 0.3:
        nz.split_labels(
            rng,
            blocks,
            " " if fmt in ("txt", "md") else "\n",
            fmt in ("html", "docx") and rng.random() < 0.3,
            noise,
        )
    encoding = "utf-8"
    if fmt in ("txt", "md"):
        data = _text_bytes(rng, fmt, blocks, body.agency, published.isoformat(), noise)
    elif fmt == "html":
        page, encoding = render_html.render(blocks, body.agency, rng.random() < 0.7, rng)
        if rng.random() < 0.08:
            page = _script_noise(rng, page, noise)
        data, encoding = render_html.encode(page, encoding)
    elif fmt == "docx":
        data = render_docx.render(blocks)
    else:
        data = render_pdf.render(blocks)
    name = f"{index:06d}_{body.province[:2]}_{year}_{era}.{fmt}"
    truth = sidecar(
        report_id=f"{seed}/{index}",
        file=name,
        fmt=fmt,
        encoding=encoding,
        body=body,
        fig=fig,
        published=published,
        blocks=blocks,
        noise=noise,
    )
    return Synthetic(name, data, truth)


def _script_noise(rng: random.Random, text: str, noise: nz.Noise) -> str:
    text = nz.traditional(text)
    noise.note("traditional")
    if rng.random() < 0.5:
        text = nz.pinyin(text, rng)
        noise.note("pinyin_mirror")
    return text


def _text_bytes(rng: random.Random, fmt: str, blocks, site: str, published: str, noise: nz.Noise) -> bytes:
    chrome = nz.chrome(site, rng, published) if fmt == "txt" and rng.random() < 0.4 else None
    if chrome:
        noise.note("site_chrome")
    out = (render_text if fmt == "txt" else render_markdown).render(blocks, chrome)
    text = out.text
    if rng.random() < 0.1:
        cut = nz.truncation_point(text, len(text) // 4, rng)
        text = text[:cut]
        for key, (_, end, row_end) in out.cells.items():
            if end > cut:
                noise.cells[key] = ("lost", "truncated")
            elif row_end > cut:
                noise.cells[key] = ("cut_row", "truncated inside its row")
        for _, end, block in out.paras:
            if end > cut and block.facts:
                noise.lost_facts.add(id(block))
        noise.note("truncated", at=cut, of=len(out.text))
    if rng.random() < 0.08:
        text = _script_noise(rng, text, noise)
    return text.encode("utf-8")


def iter_corpus(n: int, seed: int, formats: dict[str, float] = FORMATS) -> Iterator[Synthetic]:
    for i in range(n):
        yield make_report(seed, i, formats)


def write_corpus(n: int, out: Path, seed: int, formats: dict[str, float] = FORMATS) -> dict[str, int]:
    """Write n reports and their sidecars; returns the count per format."""
    (out / REPORTS).mkdir(parents=True, exist_ok=True)
    (out / TRUTH).mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for rep in iter_corpus(n, seed, formats):
        (out / REPORTS / rep.name).write_bytes(rep.data)
        (out / TRUTH / f"{rep.name}.truth.json").write_text(
            json.dumps(rep.truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        counts[rep.truth["format"]] = counts.get(rep.truth["format"], 0) + 1
    return counts


def chosen_formats(names: str | None) -> dict[str, float]:
    """`formats_available(names)` for a command line: an unknown name, or a choice that leaves no format (PDF
    only, without a CJK font), is a ValueError saying so rather than a corpus of something else."""
    unknown = sorted(set(names.split(",")) - FORMATS.keys()) if names else []
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {','.join(FORMATS)}")
    formats = formats_available(names)
    if not formats:
        raise ValueError(f"none of the formats {names} can be written on this machine")
    return formats


def formats_available(names: str | None = None) -> dict[str, float]:
    """The format mix (optionally narrowed to `names`), without PDF when no CJK font can be found."""
    formats = {k: v for k, v in FORMATS.items() if names is None or k in names.split(",")}
    if "pdf" in formats:
        from nianbao.synth.cjk_font import FontMissing, font_path

        try:
            font_path()
        except FontMissing as e:
            print(f"nianbao synth: no PDFs: {e}", file=sys.stderr)
            del formats["pdf"]
    return formats

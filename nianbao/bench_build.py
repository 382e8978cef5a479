"""`nianbao bench --build DIR`: time whole builds the way a user runs them, and compare with the last run.

Three real `nianbao build` runs in child processes on a copy of DIR's file list: a cold build of all but K
files, a no-op rerun, then the K files added (the incremental build). Each run's stage seconds come from its
own `--json` summary; its peak memory is the sum over the build's whole process tree (the flow, Prefect's
ephemeral API server, parse workers, dbt), sampled while it runs, as two figures:
- `peak_rss_mb`, the summed resident set: each process counts every page it maps, so the shared libraries
  and interpreter pages the processes share (Python, DuckDB, pyarrow in every one) count once per process.
  It is what `ps` and `/usr/bin/time -v` show and the issue's target was stated in; an upper bound.
- `peak_pss_mb`, the summed proportional set (a shared page counts 1/n in each of its n processes, so once
  in all): what the tree really holds in RAM, close to what a container's memory limit charges. The two
  differ most when several processes load the same libraries (the parse workers, the API server).
The result is written as `bench-<timestamp>.json` and compared with the newest earlier
file in the same folder: a time, memory or rate that got more than `REGRESSION` worse is listed.
Numbers for notes and regressions; tests check the shape and the comparison, never the timings.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from nianbao.ingest import PDF_SUFFIXES, discover

REGRESSION = 0.20  # a metric more than 20 % worse than the previous run's is reported
SAMPLE_S = 0.1  # RSS sampling interval (/proc/PID/statm: cheap)
PSS_EVERY = (
    5  # PSS every this many samples: smaps_rollup walks every mapping (at 0.1 s it cost ~20 % of a core)
)
# Metrics compared between runs and which way is better.
LOWER_IS_BETTER = ("cold_s", "noop_s", "incremental_s", "peak_rss_mb", "peak_pss_mb", "ingest_parse_s")
HIGHER_IS_BETTER = ("reports_per_s", "ingest_parse_reports_per_s", "pdfs_per_s")


def _tree_memory(proc: psutil.Process, pss: bool) -> tuple[int, int]:
    """(RSS, PSS) bytes of a process and all its descendants right now, each summed over the processes;
    PSS is 0 unless asked for."""
    rss_sum = pss_sum = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            if pss:
                info = p.memory_full_info()  # /proc/PID/smaps_rollup: rss and pss
                pss_sum += getattr(info, "pss", info.rss)  # PSS is Linux's; elsewhere RSS stands in
            else:
                info = p.memory_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss_sum += info.rss
    return rss_sum, pss_sum


def run_build(inputs: Path, warehouse: Path, workers: int | None = None) -> dict[str, Any]:
    """One `nianbao build --json` in a child process: wall seconds, peak tree RSS and PSS, its summary."""
    cmd = [sys.executable, "-m", "nianbao.cli", "build", str(inputs), "--warehouse", str(warehouse), "--json"]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        ps = psutil.Process(proc.pid)
        for tick in itertools.count():
            if done.is_set():
                return
            try:
                rss, pss = _tree_memory(ps, pss=tick % PSS_EVERY == 0)
            except psutil.NoSuchProcess:
                return
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            done.wait(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    start = out.find("\n{")
    summary = json.loads(out[start + 1 :] if start >= 0 else out) if out.strip() else {}
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(peak_rss / 2**20, 1),
        "peak_pss_mb": round(peak_pss / 2**20, 1),
        "exit_code": proc.returncode,
        "ok": bool(summary.get("ok")),
        "up_to_date": bool(summary.get("up_to_date")),
        "documents_new": summary.get("documents_new"),
        "documents_seen": summary.get("documents_seen"),
        "documents_quarantined": summary.get("documents_quarantined"),
        "stage_seconds": summary.get("stage_seconds", {}),
        "stderr_tail": err[-2000:] if proc.returncode else "",
    }


def _rate(n: int | None, seconds: float | None) -> float | None:
    return round(n / seconds, 2) if n and seconds else None


def bench_build(
    corpus: Path, out_dir: Path, add: int = 100, workers: int | None = None, keep: bool = False
) -> dict[str, Any]:
    """Cold build of all but `add` files, a no-op rerun, then the `add` files added; returns the record."""
    files = list(discover([corpus]))
    add = min(add, max(0, len(files) - 1))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    work = out_dir / f"work-{stamp}"
    inputs = work / "input"
    inputs.mkdir(parents=True)
    warehouse = work / "warehouse.duckdb"

    def place(batch: list[Path], offset: int) -> None:
        """Hard links (copies across devices) named by position, so equal names from two folders differ."""
        for i, f in enumerate(batch, start=offset):
            dest = inputs / f"{i:07d}_{f.name}"
            try:
                os.link(f, dest)
            except OSError:
                shutil.copy2(f, dest)

    held, first = files[len(files) - add :] if add else [], files[: len(files) - add]
    place(first, 0)
    try:
        cold = run_build(inputs, warehouse, workers)
        noop = run_build(inputs, warehouse, workers)
        place(held, len(first))
        incremental = run_build(inputs, warehouse, workers) if held else None
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    stages = cold["stage_seconds"]
    ingest_parse = (stages.get("ingest") or 0) + (stages.get("parse") or 0)
    n_pdf = sum(1 for f in first if f.suffix.lower() in PDF_SUFFIXES)
    record = {
        "kind": "nianbao-bench-build",
        "at": stamp,
        "corpus": str(corpus),
        "files": len(first),
        "added": len(held),
        "pdf_files": n_pdf,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "cold": cold,
        "noop": noop,
        "incremental": incremental,
        "metrics": {
            "cold_s": cold["wall_s"],
            "noop_s": noop["wall_s"],
            "incremental_s": incremental["wall_s"] if incremental else None,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in (cold, noop, incremental) if r),
            "peak_pss_mb": max(r["peak_pss_mb"] for r in (cold, noop, incremental) if r),
            "ingest_parse_s": round(ingest_parse, 2),
            "reports_per_s": _rate(cold["documents_seen"], cold["wall_s"]),
            "ingest_parse_reports_per_s": _rate(cold["documents_seen"], ingest_parse),
            # The stages are not split by file type: PDFs per second is over the whole ingest+parse time of a
            # corpus that is all PDFs; a mixed corpus gives None rather than a misleading share.
            "pdfs_per_s": _rate(n_pdf, ingest_parse) if n_pdf and n_pdf == len(first) else None,
        },
    }
    previous = latest_record(out_dir)
    record["previous"] = previous[0].name if previous else None
    record["regressions"] = compare(previous[1]["metrics"], record["metrics"]) if previous else []
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"bench-{stamp}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
    return record


def latest_record(out_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest earlier `bench-*.json` in the folder (by its timestamped name), if any."""
    found = sorted(out_dir.glob("bench-*.json")) if out_dir.is_dir() else []
    return (found[-1], json.loads(found[-1].read_text("utf-8"))) if found else None


def compare(old: dict[str, Any], new: dict[str, Any], threshold: float = REGRESSION) -> list[str]:
    """Each metric that got more than `threshold` worse, as one line (`cold_s 10.0 -> 13.0 (+30%)`)."""
    lines = []
    for name in (*LOWER_IS_BETTER, *HIGHER_IS_BETTER):
        a, b = old.get(name), new.get(name)
        if not a or b is None:
            continue
        change = (b - a) / a
        worse = change if name in LOWER_IS_BETTER else -change
        if worse > threshold:
            lines.append(f"{name} {a:g} -> {b:g} ({change:+.0%})")
    return lines


def exit_code(record: dict[str, Any]) -> int:
    """0 when every build of the bench succeeded."""
    runs = (record["cold"], record["noop"], record["incremental"])
    return 0 if all(r is None or r["exit_code"] == 0 for r in runs) else 1


def render(record: dict[str, Any]) -> str:
    m = record["metrics"]
    cold = record["cold"]
    lines = [
        f"corpus {record['corpus']}: {record['files']} files cold, +{record['added']} incremental",
        f"  cold        {m['cold_s']:.1f}s ({m['reports_per_s']} reports/s)  exit {cold['exit_code']}",
        "  stages      " + " · ".join(f"{k} {v:.1f}s" for k, v in cold["stage_seconds"].items()),
        f"  ingest+parse {m['ingest_parse_s']:.1f}s ({m['ingest_parse_reports_per_s']} reports/s)"
        + (f", {m['pdfs_per_s']} PDFs/s" if m["pdfs_per_s"] else ""),
        f"  no-op       {m['noop_s']:.1f}s  exit {record['noop']['exit_code']}",
    ]
    if record["incremental"]:
        lines.append(
            f"  +{record['added']:<10} {m['incremental_s']:.1f}s  exit {record['incremental']['exit_code']}"
        )
    lines.append(
        f"  peak        RSS {m['peak_rss_mb']:.0f} MB, PSS {m['peak_pss_mb']:.0f} MB (process tree sums)"
    )
    if record["previous"]:
        lines.append(
            f"  vs {record['previous']}: " + ("; ".join(record["regressions"]) or "no regression over 20%")
        )
    return "\n".join(lines)

"""Memory timeline of one `nianbao build`: every process of its tree, RSS every 0.5 s, by build phase.

    python scripts/mem_timeline.py OUT.csv -- build /tmp/syn20k/reports --warehouse /tmp/x/w.duckdb --workers 2

Runs `python -m nianbao.cli <args>` (or, with `--cmd`, any command line), writes OUT.csv (t, pid, role, rss_mb,
and pss_mb every fifth sample) and OUT.csv's `.phases` (the build log's "stage X done" times), then prints each
phase's peak tree RSS and the peak of each role within it. A process's role comes from its command line:
flow (the build's own process), api (Prefect's server), worker (a spawned child: parse workers in the stream,
the GX child after it), dbt, tracker (multiprocessing's resource tracker), other.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

STAGE_DONE = re.compile(r"stage (\w+) done in")


def role(p: psutil.Process, root: int) -> str:
    if p.pid == root:
        return "flow"
    cmd = " ".join(p.cmdline())
    for needle, name in (
        ("uvicorn", "api"),
        ("resource_tracker", "tracker"),
        ("spawn_main", "worker"),
        ("dbt", "dbt"),
    ):
        if needle in cmd:
            return name
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--every", type=float, default=0.5)
    ap.add_argument("--cmd", action="store_true", help="the arguments are a whole command line")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    cmd = args if a.cmd else [sys.executable, "-m", "nianbao.cli", *args]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    phases: list[tuple[float, str]] = []
    log = a.out.with_suffix(".log").open("w")

    def read_log() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            if m := STAGE_DONE.search(line):
                phases.append((time.monotonic() - started, m.group(1)))

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    roles: dict[int, str] = {}
    rows = []
    root = psutil.Process(proc.pid)
    tick = 0
    while proc.poll() is None:
        t = round(time.monotonic() - started, 2)
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in tree:
            try:
                if p.pid not in roles:
                    roles[p.pid] = role(p, root.pid)
                if tick % 5 == 0:
                    info = p.memory_full_info()
                    rows.append((t, p.pid, roles[p.pid], info.rss / 2**20, info.pss / 2**20))
                else:
                    rows.append((t, p.pid, roles[p.pid], p.memory_info().rss / 2**20, None))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        tick += 1
        time.sleep(a.every)
    reader.join()
    log.close()
    with a.out.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("t", "pid", "role", "rss_mb", "pss_mb"))
        w.writerows(
            (t, pid, r, round(rss, 1), None if pss is None else round(pss, 1)) for t, pid, r, rss, pss in rows
        )
    with a.out.with_suffix(".phases").open("w") as f:
        f.writelines(f"{t:.2f}\t{name}\n" for t, name in phases)
    report(rows, phases, proc.returncode)


def report(rows: list[tuple], phases: list[tuple[float, str]], code: int | None) -> None:
    """Per phase: peak of the tree's summed RSS, and each role's peak (per process, and summed)."""
    ends = [(t, name) for t, name in phases if name not in ("ingest",)]  # ingest and parse end together

    def phase_of(t: float) -> str:
        for end, name in ends:
            if t <= end:
                return "stream" if name == "parse" else name
        return "end"

    tree: dict[float, float] = defaultdict(float)
    by_role: dict[tuple[float, str], float] = defaultdict(float)
    per_proc: dict[tuple[str, str], float] = defaultdict(float)
    for t, _pid, r, rss, _pss in rows:
        tree[t] += rss
        by_role[(t, r)] += rss
        per_proc[(phase_of(t), r)] = max(per_proc[(phase_of(t), r)], rss)
    peak: dict[str, tuple[float, float]] = {}
    for t, total in tree.items():
        ph = phase_of(t)
        if total > peak.get(ph, (0, 0))[1]:
            peak[ph] = (t, total)
    print(f"exit {code}; phases: " + ", ".join(f"{n}@{t:.0f}s" for t, n in phases))
    for ph, (t, total) in peak.items():
        at = {r: round(v) for (tt, r), v in by_role.items() if tt == t}
        maxes = {r: round(v) for (p, r), v in per_proc.items() if p == ph}
        print(f"{ph:16s} tree peak {total:7.0f} MB at {t:.0f}s {at}  per-process max {maxes}")


if __name__ == "__main__":
    main()

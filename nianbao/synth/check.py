"""Ground truth against the parser: every figure recovered exactly, or absent with a reason, never wrong.

Per field (a table, a prose measure, a metadata field) it counts `correct`, `wrong` (a value other than the
true one), `unsupported` (a value where the source states none: a blank cell, a measure never written) and
`missed` (a stated figure not recovered). precision = correct / (correct + wrong + unsupported);
recall = correct / (correct + wrong + missed). `python -m nianbao.synth.check --n 100000 --workers 8
--json out.json` streams reports through ingest and parse in chunks over a process pool (each worker keeps
one report at a time, the parent only the counts of a few chunks) and prints the table; `--json` also writes
it, with the reports per second, for a benchmark to keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from nianbao.parse import close_pool, pool_map
from nianbao.synth.corpus import FORMATS, chosen_formats, make_report

OUTCOMES = ("correct", "wrong", "missed", "unsupported")
METADATA = ("agency", "admin_level", "province", "report_year", "published_on", "format_era")
Finding = tuple[str, str, str]  # (field, outcome, detail)
MAX_ERRORS = 200  # wrong/unsupported findings kept as examples (the counts cover all of them)
WAVE = 4  # chunks per worker handed to the pool at a time


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _same_meta(field: str, got: object, want: object) -> bool:
    if (
        field == "agency"
    ):  # a body may be named without its place chain (石家庄市长安区 ⊂ 河北省石家庄市长安区)
        g, w = str(got), str(want)
        return len(g) >= 2 and (g in w or w in g)
    return str(got) == str(want)


def compare(truth: dict, report) -> list[Finding]:
    """Findings for one report; `report` is a ParsedReport, or a string (why it was not parsed)."""
    out: list[Finding] = []
    if isinstance(report, str):
        out += [
            (f"cell:{c['table_id']}", "missed", report) for c in truth["cells"] if c["status"] == "stated"
        ]
        out += [
            (f"prose:{p['measure']}", "missed", report) for p in truth["prose"] if p["status"] == "stated"
        ]
        out += [(f"meta:{f}", "missed", report) for f in METADATA]
        return out
    meta = truth["metadata"]
    for f in METADATA:
        got = getattr(report.metadata, f)
        if got is None:
            out.append((f"meta:{f}", "missed", ""))
        else:
            ok = _same_meta(f, got, meta[f])
            out.append((f"meta:{f}", "correct" if ok else "wrong", "" if ok else f"{got!r} != {meta[f]!r}"))
    parsed = {(c.table, c.row_key, c.col_key): c for c in report.cells}
    truth_cells = {(c["table_id"], c["row_key"], c["col_key"]): c for c in truth["cells"]}
    for key, cell in truth_cells.items():
        field = f"cell:{key[0]}"
        got = parsed.get(key)
        value = got.value_num if got is not None else None
        if value is None:
            if cell["status"] == "stated":
                out.append((field, "missed", f"{key} {got.value_semantic if got else 'not found'}"))
        elif cell["value"] is None:
            out.append(
                (field, "unsupported", f"{key} read {value:g}, source {cell['status']} ({cell['reason']})")
            )
        elif _same_number(value, cell["value"]):
            out.append((field, "correct", ""))
        else:
            out.append((field, "wrong", f"{key} read {value:g} ({got.value_raw!r}), true {cell['value']:g}"))
    for key, got in parsed.items():
        if key not in truth_cells and got.value_num is not None:
            out.append((f"cell:{key[0]}", "unsupported", f"{key} read {got.value_num:g}: no such figure"))
    stated: dict[str, set[float]] = defaultdict(set)
    for p in truth["prose"]:
        stated[p["measure"]].add(p["value"])
    for fact in report.facts:
        accepted = stated.get(fact.measure, set()) | (
            {truth["measures"][fact.measure]} if fact.measure in truth["measures"] else set()
        )
        field = f"prose:{fact.measure}"
        if any(_same_number(fact.value, a) for a in accepted):
            out.append((field, "correct", ""))
        else:
            outcome = "wrong" if accepted else "unsupported"
            out.append(
                (
                    field,
                    outcome,
                    f"{fact.rule_id} read {fact.value:g}, true {sorted(accepted)}: {fact.sentence[:60]}",
                )
            )
    read = defaultdict(set)
    for fact in report.facts:
        read[fact.measure].add(fact.value)
    for p in truth["prose"]:
        if p["status"] == "stated" and not any(
            _same_number(v, p["value"]) for v in read.get(p["measure"], ())
        ):
            out.append((f"prose:{p['measure']}", "missed", ""))
    return out


def parse_one(path: Path, truth: dict) -> list[Finding]:
    from nianbao.ingest import Quarantined, read_document
    from nianbao.parse import NotAReport, parse_text

    doc = read_document(path)
    if isinstance(doc, Quarantined):
        return compare(truth, f"quarantined: {doc.reason_code}")
    try:
        report = parse_text(doc.document_id, doc.normalized_text, doc.grids)
    except NotAReport as e:
        return compare(truth, f"not a report: {e}")
    return compare(truth, report)


def _check_range(
    args: tuple[int, int, int, dict[str, float]],
) -> tuple[Counter, list[tuple[str, Finding]], Counter]:
    """Generate, parse and compare reports [start, stop) in a scratch folder; keep only the counts."""
    seed, start, stop, formats = args
    tally: Counter = Counter()
    errors: list[tuple[str, Finding]] = []
    formats_seen: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="nianbao-synth-") as tmp:
        for i in range(start, stop):
            rep = make_report(seed, i, formats)
            path = Path(tmp) / rep.name
            path.write_bytes(rep.data)
            formats_seen[rep.truth["format"]] += 1
            for finding in parse_one(path, rep.truth):
                tally[finding[0], finding[1]] += 1
                if finding[1] in ("wrong", "unsupported") and len(errors) < MAX_ERRORS:
                    errors.append((rep.name, finding))
            path.unlink()
    return tally, errors, formats_seen


def run(
    n: int, seed: int, formats: dict[str, float] = FORMATS, workers: int = 1, chunk: int = 200, start: int = 0
):
    """Counts over reports [start, start + n) (slices of one corpus add up to a whole run), in chunks of `chunk` over `workers` processes (`parse.pool_map`: spawned, so
    a worker never inherits the parent's PDF fork server). Chunks go out `WAVE` per worker at a time and
    are folded into the counts as each wave returns: memory stays one report per worker plus a few chunks'
    counts, whatever n is."""
    tasks = [(seed, s, min(s + chunk, start + n), formats) for s in range(start, start + n, chunk)]
    wave = max(1, workers) * WAVE
    tally: Counter = Counter()
    errors: list[tuple[str, Finding]] = []
    seen: Counter = Counter()
    try:
        for i in range(0, len(tasks), wave):
            for t, e, f in pool_map(_check_range, tasks[i : i + wave], workers):
                tally.update(t)
                errors.extend(e[: max(0, MAX_ERRORS - len(errors))])
                seen.update(f)
    finally:
        close_pool()
    return tally, errors, seen


def precision_recall(tally: Counter, fields: Iterable[str]) -> tuple[float, float]:
    c = sum(tally[f, "correct"] for f in fields)
    w = sum(tally[f, "wrong"] for f in fields)
    m = sum(tally[f, "missed"] for f in fields)
    u = sum(tally[f, "unsupported"] for f in fields)
    return (c / (c + w + u) if c + w + u else 1.0), (c / (c + w + m) if c + w + m else 1.0)


def summary(tally: Counter) -> dict:
    """Per field and per group (`cell:*`, `prose:*`, `meta:*`, and `figures`: cells and prose together) the
    counts, precision and recall, as `--json` writes them."""
    fields = sorted({f for f, _ in tally})
    groups = {g + "*": [f for f in fields if f.startswith(g)] for g in ("cell:", "prose:", "meta:")}
    groups["figures"] = [f for f in fields if f.startswith(("cell:", "prose:"))]
    out: dict = {"fields": {}, "groups": {}}
    for key, names in [*((f, [f]) for f in fields), *groups.items()]:
        p, r = precision_recall(tally, names)
        counts = {o: sum(tally[f, o] for f in names) for o in OUTCOMES}
        out["fields" if key in fields else "groups"][key] = {**counts, "precision": p, "recall": r}
    return out


def report_table(tally: Counter) -> str:
    stats = summary(tally)
    lines = [f"{'field':34} {'correct':>8} {'wrong':>6} {'missed':>7} {'unsupp':>7} {'P':>6} {'R':>6}"]
    for f, st in stats["fields"].items():
        lines.append(
            f"{f:34} "
            + " ".join(f"{st[o]:>{w}}" for o, w in zip(OUTCOMES, (8, 6, 7, 7), strict=True))
            + f" {st['precision']:6.3f} {st['recall']:6.3f}"
        )
    for group in ("cell:*", "prose:*", "meta:*"):
        st = stats["groups"][group]
        lines.append(f"{group:34} {'':>31} {st['precision']:6.3f} {st['recall']:6.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="index of the first report (a slice of the corpus)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--formats", default=None, help="comma list of txt,md,html,docx,pdf (default: the mix)")
    ap.add_argument("--chunk", type=int, default=200, help="reports per task handed to a worker")
    ap.add_argument("--json", type=Path, default=None, help="also write the counts and rates to this file")
    args = ap.parse_args(argv)
    try:
        formats = chosen_formats(args.formats)
    except ValueError as e:
        print(f"synth.check: {e}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    tally, errors, seen = run(args.n, args.seed, formats, args.workers, args.chunk, args.start)
    secs = time.perf_counter() - t0
    print(report_table(tally))
    for name, (field, outcome, detail) in errors[:50]:
        print(f"  {outcome:11} {field:28} {name}: {detail}")
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(
        f"reports={args.n} formats={dict(seen)} seconds={secs:.1f} ({args.n / secs:.1f} reports/s) "
        f"peak_rss_mb={rss / 1024:.0f}"
    )
    if args.json:
        run_info = {"reports": args.n, "start": args.start, "seed": args.seed, "workers": args.workers}
        run_info["chunk"] = args.chunk
        rates = {"seconds": round(secs, 3), "reports_per_s": round(args.n / secs, 2)}
        examples = [
            {"report": name, "field": field, "outcome": outcome, "detail": detail}
            for name, (field, outcome, detail) in errors[:50]
        ]
        doc = {**run_info, "formats": dict(seen), **rates, "peak_rss_mb": round(rss / 1024), **summary(tally)}
        args.json.write_text(
            json.dumps({**doc, "examples": examples}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    figures, _ = precision_recall(tally, {f for f, _ in tally if f.startswith(("cell:", "prose:"))})
    return 0 if figures == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())

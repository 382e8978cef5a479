"""`nianbao` command line: a thin layer over the library and the `build_warehouse` flow."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from nianbao import failures

DEFAULT_WAREHOUSE = Path("build/warehouse.duckdb")


def _build(args: argparse.Namespace) -> int:
    from nianbao.summary import summary_dict

    paths = [str(p) for p in (args.paths or [Path("seeds")])]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        failure = failures.Failure(failures.INPUT_MISSING, f"no such file or directory: {', '.join(missing)}")
        print(failure.line(), file=sys.stderr)
        return failure.exit_code
    failure = None
    summary = None if args.retry_quarantined else _held_already(paths, args.warehouse.resolve())
    if summary is None:
        # Prefect's ephemeral API cannot create its own home folder
        if home := os.environ.get("PREFECT_HOME"):
            Path(home).expanduser().mkdir(parents=True, exist_ok=True)
        from flows import runners

        runners.quiet_ephemeral_api()  # before Prefect is imported
        if args.dask and not os.environ.get("PREFECT_API_URL"):
            print(
                "nianbao build --dask: set PREFECT_API_URL to a Prefect server the workers reach",
                file=sys.stderr,
            )
            return 2
        api = runners.start_local_api()  # it starts while the flow's modules import
        from flows.build_warehouse import build_warehouse

        flow = (
            build_warehouse.with_options(task_runner=runners.task_runner(args.dask))
            if args.dask
            else build_warehouse
        )
        try:
            if api:
                api.wait()
            summary = flow(
                paths=paths,
                warehouse=str(args.warehouse),
                workers=args.workers,
                retry_quarantined=args.retry_quarantined,
                batch_url=args.batch_url,
                lock_wait_s=args.wait,
            )
        except Exception as e:  # BuildFailed carries the summary; anything else failed before the run began
            failure, summary = failures.from_exception(e), getattr(e, "summary", None)
            if summary is None and failure.cause == failures.FAILED:
                traceback.print_exc()
        finally:
            if api:
                _send_prefect_events()  # the run's last events reach the API before it stops
                api.stop()
    if summary is not None:
        print(
            json.dumps(summary_dict(summary), ensure_ascii=False, indent=2)
            if args.json
            else render_summary(summary)
        )
        failure = failure or failures.from_summary(summary)
    if failure is None:
        return 0
    _send_prefect_events()
    sys.stdout.flush()
    print(failure.line(), file=sys.stderr)  # the last line: what went wrong, and the exit code
    return failure.exit_code


def _send_prefect_events() -> None:
    """Send the run's last Prefect events now: left to the exit hook, a slow send logs "Still processing
    items" after the failure line, which must stay the last line."""
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=60, at_exit=False)


def _held_already(paths: list[str], warehouse: Path):
    """An up-to-date summary when the published warehouse holds every input file (stat cache, same code),
    decided before Prefect, dbt or GX are imported; None when the build must look."""
    import time

    from nianbao import input_cache
    from nianbao.build_policy import new_run_id
    from nianbao.summary import BuildSummary

    started = time.perf_counter()
    held = input_cache.up_to_date(warehouse, paths)
    if not held:
        return None
    return BuildSummary(
        warehouse=str(warehouse),
        run_id=new_run_id(),
        documents_seen=held["files"],
        documents_unchanged=held["files"],
        figures_in_warehouse=held["figures"],
        cells_in_warehouse=held["cells"],
        stage_seconds={"check": round(time.perf_counter() - started, 2)},
        up_to_date=True,
    )


def render_summary(s) -> str:
    lines = [
        "",
        f"nianbao build {'OK' if s.ok else 'FAILED'} (run {s.run_id})",
        f"  documents   seen {s.documents_seen} · new {s.documents_new} · unchanged {s.documents_unchanged}"
        f" · duplicate {s.documents_duplicate} · quarantined {s.documents_quarantined}",
        f"  figures     extracted this run {s.figures_extracted} prose + {s.cells_extracted} table cells"
        f" · in warehouse {s.figures_in_warehouse} + {s.cells_in_warehouse}",
        f"  checks      passed {s.checks_passed} · warned {s.checks_warned} · failed {s.checks_failed}",
        "  stages      " + " · ".join(f"{k} {v:.1f}s" for k, v in s.stage_seconds.items()),
        f"  warehouse   {s.warehouse}"
        + (" (up to date: nothing new, nothing rebuilt)" if s.up_to_date else "")
        + ("" if s.published or s.up_to_date else " (NOT published: previous version kept)"),
    ]
    if s.ocr_pages:
        lines.append(
            f"  ocr         {s.ocr_pages} page(s) · {s.ocr_pages_per_s} pages/s over the ingest stage"
        )
    if s.data_docs:
        lines.append(f"  data docs   {s.data_docs}")
    lines += [f"  warning     {w}" for w in s.warnings[:20]]
    lines += [f"  FAILURE     {f}" for f in s.failures]
    return "\n".join(lines)


def _parse(args: argparse.Namespace) -> int:
    from nianbao.ingest import Document, read_document
    from nianbao.ocr.spans import ocr_line
    from nianbao.parse import NotAReport, parse_text

    doc = read_document(Path(args.file))
    if not isinstance(doc, Document):
        print(json.dumps({"quarantined": asdict(doc)}, ensure_ascii=False, indent=2))
        return 1
    try:
        report = parse_text(doc.document_id, doc.normalized_text, doc.grids)
    except NotAReport as e:
        print(json.dumps({"quarantined": {"reason_code": e.reason, "message": str(e)}}, ensure_ascii=False))
        return 1
    checks = [] if args.no_checks else report_checks(doc, report)
    out = {
        "document_id": doc.document_id,
        "file_type": doc.file_type,
        "encoding": doc.encoding,
        "script": doc.script,
        "metadata": asdict(report.metadata),
        "sections": [asdict(s) for s in report.sections],
        "tables": [asdict(c) for c in report.cells],
        "facts": [
            asdict(f) | {"text": doc.normalized_text[f.span_start : f.span_end], "ocr_line": ocr_line(doc, f)}
            for f in report.facts
        ],
        "checks": checks,
        "issues": [asdict(i) for i in report.issues],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return 0
    m = report.metadata
    print(f"{m.agency} · {m.report_year} · {m.format_era} · {m.admin_level} · {m.province}")
    for f in report.facts:
        print(f"  {f.measure:26} {f.value:>12g} {f.unit}  [{f.rule_id}] {f.sentence[:60]}")
        if (where := ocr_line(doc, f)) is not None:
            print(f"    ocr page {where['page']} bbox {where['bbox']} confidence {where['confidence']:.2f}")
    tables: dict[str, int] = {}
    for c in report.cells:
        tables[c.table] = tables.get(c.table, 0) + 1
    print("  tables: " + (", ".join(f"{t} {n} cells" for t, n in sorted(tables.items())) or "none found"))
    for c in report.cells:
        if c.ocr_confidence is not None:
            print(_ocr_cell_line(c))
    for c in checks:
        if c["status"] != "PASS":
            print(f"  {c['status']:13} {c['check_name']}: {c['detail']}")
    for i in report.issues:
        print(f"  ! {i.code}: {i.message}")
    return 0


def _ocr_cell_line(c) -> str:
    """One OCR'd cell as `nianbao parse` shows it: what was read, how sure, and the first reading if replaced."""
    line = f"    ocr {c.table} {c.row_key}/{c.col_key} {c.value_raw!r} {c.value_semantic} confidence {c.ocr_confidence:.2f}"
    if c.ocr_first_reading is not None:
        line += f" (second reading; first read {c.ocr_first_reading!r})"
    return f"{line}  [{c.rule_id}]"


def report_checks(doc, report) -> list[dict]:
    """Run the warehouse's own check models (dbt) on this one report in a throwaway DuckDB file."""
    import tempfile

    from nianbao.dbt_build import run_dbt_build
    from nianbao.staging import parsed_rows, stage_documents, stage_rows
    from nianbao.warehouse import connect, start_candidate

    with tempfile.TemporaryDirectory(prefix="nianbao-parse-") as tmp:
        wh = start_candidate(Path(tmp) / "warehouse.duckdb", "parse")
        with connect(wh) as con:
            stage_documents(con, [doc])
            stage_rows(con, [doc.document_id], parsed_rows(report, doc.offset_map), [], datetime.now())
        result = run_dbt_build(wh, select="+check_results", target_dir=Path(tmp) / "dbt")
        if not result.success:
            return [{"check_name": "dbt", "status": "ERROR", "detail": result.stderr_tail[-500:]}]
        with connect(wh, read_only=True) as con:
            cur = con.execute(
                "select check_name, left_value, right_value, status, detail from marts.check_results order by 1"
            )
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _quarantine(args: argparse.Namespace) -> int:
    import duckdb

    if not Path(args.warehouse).exists():
        print(f"nianbao quarantine: no warehouse at {args.warehouse}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(args.warehouse), read_only=True)
    try:
        rows = con.execute(
            "select reason_code, stage, source_path, message from staging.quarantine order by reason_code, source_path"
        ).fetchall()
    finally:
        con.close()
    for reason, stage, path, message in rows:
        print(f"{reason:20} {stage:9} {path}  {message.splitlines()[0] if message else ''}")
    print(f"{len(rows)} quarantined")
    return 0


def _schedule_args(args: argparse.Namespace) -> tuple[list[str], str] | None:
    """The inbox folders and warehouse of `serve`/`deploy`; None (after saying why) when an inbox is missing."""
    if home := os.environ.get("PREFECT_HOME"):
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    inbox = [str(p) for p in args.inbox or [Path(os.environ.get("NIANBAO_INBOX", "inbox"))]]
    missing = [p for p in inbox if not Path(p).is_dir()]
    if missing:
        print(f"nianbao {args.command}: no such inbox folder: {', '.join(missing)}", file=sys.stderr)
        return None
    return inbox, str(args.warehouse)


def _serve(args: argparse.Namespace) -> int:
    from flows.serve import local_server, serve

    if not (where := _schedule_args(args)):
        return 2
    if os.environ.get("PREFECT_API_URL"):
        serve(*where, cron=args.cron, interval=args.interval)
        return 0
    with local_server(args.api_port) as url:
        print(f"nianbao serve: Prefect server and UI at {url.removesuffix('/api')}", flush=True)
        os.environ["PREFECT_API_URL"] = url
        serve(*where, cron=args.cron, interval=args.interval)
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from flows.deploy import deploy

    if not (where := _schedule_args(args)):
        return 2
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "nianbao deploy: set PREFECT_API_URL to the Prefect server the work pool lives on",
            file=sys.stderr,
        )
        return 2
    deployment_id = deploy(args.pool, *where, cron=args.cron, interval=args.interval, image=args.image)
    print(
        f"deployment {deployment_id} in work pool {args.pool}: start a worker with `prefect worker start --pool {args.pool}`"
    )
    return 0


def _add_schedule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--inbox",
        type=Path,
        action="append",
        help="folder of report files (repeatable; default $NIANBAO_INBOX or inbox/)",
    )
    p.add_argument(
        "--warehouse", type=Path, default=Path(os.environ.get("NIANBAO_WAREHOUSE_FILE", DEFAULT_WAREHOUSE))
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--cron", default=os.environ.get("NIANBAO_CRON", "0 2 * * *"), help="default: 02:00 daily"
    )
    when.add_argument("--interval", type=float, help="seconds between runs, instead of --cron")


def _bench(args: argparse.Namespace) -> int:
    if args.build:
        from nianbao import bench_build

        record = bench_build.bench_build(args.build, args.out, args.add, args.workers, args.keep)
        print(bench_build.render(record))
        return bench_build.exit_code(record)
    from nianbao.bench import bench, render

    if not args.paths:
        print("nianbao bench: give PATH ... or --build DIR", file=sys.stderr)
        return 2
    print(render(bench(args.paths, repeat=args.repeat)))
    return 0


def _synth(args: argparse.Namespace) -> int:
    from nianbao.synth.corpus import REPORTS, TRUTH, chosen_formats, write_corpus

    try:
        formats = chosen_formats(args.formats)
    except ValueError as e:
        print(f"nianbao synth: {e}", file=sys.stderr)
        return 2
    counts = write_corpus(args.n, args.out, args.seed, formats)
    print(f"nianbao synth: {args.n} reports in {args.out / REPORTS} ({counts}); sidecars: {args.out / TRUTH}")
    return 0


def _bi(args: argparse.Namespace) -> int:
    from nianbao import bi

    s = bi.Superset(venv=args.venv.resolve(), home=args.home.resolve())
    try:
        if args.action in ("setup", "up"):
            print(f"nianbao bi: setting up Superset in {s.home} (venv {s.venv})", flush=True)
            if password := bi.setup(s):
                print(f"nianbao bi: admin user '{bi.ADMIN}', generated password: {password}")
        if args.action in ("import", "up"):
            bi.import_dashboards(s, args.warehouse.resolve())
            print(f"nianbao bi: dashboards of bi/ imported over {args.warehouse.resolve()} (read-only)")
        return bi.serve(s, "127.0.0.1", args.port) if args.action in ("serve", "up") else 0
    except bi.BIError as e:
        print(f"nianbao bi: {e}", file=sys.stderr)
        return 1


def _docs(args: argparse.Namespace) -> int:
    from nianbao.docs import DocsError, generate_docs, make_server

    try:
        site = generate_docs(args.warehouse, args.out)
    except DocsError as e:
        print(f"nianbao docs: {e}", file=sys.stderr)
        return 1
    print(f"dbt docs    {site.index}\nglossary    {site.glossary}")
    if site.data_docs:
        print(f"data docs   {site.data_docs / 'index.html'}")
    if not args.serve:
        return 0
    server = make_server(site, "127.0.0.1", args.port)
    host, port = server.server_address[:2]
    print(f"serving on http://{host}:{port}/ (glossary.html, data_docs/); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="nianbao", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="build or refresh the warehouse from report files",
        epilog="exit codes (a failed build ends with the run summary and one line naming the cause):\n"
        + failures.exit_code_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")
    b.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    b.add_argument("--workers", type=int, default=None, help="parser processes (default: CPU count)")
    b.add_argument("--json", action="store_true", help="print the run summary as JSON")
    b.add_argument("--retry-quarantined", action="store_true", help="try every quarantined input again")
    b.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="ingest and parse on the Dask cluster at ADDRESS, e.g. tcp://scheduler:8786 (env NIANBAO_DASK_ADDRESS)",
    )
    b.add_argument(
        "--batch-url",
        metavar="URL",
        help="where parse batches go (a folder or s3://…; env NIANBAO_BATCH_URL; default: build/runs/<run>)",
    )
    b.add_argument("--wait", nargs="?", type=float, const=None, default=0.0, metavar="SECONDS",
                   help="wait for another build's lock on the warehouse (no SECONDS: as long as it takes)")  # fmt: skip
    b.set_defaults(func=_build)
    y = sub.add_parser("synth", help="write synthetic reports with a JSON sidecar of every true figure")
    y.add_argument("--n", type=int, required=True, help="number of reports")
    y.add_argument("--out", type=Path, required=True, help="reports go to OUT/reports, sidecars to OUT/truth")
    y.add_argument("--seed", type=int, default=0, help="the same seed writes the same bytes")
    y.add_argument("--formats", default=None, help="comma list of txt,md,html,docx,pdf (default: all, mixed)")
    y.set_defaults(func=_synth)
    p = sub.add_parser("parse", help="show what the library extracts from one report")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-checks", action="store_true", help="skip the identity checks (they run dbt: ~8 s)")
    p.set_defaults(func=_parse)
    q = sub.add_parser("quarantine", help="list quarantined inputs and why")
    q.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    q.set_defaults(func=_quarantine)
    s = sub.add_parser("serve", help="serve the build on a schedule from this box (Prefect serve)")
    _add_schedule_options(s)
    s.add_argument(
        "--api-port", type=int, default=4200, help="local Prefect server port if PREFECT_API_URL is unset"
    )
    s.set_defaults(func=_serve)
    d = sub.add_parser("deploy", help="deploy the scheduled build to a Prefect work pool")
    d.add_argument("--pool", required=True, help="work pool name (create it first: prefect work-pool create)")
    d.add_argument(
        "--image", help="the image a Docker work pool runs (built from this repository's Dockerfile)"
    )
    _add_schedule_options(d)
    d.set_defaults(func=_deploy)
    m = sub.add_parser("bench", help="time reading and parsing per document by file type, or whole builds")
    m.add_argument("paths", nargs="*", type=Path)
    m.add_argument("--repeat", type=int, default=3)
    m.add_argument("--build", type=Path, metavar="DIR", help="cold build, no-op rerun, +ADD files: JSON")
    m.add_argument("--add", type=int, default=100, help="files held back for the incremental build (--build)")
    m.add_argument("--out", type=Path, default=Path("build/bench"), help="bench-<time>.json folder (--build)")
    m.add_argument("--workers", type=int, default=None, help="parser processes of the builds (--build)")
    m.add_argument("--keep", action="store_true", help="keep the bench's input links and warehouse (--build)")
    m.set_defaults(func=_bench)
    bi = sub.add_parser("bi", help="dashboards in Apache Superset: set up, import bi/, serve on 127.0.0.1")
    bi.add_argument("action", nargs="?", default="up", choices=["up", "setup", "import", "serve"],
                    help="up (default) = setup + import + serve")  # fmt: skip
    bi.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    bi.add_argument("--home", type=Path, default=Path("build/superset"), help="Superset's metadata and key")
    bi.add_argument("--venv", type=Path, default=Path(".superset-venv"), help="Superset's own venv")
    bi.add_argument("--port", type=int, default=8088)
    bi.set_defaults(func=_bi)
    o = sub.add_parser("docs", help="dbt docs, glossary and data docs in build/docs/; --serve on 127.0.0.1")
    o.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    o.add_argument("--out", type=Path, help="default: docs/ beside the warehouse")
    o.add_argument("--serve", action="store_true", help="serve the site on 127.0.0.1 after generating it")
    o.add_argument("--port", type=int, default=0, help="with --serve; default: a free port")
    o.set_defaults(func=_docs)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

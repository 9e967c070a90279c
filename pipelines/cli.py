"""Command line: `python -m pipelines run [--raw-dir DIR] [--warehouse FILE]`, `drop REPORT_ID`,
`query NAME`. Every report is one partition, materialised through Dagster."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    report_id: str
    ok: bool
    message: str
    run_id: str = ""


def _failure_message(result, report_id: str) -> str:
    """The one line a user sees: a Failure's description (a bad file), else a failed ERROR check's
    description, else the exception's last line (the traceback stays in the Dagster run log)."""
    failures = [ev.step_failure_data for ev in result.all_events if ev.is_step_failure]
    for data in failures:
        if data.user_failure_data and data.user_failure_data.description:
            return data.user_failure_data.description
    for ev in result.get_asset_check_evaluations():
        if not ev.passed and ev.severity.value == "ERROR":
            return ev.description or f"{report_id}.pdf: check {ev.check_name} failed"
    for data in failures:
        err = data.error
        while err is not None and err.cause is not None and "Failure" not in err.cls_name:
            err = err.cause
        last = (err.message if err else "failed").strip().splitlines()[-1:] or ["failed"]
        return f"{report_id}.pdf: {last[0]} (traceback in the Dagster run log)"
    return f"{report_id}.pdf: failed (see the Dagster run logs)"


def run(raw_dir: Path, warehouse_path: Path, workers: int = 0) -> list[Outcome]:
    from . import freshness
    from . import warehouse as wh
    from .definitions import report_job_for
    from .instance import get_instance
    from .partitions import reports_partitions
    from .resources import default_resources

    pdfs = sorted(raw_dir.glob("*.pdf"))
    resources = default_resources(str(raw_dir), str(warehouse_path), workers)
    # Fail at once, before any work, if another process holds the warehouse.
    with wh.connect(warehouse_path) as con:
        wh.ensure_schema(con)
    instance = get_instance()
    keys = [p.stem for p in pdfs]
    existing = set(instance.get_dynamic_partitions(reports_partitions.name))
    new = [k for k in keys if k not in existing]
    if new:
        instance.add_dynamic_partitions(reports_partitions.name, new)
    job = report_job_for(resources)
    outcomes = []
    for key in keys:
        result = job.execute_in_process(
            partition_key=key, instance=instance, raise_on_error=False, tags={"report": key},
            # the user sees one line per report; the full event log stays in the run's storage
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
        failed_checks = [e for e in result.get_asset_check_evaluations()
                         if not e.passed and e.severity.value == "ERROR"]
        if result.success and not failed_checks:
            outcomes.append(Outcome(key, True, "", result.run_id))
        else:
            outcomes.append(Outcome(key, False, _failure_message(result, key), result.run_id))
    freshness.record_runs(warehouse_path, {o.report_id: (raw_dir / f"{o.report_id}.pdf", o.run_id)
                                           for o in outcomes if o.ok},
                          [o.report_id for o in outcomes if not o.ok])
    # Summaries once every report is loaded, so that each of two same-content files names the other.
    with wh.connect(warehouse_path, read_only=True) as con:
        loaded = {r for r, in con.execute("SELECT report_id FROM dim_report").fetchall()}
    for o in outcomes:
        if o.ok:
            o.message = _summary(warehouse_path, o.report_id)
        elif o.report_id in loaded:
            o.message += "; its rows from an earlier run are kept unchanged"
    return outcomes


def _summary(warehouse_path: Path, report_id: str) -> str:
    from . import warehouse as wh

    with wh.connect(warehouse_path, read_only=True) as con:
        pages, = con.execute("SELECT page_count FROM dim_report WHERE report_id = ?", [report_id]).fetchone()
        q = dict(con.execute("SELECT source, count(*) FROM fact_quantity WHERE report_id = ? GROUP BY 1",
                             [report_id]).fetchall())
        t, = con.execute("SELECT count(*) FROM report_table WHERE report_id = ?", [report_id]).fetchone()
        dup = con.execute("SELECT string_agg(b.report_id, ', ') FROM dim_report a JOIN dim_report b "
                          "ON a.sha256 = b.sha256 AND a.report_id <> b.report_id WHERE a.report_id = ?",
                          [report_id]).fetchone()[0]
    line = (f"{report_id}: {pages} pages, {q.get('text', 0) + q.get('table', 0)} quantities "
            f"({q.get('text', 0)} text, {q.get('table', 0)} table), {t} tables")
    if dup:
        line += f"  [same content (sha256) as {dup}: figures counted twice if you sum across reports]"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="materialise every asset for every *.pdf in the raw folder")
    p_run.add_argument("--raw-dir", type=Path, default=REPO / "raw")
    p_run.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "report.duckdb")
    p_run.add_argument("--workers", type=int, default=0, help="page-parsing processes (0 = one per core)")
    p_run.add_argument("--force", action="store_true",
                       help="run every report through Dagster even when nothing changed since its last run")
    p_drop = sub.add_parser("drop", help="delete one report's rows from the warehouse")
    p_drop.add_argument("report_id")
    p_drop.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "report.duckdb")
    from .workbench import add_commands

    add_commands(sub)
    args = parser.parse_args(argv)

    # Tracebacks go to the Dagster logs, not to the user's terminal.
    logging.getLogger("dagster").setLevel(logging.CRITICAL)
    from .warehouse import WarehouseLockedError

    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "drop":
            return _cmd_drop(args)
        return args.func(args)
    except WarehouseLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _cmd_run(args) -> int:
    raw_dir = args.raw_dir.resolve()
    if not raw_dir.is_dir():
        print(f"error: {raw_dir} is not a folder", file=sys.stderr)
        return 2
    from . import warehouse as wh

    # Fail at once, before the slow imports, if another process holds the warehouse.
    with wh.connect(args.warehouse.resolve()):
        pass
    if not args.force:
        from . import freshness

        unchanged = freshness.unchanged_reports(sorted(raw_dir.glob("*.pdf")), args.warehouse.resolve())
        if unchanged is not None:
            return _print_unchanged(args, raw_dir, unchanged)
    outcomes = run(raw_dir, args.warehouse.resolve(), args.workers)

    orphans = _orphans(args.warehouse.resolve(), raw_dir)
    ok = [o for o in outcomes if o.ok]
    bad = [o for o in outcomes if not o.ok]
    print(f"loaded {len(ok)} of {len(outcomes)} report(s) into {args.warehouse}")
    for o in ok:
        print(f"  ok     {o.message}")
    for o in bad:
        print(f"  FAILED {o.message}")
    _print_kept(orphans, raw_dir)
    if not outcomes:
        print(f"  (no *.pdf in {raw_dir})")
    quality_page = args.warehouse.resolve().parent / "quality" / "index.html"
    if outcomes and quality_page.exists():
        from .quality import QualityResource

        QualityResource(warehouse_path=str(args.warehouse.resolve())).build_docs_index()
        _print_quality(quality_page)
    return 0 if not bad else 1


def _orphans(warehouse: Path, raw_dir: Path) -> list[str]:
    from . import warehouse as wh

    with wh.connect(warehouse, read_only=True) as con:
        loaded = {r for r, in con.execute("SELECT report_id FROM dim_report").fetchall()}
    return sorted(loaded - {p.stem for p in raw_dir.glob("*.pdf")})


def _print_unchanged(args, raw_dir: Path, unchanged) -> int:
    """Every report is loaded already from the same content by the same code: no Dagster run."""
    print(f"nothing to do: {len(unchanged)} of {len(unchanged)} report(s) in {args.warehouse} are unchanged "
          "since their last run (same PDF content, extractor, schema and suites); --force runs them again")
    for u in unchanged:
        print(f"  ok     {_summary(args.warehouse.resolve(), u.report_id)}  (loaded by run {u.run_id[:8]})")
    _print_kept(_orphans(args.warehouse.resolve(), raw_dir), raw_dir)
    _print_quality(args.warehouse.resolve().parent / "quality" / "index.html")
    return 0


def _print_kept(orphans: list[str], raw_dir: Path) -> None:
    for r in orphans:
        print(f"  kept   {r}: its PDF is no longer in {raw_dir}; `python -m pipelines drop {r}` removes it")


def _print_quality(quality_page: Path) -> None:
    print(f"data quality: {quality_page} (and the table dq_results)")


def _cmd_drop(args) -> int:
    from . import warehouse as wh

    with wh.connect(args.warehouse.resolve()) as con:
        wh.ensure_schema(con)
        n = wh.drop_report(con, args.report_id)
    if n == 0:
        print(f"error: no report {args.report_id!r} in {args.warehouse}", file=sys.stderr)
        return 1
    from .quality import QualityResource

    QualityResource(warehouse_path=str(args.warehouse.resolve())).forget_report(args.report_id)
    from . import freshness

    freshness.forget(args.warehouse.resolve(), args.report_id)
    print(f"dropped {args.report_id} from {args.warehouse}")
    return 0

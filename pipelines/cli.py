"""Command line: `python -m pipelines run [--raw-dir DIR] [--warehouse FILE]`, `drop REPORT_ID`,
`query NAME`. Every report is one partition, materialised through Dagster."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

from . import cli_env  # noqa: E402 - after the environment defaults above
from .report_ids import Listing, is_safe_id, list_reports, quote, report_id_of, shown  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WAIT = 60.0  # seconds a run or drop waits for another process to release the warehouse


@dataclass
class Outcome:
    report_id: str
    ok: bool
    message: str
    run_id: str = ""
    traceback: str = ""  # the failed steps' tracebacks, printed with --debug


def _error_chain(result):
    """Every error of the run: each failed step's, then the run's own (e.g. a failed import)."""
    for ev in result.all_events:
        err = (ev.step_failure_data.error if ev.is_step_failure else
               getattr(ev.event_specific_data, "error", None) if ev.is_run_failure else None)
        while err is not None:
            yield err
            err = err.cause


def _failure_message(result, report_id: str, file_name: str, warehouse_path: Path) -> str:
    """The one line a user sees: a Failure's description (a bad file), else a failed ERROR check's
    description, else an environment error with its remedy, else the exception's last line (the
    traceback stays in the Dagster run log)."""
    failures = [ev.step_failure_data for ev in result.all_events if ev.is_step_failure]
    for data in failures:
        if data.user_failure_data and data.user_failure_data.description:
            return data.user_failure_data.description
    for ev in result.get_asset_check_evaluations():
        if not ev.passed and ev.severity.value == "ERROR":
            return ev.description or f"{file_name}: check {ev.check_name} failed"
    name = shown(file_name)
    for err in _error_chain(result):
        disk = cli_env.disk_problem(err.message or "", warehouse_path.parent)
        if disk:
            return f"{name}: {disk} (traceback in the Dagster run log)"
    errors = [data.error for data in failures] or list(_error_chain(result))[:1]
    for err in errors:
        while err is not None and err.cause is not None and "Failure" not in err.cls_name:
            err = err.cause
        last = (err.message if err else "failed").strip().splitlines()[-1:] or ["failed"]
        return f"{name}: {last[0]} (traceback in the Dagster run log)"
    return f"{name}: failed (see the Dagster run logs)"


def _tracebacks(result) -> str:
    return "\n".join(f"{err.cls_name}: {err.message}{''.join(getattr(err, 'stack', None) or [])}"
                     for err in _error_chain(result))


# DuckDB's own words when a connection made outside warehouse.connect meets the lock
_LOCK_MESSAGES = ("is locked: it is open in", "Could not set lock on file")


def _lock_failure(result) -> bool:
    return any(err.cls_name == "WarehouseLockedError" or any(m in (err.message or "") for m in _LOCK_MESSAGES)
               for err in _error_chain(result))


def _succeeded(result) -> bool:
    failed_checks = [e for e in result.get_asset_check_evaluations()
                     if not e.passed and e.severity.value == "ERROR"]
    return result.success and not failed_checks


def _step_count(job) -> int:
    try:
        return len(job.graph.nodes)
    except Exception:  # noqa: BLE001 - only the progress display uses it
        return 0


def _run_one(job, instance, report, view, warehouse_path: Path, deadline: float) -> Outcome:
    """One report through the job; again after the warehouse is free, when only its lock failed it
    (another process was loading), until `deadline`."""
    while True:
        run_id = str(uuid.uuid4())
        instance.add_event_listener(run_id, view.on_event)
        view.start_report(report.report_id)
        result = job.execute_in_process(
            partition_key=report.report_id, instance=instance, raise_on_error=False, run_id=run_id,
            tags={"report": report.report_id},
            # the user sees one line per report; the full event log stays in the run's storage
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
        ok = _succeeded(result)
        view.end_report(ok)
        if ok:
            return Outcome(report.report_id, True, "", result.run_id)
        if _lock_failure(result) and time.monotonic() < deadline:
            try:
                with cli_env.connect_waiting(warehouse_path, deadline - time.monotonic()):
                    pass
                continue
            except Exception:  # noqa: BLE001 - still locked: reported as the run's failure below
                pass
        return Outcome(report.report_id, False,
                       _failure_message(result, report.report_id, report.file_name, warehouse_path), result.run_id,
                       _tracebacks(result))


def run(listing: Listing, raw_dir: Path, warehouse_path: Path, workers: int = 0, progress: str = "quiet",
        wait_seconds: float = DEFAULT_WAIT) -> list[Outcome]:
    """Every listed report through Dagster, one run each; refused files fail with their reason."""
    from .definitions import report_job_for
    from .instance import get_instance
    from .partitions import reports_partitions
    from .progress import ProgressView
    from .resources import default_resources

    # Great Expectations is imported in a background thread during the parse (QualityResource.prewarm);
    # sqlalchemy imported by the run's storage at the same moment came out half-initialised
    # ("partially initialized module 'sqlalchemy.orm.exc'"): imported here first, once.
    import sqlalchemy.orm  # noqa: F401

    resources = default_resources(str(raw_dir), str(warehouse_path), workers)
    instance = get_instance()
    keys = [r.report_id for r in listing.reports]
    existing = set(instance.get_dynamic_partitions(reports_partitions.name))
    new = [k for k in keys if k not in existing]
    if new:
        instance.add_dynamic_partitions(reports_partitions.name, new)
    job = report_job_for(resources)
    deadline = time.monotonic() + wait_seconds
    with ProgressView(progress, len(keys), _step_count(job)) as view:
        outcomes = [_run_one(job, instance, r, view, warehouse_path, deadline) for r in listing.reports]
    outcomes += [Outcome(r.report_id, False, r.message) for r in listing.refused]
    _record(warehouse_path, listing, outcomes)
    return outcomes


def _record(warehouse_path: Path, listing: Listing, outcomes: list[Outcome]) -> None:
    from . import freshness

    paths = {r.report_id: r.path for r in listing.reports}
    try:
        freshness.record_runs(warehouse_path, {o.report_id: (paths[o.report_id], o.run_id)
                                               for o in outcomes if o.ok},
                              [o.report_id for o in outcomes if not o.ok and o.report_id])
    except OSError as exc:  # the runs are done and loaded; only the no-op shortcut is lost
        print(f"warning: {cli_env.one_line(exc, freshness.state_path(warehouse_path)) or exc}; "
              "the next run goes through Dagster again", file=sys.stderr)


def _loaded(con) -> dict[str, tuple[str, str]]:
    return {r: (sha, v) for r, sha, v in con.execute(
        "SELECT report_id, sha256, extractor_version FROM dim_report").fetchall()}


def _what_is_there(rid: str, before: dict, after: dict | None) -> str:
    """What the warehouse holds for a report whose run failed, as a clause after its reason."""
    if not rid:
        return ""
    if after is None:
        return "; what the warehouse holds for it could not be read (another process is writing to it)"
    was, now = before.get(rid), after.get(rid)
    if was is None and now is None:
        return "; the warehouse holds no rows of it"
    if was == now:
        return "; its rows from an earlier run are kept unchanged"
    if was is None:
        return "; its rows in the warehouse were loaded meanwhile by another process"
    if now is None:
        return "; its rows were dropped meanwhile by another process"
    return "; its rows in the warehouse were replaced meanwhile by another process"


def _summary(con, report_id: str) -> str:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback of an error")
    common.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="SECONDS",
                        help=f"wait this long for another process to release the warehouse (default {DEFAULT_WAIT:g})")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", parents=[common], help="materialise every asset for every *.pdf in the raw folder")
    p_run.add_argument("--raw-dir", type=Path, default=REPO / "raw")
    p_run.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "report.duckdb")
    p_run.add_argument("--workers", type=int, default=0, help="page-parsing processes (0 = one per core)")
    p_run.add_argument("--force", action="store_true",
                       help="run every report through Dagster even when nothing changed since its last run")
    p_run.add_argument("--quiet", action="store_true", help="no progress: only the summary")
    p_drop = sub.add_parser("drop", parents=[common], help="delete one report's rows from the warehouse")
    p_drop.add_argument("report_id")
    p_drop.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "report.duckdb")
    from .workbench import add_commands

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Tracebacks go to the Dagster logs (or --debug), not to the user's terminal; so do Dagster's
    # notices about its own beta and preview parameters, which the user cannot act on.
    logging.getLogger("dagster").setLevel(logging.CRITICAL)
    if not args.debug:
        warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview)")
    from .warehouse import SchemaVersionError, WarehouseLockedError

    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "drop":
            return _cmd_drop(args)
        return args.func(args)
    except (WarehouseLockedError, SchemaVersionError, cli_env.EnvironmentProblem) as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing more was written (a report being loaded was rolled back)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one line; the traceback with --debug
        if args.debug:
            raise
        print(f"error: {_unexpected(exc, args)}", file=sys.stderr)
        return 2


def _unexpected(exc: BaseException, args) -> str:
    warehouse = getattr(args, "warehouse", None)
    line = cli_env.one_line(exc, warehouse.resolve() if warehouse else Path.cwd())
    if line:
        return line
    if warehouse is not None and not warehouse.resolve().exists():
        return (f"no warehouse at {warehouse.resolve()}; build it with `python -m pipelines run --warehouse "
                f"{quote(str(warehouse))}`, or give --warehouse the right file")
    last = (str(exc).strip().splitlines() or [""])[-1]
    return f"{type(exc).__name__}: {last} (--debug shows the traceback)"


def _check_raw_dir(raw_dir: Path) -> Listing:
    if not raw_dir.is_dir():
        what = "is not a folder" if raw_dir.exists() else "does not exist"
        raise cli_env.EnvironmentProblem(f"{raw_dir} {what}; --raw-dir takes the folder of report PDFs")
    try:
        return list_reports(raw_dir)
    except PermissionError as exc:
        raise cli_env.EnvironmentProblem(f"{raw_dir}: permission denied; make the folder readable "
                                         "(chmod u+rx), or give --raw-dir another folder") from exc


def _cmd_run(args) -> int:
    raw_dir, warehouse = args.raw_dir.resolve(), args.warehouse.resolve()
    listing = _check_raw_dir(raw_dir)
    cli_env.check_warehouse_path(warehouse, "run")
    from . import warehouse as wh

    # Before the slow imports: wait for (or fail on) another process holding the warehouse.
    with cli_env.connect_waiting(warehouse, args.wait) as con:
        wh.ensure_schema(con)
        before = _loaded(con)
    if not args.force:
        unchanged = _unchanged(listing, warehouse)
        if unchanged is not None:
            return _print_unchanged(args, listing, unchanged)
    from .progress import choose_mode

    outcomes = run(listing, raw_dir, warehouse, args.workers, choose_mode(args.quiet), args.wait)
    _print_outcomes(args, listing, outcomes, before)
    if args.debug:
        for o in outcomes:
            if o.traceback:
                print(f"--- {o.report_id} (run {o.run_id}):\n{o.traceback}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


def _unchanged(listing: Listing, warehouse: Path):
    """The no-op check, never fatal: any error means the run goes through Dagster."""
    from . import freshness

    if listing.refused:
        return None
    try:
        return freshness.unchanged_reports([r.path for r in listing.reports], warehouse)
    except Exception:  # noqa: BLE001 - e.g. a loaded PDF became unreadable: Dagster says which
        return None


def _print_outcomes(args, listing: Listing, outcomes: list[Outcome], before: dict) -> None:
    warehouse = args.warehouse.resolve()
    try:
        with cli_env.connect_waiting(warehouse, args.wait, read_only=True, say=lambda _: None) as con:
            after = _loaded(con)
            for o in outcomes:
                if o.ok:
                    o.message = _summary(con, o.report_id)
    except Exception:  # noqa: BLE001 - locked by another process meanwhile: say what is known
        after = None
        for o in outcomes:
            if o.ok:
                o.message = f"{o.report_id}: loaded (run {o.run_id[:8]})"
    for o in outcomes:
        if not o.ok:
            o.message += _what_is_there(o.report_id, before, after)
    ok = [o for o in outcomes if o.ok]
    print(f"loaded {len(ok)} of {len(outcomes)} report(s) into {args.warehouse}")
    for o in ok:
        print(f"  ok     {o.message}")
    for o in outcomes:
        if not o.ok:
            print(f"  FAILED {shown(o.message)}")  # a file name's newline must not split the line
    if after is not None:
        _print_kept(sorted(set(after) - listing.ids), args.raw_dir.resolve())
    if not outcomes:
        print(f"  (no *.pdf in {args.raw_dir.resolve()})")
    quality_page = warehouse.parent / "quality" / "index.html"
    if outcomes and quality_page.exists():
        from .quality import QualityResource

        QualityResource(warehouse_path=str(warehouse)).build_docs_index()
        _print_quality(quality_page)
    if ok:
        _write_report_page(warehouse, args.raw_dir.resolve(), args.quiet)


def _write_report_page(warehouse: Path, raw_dir: Path, quiet: bool) -> None:
    """The analyst's page (outline, charts, largest amounts), rebuilt after the warehouse changed."""
    from .report_page import write_report_page

    try:
        page = write_report_page(warehouse, raw_dir=raw_dir)
    except Exception as exc:  # noqa: BLE001 - the load stands; only the page is missing
        print(f"warning: the report page could not be written: {cli_env.one_line(exc, warehouse) or exc}")
        return
    if not quiet:
        print(f"report page: {page}")


def _print_unchanged(args, listing: Listing, unchanged) -> int:
    """Every report is loaded already from the same content by the same code: no Dagster run."""
    warehouse = args.warehouse.resolve()
    print(f"nothing to do: {len(unchanged)} of {len(unchanged)} report(s) in {args.warehouse} are unchanged "
          "since their last run (same PDF content, extractor, schema and suites); --force runs them again")
    with cli_env.connect_waiting(warehouse, args.wait, read_only=True) as con:
        for u in unchanged:
            print(f"  ok     {_summary(con, u.report_id)}  (loaded by run {u.run_id[:8]})")
        kept = sorted(set(_loaded(con)) - listing.ids)
    _print_kept(kept, args.raw_dir.resolve())
    _print_quality(warehouse.parent / "quality" / "index.html")
    page = warehouse.parent / "report" / "index.html"
    if page.exists() and not args.quiet:
        print(f"report page: {page}")
    return 0


def _print_kept(orphans: list[str], raw_dir: Path) -> None:
    for r in orphans:
        print(f"  kept   {shown(r)}: its PDF is no longer in {raw_dir}; `python -m pipelines drop {quote(r)}` "
              "removes it")


def _print_quality(quality_page: Path) -> None:
    print(f"data quality: {quality_page} (and the table dq_results)")


def _cmd_drop(args) -> int:
    from . import warehouse as wh

    warehouse = args.warehouse.resolve()
    cli_env.check_warehouse_path(warehouse, "drop", must_exist=True)
    rid = args.report_id
    with cli_env.connect_waiting(warehouse, args.wait) as con:
        wh.ensure_schema(con)
        if rid not in _loaded(con) and report_id_of(rid) in _loaded(con):
            rid = report_id_of(rid)  # a file name given (x.pdf, or a name that maps to a slug)
        n = wh.drop_report(con, rid)
    if n == 0:
        print(f"error: no report {args.report_id!r} in {args.warehouse}", file=sys.stderr)
        return 1
    if is_safe_id(rid):  # an unsafe id from an older version must not name a folder to delete
        from .quality import QualityResource

        QualityResource(warehouse_path=str(warehouse)).forget_report(rid)
        from .io_manager import store_for

        store_for(warehouse).forget(rid)
    from . import freshness

    freshness.forget(warehouse, rid)
    _forget_partition(rid)
    print(f"dropped {shown(rid)} from {args.warehouse}")
    return 0


def _forget_partition(report_id: str) -> None:
    """The dropped report leaves the Dagster instance too: the UI stops listing it."""
    from .instance import get_instance
    from .partitions import reports_partitions

    instance = get_instance()
    if instance.has_dynamic_partition(reports_partitions.name, report_id):
        instance.delete_dynamic_partition(reports_partitions.name, report_id)

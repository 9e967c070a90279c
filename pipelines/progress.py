"""Progress of `python -m pipelines run`, driven by the Dagster events of each report's run.

The CLI registers `ProgressView.on_event` as the instance's event listener for a run (the run's
own events: step start, success, failure, materialisations), so nothing in the assets changes.

On a terminal (stderr is a TTY) a `rich` live display shows one line per report: its current
stage, steps done out of the job's steps, the page count once the file is validated, elapsed time.
Anywhere else (CI, a pipe, a log file) it writes plain lines, one per finished step. `--quiet`
writes nothing. Progress goes to stderr: stdout keeps only the summary, as before.
"""
from __future__ import annotations

import os
import sys
import time
from typing import IO


def choose_mode(quiet: bool, stream: IO[str] | None = None) -> str:
    """"quiet", "live" (a terminal) or "plain"."""
    stream = stream or sys.stderr
    if quiet:
        return "quiet"
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return "live" if tty and os.environ.get("TERM", "") != "dumb" else "plain"


def _pages_of(entry) -> int | None:
    """The page count a materialisation reports (report_file's `pages` metadata), if any."""
    ev = entry.dagster_event
    mat = getattr(getattr(ev, "event_specific_data", None), "materialization", None)
    value = getattr((mat.metadata if mat is not None else {}).get("pages"), "value", None)
    return value if isinstance(value, int) else None


class _Report:
    def __init__(self, report_id: str, steps: int):
        self.report_id = report_id
        self.steps = steps
        self.done = 0
        self.running: list[str] = []
        self.pages: int | None = None
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}
        self.finished: float | None = None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def stage(self) -> str:
        if self.finished is not None:
            return "done"
        name = self.running[-1] if self.running else ("starting" if not self.done else "between steps")
        if name == "report_pages" and self.pages:
            return f"report_pages (parsing {self.pages} pages)"
        return name


class ProgressView:
    """Progress of reports run one after another. Use as a context manager around all of them."""

    def __init__(self, mode: str, total_reports: int, steps_per_report: int, stream: IO[str] | None = None):
        self.mode = mode
        self.total = total_reports
        self.steps = max(1, steps_per_report)
        self.stream = stream or sys.stderr
        self.current: _Report | None = None
        self.index = 0
        self._live = None
        self._tasks: dict[str, int] = {}
        self._started: set[str] = set()
        self._own: IO[str] | None = None

    # --- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> ProgressView:
        if self.mode == "plain":
            self.stream = self._terminal()
        if self.mode == "live":
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                       TextColumn, TimeElapsedColumn)

            self._live = Progress(SpinnerColumn(), TextColumn("{task.fields[report]}", style="bold"),
                                  TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("steps"), TimeElapsedColumn(),
                                  console=Console(file=self._terminal(), force_terminal=True), transient=False,
                                  redirect_stdout=False, redirect_stderr=False)
            self._live.start()
        return self

    def _terminal(self) -> IO[str]:
        """The stream (the terminal) on a file descriptor of its own: Dagster captures each step's
        output by redirecting the process's stdout and stderr, which would swallow the display."""
        try:
            self._own = os.fdopen(os.dup(self.stream.fileno()), "w", encoding="utf-8", errors="replace")
            return self._own
        except (AttributeError, OSError, ValueError):  # no real file (a test's stream)
            return self.stream

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.stop()
        if self._own is not None:
            self._own.close()

    def start_report(self, report_id: str) -> None:
        """A report's run begins (again, after a wait for the warehouse: same line, same number)."""
        again = report_id in self._started
        if not again:
            self.index += 1
            self._started.add(report_id)
        self.current = _Report(report_id, self.steps)
        if self._live is not None:
            if again:
                self._live.reset(self._tasks[report_id], description="starting again", completed=0)
                self._live.start_task(self._tasks[report_id])
            else:
                self._tasks[report_id] = self._live.add_task("starting", total=self.steps, report=report_id)
        self._plain("started again after the wait" if again else f"started ({self.index} of {self.total} reports)")

    def end_report(self, ok: bool) -> None:
        r = self.current
        if r is None:
            return
        r.finished = time.monotonic()
        word = "done" if ok else "FAILED"
        if self._live is not None:
            self._live.update(self._tasks[r.report_id], description=word, completed=r.steps if ok else r.done)
            self._live.stop_task(self._tasks[r.report_id])
        self._plain(f"{word} in {r.elapsed:.1f} s ({r.done}/{r.steps} steps)")
        self.current = None

    # --- events -------------------------------------------------------------------------------
    def on_event(self, entry) -> None:
        """The instance's event listener: never raises (progress must not break a run)."""
        try:
            self._on_event(entry)
        except Exception:  # noqa: BLE001 - a display problem is no reason to fail a report
            pass

    def _on_event(self, entry) -> None:
        r, ev = self.current, entry.dagster_event
        if r is None or ev is None:
            return
        step = ev.step_key or ""
        if ev.is_step_start:
            r.running.append(step)
            r.step_started[step] = time.monotonic()
        elif ev.is_step_success or ev.is_step_failure or ev.is_step_skipped:
            if step in r.running:
                r.running.remove(step)
            r.done += 1
            took = time.monotonic() - r.step_started.get(step, r.started)
            word = "done" if ev.is_step_success else ("FAILED" if ev.is_step_failure else "skipped")
            self._plain(f"{step} {word} in {took:.1f} s ({r.done}/{r.steps} steps, {r.elapsed:.1f} s elapsed)")
        elif ev.is_step_materialization:
            pages = _pages_of(entry)
            if pages and r.pages is None:
                r.pages = pages
                self._plain(f"{pages} pages")
        else:
            return
        if self._live is not None:
            self._live.update(self._tasks[r.report_id], description=r.stage(), completed=r.done)

    def _plain(self, text: str) -> None:
        if self.mode == "plain" and self.current is not None:
            print(f"progress {self.current.report_id}: {text}", file=self.stream, flush=True)

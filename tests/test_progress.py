"""Progress of `python -m pipelines run` (issue 15, item 1): plain lines when stderr is not a
terminal, a rich display when it is, nothing with --quiet (stdout keeps its summary lines)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipelines.progress import ProgressView, choose_mode
from tests.pdfgen import Style, make_report

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = [
    ("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
    ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"]),
]


def _event(kind: str, step: str, pages: int | None = None):
    flags = {f"is_step_{k}": k == kind for k in ("start", "success", "failure", "skipped", "materialization")}
    metadata = {"pages": SimpleNamespace(value=pages)} if pages else {}
    data = SimpleNamespace(materialization=SimpleNamespace(metadata=metadata))
    return SimpleNamespace(dagster_event=SimpleNamespace(step_key=step, event_specific_data=data, **flags))


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _feed(view: ProgressView) -> None:
    view.start_report("mini")
    for ev in (_event("start", "report_file"), _event("materialization", "report_file", pages=5),
               _event("success", "report_file"), _event("start", "report_pages"), _event("success", "report_pages"),
               _event("start", "quantities"), _event("failure", "quantities")):
        view.on_event(ev)
    view.end_report(False)


def test_plain_lines_per_step():
    out = io.StringIO()
    with ProgressView("plain", 1, 4, stream=out) as view:
        _feed(view)
    lines = out.getvalue().splitlines()
    assert lines[0] == "progress mini: started (1 of 1 reports)"
    assert lines[1] == "progress mini: 5 pages"
    assert re.fullmatch(r"progress mini: report_file done in \d+\.\d s \(1/4 steps, \d+\.\d s elapsed\)", lines[2])
    assert re.fullmatch(r"progress mini: report_pages done in .* \(2/4 steps, .*", lines[3])
    assert re.fullmatch(r"progress mini: quantities FAILED in .* \(3/4 steps, .*", lines[4])
    assert re.fullmatch(r"progress mini: FAILED in \d+\.\d s \(3/4 steps\)", lines[5])
    assert len(lines) == 6


def test_quiet_writes_nothing():
    out = io.StringIO()
    with ProgressView("quiet", 1, 4, stream=out) as view:
        _feed(view)
    assert out.getvalue() == ""


def test_a_terminal_gets_the_rich_display():
    out = _Tty()
    assert choose_mode(False, out) == "live" and choose_mode(True, out) == "quiet"
    assert choose_mode(False, io.StringIO()) == "plain"
    with ProgressView("live", 1, 4, stream=out) as view:
        _feed(view)
    text = out.getvalue()
    assert "mini" in text and "FAILED" in text and "3/4" in text and "progress mini:" not in text


def test_a_broken_event_never_breaks_the_run():
    view = ProgressView("plain", 1, 4, stream=io.StringIO())
    view.start_report("mini")
    view.on_event(SimpleNamespace())  # no dagster_event attribute at all
    view.on_event(SimpleNamespace(dagster_event=None))


# --- the CLI: a cold run without --quiet (not a TTY), then a forced run with --quiet ----------

@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("progress")
    raw = root / "raw"
    raw.mkdir()
    make_report(raw / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    db = root / "wh" / "report.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(root / "home")}

    def cli(*extra):
        return subprocess.run([sys.executable, "-m", "pipelines", "run", "--raw-dir", str(raw), "--warehouse",
                               str(db), "--workers", "1", *extra], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=600)

    return {"plain": cli(), "quiet": cli("--quiet", "--force"), "db": db}


@pytest.mark.slow
def test_not_a_tty_gets_plain_progress_lines_on_stderr(runs):
    proc = runs["plain"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "progress mini: started (1 of 1 reports)", proc.stderr
    assert any(re.fullmatch(r"progress mini: report_pages done in .* steps, .* elapsed\)", x) for x in lines)
    assert re.fullmatch(r"progress mini: done in \d+\.\d s \((\d+)/\1 steps\)", lines[-1]), lines[-1]
    assert all(x.startswith("progress mini: ") for x in lines)
    assert proc.stdout.splitlines()[0] == f"loaded 1 of 1 report(s) into {runs['db']}"


@pytest.mark.slow
def test_quiet_keeps_the_three_summary_lines(runs):
    proc = runs["quiet"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert len(lines) == 3, proc.stdout
    assert lines[0] == f"loaded 1 of 1 report(s) into {runs['db']}"
    assert re.fullmatch(r"  ok     mini: \d+ pages, \d+ quantities \(\d+ text, \d+ table\), \d+ tables", lines[1])
    assert lines[2] == f"data quality: {runs['db'].parent / 'quality' / 'index.html'} (and the table dq_results)"
    plain = runs["plain"].stdout.splitlines()  # progress never reaches stdout; plain names the report page
    assert plain == lines + [f"report page: {runs['db'].parent / 'report' / 'index.html'}"]

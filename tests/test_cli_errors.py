"""Environment errors (issue 16, item 5) and a busy warehouse (item 1, the CLI side): each exits
non-zero with one line naming the path and the remedy, leaves the warehouse as it was, and shows
no traceback unless --debug. These fail before any Dagster run, so they are fast."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import cli, cli_env
from pipelines import warehouse as wh

REPO = Path(__file__).resolve().parent.parent


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def _nothing_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


def test_a_warehouse_under_a_file(capsys, tmp_path, raw):
    (tmp_path / "afile").write_text("x")
    db = tmp_path / "afile" / "sub" / "report.duckdb"
    rc, out, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    line = _one_error_line(err)
    assert rc == 2 and out == ""
    assert line == (f"error: {db}: {tmp_path / 'afile'} is a file, not a folder; remove it or give "
                    "--warehouse another path")
    assert (tmp_path / "afile").read_text() == "x"


def test_a_warehouse_that_is_a_folder(capsys, tmp_path, raw):
    db = tmp_path / "wh"
    db.mkdir()
    rc, _, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert rc == 2
    assert _one_error_line(err) == (f"error: {db} is a folder; --warehouse takes the database file, such as "
                                    f"{db / 'report.duckdb'}")
    assert _nothing_under(db) == []


def test_a_missing_raw_folder(capsys, tmp_path):
    rc, _, err = _cli(capsys, "run", "--raw-dir", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert rc == 2
    assert _one_error_line(err) == (f"error: {tmp_path / 'nope'} does not exist; --raw-dir takes the folder "
                                    "of report PDFs")
    assert not (tmp_path / "w.duckdb").exists()


def test_drop_on_a_missing_warehouse_creates_none(capsys, tmp_path):
    db = tmp_path / "none" / "report.duckdb"
    rc, out, err = _cli(capsys, "drop", "x", "--warehouse", str(db))
    assert rc == 2 and out == ""
    assert _one_error_line(err) == (f"error: no warehouse at {db} (nothing to drop); build it with "
                                    f"`python -m pipelines run --warehouse {db}`, or give --warehouse the right file")
    assert not (tmp_path / "none").exists()


def test_query_on_a_missing_warehouse_is_one_line_and_creates_none(capsys, tmp_path):
    db = tmp_path / "none" / "report.duckdb"
    names = sorted(p.stem for p in (wh.SQL_DIR / "analysis").glob("*.sql"))
    rc, _, err = _cli(capsys, "query", names[0], "--warehouse", str(db))
    assert rc != 0
    _one_error_line(err)
    assert str(db) in err and not (tmp_path / "none").exists()


def test_a_full_disk_in_the_schema_write_is_one_line(capsys, tmp_path, raw, monkeypatch):
    db = tmp_path / "wh" / "report.duckdb"

    def full(con):
        raise duckdb.IOException(f'IO Error: Could not write file "{db}.wal": No space left on device')

    monkeypatch.setattr(wh, "ensure_schema", full)
    rc, out, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert rc == 2 and out == ""
    assert _one_error_line(err) == (f"error: {db}: the disk is full (no space left on device); free some "
                                    "space, or give --warehouse a path on another disk, then run again")


def test_debug_shows_the_traceback(capsys, tmp_path, raw):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(cli_env.EnvironmentProblem):
        cli.main(["run", "--debug", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "afile" / "w.duckdb")])


def test_an_unexpected_error_is_one_line_without_debug(capsys, tmp_path, raw, monkeypatch):
    monkeypatch.setattr(wh, "ensure_schema", lambda con: (_ for _ in ()).throw(ValueError("bad\nthing")))
    rc, _, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb"))
    assert rc == 2
    assert _one_error_line(err) == "error: ValueError: thing (--debug shows the traceback)"


@pytest.mark.parametrize("errno_text, words", [
    ("[Errno 28] No space left on device: '/x/y'", "/x/y: the disk is full"),
    ("Read-only file system", "/w: the file system is read-only"),
])
def test_disk_problems_inside_a_step_name_the_path(errno_text, words):
    assert cli_env.disk_problem(errno_text, "/w").startswith(words)
    assert cli_env.disk_problem("[Errno 2] No such file or directory: '/a'", "/w") is None


# --- real file systems: a full tmpfs and a read-only one (a private mount namespace) ----------

def _can_mount() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="needs root and unshare -m to mount a tmpfs")


def _cli_in_mount(mount: Path, options: str, setup: str, *args: str) -> subprocess.CompletedProcess:
    script = (f"mount -t tmpfs -o {options} tmpfs {mount} && {setup} "
              f"exec {sys.executable} -m pipelines " + " ".join(f"'{a}'" for a in args))
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "DAGSTER_HOME": str(mount.parent / "home")})


@needs_mount
def test_a_full_disk_is_one_line(tmp_path, raw):
    mount = tmp_path / "disk"
    mount.mkdir()
    fill = f"mkdir {mount}/wh && (dd if=/dev/zero of={mount}/fill bs=4k count=1000 2>/dev/null; true) &&"
    proc = _cli_in_mount(mount, "size=256k", fill, "run", "--raw-dir", str(raw),
                         "--warehouse", str(mount / "wh" / "report.duckdb"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = _one_error_line(proc.stderr)
    assert "the disk is full (no space left on device); free some space" in line, line
    assert str(mount / "wh") in line and proc.stdout == ""


@needs_mount
def test_a_read_only_folder_is_one_line(tmp_path, raw):
    mount = tmp_path / "ro"
    mount.mkdir()
    db = mount / "report.duckdb"
    proc = _cli_in_mount(mount, "ro", "", "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert _one_error_line(proc.stderr) == (
        f"error: {db}: the folder {mount} is not writable (DuckDB writes its journal beside the file); "
        "make it writable, or give --warehouse another path")


# --- a busy warehouse: wait (said once), then one line; or go on once it is free ---------------

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
print("released", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def small_warehouse(tmp_path):
    db = tmp_path / "wh" / "report.duckdb"
    with wh.connect(db) as con:
        wh.ensure_schema(con)
    return db


def _hold(db: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    return holder


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def test_a_busy_warehouse_is_waited_for_then_one_line(small_warehouse, raw):
    db = small_warehouse
    mtime = db.stat().st_mtime_ns
    holder = _hold(db, 60)
    try:
        t0 = time.monotonic()
        proc = _run_cli("run", "--raw-dir", str(raw), "--warehouse", str(db), "--wait", "2")
        seconds = time.monotonic() - t0
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    waiting, error = proc.stderr.splitlines()
    assert waiting == (f"waiting for {db}: another process is writing to it (up to 2 s; --wait SECONDS "
                       "changes that)")
    assert error.startswith(f"error: {db} is locked: it is open in another process (PID {holder.pid}), and "
                            "DuckDB allows one writer at a time (nothing was written)")
    assert error.endswith("; waited 2 s (--wait SECONDS waits longer)")
    assert 2 <= seconds < 15
    assert db.stat().st_mtime_ns == mtime


def test_the_command_goes_on_once_the_warehouse_is_free(small_warehouse):
    holder = _hold(small_warehouse, 1.5)
    try:
        proc = _run_cli("drop", "nothing-here", "--warehouse", str(small_warehouse), "--wait", "30")
    finally:
        holder.stdin.close()
        holder.wait()
    assert proc.stderr.splitlines() == [
        f"waiting for {small_warehouse}: another process is writing to it (up to 30 s; --wait SECONDS changes that)",
        f"error: no report 'nothing-here' in {small_warehouse}"]
    assert proc.returncode == 1


def test_wait_zero_fails_at_once(small_warehouse, raw):
    holder = _hold(small_warehouse, 60)
    try:
        proc = _run_cli("drop", "x", "--warehouse", str(small_warehouse), "--wait", "0")
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 2
    assert _one_error_line(proc.stderr).startswith(f"error: {small_warehouse} is locked")


@pytest.mark.parametrize("before, after, words", [
    ({}, {}, "; the warehouse holds no rows of it"),
    ({"r": ("a", "v")}, {"r": ("a", "v")}, "; its rows from an earlier run are kept unchanged"),
    ({}, {"r": ("a", "v")}, "; its rows in the warehouse were loaded meanwhile by another process"),
    ({"r": ("a", "v")}, {"r": ("b", "v")}, "; its rows in the warehouse were replaced meanwhile by another process"),
    ({"r": ("a", "v")}, None, "; what the warehouse holds for it could not be read"),
])
def test_a_failed_report_says_what_the_warehouse_holds(before, after, words):
    assert cli._what_is_there("r", before, after).startswith(words)


# --- a report whose load met the lock runs again once the warehouse is free --------------------

def _err(cls_name, message, cause=None):
    from types import SimpleNamespace

    return SimpleNamespace(cls_name=cls_name, message=message, cause=cause)


class _FakeResult:
    def __init__(self, locked: bool, run_id: str):
        from types import SimpleNamespace

        self.success, self.run_id = not locked, run_id
        error = _err("DagsterExecutionStepExecutionError", "Error occurred while executing op",
                     _err("WarehouseLockedError", "/w is locked: it is open in another process (PID 1), ..."))
        failure = SimpleNamespace(is_step_failure=True, is_run_failure=False,
                                  step_failure_data=SimpleNamespace(error=error, user_failure_data=None))
        self.all_events = [failure] if locked else []

    def get_asset_check_evaluations(self):
        return []


class _FakeJob:
    def __init__(self, locked_runs: int):
        self.locked_runs, self.calls = locked_runs, 0

    def execute_in_process(self, **kwargs):
        self.calls += 1
        return _FakeResult(self.calls <= self.locked_runs, kwargs["run_id"])


class _FakeInstance:
    def add_event_listener(self, run_id, cb):
        pass


def test_a_report_whose_load_met_the_lock_runs_again(small_warehouse):
    import io

    from pipelines.progress import ProgressView
    from pipelines.report_ids import ReportFile

    report = ReportFile("mini", small_warehouse.parent / "mini.pdf", "mini.pdf")
    job = _FakeJob(locked_runs=1)
    with ProgressView("plain", 1, 3, stream=io.StringIO()) as view:
        outcome = cli._run_one(job, _FakeInstance(), report, view, small_warehouse, time.monotonic() + 30)
    assert job.calls == 2 and outcome.ok

    job = _FakeJob(locked_runs=99)  # still locked at the deadline: the lock is the report's failure
    with ProgressView("quiet", 1, 3) as view:
        outcome = cli._run_one(job, _FakeInstance(), report, view, small_warehouse, time.monotonic() + 0.3)
    assert not outcome.ok and "is locked" in outcome.message and outcome.message.startswith("mini.pdf: ")


@pytest.mark.slow
def test_two_cli_runs_at_once_both_load(tmp_path):
    from tests.pdfgen import Style, make_report
    from tests.test_progress import CHAPTERS

    db = tmp_path / "wh" / "report.duckdb"
    procs = []
    for name in ("one", "two"):
        raw = tmp_path / name
        raw.mkdir()
        make_report(raw / f"{name}.pdf", CHAPTERS, Style(chars_per_line=24))
        # one warehouse, two Dagster homes: two processes writing one SQLite instance at once can
        # meet SQLite's own lock (a known limit, not what this test is about)
        env = {**os.environ, "DAGSTER_HOME": str(tmp_path / f"home-{name}")}
        procs.append(subprocess.Popen([sys.executable, "-m", "pipelines", "run", "--raw-dir", str(raw),
                                       "--warehouse", str(db), "--workers", "1", "--quiet"], cwd=REPO, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        time.sleep(0.5)
    results = [(p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for p in procs]
    for rc, out, err in results:
        assert rc == 0, out + err
        assert "Traceback" not in out + err
    with duckdb.connect(str(db), read_only=True) as con:
        ids = [r for r, in con.execute("SELECT report_id FROM dim_report ORDER BY 1").fetchall()]
    assert ids == ["one", "two"]


@needs_mount
@pytest.mark.slow
def test_a_disk_that_fills_during_the_run_fails_the_report_in_one_line(tmp_path):
    from tests.pdfgen import Style, make_report
    from tests.test_progress import CHAPTERS

    raw = tmp_path / "raw"
    raw.mkdir()
    make_report(raw / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    mount = tmp_path / "disk"
    mount.mkdir()
    db = mount / "wh" / "report.duckdb"
    make_schema = (f"{sys.executable} -c \"from pipelines import warehouse as wh; "
                   f"c = wh.connect('{db}'); con = c.__enter__(); wh.ensure_schema(con); c.__exit__(None, None, None)\"")
    setup = (f"mkdir {mount}/wh && {make_schema} && "
             f"(dd if=/dev/zero of={mount}/fill bs=4k count=10000 2>/dev/null; true) &&")
    proc = _cli_in_mount(mount, "size=3m", setup, "run", "--raw-dir", str(raw), "--warehouse", str(db),
                         "--workers", "1", "--quiet")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[:2] == [
        f"loaded 0 of 1 report(s) into {db}",
        f"  FAILED mini.pdf: {db.parent}: the disk is full (no space left on device); free some space, or give "
        "--warehouse a path on another disk, then run again (traceback in the Dagster run log); the warehouse "
        "holds no rows of it"], proc.stdout
    for line in proc.stderr.splitlines():  # at most the note that the no-op record could not be written
        assert line.startswith("warning: ") and "the disk is full" in line, proc.stderr

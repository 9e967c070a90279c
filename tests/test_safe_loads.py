"""Safe loads: nothing already loaded is ever lost.

2. a report's rows are replaced in one transaction: a fault at any step (injected, or a real
   constraint error in the last insert, or a fault inside a Dagster run) leaves every table as it was;
3. runs are idempotent and deterministic; a renamed file is a new report_id, and the same content
   under two names is reported by its sha256;
4. a warehouse locked by another process fails the run at once, writing nothing;
5. a report whose PDF left raw/ is kept until `python -m pipelines drop REPORT_ID`.

Every test works on its own copy of the warehouse the conftest fixture `report_warehouse` made
(one full run); the copy includes the page cache, so later runs skip pdfplumber.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines import cli
from pipelines import warehouse as wh

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "raw" / "moea-101-achievements.pdf"
RID = "moea-101-achievements"

# ORDER BY of each table's key; tables not listed here are ordered by all their columns.
ORDER = {
    "dim_report": "report_id", "dim_page": "page_key", "dim_section": "section_key", "dim_unit": "unit_key",
    "dim_period": "year", "fact_quantity": "quantity_key", "report_table": "table_key",
    "table_cell": "report_id, table_no, row_no, col_no", "number_mention": "report_id, mention_no",
}
# Tables (and views) rebuilt identically by each run; dq_results is a log of runs (run_id differs).
RUN_LOGS = {"dq_results"}


def snapshot(db: Path, skip: set[str] = frozenset()) -> dict[str, str]:
    """Every table and view, fetched in key order, as text: equal snapshots = identical bytes."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [n for n, in con.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            if name in skip:
                continue
            order = ORDER.get(name, "ALL")
            out[name] = repr(con.execute(f"SELECT * FROM {name} ORDER BY {order}").fetchall())
        for q in sorted((wh.SQL_DIR / "analysis").glob("*.sql")):
            out[f"query:{q.stem}"] = repr(con.execute(q.read_text(encoding="utf-8")).fetchall())
    return out


def report_rows(db: Path, rid: str) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: repr(con.execute(f"SELECT * FROM {t} WHERE report_id = ? ORDER BY {ORDER[t]}", [rid]).fetchall())
                for t in wh.REPORT_TABLES}


def cli_subprocess(*args: str, home: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def cli_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI in this process (so that tests can patch the load); stdout and stderr it printed."""
    capsys.readouterr()
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def site(tmp_path, report_warehouse, monkeypatch):
    """A copy of the loaded warehouse (with its page cache) and a raw folder holding the report."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)  # in-process runs use an ephemeral instance
    shutil.copytree(report_warehouse.parent, tmp_path / "warehouse")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / GOOD.name)
    return {"raw": raw, "db": tmp_path / "warehouse" / report_warehouse.name, "home": tmp_path / "dagster_home",
            "root": tmp_path}


def frames_from_db(db: Path, rid: str) -> dict[str, pd.DataFrame]:
    """The frames replace_report takes, read back from the warehouse: same columns, same values
    (through Arrow, so DECIMALs stay exact Decimals and integer NULLs stay NULL)."""
    import pyarrow as pa

    ints = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype()}

    def read(sql: str) -> pd.DataFrame:
        return con.sql(sql).to_arrow_table().to_pandas(types_mapper=ints.get)

    with duckdb.connect(str(db), read_only=True) as con:
        out = {t: read(f"SELECT * FROM {t} WHERE report_id = '{rid}' ORDER BY {ORDER[t]}")
               for t in wh.REPORT_TABLES}
        for t in wh.SHARED_TABLES:
            out[t] = read(f"SELECT * FROM {t} ORDER BY {ORDER[t]}")
    return out


def renamed(frames: dict[str, pd.DataFrame], old: str, new: str) -> dict[str, pd.DataFrame]:
    """The same report under another report_id (its keys start with the report_id)."""
    out = {}
    for t, df in frames.items():
        df = df.copy()
        for col in ("report_id", "page_key", "section_key", "parent_section_key", "quantity_key", "table_key"):
            if col in df.columns:
                df[col] = df[col].map(lambda v: v if v is None or pd.isna(v) else
                                      (new if v == old else v.replace(f"{old}:", f"{new}:", 1)))
        out[t] = df
    return out


# --- 2. nothing lost --------------------------------------------------------------------------

@pytest.fixture
def two_reports(site):
    """The warehouse holding the report and a second report ("other"), plus frames that would
    change the first report if they were loaded."""
    db = site["db"]
    original = frames_from_db(db, RID)
    with wh.connect(db) as con:
        wh.replace_report(con, "other", renamed(original, RID, "other"))
    changed = {t: df.copy() for t, df in original.items()}
    changed["dim_report"]["title"] = "changed"
    changed["fact_quantity"] = changed["fact_quantity"].iloc[: len(changed["fact_quantity"]) // 2]
    changed["number_mention"] = changed["number_mention"].iloc[1:]
    changed["dim_unit"] = pd.concat([changed["dim_unit"], changed["dim_unit"].iloc[:1].assign(unit_key="x:new")])
    return db, original, changed


def test_a_successful_replace_changes_only_that_report(two_reports):
    db, original, changed = two_reports
    before = snapshot(db)
    other = report_rows(db, "other")
    with wh.connect(db) as con:
        wh.replace_report(con, RID, changed)
    assert report_rows(db, "other") == other
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT title FROM dim_report WHERE report_id = ?", [RID]).fetchone()[0] == "changed"
    with wh.connect(db) as con:  # replacing with the original rows gives the original back
        wh.replace_report(con, RID, original)
    after = snapshot(db)
    assert after.pop("dim_unit") != before.pop("dim_unit")  # shared: the new unit stays (upserted)
    assert after == before


@pytest.mark.parametrize("step", [*wh.SHARED_TABLES, *wh.REPORT_TABLES, "COMMIT"])
def test_an_injected_fault_at_any_step_changes_nothing(two_reports, step):
    db, _, changed = two_reports
    before = snapshot(db)
    with wh.connect(db) as con:
        with pytest.raises(RuntimeError, match=f"injected fault before {step}"):
            wh.replace_report(con, RID, changed, _fail_before=step)
        # the same connection is still usable and sees the old rows
        assert con.execute("SELECT title FROM dim_report WHERE report_id = ?", [RID]).fetchone()[0] != "changed"
    assert snapshot(db) == before


def test_a_real_error_in_the_last_insert_changes_nothing(two_reports):
    db, _, changed = two_reports
    last = wh.REPORT_TABLES[-1]
    broken = dict(changed)
    broken[last] = pd.concat([changed[last], changed[last].iloc[:1]])  # a duplicate primary key
    before = snapshot(db)
    with wh.connect(db) as con:
        with pytest.raises(duckdb.ConstraintException):
            wh.replace_report(con, RID, broken)
    assert snapshot(db) == before


@pytest.mark.slow
def test_a_fault_during_a_dagster_run_keeps_the_previous_rows(site, capsys, monkeypatch):
    db = site["db"]
    with duckdb.connect(str(db)) as con:  # make the loaded rows look stale, so the run reloads them
        con.execute("UPDATE dim_report SET sha256 = 'from-an-earlier-version' WHERE report_id = ?", [RID])
    before = snapshot(db, skip=RUN_LOGS)  # data-quality results of this run are logged, not lost
    monkeypatch.setattr(wh, "replace_report", functools.partial(wh.replace_report, _fail_before="number_mention"))
    rc, out, err = cli_in_process(capsys, "run", "--raw-dir", str(site["raw"]), "--warehouse", str(db))
    assert rc == 1
    assert (f"  FAILED {RID}.pdf: RuntimeError: injected fault before number_mention (traceback in the "
            "Dagster run log); its rows from an earlier run are kept unchanged") in out.splitlines(), out
    assert "Traceback" not in out + err
    assert snapshot(db, skip=RUN_LOGS) == before


# --- 3. idempotent and deterministic; renames and duplicates ----------------------------------

@pytest.mark.slow
def test_running_twice_gives_identical_results(site, capsys):
    db = site["db"]
    first = snapshot(db, skip=RUN_LOGS)
    args = ("run", "--raw-dir", str(site["raw"]), "--warehouse", str(db))
    rc1, out1, _ = cli_in_process(capsys, *args)  # unchanged file: the load is skipped
    assert rc1 == 0, out1
    assert snapshot(db, skip=RUN_LOGS) == first
    # a fresh warehouse beside it (same page cache): transformed and loaded again from scratch
    fresh = db.with_name("fresh.duckdb")
    rc2, out2, _ = cli_in_process(capsys, "run", "--raw-dir", str(site["raw"]), "--warehouse", str(fresh))
    assert rc2 == 0, out2
    assert snapshot(fresh, skip=RUN_LOGS) == first
    assert out1.splitlines()[1:] == out2.splitlines()[1:]  # the same summary (but the warehouse name)


@pytest.mark.slow
def test_rows_replaced_over_old_ones_are_identical_to_a_first_load(site, capsys):
    db = site["db"]
    first = snapshot(db, skip=RUN_LOGS)
    with duckdb.connect(str(db)) as con:  # an earlier extractor's rows: the run must replace them all
        con.execute("UPDATE dim_report SET extractor_version = 'old' WHERE report_id = ?", [RID])
        con.execute("DELETE FROM fact_quantity WHERE report_id = ? AND quantity_key LIKE '%:text:1%'", [RID])
        con.execute("UPDATE dim_section SET title = 'old' WHERE report_id = ?", [RID])
    rc, out, _ = cli_in_process(capsys, "run", "--raw-dir", str(site["raw"]), "--warehouse", str(db))
    assert rc == 0, out
    assert snapshot(db, skip=RUN_LOGS) == first


@pytest.mark.slow
def test_a_renamed_file_is_a_new_report_and_same_content_is_reported(site, capsys):
    db, raw = site["db"], site["raw"]
    (raw / GOOD.name).rename(raw / "moea-101-renamed.pdf")
    rc, out, _ = cli_in_process(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert rc == 0, out
    lines = out.splitlines()
    assert any(line.startswith("  ok     moea-101-renamed: ") and f"[same content (sha256) as {RID}:" in line
               for line in lines), out
    assert (f"  kept   {RID}: its PDF is no longer in {raw}; `python -m pipelines drop {RID}` removes it"
            in lines), out
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT report_id, file_name, sha256 FROM dim_report ORDER BY 1").fetchall()
        n = dict(con.execute("SELECT report_id, count(*) FROM fact_quantity GROUP BY 1").fetchall())
    assert [r[0] for r in rows] == [RID, "moea-101-renamed"]
    assert rows[0][2] == rows[1][2] and rows[1][1] == "moea-101-renamed.pdf"
    assert n[RID] == n["moea-101-renamed"]

    # both names in raw/ at once: each line names the other
    shutil.copy(GOOD, raw / GOOD.name)
    rc, out, _ = cli_in_process(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert rc == 0, out
    ok = sorted(line for line in out.splitlines() if line.startswith("  ok "))
    assert len(ok) == 2, out
    assert "[same content (sha256) as moea-101-renamed:" in ok[0]
    assert f"[same content (sha256) as {RID}:" in ok[1]
    assert "kept" not in out


# --- 4. locked warehouse ----------------------------------------------------------------------

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])           # a write connection: DuckDB's one writer
con.execute("SELECT count(*) FROM dim_report").fetchall()
print("ready", flush=True)
sys.stdin.readline()                        # hold it until the test says so
"""


@pytest.mark.parametrize("command", ["run", "drop"])
def test_a_locked_warehouse_fails_at_once_and_writes_nothing(site, command):
    db = site["db"]
    before = snapshot(db)
    mtime = db.stat().st_mtime_ns
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        args = (["run", "--raw-dir", str(site["raw"])] if command == "run" else ["drop", RID])
        t0 = time.monotonic()
        proc = cli_subprocess(*args, "--warehouse", str(db), "--wait", "0", home=site["home"], timeout=120)
        seconds = time.monotonic() - t0
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"error: {db} is locked: it is open in another process (PID {holder.pid}), "
                                  "and DuckDB allows one writer at a time (nothing was written)"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert seconds < 15, f"took {seconds:.1f} s: the lock must be found before any work"
    assert db.stat().st_mtime_ns == mtime
    assert snapshot(db) == before


# --- 5. removed reports are kept until dropped ------------------------------------------------

@pytest.mark.slow
def test_a_removed_report_is_kept_until_dropped(site, capsys):
    db, raw = site["db"], site["raw"]
    (raw / GOOD.name).unlink()
    before = snapshot(db)
    rc, out, _ = cli_in_process(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db))
    assert rc == 0, out
    assert f"  kept   {RID}: its PDF is no longer in {raw}; `python -m pipelines drop {RID}` removes it" in out
    assert snapshot(db) == before

    # drop removes that report only
    other_frames = renamed(frames_from_db(db, RID), RID, "other")
    with wh.connect(db) as con:
        wh.replace_report(con, "other", other_frames)
        con.execute("INSERT INTO dq_results (run_id, report_id, suite, expectation, severity, success) "
                    "VALUES ('r1', ?, 's', 'e', 'WARN', true), ('r1', 'other', 's', 'e', 'WARN', true)", [RID])
    other = report_rows(db, "other")
    _instance_at(site["home"]).add_dynamic_partitions("reports", [RID])
    proc = cli_subprocess("drop", RID, "--warehouse", str(db), home=site["home"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"dropped {RID} from {db}\n", "")
    # the UI stops listing it, and its stored stages go
    assert not _instance_at(site["home"]).has_dynamic_partition("reports", RID)
    assert not (db.parent / "cache" / "stages" / RID).exists()
    with duckdb.connect(str(db), read_only=True) as con:
        for table in (*wh.REPORT_TABLES, "dq_results"):
            assert con.execute(f"SELECT count(*) FROM {table} WHERE report_id = ?", [RID]).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM dq_results WHERE report_id = 'other'").fetchone()[0] == 1
    assert report_rows(db, "other") == other

    proc = cli_subprocess("drop", RID, "--warehouse", str(db), home=site["home"])
    assert proc.returncode == 1 and proc.stderr == f"error: no report {RID!r} in {db}\n"


def _instance_at(home: Path):
    import dagster as dg

    from pipelines.instance import instance_config

    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(instance_config(), encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))

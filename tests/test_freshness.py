"""A run over reports that are all loaded already, unchanged, answers without a Dagster run; any
change that could alter a row or a check result sends the run through Dagster again."""
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import freshness
from tests.conftest import REPORT_PDF, run_cli

RID = REPORT_PDF.stem


@pytest.fixture
def loaded(tmp_path, report_warehouse):
    """A copy of the loaded warehouse folder (cache, quality page, CLI record) and its raw folder,
    under the Dagster home the fixture's run used."""
    shutil.copytree(report_warehouse.parent, tmp_path / "warehouse")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(REPORT_PDF, raw / REPORT_PDF.name)
    home = report_warehouse.parent.parent / "dagster_home"
    return {"raw": raw, "db": tmp_path / "warehouse" / report_warehouse.name, "home": home}


def _check(site, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(site["home"]))
    return freshness.unchanged_reports(sorted(site["raw"].glob("*.pdf")), site["db"])


def test_an_unchanged_report_needs_no_run(loaded, monkeypatch):
    got = _check(loaded, monkeypatch)
    assert [u.report_id for u in got] == [RID]
    assert got[0].run_id  # the Dagster run that loaded it


def _edit_state(site, **changes):
    path = freshness.state_path(site["db"])
    state = json.loads(path.read_text(encoding="utf-8"))
    state[RID].update(changes)
    path.write_text(json.dumps(state), encoding="utf-8")


@pytest.mark.parametrize("change", [
    "pdf content", "another pdf", "extractor", "suites or quality code", "schema", "dagster home",
    "row deleted", "suite result missing", "failed error", "quality page", "no record",
])
def test_any_change_means_a_run(loaded, monkeypatch, change):
    db, raw = loaded["db"], loaded["raw"]
    if change == "pdf content":  # bytes after %%EOF: still a valid PDF, another sha256
        with open(raw / REPORT_PDF.name, "ab") as fh:
            fh.write(b"\n% edited\n")
    elif change == "another pdf":
        shutil.copy(REPORT_PDF, raw / "another-report.pdf")
    elif change in ("extractor", "schema"):
        _edit_state(loaded, **{"extractor_version" if change == "extractor" else "schema": "old"})
    elif change == "suites or quality code":
        _edit_state(loaded, quality="old")
    elif change == "dagster home":
        monkeypatch.setenv("DAGSTER_HOME", str(loaded["home"].parent / "another_home"))
    elif change == "row deleted":
        with duckdb.connect(str(db)) as con:
            con.execute("DELETE FROM dim_report")
    elif change == "suite result missing":
        with duckdb.connect(str(db)) as con:
            con.execute("DELETE FROM dq_results WHERE suite = 'outline'")
    elif change == "failed error":
        with duckdb.connect(str(db)) as con:
            con.execute("UPDATE dq_results SET success = false WHERE severity = 'ERROR' AND suite = 'pages'")
    elif change == "quality page":
        (db.parent / "quality" / "index.html").unlink()
    elif change == "no record":
        freshness.state_path(db).unlink()
    if change != "dagster home":
        monkeypatch.setenv("DAGSTER_HOME", str(loaded["home"]))
    assert freshness.unchanged_reports(sorted(raw.glob("*.pdf")), db) is None


def _runs(home: Path) -> int:
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        return len(instance.get_run_records())


def _snapshot(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for t, in con.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_type = 'BASE TABLE'").fetchall()]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


@pytest.mark.slow
def test_the_cli_skips_dagster_when_nothing_changed_and_force_runs_again(loaded, tmp_path):
    db, raw = loaded["db"], loaded["raw"]
    home = tmp_path / "dagster_home"  # a copy: the fixture's instance stays as it was
    shutil.copytree(loaded["home"], home)
    env = {"DAGSTER_HOME": str(home)}
    freshness_state = json.loads(freshness.state_path(db).read_text(encoding="utf-8"))
    _edit_state(loaded, dagster_home=str(home.resolve()))
    before, runs = _snapshot(db), _runs(home)

    quiet = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(db), env=env)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    lines = quiet.stdout.splitlines()
    assert lines[0].startswith(f"nothing to do: 1 of 1 report(s) in {db} are unchanged"), quiet.stdout
    assert lines[1].startswith(f"  ok     {RID}: 109 pages, ") and "loaded by run " in lines[1]
    assert lines[2] == f"data quality: {db.parent / 'quality' / 'index.html'} (and the table dq_results)"
    assert _runs(home) == runs and _snapshot(db) == before  # no Dagster run, nothing written

    forced = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(db), "--force", env=env)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert forced.stdout.startswith(f"loaded 1 of 1 report(s) into {db}"), forced.stdout
    assert _runs(home) == runs + 1
    after = json.loads(freshness.state_path(db).read_text(encoding="utf-8"))
    assert after[RID]["run_id"] != freshness_state[RID]["run_id"]  # the record names the new run

"""Bad input: every broken file gets one clear line, fails only its own partition, writes no rows.

The bad files are copies of /work/shared/badpdfs committed under tests/data/badpdfs. The CLI runs
once (module fixture) on a folder holding all of them beside the good report; each test asserts
on that run's output, exit code, warehouse and Dagster run log.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pdfplumber
import pytest

from pipelines.report import errors
from pipelines.report.pages import parse_pages
from pipelines.warehouse import REPORT_TABLES

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "raw" / "moea-101-achievements.pdf"
BAD_DIR = Path(__file__).resolve().parent / "data" / "badpdfs"

# The reason a user reads, in the words (literal here, so that a changed wording shows up).
EXPECTED = {
    "empty.pdf": "empty file: 0 bytes, not a PDF",
    "not-a-pdf.pdf": "not a PDF",
    "truncated-report.pdf": "truncated or damaged PDF",
    "password-example.pdf": "encrypted: a password is needed",
    # one page: a 1753x2338 page image and the 7 characters "2021 3 31" (a date stamp): a scan
    "malformed-from-issue-932.pdf": "no text layer: the PDF is a scan; OCR it first",
    "scanned-no-text-layer.pdf": "no text layer: the PDF is a scan; OCR it first",
    # a readable English text PDF, refused by the blocking check report_kind_recognised
    "federal-register-2020-17221.pdf": "not a Chinese-language document: its text is mostly Latin letters",
}


def test_the_committed_bad_files_are_all_here():
    assert sorted(p.name for p in BAD_DIR.glob("*.pdf")) == sorted(EXPECTED)


# --- the reader alone (fast, no Dagster) ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not n.startswith("federal")))
def test_the_reader_refuses_each_bad_file_with_its_reason(name):
    with pytest.raises(errors.BadReportError) as caught:
        parse_pages(BAD_DIR / name, workers=1)
    assert caught.value.path == name
    assert caught.value.reason == EXPECTED[name]


def test_a_text_pdf_that_is_not_a_report_has_no_chapters():
    from pipelines.report.document import build_document
    from pipelines.report.outline import build_outline

    pages = parse_pages(BAD_DIR / "federal-register-2020-17221.pdf", workers=1)  # readable: no error
    sections, _ = build_outline(build_document(pages))
    assert not [s for s in sections if s.level == 1 and s.chapter_no]


# --- one CLI run over the good report and every bad file --------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory, report_warehouse):
    """`report_warehouse` (conftest) ran the good report once: its stage store spares pdfplumber here;
    the warehouse itself starts empty, so the good report is transformed and loaded in full."""
    root = tmp_path_factory.mktemp("bad_inputs")
    # the stage store (the pages among them), keyed by content: the good report is not parsed again
    shutil.copytree(report_warehouse.parent / "cache" / "stages", root / "warehouse" / "cache" / "stages")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / GOOD.name)
    for p in BAD_DIR.glob("*.pdf"):
        shutil.copy(p, raw / p.name)
    warehouse = root / "warehouse" / "report.duckdb"
    home = root / "dagster_home"
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipelines", "run", "--raw-dir", str(raw),
                           "--warehouse", str(warehouse)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=900)
    return {"proc": proc, "warehouse": warehouse, "home": home, "raw": raw,
            "seconds": time.monotonic() - t0}


def _lines(run) -> list[str]:
    return run["proc"].stdout.splitlines()


@pytest.mark.slow
def test_exit_code_is_non_zero(run):
    assert run["proc"].returncode == 1, run["proc"].stdout + run["proc"].stderr


@pytest.mark.slow
def test_no_traceback_and_no_log_spam(run):
    out, err = run["proc"].stdout, run["proc"].stderr
    assert "Traceback" not in out + err
    for noise in (" - DEBUG - ", " - INFO - ", " - ERROR - ", "dagster - ", "Telemetry", "STEP_FAILURE"):
        assert noise not in out + err, noise
    # stderr is no terminal here: the progress is plain lines, one per step, and nothing else
    assert all(line.startswith("progress ") for line in err.splitlines()), f"stderr was:\n{err}"
    # the summary: a header, then one indented line per file (a closing note may follow)
    assert len([line for line in _lines(run) if line.startswith("  ")]) == 1 + len(EXPECTED), out


@pytest.mark.slow
def test_summary_header_counts_what_loaded(run):
    assert _lines(run)[0] == f"loaded 1 of {1 + len(EXPECTED)} report(s) into {run['warehouse']}"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_has_one_line_naming_it_and_the_reason(run, name):
    mine = [line for line in _lines(run) if name in line]
    assert mine == [f"  FAILED {name}: {EXPECTED[name]}; the warehouse holds no rows of it"], run["proc"].stdout


@pytest.mark.slow
def test_the_good_report_loads_fully(run):
    ok = [line for line in _lines(run) if line.startswith("  ok ")]
    assert len(ok) == 1 and ok[0].startswith("  ok     moea-101-achievements: 109 pages, "), run["proc"].stdout
    with pdfplumber.open(GOOD) as pdf:
        n_pages = len(pdf.pages)
    with duckdb.connect(str(run["warehouse"]), read_only=True) as con:
        assert con.execute("SELECT report_id, page_count FROM dim_report").fetchall() == [
            ("moea-101-achievements", n_pages)]
        assert con.execute("SELECT count(*) FROM dim_page").fetchone()[0] == n_pages
        for table in ("dim_section", "fact_quantity", "report_table", "table_cell", "number_mention"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        chapters = con.execute("SELECT count(*) FROM dim_section WHERE level = 1").fetchone()[0]
        assert chapters >= 12


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_file_writes_no_rows(run, name):
    rid = name.removesuffix(".pdf")
    with duckdb.connect(str(run["warehouse"]), read_only=True) as con:
        for table in REPORT_TABLES:
            n = con.execute(f"SELECT count(*) FROM {table} WHERE report_id = ?", [rid]).fetchone()[0]
            assert n == 0, f"{name} left {n} rows in {table}"


@pytest.mark.slow
def test_the_traceback_is_kept_in_the_dagster_run_log(run):
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(run["home"]))
    try:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"report": "truncated-report"}))
        assert len(runs) == 1
        failures = instance.all_logs(runs[0].run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        assert len(failures) == 1
        data = failures[0].dagster_event.step_failure_data
        assert data.user_failure_data.description == "truncated-report.pdf: truncated or damaged PDF"
        chain, err = [], data.error
        while err is not None:
            chain.append(err)
            err = err.cause
        assert [e.cls_name for e in chain][:2] == ["Failure", "BadReportError"]
        assert any("EOF" in e.message for e in chain) and all(e.stack for e in chain)
    finally:
        instance.dispose()

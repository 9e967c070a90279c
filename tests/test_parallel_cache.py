"""Parallel page parsing and the stage cache change nothing: serial and parallel parse_pages give
equal Page lists in page order, and a warehouse built cold-serial, cold-parallel or from the cache
is identical."""
import shutil

import dagster as dg
from dagster._core.instance.ref import InstanceRef
import duckdb
import pytest

from pipelines.report import errors
from pipelines.report import pages as pages_mod
from pipelines.report.pages import parse_pages
from tests.conftest import REPORT_PDF, run_cli
from tests.pdfgen import Style, Table, make_report

PARAGRAPHS = [
    "1、101 年共推動 13 家廠商執行研究開發計畫，促成藥品開發投資近 3.8 億元，預計未來衍生產值達 120 億元以上。",
    "2、辦理 2012 臺灣購物節，吸引 650 萬以上體驗人次，創造商機 2,707.3 億美元，較 100 年成長 22.35％。",
    "3、輔導 139 萬 307 家商業登記，營業額 3 億 6,300 萬元，成長 3%~4%。",
]
CHAPTERS = [
    ("壹、工業", ["一、產業創新研發", *PARAGRAPHS * 3, "二、充實研發能量", *PARAGRAPHS * 2]),
    ("貳、貿易", ["一、對外貿易概況", *PARAGRAPHS * 3]),
    ("附錄、附表", [Table("附表一 專案辦理情形", ["專案", "件數（件）", "金額（億元）"],
                       [["甲", "3", "0.5"], ["乙", "12", "1,234.5"]])]),
]


@pytest.fixture(scope="module")
def generated_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("generated") / "gen.pdf"
    layout = make_report(path, CHAPTERS, Style(chars_per_line=24, lines_per_page=16))
    assert len(layout["pages"]) >= 8  # enough pages for several chunks per worker
    return path


@pytest.mark.parametrize("n,workers", [(1, 2), (2, 2), (7, 2), (109, 2), (109, 3), (16, 4), (3, 8)])
def test_chunks_cover_every_page_once_in_order(n, workers):
    chunks = pages_mod._chunks("x.pdf", n, workers)
    covered = [i for _, a, b in chunks for i in range(a, b)]
    assert covered == list(range(n))
    assert all(b > a for _, a, b in chunks)


def test_parallel_equals_serial_on_a_generated_report(generated_pdf):
    serial = parse_pages(generated_pdf, workers=1)
    assert [p.index for p in serial] == list(range(len(serial)))
    assert parse_pages(generated_pdf, workers=2) == serial
    assert parse_pages(generated_pdf, workers=3) == serial
    assert any(p.tables for p in serial) and all(p.lines for p in serial)


BAD_DIR = REPORT_PDF.parent.parent / "tests" / "data" / "badpdfs"


def _outcome(path, workers):
    try:
        return parse_pages(path, workers=workers)
    except errors.BadReportError as exc:
        return (type(exc), exc.path, exc.reason, exc.detail)


@pytest.mark.parametrize("path", sorted(BAD_DIR.glob("*.pdf")), ids=lambda p: p.name)
def test_parallel_and_serial_agree_on_bad_files(path):
    """The same refusal (or the same pages) whichever path reads the file."""
    assert _outcome(path, 2) == _outcome(path, 1)


@pytest.mark.slow
def test_parallel_equals_serial_on_the_report(report_pdf):
    serial = parse_pages(report_pdf, workers=1)
    parallel = parse_pages(report_pdf, workers=2)
    assert len(serial) == 109
    assert parallel == serial


def _tables(path) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted; run_id (which names the Dagster run) left out."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r for r, in con.execute("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        for t in names:
            cols = [c for c, in con.execute("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = ? ORDER BY ordinal_position", [t]).fetchall()
                    if c != "run_id"]
            sel = ", ".join(f'"{c}"' for c in cols)
            out[t] = con.execute(f"SELECT {sel} FROM {t} ORDER BY ALL").fetchall()
    return out


@pytest.mark.slow
def test_serial_parallel_and_cached_runs_build_the_same_warehouse(tmp_path, report_pdf):
    """Three CLI runs: cold serial (its own folder), cold parallel (another folder), then a new
    warehouse file beside the parallel one, so that it starts empty but shares its cache."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(REPORT_PDF, raw / REPORT_PDF.name)
    home = tmp_path / "dagster_home"
    env = {"DAGSTER_HOME": str(home)}
    serial = tmp_path / "serial" / "report.duckdb"
    parallel = tmp_path / "parallel" / "report.duckdb"
    cached = tmp_path / "parallel" / "second.duckdb"
    for wh, workers in [(serial, "1"), (parallel, "2"), (cached, "2")]:
        result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(wh), "--workers", workers, env=env)
        assert result.returncode == 0, result.stdout + result.stderr

    # the third run took its pages from the stage cache (no parse)
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        ev = instance.get_latest_materialization_event(dg.AssetKey("report_pages"))
        assert ev.asset_materialization.metadata["reused"].value is True
    assert (tmp_path / "serial" / "cache" / "stages").is_dir()  # a new warehouse folder starts cold

    want = _tables(serial)
    assert want["dim_report"] and want["fact_quantity"] and want["dim_page"]
    assert _tables(parallel) == want
    assert _tables(cached) == want

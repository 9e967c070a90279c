"""A real report of the family made by others (the Executive Yuan's 2025 oral policy report, a Word
PDF) through the CLI, scored against two readers' gold with a copy of ../shared/tools/score_real.py:
every quantity found (its preface included), none made up, and the years a reader would state."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
REAL = HERE / "data" / "real"
EY = REAL / "ey-premier-oral-policy-report-2025.pdf"
EY_GOLD = REAL / "ey-premier-oral-policy-report-2025.jsonl"


@pytest.fixture(scope="module")
def ey_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ey")
    (root / "raw").mkdir()
    shutil.copy(EY, root / "raw" / EY.name)
    warehouse = root / "warehouse" / "report.duckdb"
    result = run_cli("run", "--raw-dir", str(root / "raw"), "--warehouse", str(warehouse),
                     env={"DAGSTER_HOME": str(root / "dagster_home")})
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def score(warehouse: Path, gold: Path) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "score_real.py"), str(warehouse), str(gold)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[0])


@pytest.mark.slow
def test_every_quantity_of_the_real_report_is_found_and_none_made_up(ey_warehouse):
    s = score(ey_warehouse, EY_GOLD)
    assert s["recall"] >= 0.99 and s["precision"] >= 0.99, s


@pytest.mark.slow
def test_the_years_agree_with_the_readers(ey_warehouse):
    s = score(ey_warehouse, EY_GOLD)
    assert s["years_compared"] >= 20 and s["year_agreement"] >= 0.97, s


@pytest.mark.slow
def test_the_report_names_itself_and_its_preface_is_body_text(ey_warehouse):
    import duckdb

    con = duckdb.connect(str(ey_warehouse), read_only=True)
    who = con.execute("SELECT title, issuer, report_kind, report_year FROM dim_report").fetchone()
    front = con.execute("SELECT count(*) FROM v_quantities WHERE section_path = '前言' AND chapter_no IS NULL"
                        ).fetchone()[0]
    con.close()
    assert who == ("行政院施政報告", "行政院", "施政報告", 2025)
    assert front >= 13  # the headline figures of the year: GDP growth, GDP, unemployment …

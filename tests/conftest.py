import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parent.parent
REPORT_PDF = REPO / "raw" / "moea-101-achievements.pdf"
DATA = Path(__file__).resolve().parent / "data"


def run_cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m pipelines ...` as a user runs it, with an isolated DAGSTER_HOME if none is given."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory) -> Path:
    """The real report run once through the CLI (Dagster, checks, load) into a fresh warehouse."""
    if not REPORT_PDF.exists():
        pytest.skip("raw/moea-101-achievements.pdf is missing")
    root = tmp_path_factory.mktemp("report_run")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(REPORT_PDF, raw / REPORT_PDF.name)
    warehouse = root / "warehouse" / "report.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse),
                     env={"DAGSTER_HOME": str(root / "dagster_home")})
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse

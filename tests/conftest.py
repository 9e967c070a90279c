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


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory):
    """Tests never write runs into the repo's `.dagster_home/` (the one `make ui` shows): a test that
    names no DAGSTER_HOME gets this session's own."""
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("dagster_home"))


def run_cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m pipelines ...` as a user runs it (DAGSTER_HOME: the session's, unless `env` names one)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


FULL_REPORT_FIXTURES = {"report_pdf", "report_warehouse"}


def pytest_collection_modifyitems(items):
    """A test that reads the whole report is `full_report`, so `make test-fast` can leave it out."""
    for item in items:
        if FULL_REPORT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.full_report)


@pytest.fixture(scope="session")
def report_pdf() -> Path:
    """The real MOEA report, committed in raw/: a missing copy fails the test, it never skips it."""
    if not REPORT_PDF.is_file():
        pytest.fail(f"{REPORT_PDF.relative_to(REPO)} is missing: restore it with `git checkout -- raw/`")
    return REPORT_PDF


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory, report_pdf) -> Path:
    """The real report run once through the CLI (Dagster, checks, load) into a fresh warehouse."""
    root = tmp_path_factory.mktemp("report_run")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(REPORT_PDF, raw / REPORT_PDF.name)
    warehouse = root / "warehouse" / "report.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse),
                     env={"DAGSTER_HOME": str(root / "dagster_home")})
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse

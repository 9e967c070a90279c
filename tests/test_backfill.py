"""A backfill of four reports at once, as the UI launches it: a Dagster instance with the repo's
dagster.yaml (pool duckdb_warehouse limited to 1, runs queued up to the core count), the daemon
dequeuing the runs, each run in its own process. Every run succeeds and every report loads: the
warehouse writes wait for one another instead of failing on the lock."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from tests.pdfgen import Style, make_report

pytestmark = pytest.mark.slow  # four runs through the daemon: minutes on 2 cores

REPORTS = {
    f"r{n}": [("壹、工業", ["一、產業創新研發", f"1、101 年促成 {n + 6} 家廠商研發投資達 9.6{n} 億元。"]),
              ("貳、貿易", ["一、對外貿易概況", f"1、101 年出口 3,01{n}.1 億美元，較 100 年成長 1{n}.5％。"])]
    for n in range(1, 5)
}
DONE = ("SUCCESS", "FAILURE", "CANCELED")


@pytest.fixture()
def site(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for rid, chapters in REPORTS.items():
        make_report(raw / f"{rid}.pdf", chapters, Style(chars_per_line=24))
    home = tmp_path / "home"
    env = {**os.environ, "DAGSTER_HOME": str(home), "MOEA_RAW_DIR": str(raw),
           "MOEA_WAREHOUSE": str(tmp_path / "wh" / "report.duckdb"), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", "from pipelines.instance import get_instance; "
                    f"get_instance().add_dynamic_partitions('reports', {sorted(REPORTS)!r})"],
                   cwd=REPO, env=env, check=True, timeout=120)
    return env, tmp_path / "wh" / "report.duckdb"


def _runs(env) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", "from pipelines.instance import get_instance\n"
                          "for r in get_instance().get_runs():\n"
                          "    print(r.tags.get('dagster/partition'), r.status.value)"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=True)
    return dict(line.split() for line in out.stdout.splitlines() if line.strip())


def test_a_backfill_of_four_reports_loads_every_one(site):
    env, warehouse = site
    bin_dir = Path(sys.executable).parent
    backfill = subprocess.run([str(bin_dir / "dagster"), "job", "backfill", "-w", "workspace.yaml",
                               "-j", "materialize_report", "--partitions", ",".join(sorted(REPORTS)),
                               "--noprompt"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert backfill.returncode == 0, backfill.stdout + backfill.stderr
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 1500
        while time.monotonic() < deadline:
            runs = _runs(env)
            if len(runs) == len(REPORTS) and all(s in DONE for s in runs.values()):
                break
            time.sleep(5)
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=60)
    assert runs == {rid: "SUCCESS" for rid in REPORTS}
    con = duckdb.connect(str(warehouse), read_only=True)
    loaded = dict(con.execute("SELECT report_id, count(*) FROM fact_quantity GROUP BY 1").fetchall())
    con.close()
    assert loaded == {rid: 4 for rid in REPORTS}

"""The same code location on Dagster's multiprocess executor (one process per step): resources
and paths come from the environment, the stage store carries values between processes."""
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from tests.conftest import REPO
from tests.pdfgen import Style, make_report

pytestmark = pytest.mark.slow  # a process per step: tens of seconds

CHAPTERS = [("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
            ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"])]

RUN = textwrap.dedent('''
    import dagster as dg
    from pipelines import definitions
    from pipelines.instance import get_instance

    if __name__ == "__main__":
        instance = get_instance()
        instance.add_dynamic_partitions("reports", ["mini"])
        result = dg.execute_job(dg.reconstructable(definitions.materialize_job), instance=instance,
                                tags={"dagster/partition": "mini"},
                                run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}})
        print("pids", len({e.pid for e in result.all_events if e.is_step_success}))
        print("success", result.success)
''')


def test_a_report_through_the_multiprocess_executor(tmp_path):
    (tmp_path / "raw").mkdir()
    make_report(tmp_path / "raw" / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    (tmp_path / "run.py").write_text(RUN, encoding="utf-8")
    warehouse = tmp_path / "wh" / "report.duckdb"
    env = {**os.environ, "MOEA_RAW_DIR": str(tmp_path / "raw"), "MOEA_WAREHOUSE": str(warehouse),
           "DAGSTER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, str(tmp_path / "run.py")], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=900)
    assert "success True" in out.stdout, out.stdout[-2000:] + out.stderr[-4000:]
    assert int(out.stdout.split("pids ")[1].split()[0]) > 1  # steps ran in processes of their own
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM fact_quantity WHERE report_id = 'mini'").fetchone()[0] == 5
    con.close()


def test_an_unknown_executor_name_is_one_clear_error(monkeypatch):
    from pipelines.definitions import executor_from_env

    monkeypatch.setenv("MOEA_EXECUTOR", "spark")
    with pytest.raises(ValueError, match="expected multiprocess, celery or k8s"):
        executor_from_env()

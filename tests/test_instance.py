"""The CLI and the UI share one Dagster instance, and CLI runs are the named job the UI lists."""
from __future__ import annotations

from pathlib import Path

from pipelines import instance
from pipelines.definitions import defs, report_job
from pipelines.partitions import reports_partitions

REPO = Path(__file__).resolve().parent.parent


def test_without_dagster_home_the_cli_uses_the_repos_dagster_home_as_make_ui_does(monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert instance.dagster_home() == REPO / ".dagster_home"
    assert "DAGSTER_HOME := $(CURDIR)/.dagster_home" in (REPO / "Makefile").read_text(encoding="utf-8")


def test_a_set_dagster_home_wins_and_is_prepared_without_a_telemetry_banner(monkeypatch, tmp_path):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    home = instance.prepare_home()
    assert home == tmp_path / "home"
    assert "enabled: false" in (home / "dagster.yaml").read_text(encoding="utf-8")


def test_the_report_job_is_registered_partitioned_and_runs_every_asset_and_check():
    job = defs.resolve_job_def(report_job.name)
    assert job.name == "materialize_report"
    assert job.partitions_def == reports_partitions
    assert job.asset_layer.executable_asset_keys == defs.resolve_asset_graph().get_all_asset_keys()
    checks = {c.name for c in job.asset_layer.asset_graph.asset_check_keys}
    assert {"report_kind_recognised", "gx_outline", "gx_warehouse"} <= checks

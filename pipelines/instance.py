"""The Dagster instance the CLI and the UI share: `$DAGSTER_HOME`, else the repo's `.dagster_home/`.

`make ui` and `make run` export DAGSTER_HOME to the same folder, so a plain `python -m pipelines run`
must land there too: its runs then show in the UI, and the no-op check sees one history."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = Path(__file__).resolve().parent.parent / ".dagster_home"
INSTANCE_TEMPLATE = Path(__file__).with_name("dagster.yaml")
# What earlier versions wrote (telemetry off only): replaced by the full settings.
_EARLIER_CONFIGS = ("", "telemetry:\n  enabled: false")
WAREHOUSE_POOL = "duckdb_warehouse"


def instance_config() -> str:
    """Telemetry off (else Dagster prints its banner on the user's terminal), one warehouse
    writer at a time, and at most one run per core."""
    return INSTANCE_TEMPLATE.read_text(encoding="utf-8").replace("{cores}", str(os.cpu_count() or 1))


def dagster_home() -> Path:
    """The instance folder in force: `$DAGSTER_HOME` when set (and not empty), else the default."""
    home = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(home).resolve() if home else DEFAULT_HOME


def prepare_home() -> Path:
    """Create the instance folder and its `dagster.yaml`; point `$DAGSTER_HOME` at it."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8").strip() in _EARLIER_CONFIGS:
        config.write_text(instance_config(), encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def get_instance():
    import dagster as dg

    prepare_home()
    return dg.DagsterInstance.get()

"""Is there anything to do? `python -m pipelines run` over reports that are all loaded already, from
the same PDF content by the same extractor, schema and suites, answers without starting Dagster.

Dagster, Great Expectations and pandas cost seconds to import; hashing the PDFs and reading a few
rows of DuckDB costs a fraction of one. The answer is "nothing to do" only when all of these hold
for every PDF in the raw folder, else the run goes through Dagster as usual (which reuses whatever
stage it can):

* the CLI's record of its last run of the report (`<warehouse dir>/cache/cli_runs.json`) has the
  PDF's sha256 and the current extractor, quality and schema digests, and the same Dagster home
  (so a new Dagster instance still gets its partitions and runs);
* `dim_report` holds the report with that sha256 and extractor version;
* `dq_results` holds a result of every suite for it and no failed ERROR expectation;
* the quality page exists.

No Dagster import here: this module is what makes a no-op run cheap.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import fingerprint
from .atomic import write_text_atomic
from .instance import dagster_home
from .quality.suites import quality_fingerprint
from .report_ids import report_id_of

_PIPELINES = Path(__file__).resolve().parent
_REPO = _PIPELINES.parent
SUITES_DIR = _REPO / "expectations"
STATE_NAME = "cli_runs.json"


def schema_version() -> int:
    from .migrations import SCHEMA_VERSION

    return SCHEMA_VERSION


def _dagster_home() -> str:
    return str(dagster_home())


def state_path(warehouse_path: str | Path) -> Path:
    return Path(warehouse_path).resolve().parent / "cache" / STATE_NAME


def fingerprint_of(pdf: Path, sha256: str | None = None) -> dict:
    """Everything a loaded report depends on, as recorded after a run."""
    from .report.pages import sha256_of

    sha = sha256 or sha256_of(pdf)
    return {"sha256": sha, "extractor_version": fingerprint.extractor_version(), "quality": quality_fingerprint(sha),
            "schema": schema_version(), "dagster_home": _dagster_home()}


def _read_state(warehouse_path: str | Path) -> dict:
    try:
        data = json.loads(state_path(warehouse_path).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record_runs(warehouse_path: str | Path, loaded: dict[str, tuple[Path, str]], failed: list[str]) -> None:
    """After a run through Dagster: remember each loaded report ({report_id: (pdf, run_id)}) with
    its fingerprint, and forget the failed ones (their next run must go through Dagster again)."""
    state = _read_state(warehouse_path)
    for rid, (pdf, run_id) in loaded.items():
        state[rid] = {**fingerprint_of(pdf), "run_id": run_id}
    for rid in failed:
        state.pop(rid, None)
    write_text_atomic(state_path(warehouse_path), json.dumps(state, indent=1, sort_keys=True))


def forget(warehouse_path: str | Path, report_id: str) -> None:
    if state_path(warehouse_path).exists():
        record_runs(warehouse_path, {}, [report_id])


@dataclass(frozen=True)
class Unchanged:
    report_id: str
    run_id: str  # the Dagster run that loaded it


def unchanged_reports(pdfs: list[Path], warehouse_path: str | Path) -> list[Unchanged] | None:
    """One Unchanged per PDF when none of them needs a run, else None. Never raises: any doubt
    (a missing or unreadable record, a locked warehouse) means the run goes through Dagster."""
    import duckdb

    from . import migrations

    suite_names = {p.stem for p in SUITES_DIR.glob("*.json")}
    warehouse_path = Path(warehouse_path).resolve()
    if not pdfs or not warehouse_path.exists() or not (warehouse_path.parent / "quality" / "index.html").exists():
        return None
    state = _read_state(warehouse_path)
    out = []
    for pdf in pdfs:
        rid = report_id_of(pdf.name)
        saved = state.get(rid)
        if not isinstance(saved, dict):
            return None
        try:
            now = fingerprint_of(pdf)
        except OSError:  # unreadable now (a dangling link): the run through Dagster says why
            return None
        if any(saved.get(k) != v for k, v in now.items()):
            return None
        out.append(Unchanged(rid, str(saved.get("run_id", ""))))
    try:
        con = duckdb.connect(str(warehouse_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        if migrations.schema_version(con) != migrations.SCHEMA_VERSION:
            return None  # the run upgrades it (or refuses it) in one place
        for u, pdf in zip(out, pdfs):
            row = con.execute("SELECT sha256, extractor_version FROM dim_report WHERE report_id = ?",
                              [u.report_id]).fetchone()
            if row != (state[u.report_id]["sha256"], state[u.report_id]["extractor_version"]):
                return None
            suites = {s for s, in con.execute("SELECT DISTINCT suite FROM dq_results WHERE report_id = ?",
                                              [u.report_id]).fetchall()}
            failed_errors, = con.execute("SELECT count(*) FROM dq_results WHERE report_id = ? "
                                         "AND severity = 'ERROR' AND NOT success", [u.report_id]).fetchone()
            if suites != suite_names or failed_errors:
                return None
    except duckdb.Error:
        return None
    finally:
        con.close()
    return out

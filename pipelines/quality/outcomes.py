"""Outcomes as plain data: per suite and report, each expectation's severity, success, observed
value and a sample of failing rows (`outcome_from_gx` turns a GX result into one), and the
DuckDB table dq_results that holds the latest outcome of every suite of every report.

No Dagster, pandas or Great Expectations import here.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from .suites import SAMPLE_SIZE, SEVERITY, SUITE_NAMES

@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    name: str  # meta.name in the suite file
    expectation_type: str
    column: str | None
    description: str
    severity: str  # ERROR or WARN
    success: bool
    observed: str
    unexpected_count: int | None
    element_count: int | None
    unexpected_percent: float | None
    sample: tuple[str, ...]  # "row id: value" of up to SAMPLE_SIZE unexpected rows
    message: str | None = None  # meta.message: what the user is told when it fails


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    report_id: str
    results: tuple[ExpectationOutcome, ...]
    run_id: str = ""
    run_time: str = ""
    docs_page: str | None = None  # GX Data Docs page of this result, relative to the quality folder

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success]

    @property
    def failed_errors(self) -> list[ExpectationOutcome]:
        return [r for r in self.failed if r.severity == "ERROR"]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.failed if r.severity == "WARN"]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def severity(self) -> str:
        """The failure's severity; for a passing suite, the worst it could fail with."""
        if self.failed:
            return "ERROR" if self.failed_errors else "WARN"
        return "ERROR" if any(r.severity == "ERROR" for r in self.results) else "WARN"

    def result(self, name: str) -> ExpectationOutcome:
        return next(r for r in self.results if r.name == name)

    def description(self) -> str | None:
        if self.passed:
            return f"all {len(self.results)} expectations of suite {self.suite} passed"
        worst = self.failed_errors or self.failed_warnings
        msg = next((r.message for r in worst if r.message), None)
        if msg:
            return f"{self.report_id}.pdf: {msg}"
        what = "; ".join(f"{r.name} ({r.observed})" for r in worst[:3]) + (" …" if len(worst) > 3 else "")
        return (f"{self.report_id}.pdf: {len(worst)} {self.severity} expectation(s) of suite {self.suite} "
                f"failed: {what}")

    def to_json(self) -> dict:
        return {**asdict(self), "results": [asdict(r) for r in self.results]}

    @classmethod
    def from_json(cls, data: dict) -> "SuiteOutcome":
        results = tuple(ExpectationOutcome(**{**r, "sample": tuple(r["sample"])}) for r in data["results"])
        return cls(**{**data, "results": results})


def _fmt(v) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return str(v)


def _row_id(entry) -> str:
    """GX gives a failing row's index label, or with a named index a dict holding it."""
    if isinstance(entry, dict):
        return str(entry.get("row", next(iter(entry.values()), "")))
    return str(entry)


def _column(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return ",".join(kwargs["column_list"]) if "column_list" in kwargs else None


def _observed(res: dict, exc) -> tuple[bool, str]:
    """(whether the expectation raised, what it observed) in one line."""
    raised = bool(exc.get("raised_exception")) if isinstance(exc, dict) else False
    unexpected, total, pct = res.get("unexpected_count"), res.get("element_count"), res.get("unexpected_percent")
    if raised:
        return True, "error: " + str(exc.get("exception_message") or "exception").splitlines()[0][:200]
    if "observed_value" in res:
        return False, _fmt(res["observed_value"])
    if unexpected is not None:
        return False, f"{unexpected} of {total} unexpected" + (f" ({pct:.2f}%)" if pct else "")
    return False, ""


def _expectation_outcome(suite: str, r) -> ExpectationOutcome:
    cfg = r.expectation_config
    meta = cfg.meta or {}
    sev = cfg.severity.value if hasattr(cfg.severity, "value") else str(cfg.severity)
    res = r.result or {}
    raised, observed = _observed(res, r.exception_info or {})
    unexpected, total, pct = res.get("unexpected_count"), res.get("element_count"), res.get("unexpected_percent")
    values = res.get("partial_unexpected_list") or []
    rows = res.get("partial_unexpected_index_list") or []
    sample = tuple((f"{_row_id(rows[k])}: {_fmt(v)}" if k < len(rows) else _fmt(v))
                   for k, v in enumerate(values[:SAMPLE_SIZE]))
    return ExpectationOutcome(
        suite=suite, name=meta.get("name") or cfg.type, expectation_type=cfg.type, column=_column(cfg.kwargs or {}),
        description=cfg.description or "", severity=SEVERITY.get(sev, "ERROR"),
        success=bool(r.success) and not raised, observed=observed,
        unexpected_count=None if unexpected is None else int(unexpected),
        element_count=None if total is None else int(total),
        unexpected_percent=None if pct is None else float(pct), sample=sample, message=meta.get("message"),
    )


def outcome_from_gx(suite: str, report_id: str, gx_result) -> SuiteOutcome:
    """A GX ExpectationSuiteValidationResult as plain data: per expectation its severity, success,
    observed value and up to SAMPLE_SIZE failing rows (by their row id)."""
    return SuiteOutcome(suite, report_id, tuple(_expectation_outcome(suite, r) for r in gx_result.results))


def dq_rows(outcome: SuiteOutcome) -> list[tuple]:
    return [(outcome.run_id, outcome.report_id, outcome.suite, r.name, r.severity, r.success, r.observed,
             r.unexpected_count) for r in outcome.results]


_SCHEMA_READY: set[str] = set()  # warehouses whose schema this process has ensured


def write_dq_results(warehouse_path: str | Path, report_id: str, outcomes: Iterable[SuiteOutcome],
                     all_suites: bool = False) -> bool:
    """Replace this report's rows of these suites (or of every suite) in dq_results: the table holds
    the latest evaluation of every suite of every report (run_id says which run made it). False,
    nothing written, when another process holds the warehouse (pipelines.warehouse.connect says
    so); the outcomes themselves stand."""
    from .. import warehouse as wh

    outcomes = list(outcomes)
    rows = [row for o in outcomes for row in dq_rows(o)]
    suites = list(SUITE_NAMES) if all_suites else [o.suite for o in outcomes]
    if not suites or (all_suites and not Path(warehouse_path).exists()):
        return True
    try:
        with wh.connect(warehouse_path) as con:
            if str(warehouse_path) not in _SCHEMA_READY:
                wh.ensure_schema(con)
                _SCHEMA_READY.add(str(warehouse_path))
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"DELETE FROM dq_results WHERE report_id = ? AND suite IN "
                            f"({', '.join('?' * len(suites))})", [report_id, *suites])
                if rows:
                    con.executemany("INSERT INTO dq_results (run_id, report_id, suite, expectation, severity, "
                                    "success, observed_value, unexpected_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
    except wh.WarehouseLockedError:
        return False
    return True


def batch_id(report_id: str) -> str:
    """A report id as a file name (report ids are PDF file names, so this rarely changes it)."""
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", report_id) or "_"

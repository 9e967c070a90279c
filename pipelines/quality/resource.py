"""The Dagster bridge: QualityResource runs the suites through the file-backed GX context of
<warehouse dir>/quality/gx, stores each result, builds the Data Docs in quality/docs (offline),
writes dq_results and the page a person opens (quality/index.html); `check_result` turns a
suite's outcome into a Dagster asset check result. The only module of pipelines.quality that
imports Dagster; Great Expectations is imported on first use, never when the code location loads.

Severity is each expectation's GX `severity`: "critical" fails its Dagster check with ERROR (and,
the checks being blocking, stops the load of that report); "warning" fails it with WARN.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

import dagster as dg

from . import runner as gxr
from .frames import Frame
from .outcomes import SuiteOutcome, batch_id, outcome_from_gx, write_dq_results
from .page import write_index
from .suites import SUITE_NAMES, SUITES_DIR, quality_fingerprint

log = logging.getLogger(__name__)


class QualityResource(dg.ConfigurableResource):
    """Great Expectations behind one resource: suites from expectations/, results into
    <warehouse dir>/quality (GX store, Data Docs, index.html) and the DuckDB table dq_results."""

    warehouse_path: str
    suites_dir: str = str(SUITES_DIR)

    @property
    def quality_dir(self) -> Path:
        return Path(self.warehouse_path).resolve().parent / "quality"

    @property
    def index_path(self) -> Path:
        return self.quality_dir / "index.html"

    def prewarm(self) -> None:
        """Import Great Expectations and build this folder's context in a background thread, so
        that the first check of an in-process run finds them ready. Meant to be called while the
        pages are parsed in worker processes: the import (3-5 s of CPU) then overlaps the parse
        instead of following it. An error here is left for the first check to meet again."""
        if gxr.has_file_runner(self.quality_dir, self.suites_dir):
            return

        # pandas here, in the calling thread: imported by two threads at once, a package can come
        # out half-initialised (see runner.import_gx); the run's other threads use it but not GX.
        import pandas  # noqa: F401

        def warm():
            try:
                gxr.file_runner(self.quality_dir, self.suites_dir)
            except Exception as exc:  # noqa: BLE001
                log.debug(f"Great Expectations pre-warm failed (the first check retries): {exc!r}")

        threading.Thread(target=warm, name="gx-prewarm", daemon=True).start()

    def validate(self, report_id: str, run_id: str, frames: dict[str, Frame],
                 log_to=None) -> dict[str, SuiteOutcome]:
        """Run suites on one report's frames; store results, Data Docs, dq_results and index.html.
        A failure to publish (a locked warehouse, a Data Docs error) is logged, never fatal: the
        check results themselves are returned."""
        runner = gxr.file_runner(self.quality_dir, self.suites_dir)  # first: waits for a pre-warm
        from great_expectations.core.run_identifier import RunIdentifier

        gxr.VALIDATED.set()
        logger = log_to or log
        now = _dt.datetime.now(_dt.timezone.utc)
        gx_run = RunIdentifier(run_name=run_id or "manual", run_time=now)
        outcomes: dict[str, SuiteOutcome] = {}
        keys = {}
        for suite, frame in frames.items():
            outcome, keys[suite] = self._validate_one(runner, report_id, suite, frame, gx_run, logger)
            outcomes[suite] = SuiteOutcome(suite, report_id, outcome.results, run_id=run_id,
                                           run_time=now.isoformat(timespec="seconds"))
        keys = {s: k for s, k in keys.items() if k is not None}
        if keys:
            # GX's own index lists every stored result: rebuilt when this report's run ends here
            # (the load's check, or a failed ERROR that skips what follows), not after every check
            last = "warehouse" in frames or any(o.failed_errors for o in outcomes.values())
            self._publish_docs(runner, report_id, keys, outcomes, last, logger)
        self._save_summaries(report_id, outcomes.values())
        if not write_dq_results(self.warehouse_path, report_id, outcomes.values()):
            logger.warning(f"dq_results not written for {report_id}: {self.warehouse_path} is open in another "
                           "process")
        self._write_index(logger)
        return outcomes

    def _validate_one(self, runner: gxr.GxRunner, report_id: str, suite: str, frame: Frame, gx_run, logger):
        """The outcome of one suite, and the key its GX result is stored under (None if not stored)."""
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        result = runner.validate(suite, frame)
        result.meta["run_id"] = gx_run
        try:
            result.meta["active_batch_definition"]["data_asset_name"] = report_id
        except (KeyError, TypeError):
            pass
        outcome = outcome_from_gx(suite, report_id, result)
        key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite),
                                         run_id=gx_run, batch_identifier=batch_id(report_id))
        try:
            self._forget_gx(report_id, [suite])
            runner.context.validation_results_store.set(key, result)
        except Exception as exc:  # publishing must not fail the check
            logger.warning(f"could not store the {suite} result of {report_id}: {exc}")
            return outcome, None
        return outcome, key

    def _publish_docs(self, runner: gxr.GxRunner, report_id: str, keys: dict, outcomes: dict[str, SuiteOutcome],
                      build_index: bool, logger) -> None:
        """Render the stored results' Data Docs pages and link each outcome to its page."""
        try:
            runner.build_docs(list(keys.values()) + runner.suite_pages_once(), build_index)
            for suite in keys:
                page = self._docs_page(suite, report_id)
                outcomes[suite] = SuiteOutcome(**{**outcomes[suite].__dict__, "docs_page": page})
        except Exception as exc:
            logger.warning(f"could not build Data Docs for {report_id}: {exc}")

    def _write_index(self, logger=log) -> None:
        try:
            write_index(self.quality_dir, self.warehouse_path)
        except Exception as exc:
            logger.warning(f"could not write {self.index_path}: {exc}")

    # -- reuse of unchanged results ------------------------------------------------------------

    def _reuse_file(self, report_id: str, suite: str) -> Path:
        return Path(self.warehouse_path).resolve().parent / "cache" / "quality" / batch_id(report_id) / f"{suite}.json"

    def fingerprint(self, content_sha256: str) -> str:
        """What a suite's outcome depends on (suites.quality_fingerprint)."""
        return quality_fingerprint(content_sha256, self.suites_dir)

    def reuse(self, report_id: str, run_id: str, suites: Sequence[str], fingerprint: str
              ) -> tuple[dict[str, SuiteOutcome], dict[str, dict]] | None:
        """Outcomes and extra metadata of these suites from an earlier run on the same content,
        extractor and suites, re-recorded in dq_results under this run: an unchanged report is not
        validated again (no Great Expectations import). None when any suite must run."""
        saved = {}
        for suite in suites:
            path = self._reuse_file(report_id, suite)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            if data.get("fingerprint") != fingerprint:
                return None
            saved[suite] = data
        outcomes = {s: SuiteOutcome(**{**SuiteOutcome.from_json(d["outcome"]).__dict__, "run_id": run_id})
                    for s, d in saved.items()}
        if not write_dq_results(self.warehouse_path, report_id, outcomes.values()):
            return None
        self._save_summaries(report_id, outcomes.values())
        self._write_index()
        return outcomes, {s: d.get("extra") or {} for s, d in saved.items()}

    def remember(self, report_id: str, outcomes: dict[str, SuiteOutcome], fingerprint: str,
                 extra: dict[str, dict] | None = None) -> None:
        for suite, outcome in outcomes.items():
            _write_json(self._reuse_file(report_id, suite),
                        {"fingerprint": fingerprint, "outcome": outcome.to_json(), "extra": (extra or {}).get(suite)})

    def forget_report(self, report_id: str) -> None:
        """Remove a report's earlier results (summaries, GX results and pages, dq_results rows),
        before a run that evaluates it afresh. No GX import."""
        shutil.rmtree(self.quality_dir / "results" / batch_id(report_id), ignore_errors=True)
        self._forget_gx(report_id, SUITE_NAMES)
        write_dq_results(self.warehouse_path, report_id, [], all_suites=True)
        if self.quality_dir.exists():
            self._write_index()

    # -- publishing ----------------------------------------------------------------------------

    def _forget_gx(self, report_id: str, suites: Iterable[str]) -> None:
        """Earlier stored results and Data Docs pages of these suites for this report: a report
        keeps its latest result per suite, so the index and the store stay small."""
        name = batch_id(report_id)
        for suite in suites:
            for base, suffix in ((self.quality_dir / "gx" / "uncommitted" / "validations" / suite, ".json"),
                                 (self.quality_dir / "docs" / "validations" / suite, ".html")):
                if not base.is_dir():
                    continue
                for f in base.glob(f"*/*/{name}{suffix}"):
                    f.unlink(missing_ok=True)
                    for parent in (f.parent, f.parent.parent):
                        try:
                            parent.rmdir()
                        except OSError:
                            break

    def _docs_page(self, suite: str, report_id: str) -> str | None:
        """The GX Data Docs page of the report's result of this suite (earlier ones are removed
        before a result is stored), relative to the quality folder."""
        pages = sorted((self.quality_dir / "docs" / "validations" / suite).glob(f"*/*/{batch_id(report_id)}.html"))
        return str(pages[-1].relative_to(self.quality_dir)) if pages else None

    def build_docs_index(self) -> None:
        """Rebuild GX's Data Docs index (the CLI does it once at the end of a run), if this
        process validated anything (else nothing changed, and GX is not worth importing)."""
        if not gxr.VALIDATED.is_set() or not (self.quality_dir / "gx").is_dir():
            return
        try:
            gxr.import_gx()
            from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

            runner = gxr.file_runner(self.quality_dir, self.suites_dir)
            # a list that names no stored result: no page is re-rendered, only the index
            only = runner.suite_pages_once() or [ExpectationSuiteIdentifier(name="(index only)")]
            runner.build_docs(only, build_index=True)
        except Exception as exc:  # the run's results are written; only GX's own index is stale
            log.warning(f"could not rebuild the Data Docs index in {self.quality_dir / 'docs'}: {exc}")

    def _save_summaries(self, report_id: str, outcomes: Iterable[SuiteOutcome]) -> None:
        folder = self.quality_dir / "results" / batch_id(report_id)
        for o in outcomes:
            _write_json(folder / f"{o.suite}.json", o.to_json(), indent=1)


def _write_json(path: Path, data, indent: int | None = None) -> None:
    """Write through a temporary file, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=indent, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _md(text: Any) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def _check_metadata(outcome: SuiteOutcome) -> dict[str, Any]:
    failed = outcome.failed
    lines = ["| severity | expectation | observed | unexpected rows (sample) |", "|---|---|---|---|"]
    for r in failed:
        lines.append(f"| {r.severity} | **{_md(r.name)}**: {_md(r.description)} | {_md(r.observed)} | "
                     f"{_md('; '.join(r.sample) or '')} |")
    allres = ["| | severity | expectation | observed |", "|---|---|---|---|"]
    allres += [f"| {'✅' if r.success else '❌'} | {r.severity} | {_md(r.name)} | {_md(r.observed)} |"
               for r in outcome.results]
    return {
        "suite": outcome.suite,
        "expectations": len(outcome.results),
        "failed_error": len(outcome.failed_errors),
        "failed_warn": len(outcome.failed_warnings),
        "failing": dg.MetadataValue.md("\n".join(lines) if failed else "(none)"),
        "results": dg.MetadataValue.md("\n".join(allres)),
        "failing_expectations": dg.MetadataValue.json([
            {"expectation": r.name, "severity": r.severity, "type": r.expectation_type, "column": r.column,
             "observed": r.observed, "unexpected_count": r.unexpected_count, "sample": list(r.sample)}
            for r in failed]),
    }


def check_result(outcome: SuiteOutcome, check_name: str, asset_key: dg.AssetKey | None = None,
                 quality_dir: Path | None = None, extra: dict | None = None) -> dg.AssetCheckResult:
    """The Dagster check result of one suite: passed only if every expectation passed; ERROR if a
    critical one failed, else WARN; the failing expectations with samples in the metadata."""
    metadata = _check_metadata(outcome)
    if quality_dir is not None:
        metadata["quality_report"] = dg.MetadataValue.path(str(quality_dir / "index.html"))
        if outcome.docs_page:
            metadata["data_docs"] = dg.MetadataValue.path(str(quality_dir / outcome.docs_page))
    metadata.update(extra or {})
    return dg.AssetCheckResult(
        passed=outcome.passed, asset_key=asset_key, check_name=check_name,
        severity=dg.AssetCheckSeverity.ERROR if outcome.severity == "ERROR" else dg.AssetCheckSeverity.WARN,
        description=outcome.description(), metadata=metadata,
    )

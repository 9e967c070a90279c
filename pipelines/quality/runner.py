"""The Great Expectations runner: a GX context with every suite of expectations/ loaded, none
silently dropped; `GxRunner.run` validates one frame and returns a `SuiteOutcome` (no side effects).
Tests use `GxRunner.ephemeral()`; QualityResource uses the file-backed context of its quality folder
(`file_runner`), whose Data Docs `offline_docs` makes work without a network.

Great Expectations (3-5 s of CPU) is imported here on first use only, through `import_gx`.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from .frames import Frame
from .offline_docs import OfflineDocsError, make_offline
from .outcomes import SuiteOutcome, outcome_from_gx
from .suites import SAMPLE_SIZE, SUITES_DIR, SuiteFile, SuiteFileError, load_suite_files

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
log = logging.getLogger(__name__)

_GX_IMPORT_LOCK = threading.Lock()


def import_gx():
    """Great Expectations, imported by one thread at a time. A thread importing it while another
    (QualityResource.prewarm) is half-way through gets partially initialised modules (an
    ImportError "most likely due to a circular import"), so every use goes through here first."""
    with _GX_IMPORT_LOCK:
        import sqlalchemy.orm  # noqa: F401 - first, whole: GX's import of it raced another thread's

        import great_expectations

    return great_expectations


def build_gx_suite(spec: SuiteFile):
    """The GX ExpectationSuite of a suite file, with every expectation of the file.

    ExpectationSuite(...) logs and drops an expectation it cannot build (an unknown type, a bad
    severity); so each one is built first, on its own, to name the culprit, and the suite's count
    is asserted."""
    gx = import_gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    problems = []
    for k, e in enumerate(spec.expectations):
        try:
            ExpectationConfiguration(**e).to_domain_obj()
        except Exception as exc:  # GX raises several unrelated types here
            msg = str(getattr(exc, "message", "") or exc).strip().replace("\n", " ")
            problems.append(f"{spec.path.name} expectation #{k + 1} ({(e.get('meta') or {}).get('name')}, "
                            f"{e.get('type')}): {msg}")
    if problems:
        raise SuiteFileError("Great Expectations cannot build these expectations:\n  " + "\n  ".join(problems))
    logger = logging.getLogger("great_expectations.core.expectation_suite")
    suite = gx.ExpectationSuite(name=spec.name, expectations=[dict(e) for e in spec.expectations],
                                meta=spec.data.get("meta"), notes=spec.data.get("notes"))
    if len(suite.expectations) != len(spec.expectations):
        raise SuiteFileError(f"{spec.path.name}: {len(spec.expectations)} expectations written, "
                             f"{len(suite.expectations)} loaded by Great Expectations ({logger.name} "
                             "logged why)")
    return suite


RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
FAST_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE}


class GxRunner:
    """A GX context with every suite of expectations/ loaded and one pandas batch definition."""

    def __init__(self, context, suites_dir: str | Path = SUITES_DIR):
        import_gx()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.context = context
        self.docs_dir: Path | None = None  # the Data Docs site of a file-backed context
        self.files = load_suite_files(suites_dir)
        if context.variables.progress_bars is None or context.variables.progress_bars.get("globally", True):
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.suites = {}
        for name, spec in self.files.items():
            suite = build_gx_suite(spec)
            self.suites[name] = context.suites.add_or_update(suite)
            if len(self.suites[name].expectations) != len(spec.expectations):
                raise SuiteFileError(f"{spec.path.name}: {len(spec.expectations)} expectations written, "
                                     f"{len(self.suites[name].expectations)} in the GX context")
        try:
            ds = context.data_sources.get("reports")
        except (KeyError, ValueError, LookupError):
            ds = context.data_sources.add_pandas("reports")
        try:
            asset = ds.get_asset("frame")
        except LookupError:
            asset = ds.add_dataframe_asset(name="frame")
        try:
            self.batch_definition = asset.get_batch_definition("whole")
        except (KeyError, ValueError, LookupError):
            self.batch_definition = asset.add_batch_definition_whole_dataframe("whole")

    def suite_pages_once(self) -> list:
        """The suites' identifiers the first time (their Data Docs pages are rendered once per
        process: the suites do not change while it runs), then []."""
        import_gx()
        from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

        if getattr(self, "_suite_pages_done", False):
            return []
        self._suite_pages_done = True
        return [ExpectationSuiteIdentifier(name=n) for n in self.suites]

    @classmethod
    def ephemeral(cls, suites_dir: str | Path = SUITES_DIR) -> "GxRunner":
        gx = import_gx()

        return cls(gx.get_context(mode="ephemeral"), suites_dir)

    def validate(self, suite: str, frame: Frame):
        """The GX validation result of one frame. A first pass computes counts only (BASIC);
        the expectations that failed are re-run with the failing rows' ids (SUMMARY), which
        costs about half as much again when run for every expectation."""
        gx = import_gx()

        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame.df})
        params = frame.params or None
        result = batch.validate(self.suites[suite], expectation_parameters=params, result_format=FAST_FORMAT)
        failed = {(r.expectation_config.meta or {}).get("name"): k for k, r in enumerate(result.results)
                  if not r.success}
        if failed:
            again = [e for e in self.files[suite].expectations if e["meta"]["name"] in failed]
            detail = batch.validate(gx.ExpectationSuite(name=suite, expectations=again),
                                    expectation_parameters=params, result_format=RESULT_FORMAT)
            for r in detail.results:
                result.results[failed[r.expectation_config.meta["name"]]] = r
        return result

    def run(self, suite: str, frame: Frame, report_id: str = "test") -> SuiteOutcome:
        return outcome_from_gx(suite, report_id, self.validate(suite, frame))

    def build_docs(self, resource_identifiers: list, build_index: bool) -> None:
        """Render these stored results (and the index) into the Data Docs site, then point the
        pages at local copies of their scripts, styles and fonts (offline_docs)."""
        self.context.build_data_docs(site_names=["quality"], resource_identifiers=resource_identifiers,
                                     build_index=build_index)
        if self.docs_dir is not None:
            try:
                make_offline(self.docs_dir)
            except OfflineDocsError as exc:  # the pages are there; only their offline copies are not
                log.warning(str(exc))


_RUNNERS: dict[tuple[str, str], GxRunner] = {}
_RUNNERS_LOCK = threading.Lock()
VALIDATED = threading.Event()  # set once this process has validated a frame into a quality folder


def has_file_runner(quality_dir: Path, suites_dir: str | Path) -> bool:
    return (str(quality_dir), str(suites_dir)) in _RUNNERS


def file_runner(quality_dir: Path, suites_dir: str | Path) -> GxRunner:
    """One file-backed context per process and folder: creating it costs the GX import (~10 s
    once) and reading its configuration."""
    key = (str(quality_dir), str(suites_dir))
    with _RUNNERS_LOCK:
        if key not in _RUNNERS:
            gx = import_gx()

            quality_dir.mkdir(parents=True, exist_ok=True)
            context = gx.get_context(mode="file", project_root_dir=str(quality_dir))
            sites = context.config.data_docs_sites or {}
            site = {"class_name": "SiteBuilder", "show_how_to_buttons": False,
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": "../docs/"},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}
            if "local_site" in sites:
                context.delete_data_docs_site("local_site")
            if "quality" not in sites:
                context.add_data_docs_site("quality", site)
            runner = GxRunner(context, suites_dir)
            runner.docs_dir = quality_dir / "docs"
            context.variables.save()
            _RUNNERS[key] = runner
        return _RUNNERS[key]


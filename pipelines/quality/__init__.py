"""Data quality: Great Expectations suites (expectations/*.json) run on each report's stage outputs,
on its star-schema rows before the load, and on the warehouse after it. One module per job:

* `suites`: the suite list and loading the JSON files; `quality_fingerprint` (no Dagster, pandas
  or GX: the CLI's no-op check imports it);
* `frames`: the DataFrame each suite validates, and its `$PARAMETER` values;
* `runner`: the GX context with every suite loaded (GX imported lazily); `offline_docs` makes its
  Data Docs work without a network;
* `outcomes`: results as plain data, and the DuckDB table dq_results;
* `page`: quality/index.html, the page a person opens;
* `resource`: QualityResource and `check_result`, the Dagster bridge.

The names below are re-exported lazily: `import pipelines.quality` imports none of the modules, so
it costs no Dagster, pandas or GX import until a name is used.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "suites": ("REPO", "SUITES_DIR", "SUITES", "SUITE_NAMES", "STAR_SUITES", "SEVERITY", "SAMPLE_SIZE",
               "SuiteFile", "SuiteFileError", "load_suite_files", "quality_fingerprint"),
    "frames": ("Frame", "YEAR_WINDOW", "valid_dimension_base_units", "unit_table_pairs", "year_bounds",
               "explanations", "pages_frame", "contents_frame", "outline_frame", "quantities_frame",
               "reconciliation_frame", "tables_frame", "cells_frame", "budget_frame", "budget_extra", "star_frames",
               "warehouse_frame"),
    "runner": ("GxRunner", "build_gx_suite", "import_gx", "file_runner", "RESULT_FORMAT", "FAST_FORMAT"),
    "outcomes": ("ExpectationOutcome", "SuiteOutcome", "outcome_from_gx", "dq_rows", "write_dq_results",
                 "batch_id"),
    "page": ("read_summaries", "render_index", "write_index"),
    "resource": ("QualityResource", "check_result"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))

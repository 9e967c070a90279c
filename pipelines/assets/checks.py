"""Great Expectations suites as Dagster asset checks, made by one factory from one list: which
suites validate which asset, and how the frames they check are built from the stage values
(loaded by the IO manager like any other input).

Every pre-load check is blocking: a failed critical expectation (severity ERROR) skips the
downstream assets, so a broken report never reaches warehouse_tables; a failed warning is a WARN
and blocks nothing. Each check's metadata names its report (partition), lists the failing
expectations with sample rows, and links the report's quality page and its GX Data Docs page.
"""

from dataclasses import dataclass
from typing import Callable

import dagster as dg

from .. import quality as q
from ..instance import WAREHOUSE_POOL
from ..partitions import reports_partitions
from ..quality import QualityResource
from ..report.identity import report_identity
from ..resources import Warehouse
from .extract import report_pages
from .load import star_schema, warehouse_tables
from .transform import outline_sections, quantities, report_tables


def _quantity_frames(v: dict, rid: str):
    sections, paragraphs = v["outline_sections"]
    records, mentions = v["quantities"]
    rec = q.reconciliation_frame(paragraphs, records, mentions)
    counts = rec.df["explanation"].value_counts()
    share = float(counts.get("bare", 0) + counts.get("unaccounted", 0)) / max(len(rec.df), 1)
    extra = {"number_reconciliation": {"digit_runs": len(rec.df), "unexplained_share": round(share, 4),
                                       **{f"explained_as/{k}": int(v) for k, v in sorted(counts.items())}}}
    roc_year = report_identity(v["report_pages"]).roc_year
    return {"quantities": q.quantities_frame(records, sections, len(v["report_pages"]), roc_year),
            "number_reconciliation": rec}, extra


def _table_frames(v: dict, rid: str):
    budget = q.budget_frame(*v["report_tables"])
    return ({"tables": q.tables_frame(*v["report_tables"]), "table_cells": q.cells_frame(*v["report_tables"]),
             "budget_lines": budget}, {"budget_lines": q.budget_extra(budget)})


@dataclass(frozen=True)
class SuiteCheck:
    """Suites validating one asset: the stage values they need and how their frames are built
    (frames by suite name, extra metadata by suite name)."""

    asset: dg.AssetsDefinition
    suites: tuple[str, ...]
    inputs: tuple[str, ...]
    frames: Callable[[dict, str], tuple[dict, dict]]
    description: str
    blocking: bool = True


SUITE_CHECKS = (
    SuiteCheck(report_pages, ("pages",), ("report_pages",),
               lambda v, rid: ({"pages": q.pages_frame(v["report_pages"])}, {}), "Text coverage of every page."),
    SuiteCheck(outline_sections, ("contents", "outline"), ("report_document", "outline_sections"),
               lambda v, rid: ({"contents": q.contents_frame(v["report_document"], v["outline_sections"][0]),
                                "outline": q.outline_frame(v["outline_sections"][0],
                                                           len(v["report_document"].lines))}, {}),
               "Contents page against chapter headings; outline nesting."),
    SuiteCheck(quantities, ("quantities", "number_reconciliation"), ("report_pages", "outline_sections", "quantities"),
               _quantity_frames, "Units, currencies, bounds and keys of quantities; every digit run explained."),
    SuiteCheck(report_tables, ("tables", "table_cells", "budget_lines"), ("report_tables",), _table_frames,
               "Tables rectangular, numeric cells parsed; budget tables add up."),
    SuiteCheck(star_schema, tuple(q.STAR_SUITES), ("star_schema",),
               lambda v, rid: (q.star_frames(rid, v["star_schema"]), {}),
               "Keys unique and deterministic, every fact's dimensions present, before the load."),
)


def _spec(suite: str, asset, blocking: bool, inputs=()) -> dg.AssetCheckSpec:
    data = q.load_suite_files()[suite].data
    deps = [dg.AssetKey(n) for n in ("report_file", *inputs) if dg.AssetKey(n) != asset.key]
    return dg.AssetCheckSpec(f"gx_{suite}", asset=asset, blocking=blocking, additional_deps=deps,
                             partitions_def=reports_partitions,  # each result belongs to one report
                             description=f"Great Expectations suite expectations/{suite}.json: "
                                         f"{data.get('meta', {}).get('validates', suite)}")


def _results(context, quality: QualityResource, sha256: str, suites, build, asset) -> list[dg.AssetCheckResult]:
    """Validate the frames `build()` returns, or reuse the outcomes of an earlier run on the same
    content, code and suites (then GX is not needed)."""
    rid = context.partition_key
    fp = quality.fingerprint(sha256)
    reused = quality.reuse(rid, context.run.run_id, list(suites), fp)
    if reused is not None:
        outcomes, extra = reused
        context.log.info(f"{rid}: suites {', '.join(suites)} unchanged since their last run: results reused")
    else:
        frames, extra = build()
        outcomes = quality.validate(rid, context.run.run_id, frames, log_to=context.log)
        quality.remember(rid, outcomes, fp, extra)
    results = []
    for s in suites:
        r = q.check_result(outcomes[s], f"gx_{s}", asset.key, quality.quality_dir, (extra or {}).get(s))
        results.append(r._replace(metadata={"report": dg.MetadataValue.text(rid), **r.metadata}))
    return results


def suite_check(spec: SuiteCheck) -> dg.AssetChecksDefinition:
    name = f"gx_{spec.asset.key.path[-1]}_checks"

    @dg.multi_asset_check(specs=[_spec(s, spec.asset, spec.blocking, spec.inputs) for s in spec.suites], name=name,
                          description=spec.description, pool=WAREHOUSE_POOL,  # it writes dq_results
                          ins={n: dg.AssetIn(n) for n in ("report_file", *spec.inputs)})
    def _check(context: dg.AssetCheckExecutionContext, quality: QualityResource, **values):
        yield from _results(context, quality, values["report_file"]["sha256"], spec.suites,
                            lambda: spec.frames(values, context.partition_key), spec.asset)

    return _check


suite_checks = [suite_check(s) for s in SUITE_CHECKS]


@dg.multi_asset_check(specs=[_spec("warehouse", warehouse_tables, blocking=False)], name="gx_warehouse_checks",
                      description="Referential integrity of the report's rows in DuckDB after the load.",
                      pool=WAREHOUSE_POOL,
                      ins={"report_file": dg.AssetIn("report_file")})
def gx_warehouse_checks(context: dg.AssetCheckExecutionContext, report_file: dict, warehouse: Warehouse,
                        quality: QualityResource):
    def build():
        with warehouse.get_connection() as con:
            return {"warehouse": q.warehouse_frame(con, context.partition_key)}, {}

    yield from _results(context, quality, report_file["sha256"], ["warehouse"], build, warehouse_tables)

"""Great Expectations suites as Dagster asset checks, one check per suite, on the asset whose
output the suite validates.

Every pre-load check is blocking: a failed critical expectation (severity ERROR) skips the
downstream assets, so a broken report never reaches warehouse_tables; a failed warning is a WARN
and blocks nothing. Each check's metadata lists the failing expectations with sample rows, and
links the report's quality page (<warehouse dir>/quality/index.html) and its GX Data Docs page.
"""
import dagster as dg

from .. import quality as q
from ..quality import QualityResource
from ..report.parse import report_title
from ..resources import ReportFiles, Warehouse
from .extract import report_pages
from .load import star_schema, warehouse_tables
from .transform import outline_sections, quantities, report_tables


def _rid(context) -> str:
    if context.has_partition_key:
        return context.partition_key
    return context.run.tags.get("dagster/partition", "")


def _spec(suite: str, asset, blocking: bool = True) -> dg.AssetCheckSpec:
    data = q.load_suite_files()[suite].data
    return dg.AssetCheckSpec(f"gx_{suite}", asset=asset, blocking=blocking,
                             description=f"Great Expectations suite expectations/{suite}.json: "
                                         f"{data.get('meta', {}).get('validates', suite)}")


def _results(context, quality: QualityResource, rid: str, frames: dict[str, q.Frame], asset,
             extra: dict[str, dict] | None = None) -> list[dg.AssetCheckResult]:
    outcomes = quality.validate(rid, context.run.run_id, frames, log_to=context.log)
    return [q.check_result(outcomes[s], f"gx_{s}", asset.key, quality.quality_dir, (extra or {}).get(s))
            for s in frames]


@dg.multi_asset_check(specs=[_spec("pages", report_pages)], name="gx_report_pages_checks",
                      description="Text coverage of every page.")
def gx_report_pages_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    yield from _results(context, quality, rid, {"pages": q.pages_frame(files.load_stage(rid, "report_pages"))},
                        report_pages)


@dg.multi_asset_check(specs=[_spec("contents", outline_sections), _spec("outline", outline_sections)],
                      name="gx_outline_sections_checks",
                      description="Contents page against chapter headings; outline nesting.")
def gx_outline_sections_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles,
                               quality: QualityResource):
    rid = _rid(context)
    doc = files.load_stage(rid, "report_document")
    sections, _ = files.load_stage(rid, "outline_sections")
    yield from _results(context, quality, rid, {"contents": q.contents_frame(doc, sections),
                                                "outline": q.outline_frame(sections, len(doc.lines))},
                        outline_sections)


@dg.multi_asset_check(specs=[_spec("quantities", quantities), _spec("number_reconciliation", quantities)],
                      name="gx_quantities_checks",
                      description="Units, currencies, bounds and keys of quantities; every digit run explained.")
def gx_quantities_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    pages = files.load_stage(rid, "report_pages")
    sections, paragraphs = files.load_stage(rid, "outline_sections")
    records, mentions = files.load_stage(rid, "quantities")
    _, roc_year = report_title(pages)
    rec = q.reconciliation_frame(paragraphs, records, mentions)
    counts = rec.df["explanation"].value_counts()
    share = float(counts.get("bare", 0) + counts.get("unaccounted", 0)) / max(len(rec.df), 1)
    extra = {"number_reconciliation": {
        "digit_runs": len(rec.df),
        "unexplained_share": round(share, 4),
        **{f"explained_as/{k}": int(v) for k, v in sorted(counts.items())},
    }}
    yield from _results(context, quality, rid, {
        "quantities": q.quantities_frame(records, sections, len(pages), roc_year),
        "number_reconciliation": rec,
    }, quantities, extra)


@dg.multi_asset_check(specs=[_spec("tables", report_tables), _spec("table_cells", report_tables)],
                      name="gx_report_tables_checks", description="Tables rectangular, numeric cells parsed.")
def gx_report_tables_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    tables, cells = files.load_stage(rid, "report_tables")
    yield from _results(context, quality, rid, {"tables": q.tables_frame(tables, cells),
                                                "table_cells": q.cells_frame(tables, cells)}, report_tables)


@dg.multi_asset_check(specs=[_spec(s, star_schema) for s in q.STAR_SUITES], name="gx_star_schema_checks",
                      description="Keys unique and deterministic, every fact's dimensions present, before the load.")
def gx_star_schema_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    frames = q.star_frames(rid, files.load_stage(rid, "star_schema"))
    yield from _results(context, quality, rid, frames, star_schema)


@dg.multi_asset_check(specs=[_spec("warehouse", warehouse_tables, blocking=False)], name="gx_warehouse_checks",
                      description="Referential integrity of the report's rows in DuckDB after the load.")
def gx_warehouse_checks(context: dg.AssetCheckExecutionContext, warehouse: Warehouse, quality: QualityResource):
    rid = _rid(context)
    with warehouse.get_connection() as con:
        frame = q.warehouse_frame(con, rid)
    yield from _results(context, quality, rid, {"warehouse": frame}, warehouse_tables)

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
from ..report.identity import report_identity
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


def _results(context, quality: QualityResource, files: ReportFiles, rid: str, suites: list[str], build, asset
             ) -> list[dg.AssetCheckResult]:
    """Validate the frames `build()` returns (frames, extra metadata), or reuse the outcomes of an
    earlier run on the same content, extractor and suites (then neither frames nor GX are needed)."""
    fingerprint = quality.fingerprint(files.load_stage(rid, "report_file")["sha256"])
    reused = quality.reuse(rid, context.run.run_id, suites, fingerprint)
    if reused is not None:
        outcomes, extra = reused
        context.log.info(f"{rid}: suites {', '.join(suites)} unchanged since their last run: results reused")
    else:
        frames, extra = build()
        outcomes = quality.validate(rid, context.run.run_id, frames, log_to=context.log)
        quality.remember(rid, outcomes, fingerprint, extra)
    return [q.check_result(outcomes[s], f"gx_{s}", asset.key, quality.quality_dir, (extra or {}).get(s))
            for s in suites]


@dg.multi_asset_check(specs=[_spec("pages", report_pages)], name="gx_report_pages_checks",
                      description="Text coverage of every page.")
def gx_report_pages_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    yield from _results(context, quality, files, rid, ["pages"],
                        lambda: ({"pages": q.pages_frame(files.load_stage(rid, "report_pages"))}, {}), report_pages)


@dg.multi_asset_check(specs=[_spec("contents", outline_sections), _spec("outline", outline_sections)],
                      name="gx_outline_sections_checks",
                      description="Contents page against chapter headings; outline nesting.")
def gx_outline_sections_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles,
                               quality: QualityResource):
    rid = _rid(context)

    def build():
        doc = files.load_stage(rid, "report_document")
        sections, _ = files.load_stage(rid, "outline_sections")
        return {"contents": q.contents_frame(doc, sections), "outline": q.outline_frame(sections, len(doc.lines))}, {}

    yield from _results(context, quality, files, rid, ["contents", "outline"], build, outline_sections)


@dg.multi_asset_check(specs=[_spec("quantities", quantities), _spec("number_reconciliation", quantities)],
                      name="gx_quantities_checks",
                      description="Units, currencies, bounds and keys of quantities; every digit run explained.")
def gx_quantities_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)

    def build():
        pages = files.load_stage(rid, "report_pages")
        sections, paragraphs = files.load_stage(rid, "outline_sections")
        records, mentions = files.load_stage(rid, "quantities")
        roc_year = report_identity(pages).roc_year
        rec = q.reconciliation_frame(paragraphs, records, mentions)
        counts = rec.df["explanation"].value_counts()
        share = float(counts.get("bare", 0) + counts.get("unaccounted", 0)) / max(len(rec.df), 1)
        extra = {"number_reconciliation": {
            "digit_runs": len(rec.df),
            "unexplained_share": round(share, 4),
            **{f"explained_as/{k}": int(v) for k, v in sorted(counts.items())},
        }}
        return {"quantities": q.quantities_frame(records, sections, len(pages), roc_year),
                "number_reconciliation": rec}, extra

    yield from _results(context, quality, files, rid, ["quantities", "number_reconciliation"], build, quantities)


@dg.multi_asset_check(specs=[_spec("tables", report_tables), _spec("table_cells", report_tables)],
                      name="gx_report_tables_checks", description="Tables rectangular, numeric cells parsed.")
def gx_report_tables_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)

    def build():
        tables, cells = files.load_stage(rid, "report_tables")
        return {"tables": q.tables_frame(tables, cells), "table_cells": q.cells_frame(tables, cells)}, {}

    yield from _results(context, quality, files, rid, ["tables", "table_cells"], build, report_tables)


@dg.multi_asset_check(specs=[_spec(s, star_schema) for s in q.STAR_SUITES], name="gx_star_schema_checks",
                      description="Keys unique and deterministic, every fact's dimensions present, before the load.")
def gx_star_schema_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, quality: QualityResource):
    rid = _rid(context)
    yield from _results(context, quality, files, rid, list(q.STAR_SUITES),
                        lambda: (q.star_frames(rid, files.load_stage(rid, "star_schema")), {}), star_schema)


@dg.multi_asset_check(specs=[_spec("warehouse", warehouse_tables, blocking=False)], name="gx_warehouse_checks",
                      description="Referential integrity of the report's rows in DuckDB after the load.")
def gx_warehouse_checks(context: dg.AssetCheckExecutionContext, files: ReportFiles, warehouse: Warehouse,
                        quality: QualityResource):
    rid = _rid(context)

    def build():
        with warehouse.get_connection() as con:
            return {"warehouse": q.warehouse_frame(con, rid)}, {}

    yield from _results(context, quality, files, rid, ["warehouse"], build, warehouse_tables)

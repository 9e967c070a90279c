"""Transform: document (furniture removed, paragraphs), outline, quantities and tables.

Each asset is a thin wrapper over pipelines.report; the value goes downstream through the IO
manager, and `stage_output` reuses it when the report's content and the stage's code are the same."""

from collections import Counter
from pathlib import Path

import dagster as dg

from .. import fingerprint
from ..figure_crop import sample_crops
from ..io_manager import StageCache, stage_output
from ..partitions import reports_partitions
from ..report.document import build_document
from ..report.kind import document_kind
from ..report.outline import build_outline
from ..report.quantities import report_quantities
from ..report.tables import build_tables
from ..resources import ReportFiles


def _md_table(header: list[str], rows: list[list]) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/").replace("\n", "⏎") for c in r) + " |" for r in rows]
    return dg.MetadataValue.md("\n".join(lines))


def _stage_asset(**kwargs):
    def wrap(fn):
        return dg.asset(partitions_def=reports_partitions, group_name="transform", kinds={"python"},
                        code_version=fingerprint.code_version(fn.__name__), **kwargs)(fn)
    return wrap


@_stage_asset()
def report_document(context: dg.AssetExecutionContext, report_file: dict, report_pages: list,
                    cache: StageCache) -> dg.Output:
    """The body text: running headers, page numbers, cover and contents removed; printed page labels."""
    def describe(doc) -> dict:
        kinds = Counter(p.kind for p in doc.pages)
        return {"dagster/row_count": len(doc.lines), "body_pages": kinds.get("body", 0),
                "contents_entries": len(doc.contents),
                "pages_without_label": sum(1 for p in doc.pages if p.kind == "body" and p.label is None),
                "preview": _md_table(["title", "page"], [[e.title, e.page_label] for e in doc.contents[:15]])}

    return stage_output(context, cache, report_file["sha256"], lambda: build_document(report_pages), describe)


@_stage_asset()
def outline_sections(context: dg.AssetExecutionContext, report_file: dict, report_document,
                     cache: StageCache) -> dg.Output:
    """The heading hierarchy 壹、/一、/（一）/1、/（1） and the body cut into paragraphs."""
    def describe(value) -> dict:
        sections, paragraphs = value
        chapters = [s for s in sections if s.level == 1]
        return {"dagster/row_count": len(sections), "chapters": len(chapters), "paragraphs": len(paragraphs),
                "preview": _md_table(["path", "title", "page"],
                                     [[s.path, s.title, report_document.pages[s.page_index].label]
                                      for s in chapters])}

    return stage_output(context, cache, report_file["sha256"], lambda: build_outline(report_document), describe)


@dg.asset_check(asset=outline_sections, blocking=True, additional_ins={"report_pages": dg.AssetIn("report_pages")},
                partitions_def=reports_partitions,
                description="The file is a Traditional-Chinese report of the family (chapter headings 壹、貳、…) "
                            "or a statistical table document (tables, no chapters).")
def report_kind_recognised(context: dg.AssetCheckExecutionContext, report_pages: list,
                           outline_sections) -> dg.AssetCheckResult:
    sections, _ = outline_sections
    kind = document_kind(report_pages, sections)
    return dg.AssetCheckResult(
        passed=kind.name is not None, severity=dg.AssetCheckSeverity.ERROR,
        description=None if kind.name else f"{context.partition_key}.pdf: {kind.reason}",
        metadata={"report": context.partition_key, "document_kind": kind.name or "refused",
                  "chapters_found": sum(1 for s in sections if s.level == 1 and s.chapter_no)},
    )


@_stage_asset()
def quantities(context: dg.AssetExecutionContext, report_file: dict, outline_sections, files: ReportFiles,
               cache: StageCache) -> dg.Output:
    """Every number with a unit or measure word in the prose, normalised to base units, exact."""
    def describe(value) -> dict:
        records, mentions = value
        dims = Counter(r.q.unit.dimension for r in records)
        # a few figures drawn on their page (what `python -m pipelines show KEY` writes)
        crops = sample_crops(Path(report_file["path"]), context.partition_key, records,
                             Path(files.warehouse_path).parent / "report" / "crops")
        return {"dagster/row_count": len(records), "not_quantities": len(mentions),
                **{f"dimension/{k}": v for k, v in sorted(dims.items())},
                **{f"crop/{key}": dg.MetadataValue.path(str(png)) for key, png in crops.items()},
                "preview": _md_table(["raw_text", "unit", "quantity", "year", "sentence"],
                                     [[r.raw_text, r.q.unit.written, r.q.quantity, r.year, r.sentence[:40]]
                                      for r in records[:15]])}

    return stage_output(context, cache, report_file["sha256"], lambda: report_quantities(outline_sections[1]),
                        describe)


@_stage_asset()
def report_tables(context: dg.AssetExecutionContext, report_file: dict, report_pages: list,
                  cache: StageCache) -> dg.Output:
    """Ruled and rule-less tables with caption, header and cells in long form; numeric cells with their unit."""
    def describe(value) -> dict:
        tables, cells = value
        return {"dagster/row_count": len(cells), "tables": len(tables),
                "numeric_cells": sum(1 for c in cells if c.quantity is not None),
                "preview": _md_table(["no", "title", "caption", "rows", "cols"],
                                     [[t.table_no, t.title, t.caption[:40], t.n_rows, t.n_cols] for t in tables])}

    return stage_output(context, cache, report_file["sha256"], lambda: build_tables(report_pages), describe)

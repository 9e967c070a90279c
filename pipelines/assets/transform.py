"""Transform: document (furniture removed, paragraphs), outline, quantities and tables.

Each asset is a thin wrapper over pipelines.report; its checks sit beside it."""

from collections import Counter

import dagster as dg

from ..partitions import reports_partitions
from ..report.kind import document_kind
from ..report.document import build_document
from ..report.outline import build_outline
from ..report.quantities import report_quantities
from ..report.tables import build_tables
from ..resources import ReportFiles
from .extract import report_pages


def _sha(files: ReportFiles, report_id: str) -> str:
    return files.load_stage(report_id, "report_file")["sha256"]


def _stage(files: ReportFiles, report_id: str, stage: str, compute):
    """The stage's saved output when it was made from this very PDF content by this extractor
    version (a re-run over an unchanged file); else `compute()`, saved for the next run."""
    sha = _sha(files, report_id)
    try:
        saved = files.load_stage(report_id, stage, sha)
    except Exception:  # unreadable or from an older layout: recompute
        saved = None
    if saved is not None:
        return saved
    result = compute()
    files.save_stage(report_id, stage, sha, result)
    return result


def _md_table(header: list[str], rows: list[list]) -> dg.MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/").replace("\n", "⏎") for c in r) + " |" for r in rows]
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(partitions_def=reports_partitions, group_name="transform", kinds={"python"}, deps=[report_pages])
def report_document(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """The body text: running headers, page numbers, cover and contents removed; printed page labels."""
    rid = context.partition_key
    doc = _stage(files, rid, "report_document", lambda: build_document(files.load_stage(rid, "report_pages")))
    kinds = Counter(p.kind for p in doc.pages)
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(doc.lines),
        "body_pages": kinds.get("body", 0),
        "contents_entries": len(doc.contents),
        "pages_without_label": sum(1 for p in doc.pages if p.kind == "body" and p.label is None),
        "preview": _md_table(["title", "page"], [[e.title, e.page_label] for e in doc.contents[:15]]),
    })


@dg.asset(partitions_def=reports_partitions, group_name="transform", kinds={"python"}, deps=[report_document])
def outline_sections(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """The heading hierarchy 壹、/一、/（一）/1、/（1） and the body cut into paragraphs."""
    rid = context.partition_key
    doc = files.load_stage(rid, "report_document")
    sections, paragraphs = _stage(files, rid, "outline_sections", lambda: build_outline(doc))
    chapters = [s for s in sections if s.level == 1]
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(sections),
        "chapters": len(chapters),
        "paragraphs": len(paragraphs),
        "preview": _md_table(["path", "title", "page"], [[s.path, s.title, doc.pages[s.page_index].label]
                                                          for s in chapters]),
    })


@dg.asset_check(asset=outline_sections, blocking=True,
                description="The file is a Traditional-Chinese report of the family (chapter headings 壹、貳、…) "
                            "or a statistical table document (tables, no chapters).")
def report_kind_recognised(context: dg.AssetCheckExecutionContext, files: ReportFiles) -> dg.AssetCheckResult:
    rid = context.partition_key if context.has_partition_key else None
    sections, _ = files.load_stage(rid, "outline_sections")
    kind = document_kind(files.load_stage(rid, "report_pages"), sections)
    return dg.AssetCheckResult(
        passed=kind.name is not None, severity=dg.AssetCheckSeverity.ERROR,
        description=None if kind.name else f"{rid}.pdf: {kind.reason}",
        metadata={"document_kind": kind.name or "refused",
                  "chapters_found": sum(1 for s in sections if s.level == 1 and s.chapter_no)},
    )


@dg.asset(partitions_def=reports_partitions, group_name="transform", kinds={"python"}, deps=[outline_sections])
def quantities(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """Every number with a unit or measure word in the prose, normalised to base units, exact."""
    rid = context.partition_key
    records, mentions = _stage(files, rid, "quantities",
                               lambda: report_quantities(files.load_stage(rid, "outline_sections")[1]))
    dims = Counter(r.q.unit.dimension for r in records)
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(records),
        "not_quantities": len(mentions),
        **{f"dimension/{k}": v for k, v in sorted(dims.items())},
        "preview": _md_table(["raw_text", "unit", "quantity", "year", "sentence"],
                             [[r.raw_text, r.q.unit.written, r.q.quantity, r.year, r.sentence[:40]]
                              for r in records[:15]]),
    })


@dg.asset(partitions_def=reports_partitions, group_name="transform", kinds={"python"}, deps=[report_pages])
def report_tables(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """Ruled tables with caption, header and cells in long form; numeric cells with their unit."""
    rid = context.partition_key
    tables, cells = _stage(files, rid, "report_tables", lambda: build_tables(files.load_stage(rid, "report_pages")))
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(cells),
        "tables": len(tables),
        "numeric_cells": sum(1 for c in cells if c.quantity is not None),
        "preview": _md_table(["no", "title", "caption", "rows", "cols"],
                             [[t.table_no, t.title, t.caption[:40], t.n_rows, t.n_cols] for t in tables]),
    })

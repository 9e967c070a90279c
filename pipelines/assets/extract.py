"""Extract: the report file (validated, fingerprinted) and its parsed pages."""

import dagster as dg

from ..partitions import reports_partitions
from ..report import errors
from ..report.version import EXTRACTOR_VERSION
from ..report.pages import cached_parse_pages, page_count, sha256_of
from ..quality import QualityResource
from ..resources import ReportFiles


def fail(exc: errors.BadReportError) -> dg.Failure:
    """A bad file fails its partition with one line a user understands."""
    return dg.Failure(description=f"{exc.path}: {exc.reason}",
                      metadata={"reason": exc.reason, "detail": exc.detail or ""})


@dg.asset(partitions_def=reports_partitions, group_name="extract", kinds={"pdf", "python"})
def report_file(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """The report PDF: checked to be a readable, unencrypted PDF, with its sha256."""
    report_id = context.partition_key
    path = files.pdf_path(report_id)
    try:  # this very content, already validated by this extractor version: no need to open it again
        sha = sha256_of(path)
        known = files.load_stage(report_id, "report_file", sha)
    except Exception:  # missing or unreadable file, torn stage: validated (and refused) below
        known = None
    if known is not None and known.get("path") == str(path):
        n_pages = known["pages"]
    else:
        try:
            n_pages = page_count(path)
        except errors.BadReportError as exc:
            raise fail(exc) from exc
        sha = sha256_of(path)
        files.save_stage(report_id, "report_file", sha, {"path": str(path), "sha256": sha, "pages": n_pages})
    return dg.MaterializeResult(
        metadata={"path": str(path), "sha256": sha, "pages": n_pages, "bytes": path.stat().st_size},
        data_version=dg.DataVersion(f"{sha[:16]}-{EXTRACTOR_VERSION}"),
    )


@dg.asset(partitions_def=reports_partitions, group_name="extract", kinds={"pdfplumber", "python"},
          deps=[report_file])
def report_pages(context: dg.AssetExecutionContext, files: ReportFiles, quality: QualityResource
                 ) -> dg.MaterializeResult:
    """Every page parsed once by pdfplumber (in worker processes, cached by content): prose lines
    with positions and fonts, character counts, and raw tables."""
    report_id = context.partition_key
    info = files.load_stage(report_id, "report_file")
    # In a run whose steps share this process (the CLI), the checks' Great Expectations import
    # overlaps the parse; with a step per process (the UI's default) it would be wasted work.
    in_process = context.job_def.executor_def.name in ("in_process", "execute_in_process_executor")
    try:
        pages, hit = cached_parse_pages(info["path"], files.cache_dir / "pages", info["sha256"],
                                        workers=files.workers or None,
                                        while_parsing=quality.prewarm if in_process else None)
    except errors.BadReportError as exc:
        raise fail(exc) from exc
    files.save_stage(report_id, "report_pages", info["sha256"], pages)
    preview = "\n".join(f"| {p.index} | {p.char_count} | {len(p.lines)} | {len(p.tables)} |" for p in pages[:8])
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(pages),
        "cache_hit": hit,
        "characters": sum(p.char_count for p in pages),
        "preview": dg.MetadataValue.md("| page | chars | lines | tables |\n|---|---|---|---|\n" + preview),
    })

"""Extract: the report file (validated, fingerprinted) and its parsed pages."""

import dagster as dg

from .. import fingerprint
from ..io_manager import ROOT_KEY, ROOT_STAGE, StageCache, stage_output
from ..partitions import reports_partitions
from ..quality import QualityResource
from ..report import errors
from ..report.pages import page_count, parse_pages, sha256_of
from ..resources import ReportFiles
from ..store import MISSING


def fail(exc: errors.BadReportError) -> dg.Failure:
    """A bad file fails its partition with one line a user understands."""
    return dg.Failure(description=f"{exc.path}: {exc.reason}",
                      metadata={"reason": exc.reason, "detail": exc.detail or ""})


def _validated_before(cache: StageCache, report_id: str, path, sha: str) -> dict | None:
    known = cache.stored(report_id, ROOT_STAGE, ROOT_KEY)
    if known is MISSING or known.get("fingerprint") != fingerprint.stage_fingerprint(ROOT_STAGE, sha):
        return None
    return known if known.get("path") == str(path) else None


@dg.asset(partitions_def=reports_partitions, group_name="extract", kinds={"pdf", "python"},
          code_version=fingerprint.code_version("report_file"))
def report_file(context: dg.AssetExecutionContext, files: ReportFiles, cache: StageCache) -> dg.Output[dict]:
    """The report PDF: checked to be a readable, unencrypted PDF, with its sha256. Its sha256 is
    what every later stage of this report is keyed by."""
    path = files.pdf_path(context.partition_key)
    try:
        sha = sha256_of(path)
    except FileNotFoundError as exc:
        raise fail(errors.BadReportError(path.name, errors.MISSING, str(exc))) from exc
    except OSError as exc:  # there, but not readable by this user (permissions, I/O error)
        raise fail(errors.BadReportError(path.name, f"cannot be read ({exc.strerror or exc})", str(exc))) from exc
    info = _validated_before(cache, context.partition_key, path, sha)
    if info is None:  # not this very content validated by this code already: open it
        try:
            n_pages = page_count(path)
        except errors.BadReportError as exc:
            raise fail(exc) from exc
        info = {"path": str(path), "sha256": sha, "pages": n_pages,
                "fingerprint": fingerprint.stage_fingerprint(ROOT_STAGE, sha)}
    return dg.Output(info, data_version=dg.DataVersion(info["fingerprint"]), metadata={
        "path": dg.MetadataValue.path(str(path)), "sha256": sha, "pages": info["pages"],
        "bytes": path.stat().st_size})


@dg.asset(partitions_def=reports_partitions, group_name="extract", kinds={"pdfplumber", "python"},
          code_version=fingerprint.code_version("report_pages"))
def report_pages(context: dg.AssetExecutionContext, report_file: dict, files: ReportFiles, cache: StageCache,
                 quality: QualityResource) -> dg.Output[list]:
    """Every page parsed once (in worker processes): prose lines with positions and fonts,
    character counts, and raw tables."""
    # In a run whose steps share this process (the CLI), the checks' Great Expectations import
    # overlaps the parse; with a step per process (the UI's default) it would be wasted work.
    in_process = context.job_def.executor_def.name in ("in_process", "execute_in_process_executor")

    def parse():
        try:
            return parse_pages(report_file["path"], workers=files.workers or None,
                               while_parsing=quality.prewarm if in_process else None)
        except errors.BadReportError as exc:
            raise fail(exc) from exc

    def describe(pages) -> dict:
        rows = "\n".join(f"| {p.index} | {p.char_count} | {len(p.lines)} | {len(p.tables)} |" for p in pages[:8])
        return {"dagster/row_count": len(pages), "characters": sum(p.char_count for p in pages),
                "preview": dg.MetadataValue.md("| page | chars | lines | tables |\n|---|---|---|---|\n" + rows)}

    return stage_output(context, cache, report_file["sha256"], parse, describe)

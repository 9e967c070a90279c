"""Load: the report's star-schema rows replace its previous rows in one DuckDB transaction."""

import dagster as dg

from .. import warehouse as wh
from ..partitions import reports_partitions
from ..report.version import EXTRACTOR_VERSION
from ..resources import ReportFiles, Warehouse
from .transform import outline_sections, quantities, report_document, report_tables


def parsed_from_stages(files: ReportFiles, rid: str):
    from ..report.identity import report_identity
    from ..report.parse import ParsedReport

    pages = files.load_stage(rid, "report_pages")
    sections, paragraphs = files.load_stage(rid, "outline_sections")
    records, mentions = files.load_stage(rid, "quantities")
    tables, cells = files.load_stage(rid, "report_tables")
    who = report_identity(pages)
    return ParsedReport(tuple(pages), files.load_stage(rid, "report_document"), tuple(sections),
                        tuple(paragraphs), tuple(records), tuple(mentions), tuple(tables), tuple(cells),
                        who.title, who.roc_year, who.issuer, who.report_kind)


def _markdown(header: list[str], rows: list[tuple]) -> str:
    if not rows:
        return "(none)"
    cell = lambda v: "" if v is None else str(v).replace("|", "/").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows])


@dg.asset(partitions_def=reports_partitions, group_name="load", kinds={"pandas"},
          deps=[report_document, outline_sections, quantities, report_tables])
def star_schema(context: dg.AssetExecutionContext, files: ReportFiles) -> dg.MaterializeResult:
    """The report's star-schema rows as DataFrames, before the load: the gx_* checks validate
    them (keys, dimensions of every fact) and block warehouse_tables when a critical one fails."""
    from ..report.star import frames  # pandas (slow to import) only when it runs

    rid = context.partition_key
    info = files.load_stage(rid, "report_file")
    try:  # made from this very content by this extractor version: reused (a re-run)
        dfs = files.load_stage(rid, "star_schema", info["sha256"])
    except Exception:
        dfs = None
    if dfs is None:
        dfs = frames(rid, f"{rid}.pdf", info["sha256"], EXTRACTOR_VERSION, parsed_from_stages(files, rid))
        files.save_stage(rid, "star_schema", info["sha256"], dfs)
    return dg.MaterializeResult(metadata={"dagster/row_count": sum(len(df) for df in dfs.values()),
                                          **{f"rows/{t}": len(df) for t, df in dfs.items()}})


@dg.asset(partitions_def=reports_partitions, group_name="load", kinds={"duckdb"}, deps=[star_schema])
def warehouse_tables(context: dg.AssetExecutionContext, files: ReportFiles, warehouse: Warehouse) -> dg.MaterializeResult:
    """dim_report, dim_page, dim_section, dim_unit, dim_period, fact_quantity, report_table,
    table_cell and number_mention rows of this report, and the v_quantities view."""
    rid = context.partition_key
    info = files.load_stage(rid, "report_file")
    with warehouse.get_connection() as con:
        wh.ensure_schema(con)
        same = wh.loaded_fingerprint(con, rid) == (info["sha256"], EXTRACTOR_VERSION)
        if not same:
            # the frames star_schema saved and its checks passed; rebuilt only when this asset is
            # materialised on its own after the PDF changed
            dfs = files.load_stage(rid, "star_schema", info["sha256"])
            if dfs is None:
                from ..report.star import frames

                dfs = frames(rid, f"{rid}.pdf", info["sha256"], EXTRACTOR_VERSION, parsed_from_stages(files, rid))
            wh.replace_report(con, rid, dfs)
        counts = dict(con.execute(
            "SELECT source, count(*) FROM fact_quantity WHERE report_id = ? GROUP BY source", [rid]).fetchall())
        dup = con.execute("SELECT string_agg(report_id, ', ') FROM dim_report WHERE sha256 = ? AND report_id <> ?",
                          [info["sha256"], rid]).fetchone()[0]
        cur = con.execute(
            "SELECT chapter_no, section_path, page_number, raw_text, quantity, base_unit FROM v_quantities "
            "WHERE report_id = ? ORDER BY quantity_key LIMIT 10", [rid])
        preview = _markdown([d[0] for d in cur.description], cur.fetchall())
    if dup:
        context.log.warning(f"{rid}.pdf has the same content (sha256) as {dup}: its figures are loaded twice")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": sum(counts.values()),
        "text_quantities": counts.get("text", 0),
        "table_quantities": counts.get("table", 0),
        "skipped_unchanged": same,
        "same_content_as": dup or "",
        "preview": dg.MetadataValue.md(preview),
    })

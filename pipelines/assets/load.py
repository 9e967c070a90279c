"""Load: the report's star-schema frames, checked, replace its previous rows in one DuckDB
transaction."""

from pathlib import Path

import dagster as dg

from .. import fingerprint
from .. import warehouse as wh
from ..instance import WAREHOUSE_POOL
from ..io_manager import StageCache, stage_output
from ..partitions import reports_partitions
from ..resources import Warehouse


def _markdown(header: list[str], rows: list[tuple]) -> str:
    if not rows:
        return "(none)"
    cell = lambda v: "" if v is None else str(v).replace("|", "/").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows])


@dg.asset(partitions_def=reports_partitions, group_name="load", kinds={"pandas"},
          code_version=fingerprint.code_version("star_schema"))
def star_schema(context: dg.AssetExecutionContext, report_file: dict, report_pages: list, report_document,
                outline_sections, quantities, report_tables, cache: StageCache) -> dg.Output:
    """The report's star-schema rows as DataFrames, before the load: the gx_* checks validate
    them (keys, dimensions of every fact) and block warehouse_tables when a critical one fails."""
    def build():
        from ..report.parse import assemble_report
        from ..report.star import frames  # pandas (slow to import) only when it runs

        parsed = assemble_report(report_pages, report_document, outline_sections, quantities, report_tables)
        file_name = Path(report_file["path"]).name  # as written, even when the id is a slug of it
        return frames(context.partition_key, file_name, report_file["sha256"], fingerprint.extractor_version(), parsed)

    def describe(dfs) -> dict:
        return {"dagster/row_count": sum(len(df) for df in dfs.values()),
                **{f"rows/{t}": len(df) for t, df in dfs.items()}}

    return stage_output(context, cache, report_file["sha256"], build, describe)


@dg.asset(partitions_def=reports_partitions, group_name="load", kinds={"duckdb"},
          code_version=fingerprint.code_version("star_schema"), pool=WAREHOUSE_POOL)
def warehouse_tables(context: dg.AssetExecutionContext, report_file: dict, star_schema: dict,
                     warehouse: Warehouse) -> dg.MaterializeResult:
    """dim_report, dim_page, dim_section, dim_unit, dim_period, fact_quantity, report_table,
    table_cell and number_mention rows of this report, and the v_quantities view."""
    rid, sha = context.partition_key, report_file["sha256"]
    with warehouse.get_connection() as con:
        wh.ensure_schema(con)
        same = wh.loaded_fingerprint(con, rid) == (sha, fingerprint.extractor_version())
        if not same:
            wh.replace_report(con, rid, star_schema)
        counts = dict(con.execute(
            "SELECT source, count(*) FROM fact_quantity WHERE report_id = ? GROUP BY source", [rid]).fetchall())
        dup = con.execute("SELECT string_agg(report_id, ', ') FROM dim_report WHERE sha256 = ? AND report_id <> ?",
                          [sha, rid]).fetchone()[0]
        cur = con.execute(
            "SELECT chapter_no, section_path, page_number, raw_text, quantity, base_unit FROM v_quantities "
            "WHERE report_id = ? ORDER BY quantity_key LIMIT 10", [rid])
        preview = _markdown([d[0] for d in cur.description], cur.fetchall())
    if dup:
        context.log.warning(f"{rid}.pdf has the same content (sha256) as {dup}: its figures are loaded twice")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(fingerprint.stage_fingerprint("star_schema", sha)),
        metadata={"dagster/row_count": sum(counts.values()), "text_quantities": counts.get("text", 0),
                  "table_quantities": counts.get("table", 0), "skipped_unchanged": same,
                  "same_content_as": dup or "", "warehouse": dg.MetadataValue.path(warehouse.database),
                  "preview": dg.MetadataValue.md(preview)})

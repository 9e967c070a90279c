"""Each asset through Dagster (`materialize` with resources), one at a time in graph order, on a
small generated report; then the blocking check refusing a document that is not a report."""
import dagster as dg
import duckdb
import pytest

from pipelines.assets.extract import report_file, report_pages
from pipelines.assets.load import star_schema, warehouse_tables
from pipelines.assets.transform import (outline_sections, quantities, report_document, report_kind_recognised,
                                        report_tables)
from pipelines.definitions import all_assets, all_checks, defs
from pipelines.report import errors
from pipelines.partitions import reports_partitions
from pipelines.resources import default_resources
from tests.pdfgen import Style, Table, make_plain_pdf, make_report

CHAPTERS = [
    ("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
    ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"]),
    ("附錄、附表", [Table("附表一 專案辦理情形", ["專案", "件數（件）", "金額（億元）"], [["甲", "3", "0.5"]])]),
]


@pytest.fixture()
def env(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    make_report(raw / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    resources = default_resources(str(raw), str(tmp_path / "warehouse" / "report.duckdb"), workers=1)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(reports_partitions.name, ["mini"])
    return resources, instance, tmp_path


def materialize(assets, env, key="mini", raise_on_error=True):
    """Materialise these assets (and the checks on them) alone; their inputs come from the store."""
    resources, instance, _ = env
    selection = dg.AssetSelection.assets(*assets) - dg.AssetSelection.checks_for_assets(*all_assets)
    selection = selection | dg.AssetSelection.checks_for_assets(*assets)
    result = dg.materialize([*all_assets, *all_checks], selection=selection, partition_key=key,
                            resources=resources, instance=instance, raise_on_error=raise_on_error)
    assert result.success or not raise_on_error
    return result


def metadata(result, asset) -> dict:
    mats = result.asset_materializations_for_node(asset.node_def.name)
    return {k: v.value for k, v in mats[0].metadata.items()}


def test_definitions_load_with_every_asset_and_check():
    names = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert names == {"report_file", "report_pages", "report_document", "outline_sections", "quantities",
                     "report_tables", "star_schema", "warehouse_tables"}


def test_each_asset_in_turn(env):
    resources, _, tmp = env
    m = metadata(materialize([report_file], env), report_file)
    assert m["pages"] >= 4 and len(m["sha256"]) == 64

    n_pages = m["pages"]
    m = metadata(materialize([report_pages], env), report_pages)
    assert m["dagster/row_count"] == n_pages and m["reused"] is False
    assert metadata(materialize([report_pages], env), report_pages)["reused"] is True

    m = metadata(materialize([report_document], env), report_document)
    assert m["contents_entries"] == 3 and m["pages_without_label"] == 0

    result = materialize([outline_sections], env)
    assert metadata(result, outline_sections)["chapters"] == 3
    assert [e.description for e in result.get_asset_check_evaluations() if not e.passed and e.severity.value == "ERROR"] == []

    m = metadata(materialize([quantities], env), quantities)
    assert m["dagster/row_count"] == 5 and m["dimension/money"] == 3 and m["dimension/percent"] == 1

    m = metadata(materialize([report_tables], env), report_tables)
    assert m["tables"] == 1 and m["numeric_cells"] == 2

    m = metadata(materialize([star_schema], env), star_schema)
    assert m["rows/fact_quantity"] == 7 and m["reused"] is False

    m = metadata(materialize([warehouse_tables], env), warehouse_tables)
    assert m["text_quantities"] == 5 and m["table_quantities"] == 2 and m["skipped_unchanged"] is False
    con = duckdb.connect(resources["files"].warehouse_path, read_only=True)
    assert con.execute("SELECT count(*) FROM v_quantities WHERE report_id = 'mini'").fetchone()[0] == 7
    con.close()
    # unchanged input: the load is skipped, rows stay
    assert metadata(materialize([warehouse_tables], env), warehouse_tables)["skipped_unchanged"] is True


def test_blocking_check_stops_a_document_without_chapters(env):
    resources, instance, tmp = env
    make_plain_pdf(tmp / "raw" / "memo.pdf", ["Federal Register / Vol. 85", "Proposed Rules", "Summary: 12 pages"],
                   font=None)
    instance.add_dynamic_partitions(reports_partitions.name, ["memo"])
    result = materialize(all_assets, env, key="memo", raise_on_error=False)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["report_kind_recognised"].passed is False
    assert checks["report_kind_recognised"].description == f"memo.pdf: {errors.NOT_CHINESE}"
    assert not result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "outline_sections" in materialized and "warehouse_tables" not in materialized
    con = duckdb.connect(resources["files"].warehouse_path)
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'dim_report'"
                       ).fetchone()[0] == 0 or con.execute(
        "SELECT count(*) FROM dim_report WHERE report_id = 'memo'").fetchone()[0] == 0
    con.close()


def test_the_load_never_rebuilds_frames_it_was_not_given(env):
    """After the PDF changes, materialising warehouse_tables alone fails with what to run first;
    the rows loaded from the old content stay."""
    resources, instance, tmp = env
    materialize([report_file, report_pages, report_document, outline_sections, quantities, report_tables,
                 star_schema, warehouse_tables], env)
    make_report(tmp / "raw" / "mini.pdf", CHAPTERS[:2], Style(chars_per_line=24))
    materialize([report_file], env)
    result = materialize([warehouse_tables], env, raise_on_error=False)
    assert not result.success
    failure = next(ev.step_failure_data for ev in result.all_events if ev.is_step_failure)
    assert "star_schema is not stored for the report's current content" in failure.user_failure_data.description
    con = duckdb.connect(resources["files"].warehouse_path, read_only=True)
    assert con.execute("SELECT count(*) FROM fact_quantity WHERE report_id = 'mini'").fetchone()[0] == 7
    con.close()

"""Data quality: the Great Expectations suites in expectations/ bite.

Unit tests feed deliberately broken inputs (a PDF that is not this kind of report, a page without
a text layer, a ragged table row, a quantity with a wrong base unit, broken keys, …) through the
frame builders of pipelines.quality and GX, and assert that the specific expectation fails with
the expected severity. End-to-end tests run the CLI on the real report (every ERROR expectation
passes, dq_results and quality/index.html are filled) and on the Federal Register PDF (refused).
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from pipelines import quality as q  # noqa: E402
from pipelines.report import errors  # noqa: E402
from pipelines.report.document import ContentsEntry, Document, PageInfo  # noqa: E402
from pipelines.report.model import Page, TextLine, Unit  # noqa: E402
from pipelines.report.outline import Paragraph, Section  # noqa: E402
from pipelines.report.quantities import MentionRecord, NumberMention, Quantity, QuantityRecord  # noqa: E402
from pipelines.report.tables import CellRecord, TableRecord  # noqa: E402
from pipelines.report.units import lookup_unit  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NOT_A_REPORT_PDF = Path(__file__).resolve().parent / "data" / "badpdfs" / "federal-register-2020-17221.pdf"


@pytest.fixture(scope="module")
def gx() -> q.GxRunner:
    """Every suite of expectations/ in an in-memory GX context (importing GX costs ~5-15 s once)."""
    return q.GxRunner.ephemeral()


def failures(outcome: q.SuiteOutcome) -> dict[str, str]:
    """{expectation name: severity} of the failed expectations."""
    return {r.name: r.severity for r in outcome.failed}


# ---------------------------------------------------------------------------------------------
# Small inputs


def text_page(index: int, lines: list[str], char_count: int | None = None, images: int = 0,
              tables: tuple = ()) -> Page:
    tl = tuple(TextLine(t, 72.0, 72.0 + 10 * len(t), 100.0 + 20 * k, 112.0 + 20 * k, 12.0, "F")
               for k, t in enumerate(lines))
    cells = sum(len(c or "") for t in tables for r in t.rows for c in r)
    n = sum(len(t) for t in lines) + cells if char_count is None else char_count
    return Page(index, 595.0, 842.0, tl, n, images, tables)


def section(sid: int, level: int, marker: str, title: str, path: str, parent: int, chapter: int | None,
            first: int, last: int, page: int = 1) -> Section:
    return Section(sid, level, marker, None if marker == "附錄" else sid, title, path, parent, chapter, title,
                   first, last, page)


def qrec(no: int, text: str, value: str, unit: Unit, **kw) -> QuantityRecord:
    quantity = Quantity(0, len(text), text, value, Decimal(value), unit, Decimal(value) * unit.factor, None)
    base = dict(quantity_no=no, paragraph_id=1, section_id=1, page_index=1, raw_text=text, q=quantity,
                sentence=text, context=text, year=2012, base_year=None)
    base.update(kw)
    names = {f.name for f in dataclasses.fields(QuantityRecord)}
    return QuantityRecord(**{k: v for k, v in base.items() if k in names})


BODY = "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"
SECTIONS = [section(1, 1, "壹", "工業", "壹", 0, 1, 0, 9), section(2, 2, "一", "研發", "壹/一", 1, 1, 1, 9)]


def good_quantities() -> list[QuantityRecord]:
    return [qrec(1, "9.66 億元", "9.66", lookup_unit("億元")),
            qrec(2, "12.5％", "12.5", lookup_unit("％")),
            qrec(3, "7 家", "7", lookup_unit("家"), section_id=2)]


def table(n_cols: int = 3, rows: list[list[str]] | None = None, drop: tuple[int, int] | None = None):
    """One table: header + rows as TableRecord and CellRecords; `drop` leaves out one cell."""
    header = ["專案", "件數（件）", "金額（億元）"][:n_cols]
    rows = rows or [["甲", "3", "0.5"], ["乙", "4", "1.25"]]
    grid = [header] + rows
    cells = []
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if (r, c) == drop:
                continue
            unit = lookup_unit("件") if c == 1 else lookup_unit("億元") if c == 2 else None
            number = text.replace(",", "")
            value = Decimal(number) if r > 0 and c > 0 and number.replace(".", "").isdigit() else None
            cells.append(CellRecord(1, r, c, row[0], header[c], text, r == 0, False, value,
                                    unit.written if unit and value is not None else None,
                                    unit.dimension if unit and value is not None else None,
                                    unit.base_unit if unit and value is not None else None,
                                    unit.currency if unit and value is not None else None,
                                    value * unit.factor if unit and value is not None else None))
    t = TableRecord(1, 3, "附表一", "附表一 專案辦理情形（單位：億元）", "億元", tuple(header), len(rows), n_cols,
                    "lines", False)
    return [t], cells


# ---------------------------------------------------------------------------------------------
# Suite files


def test_every_suite_file_loads_without_losing_an_expectation(gx):
    assert set(gx.suites) == set(q.SUITE_NAMES)
    for name, spec in gx.files.items():
        assert len(gx.suites[name].expectations) == len(spec.expectations) > 0, name
        assert all(e.severity.value in ("critical", "warning") for e in gx.suites[name].expectations)


def test_great_expectations_would_silently_drop_a_bad_expectation_so_loading_refuses_it(tmp_path):
    import great_expectations as gxlib

    bad = {"type": "expect_column_values_to_be_betwen", "kwargs": {"column": "year", "min_value": 1},
           "severity": "critical", "meta": {"name": "typo"}}
    # what GX does on its own: logs and drops it
    assert len(gxlib.ExpectationSuite(name="x", expectations=[bad]).expectations) == 0

    suites = tmp_path / "expectations"
    shutil.copytree(q.SUITES_DIR, suites)
    data = json.loads((suites / "quantities.json").read_text(encoding="utf-8"))
    data["expectations"].append(bad)
    (suites / "quantities.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(q.SuiteFileError, match="expect_column_values_to_be_betwen"):
        q.GxRunner.ephemeral(suites)


@pytest.mark.parametrize("change, message", [
    (lambda e: e.update(severity="fatal"), "severity must be one of"),
    (lambda e: e.pop("severity"), "severity must be one of"),
    (lambda e: e["meta"].pop("name"), "meta.name is missing"),
])
def test_suite_files_need_a_name_and_an_explicit_severity(tmp_path, change, message):
    suites = tmp_path / "expectations"
    shutil.copytree(q.SUITES_DIR, suites)
    data = json.loads((suites / "pages.json").read_text(encoding="utf-8"))
    change(data["expectations"][0])
    (suites / "pages.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(q.SuiteFileError, match=message):
        q.load_suite_files(suites)


def test_code_location_loads_without_great_expectations():
    code = ("import sys, pipelines.definitions as d; assert d.all_checks; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_every_suite_is_a_check_on_its_asset_and_pre_load_checks_block():
    from pipelines.definitions import all_checks

    specs = {(s.asset_key.to_user_string(), s.name): s for c in all_checks for s in c.check_specs}
    for suite, asset in q.SUITES:
        spec = specs[(asset, f"gx_{suite}")]
        assert spec.blocking == (asset != "warehouse_tables"), suite


# ---------------------------------------------------------------------------------------------
# Broken inputs: the specific expectation fails with the expected severity


def test_an_english_pdf_reads_cleanly_and_is_refused_by_its_kind(gx):
    from pipelines.report.kind import document_kind
    from pipelines.report.pages import parse_pages
    from pipelines.report.parse import parse_report

    parsed = parse_report(parse_pages(NOT_A_REPORT_PDF, workers=1))
    assert document_kind(parsed.pages, parsed.sections).reason == errors.NOT_CHINESE
    # its pages are fine: the file is readable text, just not a document of this family
    assert gx.run("pages", q.pages_frame(parsed.pages)).failed_errors == []


def test_a_page_without_text_layer_is_a_warning(gx):
    pages = [text_page(0, ["經濟部 101 年施政成果", "中華民國 102 年 2 月"]), text_page(1, ["壹、工業", BODY]),
             text_page(2, [], char_count=0, images=1), text_page(3, ["貳、商業", BODY])]
    outcome = gx.run("pages", q.pages_frame(pages))
    assert failures(outcome) == {"no_empty_page": "WARN"}
    assert outcome.result("no_empty_page").sample == ("page 3: 0",)
    result = q.check_result(outcome, "gx_pages")
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN


def test_a_mostly_scanned_report_is_an_error(gx):
    pages = [text_page(0, ["經濟部 101 年施政成果", BODY])] + [text_page(i, [], char_count=0, images=1)
                                                           for i in range(1, 4)]
    assert failures(gx.run("pages", q.pages_frame(pages)))["text_report"] == "ERROR"


def test_text_coverage_below_target_is_a_warning(gx):
    pages = [text_page(0, ["壹、工業" * 10]), text_page(1, ["一、產業" * 10], char_count=200)]
    outcome = gx.run("pages", q.pages_frame(pages))
    assert failures(outcome) == {"page_coverage": "WARN", "mean_coverage": "WARN"}
    assert outcome.result("page_coverage").sample == ("page 2: 0.2",)


def test_a_table_with_a_ragged_row_is_an_error(gx):
    tables, cells = table(drop=(2, 2))  # row 2 lacks its last cell
    outcome = gx.run("table_cells", q.cells_frame(tables, cells))
    assert failures(outcome) == {"rows_rectangular": "ERROR"}
    assert all(s.startswith("t1 r2 ") for s in outcome.result("rows_rectangular").sample)
    assert failures(gx.run("tables", q.tables_frame(tables, cells))) == {"rectangular": "ERROR"}

    result = q.check_result(outcome, "gx_table_cells", dg.AssetKey("report_tables"))
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert "rows_rectangular" in result.description
    failing = result.metadata["failing"].value  # what the Dagster UI shows
    assert "rows_rectangular" in failing and "t1 r2 c0" in failing
    assert result.metadata["failing_expectations"].value[0]["severity"] == "ERROR"

    tables, cells = table()
    assert gx.run("table_cells", q.cells_frame(tables, cells)).passed
    assert gx.run("tables", q.tables_frame(tables, cells)).passed


def test_a_numeric_cell_left_unparsed_is_a_warning(gx):
    tables, cells = table()
    cells = [dataclasses.replace(c, value=None, unit_written=None, dimension=None, base_unit=None, currency=None,
                                 quantity=None) if (c.row_no, c.col_no) == (1, 1) else c for c in cells]
    outcome = gx.run("table_cells", q.cells_frame(tables, cells))
    assert failures(outcome) == {"numeric_cells_parsed": "WARN"}
    assert outcome.result("numeric_cells_parsed").sample == ("t1 r1 c1: 3: 3",)


def test_a_quantity_with_a_wrong_base_unit_is_an_error(gx):
    params = dict(sections=SECTIONS, n_pages=5, roc_year=101)
    assert gx.run("quantities", q.quantities_frame(good_quantities(), **params)).passed

    tonnes_as_kwh = Unit("公噸", "mass", "kWh", Decimal(1))  # mass must be in t
    outcome = gx.run("quantities", q.quantities_frame(
        good_quantities() + [qrec(4, "5 公噸", "5", tonnes_as_kwh)], **params))
    assert failures(outcome) == {"dimension_base_unit_valid": "ERROR", "unit_matches_unit_table": "ERROR"}
    assert outcome.result("unit_matches_unit_table").sample == ("q4: 5 公噸: (mass:公噸, kWh)",)

    # a valid pair, but not what the unit table says 億元 is (TWD)
    twd_as_usd = Unit("億元", "money", "USD", Decimal(10) ** 8, "USD")
    outcome = gx.run("quantities", q.quantities_frame(
        good_quantities() + [qrec(4, "3 億元", "3", twd_as_usd)], **params))
    assert failures(outcome) == {"unit_matches_unit_table": "ERROR"}


def test_currency_is_set_exactly_for_money(gx):
    params = dict(sections=SECTIONS, n_pages=5, roc_year=101)
    no_currency = Unit("億元", "money", "TWD", Decimal(10) ** 8, None)
    counted_in_twd = Unit("家", "count", "家", Decimal(1), "TWD")
    outcome = gx.run("quantities", q.quantities_frame(
        [qrec(1, "3 億元", "3", no_currency), qrec(2, "7 家", "7", counted_in_twd)], **params))
    assert {"money_has_currency", "currency_only_for_money"} <= {r.name for r in outcome.failed_errors}


def test_percent_and_year_out_of_bounds_are_warnings(gx):
    params = dict(sections=SECTIONS, n_pages=5, roc_year=101)
    outcome = gx.run("quantities", q.quantities_frame(
        good_quantities() + [qrec(4, "25,000％", "25000", lookup_unit("％")),
                             qrec(5, "8 家", "8", lookup_unit("家"), year=1850)], **params))
    assert failures(outcome) == {"percent_sane": "WARN", "year_plausible": "WARN"}


def test_a_quantity_outside_the_outline_is_a_warning_and_a_dangling_section_an_error(gx):
    params = dict(sections=SECTIONS, n_pages=5, roc_year=101)
    outcome = gx.run("quantities", q.quantities_frame(
        good_quantities() + [qrec(4, "8 家", "8", lookup_unit("家"), section_id=0),
                             qrec(5, "9 家", "9", lookup_unit("家"), section_id=77)], **params))
    assert failures(outcome) == {"has_section": "WARN", "section_exists": "ERROR"}


def test_every_contents_entry_is_a_chapter_heading_on_the_stated_page(gx):
    pages = tuple(PageInfo(i, str(i) if i else None, i or None, (), "body" if i else "contents", 10, 10)
                  for i in range(6))
    doc = Document(pages, (ContentsEntry("壹、工業", "1"), ContentsEntry("貳、商業", "4"),
                           ContentsEntry("參、能源", "5")), (), 500.0)
    sections = [section(1, 1, "壹", "工業", "壹", 0, 1, 0, 4, page=1),
                section(2, 1, "貳", "商業", "貳", 0, 2, 5, 9, page=3)]
    outcome = gx.run("contents", q.contents_frame(doc, sections))
    assert failures(outcome) == {"entry_found_as_heading": "WARN", "heading_on_stated_page": "WARN"}
    assert outcome.result("entry_found_as_heading").sample == ("參、能源: 參、能源 (contents: p.5)",)
    assert outcome.result("heading_on_stated_page").sample == ("貳、商業: 貳、商業: contents p.4, heading on p.3",)


def test_outline_levels_must_nest(gx):
    good = SECTIONS + [section(3, 3, "（一）", "計畫", "壹/一/（一）", 2, 1, 2, 9)]
    assert gx.run("outline", q.outline_frame(good, 10)).passed
    bad = SECTIONS + [section(3, 2, "二", "計畫", "壹/一/二", 2, 1, 2, 12)]  # level 2 under a level 2
    outcome = gx.run("outline", q.outline_frame(bad, 10))
    assert {"deeper_than_parent", "ends_inside_parent"} <= set(failures(outcome))
    assert all(outcome.result(n).severity == "ERROR" for n in ("deeper_than_parent", "ends_inside_parent"))
    orphan = SECTIONS + [section(3, 3, "（一）", "計畫", "壹/一/（一）", 9, 1, 2, 9)]
    assert failures(gx.run("outline", q.outline_frame(orphan, 10)))["parent_exists"] == "ERROR"


def test_unexplained_digit_runs_are_counted(gx):
    text = "共輔導 12 家廠商，編號 345 及 6 號"
    para = Paragraph(1, 1, text, text, tuple(range(len(text))), ((0, 0, 1),))
    s12 = text.index("12")
    records = [qrec(1, "12 家", "12", lookup_unit("家"), paragraph_id=1)]
    records[0] = dataclasses.replace(records[0], q=dataclasses.replace(records[0].q, start=s12, end=s12 + 4))
    s345 = text.index("345")
    mentions = [MentionRecord(1, 1, 1, NumberMention(s345, s345 + 3, "345", "bare"))]
    outcome = gx.run("number_reconciliation", q.reconciliation_frame([para], records, mentions))
    assert failures(outcome) == {"every_digit_run_accounted": "WARN", "unexplained_share": "WARN"}
    share = outcome.result("unexplained_share")
    assert (share.unexpected_count, share.element_count) == (2, 3)  # 345 (bare) and 6 (unaccounted)


# ---------------------------------------------------------------------------------------------
# Star schema before the load: broken keys and missing dimensions are errors


@pytest.fixture(scope="module")
def mini_star(tmp_path_factory):
    """The star-schema frames of a small generated report."""
    from pipelines.report.pages import parse_pages
    from pipelines.report.parse import parse_report
    from pipelines.report.star import frames
    from tests.pdfgen import Style, Table, make_report

    pdf = tmp_path_factory.mktemp("mini") / "mini.pdf"
    make_report(pdf, [
        ("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
        ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"]),
        ("附錄、附表", [Table("附表一 專案辦理情形", ["專案", "件數（件）", "金額（億元）"], [["甲", "3", "0.5"]])]),
    ], Style(chars_per_line=24))
    parsed = parse_report(parse_pages(pdf, workers=1))
    return frames("mini", "mini.pdf", "0" * 64, "test", parsed)


def test_the_star_frames_of_a_good_report_pass(gx, mini_star):
    for suite, frame in q.star_frames("mini", mini_star).items():
        assert gx.run(suite, frame, "mini").passed, suite


def test_broken_keys_and_missing_dimensions_are_errors(gx, mini_star):
    fact = mini_star["fact_quantity"]
    broken = dict(mini_star)
    broken["fact_quantity"] = fact.assign(quantity_key=[fact["quantity_key"].iloc[0]] * len(fact))
    outcome = gx.run("fact_quantity", q.star_frames("mini", broken)["fact_quantity"], "mini")
    assert failures(outcome)["quantity_key_unique"] == "ERROR"
    assert failures(outcome)["quantity_key_deterministic"] == "ERROR"

    broken = dict(mini_star)
    broken["dim_unit"] = mini_star["dim_unit"].iloc[1:]  # a unit the facts use is missing
    outcome = gx.run("fact_quantity", q.star_frames("mini", broken)["fact_quantity"], "mini")
    assert failures(outcome) == {"unit_exists": "ERROR"}

    broken = dict(mini_star)
    broken["fact_quantity"] = fact.assign(section_key="mini:s999")
    outcome = gx.run("fact_quantity", q.star_frames("mini", broken)["fact_quantity"], "mini")
    assert failures(outcome) == {"section_exists": "ERROR"}


def test_a_unit_dimension_row_with_a_wrong_base_unit_is_an_error(gx, mini_star):
    broken = dict(mini_star)
    units = mini_star["dim_unit"].copy()
    units.loc[units["dimension"] == "money", "base_unit"] = "kWh"
    broken["dim_unit"] = units
    outcome = gx.run("dim_unit", q.star_frames("mini", broken)["dim_unit"], "mini")
    assert failures(outcome) == {"dimension_base_unit_valid": "ERROR", "unit_matches_unit_table": "ERROR"}


def test_forgetting_a_dropped_report_removes_its_results(tmp_path):
    resource = q.QualityResource(warehouse_path=str(tmp_path / "report.duckdb"))
    ok = q.ExpectationOutcome("pages", "has_pages", "expect_table_row_count_to_be_between", None,
                              "The report has pages.", "ERROR", True, "3", None, None, None, ())
    for rid in ("a", "b"):
        resource._save_summaries(rid, [q.SuiteOutcome("pages", rid, (ok,), run_id="r1", run_time="t")])
    q.write_index(resource.quality_dir)
    assert set(q.read_summaries(resource.quality_dir)) == {"a", "b"}
    resource.forget_report("a")
    assert set(q.read_summaries(resource.quality_dir)) == {"b"}
    page = resource.index_path.read_text(encoding="utf-8")
    assert "id='b'" in page and "id='a'" not in page


# ---------------------------------------------------------------------------------------------
# End to end through the CLI


def test_the_real_report_passes_every_error_expectation(report_warehouse):
    quality = report_warehouse.parent / "quality"
    assert (quality / "index.html").is_file() and (quality / "docs" / "index.html").is_file()
    con = duckdb.connect(str(report_warehouse), read_only=True)
    rows = con.execute("SELECT suite, expectation, severity, success, observed_value FROM dq_results "
                       "WHERE report_id = 'moea-101-achievements'").fetchall()
    runs = con.execute("SELECT count(DISTINCT run_id) FROM dq_results").fetchone()[0]
    con.close()
    assert {r[0] for r in rows} == set(q.SUITE_NAMES)  # every suite evaluated
    failed_errors = [r for r in rows if r[2] == "ERROR" and not r[3]]
    assert failed_errors == []
    assert runs == 1
    expected = sum(len(s.expectations) for s in q.load_suite_files().values())
    assert len(rows) == expected
    page = (quality / "index.html").read_text(encoding="utf-8")
    assert "moea-101-achievements" in page and all(s in page for s in q.SUITE_NAMES)
    # every suite's GX Data Docs page exists and is linked
    for o in q.read_summaries(quality)["moea-101-achievements"].values():
        assert o.docs_page and (quality / o.docs_page).is_file() and o.docs_page in page


@pytest.mark.slow
def test_the_federal_register_is_refused_as_not_a_report(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(NOT_A_REPORT_PDF, raw / NOT_A_REPORT_PDF.name)
    warehouse = tmp_path / "warehouse" / "report.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse),
                     env={"DAGSTER_HOME": str(tmp_path / "dagster_home")})
    assert result.returncode == 1
    assert f"federal-register-2020-17221.pdf: {errors.NOT_CHINESE}" in result.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM dim_report").fetchone()[0] == 0
    suites = {s for s, in con.execute("SELECT DISTINCT suite FROM dq_results").fetchall()}
    con.close()
    assert "fact_quantity" not in suites and "warehouse" not in suites  # blocked before the load
    page = (warehouse.parent / "quality" / "index.html").read_text(encoding="utf-8")
    assert "federal-register-2020-17221" in page


def test_unchanged_results_are_reused_under_the_new_run_and_a_changed_fingerprint_reruns(tmp_path):
    import duckdb

    from pipelines.quality import ExpectationOutcome, QualityResource, SuiteOutcome

    res = QualityResource(warehouse_path=str(tmp_path / "report.duckdb"))
    exp = ExpectationOutcome("pages", "no_empty_page", "expect_column_values_to_be_between", "chars", "d", "ERROR",
                             True, "0", 0, 3, 0.0, ())
    outcome = SuiteOutcome("pages", "r1", (exp,), run_id="run-1")
    fp = res.fingerprint("a" * 64)
    assert res.fingerprint("b" * 64) != fp
    res.remember("r1", {"pages": outcome}, fp, {"pages": {"note": 1}})
    assert res.reuse("r1", "run-2", ["pages"], "other") is None
    assert res.reuse("r1", "run-2", ["pages", "outline"], fp) is None  # a suite never run must run
    outcomes, extra = res.reuse("r1", "run-2", ["pages"], fp)
    assert outcomes["pages"].run_id == "run-2" and outcomes["pages"].passed and extra == {"pages": {"note": 1}}
    con = duckdb.connect(str(tmp_path / "report.duckdb"), read_only=True)
    assert con.execute("SELECT DISTINCT run_id, suite FROM dq_results").fetchall() == [("run-2", "pages")]
    con.close()


PREWARM_RACE = """
import sys
from pipelines import quality as q
from pipelines.report.model import Page, TextLine

line = TextLine("經濟部一〇一年施政成果", 0, 100, 0, 10, 10.0, "f")
pages = [Page(i, 595, 842, (line,), 11) for i in range(3)]
res = q.QualityResource(warehouse_path=sys.argv[1])
res.prewarm()  # GX imported in a background thread, as while the CLI's workers parse pages
q.import_gx()  # at once, as any GX use does: waits for the thread's import to finish
from great_expectations.core.run_identifier import RunIdentifier  # noqa: F401
out = res.validate("r1", "run-1", {"pages": q.pages_frame(pages)})  # at once: races the import
print(len(out["pages"].results))
"""


@pytest.mark.slow
@pytest.mark.parametrize("attempt", [1, 2])
def test_a_check_right_after_the_prewarm_meets_a_whole_great_expectations(tmp_path, attempt):
    """The pre-warm thread and the first check both import GX: one must wait for the other,
    else GX comes out half-initialised ("cannot import name ... partially initialized module")."""
    proc = subprocess.run([sys.executable, "-c", PREWARM_RACE, str(tmp_path / "report.duckdb")],
                          cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert int(proc.stdout) == len(q.load_suite_files()["pages"].expectations)  # every expectation evaluated

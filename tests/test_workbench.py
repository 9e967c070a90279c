"""The analyst's workbench: `query` (exact decimals, short text on screen, exports that round-trip,
named parameters, the list of questions), `export DIR` and `schema` (the data dictionary, and the
README's copy of it). A small warehouse built from the DDL with a few rows inserted by SQL stands in
for a real run."""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines import cli, data_dictionary, screen_table, workbench
from pipelines import warehouse as wh

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((REPO / "sql" / "analysis").glob("*.sql"))
BIG = Decimal("123456789012345678.123456")  # more digits than a double holds: any float on the way shows
LONG_CONTEXT = "101 年促成民間投資" + "，並持續推動產業升級與轉型" * 6 + "。"

ROWS = """
INSERT INTO dim_report (report_id, file_name, sha256, page_count, title, report_year, extractor_version)
VALUES ('r1', 'r1.pdf', 'ab12', 2, '成果報告', 2012, 'test');
INSERT INTO dim_page (page_key, report_id, page_index, page_label, page_number, kind, char_count, body_char_count)
VALUES ('r1:0', 'r1', 0, '1', 1, 'body', 100, 90), ('r1:1', 'r1', 1, '2', 2, 'body', 100, 90);
INSERT INTO dim_section (section_key, report_id, section_id, parent_section_key, level, marker, number, title,
                         section_path, chapter_no, chapter_title, page_key, last_page_key)
VALUES ('r1:1', 'r1', 1, NULL, 1, '壹', 1, '工業', '壹', 1, '工業', 'r1:0', 'r1:1'),
       ('r1:2', 'r1', 2, 'r1:1', 2, '一', 1, '投資', '壹/一', 1, '工業', 'r1:0', 'r1:0'),
       ('r1:3', 'r1', 3, NULL, 1, '貳', 2, '商業', '貳', 2, '商業', 'r1:1', 'r1:1');
INSERT INTO dim_unit (unit_key, unit, dimension, base_unit, factor, currency)
VALUES ('億元', '億元', 'money', 'TWD', 100000000, 'TWD'), ('元', '元', 'money', 'TWD', 1, 'TWD'),
       ('人', '人', 'count', '人', 1, NULL), ('人次', '人次', 'count', '人次', 1, NULL);
INSERT INTO dim_period VALUES (2012, 101);
INSERT INTO fact_quantity (quantity_key, report_id, source, quantity_no, section_key, page_key, unit_key, year,
                           raw_text, number_text, value, quantity, context, indicator, is_cumulative,
                           is_target, is_approximate)
VALUES
 ('r1:text:1', 'r1', 'text', 1, 'r1:2', 'r1:0', '億元', 2012, E'11,344\\n億元', '11,344', 11344, 1134400000000,
  '提供保證金額 11,344 億元。', 'guarantee', false, false, false),
 ('r1:text:2', 'r1', 'text', 2, 'r1:2', 'r1:0', '億元', 2012, '2,707.3 億元', '2,707.3', 2707.3, 270730000000,
  LONG_CONTEXT, 'investment', false, false, false),
 ('r1:text:3', 'r1', 'text', 3, 'r1:2', 'r1:0', '億元', 2012, '500 億元', '500', 500, 50000000000,
  '預計投資 500 億元。', 'investment', false, true, false),
 ('r1:text:4', 'r1', 'text', 4, 'r1:3', 'r1:1', '元', 2012, 'BIG 元', 'BIG', BIG_VALUE, BIG_VALUE,
  '營業額 BIG 元。', 'revenue', false, false, false),
 ('r1:text:5', 'r1', 'text', 5, 'r1:3', 'r1:1', '人', 2012, '8,922 人', '8,922', 8922, 8922,
  '帶動就業達 8,922 人。', NULL, false, false, false),
 ('r1:text:6', 'r1', 'text', 6, 'r1:3', 'r1:1', '人次', 2012, '573 人次', '573', 573, 573,
  '增加 573 人次就業人口。', NULL, false, false, false);
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workbench") / "report.duckdb"
    with wh.connect(path) as con:
        wh.ensure_schema(con)
        sql = (ROWS.replace("LONG_CONTEXT", "'" + LONG_CONTEXT + "'").replace("BIG_VALUE", str(BIG))
               .replace("BIG", format(BIG, ",f")))
        for statement in filter(str.strip, sql.split(";\n")):
            con.execute(statement)
    return path


def cli_out(capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def query_result(db: Path, sql: str, params=None, variables=None):
    with duckdb.connect(str(db), read_only=True) as con:
        for k, v in (variables or {}).items():
            con.execute(f'SET VARIABLE "{k}" = ?', [v])
        res = con.execute(sql, params or {})
        return [(d[0], str(d[1])) for d in res.description], res.fetchall()


# --- on screen -------------------------------------------------------------------------------------

def test_decimals_print_exactly_with_thousands_separators():
    assert screen_table.exact_number(Decimal("1134400000000.000000")) == "1,134,400,000,000"
    assert screen_table.exact_number(BIG) == "123,456,789,012,345,678.123456"
    assert screen_table.exact_number(Decimal("2707.300000")) == "2,707.3"
    assert screen_table.exact_number(Decimal("-0.000000")) == "0"
    assert screen_table.format_cell(1.1344e12, "DOUBLE") == "1,134,400,000,000"
    assert screen_table.format_cell(2012, "INTEGER") == "2012"  # years and pages stay bare


def test_query_prints_exact_sums_never_in_exponent_form(warehouse, capsys, tmp_path):
    q = tmp_path / "sums.sql"
    q.write_text("-- sums\nSELECT sum(quantity_exact) AS total, max(quantity) AS as_double FROM v_quantities "
                 "WHERE dimension = 'money';\n", encoding="utf-8")
    rc, out, err = cli_out(capsys, "query", str(q), "--warehouse", str(warehouse))
    assert rc == 0, err
    total = BIG + 1134400000000 + 270730000000 + 50000000000
    assert screen_table.exact_number(total) in out
    assert not re.search(r"\de[+-]\d", out)


def test_long_text_is_cut_on_screen_with_a_marker_and_line_breaks_shown(warehouse, capsys, tmp_path):
    q = tmp_path / "text.sql"
    q.write_text("SELECT raw_text, context FROM v_quantities ORDER BY quantity_key;\n", encoding="utf-8")
    rc, out, _ = cli_out(capsys, "query", str(q), "--warehouse", str(warehouse))
    assert rc == 0
    assert "11,344" + screen_table.LINE_BREAK_MARK + "億元" in out
    assert LONG_CONTEXT not in out and screen_table.CUT_MARK in out
    assert max(screen_table.display_width(line) for line in out.splitlines()) < 120
    assert screen_table.display_width(screen_table.shorten(LONG_CONTEXT)) <= screen_table.TEXT_WIDTH


# --- exports ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", QUESTIONS, ids=lambda p: p.stem)
def test_csv_and_parquet_exports_read_back_equal_to_the_query(warehouse, capsys, tmp_path, question):
    columns, expected = query_result(warehouse, question.read_text(encoding="utf-8"))
    types = {name: t for name, t in columns}
    for fmt in ("csv", "parquet"):
        target = tmp_path / f"{question.stem}.{fmt}"
        rc, out, err = cli_out(capsys, "query", question.stem, f"--{fmt}", "-o", str(target),
                               "--warehouse", str(warehouse))
        assert rc == 0, err
        with duckdb.connect() as con:
            if fmt == "parquet":
                back = con.execute("SELECT * FROM read_parquet(?)", [str(target)])
            else:
                back = con.execute("SELECT * FROM read_csv(?, header = true, columns = ?)", [str(target), types])
            assert [(d[0], str(d[1])) for d in back.description] == columns
            assert back.fetchall() == expected, fmt


def test_csv_export_writes_decimals_as_their_digits(warehouse, capsys, tmp_path):
    target = tmp_path / "money.csv"
    rc, _, err = cli_out(capsys, "query", "03_largest_amounts", "-o", str(target), "--warehouse", str(warehouse))
    assert rc == 0, err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[0]["amount"] == format(BIG, "f")  # no float, no exponent, nothing cut
    assert rows[1]["raw_text"] == "11,344\n億元"  # text exported as written, line break kept
    assert LONG_CONTEXT in {r["context"] for r in rows}


def test_xlsx_export_keeps_every_digit(warehouse, capsys, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "money.xlsx"
    rc, _, err = cli_out(capsys, "query", "03_largest_amounts", "--xlsx", "-o", str(target),
                         "--warehouse", str(warehouse))
    assert rc == 0, err
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    amount = header.index("amount")
    assert data[0][amount] == format(BIG, "f")  # beyond a double's 15 digits: its exact text
    assert data[1][amount] == 1134400000000     # a number Excel can hold exactly: a number
    assert LONG_CONTEXT in [r[header.index("context")] for r in data]


def test_export_writes_every_table_and_view(warehouse, capsys, tmp_path):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        objects = workbench.warehouse_objects(con)
        counts = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n, _ in objects}
    assert {"fact_quantity", "v_quantities", "dim_report"} <= set(counts)
    for fmt in ("parquet", "csv"):
        out_dir = tmp_path / fmt
        rc, out, err = cli_out(capsys, "export", "--format", fmt, str(out_dir), "--warehouse", str(warehouse))
        assert rc == 0, err
        assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{n}.{fmt}" for n in counts)
        with duckdb.connect() as con:
            for name, n in counts.items():
                reader = "read_parquet" if fmt == "parquet" else "read_csv"
                assert con.execute(f"SELECT count(*) FROM {reader}(?)", [str(out_dir / f"{name}.{fmt}")]
                                   ).fetchone()[0] == n, name
    with duckdb.connect() as con:
        back = con.execute("SELECT quantity_exact FROM read_parquet(?) ORDER BY quantity_key",
                           [str(tmp_path / "parquet" / "v_quantities.parquet")]).fetchall()
    assert (BIG,) in back


# --- parameters ------------------------------------------------------------------------------------

@pytest.fixture
def parameterised(tmp_path) -> Path:
    q = tmp_path / "by_unit.sql"
    q.write_text("-- Quantities of one unit from one year on.\n"
                 "-- $unit is the unit as written; $since = 2000 is the first year.\n"
                 "SELECT quantity_key, quantity_exact FROM v_quantities\n"
                 "WHERE unit = $unit AND year >= $since AND raw_text <> '$not_a_parameter' -- nor $this\n"
                 "ORDER BY quantity_key;\n", encoding="utf-8")
    return q


def test_param_fills_named_parameters(warehouse, capsys, parameterised):
    question = workbench.read_question(parameterised)
    assert question.parameters == ["unit", "since"] and question.defaults == {"since": "2000"}
    rc, out, err = cli_out(capsys, "query", str(parameterised), "--param", "unit=人", "--warehouse", str(warehouse))
    assert rc == 0, err
    assert "r1:text:5" in out and "r1:text:1" not in out and "(1 row)" in out
    rc, out, _ = cli_out(capsys, "query", str(parameterised), "--param", "unit=人", "--param", "since=2013",
                         "--warehouse", str(warehouse))
    assert rc == 0 and "(0 rows)" in out


def test_param_missing_or_unknown_is_one_line_naming_it(warehouse, capsys, parameterised):
    rc, out, err = cli_out(capsys, "query", str(parameterised), "--warehouse", str(warehouse))
    assert rc == 1 and out == "" and err.count("\n") == 1 and "$unit" in err and "--param unit=" in err
    rc, _, err = cli_out(capsys, "query", str(parameterised), "--param", "unit=人", "--param", "colour=red",
                         "--warehouse", str(warehouse))
    assert rc == 1 and err.count("\n") == 1 and "'colour'" in err and "unit, since" in err
    rc, _, err = cli_out(capsys, "query", str(parameterised), "--param", "unit", "--warehouse", str(warehouse))
    assert rc == 1 and "NAME=VALUE" in err


def test_section_subtree_takes_its_path_as_a_parameter(warehouse, capsys, tmp_path):
    sql = (REPO / "sql" / "analysis" / "06_section_subtree.sql").read_text(encoding="utf-8")
    _, default_rows = query_result(warehouse, sql)  # runnable as plain SQL: its default path 陸/五
    assert default_rows == []
    _, rows = query_result(warehouse, sql, variables={"path": "壹"})
    assert {r[1] for r in rows} == {"壹/一"} and len(rows) == 3
    target = tmp_path / "subtree.csv"
    rc, _, err = cli_out(capsys, "query", "06", "--param", "path=貳", "-o", str(target), "--warehouse", str(warehouse))
    assert rc == 0, err
    assert [r["section_path"] for r in csv.DictReader(target.open(encoding="utf-8"))] == ["貳", "貳", "貳"]


# --- the list of questions -------------------------------------------------------------------------

def test_list_shows_every_question_with_its_header(capsys):
    for args in (["query", "--list"], ["query"]):
        rc, out, _ = cli_out(capsys, *args)
        assert rc == 0
        for q in QUESTIONS:
            assert q.stem in out
            first = q.read_text(encoding="utf-8").splitlines()[0].lstrip("- ")
            assert first in out
    with pytest.raises(SystemExit):
        cli.main(["query", "--help"])
    out, _ = capsys.readouterr()
    assert all(q.stem in out for q in QUESTIONS) and "--param" in out and "--xlsx" in out


def test_every_question_has_a_header_and_runs(warehouse):
    for q in workbench.questions():
        assert q.header and q.header[0], f"{q.name}: no header comment saying what it answers"
        query_result(warehouse, q.sql)


def test_jobs_leave_out_visits_targets_and_cumulative_figures(warehouse):
    sql = (REPO / "sql" / "analysis" / "04_jobs_by_chapter.sql").read_text(encoding="utf-8")
    columns, rows = query_result(warehouse, sql)
    names = [c for c, _ in columns]
    assert [r[names.index("total")] for r in rows] == [8922]  # not 8922 + 573 人次


def test_money_totals_leave_out_targets(warehouse):
    sql = (REPO / "sql" / "analysis" / "02_money_by_chapter_indicator.sql").read_text(encoding="utf-8")
    columns, rows = query_result(warehouse, sql)
    names = [c for c, _ in columns]
    investment = [r for r in rows if r[names.index("indicator")] == "investment"][0]
    assert investment[names.index("total_reported")] == Decimal("270730000000")
    assert investment[names.index("total_target")] == Decimal("50000000000")


# --- a missing warehouse ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["query", "01_quantities_by_chapter"], ["export", "OUT"], ["schema"]])
def test_a_missing_warehouse_is_one_line_and_never_created(capsys, tmp_path, args):
    missing = tmp_path / "nowhere" / "report.duckdb"
    args = [str(tmp_path / a) if a == "OUT" else a for a in args]
    rc, out, err = cli_out(capsys, *args, "--warehouse", str(missing))
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and str(missing) in err and "make run" in err
    assert not missing.exists() and not missing.parent.exists()


# --- the data dictionary ---------------------------------------------------------------------------

def test_schema_lists_every_table_view_and_column(warehouse, capsys):
    rc, out, err = cli_out(capsys, "schema", "--warehouse", str(warehouse))
    assert rc == 0, err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cols = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                           "WHERE schema_name = 'main' AND NOT internal").fetchall()
    for table, column in cols:
        assert f"table {table}" in out or f"view {table}" in out
        assert re.search(rf"^    {re.escape(column)}\s", out, re.M), (table, column)


def test_schema_prints_comments_and_empty_for_none():
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR)")
        con.execute("COMMENT ON TABLE t IS 'one | row'")
        con.execute("COMMENT ON COLUMN t.a IS 'the key | a or b'")
        con.execute("CREATE VIEW v AS SELECT a FROM t")
        md = data_dictionary.render(con, markdown=True)
        text = data_dictionary.render(con)
    assert "#### `t` (table)\n\none | row\n" in md and "| `a` | INTEGER NOT NULL | the key \\| a or b |" in md
    assert "| `b` | VARCHAR |  |" in md and "#### `v` (view)" in md
    assert text.splitlines()[0] == "table t -- one | row" and "INTEGER NOT NULL  the key | a or b" in text


README_BEGIN = "<!-- schema:begin"
README_END = "<!-- schema:end -->"


def test_readme_data_dictionary_is_the_generated_one(tmp_path):
    """The README's data dictionary is `python -m pipelines schema --markdown` of a warehouse built
    from sql/ddl: regenerate the block between the markers when the DDL changes."""
    with wh.connect(tmp_path / "empty.duckdb") as con:
        wh.ensure_schema(con)
        generated = data_dictionary.render(con, markdown=True)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n", readme.index(README_BEGIN)) + 1
    block = readme[start:readme.index(README_END)].strip("\n")
    assert block == generated, ("README.md's data dictionary is stale: replace the block between the schema "
                                "markers with `python -m pipelines schema --markdown --from-ddl`")

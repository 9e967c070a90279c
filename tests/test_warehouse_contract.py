"""The analysis contract: v_quantities columns, keys, traceability, the comments of the data
dictionary, and the example queries."""
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import SQL_DIR

CONTRACT = ["report_id", "chapter_no", "chapter_title", "section_path", "page_number", "source", "raw_text",
            "value", "unit", "dimension", "currency", "quantity", "base_unit", "year", "context"]


@pytest.fixture(scope="module")
def con(report_warehouse):
    c = duckdb.connect(str(report_warehouse), read_only=True)
    yield c
    c.close()


def query(con, name: str):
    sql = (SQL_DIR / "analysis" / name).read_text(encoding="utf-8")
    return con.execute(sql).df()


def test_v_quantities_has_the_contract_columns_in_order(con):
    cols = [r[0] for r in con.execute("DESCRIBE v_quantities").fetchall()]
    assert cols[: len(CONTRACT)] == CONTRACT
    assert {"indicator", "is_cumulative", "is_target", "is_approximate", "comparison"} <= set(cols)


def test_chapters_and_paths(con):
    chapters = con.execute("SELECT DISTINCT chapter_no, chapter_title FROM v_quantities WHERE chapter_no IS NOT NULL "
                           "ORDER BY 1").fetchall()
    assert [c for c, _ in chapters] == list(range(1, 13))
    assert dict(chapters)[6] == "貿易"
    bad = con.execute("SELECT count(*) FROM v_quantities WHERE source = 'text' AND "
                      "(section_path IS NULL OR page_number IS NULL OR context IS NULL)").fetchone()[0]
    assert bad == 0


def test_a_figure_is_traceable_to_page_sentence_and_text_as_written(con):
    row = con.execute("SELECT chapter_no, section_path, page_number, raw_text, value, unit, quantity_exact, "
                      "currency, year, context FROM v_quantities WHERE raw_text = '2,707.\n3 億美元'").fetchone()
    assert row is not None, "a number split by a line break must be found whole, with the break kept"
    chapter, path, page, raw, value, unit, exact, currency, year, context = row
    assert (chapter, unit, currency, year) == (6, "億美元", "USD", 2012)
    assert value == Decimal("2707.3") and exact == Decimal("270730000000")
    assert path.startswith("陸/一") and page == 44 and "進口" in context


def test_money_is_exact_and_currency_only_on_money(con):
    assert con.execute("SELECT count(*) FROM v_quantities WHERE (currency IS NULL) = (dimension = 'money')"
                       ).fetchone()[0] == 0
    typ = con.execute("SELECT typeof(quantity_exact), typeof(value) FROM v_quantities LIMIT 1").fetchone()
    assert all(t.startswith("DECIMAL") for t in typ)


def test_keys_are_unique_and_deterministic(con):
    n, distinct = con.execute("SELECT count(*), count(DISTINCT quantity_key) FROM v_quantities").fetchone()
    assert n == distinct
    assert con.execute("SELECT min(quantity_key) FROM fact_quantity").fetchone()[0].startswith("moea-101-achievements:")


def test_year_dimension_and_units_cover_every_fact(con):
    orphans = con.execute("""
        SELECT count(*) FROM fact_quantity f
        LEFT JOIN dim_unit u USING (unit_key) LEFT JOIN dim_period y USING (year)
        WHERE u.unit_key IS NULL OR (f.year IS NOT NULL AND y.year IS NULL)""").fetchone()[0]
    assert orphans == 0


def test_query_quantities_by_chapter(con):
    df = query(con, "01_quantities_by_chapter.sql")
    trade_money = df[(df.chapter_no == 6) & (df.dimension == "money")].quantities.sum()
    assert trade_money > 30
    assert set(df.dimension) <= {"money", "percent", "count", "area", "volume", "mass", "energy", "power",
                                 "length", "other"}


def test_query_money_by_chapter_and_indicator_never_mixes_currencies(con):
    df = query(con, "02_money_by_chapter_indicator.sql")
    assert df.groupby(["report_id", "chapter_no", "indicator"], dropna=False).currency.nunique().max() <= 2
    trade = df[(df.chapter_no == 6) & (df.indicator == "trade") & (df.currency == "USD")]
    assert len(trade) == 1 and trade.amounts.iloc[0] >= 5


def test_query_largest_amounts(con):
    df = query(con, "03_largest_amounts.sql")
    assert len(df) == 20
    twd = df[df.currency == "TWD"].amount.tolist()
    assert twd == sorted(twd, reverse=True)
    assert df.context.str.len().min() > 5


def test_query_jobs_by_chapter(con):
    df = query(con, "04_jobs_by_chapter.sql")
    assert len(df) >= 3
    assert (df.total > 0).all()
    assert df.facts_as_written.str.contains("人|名|位").all()


def test_query_growth_percentages_have_base_years(con):
    df = query(con, "05_growth_percentages.sql")
    vs_year = df[df.comparison == "change_vs_year"]
    assert len(vs_year) >= 10
    assert vs_year.base_year.notna().all()
    assert (vs_year.base_year < vs_year.year.fillna(9999)).all()


def test_query_section_subtree(con):
    df = query(con, "06_section_subtree.sql")
    assert len(df) > 10
    assert df.section_path.map(lambda p: p == "陸/五" or p.startswith("陸/五/")).all()


def test_indicator_agrees_with_hand_labels_in_the_warehouse(con):
    import json
    gold = [json.loads(l) for l in (Path(__file__).parent / "data" / "gold" / "dev_money_indicators.jsonl")
            .read_text(encoding="utf-8").splitlines() if l.strip()]
    rows = con.execute("SELECT chapter_no, currency, quantity, indicator FROM v_quantities "
                       "WHERE source = 'text' AND dimension = 'money'").fetchall()
    pool = {}
    for ch, cur, q, ind in rows:
        pool.setdefault((ch, cur, round(q, 2)), []).append(ind)
    agree = 0
    for g in gold:
        candidates = pool.get((g["chapter_no"], g["currency"], round(float(g["base_value"]), 2)), [])
        if g["label"] in candidates:
            candidates.remove(g["label"])
            agree += 1
    assert agree / len(gold) >= 0.9, f"{agree}/{len(gold)}"


def test_flags_on_known_sentences(con):
    cum = con.execute("SELECT bool_and(is_cumulative) FROM v_quantities WHERE context LIKE '%累計%' "
                      "AND context LIKE '截至%' AND dimension = 'money'").fetchone()[0]
    assert cum is True or cum is None
    target = con.execute("SELECT is_target FROM v_quantities WHERE raw_text = '120 億元' "
                         "AND context LIKE '%預計未來衍生產值%'").fetchone()[0]
    assert target is True
    approx = con.execute("SELECT is_approximate FROM v_quantities WHERE raw_text = '3.8 億元' "
                         "AND context LIKE '%投資近%'").fetchone()[0]
    assert approx is True


def test_decimal_cells_of_any_width_load_exactly_whatever_comes_first():
    """DuckDB types a Decimal column from its first values; a wider value later must still load."""
    import pandas as pd

    from pipelines import warehouse as wh

    con = duckdb.connect()
    con.execute("CREATE TABLE t (k INTEGER, v DECIMAL(38, 6))")
    values = [Decimal("12.34"), Decimal("22524245"), None, Decimal("1E+7"), Decimal("0.000001")]
    wh._insert(con, "t", pd.DataFrame({"k": range(len(values)), "v": values}))
    got = [v for _, v in con.execute("SELECT k, v FROM t ORDER BY k").fetchall()]
    assert got == [Decimal("12.34"), Decimal("22524245"), None, Decimal("10000000"), Decimal("0.000001")]


def test_every_table_view_and_column_of_the_warehouse_has_a_comment(con):
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR comment = ''").fetchall()
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND "
                        "(comment IS NULL OR comment = '')").fetchall()
    columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND "
                          "(comment IS NULL OR comment = '')").fetchall()
    assert (tables, views, columns) == ([], [], [])
    assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'v_quantities' AND NOT internal"
                       ).fetchone()[0] == len(con.execute("DESCRIBE v_quantities").fetchall())


def _comment(con, table: str, column: str) -> str:
    return con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
                       [table, column]).fetchone()[0]


def test_every_comparison_dimension_and_kind_is_documented(con):
    """Each value the extractor can write, and each value in the loaded report, is named (and
    described) in its column's comment."""
    from pipelines.report.units import PHYSICAL

    comparisons = {"change_vs_year", "change_vs_previous_year", "change"}
    comparisons |= {c for c, in con.execute("SELECT DISTINCT comparison FROM fact_quantity "
                                            "WHERE comparison IS NOT NULL").fetchall()}
    dimensions = {"money", "percent", "count"} | {d for d, _, _ in PHYSICAL.values()}
    dimensions |= {d for d, in con.execute("SELECT DISTINCT dimension FROM dim_unit").fetchall()}
    kinds = {k for k, in con.execute("SELECT DISTINCT kind FROM number_mention").fetchall()}
    indicators = {i for i, in con.execute("SELECT DISTINCT indicator FROM fact_quantity "
                                          "WHERE indicator IS NOT NULL").fetchall()}
    for table, column, values in [("fact_quantity", "comparison", comparisons),
                                  ("v_quantities", "comparison", comparisons),
                                  ("dim_unit", "dimension", dimensions), ("v_quantities", "dimension", dimensions),
                                  ("number_mention", "kind", kinds), ("fact_quantity", "indicator", indicators)]:
        comment = _comment(con, table, column)
        missing = {v for v in values if not re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", comment)}
        assert not missing, f"{table}.{column}: {sorted(missing)} not described in its comment"


def test_number_text_and_raw_text_flat_are_appended_to_the_contract(con):
    cols = [r[0] for r in con.execute("DESCRIBE v_quantities").fetchall()]
    assert cols[-6:] == ["number_text", "raw_text_flat", "x0", "top", "x1", "bottom"]  # the box came next (schema 3)
    rows = con.execute("SELECT raw_text, raw_text_flat, number_text FROM v_quantities "
                       "WHERE raw_text_flat = '2,707.3 億美元'").fetchall()
    assert rows == [("2,707.\n3 億美元", "2,707.3 億美元", "2,707.3 億美元")]
    broken, = con.execute("SELECT count(*) FROM v_quantities WHERE raw_text_flat LIKE '%' || chr(10) || '%' "
                          "OR raw_text_flat <> replace(raw_text, chr(10), '')").fetchone()
    assert broken == 0
    assert con.execute("SELECT count(*) FROM v_quantities WHERE number_text IS NULL").fetchone()[0] == 0


def test_table_quantities_carry_their_row_and_column_labels_and_prose_none(con):
    rows = con.execute("SELECT source, row_label, column_label, pdf_page, page_number FROM v_quantities").fetchall()
    table = [r for r in rows if r[0] == "table"]
    assert table and all(r[1] and r[2] for r in table)
    assert all(r[1] is None and r[2] is None for r in rows if r[0] == "text")
    assert all(r[3] >= 1 for r in rows)

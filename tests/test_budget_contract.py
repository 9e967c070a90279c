"""Budget books downstream of the table reader, on hand-made TableRecords and CellRecords (no PDF):
what each column holds (budget_columns and its rule file), the warehouse's budget columns and views
(v_budget_lines, v_budget_cells; the upgrade of a version-3 warehouse), the question
07_largest_budget_changes, and the budget_lines suite, each of whose checks fails on a wrong row
naming the table, the row and the numbers."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines import migrations
from pipelines import warehouse as wh
from pipelines.report import budget_columns as bc
from pipelines.report import rules, star
from pipelines.report.document import Document, PageInfo
from pipelines.report.parse import ParsedReport
from pipelines.report.rules import RULES_DIR, RuleError
from pipelines.report.tables import CellRecord, TableRecord, parse_cell
from pipelines.report.units import lookup_unit

REPO = Path(__file__).resolve().parent.parent
QUESTION = REPO / "sql" / "analysis" / "07_largest_budget_changes.sql"
NEW_COLUMNS = ("row_name", "row_code", "row_depth", "parent_row_no", "column_role")

# --------------------------------------------------------------------------------------------------
# roles of columns


@pytest.mark.parametrize("header, role", [
    ("本年度預算數", "this_year_budget"), ("本年度預算", "this_year_budget"), ("本年度", "this_year_budget"),
    ("本 年 度 預 算 數", "this_year_budget"), ("本年度預算數（千元）", "this_year_budget"),
    ("年需經費/本年度", "this_year_budget"), ("本年度預算數/合計", "this_year_budget"),
    ("上年度預算數", "last_year_budget"), ("上年度法定預算數", "last_year_budget"), ("年需經費/上年度", "last_year_budget"),
    ("前年度決算數", "prior_year_actual"), ("前年度決算", "prior_year_actual"), ("112年度決算數", "prior_year_actual"),
    ("本年度與上年度比較", "change"), ("比較增減", "change"), ("比較增減(-)", "change"), ("比較增減（-）", "change"),
    ("增減", "change"), ("較上年度增減", "change"), ("年需經費/比較", "change"), ("本年度增減(-)數", "change"),
    ("說明", "note"), ("備註", "note"), ("增減說明", "note"), ("計畫內容說明", "note"),
    ("本年度變動/主要增減原因說明", "note"),
    ("本年度變動/增加/金額", "other"), ("本年度與上年度比較/%", "other"), ("預算數/金額", "other"),
    ("114年度預算數", "other"),  # a year-named column alone: which year is this one? (see column_roles)
    ("科目/名稱及編號", None), ("承辦單位", None), ("科目", None), ("業務計畫及用途別科目", None),
])
def test_column_role_of_one_header(header, role):
    assert bc.column_role(header) == role


def test_a_header_that_swallowed_its_figures_still_names_its_role():
    assert bc.column_role("本年度預算數 278,856 1,786 1,786 - - 1,786") == "this_year_budget"
    assert bc.column_role("本年度與上年度比較 -59,934 -51,190") == "change"


def test_amount_flag_and_book_year_for_one_column():
    assert bc.column_role("實施內容", amount=False) is None and bc.column_role("實施內容", amount=True) == "other"
    assert bc.column_role("114年度預算數", roc_year=114) == "this_year_budget"
    assert bc.column_role("113年度預算數", roc_year=114) == "last_year_budget"
    assert bc.column_role("114 年度法定預算數", roc_year=115) == "last_year_budget"


def test_year_named_columns_are_told_apart_within_their_table():
    headers = ["科目", "114年度預算數", "113年度預算數", "112年度決算數", "比較增減", "說明"]
    assert bc.column_roles(headers) == [None, "this_year_budget", "last_year_budget", "prior_year_actual", "change",
                                        "note"]
    # another book, another year: the same comparison
    assert bc.column_roles(["項目", "116年度預算數", "115年度法定預算數"]) == [None, "this_year_budget",
                                                                               "last_year_budget"]
    # the book's year, when a column names it, is this year
    assert bc.column_roles(["項目", "115年度預算數", "114年度預算數", "113年度預算數"], roc_year=114) == [
        None, "other", "this_year_budget", "last_year_budget"]


def test_one_column_per_role_and_a_bare_budget_column_beside_last_year():
    headers = ["科目", "本年度預算數/合計", "本年度預算數/甲計畫", "本年度預算數/乙計畫", "上年度預算數"]
    assert bc.column_roles(headers) == [None, "this_year_budget", "other", "other", "last_year_budget"]
    # a staff table: headcounts this year and last per kind of staff, then the money with its change
    staff = ["人/聘用/本年度", "人/聘用/上年度", "人/合計/本年度", "人/合計/上年度", "年需經費/本年度", "年需經費/上年度",
             "年需經費/比較", "說明"]
    assert bc.column_roles(staff) == ["other"] * 4 + ["this_year_budget", "last_year_budget", "change", "note"]
    assert bc.column_roles(["科目", "預算數", "上年度預算數", "比較"]) == [None, "this_year_budget", "last_year_budget",
                                                                        "change"]
    assert bc.column_roles(["科目", "預算數", "數量"]) == [None, "other", "other"]  # not a budget table
    amounts = [False, True, False]
    assert bc.column_roles(["科目", "數量", "實施內容"], amounts) == [None, "other", None]


def test_a_budget_table_needs_this_year_and_a_companion():
    assert bc.is_budget_table([None, "this_year_budget", "change"])
    assert bc.is_budget_table([None, "this_year_budget", "prior_year_actual"])
    assert not bc.is_budget_table([None, "this_year_budget", "other", "note"])
    assert not bc.is_budget_table([None, "last_year_budget", "change"])


@pytest.mark.parametrize("note, value, unit, twd", [
    ("本年度預算數 1,006,592 千元，包括：", "1006592", "千元", "1006592000"),
    ("本年度預算數1,006,592千元", "1006592", "千元", "1006592000"),
    ("（一）本年度預算數：12.5 億元", "12.5", "億元", "1250000000"),
    ("本年度預算數新臺幣 300 萬元", "300", "萬元", "3000000"),
])
def test_note_total(note, value, unit, twd):
    got = bc.note_total(note)
    assert (got.value, got.unit, got.quantity) == (Decimal(value), unit, Decimal(twd))


@pytest.mark.parametrize("note", ["上年度預算數 5 千元", "辦理本年度預算數 5 千元", "本年度預算數 5 件", "", None])
def test_a_note_that_does_not_open_with_its_total_states_none(note):
    assert bc.note_total(note) is None


# --------------------------------------------------------------------------------------------------
# the rule file


def _edited(tmp_path, old: str, new: str) -> Path:
    text = (RULES_DIR / "budget_columns.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "budget_columns.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(path: Path, what: str, needle: str | None = None) -> None:
    with pytest.raises(RuleError) as err:
        rules.load_budget_columns(path)
    message = str(err.value)
    assert path.name in message and what in message and "\n" not in message, message
    if needle is not None:
        line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                    if needle in ln and not ln.lstrip().startswith("#"))
        assert f"{path.name}:{line}:" in message, message


def test_the_rule_file_loads_and_a_new_word_takes_effect(tmp_path):
    assert [r for r, _, _ in rules.load_budget_columns().roles] == ["note", "change", "prior_year_actual",
                                                                     "last_year_budget", "this_year_budget"]
    path = _edited(tmp_path, 'equals = ["本年度預算數",', 'equals = ["本期預算數", "本年度預算數",')
    assert bc.column_role("本期預算數", rules=rules.load_budget_columns(path)) == "this_year_budget"
    assert bc.column_role("本期預算數") == "other"


def test_the_rule_file_malformed(tmp_path):
    _refused(_edited(tmp_path, "[this_year_budget]", "[this_years_budget]"), "unknown table [this_years_budget]",
             "[this_years_budget]")
    _refused(_edited(tmp_path, 'equals = ["上年度預算數",', 'equals = ["本年度預算數",'),
             "'本年度預算數' is already a word of [last_year_budget]", '"本年度預算數", "本年度預算", "本年度"')
    _refused(_edited(tmp_path, 'patterns = ["前年度(決算|實際)', 'patterns = ["前年度((決算|實際)'),
             "is not a regular expression", 'patterns = ["前年度((')
    _refused(_edited(tmp_path, 'year = "(\\\\d{2,3})年度"', 'year = "\\\\d{2,3}年度"'), "exactly one group", "year =")
    _refused(_edited(tmp_path, 'actual_words = ["決算數"', 'actual_words = ["預算數"'),
             "'預算數' is in both budget_words and actual_words", "actual_words =")
    _refused(_edited(tmp_path, "[note]\nequals", "[note]\nequal"), "[note] unknown key 'equal'", "equal = [")


# --------------------------------------------------------------------------------------------------
# hand-made budget book: one budget table (roles given by the reader), one flat table, one budget
# table whose roles the warehouse reads from its year-named headers

K = "千元"
BIG = "9,007,199,254,740.993"  # 2**53 + 1 TWD once in 元: a double cannot hold it
HEADER = ("科目/名稱及編號", "本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較", "說明")
ROLES = (None, "this_year_budget", "last_year_budget", "prior_year_actual", "change", "note")
# (row_no, code, name, depth, parent, this year, last year, prior year, change, note)
ROWS = [
    (1, None, "合計", None, None, "9,007,199,255,740.993", "9,007,199,255,540", "1,000", "200.993", ""),
    (2, "0400000000", "罰款及賠償收入", 1, None, "1,000", "800", "700", "200", "本年度預算數 1,000 千元，包括："),
    (3, "0408010000", "內政部", 2, 2, "1,000", "800", "700", "200", ""),
    (4, "0408010100", "罰金罰鍰", 3, 3, "600.5", "800", "-", "-199.5", "依法收取之罰金。"),
    (5, "0408010200", "賠償收入", 3, 3, "399.5", "-", "700", "399.5", ""),
    (6, "0700000000", "財產收入", 1, None, BIG, "9,007,199,254,740", "300", "0.993", ""),
]


def _path(row_no: int) -> str:
    by_no = {r[0]: r for r in ROWS}
    parts, r = [], by_no[row_no]
    while r is not None:
        parts.append(r[2])
        r = by_no.get(r[4]) if r[4] else None
    return "/".join(reversed(parts))


def _cell(table_no, row_no, col_no, row_label, col_label, text, is_header=False, is_total=False, amount=False,
          page=3, **row) -> CellRecord:
    value = unit = None
    if amount and not is_header:
        parsed = parse_cell(text)
        if parsed is not None:
            value, unit = parsed[0], lookup_unit(K)
    return CellRecord(table_no=table_no, row_no=row_no, col_no=col_no, row_label=row_label, col_label=col_label,
                      text=text, is_header=is_header, is_total=is_total, value=value,
                      unit_written=unit.written if unit else None, dimension=unit.dimension if unit else None,
                      base_unit=unit.base_unit if unit else None, currency=unit.currency if unit else None,
                      quantity=value * unit.factor if unit else None, unit_source="unit line" if unit else "none",
                      page_index=page, **row)


def book(rows=ROWS) -> tuple[list[TableRecord], list[CellRecord]]:
    tables = [
        TableRecord(1, 3, "歲入來源別預算表", "歲入來源別預算表 單位：千元", K, HEADER, len(rows), len(HEADER), "lines",
                    True, title_line="歲入來源別預算表", pages=(3,)),
        TableRecord(2, 4, "人數統計表", "人數統計表", None, ("縣市別", "人數"), 1, 2, "lines", False, pages=(4,)),
        TableRecord(3, 4, "經費比較表", "經費比較表 單位：千元", K, ("項目", "114年度預算數", "113年度預算數", "比較增減"), 1, 4,
                    "lines", False, pages=(4,)),
    ]
    cells = [_cell(1, 0, c, "", h, h, is_header=True, column_role=ROLES[c]) for c, h in enumerate(HEADER)]
    for row_no, code, name, depth, parent, *figures in rows:
        label = f"{code} {name}" if code else name
        total = name == "合計"
        meta = dict(row_name=name, row_code=code, row_depth=depth, parent_row_no=parent)
        cells.append(_cell(1, row_no, 0, _path(row_no), HEADER[0], label, is_total=total, **meta))
        for c, text in enumerate(figures, start=1):
            cells.append(_cell(1, row_no, c, _path(row_no), HEADER[c], text, is_total=total, amount=c < 5,
                               column_role=ROLES[c], **meta))
    cells += [_cell(2, 0, 0, "", "縣市別", "縣市別", is_header=True), _cell(2, 0, 1, "", "人數", "人數", is_header=True),
              _cell(2, 1, 0, "臺北市", "縣市別", "臺北市", page=4), _cell(2, 1, 1, "臺北市", "人數", "12", page=4)]
    for c, h in enumerate(tables[2].header):
        cells.append(_cell(3, 0, c, "", h, h, is_header=True, page=4))
    for c, text in enumerate(["一般行政", "1,200", "1,000", "200"]):
        cells.append(_cell(3, 1, c, "一般行政", tables[2].header[c], text, amount=c > 0, page=4))
    return tables, cells


def parsed_book(rows=ROWS) -> ParsedReport:
    tables, cells = book(rows)
    pages = tuple(PageInfo(i, str(i + 1), i + 1, (), "body", 100, 90) for i in range(5))
    return ParsedReport(pages=(), document=Document(pages, (), (), 500.0), sections=(), paragraphs=(), quantities=(),
                        mentions=(), tables=tuple(tables), cells=tuple(cells), title="內政部114年度單位預算",
                        roc_year=114, issuer="內政部", report_kind="預算書")


def load(con, report_id: str = "moi-budget-114", rows=ROWS) -> None:
    frames = star.frames(report_id, f"{report_id}.pdf", "ab" * 32, "test", parsed_book(rows))
    wh.replace_report(con, report_id, frames)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("budget") / "report.duckdb"
    with wh.connect(path) as con:
        wh.ensure_schema(con)
        load(con)
    return path


@pytest.fixture
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def test_table_cell_keeps_the_rows_and_the_columns_roles(con):
    got = con.execute("SELECT row_name, row_code, row_depth, parent_row_no, column_role FROM table_cell "
                      "WHERE table_no = 1 AND row_no = 4 ORDER BY col_no").fetchall()
    assert got == [("罰金罰鍰", "0408010100", 3, 3, r) for r in ROLES]
    # the flat table has no roles; the third table's are read from its year-named headers
    assert con.execute("SELECT count(*) FROM table_cell WHERE table_no = 2 AND column_role IS NOT NULL").fetchone() == (0,)
    assert con.execute("SELECT column_role FROM table_cell WHERE table_no = 3 AND row_no = 1 ORDER BY col_no"
                       ).fetchall() == [(None,), ("this_year_budget",), ("last_year_budget",), ("change",)]


LINE_COLUMNS = ["report_id", "issuer", "roc_year", "report_year", "table_no", "table_title", "row_no", "row_path",
                "row_name", "row_code", "row_depth", "is_total", "parent_row_no", "this_year_budget",
                "last_year_budget", "prior_year_actual", "change", "note", "unit", "pdf_page", "page_key"]


def test_v_budget_lines_one_row_per_budget_row_exact_in_twd(con):
    assert [r[0] for r in con.execute("DESCRIBE v_budget_lines").fetchall()] == LINE_COLUMNS
    rows = con.execute("SELECT * FROM v_budget_lines ORDER BY table_no, row_no").df()
    assert list(zip(rows.table_no, rows.row_no)) == [(1, r[0]) for r in ROWS] + [(3, 1)]
    fine = con.execute("SELECT issuer, roc_year, report_year, table_title, row_path, row_name, row_code, row_depth, "
                       "is_total, parent_row_no, this_year_budget, last_year_budget, prior_year_actual, change, "
                       "note, unit, pdf_page, page_key FROM v_budget_lines WHERE table_no = 1 AND row_no = 4"
                       ).fetchone()
    assert fine == ("內政部", 114, 2025, "歲入來源別預算表", "罰款及賠償收入/內政部/罰金罰鍰", "罰金罰鍰", "0408010100", 3,
                    False, 3, Decimal("600500"), Decimal("800000"), Decimal("0"), Decimal("-199500"),
                    "依法收取之罰金。", "千元", 4, "moi-budget-114:p3")
    big, total = con.execute("SELECT this_year_budget, is_total FROM v_budget_lines WHERE table_no = 1 "
                             "AND row_no IN (6, 1) ORDER BY row_no DESC").fetchall()
    assert big == (Decimal("9007199254740993"), False) and total[1] is True
    types = con.execute("SELECT typeof(this_year_budget), typeof(change) FROM v_budget_lines LIMIT 1").fetchone()
    assert all(t.startswith("DECIMAL") for t in types)
    year_named = con.execute("SELECT row_name, this_year_budget, last_year_budget, change, prior_year_actual "
                             "FROM v_budget_lines WHERE table_no = 3").fetchone()
    assert year_named == ("一般行政", Decimal("1200000"), Decimal("1000000"), Decimal("200000"), None)


def test_v_budget_cells_keeps_every_role_column_in_long_form(con):
    got = con.execute("SELECT column_role, column_label, text, quantity, is_dash FROM v_budget_cells "
                      "WHERE table_no = 1 AND row_no = 5 ORDER BY col_no").fetchall()
    assert got == [("this_year_budget", "本年度預算數", "399.5", Decimal("399500"), False),
                   ("last_year_budget", "上年度預算數", "-", Decimal("0"), True),
                   ("prior_year_actual", "前年度決算數", "700", Decimal("700000"), False),
                   ("change", "本年度與上年度比較", "399.5", Decimal("399500"), False),
                   ("note", "說明", "", None, False)]
    assert con.execute("SELECT count(*) FROM v_budget_cells WHERE table_no = 2").fetchone() == (0,)


def test_the_largest_changes_leave_totals_out(con):
    res = con.execute(QUESTION.read_text(encoding="utf-8"))
    cols = [d[0] for d in res.description]
    rows = [dict(zip(cols, r)) for r in res.fetchall()]
    assert rows and all(r["agency"] == "內政部" for r in rows)
    assert "合計" not in {r["row_path"] for r in rows}
    # a ranking, not a sum: the parent 罰款及賠償收入 holds its children's changes and is ranked with them
    assert [(r["row_path"], r["change"]) for r in rows[:2]] == [
        ("罰款及賠償收入/內政部/賠償收入", Decimal("399500")), ("罰款及賠償收入", Decimal("200000"))]
    assert [r["rank_in_agency"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[-1]["row_path"] == "財產收入" and rows[-1]["change"] == Decimal("993")
    con.execute("SET VARIABLE top = '2'")
    assert len(con.execute(QUESTION.read_text(encoding="utf-8")).fetchall()) == 2


# --------------------------------------------------------------------------------------------------
# a version-3 warehouse is upgraded


def _make_v3(path: Path) -> None:
    """A warehouse as version 3 made it (today's DDL without the budget columns and views), with rows."""
    with duckdb.connect(str(path)) as con:
        wh.ensure_schema(con)
        load(con)
        for view in ("v_budget_lines", "v_budget_cells"):
            con.execute(f"DROP VIEW {view}")
        for column in NEW_COLUMNS:
            con.execute(f"ALTER TABLE table_cell DROP COLUMN {column}")
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (3, 'created from sql/ddl')")


def test_a_version_3_warehouse_gains_the_budget_columns_keeping_its_rows(tmp_path):
    db = tmp_path / "v3.duckdb"
    _make_v3(db)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("SELECT * FROM table_cell ORDER BY ALL").fetchall()
    with wh.connect(db) as con:
        assert wh.schema_version(con) == 3
        wh.ensure_schema(con)
    with wh.connect(db, read_only=True) as con:
        assert wh.schema_version(con) == migrations.SCHEMA_VERSION == 4
        assert con.execute("SELECT how FROM schema_version WHERE version = 4").fetchone() == (
            "upgraded by sql/migrations/004_budget_rows.sql",)
        after = con.execute("SELECT * FROM table_cell ORDER BY ALL").fetchall()
        assert [r[:-len(NEW_COLUMNS)] for r in after] == before
        assert {v for r in after for v in r[-len(NEW_COLUMNS):]} == {None}  # until the report is loaded again
        assert con.execute("SELECT count(*) FROM v_budget_lines").fetchone() == (0,)
        comments = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'table_cell' "
                               f"AND column_name IN {NEW_COLUMNS}").fetchall()
        assert len(comments) == len(NEW_COLUMNS) and all(c for _, c in comments)
    with wh.connect(db) as con:
        load(con)  # loaded again: its budget lines are there
        assert con.execute("SELECT count(*) FROM v_budget_lines").fetchone() == (len(ROWS) + 1,)


# --------------------------------------------------------------------------------------------------
# the budget_lines suite


@pytest.fixture(scope="module")
def gx():
    from pipelines import quality as q

    return q.GxRunner.ephemeral()


def _with(rows, row_no: int, **changes):
    """ROWS with one row's figures changed (keys: this, last, prior, change, note)."""
    at = {"this": 5, "last": 6, "prior": 7, "change": 8, "note": 9}
    out = []
    for r in rows:
        r = list(r)
        if r[0] == row_no:
            for k, v in changes.items():
                r[at[k]] = v
        out.append(tuple(r))
    return out


def _validate(gx, rows):
    from pipelines import quality as q

    frame = q.budget_frame(*book(rows))
    return frame, gx.run("budget_lines", frame)


def _failed(outcome) -> dict[str, tuple[str, ...]]:
    return {r.name: r.sample for r in outcome.results if not r.success}


def test_a_consistent_book_passes_and_counts_its_rows(gx):
    from pipelines import quality as q

    frame, outcome = _validate(gx, ROWS)
    assert outcome.passed, _failed(outcome)
    assert len(frame.df) == len(ROWS) + 1  # table 1's rows and table 3's; the flat table gives none
    assert outcome.result("budget_rows_counted").observed == str(len(ROWS) + 1)
    assert all(r.severity == "WARN" for r in outcome.results)
    assert q.budget_extra(frame) == {"budget_tables": 2, "budget_rows": 7, "rows_with_change": 7, "parent_rows": 2,
                                     "notes_stating_a_total": 1}
    assert frame.df.loc[frame.df.row_no == 2, "note_total"].tolist() == ["本年度預算數 1,000 千元"]


def test_a_report_without_budget_tables_passes_vacuously(gx):
    from pipelines import quality as q

    tables, cells = book()
    outcome = gx.run("budget_lines", q.budget_frame(tables[1:2], [c for c in cells if c.table_no == 2]))
    assert outcome.passed and outcome.result("budget_rows_counted").observed == "0"


def test_a_change_that_is_not_this_year_minus_last_year_is_named_with_its_numbers(gx):
    _, outcome = _validate(gx, _with(ROWS, 4, change="-190.5"))
    failed = _failed(outcome)
    assert set(failed) >= {"change_is_this_year_minus_last_year"}
    (sample,) = failed["change_is_this_year_minus_last_year"]
    assert sample.startswith("t1 r4: ")
    assert "table 1 (歲入來源別預算表) row 4 罰款及賠償收入/內政部/罰金罰鍰" in sample
    assert "change -190.5 千元" in sample and "600.5 千元" in sample and "800 千元" in sample and "= -199.5 千元" in sample
    assert outcome.result("change_is_this_year_minus_last_year").unexpected_count == 1


def test_a_parent_that_is_not_the_sum_of_its_children_is_named_with_both_numbers(gx):
    rows = _with(ROWS, 5, this="389.5", change="389.5")  # 600.5 + 389.5 = 990, not 內政部's 1,000
    _, outcome = _validate(gx, rows)
    failed = _failed(outcome)
    assert set(failed) == {"parent_is_sum_of_children"}
    (sample,) = failed["parent_is_sum_of_children"]
    assert sample.startswith("t1 r3: ") and "table 1 (歲入來源別預算表) row 3 罰款及賠償收入/內政部" in sample
    assert "this_year_budget 1,000 千元" in sample and "sum to 990 千元" in sample and "rows 4, 5" in sample
    assert "change 200 千元" in sample and "sum to 190 千元" in sample


def test_a_parent_within_its_rounding_passes():
    from pipelines import quality as q

    # children printed to one decimal: 600.5 + 399.5 against a parent printed 1,000 is exact; 1,000.1
    # is within the two children's half-units (0.05 + 0.05), 1,000.2 is not
    for parent, ok in (("1,000.1", True), ("1,000.2", False)):
        rows = _with(ROWS, 3, this=parent, change=None)
        rows = [r if r[0] != 3 else (*r[:8], "200", r[9]) for r in rows]
        rows = [r if r[0] != 2 else (*r[:5], parent, *r[6:]) for r in rows]
        df = q.budget_frame(*book(rows)).df
        bad = df.loc[df.row_no == 3, "parent_sum_mismatch"].iloc[0]
        assert (bad is None) == ok, bad


def test_a_note_stating_another_total_is_named_with_both_numbers(gx):
    _, outcome = _validate(gx, _with(ROWS, 2, note="本年度預算數1,100千元，包括："))
    failed = _failed(outcome)
    assert set(failed) == {"note_total_matches_this_year"}
    (sample,) = failed["note_total_matches_this_year"]
    assert sample.startswith("t1 r2: ") and "row 2 罰款及賠償收入" in sample
    assert "本年度預算數1,100千元" in sample and "holds 1,000 千元" in sample


def test_the_suite_runs_as_a_check_of_report_tables():
    from pipelines.assets import checks
    from pipelines.quality import suites

    assert ("budget_lines", "report_tables") in suites.SUITES
    spec = next(s for s in checks.SUITE_CHECKS if "budget_lines" in s.suites)
    frames, extra = spec.frames({"report_tables": book()}, "moi-budget-114")
    assert len(frames["budget_lines"].df) == len(ROWS) + 1 and extra["budget_lines"]["budget_rows"] == 7

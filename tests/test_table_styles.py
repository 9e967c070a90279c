"""Tables rendered as real statistical tables print them (tests/tablegen.py): ruled grid with
merged cells, booktabs, no rules; two header rows with group headings; a row-group column; the
unit line beside the title; notes; over several pages; portrait and landscape; two fonts, two sizes.
The same cells, header paths, units (with their source) and totals must come out of every one."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.report.pages import parse_pages
from pipelines.report.tables import build_tables
from tests.pdfgen import MONO, SANS
from tests.tablegen import TableSpec, render

HEADER = [
    [("鄉鎮", 1), ("村里", 1), ("本年度", 2), ("上年度", 2), ("納稅人數", 1)],
    [("", 1), ("", 1), ("金額", 1), ("比率", 1), ("金額", 1), ("比率", 1), ("", 1)],
]
ROWS = [
    ["斗六市", "公正里", "1,234", "12.5", "1,100", "11.0", "320"],
    ["", "成功里", "2,345", "23.5", "2,200", "22.0", "410"],
    ["", "小計", "3,579", "36.0", "3,300", "33.0", "730"],
    ["臺 北 市", "中正里", "4,000", "40.0", "3,900", "39.0", "500"],
    ["", "大安里", "2,421", "24.0", "2,800", "28.0", "600"],
    ["", "小計", "6,421", "64.0", "6,700", "67.0", "1,100"],
    ["總計", "", "10,000", "100.0", "10,000", "100.0", "1,830"],
]
PATHS = ("鄉鎮", "村里", "本年度/金額", "本年度/比率", "上年度/金額", "上年度/比率", "納稅人數")


def spec(**kw) -> TableSpec:
    base = dict(header=HEADER, rows=ROWS, title="表3-2(110年度)綜稅所得統計表", unit_line="單位：金額(千元)",
                notes=["註：本表資料為測試用。"], group_cols=1)
    base.update(kw)
    return TableSpec(**base)


def read(tmp_path, s: TableSpec, name="t.pdf"):
    path = tmp_path / name
    render(path, s, prose=["這是一段說明文字，用來確認表格前的段落不會被當成表格。"])
    return build_tables(parse_pages(path, workers=1))


def cells_by(cells):
    return {(c.row_label, c.col_label): c for c in cells if not c.is_header}


def check(tables, cells, pages=(0,)):
    assert len(tables) == 1, [t.header for t in tables]
    t = tables[0]
    assert t.header == PATHS
    assert t.pages == tuple(pages)
    assert t.label == t.title == "表3-2" and t.title_line.endswith("統計表")
    assert t.unit_hint == "千元"
    assert t.notes.startswith("註")
    c = cells_by(cells)
    amount = c[("斗六市/公正里", "本年度/金額")]
    assert (amount.text, amount.quantity, amount.unit_source) == ("1,234", Decimal(1_234_000), "unit line")
    rate = c[("斗六市/成功里", "上年度/比率")]
    assert (rate.value, rate.dimension, rate.unit_source) == (Decimal("22.0"), "percent", "header")
    count = c[("臺北市/大安里", "納稅人數")]  # letter-spaced 臺 北 市 read as one word
    assert (count.value, count.unit_written, count.unit_source) == (Decimal(600), None, "none")
    assert c[("斗六市/小計", "本年度/金額")].is_total and c[("總計", "上年度/金額")].is_total
    assert not c[("臺北市/中正里", "本年度/金額")].is_total
    assert t.has_total_row


@pytest.mark.parametrize("style", ["grid", "booktabs", "none"])
@pytest.mark.parametrize("font,size", [(SANS, 10), (MONO, 12)])
def test_table_styles_give_the_same_cells(tmp_path, style, font, size):
    tables, cells = read(tmp_path, spec(style=style, font=font, size=size))
    check(tables, cells)
    assert tables[0].strategy == {"grid": "lines", "booktabs": "booktabs", "none": "whitespace"}[style] or (
        style == "booktabs" and tables[0].strategy == "horizontal")


@pytest.mark.parametrize("style", ["grid", "booktabs", "none"])
def test_landscape_page(tmp_path, style):
    check(*read(tmp_path, spec(style=style, landscape=True, size=11)))


@pytest.mark.parametrize("style", ["grid", "booktabs"])
def test_table_over_pages_is_one_table(tmp_path, style):
    """4 rows a page: 臺北市's group continues on page 2 without its name."""
    tables, cells = read(tmp_path, spec(style=style, rows_per_page=4))
    check(tables, cells, pages=(0, 1))
    c = cells_by(cells)
    assert c[("臺北市/大安里", "本年度/金額")].page_index == 1
    assert len([x for x in cells if x.is_header]) == len(PATHS)  # the repeated header read once, one path per column


def test_totals_reconcile(tmp_path):
    tables, _ = read(tmp_path, spec(style="grid"))
    assert tables[0].total_mismatches == 0
    wrong = [row[:] for row in ROWS]
    wrong[2][2] = "3,600"  # 斗六市/小計 of 本年度/金額 is 3,579 (a difference of 1 is rounding)
    tables, _ = read(tmp_path, spec(style="grid", rows=wrong), name="wrong.pdf")
    assert tables[0].total_mismatches == 2  # the subtotal, and 總計 summed over the subtotals


def test_totals_reconcile_pure():
    from decimal import Decimal as D

    from pipelines.report.table_read import total_mismatches

    rows = [("甲/一", False, {1: (D("1.2"), "1.2")}), ("甲/二", False, {1: (D("2.3"), "2.3")}),
            ("甲/合計", True, {1: (D("3.5"), "3.5")}), ("總計", True, {1: (D("3.5"), "3.5")})]
    assert total_mismatches(rows, {1}) == 0
    rows[2] = ("甲/合計", True, {1: (D("3.9"), "3.9")})
    assert total_mismatches(rows, {1}) == 2  # the subtotal, and the grand total over it
    assert total_mismatches(rows[:2], {1}) is None


@pytest.mark.parametrize("style", ["booktabs", "none"])
def test_moea_appendix_tables_in_other_rulings(tmp_path, report_pdf, style):
    """Both appendix tables of the real report, re-printed booktabs-style and with no rules: the
    same cells (row, column, value, unit) come out."""
    from tests.test_tables import read as read_real

    tables, cells = build_tables(read_real(report_pdf))
    for t in [t for t in tables if (t.label or "").startswith("附表")]:
        mine = [c for c in cells if c.table_no == t.table_no]
        rows = [[c.text for c in mine if c.row_no == r] for r in range(1, t.n_rows + 1)]
        s = TableSpec(header=[[(h, 1) for h in t.header]], rows=rows, title=t.title_line, style=style,
                      label_cols=1)
        (got,), got_cells = read(tmp_path, s, name=f"{t.label}-{style}.pdf")
        assert got.header == t.header and got.n_rows == t.n_rows

        def facts(cs):
            return sorted((c.row_label, c.col_label, c.text, c.quantity, c.unit_written) for c in cs
                          if not c.is_header and c.value is not None)

        assert facts(got_cells) == facts(mine)

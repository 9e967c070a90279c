"""Tables: finding ruled tables on a page (grid and horizontal-rule-only) and reading their cells."""
from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from pipelines.report.model import Page, RawTable
from pipelines.report.table_find import find_raw_tables, outside_tables
from pipelines.report.tables import (
    CellRecord,
    build_tables,
    clean_cell,
    parse_cell,
)
from tests.pdfgen import SANS, Style, Table, make_report, register_font

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold" / "dev_tables.jsonl"

HEADER = ["專案", "承保件數（件）", "保證金額（億元）"]
ROWS = [
    ["旅行業貸款", "32", "0.80"],
    ["運動服務產業貸款", "49", "1.13"],
    ["臺北市中小企業融資貸款", "1,498", "11.76"],
]


def read(path, page_filter=None) -> list[Page]:
    """Every page of a PDF with its tables, as the extractor stores them."""
    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for p in pdf.pages:
            view = page_filter(p) if page_filter else p
            pages.append(Page(index=p.page_number - 1, width=p.width, height=p.height, lines=(),
                              char_count=len(p.chars), tables=tuple(find_raw_tables(view))))
    return pages


def report(tmp_path, blocks, name="report.pdf") -> Path:
    path = tmp_path / name
    make_report(path, [("貳、工業", ["一、推動產業發展，協助企業取得資金。", *blocks, "二、其他工作持續辦理。"])])
    return path


def by_label(cells: list[CellRecord], table_no: int = 1) -> dict[tuple[str, str], CellRecord]:
    return {(c.row_label, c.col_label): c for c in cells if c.table_no == table_no and not c.is_header}


# --- grid and horizontal-rule tables -------------------------------------------------------


def test_grid_table_cells_and_quantities(tmp_path):
    caption = "附表一 信保基金火金姑專案辦理情形（累計至 101 年底）"
    tables, cells = build_tables(read(report(tmp_path, [Table(caption, HEADER, ROWS)])))
    assert len(tables) == 1
    t = tables[0]
    assert (t.table_no, t.label, t.strategy, t.n_rows, t.n_cols) == (1, "附表一", "lines", 3, 3)
    assert t.caption == unicodedata.normalize("NFKC", caption)
    assert t.header == tuple(HEADER) and t.unit_hint is None and not t.has_total_row
    c = by_label(cells)
    money = c[("旅行業貸款", "保證金額（億元）")]
    assert (money.value, money.unit_written, money.dimension, money.currency, money.base_unit) == (
        Decimal("0.80"), "億元", "money", "TWD", "TWD")
    assert money.quantity == Decimal(80_000_000)
    count = c[("臺北市中小企業融資貸款", "承保件數（件）")]
    assert (count.text, count.value, count.dimension, count.base_unit, count.quantity) == (
        "1,498", Decimal(1498), "count", "件", Decimal(1498))
    assert c[("臺北市中小企業融資貸款", "保證金額（億元）")].quantity == Decimal(1_176_000_000)
    labels = [x for x in cells if x.col_no == 0 and not x.is_header]
    assert [x.text for x in labels] == [r[0] for r in ROWS] and all(x.value is None for x in labels)
    header = [x for x in cells if x.is_header]
    assert [x.text for x in header] == HEADER and all(x.row_no == 0 and x.value is None for x in header)


def test_horizontal_rules_only_gives_the_same_cells(tmp_path):
    grid = read(report(tmp_path, [Table("附表一 專案辦理情形", HEADER, ROWS, style="grid")], "g.pdf"))
    horiz = read(report(tmp_path, [Table("附表一 專案辦理情形", HEADER, ROWS, style="horizontal")], "h.pdf"))
    with pdfplumber.open(str(tmp_path / "h.pdf")) as pdf:  # really no vertical lines
        assert not any(p.vertical_edges for p in pdf.pages)
    (tg,), cg = build_tables(grid)
    (th,), ch = build_tables(horiz)
    assert th.strategy == "horizontal" and tg.strategy == "lines"
    assert (th.title, th.caption, th.header, th.n_rows, th.n_cols) == (tg.title, tg.caption, tg.header, 3, 3)

    def key(c):
        return (c.row_no, c.col_no, c.row_label, c.col_label, c.text, c.value, c.quantity, c.dimension)

    assert [key(c) for c in ch] == [key(c) for c in cg]


def test_horizontal_table_directly_under_heading_and_header_rule(tmp_path):
    """The running header's rule spans the same x-range as the table; it must not join it."""
    path = tmp_path / "top.pdf"
    make_report(path, [("貳、工業", [Table("附表二 疏濬執行成效", ["期別", "目標量（萬立方公尺）", "達成率（%）"],
                                             [["第 1 期", "6,500", "166.9"], ["第 2 期", "5,200", "172.2"]],
                                             style="horizontal")])],
                Style(cover=False, contents=False))
    pages = read(path)
    (raw,) = pages[0].tables
    assert raw.strategy == "horizontal" and raw.caption_lines == ("附表二 疏濬執行成效",)
    assert [list(r) for r in raw.rows] == [["期別", "目標量（萬立方公尺）", "達成率（%）"],
                                           ["第 1 期", "6,500", "166.9"], ["第 2 期", "5,200", "172.2"]]
    _, cells = build_tables(pages)
    c = by_label(cells)
    assert c[("第 1 期", "目標量（萬立方公尺）")].quantity == Decimal(65_000_000)
    assert c[("第 2 期", "達成率（%）")].quantity == Decimal("172.2")
    assert c[("第 2 期", "達成率（%）")].dimension == "percent"


def test_horizontal_tables_without_labels_sharing_the_text_width(tmp_path):
    """Unlabelled captions flush with the text block, two tables one after the other."""
    head = ["期別", "目標量（萬立方公尺）", "達成率（%）"]
    rows = [["第 1 期", "6,500", "166.9"], ["第 2 期", "5,200", "172.2"]]
    path = tmp_path / "two.pdf"
    make_report(path, [("貳、工業", [Table("疏濬執行成效", head, rows, style="horizontal"),
                                     Table("水庫疏濬成效", head, rows[:1] + rows, style="horizontal")])],
                Style(cover=False, contents=False))
    (page,) = read(path)
    assert [t.caption_lines for t in page.tables] == [("疏濬執行成效",), ("水庫疏濬成效",)]
    assert [len(t.rows) for t in page.tables] == [3, 4]
    assert all(t.rows[0] == tuple(head) for t in page.tables)


def test_total_row(tmp_path):
    total = ["合計", "1,579", "13.69"]
    for style in ("grid", "horizontal"):
        path = report(tmp_path, [Table("附表一 專案辦理情形", HEADER, ROWS, style=style, total_row=total)], f"{style}.pdf")
        (t,), cells = build_tables(read(path))
        assert t.has_total_row and t.n_rows == 4
        row = [c for c in cells if c.row_label == "合計"]
        assert [c.text for c in row] == total and all(c.is_total for c in row)
        assert [c.quantity for c in row[1:]] == [Decimal(1579), Decimal(1_369_000_000)]
        assert not any(c.is_total for c in cells if c.row_label != "合計")


def test_unit_from_caption(tmp_path):
    rows = [["美國", "1,234", "-3.2"], ["日本", "987.5", "12"]]
    path = report(tmp_path, [Table("表 3 主要市場出口金額（單位：千元）", ["地區", "101 年", "100 年"], rows)])
    (t,), cells = build_tables(read(path))
    assert (t.label, t.unit_hint) == ("表3", "千元")
    c = by_label(cells)
    assert c[("美國", "101 年")].quantity == Decimal(1_234_000)
    assert c[("美國", "100 年")].value == Decimal("-3.2") and c[("美國", "100 年")].quantity == Decimal(-3200)
    assert c[("日本", "101 年")].quantity == Decimal(987_500)
    assert {x.unit_written for x in c.values() if x.col_no > 0} == {"千元"}
    assert {x.currency for x in c.values() if x.col_no > 0} == {"TWD"}


def test_unit_column_and_cell_units(tmp_path):
    rows = [
        ["輔導廠商", "家", "120"],
        ["節約用水", "萬立方公尺", "3.5"],
        ["達成率", "%", "45"],
        ["受理案件", "家", "32 件"],  # the cell's own unit wins over the unit column
        ["服務人次", "", "1,000"],  # no unit from anywhere: value, no dimension
    ]
    path = report(tmp_path, [Table("附表四 重要工作成果", ["項目", "單位", "數量"], rows)])
    (t,), cells = build_tables(read(path))
    c = by_label(cells)
    assert (c[("輔導廠商", "數量")].dimension, c[("輔導廠商", "數量")].quantity) == ("count", Decimal(120))
    assert (c[("節約用水", "數量")].base_unit, c[("節約用水", "數量")].quantity) == ("m3", Decimal(35_000))
    assert (c[("達成率", "數量")].dimension, c[("達成率", "數量")].quantity) == ("percent", Decimal(45))
    assert (c[("受理案件", "數量")].unit_written, c[("受理案件", "數量")].quantity) == ("件", Decimal(32))
    bare = c[("服務人次", "數量")]
    assert bare.value == Decimal(1000) and bare.dimension is None and bare.quantity is None
    assert all(x.value is None for x in cells if x.col_no == 1)  # the unit column itself


def test_page_with_only_a_header_rule_has_no_table(tmp_path):
    path = tmp_path / "prose.pdf"
    make_report(path, [("貳、工業", ["一、推動產業發展，協助企業取得資金，101 年共計 1,498 件。"] * 30)])
    with pdfplumber.open(str(path)) as pdf:
        ruled = [p for p in pdf.pages if p.horizontal_edges]
        assert ruled and all(len(p.horizontal_edges) == 1 for p in ruled)
        assert all(find_raw_tables(p) == [] for p in pdf.pages)


def test_cells_are_exact_decimals(tmp_path):
    rows = [["甲", "8,955.5", "0.1"], ["乙", "-3.2", "45%"], ["丙", "166.9", "0.30"]]
    path = report(tmp_path, [Table("附表五 數值", ["項目", "執行量（萬立方公尺）", "比率"], rows)])
    _, cells = build_tables(read(path))
    c = by_label(cells)
    assert c[("甲", "執行量（萬立方公尺）")].quantity == Decimal("89555000")
    assert str(c[("甲", "執行量（萬立方公尺）")].quantity) == "89555000.0"
    # 比率 in the header is a percent column (issue 11: %, 百分比, 比率, 率 in the header win)
    assert str(c[("甲", "比率")].value) == "0.1" and c[("甲", "比率")].dimension == "percent"
    assert c[("甲", "比率")].unit_source == "header"
    assert c[("乙", "比率")].unit_written == "%" and c[("乙", "比率")].quantity == Decimal(45)
    assert str(c[("丙", "比率")].value) == "0.30"
    for x in cells:
        assert x.value is None or type(x.value) is Decimal
        assert x.quantity is None or type(x.quantity) is Decimal


# --- multi-line cells and captions (drawn here directly with reportlab) ---------------------


def draw_table(path, caption: list[str], rows: list[list[str]], widths: list[float], *, verticals=True,
               three_rules=False, size: float = 11, line_h: float = 15) -> None:
    """One page: a header rule, the caption lines, a table whose cells may hold several lines.

    three_rules: rules only above and below the header and at the bottom (no rules between
    data rows, no vertical lines)."""
    font = register_font(SANS)
    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setLineWidth(0.5)
    c.setFont(font, 10)
    c.drawRightString(w - 72, h - 40, "附 表")
    c.line(72, h - 46, w - 72, h - 46)
    y = h - 100
    for text in caption:
        c.setFont(font, size + 1)
        c.drawString(72, y, text)
        y -= line_h + 3
    top = y + line_h - 4
    xs = [72 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top]
    for row in rows:
        n = max(len(cell.split("\n")) for cell in row)
        for col, cell in enumerate(row):
            lines = cell.split("\n")
            for k, line in enumerate(lines):
                c.setFont(font, size)
                # centred in the cell, vertically and horizontally
                by = ys[-1] - ((n - len(lines)) * line_h) / 2 - (k + 1) * line_h + 4
                c.drawCentredString((xs[col] + xs[col + 1]) / 2, by, line)
        ys.append(ys[-1] - n * line_h - 2)
    for y_ in ([ys[0], ys[1], ys[-1]] if three_rules else ys):
        c.line(xs[0], y_, xs[-1], y_)
    if verticals and not three_rules:
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
    c.setFont(font, 12)
    c.drawString(72, ys[-1] - 30, "資料來源：經濟部中小企業處。")
    c.showPage()
    c.save()


@pytest.mark.parametrize("verticals", [True, False])
def test_multiline_cells_and_two_line_caption(tmp_path, verticals):
    rows = [
        ["項目", "保證金額\n（億元）", "融資金額\n（億元）", "件數"],
        ["臺北市中小企業\n融資貸款", "11.76", "12.83", "1,498 件"],
        ["旅行業貸款", "0.80", "0.89", "32 件"],
        ["合 計", "12.56", "13.72", "1,530 件"],
    ]
    path = tmp_path / "multi.pdf"
    draw_table(path, ["附表三 信保基金專案辦理情形", "（單位：千元）"], rows, [150, 95, 95, 110], verticals=verticals)
    pages = read(path)
    (raw,) = pages[0].tables
    assert raw.strategy == ("lines" if verticals else "horizontal")
    assert raw.caption_lines == ("附表三 信保基金專案辦理情形", "（單位：千元）")
    (t,), cells = build_tables(pages)
    assert (t.label, t.unit_hint, t.n_rows, t.n_cols, t.has_total_row) == ("附表三", "千元", 3, 4, True)
    assert t.header == ("項目", "保證金額（億元）", "融資金額（億元）", "件數")
    c = by_label(cells)
    cell = c[("臺北市中小企業融資貸款", "保證金額（億元）")]
    assert cell.quantity == Decimal(1_176_000_000)  # header unit beats the caption's 千元
    assert c[("臺北市中小企業融資貸款", "件數")].quantity == Decimal(1498)  # the cell's own unit
    assert c[("合計", "融資金額（億元）")].is_total
    # the prose without the table: caption and source line stay, cell text goes
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        prose = outside_tables(page, find_raw_tables(page)).extract_text()
    assert "附表三" in prose and "資料來源" in prose
    assert "11.76" not in prose and "旅行業貸款" not in prose


def test_three_rule_table(tmp_path):
    rows = [["地區", "出口（億美元）", "成長率（%）"], ["美國", "329.8", "-3.2"], ["日本", "190.0", "4.5"],
            ["中國大陸", "807.1", "-4.4"], ["總計", "3,011.1", "-2.3"]]
    path = tmp_path / "three.pdf"
    draw_table(path, ["表 2 主要市場出口"], rows, [150, 120, 120], three_rules=True)
    with pdfplumber.open(str(path)) as pdf:
        assert len(pdf.pages[0].horizontal_edges) == 4  # header rule + 3
    (t,), cells = build_tables(read(path))
    # a three-rule table is booktabs: read by its white space (a rule above and under the header, one at the end)
    assert (t.strategy, t.label, t.n_rows, t.n_cols, t.has_total_row) == ("booktabs", "表2", 4, 3, True)
    c = by_label(cells)
    assert c[("中國大陸", "出口（億美元）")].quantity == Decimal(80_710_000_000)
    assert c[("中國大陸", "出口（億美元）")].currency == "USD"
    assert c[("總計", "成長率（%）")].quantity == Decimal("-2.3") and c[("總計", "成長率（%）")].is_total


# --- pure helpers ---------------------------------------------------------------------------


def test_clean_cell_joins_lines():
    assert clean_cell("保證金額\n（億元）") == "保證金額（億元）"
    assert clean_cell("臺北市中小企業\n融資貸款") == "臺北市中小企業融資貸款"
    assert clean_cell("Total\namount") == "Total amount"
    assert clean_cell("第  1 期 ") == "第 1 期"
    assert clean_cell(None) == ""


def test_parse_cell():
    assert parse_cell("第 1 期") is None and parse_cell("-") is None and parse_cell("101 年") is None
    value, unit = parse_cell("45％")
    assert value == Decimal(45) and unit.dimension == "percent"
    assert parse_cell("1,498") == (Decimal(1498), None)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_parse_cell_is_exact(d):
    written = f"{d:,.3f}"
    value, unit = parse_cell(written)
    assert value == d and unit is None


def test_unit_precedence_without_pdf():
    raw = RawTable(bbox=(0, 0, 1, 1), caption_lines=("表一 測試", "（單位：千元）"), strategy="lines", rows=(
        ("項目", "單位", "金額(億元)", "其他"),
        ("甲", "萬元", "2", "3"),
        ("乙", None, "4 萬元", "5"),
    ))
    tables, cells = build_tables([Page(index=0, width=1, height=1, lines=(), char_count=0, tables=(raw,))])
    c = by_label(cells)
    assert c[("甲", "金額(億元)")].quantity == Decimal(200_000_000)  # header over unit column
    assert c[("甲", "其他")].quantity == Decimal(30_000)  # unit column over caption
    assert c[("乙", "金額(億元)")].quantity == Decimal(40_000)  # cell over header
    assert c[("乙", "其他")].quantity == Decimal(5_000)  # caption
    assert tables[0].unit_hint == "千元"


# --- the real report ------------------------------------------------------------------------


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _check_against_gold(pages: list[Page]) -> None:
    tables, cells = build_tables(pages)
    appendix = [t for t in tables if t.caption.startswith("附表")]
    page_index = appendix[0].page_index
    on_page = [t for t in appendix if t.page_index == page_index]
    assert [(t.label, t.n_rows) for t in on_page] == [("附表一", 8), ("附表二", 3)]
    titles = {t.table_no: t.label for t in on_page}
    numeric = [c for c in cells if c.table_no in titles and c.value is not None]
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold) == len(numeric) == 33
    for g in gold:
        matches = [
            c for c in numeric
            if titles[c.table_no] == g["table"] and _norm(c.row_label) == _norm(g["row"])
            and _norm(c.col_label) == _norm(g["col"]) and c.dimension == g["dimension"]
            and c.currency == g["currency"] and c.quantity == Decimal(str(g["base_value"]))
        ]
        assert len(matches) == 1, g


def test_real_report_appendix_tables_match_gold(report_pdf):
    _check_against_gold(read(report_pdf))


def test_real_report_appendix_tables_without_vertical_rules(report_pdf):
    """The same page with its vertical rules removed is read by the horizontal-rule finder."""

    def no_verticals(p):
        return p.filter(lambda o: not (o.get("object_type") in ("line", "rect") and o["x1"] - o["x0"] < 1))

    with pdfplumber.open(str(report_pdf)) as pdf:
        target = next(p for p in pdf.pages if any(t.caption_lines and t.caption_lines[0].startswith("附表")
                                                   for t in find_raw_tables(p)))
        view = no_verticals(target)
        raws = find_raw_tables(view)
        page = Page(index=target.page_number - 1, width=target.width, height=target.height, lines=(),
                    char_count=len(target.chars), tables=tuple(raws))
    assert [t.strategy for t in raws] == ["horizontal", "horizontal"]
    _check_against_gold([page])

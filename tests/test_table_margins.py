"""Units and notes printed further from the grid, as statistical tables of many agencies print them:
the unit line at the right margin on a line of its own above the title (over a date line such as
製表日期：…), with white space beside the table, even right of the table's edge; a column headed by
a rate (稅率, 成長率) holding percentages when no unit is given; note lines (一、說明：…, 註：) starting
after white space under the table, ending before the prose paragraph or the next table's title that
follows.  Each layout is drawn here; the table itself is drawn by tests/tablegen.py's helpers."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from pipelines.report.model import Page, RawTable
from pipelines.report.pages import parse_pages
from pipelines.report.table_bands import band_above, band_below
from pipelines.report.tables import build_tables
from tests.pdfgen import SANS, register_font
from tests.tablegen import TableSpec, _draw_header, _draw_rules, _widths
from tests.test_table_styles import HEADER, ROWS, check

TITLE = "表3-2(110年度)綜稅所得統計表"
UNIT = "單位：金額(千元)"
DATE = "製表日期：105年06月20日"
MARGIN = 40.0  # the page's left and right text margins
PROSE = "這是一段說明文字，用來確認表格前的段落不會被當成表格。"


@dataclass
class Line:
    """A line above or under a table.  `at`: left (the table's left edge), right (the page's right
    margin), edge (flush with the table's right edge), margin (the page's left margin)."""

    text: str
    at: str = "left"
    gap: float = 0.0  # extra white space above the line, in line heights
    size: float | None = None  # the table's size unless given


@dataclass
class Block:
    """A table with the lines above and under it, or (spec None) a prose paragraph."""

    spec: TableSpec | None = None
    above: tuple[Line, ...] = ()
    below: tuple[Line, ...] = ()
    gap_below: float = 1.6  # white space between the table's bottom and the first line under it, in sizes
    prose: tuple[str, ...] = ()
    prose_size: float = 12.0
    prose_gap: float = 1.0  # white space above the paragraph beyond the body's line pitch, in sizes


def _draw_line(c, face: str, line: Line, size: float, xs, width: float, y: float) -> None:
    w = pdfmetrics.stringWidth(line.text, face, size)
    x = {"left": xs[0], "margin": MARGIN, "right": width - MARGIN - w, "edge": xs[-1] - w}[line.at]
    c.setFont(face, size)
    c.drawString(x, y, line.text)


def _draw_table(c, spec: TableSpec, face: str, xs, top: float) -> float:
    size, rh = spec.size, 1.9 * spec.size
    c.setFont(face, size)
    y = _draw_header(c, spec, face, xs, top, rh)
    header_bottom = y
    for row in spec.rows:
        for col, text in enumerate(row):
            if text and col >= spec.label_cols:
                c.drawRightString(xs[col + 1] - 0.5 * size, y - 1.35 * size, text)
            elif text:
                c.drawString(xs[col] + 0.5 * size, y - 1.35 * size, text)
        y -= rh
    _draw_rules(c, spec, xs, top, header_bottom, y, spec.rows, rh)
    return y


def render(path, blocks: list[Block], wide: bool = False) -> None:
    """One page: the blocks top to bottom, each table centred (as tests/tablegen.py centres it).
    `y` is the baseline of the last line drawn."""
    width, height = landscape(A4) if wide else A4
    c = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    face = register_font(SANS)
    y = height - 40
    for block in blocks:
        if block.spec is None:
            y -= block.prose_gap * block.prose_size
            for text in block.prose:
                y -= 1.6 * block.prose_size
                c.setFont(face, block.prose_size)
                c.drawString(MARGIN, y, text)
            continue
        spec = block.spec
        widths = _widths(spec, register_font(spec.font))
        xs = [max(MARGIN, (width - sum(widths)) / 2)]
        for w in widths:
            xs.append(xs[-1] + w)
        y -= spec.size  # white space over the table's band
        for line in block.above:
            size = line.size or spec.size
            y -= (1.5 + line.gap) * size
            _draw_line(c, face, line, size, xs, width, y)
        y = _draw_table(c, spec, register_font(spec.font), xs, y - 1.2 * spec.size)
        y -= (block.gap_below - 1.5) * spec.size
        for line in block.below:
            size = line.size or spec.size
            y -= (1.5 + line.gap) * size
            _draw_line(c, face, line, size, xs, width, y)
    c.showPage()
    c.save()


def spec(**kw) -> TableSpec:
    base = dict(header=HEADER, rows=ROWS, group_cols=1)
    base.update(kw)
    return TableSpec(**base)


def read(tmp_path, blocks, name="t.pdf", wide=False):
    path = tmp_path / name
    render(path, [Block(prose=(PROSE,))] + blocks, wide=wide)
    return build_tables(parse_pages(path, workers=1))


def positions(tmp_path, name, text):
    """(the table's bbox, the text line holding `text`) as pdfplumber sees the page."""
    with pdfplumber.open(str(tmp_path / name)) as pdf:
        page = pdf.pages[0]
        (table,) = page.find_tables() or [None]
        line = next(ln for ln in page.extract_text_lines(return_chars=False) if text in ln["text"])
        return (table.bbox if table else None), line


NOTE = Line("註：本表資料為測試用。")

# The band above: the unit line on its own line at the right margin, above the title, over the date.
ABOVE = {
    "unit over title over date": (Line(UNIT, "right"), Line(TITLE), Line(DATE, "right")),
    "unit over title, date beside": (Line(UNIT, "right"), Line(TITLE), Line(DATE, "edge")),
    "title, unit over date": (Line(TITLE), Line(UNIT, "right"), Line(DATE, "right")),
    "unit over title": (Line(UNIT, "right"), Line(TITLE)),
    "unit, white space, title": (Line(UNIT, "right"), Line(TITLE, gap=1.0), Line(DATE, "right")),
}


@pytest.mark.parametrize("wide", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("layout", list(ABOVE))
@pytest.mark.parametrize("style", ["grid", "booktabs", "none"])
def test_unit_line_at_the_right_margin_above_the_title(tmp_path, style, layout, wide):
    tables, cells = read(tmp_path, [Block(spec(style=style), ABOVE[layout], (NOTE,))], wide=wide)
    check(tables, cells)
    assert tables[0].unit_hint == "千元"


def test_the_landscape_unit_line_stands_right_of_the_table(tmp_path):
    """The landscape page really prints the unit line beside no column: right of the table's edge."""
    read(tmp_path, [Block(spec(), ABOVE["unit over title over date"], (NOTE,))], wide=True)
    bbox, line = positions(tmp_path, "t.pdf", "單位")
    assert line["x0"] > bbox[2] + 20 and line["bottom"] < bbox[1]


def test_a_right_margin_line_beside_text_is_not_the_tables():
    """Two columns of text: a short line at the right of the page with text under it, beside the
    table, is the other column's, not a unit line over the table."""
    table = (40.0, 200.0, 300.0, 400.0)
    lines = [
        {"text": TITLE, "x0": 40.0, "x1": 200.0, "top": 170.0, "bottom": 180.0},
        {"text": "單位：千元", "x0": 480.0, "x1": 555.0, "top": 185.0, "bottom": 195.0},
        {"text": "另一欄的文字繼續排在表格旁邊", "x0": 340.0, "x1": 555.0, "top": 210.0, "bottom": 220.0},
    ]
    assert band_above(lines, table, [table]) == (TITLE,)
    lines.pop()
    assert band_above(lines, table, [table]) == (TITLE, "單位：千元")


def test_a_long_line_at_the_right_is_not_a_margin_line():
    table = (40.0, 200.0, 300.0, 400.0)
    lines = [
        {"text": TITLE, "x0": 40.0, "x1": 200.0, "top": 170.0, "bottom": 180.0},
        {"text": "右側一段很長的文字" * 4, "x0": 310.0, "x1": 555.0, "top": 185.0, "bottom": 195.0},
    ]
    assert band_above(lines, table, [table]) == (TITLE,)


# --- a rate column holds percentages -------------------------------------------------------

RATE_HEADER = [[("地區", 1), ("稅額", 1), ("稅率", 1), ("成長率", 1), ("人口比重", 1), ("變異係數", 1), ("匯率", 1)]]
RATE_ROWS = [["甲", "1,200", "5.0", "-1.5", "40.0", "0.85", "30.1"],
             ["乙", "1,800", "12.0", "3.2", "60.0", "1.02", "29.9"]]


@pytest.mark.parametrize("unit_line", [UNIT, "單位：千元", None])
def test_a_rate_column_holds_percentages_when_no_unit_is_given(tmp_path, unit_line):
    above = (Line(unit_line, "right"), Line("表5 稅額統計表")) if unit_line else (Line("表5 稅額統計表"),)
    (t,), cells = read(tmp_path, [Block(spec(header=RATE_HEADER, rows=RATE_ROWS, group_cols=0, label_cols=1),
                                        above)])
    got = {c.col_label: (c.unit_written, c.unit_source) for c in cells if c.row_label == "乙"}
    percent = ("%", "header")
    assert got["稅率"] == got["成長率"] == got["人口比重"] == percent
    assert got["變異係數"] == (None, "none")  # a coefficient, not a rate of a whole
    assert got["匯率"] != percent  # an exchange rate is a price: the unit line's, or none
    assert got["稅額"] == (("千元", "unit line") if unit_line else (None, "none"))
    rate = next(c for c in cells if c.row_label == "甲" and c.col_label == "成長率")
    assert (rate.value, rate.dimension, rate.quantity) == (Decimal("-1.5"), "percent", Decimal("-1.5"))


def test_a_rate_header_with_a_unit_keeps_it():
    from pipelines.report.tables import _column_units
    from pipelines.report.table_read import unit_lines

    units = _column_units(["稅率(‰)", "稅率", "出生率", "成長率"], unit_lines(["單位：%"]), None)
    assert [u.written if u else None for u, _ in units][1:] == ["%", "%", "%"]
    units = _column_units(["粗出生率", "成長率"], [], None)
    assert units[0] == (None, "none") and units[1][0].written == "%"  # births per thousand people: no percent


# --- notes after white space ---------------------------------------------------------------

def notes_layout(*below, gap=4.0, after=()):
    return [Block(spec(), (Line(TITLE), Line(UNIT, "right")), tuple(below), gap_below=gap), *after]


NEXT = Block(spec(rows=ROWS[:3]), (Line("表3-3(111年度)綜稅所得統計表"), Line(UNIT, "right")))


@pytest.mark.parametrize("gap", [1.6, 4.0, 12.0])
def test_numbered_explanation_after_white_space_is_the_note(tmp_path, gap):
    (t,), _ = read(tmp_path, notes_layout(Line("一、說明：本表資料為測試用。"), Line("二、資料來源：財政部財政資訊中心。"),
                                          gap=gap, after=[Block(prose=("三、本部將持續推動產業發展，協助企業取得資金。",))]))
    assert t.notes == "一、說明：本表資料為測試用。\n二、資料來源：財政部財政資訊中心。"


def test_note_with_items_then_prose(tmp_path):
    (t,), _ = read(tmp_path, notes_layout(
        Line("說明："), Line("一、本表資料為測試用。"), Line("二、金額以千元為單位。"),
        after=[Block(prose=("三、其他工作持續辦理。", "本段為正文，不是表格的附註。"), prose_gap=1.5)]))
    assert t.notes == "說明：\n一、本表資料為測試用。\n二、金額以千元為單位。"


def test_note_then_prose_printed_close(tmp_path):
    """Prose right under the note (no more white space than between the note's own lines), in the body
    type: not the note's."""
    (t,), _ = read(tmp_path, notes_layout(Line("註：本表資料為測試用。"),
                                          after=[Block(prose=("本部將持續推動產業發展，協助企業取得資金。",), prose_gap=0.0)]))
    assert t.notes == "註：本表資料為測試用。"


def test_note_does_not_swallow_the_next_tables_title(tmp_path):
    tables, _ = read(tmp_path, notes_layout(NOTE, Line("資料來源：財政部。"), after=[NEXT]))
    assert [t.label for t in tables] == ["表3-2", "表3-3"]
    assert tables[0].notes == "註：本表資料為測試用。\n資料來源：財政部。"
    assert tables[1].unit_hint == "千元" and tables[1].notes == ""


def test_next_tables_title_close_under_the_note(tmp_path):
    nxt = Block(NEXT.spec, (Line("表3-3(111年度)綜稅所得統計表", gap=-0.5),))
    tables, _ = read(tmp_path, notes_layout(NOTE, after=[nxt]))
    assert [t.label for t in tables] == ["表3-2", "表3-3"] and tables[0].notes == "註：本表資料為測試用。"


def test_prose_before_the_note_is_no_note(tmp_path):
    """White space, a prose paragraph, then 註：: that note is not this table's (nothing may stand between)."""
    (t,), _ = read(tmp_path, notes_layout(Line("二、本部將持續推動產業發展。", "margin", size=12), NOTE, gap=4.0))
    assert t.notes == ""


def test_note_at_the_foot_of_the_page(tmp_path):
    (t,), _ = read(tmp_path, notes_layout(Line("註：本表資料為測試用。"), Line("以下空白"), gap=40.0))
    assert t.notes.startswith("註：本表資料為測試用。")


def test_band_below_pure():
    table = (40.0, 100.0, 500.0, 300.0)

    def ln(text, top, x0=40.0, h=10.0):
        return {"text": text, "x0": x0, "x1": x0 + 12 * len(text), "top": top, "bottom": top + h}

    # numbered explanation after white space; the prose paragraph after it is not part of it
    lines = [ln("一、說明：本表資料為測試用。", 360), ln("二、資料來源：財政部。", 375), ln("三、本部持續推動。", 400, h=12)]
    assert band_below(lines, table, [table]) == ("一、說明：本表資料為測試用。", "二、資料來源：財政部。")
    # a 註冊 line is prose, not a note
    assert band_below([ln("註冊家數持續成長。", 360)], table, [table]) == ()


# --- the real report's appendix tables -----------------------------------------------------

def _facts(cells, table_no, header=None):
    return sorted((c.row_label, c.col_no if header is None else header.index(c.col_label), c.text, c.quantity,
                   c.unit_written, c.dimension) for c in cells
                  if c.table_no == table_no and not c.is_header and c.value is not None)


@pytest.mark.parametrize("move", [False, True], ids=["unit line added", "header units moved to the unit line"])
def test_moea_appendix_tables_keep_their_units_with_the_unit_line_at_the_right_margin(tmp_path, report_pdf, move):
    """Both appendix tables of the real report re-printed with a unit line at the right margin above
    the title, over a date line: the same figures in the same units come out.  `move`: the headers'
    own unit (億元, 萬立方公尺, %) left out of the headers, said once by the unit line (and 達成率 by
    being a rate)."""
    from tests.test_tables import read as read_real

    tables, cells = build_tables(read_real(report_pdf))
    appendix = [t for t in tables if (t.label or "").startswith("附表")]
    assert len(appendix) == 2
    for t in appendix:
        mine = [c for c in cells if c.table_no == t.table_no]
        rows = [[c.text for c in mine if c.row_no == r] for r in range(1, t.n_rows + 1)]
        written = {c.unit_written for c in mine if c.value is not None and c.dimension not in ("count", "percent")}
        (unit,) = written
        header = list(t.header)
        if move:
            header = [h.replace(f"（{unit}）", "").replace("（%）", "") for h in header]
        s = TableSpec(header=[[(h, 1) for h in header]], rows=rows, label_cols=1)
        above = (Line(f"單位：{unit}", "right"), Line(t.title_line), Line(DATE, "right"))
        (got,), got_cells = read(tmp_path, [Block(s, above)], name=f"{t.label}-{move}.pdf")
        assert got.label == t.label and got.n_rows == t.n_rows and got.unit_hint == unit
        assert _facts(got_cells, got.table_no) == _facts(cells, t.table_no)

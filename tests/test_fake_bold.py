"""Fake bold read once: a glyph drawn again over itself (twice, three or four times, nudged by a
fraction of a point, in one font or two) is one character, from either engine
(pages_lines.dedupe_chars): PDFium's characters (prose on every page, tables on a flat page) and
pdfplumber's page (tables on a ruled page, pages.printed_once). A real repeat a whole advance
away (11, 年年, ……, two spaces) is kept.

The generated PDF overprints its headings and the header cells of two tables: a booktabs table
(two rules, a flat page: read from PDFium's characters) and a ruled grid (read by pdfplumber)."""
from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipelines.report import pages
from pipelines.report.pages_lines import DUPLICATE_DISTANCE, dedupe_chars
from tests.pdfgen import MARGIN, MONO, SANS, register_font


def char(text: str, x: float, top: float = 100.0, size: float = 10.0, font: str = "MingLiU") -> dict:
    return {"text": text, "x0": x, "x1": x + size, "top": top, "bottom": top + size, "size": size,
            "fontname": font}


# -- the rule, on characters -------------------------------------------------------------------

def test_a_glyph_drawn_twice_at_one_place_is_one_character():
    heading = [char("預", 10), char("預", 10.2), char("算", 20), char("算", 20.3)]
    assert "".join(c["text"] for c in dedupe_chars(heading)) == "預算"


def test_a_glyph_overprinted_in_a_second_font_is_one_character():
    heading = [char("民", 10), char("政", 20), char("民", 10, font="DFKaiShu"), char("政", 20, font="DFKaiShu")]
    assert [c["fontname"] for c in dedupe_chars(heading)] == ["MingLiU", "MingLiU"]


def test_four_copies_a_hair_apart_are_one():
    copies = [char("表", 10 + dx, 100 + dy) for dx, dy in ((0, 0), (0.4, 0), (0, 0.4), (0.4, 0.4))]
    assert len(dedupe_chars(copies)) == 1


def test_copies_chain_and_the_first_is_kept_where_it_stood():
    copies = [char("甲", 50), char("乙", 60), char("甲", 50.6), char("甲", 51.2), char("丙", 70)]
    once = dedupe_chars(copies)
    assert [c["text"] for c in once] == ["甲", "乙", "丙"] and once[0] is copies[0]


def test_real_repeats_stay():
    text = [char("1", 10, size=5), char("1", 15, size=5), char("年", 20), char("年", 30), char(" ", 40), char(" ", 45)]
    assert len(dedupe_chars(text)) == len(text)


def test_a_narrow_glyph_repeated_in_a_small_font_stays():
    # "ll" at 4pt: 0.9pt apart, under DUPLICATE_DISTANCE, but a whole advance: not a copy
    text = [{**char("l", 10 + k * 0.9, size=4), "x1": 10 + k * 0.9 + 0.9} for k in range(3)]
    assert 0.9 < DUPLICATE_DISTANCE and len(dedupe_chars(text)) == 3


def test_a_copy_must_be_the_same_size_and_near_in_both_directions():
    assert len(dedupe_chars([char("中", 10), char("中", 10, size=14)])) == 2
    assert len(dedupe_chars([char("中", 10), char("中", 10, top=112)])) == 2  # the next line
    assert len(dedupe_chars([char("中", 10), char("中", 10, size=10.0000001)])) == 1  # float noise


def test_thousands_of_characters_in_linear_time():
    import time

    page = [char(chr(0x4E00 + (k % 500)), 10 + (k % 50) * 10, 20 + (k // 50) * 12) for k in range(5000)]
    doubled = [c for c in page for c in (c, {**c, "x0": c["x0"] + 0.3})]
    start = time.perf_counter()
    once = dedupe_chars(doubled)
    assert [c["text"] for c in once] == [c["text"] for c in page]
    assert time.perf_counter() - start < 1.0  # ~20 ms; a quadratic pass would take seconds


# -- a generated PDF, both engines -------------------------------------------------------------

HEADING_SAME = "預算總說明"  # every glyph drawn twice on the same spot
HEADING_NUDGED = "歲出計畫提要"  # every glyph drawn 3 times, 0.3pt apart
HEADING_TWO_FONTS = "民政支出"  # drawn again in a second font (another font name)
REPEATS = "2011 年年度報告 …… 第 11 頁"  # real repeats: kept
BOOKTABS = [["科目", "預算數", "決算數"], ["人事費", "1,200", "1,150"], ["業務費", "3,400", "3,310"],
            ["設備費", "560", "540"]]
GRID = [["機關名稱", "本年度", "上年度"], ["內政部", "1,234", "1,100"], ["國土署", "5,678", "5,500"],
        ["警政署", "9,012", "8,800"]]


def _overprint(c, face: str, x: float, y: float, text: str, size: float, copies, second_face=None,
               second_from: int = 1) -> None:
    """Each glyph of `text` drawn once per (dx, dy) in `copies`, glyph by glyph (fake bold); the
    copies from the `second_from`th on in `second_face`, if given."""
    for k, (dx, dy) in enumerate(copies):
        at = x
        use = second_face if second_face and k >= second_from else face
        for ch in text:
            c.setFont(use, size)
            c.drawString(at + dx, y + dy, ch)
            at += c.stringWidth(ch, face, size)


def _table(c, face, rows, x, top, widths, size, grid: bool, second_face: str) -> None:
    """Rows of cells, the header's drawn 3 times (the third in `second_face`: PDFium drops some
    copies of one font itself, not those); two rules (over the header, under the last row: a
    flat page, its table read from PDFium's characters), or a full grid (read by pdfplumber)."""
    pitch = size * 2
    edges = [x + sum(widths[:k]) for k in range(len(widths) + 1)]
    for r, row in enumerate(rows):
        y = top - (r + 1) * pitch + size * 0.6
        for k, cell in enumerate(row):
            copies = ((0, 0), (0.3, 0), (0, 0.3)) if r == 0 else ((0, 0),)
            _overprint(c, face, edges[k] + 4, y, cell, size, copies, second_face=second_face, second_from=2)
    c.setLineWidth(0.5)
    ys = [top - r * pitch for r in range(len(rows) + 1)]
    if grid:
        for y in ys:
            c.line(edges[0], y, edges[-1], y)
        for ex in edges:
            c.line(ex, ys[0], ex, ys[-1])
    else:  # two rules: over the header and under the last row (a flat page keeps to two)
        c.line(edges[0], ys[0], edges[-1], ys[0])
        c.line(edges[0], ys[-1], edges[-1], ys[-1])


@pytest.fixture(scope="module")
def overprinted(tmp_path_factory):
    path = tmp_path_factory.mktemp("fake_bold") / "overprinted.pdf"
    face, mono = register_font(SANS), register_font(MONO)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    for ruled in (False, True):
        y = h - 90
        _overprint(c, face, MARGIN, y, HEADING_SAME, 18, ((0, 0), (0, 0)))
        _overprint(c, face, MARGIN, y - 40, HEADING_NUDGED, 16, ((0, 0), (0.3, 0.3), (0.6, 0)))
        _overprint(c, face, MARGIN, y - 80, HEADING_TWO_FONTS, 16, ((0, 0), (0, 0)), second_face=mono)
        c.setFont(face, 12)
        c.drawString(MARGIN, y - 120, REPEATS)
        c.drawString(MARGIN, y - 150, "本表單位：新臺幣千元")
        rows = GRID if ruled else BOOKTABS
        _table(c, face, rows, MARGIN, y - 170, [120, 100, 100], 11, grid=ruled, second_face=mono)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def parsed(overprinted):
    """The pages as the pipeline reads them, and which pages pdfplumber read."""
    read_by_plumber = []
    original = pages._Reader.plumber_tables

    def spy(self, index):
        read_by_plumber.append(index)
        return original(self, index)

    pages._Reader.plumber_tables = spy
    try:
        got = pages.parse_pages(overprinted, workers=1)
    finally:
        pages._Reader.plumber_tables = original
    return got, read_by_plumber


def _texts(page) -> list[str]:
    return [line.text for line in page.lines]


@pytest.mark.parametrize("index", [0, 1], ids=["flat page", "ruled page"])
def test_overprinted_headings_read_once(parsed, index):
    texts = _texts(parsed[0][index])
    for heading in (HEADING_SAME, HEADING_NUDGED, HEADING_TWO_FONTS):
        assert heading in texts, texts
    assert REPEATS in texts  # 年年, 11, …… are printed so: kept


def test_header_cells_read_once_from_pdfium_on_the_flat_page(parsed):
    got, read_by_plumber = parsed
    assert 0 not in read_by_plumber  # the flat page's table came from PDFium's characters
    (table,) = got[0].tables
    assert [list(r) for r in table.rows] == BOOKTABS


def test_header_cells_read_once_from_pdfplumber_on_the_ruled_page(parsed):
    got, read_by_plumber = parsed
    assert 1 in read_by_plumber  # the grid page's table came from pdfplumber's page
    (table,) = got[1].tables
    assert table.strategy == "lines"
    assert [list(r) for r in table.rows] == GRID


def test_the_characters_are_counted_once(parsed):
    """Page.char_count is what PDFium reads: each glyph drawn once, copies left out."""
    got, _ = parsed
    drawn = sum(len(s) for s in (HEADING_SAME, HEADING_NUDGED, HEADING_TWO_FONTS, REPEATS, "本表單位：新臺幣千元"))
    for page, rows in zip(got, (BOOKTABS, GRID)):
        assert page.char_count == drawn + sum(len(cell) for row in rows for cell in row)


def test_pdfplumber_page_without_copies_is_usable_by_the_table_finder(overprinted):
    import pdfplumber

    from pipelines.report.table_find import find_raw_tables

    with pdfplumber.open(overprinted) as pdf:
        page = pdf.pages[1]
        once = pages.printed_once(page)
        assert len(once.chars) < len(page.chars)
        assert once.edges == page.edges and once.bbox == page.bbox
        assert len(once.crop(once.bbox).chars) == len(once.chars)
        (table,) = find_raw_tables(once)
        assert [list(r) for r in table.rows] == GRID
        texts = [ln["text"] for ln in once.extract_text_lines()]
        assert HEADING_NUDGED in texts and HEADING_SAME in texts

"""Structure from text and layout signals, on small report PDFs rendered in other styles:
fonts, line widths, header and page-number styles. Nothing may depend on the real PDF's layout."""
from decimal import Decimal

import pytest

from pipelines.report.pages import parse_pages
from pipelines.report.parse import parse_report
from tests.pdfgen import MONO, Style, Table, make_report

CHAPTERS = [
    ("壹、工業", [
        "一、產業創新研發",
        "（一）推動三業四化",
        "1、101 年共推動 13 家廠商執行研究開發計畫，促成藥品開發投資近 3.8 億元，預計未來衍生產值達 120 億元以上。",
        "2、辦理 2012 臺灣購物節，吸引 650 萬以上體驗人次，創造商機 2,707.3 億美元，較 100 年成長 22.35％。",
        "（二）充實研發能量",
        "1、第 1 階段先篩選出 5 項產業；保證成數 9 成 5，協助 9 萬 5 千餘人就業。",
    ]),
    ("貳、商業", [
        "一、推動商業科技",
        "1、輔導 139 萬 307 家商業登記，營業額 3 億 6,300 萬元，成長 3%~4%。",
        "2、補助 4 至 6 架次，計 25 餘萬人次參與；依第 39 條規定辦理 1 對 1 諮詢。",
    ]),
    ("附錄、附表", [
        Table("附表一 信保基金專案辦理情形（累計至 101 年底）",
              ["專案", "承保件數（件）", "保證金額（億元）"],
              [["旅行業貸款", "32", "0.80"], ["運動服務產業貸款", "49", "1.13"]],
              total_row=["合計", "81", "1.93"]),
    ]),
]

EXPECTED_TEXT = {  # (chapter_no, dimension, quantity)
    (1, "count", Decimal(13)), (1, "money", Decimal(380000000)), (1, "money", Decimal(12000000000)),
    (1, "count", Decimal(6500000)), (1, "money", Decimal(270730000000)), (1, "percent", Decimal("22.35")),
    (1, "count", Decimal(5)), (1, "percent", Decimal(95)), (1, "count", Decimal(95000)),
    (2, "count", Decimal(1390307)), (2, "money", Decimal(363000000)), (2, "percent", Decimal(3)),
    (2, "percent", Decimal(4)), (2, "count", Decimal(4)), (2, "count", Decimal(6)), (2, "count", Decimal(250000)),
}

STYLES = {
    "default": Style(),
    "narrow-lines-dash-numbers": Style(chars_per_line=17, page_number="dash", lines_per_page=20),
    "wide-lines-chinese-numbers-top": Style(chars_per_line=34, page_number="chinese", page_number_position="top",
                                             first_printed_page=5),
    "no-header-big-heading-mono": Style(header=None, header_rule=False, heading_size=18, font=MONO,
                                         chars_per_line=23, lines_per_page=16),
    "fixed-header-no-contents": Style(header="經濟部施政成果", contents=False, cover=False, chars_per_line=21,
                                      lines_per_page=14),
}


@pytest.fixture(scope="module", params=sorted(STYLES))
def rendered(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / f"{request.param}.pdf"
    layout = make_report(path, CHAPTERS, STYLES[request.param])
    parsed = parse_report(parse_pages(path, workers=1))
    return request.param, layout, parsed


def test_chapters_found_with_numbers_titles_and_printed_pages(rendered):
    name, layout, parsed = rendered
    chapters = [s for s in parsed.sections if s.level == 1]
    assert [(s.chapter_no, s.title) for s in chapters] == [(1, "工業"), (2, "商業"), (None, "附錄、附表")]
    printed = [parsed.document.pages[s.page_index].label for s in chapters]
    if STYLES[name].page_number:
        assert printed == [str(c["page"]) for c in layout["chapters"]]


def test_outline_paths_nest(rendered):
    _, _, parsed = rendered
    paths = {s.path for s in parsed.sections}
    assert {"壹", "壹/一", "壹/一/（一）", "壹/一/（一）/1", "壹/一/（一）/2", "壹/一/（二）/1", "貳/一/2"} <= paths
    by_id = {s.section_id: s for s in parsed.sections}
    for s in parsed.sections:
        if s.parent_id:
            assert by_id[s.parent_id].level < s.level and s.path.startswith(by_id[s.parent_id].path + "/")


def test_running_headers_and_page_numbers_are_not_body_text(rendered):
    name, layout, parsed = rendered
    body = "".join(l.text.replace(" ", "") for l in parsed.document.lines)
    assert "工業2" not in body and "工業" in body
    for page in layout["pages"]:
        if page["label"] and page["kind"] == "chapter":
            info = parsed.document.pages[page["index"]]
            assert info.label == str(int("".join(ch for ch in page["label"] if ch.isdigit())))


def test_every_quantity_found_exactly_whatever_the_line_breaks(rendered):
    _, _, parsed = rendered
    chapter_of = {s.section_id: s.chapter_no for s in parsed.sections}
    got = {(chapter_of[r.section_id], r.q.unit.dimension, r.q.quantity) for r in parsed.quantities}
    assert got == EXPECTED_TEXT
    # nothing that is a date, ordinal, ratio or name slipped in
    assert len(parsed.quantities) == len(EXPECTED_TEXT)


def test_table_with_total_row_is_found_with_units_from_the_header(rendered):
    _, _, parsed = rendered
    assert len(parsed.tables) == 1
    t = parsed.tables[0]
    assert t.title == "附表一" and t.has_total_row
    cells = {(c.row_label, c.col_no): c for c in parsed.cells if not c.is_header}
    assert cells[("旅行業貸款", 2)].quantity == Decimal(80000000)
    assert cells[("合計", 1)].quantity == Decimal(81) and cells[("合計", 1)].is_total


def test_contents_page_read_when_present(rendered):
    name, layout, parsed = rendered
    if STYLES[name].contents:
        assert [e.title for e in parsed.document.contents][:2] == ["壹、工業", "貳、商業"]
        assert [e.page_label for e in parsed.document.contents] == [str(c["page"]) for c in layout["chapters"]]
    else:
        assert parsed.document.contents == ()

"""Prose outside the chapters: an opening before 壹 (a preface, an oral report's salutation) and a
結語 after the last chapter are body text; the cover and the contents page stay out."""
from __future__ import annotations

from decimal import Decimal

from pipelines.report.document import holds_prose
from pipelines.report.model import Page, TextLine
from pipelines.report.pages import parse_pages
from pipelines.report.parse import parse_report
from tests.pdfgen import MONO, Style, make_report

PREFACE = ["去年，我國經濟成長率達 4.3％，國內生產毛額達 25.4 兆元，人均所得達 3 萬 3,883 美元，"
           "民間投資突破 5 兆元，創下歷年新高，各項指標表現亮眼。",
           "失業率為 24 年來新低之 3.38％，實質總薪資平均達 5 萬 6,566 元。"]
CHAPTERS = [("壹、工業", ["一、產業創新", "1、輔導 1,234 家業者導入雲端服務，101 年共推動 13 家。"]),
            ("貳、商業", ["一、商業服務業", "1、協助 250 家業者拓展海外市場。", "結語",
                        "未來將持續投入 12 億元推動產業升級。"])]


def line(text, x0, x1, top, size=14.0):
    return TextLine(text, x0, x1, top, top + size, size, "F")


def test_a_cover_is_not_prose_and_wrapped_paragraph_lines_are():
    cover = Page(0, 595, 842, (line("行 政 院", 160, 443, 140, 36), line("施 政 報 告", 107, 497, 200, 48),
                               line("中華民國 114 年 2 月 25 日", 194, 401, 710, 18)), 40)
    prose = Page(1, 595, 842, tuple(line("如何形容今年的臺灣？從年初民主大選結果新政府成立", 71, 524 + k % 2, 100 + 30 * k)
                                    for k in range(4)) + (line("的一年。", 71, 190, 220),), 200)
    assert not holds_prose(cover, set())
    assert holds_prose(prose, set())
    # the same lines, centred at their own widths as a cover prints them, are not a paragraph
    centred = Page(2, 595, 842, tuple(line("第十一屆第三會期施政報告暨質詢紀錄彙編", 100 + 20 * k, 400 + 40 * k,
                                           100 + 30 * k) for k in range(4)), 80)
    assert not holds_prose(centred, set())


def _parsed(tmp_path, style=Style()):
    path = tmp_path / "r.pdf"
    make_report(path, CHAPTERS, style, preface=PREFACE)
    return parse_report(parse_pages(path, workers=1))


def test_preface_quantities_load_under_no_chapter(tmp_path):
    for style in (Style(), Style(font=MONO, body_size=12, chars_per_line=24, contents=False)):
        parsed = _parsed(tmp_path, style)
        by_id = {s.section_id: s for s in parsed.sections}
        front = [r for r in parsed.quantities if by_id[r.section_id].path == "前言"]
        assert [r.q.quantity for r in front] == [Decimal("4.3"), Decimal("25400000000000"), Decimal(33883),
                                                  Decimal("5000000000000"), Decimal("3.38"), Decimal(56566)]
        assert {by_id[r.section_id].chapter_no for r in front} == {None}
        assert [s.chapter_no for s in parsed.sections if s.level == 1 and s.chapter_no] == [1, 2]


def test_cover_and_contents_stay_out_of_the_body(tmp_path):
    parsed = _parsed(tmp_path)
    kinds = [p.kind for p in parsed.document.pages]
    assert kinds[:3] == ["front", "contents", "body"]
    body = "".join(l.text for l in parsed.document.lines)
    assert "施政成果" not in body  # the cover's title
    assert "......" not in body  # the contents' leader dots


def test_a_closing_word_heading_opens_its_own_unnumbered_section(tmp_path):
    parsed = _parsed(tmp_path)
    closing = next(s for s in parsed.sections if s.title == "結語")
    assert (closing.level, closing.chapter_no, closing.path) == (1, None, "結語")
    by_id = {s.section_id: s for s in parsed.sections}
    last = [r for r in parsed.quantities if by_id[r.section_id].path == "結語"]
    assert [r.q.quantity for r in last] == [Decimal(1200000000)]


def test_a_report_that_starts_with_its_first_chapter_has_no_preface_section(tmp_path):
    path = tmp_path / "r.pdf"
    make_report(path, CHAPTERS, Style(lines_per_page=5))  # chapters over pages: their running headers recur
    parsed = parse_report(parse_pages(path, workers=1))
    assert parsed.sections[0].path == "壹"


def test_an_annex_that_restarts_at_one_holds_parts_of_the_appendix_not_chapters(tmp_path):
    annex = ("附錄二、議題融入說明", ["壹、前言", "本附錄說明議題融入方式，共 3 項原則。", "貳、學習目標",
                                 "培養學生 5 項能力。"])
    path = tmp_path / "r.pdf"
    make_report(path, [*CHAPTERS, annex], Style(lines_per_page=12))
    parsed = parse_report(parse_pages(path, workers=1))
    top = [(s.title, s.chapter_no) for s in parsed.sections if s.level == 1]
    assert top[:2] == [("工業", 1), ("商業", 2)]
    assert [no for title, no in top if title in ("前言", "學習目標")] == [None, None]
    assert sorted(no for _, no in top if no) == [1, 2]  # chapter numbers stay unique

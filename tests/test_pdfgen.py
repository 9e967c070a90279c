"""The synthetic report generator draws what it says it drew, as pdfplumber reads it."""
from __future__ import annotations

import re

import pdfplumber
import pytest

from tests.pdfgen import MONO, Style, Table, make_plain_pdf, make_report, text_lines_of

# Horizontal-rules tables: the text strategy's vertical edges only span the words, which sit
# inside the rows, so they must be allowed to reach the top/bottom rules (about half a row);
# keep_blank_chars keeps cells such as "第 1 期" as one word so they do not invent columns.
HORIZONTAL = {"vertical_strategy": "text", "horizontal_strategy": "lines",
              "intersection_y_tolerance": 15, "text_keep_blank_chars": True}

GUARANTEES = Table(
    "附表一 信保基金火金姑（相對保證）專案辦理情形（累計至 101 年底）",
    ["專案", "承保件數（件）", "保證金額（億元）", "融資金額（億元）"],
    [["旅行業貸款", "32", "0.80", "0.89"], ["臺北市中小企業融資貸款", "1,498", "11.76", "12.83"],
     ["宜蘭縣幸福融資貸款", "48", "0.21", "0.23"]],
    total_row=["合計", "2,572", "17.68", "19.41"])
DREDGING = Table(
    "附表二 加強河川野溪及水庫疏濬方案執行成效",
    ["期別", "目標量（萬立方公尺）", "實際執行量（萬立方公尺）", "達成率（%）"],
    [["第 1 期", "6,500", "10,851", "166.9"], ["第 2 期", "5,200", "8,955.5", "172.2"],
     ["第 3 期", "4,000", "5,604.1", "140.1"]],
    style="horizontal")

INDUSTRY = ["一、產業創新研發", "（一） 推動三業四化",
            "1、積極落實推動「製造業服務化、服務業科技化及國際化、傳統產業特色化」（三業四化）產業發展策略，"
            "發展高附加價值及知識勞力密集之產業，以達成促進經濟發展、增加就業機會並改善所得分配之目標。",
            "（1）以高共通性、高技術挑戰原則，101 年共推動 13 家執行構想規劃階段計畫及 4 家廠商執行研究開發階段計畫。"]
CHAPTERS = [("壹、工業", INDUSTRY * 6),  # long enough to run over two pages
            ("貳、商業", ["一、商業服務業", "1、輔導 1,234 家業者導入雲端服務。"]),
            ("附錄、附表", [GUARANTEES])]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdfgen") / "report.pdf"
    layout = make_report(path, CHAPTERS, Style(heading_size=18))
    return path, layout, text_lines_of(path)


def test_every_page_reads_back_as_drawn(report):
    _, layout, pages = report
    assert len(pages) == len(layout["pages"])
    for drawn, read in zip(layout["pages"], pages):
        assert [squash(s) for s in read] == [squash(s) for s in drawn["lines"]], drawn["index"]


def test_spaces_around_numbers_are_kept_and_none_are_invented(tmp_path):
    text = "1、101 年共推動 13 家，101年出口2,707.3億美元，成長 1.2%。"
    make_report(tmp_path / "r.pdf", [("壹、工業", [text])], Style(cover=False, contents=False, chars_per_line=60))
    assert text in text_lines_of(tmp_path / "r.pdf")[0]


def test_cover_contents_and_chapter_start_pages(report):
    _, layout, pages = report
    assert pages[0] == ["經濟部 101 年施政成果", "經濟部"]
    assert pages[1][0] == "目 錄"
    starts = [(c["title"], c["page"]) for c in layout["chapters"]]
    assert starts == [("壹、工業", 1), ("貳、商業", 3), ("附錄、附表", 4)]
    for (title, page), line in zip(starts, pages[1][1:]):
        assert re.fullmatch(rf"{title} \.{{10,}} {page}", line)
    for chapter in layout["chapters"]:
        read = pages[chapter["index"]]
        assert read[1] == chapter["title"] and read[-1] == str(chapter["page"])


def test_chapter_pages_carry_header_and_consecutive_numbers(report):
    _, layout, pages = report
    chapter_pages = [(p, pages[p["index"]]) for p in layout["pages"] if p["kind"] == "chapter"]
    assert [p["label"] for p, _ in chapter_pages] == ["1", "2", "3", "4"]
    headers = {"壹、工業": "工 業", "貳、商業": "商 業", "附錄、附表": "附 表"}
    for page, read in chapter_pages:
        assert read[0] == headers[page["chapter"]] and read[-1] == page["label"]
    # The first chapter runs over onto page 2, which has no chapter heading.
    assert pages[3][1] != "壹、工業" and len(pages[2]) == 35 + 2


def test_continuation_lines_are_indented_like_the_text(tmp_path):
    make_report(tmp_path / "r.pdf", [("壹、工業", [INDUSTRY[2]])], Style(cover=False, contents=False))
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        lines = pdf.pages[0].extract_text_lines()
    first, second = lines[2], lines[3]
    assert first["text"].startswith("1、") and round(second["x0"] - first["x0"]) == round(first["chars"][2]["x0"] - first["x0"])


@pytest.mark.parametrize("lines_per_page", [35, 4])  # 4: the cut is also a page break
def test_a_number_can_be_cut_at_a_line_or_page_break(tmp_path, lines_per_page):
    head = "2、本年度出口持續成長，全年出口總值達"
    text = head + "約" * (30 * 3 - len(head) - len("2,707.")) + "2,707.3 億美元，較上年成長 1.2%。"
    layout = make_report(tmp_path / "r.pdf", [("壹、工業", [text])],
                         Style(cover=False, contents=False, lines_per_page=lines_per_page))
    read = [line for page in text_lines_of(tmp_path / "r.pdf") for line in page]
    drawn = [line for page in layout["pages"] for line in page["lines"]]
    for lines in (read, drawn):
        cut = next(i for i, s in enumerate(lines) if s.endswith("2,707."))
        following = [s for s in lines[cut + 1:] if s not in ("1", "2", "工 業")]
        assert following[0].startswith("3 億美元")
    assert len(layout["pages"]) == (2 if lines_per_page == 4 else 1)


@pytest.mark.parametrize("fmt, position, first, expected", [
    ("plain", "bottom", 1, "1"), ("dash", "bottom", 7, "- 7 -"), ("chinese", "bottom", 3, "第 3 頁"),
    ("chinese", "top", 3, "工 業 第 3 頁"), (None, "bottom", 1, None)])
def test_page_label_styles(tmp_path, fmt, position, first, expected):
    style = Style(page_number=fmt, page_number_position=position, first_printed_page=first,
                  cover=False, contents=False)
    layout = make_report(tmp_path / "r.pdf", [("壹、工業", INDUSTRY)], style)
    read = text_lines_of(tmp_path / "r.pdf")[0]
    assert read == layout["pages"][0]["lines"]
    assert layout["chapters"][0]["page"] == first
    if expected is None:
        assert layout["pages"][0]["label"] is None and read[-1] != "1"
    elif position == "top":
        assert read[0] == expected
    else:
        assert read[-1] == expected


def test_grid_table_is_found_by_default_settings(report):
    path, layout, _ = report
    drawn = layout["pages"][-1]["tables"][0]
    with pdfplumber.open(path) as pdf:
        tables = pdf.pages[-1].find_tables()
    assert len(tables) == 1
    assert tables[0].extract() == GUARANTEES.all_rows() == drawn["rows"]
    assert tables[0].bbox == pytest.approx(drawn["bbox"], abs=1)


@pytest.mark.parametrize("table", [DREDGING, Table(**{**GUARANTEES.__dict__, "style": "horizontal"})])
def test_horizontal_rules_table_is_drawn_without_verticals(tmp_path, table):
    body = ["一、商業服務業", "1、輔導 1,234 家業者導入雲端服務，101 年共推動 13 家。"]
    make_report(tmp_path / "r.pdf", [("附錄、附表", body + [table] + body)], Style(cover=False, contents=False))
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        page = pdf.pages[0]
        assert page.find_tables() == []  # no vertical rules, so the lines strategy sees nothing
        assert [t.extract() for t in page.find_tables(HORIZONTAL)] == [table.all_rows()]


def test_same_input_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "sub" / "b.pdf"
    b.parent.mkdir()
    assert make_report(a, CHAPTERS) == make_report(b, CHAPTERS)
    assert a.read_bytes() == b.read_bytes()


def test_second_face_reads_back(tmp_path):
    layout = make_report(tmp_path / "r.pdf", CHAPTERS[1:], Style(font=MONO))
    assert [[squash(s) for s in p] for p in text_lines_of(tmp_path / "r.pdf")] == \
        [[squash(s) for s in p["lines"]] for p in layout["pages"]]


def test_plain_pdfs(tmp_path):
    english = ["Annual Report 2012", "Revenue grew 3.4% to USD 1,234 million."]
    make_plain_pdf(tmp_path / "en.pdf", english, font=None)
    make_plain_pdf(tmp_path / "zh.pdf", ["經濟部 101 年施政成果"])
    assert text_lines_of(tmp_path / "en.pdf") == [english]
    assert text_lines_of(tmp_path / "zh.pdf") == [["經濟部 101 年施政成果"]]


def test_impossible_layouts_are_refused(tmp_path):
    with pytest.raises(ValueError):
        make_report(tmp_path / "r.pdf", CHAPTERS, Style(lines_per_page=60))
    too_long = Table("附表", ["a", "b"], [["1", "2"]] * 40)
    with pytest.raises(ValueError):
        make_report(tmp_path / "r.pdf", [("附錄、附表", [too_long])])

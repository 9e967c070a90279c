"""Which PDFs load: Traditional-Chinese reports with chapters, and statistical table documents;
the rest are refused with the reason (another language, simplified characters, no chapters or tables)."""
from __future__ import annotations

import pytest

from pipelines.report import errors
from pipelines.report.kind import document_kind, script_problem
from pipelines.report.pages import parse_pages
from pipelines.report.parse import parse_report
from tests.pdfgen import Style, Table, make_plain_pdf, make_report

PROSE = "本部推動產業升級，輔導業者拓展市場，協助中小企業取得融資。"
TABLE = Table("表 1 各縣市綜合所得總額", ["縣市", "納稅單位", "綜合所得總額（千元）"],
              [["臺北市", "1,234", "56,789"], ["新北市", "2,345", "67,890"]])


def kind_of(path):
    pages = parse_pages(path, workers=1)
    return document_kind(pages, parse_report(pages).sections)


@pytest.mark.parametrize("text, reason", [
    ("Revenue grew 3.4% to USD 1,234 million in the second quarter of 2012.", errors.NOT_CHINESE),
    ("这是我们国家经济发展的重要时期，产业与资本市场对外开放进一步扩大。", errors.SIMPLIFIED),
    ("這是我們國家經濟發展的重要時期，產業與資本市場對外開放進一步擴大。", ""),
    ("本報告引用「华为」與「联发科」之名稱，其餘皆為正體字說明與統計資料。", ""),  # a quoted name or two
])
def test_the_script_is_read_from_the_text(text, reason):
    assert script_problem(text) == reason


def test_a_report_with_chapters_is_a_report(tmp_path):
    make_report(tmp_path / "r.pdf", [("壹、工業", ["一、產業創新", "1、" + PROSE])])
    assert kind_of(tmp_path / "r.pdf").name == "report"


def test_a_table_document_without_chapters_loads_as_tables(tmp_path):
    make_report(tmp_path / "t.pdf", [("附錄、統計表", [TABLE])], Style(cover=False, contents=False))
    assert kind_of(tmp_path / "t.pdf").name == "tables"


@pytest.mark.parametrize("lines, reason", [
    (["Federal Register / Vol. 85", "Proposed Rules", "Summary: 12 pages"], errors.NOT_CHINESE),
    (["年度报告", "这是我们公司的经营情况说明，营业收入与利润均有增长。", "董事会关于公司发展的讨论与分析。"], errors.SIMPLIFIED),
    (["會議紀錄", PROSE, "散會。"], errors.NOT_A_REPORT),
])
def test_other_documents_are_refused_with_their_reason(tmp_path, lines, reason):
    make_plain_pdf(tmp_path / "x.pdf", lines, font=None if reason == errors.NOT_CHINESE else Style().font)
    kind = kind_of(tmp_path / "x.pdf")
    assert (kind.name, kind.reason) == (None, reason)

"""A report's title, issuer, kind and year are read from its cover, whatever the agency or year."""
from __future__ import annotations

import pytest

from pipelines.report.identity import report_identity
from pipelines.report.model import Page, TextLine


def cover(*lines: tuple[str, float]) -> list[Page]:
    text = tuple(TextLine(t, 100, 100 + 10 * len(t), 100 + 60 * k, 100 + 60 * k + size, size, "F")
                 for k, (t, size) in enumerate(lines))
    return [Page(0, 595, 842, (), 0), Page(1, 595, 842, text, sum(len(t) for t, _ in lines))]  # a blank first page


@pytest.mark.parametrize("lines, title, roc_year, issuer, kind", [
    ([("經濟部 101 年施政成果", 26), ("經濟部", 18)], "經濟部101年施政成果", 101, "經濟部", "施政成果"),
    ([("行 政 院", 36), ("施 政 報 告", 48), ("（口頭報告）", 20), ("行政院院長 卓 榮 泰", 24),
      ("中華民國 114 年 2 月 25 日", 18)], "行政院施政報告", 114, "行政院", "施政報告"),
    ([("交通部 112 年度施政績效報告", 24), ("中華民國 113 年 3 月", 14)], "交通部112年度施政績效報告", 112, "交通部",
     "施政績效報告"),
    ([("表 165-P(103 年度)綜稅所得總額統計分析表 單位：金額(千元)", 16), ("製表日期：105 年 06 月 20 日", 16),
      ("縣市別：雲 林 縣", 14)], "表165-P(103年度)綜稅所得總額統計分析表", 103, None, "統計表"),
    ([("稻 作 病 蟲 害", 24), ("一、稻種消毒", 17)], "稻作病蟲害", None, None, None),
])
def test_the_cover_names_the_report(lines, title, roc_year, issuer, kind):
    who = report_identity(cover(*lines))
    assert (who.title, who.roc_year, who.issuer, who.report_kind) == (title, roc_year, issuer, kind)


def test_no_text_at_all_gives_nothing():
    assert report_identity([Page(0, 595, 842, (), 0)]).title is None

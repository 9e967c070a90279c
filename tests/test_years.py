"""Years as a reader reads them (pipelines/report/years.py read_year): the period a sentence
states for a fact, names and comparison bases apart, relative words resolved against the report."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from pipelines.report.quantities import read_text
from pipelines.report.years import YearRef, read_year, year_mentions
from pipelines.report.text import nfkc


def ref(sentence: str, amount: str, nth: int = 0) -> YearRef:
    s = nfkc(sentence)
    a = nfkc(amount)
    i = -1
    for _ in range(nth + 1):
        i = s.index(a, i + 1)
    return read_year(s, i, i + len(a))


@pytest.mark.parametrize("sentence, amount, year, period", [
    ("113 年出口 3 億元", "3 億元", 2024, "year"),
    ("2024 年出口 3 億元", "3 億元", 2024, "year"),
    ("113 學年度補助 120 校", "120 校", 2024, "academic_year"),
    ("113 年度預算編列 242 億元", "242 億元", 2024, "year"),
    ("114 會計年度總預算 3 兆元", "3 兆元", 2025, "fiscal_year"),
    ("113 年上半年出口成長 5%", "5%", 2024, "half"),
    ("113 年下半年出口成長 5%", "5%", 2024, "half"),
    ("113 年第 3 季經濟成長 4.2%", "4.2%", 2024, "quarter"),
    ("113 年 5 月出口 400 億美元", "400 億美元", 2024, "month"),
    ("113 年 1 至 6 月出口 2,300 億美元", "2,300 億美元", 2024, "month"),
    ("113 年前 3 季經濟成長 4.2%", "4.2%", 2024, "quarter"),
    ("98 年至 101 年底累計投資 45.5 億元", "45.5 億元", 2012, "year"),
    ("2025 至 2026 年再汰換 414 萬台", "414 萬台", 2026, "year"),
    ("110至113年度共補助 300 家", "300 家", 2024, "year"),
    ("截至 113 年底累計核定 5 萬戶", "5 萬戶", 2024, "year"),
    ("至 2030 年將開始少於 2,300 萬人", "2,300 萬人", 2030, "year"),
    ("投資 5 億元", "5 億元", None, None),
])
def test_the_year_its_sentence_states(sentence, amount, year, period):
    r = ref(sentence, amount)
    assert (r.year, r.period) == (year, period)


@pytest.mark.parametrize("sentence, amount, year", [
    # a span inside a plan's name is not the fact's year; the year the sentence states is
    ("推動「110至113年度前瞻基礎建設計畫」，113 學年度補助 120 校", "120 校", 2024),
    ("推動 110至113年度前瞻基礎建設計畫，補助 120 校", "120 校", None),
    ("辦理「2023 臺灣燈會」，吸引 500 萬人次", "500 萬人次", None),
    ("112 年辦理「2023 臺灣燈會」，吸引 500 萬人次", "500 萬人次", 2023),
    ("推動「110 年度產業升級方案」，113 年投入 5 億元", "5 億元", 2024),
    # a year inside the same quote as the amount is that amount's year
    ("目標為「2030 年減量 24%」", "24%", 2030),
])
def test_years_inside_names_are_not_the_facts_year(sentence, amount, year):
    assert ref(sentence, amount).year == year


@pytest.mark.parametrize("sentence, amount, year, base_year, base_offset", [
    ("113 年出口 4,750 億美元，較 112 年成長 9.9%", "9.9%", 2024, 2023, None),
    ("出口較 109 年增加 12%", "12%", None, 2020, None),
    ("與 109 年相比成長 5%", "5%", None, 2020, None),
    ("與去年同期相比成長 5%", "5%", None, None, -1),
    ("較去年增加 3 萬人", "3 萬人", None, None, -1),
    ("相較 2005 年減量 24%", "24%", None, 2005, None),
])
def test_a_comparison_base_is_base_year_not_year(sentence, amount, year, base_year, base_offset):
    r = ref(sentence, amount)
    assert (r.year, r.base_year, r.base_offset) == (year, base_year, base_offset)


def test_relative_years_resolve_against_the_report_year_or_stay_null():
    r = ref("去年經濟成長率達 4.3%", "4.3%")
    assert (r.year, r.offset) == (None, -1)
    assert r.resolved(2025) == (2024, None)
    assert r.resolved(None) == (None, None)
    r = ref("今年上半年出口成長 5%", "5%")
    assert (r.offset, r.period) == (0, "half")
    assert r.resolved(2025)[0] == 2025
    assert ref("本期核定 30 件", "30 件").resolved(2024)[0] == 2024
    assert ref("與去年同期相比成長 5%", "5%").resolved(2025) == (None, 2024)


def test_a_stated_year_outranks_a_relative_word_in_another_clause():
    # 今年 5 月 dates when a rule applies; the figures are of the tax year stated
    s = "調高 2024 年度綜所稅免稅額，今年 5 月即可適用，約 687 萬戶受惠"
    assert ref(s, "687 萬戶").year == 2024
    # in the amount's own clause the nearest year wins, whatever its form
    assert ref("113 年出口成長，今年出口 5 億元", "5 億元").offset == 0


def test_a_year_after_the_amount_counts_within_its_part_of_the_sentence_only():
    assert ref("新增 1.2GW，預計於 2030 年前完工", "1.2GW").year == 2030
    assert ref("營業額達 4 兆元，創新高；今年預估出口更有望突破", "4 兆元").offset is None


def test_durations_and_counts_of_years_are_not_years():
    assert [m.year for m in year_mentions(nfkc("3 年內創造 6,000 億元，24 年來新低"))] == []


def test_repeated_amount_each_gets_its_own_year():
    rs, _ = read_text(nfkc("101 年出口 3 億元，預計 103 年出口 3 億元。"))
    assert [r.info["year"] for r in rs] == [2012, 2014]


@given(st.integers(min_value=90, max_value=130), st.sampled_from(["年", "年度", "學年度", "會計年度"]))
def test_roc_year_forms_property(roc, suffix):
    r = ref(f"{roc} {suffix}補助 5 億元", "5 億元")
    assert r.year == roc + 1911


@given(st.integers(min_value=90, max_value=125), st.integers(min_value=1, max_value=5))
def test_span_gives_its_end_year_property(first, length):
    r = ref(f"{first} 年至 {first + length} 年累計投資 5 億元", "5 億元")
    assert r.year == first + length + 1911


def test_the_amount_right_after_a_comparison_base_is_that_years_figure():
    r = ref("出口量 40,037 公噸，較 100 年 20,316 公噸成長", "20,316 公噸")
    assert (r.year, r.base_year) == (2011, None)
    assert ref("較 100 年成長 5%", "5%").base_year == 2011


def test_a_from_year_dates_the_starting_figure_only():
    s = "發卡量由 100 年 2 萬 3,180 張增加至 7 萬 1,921 張，成長 2 成"
    assert ref(s, "2 萬 3,180 張").year == 2011
    assert ref(s, "7 萬 1,921 張").year is None  # left to the outline item's year, else NULL
    s = "由 2012 年底的 19.55% 降至 2024 年的 11.99%"
    assert [ref(s, "19.55%").year, ref(s, "11.99%").year] == [2012, 2024]


def test_a_sentence_without_a_year_takes_its_outline_items_year():
    from types import SimpleNamespace as S

    from pipelines.report.star import _heading_years
    sections = [S(section_id=1, parent_id=0, title="貿易"),
                S(section_id=2, parent_id=1, title="101 年爭取商機 8 億美元，工作效益如下："),
                S(section_id=3, parent_id=2, title="完成諮詢服務"),
                S(section_id=4, parent_id=1, title="推動「2023 臺灣燈會」"),
                S(section_id=5, parent_id=1, title="今年推動")]
    years = _heading_years(sections, 2025)
    assert years[2] == years[3] == (2012, "year")
    assert 1 not in years and 4 not in years  # no year; a year inside a name is none
    assert years[5] == (2025, "year") and 5 not in _heading_years(sections, None)


def test_year_agreement_on_the_dev_gold(report_warehouse):
    """Matched gold facts (chapter, dimension, currency, base value) whose gold year is stated: the
    warehouse's year agrees with the reader's on at least 97% of them."""
    import collections
    import json
    from pathlib import Path

    import duckdb
    gold_path = Path(__file__).parent / "data" / "gold" / "dev_facts.jsonl"
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    con = duckdb.connect(str(report_warehouse), read_only=True)
    rows = con.execute("SELECT chapter_no, dimension, currency, quantity, year, raw_text, context FROM v_quantities "
                       "WHERE source = 'text' ORDER BY quantity_key").fetchall()
    con.close()
    by = collections.defaultdict(list)
    for i, r in enumerate(rows):
        by[(r[0], r[1], r[2] if r[1] == "money" else None)].append(i)
    squash = lambda t: "".join((t or "").split())  # noqa: E731
    used, agree = set(), []
    for g in sorted(gold, key=lambda g: g.get("optional", False)):
        same = [i for i in by[(g["chapter_no"], g["dimension"], g.get("currency") if g["dimension"] == "money" else None)]
                if i not in used and abs(rows[i][3] - g["base_value"]) <= 1e-6 * max(1, abs(g["base_value"]))]
        # the row in the gold fact's snippet and written as it is, else written as it is, else any
        i = next((i for i in same if squash(rows[i][5]).endswith(squash(g["text"]))
                  and squash(g.get("snippet")) in squash(rows[i][6])), None)
        i = i if i is not None else next((i for i in same if squash(rows[i][5]).endswith(squash(g["text"]))),
                                         same[0] if same else None)
        if i is None:
            continue
        used.add(i)
        if g.get("year"):
            agree.append(rows[i][4] == g["year"] + 1911)
    assert len(agree) >= 200
    assert sum(agree) / len(agree) >= 0.97, sum(agree) / len(agree)


def test_the_warehouse_carries_period_base_year_per_and_noun(report_warehouse):
    import duckdb
    con = duckdb.connect(str(report_warehouse), read_only=True)
    cols = {r[0] for r in con.execute("DESCRIBE v_quantities").fetchall()}
    assert {"period", "base_year", "per", "noun"} <= cols
    periods = dict(con.execute("SELECT period, count(*) FROM v_quantities WHERE source = 'text' GROUP BY 1").fetchall())
    assert periods.get("year", 0) > 500 and set(periods) <= {None, "year", "academic_year", "fiscal_year", "half",
                                                             "quarter", "month"}
    # a growth figure measured against a stated year has it as base_year, earlier than its own year
    bad = con.execute("SELECT count(*) FROM v_quantities WHERE comparison = 'change_vs_year' "
                      "AND (base_year IS NULL OR base_year >= coalesce(year, 9999))").fetchone()[0]
    assert bad == 0
    assert con.execute("SELECT count(*) FROM v_quantities WHERE noun IS NOT NULL").fetchone()[0] > 0
    con.close()


@pytest.mark.parametrize("sentence", ["65 歲以上年長者 3 萬人", "相當年輕的 300 位創業者"])
def test_relative_words_inside_other_words_are_not_years(sentence):
    assert [m.offset for m in year_mentions(nfkc(sentence))] == []

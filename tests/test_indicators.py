"""Money indicators and reading flags (pipelines/report/indicators.py).

The agreement test rebuilds, for each hand label in tests/data/gold/dev_money_indicators.jsonl, the
sentence the amount stands in from tests/data/moea-101-achievements.txt (copies of the shared report
text and labels), the way a caller would: NFKC per printed line, non-blank lines joined into one
stream, the sentence cut at 。！？.
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.report.indicators import (
    INDICATORS,
    RULES_PATH,
    classify_money,
    flags,
    load_rules,
)

DATA = Path(__file__).parent / "data"
REPORT = DATA / "moea-101-achievements.txt"
GOLD = DATA / "gold" / "dev_money_indicators.jsonl"
SENTENCE_ENDS = "。!?"  # after NFKC: 。 stays, ！？ become !?


# --------------------------------------------------------------------------------------------------
# helpers


@lru_cache(maxsize=None)
def _stream() -> tuple[str, dict[int, tuple[int, int]]]:
    """The report as one NFKC string, and each non-blank line's [start, end) in it."""
    parts, where, pos = [], {}, 0
    for no, line in enumerate(REPORT.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        norm = unicodedata.normalize("NFKC", line)
        where[no] = (pos, pos + len(norm))
        parts.append(norm)
        pos += len(norm)
    return "".join(parts), where


def gold_sentence(line: int, text: str) -> tuple[str, int, int]:
    """(sentence, start, end) of the labelled amount that starts on `line`."""
    stream, where = _stream()
    amount = unicodedata.normalize("NFKC", text.replace("\n", ""))
    line_start, line_end = where[line]
    at = stream.find(amount, line_start)
    assert line_start <= at < line_end, f"{amount!r} does not start on line {line}"
    begin = max(stream.rfind(c, 0, at) for c in SENTENCE_ENDS) + 1
    ends = [i for i in (stream.find(c, at + len(amount)) for c in SENTENCE_ENDS) if i >= 0]
    stop = min(ends) + 1 if ends else len(stream)
    return stream[begin:stop], at - begin, at - begin + len(amount)


def gold_labels() -> list[dict]:
    return [json.loads(l) for l in GOLD.read_text(encoding="utf-8").splitlines() if l.strip()]


def at(sentence: str, amount: str, nth: int = 0) -> tuple[str, int, int]:
    """NFKC the sentence and give the span of the nth occurrence of `amount` in it."""
    s = unicodedata.normalize("NFKC", sentence)
    a = unicodedata.normalize("NFKC", amount)
    i = -1
    for _ in range(nth + 1):
        i = s.find(a, i + 1)
        assert i >= 0, f"{amount!r} (#{nth}) not in {sentence!r}"
    return s, i, i + len(a)


def indicator(sentence: str, amount: str, nth: int = 0) -> str:
    return classify_money(*at(sentence, amount, nth))[0]


def flag(sentence: str, amount: str, nth: int = 0, qualifier: str | None = None) -> dict:
    return flags(*at(sentence, amount, nth), qualifier)


# --------------------------------------------------------------------------------------------------
# agreement with the hand labels


def test_gold_sentences_are_rebuilt():
    labels = gold_labels()
    assert len(labels) >= 50
    for g in labels:
        s, a, b = gold_sentence(g["line"], g["text"])
        assert s[a:b] == unicodedata.normalize("NFKC", g["text"].replace("\n", ""))
        assert g["label"] in INDICATORS


def test_agreement_with_gold_labels():
    labels = gold_labels()
    misses = []
    for g in labels:
        s, a, b = gold_sentence(g["line"], g["text"])
        got, keyword = classify_money(s, a, b)
        if got != g["label"]:
            misses.append(f"line {g['line']} {s[a:b]!r}: got {got} ({keyword}), gold {g['label']}"
                          f"  | {s[max(0, a - 30):a]}【{s[a:b]}】{s[b:b + 15]}")
    agreement = 1 - len(misses) / len(labels)
    print(f"\nagreement {agreement:.3f} ({len(labels) - len(misses)}/{len(labels)})")
    print("\n".join(misses) or "no disagreements")
    assert agreement >= 0.9


# --------------------------------------------------------------------------------------------------
# the rules file


def test_rules_load_once_and_are_valid():
    assert RULES_PATH.is_file()
    rules_dir = Path(__file__).resolve().parents[1] / "pipelines" / "report" / "rules"
    assert RULES_PATH == rules_dir / "indicator_keywords.csv"
    rules = load_rules()
    assert load_rules() is rules  # cached
    used = {r.indicator for r in rules}
    assert used <= set(INDICATORS) | {"ignore"}
    # every indicator but `other` is reachable by some keyword
    assert set(INDICATORS) - {"other"} <= used
    # strongest first
    keys = [(-r.priority, -len(r.keyword)) for r in rules]
    assert keys == sorted(keys)


def test_rules_file_rejects_unknown_indicator(tmp_path):
    bad = tmp_path / "rules.csv"
    bad.write_text("keyword,indicator,priority,note\n投資,investments,20,typo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown indicator"):
        load_rules(bad)


# --------------------------------------------------------------------------------------------------
# one or more sentences per indicator


@pytest.mark.parametrize(
    "sentence, amount, expected",
    [
        # investment
        ("101 年加工出口區總計新增投資 158 案，吸引投資 582 億元。", "582 億元", "investment"),
        ("共招商 61 家，招商金額達 1,266 億元。", "1,266 億元", "investment"),
        ("投（增）資金額 55.59 億美元，較上年增加 12.18％。", "55.59 億美元", "investment"),
        ("帶動民間投增資逾 50 億元。", "50 億元", "investment"),
        ("促成雲端服務合作案 12 件，帶動投資商機約 4.1 億元。", "4.1 億元", "investment"),
        # rd_spending
        ("帶動廠商研發投資 45.5 億元。", "45.5 億元", "rd_spending"),
        ("帶動中小企業投入研究經費 18.16 億元。", "18.16 億元", "rd_spending"),
        ("促進廠商投入研發金額 5,435 萬元。", "5,435 萬元", "rd_spending"),
        # output_value
        ("創造產值 20 億元。", "20 億元", "output_value"),
        ("預估可創造約 8,000 個就業機會及 370 億元年產值。", "370 億元", "output_value"),
        # revenue
        ("合計爭取商機 34.5 億美元，商機目標達成率 153.3％。", "34.5 億美元", "revenue"),
        ("百貨公司之營業額達 905 億元。", "905 億元", "revenue"),
        ("促成外銷接單 430 萬美元。", "430 萬美元", "revenue"),  # 外銷接單 beats 外銷
        ("成交金額約 1.3 億元。", "1.3 億元", "revenue"),
        # trade
        ("其中出口 3,011.1 億美元，下滑 2.3％。", "3,011.1 億美元", "trade"),
        ("101 年自臺灣進口總額為 1,321.94 億美元。", "1,321.94 億美元", "trade"),
        ("101 年我與中東雙邊貿易額 467.84 億美元。", "467.84 億美元", "trade"),
        ("累計出超 303.8 億美元。", "303.8 億美元", "trade"),
        # 加工出口區 is a place, not exports
        ("加工出口區事業營業額 3,000 億元。", "3,000 億元", "revenue"),
        # public_funding
        ("取得政府補助逾 1,703 萬元。", "1,703 萬元", "public_funding"),
        ("經濟部投資 30 億元，推動興建展覽會議中心。", "30 億元", "public_funding"),
        ("自 99 年至 108 年編列 952 億元經費。", "952 億元", "public_funding"),
        ("總期程自 91 年 1 月至 103 年 12 月，經費 204.75 億元。", "204.75 億元", "public_funding"),
        # financing
        ("協助中小企業取得融資 11,344 億元。", "11,344 億元", "financing"),
        ("貸放金額 23.94 億元。", "23.94 億元", "financing"),
        ("累計承保 257 件，協助取得 4.12 億元資金。", "4.12 億元", "financing"),
        # guarantee
        ("101 年承保 364,829 件，提供保證金額 9,047 億元。", "9,047 億元", "guarantee"),
        ("各增加保證融資額度 1 億元。", "1 億元", "guarantee"),  # 保證融資 beats 融資
        # savings
        ("101 年節省物流成本 400 萬元。", "400 萬元", "savings"),
        ("促進投資 292 億元，降低成本 36 億元。", "36 億元", "savings"),
        ("增加產值 14.8 億元，降低生產成本 7.4 億元。", "7.4 億元", "savings"),
        ("減少損失 2 億元。", "2 億元", "savings"),
        # fees_and_taxes
        ("獲減免關稅約 5.25 億美元。", "5.25 億美元", "fees_and_taxes"),
        ("罰鍰金額計 550,000 元。", "550,000 元", "fees_and_taxes"),
        ("徵收礦產權利金共計約 4.09 億元。", "4.09 億元", "fees_and_taxes"),
        ("收取規費 300 萬元。", "300 萬元", "fees_and_taxes"),
        # capital
        ("輔導 226 家新創企業，總資本額 7.9 億元。", "7.9 億元", "capital"),
        # other
        ("可望藉由主辦單位提供之 1.5 萬歐元行銷機會，提升能見度。", "1.5 萬歐元", "other"),
        ("以金屬機電業 2,713 億元為大宗。", "2,713 億元", "other"),
    ],
)
def test_indicator(sentence, amount, expected):
    assert indicator(sentence, amount) == expected


def test_other_has_no_keyword_unless_one_says_so():
    assert classify_money(*at("以金屬機電業 2,713 億元為大宗。", "2,713 億元")) == ("other", None)
    assert classify_money(*at("三家公司已捐贈 1.2 億元，基金提供等額資金。", "1.2 億元")) == ("other", "捐贈")


# --------------------------------------------------------------------------------------------------
# tricky cases


def test_rd_investment_beats_investment():
    s = "促成 7 家廠商研發投資達 9.66 億元，促成產業投資 6.18 億元。"
    assert classify_money(*at(s, "9.66 億元")) == ("rd_spending", "研發投資")
    assert classify_money(*at(s, "6.18 億元")) == ("investment", "投資")


def test_subsidy_and_induced_investment_in_one_sentence():
    # separate clauses
    s = "SBIR 計畫核定補助 946 案，補助達 9 億元，帶動投資 18 億元。"
    assert indicator(s, "9 億元") == "public_funding"
    assert indicator(s, "18 億元") == "investment"
    # one clause, no comma: the nearest keyword before the amount decides
    s = "政府補助 1 億元帶動投資 5 億元。"
    assert indicator(s, "1 億元") == "public_funding"
    assert indicator(s, "5 億元") == "investment"
    # 補助 after 帶動投資 in the same clause: the amount after 補助 is public funding
    s = "帶動投資 5 億元及補助 1 億元。"
    assert indicator(s, "5 億元") == "investment"
    assert indicator(s, "1 億元") == "public_funding"


def test_of_which_inherits_the_total():
    s = ("陸方給予我方早期收穫清單內貨品之進口額約為 203.11 億美元，較 100 年成長 2.31％，"
         "其中約 84.3億美元已適用優惠關稅，獲減免關稅約 5.25億美元。")
    assert indicator(s, "84.3億美元") == "trade"
    assert indicator(s, "5.25億美元") == "fees_and_taxes"


def test_keyword_after_the_amount_in_its_clause():
    assert indicator("爭取近 4 億美元商機；增設 2 處海外據點。", "4 億美元") == "revenue"


def test_keyword_elsewhere_in_the_sentence():
    s = "工業產品外銷中國大陸達 100 萬美元以上之項目包括「紡織機」（118.8 萬美元）、「冰乙酸」（591.5 萬美元）。"
    assert indicator(s, "591.5 萬美元") == "trade"


def test_quoted_names_do_not_count():
    s = "透過「投資臺灣入口網」媒合 3 億元商機。"
    assert classify_money(*at(s, "3 億元")) == ("revenue", "商機")


def test_spaces_left_by_line_breaks_inside_words():
    assert indicator("帶動廠商研發 投資 45.5 億元。", "45.5 億元") == "rd_spending"


def test_full_width_input_still_splits_clauses():
    s = "政府補助 2 億元，帶動投資 10 億元。"  # not NFKC: full-width comma
    assert classify_money(s, s.index("2 億元"), s.index("2 億元") + 4)[0] == "public_funding"
    assert classify_money(s, s.index("10 億元"), s.index("10 億元") + 5)[0] == "investment"


def test_bad_span_is_an_error():
    with pytest.raises(ValueError):
        classify_money("投資 5 億元。", 3, 3)
    with pytest.raises(ValueError):
        flags("投資 5 億元。", 0, 99, None)


# --------------------------------------------------------------------------------------------------
# flags


def test_cumulative():
    assert flag("將分別興建辦公大樓，累計投資金額 31 億元。", "31 億元")["is_cumulative"]
    assert flag("累計 100 年 1 月至 101 年 12 月獲減免關稅約 6.48億美元。", "6.48億美元")["is_cumulative"]
    assert flag("截至 101 年底，累計核准投資案件計 342 件，投(增)資金額 5.04 億美元。", "5.04 億美元")["is_cumulative"]
    assert flag("累計至 101 年底，已投資 119 案，計 37.9 億元，總投資金額 68.4 億元。", "68.4 億元")["is_cumulative"]
    assert flag("自 95 年 9 月至 101 年底臺商回臺投資金額約 2,126 億元。", "2,126 億元")["is_cumulative"]
    assert flag("迄今已協助取得融資 3 億元。", "3 億元")["is_cumulative"]
    assert flag("協助取得融資 3 億元。", "3 億元", qualifier="累計")["is_cumulative"]
    # an "as of" date alone, a single year, or a frame that ended at a semicolon: not cumulative
    assert not flag("截至 101 年底，進駐廠商 208 家，總投資金額約 137.7 億元。", "137.7 億元")["is_cumulative"]
    assert not flag("101 年吸引投資 582 億元。", "582 億元")["is_cumulative"]
    assert not flag("累計至 101 年承保 1,498 件；另由市政府提撥 6,000 萬元專款。", "6,000 萬元")["is_cumulative"]
    # 自 93 年 X 成長至 101 年 Y: two levels, neither a total
    s = "雙邊貿易自 93 年 5 億 2,951 萬美元成長至 101 年 7 億 7,835 萬美元，成長率達 47%。"
    assert not flag(s, "7 億 7,835 萬美元")["is_cumulative"]


def test_target():
    s = "未來園區預計吸引投資 80 億元，創造 5,000 個就業機會，年產值 150億元。"
    assert flag(s, "80 億元")["is_target"] and flag(s, "150億元")["is_target"]
    s = "全區累計投資額 310 億元，預估可創造約 8,000 個就業機會及 370 億元年產值。"
    assert not flag(s, "310 億元")["is_target"]
    assert flag(s, "370 億元")["is_target"]
    s = "101 年目標金額 500 億元，達成 519 億元，達成率 103.8%。"
    assert flag(s, "500 億元")["is_target"]
    assert not flag(s, "519 億元")["is_target"]
    assert not flag(s, "103.8%")["is_target"]
    s = "經營改善目標為降低成本 30 億元，合計 35 億元；101 年實績值為降低成本 84 億元。"
    assert flag(s, "30 億元")["is_target"]
    assert not flag(s, "84 億元")["is_target"]
    assert flag("達成全年對外招商 100 億美元目標之 101.91%。", "100 億美元")["is_target"]
    assert not flag("達成全年對外招商 100 億美元目標之 101.91%。", "101.91%")["is_target"]
    assert not flag("合計爭取商機 34.5 億美元，商機目標達成率 153.3%。", "34.5 億美元")["is_target"]
    assert not flag("各目標市場出口 3 億美元。", "3 億美元")["is_target"]
    assert flag("完工後將可帶動投資 10 億元。", "10 億元")["is_target"]
    assert not flag("帶動投資將近 10 億元。", "10 億元")["is_target"]
    assert flag("帶動投資 10 億元。", "10 億元", qualifier="預計")["is_target"]
    assert not flag("帶動投資 10 億元。", "10 億元")["is_target"]


def test_approximate():
    assert flag("投(增)資金額約 3.36 億美元。", "3.36 億美元")["is_approximate"]
    assert flag("取得政府補助逾 1,703萬元。", "1,703萬元")["is_approximate"]
    assert flag("外銷達 100 萬美元以上之項目。", "100 萬美元")["is_approximate"]
    assert flag("節省作業成本逾 200 億餘元。", "200 億餘元")["is_approximate"]
    assert flag("節省作業成本 200 億餘元。", "200 億餘元")["is_approximate"]
    assert flag("增加產值 500 多萬元。", "500 多萬元")["is_approximate"]
    assert flag("爭取近 4 億美元商機。", "4 億美元")["is_approximate"]
    assert flag("進口額約為 203.11 億美元。", "203.11 億美元")["is_approximate"]
    # the extractor's qualifier, or a span that holds it
    assert flag("投資金額 2,357 萬美元。", "2,357 萬美元", qualifier="約")["is_approximate"]
    assert flag("投資金額約 2,357 萬美元。", "約 2,357 萬美元")["is_approximate"]
    # exact figures, and emphasis words that are not vagueness
    assert not flag("吸引投資 582 億元。", "582 億元")["is_approximate"]
    assert not flag("投資金額 2,357 萬美元。", "2,357 萬美元", qualifier="高達")["is_approximate"]
    assert not flag("投資金額 2,357 萬美元。", "2,357 萬美元", qualifier="達")["is_approximate"]


def test_comparison_against_a_year():
    s = "101 年我與中東雙邊貿易額 467.84 億美元，較 100 年成長 22.35％，其中出口 50.76 億美元，成長 2.55％。"
    f = flag(s, "22.35%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change_vs_year", 100, "up")
    # the base year is stated once and shared by the later growth figure
    f = flag(s, "2.55%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change_vs_year", 100, "up")
    # the amounts themselves are levels
    for level in ("467.84 億美元", "50.76 億美元"):
        f = flag(s, level)
        assert (f["comparison"], f["base_year"], f["direction"]) == (None, None, None)


def test_comparison_exact_phrase_from_the_brief():
    s, a, b = at("較 100 年成長 22.35％", "22.35％")
    assert flags(s, a, b, None) == {
        "is_cumulative": False, "is_target": False, "is_approximate": False,
        "comparison": "change_vs_year", "base_year": 100, "direction": "up",
    }


def test_comparison_variants():
    s = "對外貿易總額達 5,718.4億美元，較 100年減少 3.0％，其中出口 3,011.1 億美元，下滑 2.3％。"
    assert flag(s, "3.0%")["direction"] == "down"
    assert (flag(s, "2.3%")["base_year"], flag(s, "2.3%")["direction"]) == (100, "down")
    s = "出口量 40,037公噸，較 100 年 20,316 公噸成長 97.07％。"
    assert flag(s, "20,316 公噸")["comparison"] is None  # the base year's level
    assert flag(s, "97.07%")["base_year"] == 100
    f = flag("核准僑外投資計 2,738 件，較上年增加 19.93％。", "19.93%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change_vs_previous_year", None, "up")
    f = flag("「紡織機」（118.8 萬美元）成長 1,880％。", "1,880%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change", None, "up")
    f = flag("雙邊貿易自 93 年 5 億 2,951 萬美元成長至 101 年 7 億 7,835 萬美元，成長率達 47％。", "47%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change_vs_year", 93, None)
    f = flag("能源密集度較 99 年（8.46 公升油當量/千元）下降 2.84％。", "2.84%")
    assert (f["comparison"], f["base_year"], f["direction"]) == ("change_vs_year", 99, "down")
    f = flag("商機目標達成率 153.3％。", "153.3%")
    assert (f["comparison"], f["base_year"], f["direction"]) == (None, None, None)


# --------------------------------------------------------------------------------------------------
# properties

SENTENCES = [
    ("SBIR 計畫補助達 9 億元，帶動中小企業投入研究經費 18.16 億元。", "18.16 億元"),
    ("101 年我與中東雙邊貿易額 467.84 億美元，較 100 年成長 22.35%，其中出口 50.76 億美元。", "22.35%"),
    ("未來園區預計吸引投資 80 億元，創造 5,000 個就業機會，年產值 150億元。", "150億元"),
    ("累計至 101 年底，承保 32 件，提供保證金額 8,037 萬元，協助取得融資 8,930 萬元。", "8,930 萬元"),
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SENTENCES), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_spaces_from_line_breaks_change_nothing(case, cuts):
    """The report breaks lines anywhere, leaving spaces inside words and numbers' neighbours."""
    sentence, amount = case
    s, a, b = at(sentence, amount)
    spaced, na, nb = s, a, b
    for cut in sorted({c % (len(s) + 1) for c in cuts}, reverse=True):
        if a < cut < b:
            continue  # keep the amount itself as written
        spaced = spaced[:cut] + " " + spaced[cut:]
        if cut <= a:
            na, nb = na + 1, nb + 1
    assert spaced[na:nb] == s[a:b]
    assert classify_money(spaced, na, nb) == classify_money(s, a, b)
    assert flags(spaced, na, nb, None) == flags(s, a, b, None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="投資補助研發產值出口進口商機節省稅融資保證，、；。約逾累計預計較年成長 0123456789,.%億萬元",
               min_size=1, max_size=60),
       st.data())
def test_any_text_gives_a_known_indicator(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    if not text[start:end].strip():
        with pytest.raises(ValueError):
            classify_money(text, start, end)
        return
    got, keyword = classify_money(text, start, end)
    assert got in INDICATORS
    assert (keyword is None) == (got == "other") or keyword in {"捐贈", "捐款"}
    f = flags(text, start, end, None)
    assert set(f) == {"is_cumulative", "is_target", "is_approximate", "comparison", "base_year", "direction"}

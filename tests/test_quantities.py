"""Quantities from prose: the forms a quick regex gets wrong, each with its normalised value."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from pipelines.report.outline import _join
from pipelines.report.quantities import extract, sentence_bounds
from pipelines.report.years import to_gregorian, year_of
from pipelines.report.text import nfkc


def qs(text):
    found, _ = extract(nfkc(text))
    return [(q.unit.dimension, q.quantity, q.unit.base_unit) for q in found]


def kinds(text):
    _, mentions = extract(nfkc(text))
    return [(m.text, m.kind) for m in mentions]


@pytest.mark.parametrize("text, expected", [
    ("促成藥品開發投資近 3.8 億元", [("money", Decimal("380000000"), "TWD")]),
    ("出口 3,011.1 億美元", [("money", Decimal("301110000000"), "USD")]),
    ("補助 1069.95 萬元", [("money", Decimal("10699500"), "TWD")]),
    ("逾 9 萬 5 千餘人", [("count", Decimal(95000), "人")]),
    ("3 億 6,300 萬噸", [("mass", Decimal(363000000), "t")]),
    ("139 萬 307 家", [("count", Decimal(1390307), "家")]),
    ("25 餘萬人次", [("count", Decimal(250000), "人次")]),
    ("650 萬以上體驗人次", [("count", Decimal(6500000), "人次")]),
    ("200 億餘元", [("money", Decimal(20000000000), "TWD")]),
    ("成長 3%~4%", [("percent", Decimal(3), "percent"), ("percent", Decimal(4), "percent")]),
    ("4 至 6 架", [("count", Decimal(4), "架"), ("count", Decimal(6), "架")]),
    ("3 至 5 億元", [("money", Decimal(300000000), "TWD"), ("money", Decimal(500000000), "TWD")]),
    ("保證成數 9 成", [("percent", Decimal(90), "percent")]),
    ("最高 9 成 5", [("percent", Decimal(95), "percent")]),
    ("經濟成長率 -0.5%", [("percent", Decimal("-0.5"), "percent")]),
    ("達成率 153.3％", [("percent", Decimal("153.3"), "percent")]),
    ("減少二氧化碳 39.67 萬公噸", [("mass", Decimal(396700), "t")]),
    ("3,747 萬公噸二氧化碳當量", [("mass", Decimal(37470000), "t")]),
    ("裝置容量 28.676 萬瓩", [("power", Decimal(286760), "kW")]),
    ("發電量 7.36 億度", [("energy", Decimal(736000000), "kWh")]),
    ("4,171 公頃", [("area", Decimal(41710000), "m2")]),
    ("疏濬 1,766.3 萬立方公尺", [("volume", Decimal(17663000), "m3")]),
    ("長 14.5 公里", [("length", Decimal(14500), "m")]),
    ("新臺幣 100 萬元美金", [("money", Decimal(1000000), "USD")]),
    ("共 1,263 案", [("count", Decimal(1263), "案")]),
])
def test_tricky_forms(text, expected):
    assert qs(text) == expected


@pytest.mark.parametrize("text, kind", [
    ("101 年 7 月 19 日", "date"),
    ("98 年至 102 年", "date"),
    ("3 年內", "duration"),
    ("6 個月", "duration"),
    ("第 39 條", "ordinal"),
    ("第 16 名", "ordinal"),
    ("前 5 名", "rank"),
    ("1 對 1 諮詢", "ratio"),
    ("R&D100 Awards", "identifier"),
    ("ISO 14064-2", "identifier"),
])
def test_not_quantities(text, kind):
    assert qs(text) == []
    assert kind in [k for _, k in kinds(text)]


@pytest.mark.parametrize("text", ["2012 臺灣購物節", "85 度 C 咖啡", "第 15、16、17 及 19 條", "Taipei 101 大樓"])
def test_names_and_lists_are_not_quantities(text):
    assert qs(text) == []


def test_number_and_unit_split_by_line_break_is_whole_and_traceable():
    raw, text, text_map, _ = _join(["進口 2,707.", "3 億美元，較 100 年", "減少 0.62 億", "元。"])
    found, _ = extract(text)
    assert [q.quantity for q in found] == [Decimal("270730000000"), Decimal("62000000")]
    first = found[0]
    assert raw[text_map[first.start]: text_map[first.end - 1] + 1] == "2,707.\n3 億美元"


def test_fullwidth_comma_is_not_a_thousands_separator():
    raw, text, text_map, _ = _join(["辦理 12，345 家"])
    found, _ = extract(text, lambda pos: raw[text_map[pos]] == "，")
    assert [q.quantity for q in found] == [Decimal(345)]


def test_year_of_sentence_prefers_nearest_year_before_and_span_end():
    s = nfkc("98 年至 101 年底累計投資 45.5 億元")
    assert year_of(s, s.index("45.5"))[0] == 2012
    s = nfkc("101 年出口 3,011.1 億美元，較 100 年成長 2.3%")
    assert year_of(s, s.index("2.3%")) == (2012, 2011)
    assert year_of("投資 5 億元", 3) == (None, None)
    s = nfkc("獲減免關稅約 5.25 億美元，累計 100 年 1 月至 101 年 12 月獲減免關稅約 6.48 億美元")
    assert year_of(s, s.index("5.25"))[0] == 2012


def test_to_gregorian():
    assert to_gregorian(101) == 2012
    assert to_gregorian(2012) == 2012
    assert to_gregorian(5) is None


def test_sentence_bounds():
    t = "第一句 3 家。第二句 5 件。"
    a, b = sentence_bounds(t, t.index("5"))
    assert t[a:b] == "第二句 5 件。"


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("萬", 10_000), ("億", 100_000_000)]), st.sampled_from([("元", "TWD"), ("美元", "USD")]))
def test_money_with_magnitude_property(whole, cents, mag, currency):
    number = f"{whole:,}.{cents:02d}"
    found, _ = extract(f"金額 {number} {mag[0]}{currency[0]}")
    assert len(found) == 1
    q = found[0]
    assert q.unit.currency == currency[1]
    assert q.quantity == Decimal(f"{whole}.{cents:02d}") * mag[1]


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=9999))
def test_mixed_magnitudes_property(wan, rest):
    found, _ = extract(f"計 {wan} 萬 {rest:,} 家")
    assert [q.quantity for q in found] == [Decimal(wan * 10_000 + rest)]


def test_money_with_elided_currency_takes_the_sentence_currency():
    found, mentions = extract(nfkc("促成投資 5 億元，增加營業額逾 14.37 億，增加投資逾 3 億元。人口 2 萬，"))
    assert [(q.quantity, q.unit.currency) for q in found] == [
        (Decimal(500000000), "TWD"), (Decimal(1437000000), "TWD"), (Decimal(300000000), "TWD")]
    assert [m.kind for m in mentions] == ["bare"]


def test_misgrouped_thousands_are_one_number():
    assert qs("總裝置容量為 3,3000 瓩") == [("power", Decimal(33000), "kW")]


def full(text):
    found, _ = extract(nfkc(text))
    return [(q.text, q.unit.written, q.unit.dimension, q.quantity, q.unit.base_unit) for q in found]


@pytest.mark.parametrize("text, expected", [
    ("儲能 3.5GWh", [("3.5GWh", "GWh", "energy", Decimal("3500000"), "kWh")]),
    ("儲能 3.5 GWh", [("3.5 GWh", "GWh", "energy", Decimal("3500000"), "kWh")]),
    ("新增 500kw 設備", [("500kw", "kw", "power", Decimal(500), "kW")]),
    ("裝置容量 21.05GW（百萬瓩）", [("21.05GW", "GW", "power", Decimal("21050000"), "kW")]),
    ("345kV 超高壓", [("345kV", "kV", "other", Decimal(345000), "V")]),
    ("海纜 12 km", [("12 km", "km", "length", Decimal(12000), "m")]),
    ("女子 100 m 競速", [("100 m", "m", "length", Decimal(100), "m")]),
    ("面積 5 km2", [("5 km2", "km2", "area", Decimal(5000000), "m2")]),
    ("面積 5 km²", [("5 km2", "km2", "area", Decimal(5000000), "m2")]),
    ("回收 20kg", [("20kg", "kg", "mass", Decimal("0.020"), "t")]),
    ("150 萬 kW", [("150 萬 kW", "萬kW", "power", Decimal(1500000), "kW")]),
])
def test_latin_units(text, expected):
    assert full(text) == expected


@pytest.mark.parametrize("text", ["4G 網路", "5 Mbps", "3 T 記憶體", "Taipei 101", "2 min"])
def test_latin_letters_that_are_not_units(text):
    assert qs(text) == []


@pytest.mark.parametrize("text, unit, dimension, quantity, per", [
    ("能源密集度 8.22 公升油當量/千元", "公升油當量/千元", "other", Decimal("8.22"), None),
    ("節電 3 萬度/年", "萬度/年", "energy", Decimal(30000), "year"),
    ("平均電價 2.5 元/度", "元/度", "other", Decimal("2.5"), None),
    ("人口密度 650 人/平方公里", "人/平方公里", "other", Decimal(650), None),
    ("每人 5 萬元/人", "萬元/人", "other", Decimal(50000), None),
    ("產能 10 萬公噸 / 年", "萬公噸/年", "mass", Decimal(100000), "year"),
])
def test_rates_keep_their_compound_unit(text, unit, dimension, quantity, per):
    found, _ = extract(nfkc(text))
    assert [(q.unit.written, q.unit.dimension, q.quantity, q.per) for q in found] == [(unit, dimension, quantity, per)]


def test_an_unknown_compound_unit_is_never_its_numerators_dimension():
    assert qs("平均 3 件/場次場") == []


@pytest.mark.parametrize("text, quantity, unit, noun", [
    ("累計 12萬 3,456 網站瀏覽人次", Decimal(123456), "人次", "網站瀏覽"),
    ("計 12 萬 3,456 網站瀏覽人次", Decimal(123456), "人次", "網站瀏覽"),
    ("吸引 3,000 參訪人次", Decimal(3000), "人次", "參訪"),
    ("輔導 45 廠商家次", Decimal(45), "家次", "廠商"),
    ("650 萬以上體驗人次", Decimal(6500000), "萬人次", "體驗"),
    ("培訓 120 位受訓學員", Decimal(120), "位", "受訓學員"),
    ("吸引 30 家參展廠商，", Decimal(30), "家", "參展廠商"),
    ("已有 5 家業者完成簽約", Decimal(5), "家", None),  # a clause follows: no noun is taken from it
])
def test_measure_word_after_a_short_noun(text, quantity, unit, noun):
    found, _ = extract(nfkc(text))
    assert [(q.quantity, q.unit.written, q.noun) for q in found] == [(quantity, unit, noun)]


@pytest.mark.parametrize("text", [
    "辦理 3 年的計畫人次",  # a clause (的, 年) between: not a noun phrase
    "共 5 場說明會與座談會",  # 場 is its own classifier; nothing is read past it
])
def test_a_clause_before_a_measure_word_does_not_count(text):
    assert all(q.noun is None for q in extract(nfkc(text))[0])


def test_repeated_amount_in_a_sentence_gets_its_own_flags():
    from pipelines.report.quantities import read_text
    rs, _ = read_text(nfkc("101 年出口 3 億元，預計 103 年出口 3 億元。"))
    assert [r.q.text for r in rs] == ["3 億元", "3 億元"]
    assert [r.start for r in rs] == [8, 24]
    assert [r.info["is_target"] for r in rs] == [False, True]
    assert [r.info["year"] for r in rs] == [2012, 2014]
    assert [r.info["indicator"] for r in rs] == ["trade", "trade"]
    rs, _ = read_text(nfkc("投資 5 億元，累計投資 5 億元。"))
    assert [r.info["is_cumulative"] for r in rs] == [False, True]
    rs, _ = read_text(nfkc("成長 5%，較 100 年成長 5%。"))
    assert [(r.info["comparison"], r.info["base_year"]) for r in rs] == [("change", None), ("change_vs_year", 2011)]
    rs, _ = read_text(nfkc("約 3 億元，再投入 3 億元。"))
    assert [r.info["is_approximate"] for r in rs] == [True, False]


def test_report_quantities_carry_their_position_and_flags():
    from pipelines.report.outline import Paragraph
    from pipelines.report.quantities import report_quantities
    raw = "101 年出口 3 億元，預計 103 年出口 3 億元。"
    text = nfkc(raw)
    para = Paragraph(1, 1, text, raw, tuple(range(len(text))), ((0, 0, 0),))
    records, _ = report_quantities([para])
    assert [(r.start, r.end, r.sentence[r.start:r.end]) for r in records] == [(8, 12, "3 億元"), (24, 28, "3 億元")]
    assert [r.is_target for r in records] == [False, True]
    assert [r.resolved_years(2025) for r in records] == [(2012, None), (2014, None)]

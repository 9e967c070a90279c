"""Units and numbers: every unit maps to the right base unit and factor, numbers parse exactly."""
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from pipelines.report.units import (CLASSIFIERS, CURRENCIES, CURRENCY_WORDS, DATA_PATH, LATIN, LATIN_CASE_SENSITIVE,
                                    MAGNITUDES, PHYSICAL, lookup_unit, parse_number, per_of, unit_table)


@pytest.mark.parametrize("written, dimension, base, factor, currency", [
    ("元", "money", "TWD", 1, "TWD"),
    ("萬元", "money", "TWD", 10_000, "TWD"),
    ("億元", "money", "TWD", 100_000_000, "TWD"),
    ("兆元", "money", "TWD", 10 ** 12, "TWD"),
    ("美元", "money", "USD", 1, "USD"),
    ("億美元", "money", "USD", 100_000_000, "USD"),
    ("萬元美金", "money", "USD", 10_000, "USD"),
    ("萬歐元", "money", "EUR", 10_000, "EUR"),
    ("%", "percent", "percent", 1, None),
    ("％", "percent", "percent", 1, None),
    ("成", "percent", "percent", 10, None),
    ("家", "count", "家", 1, None),
    ("萬人次", "count", "人次", 10_000, None),
    ("公頃", "area", "m2", 10_000, None),
    ("平方公里", "area", "m2", 1_000_000, None),
    ("萬立方公尺", "volume", "m3", 10_000, None),
    ("萬公噸", "mass", "t", 10_000, None),
    ("公斤", "mass", "t", Decimal("0.001"), None),
    ("億度", "energy", "kWh", 100_000_000, None),
    ("萬瓩", "power", "kW", 10_000, None),
    ("百萬瓩", "power", "kW", 1_000_000, None),
    ("MW", "power", "kW", 1000, None),
    ("公里", "length", "m", 1000, None),
    ("萬公噸二氧化碳當量", "mass", "t", 10_000, None),
])
def test_unit_maps_to_base(written, dimension, base, factor, currency):
    u = lookup_unit(written)
    assert (u.dimension, u.base_unit, u.factor, u.currency) == (dimension, base, Decimal(factor), currency)


@pytest.mark.parametrize("written", ["年", "月", "條", "名次", "億", "", "foo"])
def test_not_units(written):
    assert lookup_unit(written) is None or lookup_unit(written).dimension == "count"


def test_unit_table_has_each_unit_once_and_money_has_currency():
    units = unit_table()
    keys = [(u.dimension, u.written) for u in units]
    assert len(keys) == len(set(keys))
    assert all((u.currency is not None) == (u.dimension == "money") for u in units)


@given(st.integers(min_value=0, max_value=10 ** 15), st.integers(min_value=0, max_value=999))
def test_parse_number_with_thousands_separators_is_exact(whole, frac):
    text = f"{whole:,}.{frac:03d}"
    assert parse_number(text) == Decimal(f"{whole}.{frac:03d}")


@given(st.decimals(min_value=0, max_value=10 ** 9, places=2, allow_nan=False))
def test_parse_number_roundtrip_fullwidth(d):
    fullwidth = str(d).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_number(fullwidth) == d


@pytest.mark.parametrize("written, dimension, base, factor", [
    ("Wh", "energy", "kWh", Decimal("0.001")),
    ("kWh", "energy", "kWh", 1),
    ("kwh", "energy", "kWh", 1),
    ("MWh", "energy", "kWh", 1000),
    ("GWh", "energy", "kWh", 1_000_000),
    ("gwh", "energy", "kWh", 1_000_000),
    ("TWh", "energy", "kWh", 10 ** 9),
    ("W", "power", "kW", Decimal("0.001")),
    ("kw", "power", "kW", 1),
    ("KW", "power", "kW", 1),
    ("mw", "power", "kW", 1000),
    ("GW", "power", "kW", 1_000_000),
    ("kV", "other", "V", 1000),
    ("KV", "other", "V", 1000),
    ("km", "length", "m", 1000),
    ("m", "length", "m", 1),
    ("cm", "length", "m", Decimal("0.01")),
    ("m2", "area", "m2", 1),
    ("km2", "area", "m2", 1_000_000),
    ("ha", "area", "m2", 10_000),
    ("kg", "mass", "t", Decimal("0.001")),
    ("KG", "mass", "t", Decimal("0.001")),
    ("t", "mass", "t", 1),
    ("萬kW", "power", "kW", 10_000),
])
def test_latin_units_in_any_case(written, dimension, base, factor):
    u = lookup_unit(written)
    assert (u.written, u.dimension, u.base_unit, u.factor) == (written, dimension, base, Decimal(factor))


@pytest.mark.parametrize("written", ["M", "T", "G", "kWx", "5G"])
def test_single_capital_letters_are_not_units(written):
    assert lookup_unit(written) is None


@pytest.mark.parametrize("written, dimension, base, factor, currency, per", [
    # X per year: X's dimension, base and factor, per = 'year'
    ("萬度/年", "energy", "kWh", 10_000, None, "year"),
    ("億元/年", "money", "TWD", 10 ** 8, "TWD", "year"),
    ("萬公噸/年", "mass", "t", 10_000, None, "year"),
    # any other compound unit: other, never its numerator's dimension
    ("公升油當量/千元", "other", "公升油當量/千元", 1, None, None),
    ("元/度", "other", "元/度", 1, None, None),
    ("萬元/人", "other", "元/人", 10_000, None, None),
    ("人/平方公里", "other", "人/平方公里", 1, None, None),
    ("公噸/日", "other", "公噸/日", 1, None, "day"),
    ("kwh/千元", "other", "kWh/千元", 1, None, None),
])
def test_rates_keep_their_compound_unit(written, dimension, base, factor, currency, per):
    u = lookup_unit(written)
    assert (u.dimension, u.base_unit, u.factor, u.currency, per_of(u)) == (dimension, base, Decimal(factor),
                                                                          currency, per)


def test_an_unknown_compound_is_not_a_unit_of_its_numerator():
    assert lookup_unit("件/場次場") is None
    assert lookup_unit("元/") is None


def test_every_dimension_base_pair_produced_is_declared_in_physical_or_currencies():
    pairs = {("percent", "percent")} | {("money", c) for c in CURRENCIES.values()}
    pairs |= {(d, b) for d, b, _ in PHYSICAL.values()} | {("count", w) for w in CLASSIFIERS} | {("count", "度")}
    for u in unit_table():
        assert (u.dimension, u.base_unit) in pairs, u


def test_the_unit_table_is_data():
    data = tomllib.loads(DATA_PATH.read_text(encoding="utf-8"))
    assert set(CURRENCIES) == set(data["currencies"])
    # written once: the word read for a left-out currency is the one marked implied
    assert CURRENCY_WORDS == {v["code"]: k for k, v in data["currencies"].items() if v.get("implied")}
    assert set(CURRENCY_WORDS) == set(CURRENCIES.values())
    assert {k: Decimal(v) for k, v in data["magnitudes"].items()} == MAGNITUDES
    assert all(lookup_unit(k) is not None for k in data["physical"]) and all(lookup_unit(k) for k in data["latin"])


@given(st.sampled_from(sorted(LATIN)), st.booleans(), st.booleans())
def test_latin_unit_found_glued_or_spaced_in_any_case_property(unit, upper, spaced):
    from pipelines.report.quantities import extract
    written = unit if unit in LATIN_CASE_SENSITIVE else (unit.upper() if upper else unit.lower())
    found, _ = extract(f"新增 3.5{' ' if spaced else ''}{written} 設備")
    assert len(found) == 1, (written, found)
    dim, base, factor = LATIN[unit]
    assert (found[0].unit.dimension, found[0].quantity) == (dim, Decimal("3.5") * factor)

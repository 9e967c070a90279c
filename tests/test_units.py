"""Units and numbers: every unit maps to the right base unit and factor, numbers parse exactly."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from pipelines.report.units import lookup_unit, parse_number, unit_table


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

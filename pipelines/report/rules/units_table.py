"""Loading the unit table (units.toml): every unit as written -> (dimension, base unit, factor).

Validated as a whole: a unit's dimension must be declared in [dimensions] with its base unit, every
factor is a decimal written as a string, each currency code has exactly one implied word, and the
rate lists name words the table knows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .read import RuleError, Toml

IMPLIED_DIMENSIONS = ("money", "percent", "count")  # their base units come from the table itself
_ISO = re.compile(r"[A-Z]{3}")
_DIMENSION = re.compile(r"[a-z][a-z_]*")


@dataclass(frozen=True)
class UnitRules:
    classifiers: tuple[str, ...]  # measure words
    latin_case_sensitive: frozenset[str]
    dimensions: dict[str, tuple[str, ...]]  # physical dimension -> its base unit(s)
    magnitudes: dict[str, Decimal]  # prefix -> factor, in file order
    currencies: dict[str, str]  # word as written -> ISO code
    currency_words: dict[str, str]  # ISO code -> the word an amount with its currency left out is read with
    percent: dict[str, Decimal]
    physical: dict[str, tuple[str, str, Decimal]]  # written in characters -> (dimension, base, factor)
    latin: dict[str, tuple[str, str, Decimal]]  # canonical Latin spelling -> (dimension, base, factor)
    rate_per: dict[str, str]  # denominator word -> the time a rate is per
    per_keeps_dimension: frozenset[str]
    rate_count_numerators: frozenset[str]
    rate_denominators: tuple[str, ...]


def load_units(path: Path | str | None = None) -> UnitRules:
    from . import rule_path

    return _units(rule_path(path, "units.toml"))


@lru_cache(maxsize=None)
def _units(path: Path) -> UnitRules:
    toml = Toml(path)
    dimensions = _dimensions(toml)
    currencies, currency_words = _currencies(toml)
    classifiers = tuple(toml.strings("classifiers"))
    latin = _measured(toml, "latin", dimensions)
    case_sensitive = toml.strings("latin_case_sensitive")
    for word in case_sensitive:
        if word not in latin:
            toml.fail("latin_case_sensitive", None, f"latin_case_sensitive: {word!r} is not a unit of [latin]")
    rates = toml.table("rates")
    per = rates.get("per")
    if not isinstance(per, dict) or not all(isinstance(v, str) and v for v in per.values()):
        raise RuleError(path, toml.table_line("rates.per"), "[rates.per] missing, or a value is not a word")
    keeps = toml.strings("per_keeps_dimension", "rates")
    for p in keeps:
        if p not in per.values():
            toml.fail("per_keeps_dimension", "rates", f"per_keeps_dimension: {p!r} is no time of [rates.per]")
    count_numerators = toml.strings("count_numerators", "rates")
    for w in count_numerators:
        if w not in classifiers:
            toml.fail("count_numerators", "rates", f"count_numerators: {w!r} is not one of classifiers")
    return UnitRules(
        classifiers, frozenset(case_sensitive), dimensions, _factors(toml, "magnitudes"), currencies, currency_words,
        _factors(toml, "percent"), _measured(toml, "physical", dimensions), latin, dict(per), frozenset(keeps),
        frozenset(count_numerators), tuple(toml.strings("denominators", "rates")))


def _dimensions(toml: Toml) -> dict[str, tuple[str, ...]]:
    out = {}
    for dim, bases in toml.table("dimensions").items():
        if not _DIMENSION.fullmatch(dim) or dim in IMPLIED_DIMENSIONS:
            toml.fail(dim, "dimensions", f"[dimensions] {dim!r} is not a new lowercase dimension")
        out[dim] = tuple(toml.strings(dim, "dimensions"))
    return out


def _factors(toml: Toml, table: str) -> dict[str, Decimal]:
    out = {}
    for word, text in toml.table(table).items():
        factor = toml.decimal(text, word, table)
        if factor <= 0:
            toml.fail(word, table, f"[{table}] {word}: factor {text!r} is not positive")
        out[word] = factor
    return out


def _measured(toml: Toml, table: str, dimensions: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, str, Decimal]]:
    """[physical] or [latin]: written = [dimension, base unit, factor]."""
    out = {}
    for word, entry in toml.table(table).items():
        if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry[:2])):
            toml.fail(word, table, f"[{table}] {word}: expected [dimension, base unit, factor], got {entry!r}")
        dim, base, text = entry
        if dim not in dimensions:
            toml.fail(word, table, f"[{table}] {word}: unknown dimension {dim!r} (declare it in [dimensions])")
        if base not in dimensions[dim]:
            toml.fail(word, table, f"[{table}] {word}: {base!r} is not a base unit of {dim} "
                                   f"({', '.join(dimensions[dim])})")
        factor = toml.decimal(text, word, table)
        if factor <= 0:
            toml.fail(word, table, f"[{table}] {word}: factor {text!r} is not positive")
        out[word] = (dim, base, factor)
    return out


def _currencies(toml: Toml) -> tuple[dict[str, str], dict[str, str]]:
    """(word -> ISO code, ISO code -> its implied word) from [currencies]: word = { code, implied }."""
    currencies: dict[str, str] = {}
    implied: dict[str, str] = {}
    for word, entry in toml.table("currencies").items():
        if not isinstance(entry, dict) or not set(entry) <= {"code", "implied"} or "code" not in entry:
            toml.fail(word, "currencies", f"[currencies] {word}: expected {{ code = \"XXX\" }} "
                                          f"(and implied = true), got {entry!r}")
        code = entry["code"]
        if not isinstance(code, str) or not _ISO.fullmatch(code):
            toml.fail(word, "currencies", f"[currencies] {word}: code {code!r} is not an ISO 4217 code (USD)")
        if entry.get("implied", False) is True:
            if code in implied:
                toml.fail(word, "currencies", f"[currencies] {word}: {code} already implied by {implied[code]!r}")
            implied[code] = word
        elif entry.get("implied", False) is not False:
            toml.fail(word, "currencies", f"[currencies] {word}: implied must be true or false")
        currencies[word] = code
    missing = sorted(set(currencies.values()) - set(implied))
    if missing:
        raise RuleError(toml.path, toml.table_line("currencies"),
                        f"[currencies] no word of {missing[0]} has implied = true")
    return currencies, implied

"""Units as written -> dimension, base unit and factor; numbers as written -> Decimal.

The unit table lives as data, in ``rules/units.toml`` (magnitude prefixes, currencies, physical units,
Latin-letter units, classifiers, the denominators of rates); this module loads it once and is the
single source of truth for unit normalisation: the warehouse's unit dimension (``dim_unit``) is
filled from ``lookup_unit`` so SQL and Python agree.

Compound units ``X/Y`` (rates and intensities) keep their compound unit as written:
* ``X/年`` (and the other times listed in ``per_keeps_dimension``) is X's dimension, base unit and
  factor, with ``per_of(unit) == 'year'``: ``萬度/年`` is energy in kWh (factor 10,000) per year;
* any other ``X/Y`` is dimension ``other`` with base unit ``X'/Y`` (X without its magnitude prefix,
  Latin units in their canonical spelling) and factor X's magnitude only: ``萬元/人`` -> ``元/人``
  x 10,000, ``公升油當量/千元`` -> ``公升油當量/千元`` x 1. Never the dimension of its numerator.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .model import Unit
from . import rules

DATA_PATH = rules.RULES_DIR / "units.toml"  # the unit table (validated by rules.load_units)
_RULES = rules.load_units(DATA_PATH)

# Magnitude prefixes, longest first so that 百萬 wins over 百.
MAGNITUDES: dict[str, Decimal] = dict(sorted(_RULES.magnitudes.items(), key=lambda kv: -len(kv[0])))
# Money: the currency word as written -> ISO code. 元 alone is the New Taiwan dollar.
CURRENCIES: dict[str, str] = _RULES.currencies
# ISO code -> the word an amount in that currency is read with when the text leaves it out (the
# word marked implied in [currencies]: the map is written once).
CURRENCY_WORDS: dict[str, str] = _RULES.currency_words
PERCENT_FACTORS: dict[str, Decimal] = _RULES.percent
PERCENT_SIGNS: tuple[str, ...] = tuple(k for k in PERCENT_FACTORS if k != "成")
# Latin-letter units by canonical spelling; matched in any case except the case-sensitive ones.
LATIN: dict[str, tuple[str, str, Decimal]] = _RULES.latin
LATIN_CASE_SENSITIVE: frozenset[str] = _RULES.latin_case_sensitive
_LATIN_FOLDED: dict[str, str] = {k.lower(): k for k in LATIN if k not in LATIN_CASE_SENSITIVE}
# Physical units written in characters: as written -> (dimension, base unit, factor).
SIMPLE_PHYSICAL: dict[str, tuple[str, str, Decimal]] = _RULES.physical
# Count classifiers (measure words); the longest match wins where they are matched.
CLASSIFIERS: tuple[str, ...] = _RULES.classifiers
RATE_PER: dict[str, str] = _RULES.rate_per
PER_KEEPS_DIMENSION: frozenset[str] = _RULES.per_keeps_dimension
RATE_DENOMINATORS: tuple[str, ...] = _RULES.rate_denominators
RATE_COUNT_NUMERATORS: frozenset[str] = _RULES.rate_count_numerators

# Words a unit "X/" may be per, longest first (times and the listed denominators).
DENOMINATOR_WORDS: tuple[str, ...] = tuple(sorted(set(RATE_PER) | set(RATE_DENOMINATORS), key=len, reverse=True))
# Latin units as a regex, longest first; a Latin unit must not run on into another letter or digit.
LATIN_RE = re.compile(
    "(?:" + "|".join(
        (re.escape(k) if k in LATIN_CASE_SENSITIVE else f"(?i:{re.escape(k)})")
        for k in sorted(LATIN, key=len, reverse=True)) + r")(?![A-Za-z0-9])")


def latin_canonical(word: str) -> str | None:
    """'kw' -> 'kW', 'GWH' -> 'GWh', 'm' -> 'm'; None when not a Latin unit of the table."""
    if word in LATIN:
        return word
    return _LATIN_FOLDED.get(word.lower())


def _rate_numerator_words() -> list[str]:
    """The words a compound unit of dimension `other` may have above its slash."""
    return (list(PERCENT_FACTORS) + list(CURRENCIES) + list(SIMPLE_PHYSICAL) + list(LATIN)
            + [c for c in CLASSIFIERS if c in RATE_COUNT_NUMERATORS])


def _compound_closure() -> dict[str, tuple[str, str, Decimal]]:
    """Every compound 'X/Y' of the table that is not X's dimension: written -> (other, X/Y, 1)."""
    out = {}
    for x in _rate_numerator_words():
        for y in RATE_DENOMINATORS:
            out[f"{x}/{y}"] = ("other", f"{x}/{y}", Decimal(1))
        for y, per in RATE_PER.items():
            if per not in PER_KEEPS_DIMENSION:
                out[f"{x}/{y}"] = ("other", f"{x}/{y}", Decimal(1))
    return out


# Every physical unit, Latin ones and the compound units of dimension `other` included: the
# (dimension, base unit) pairs the extractor can produce are read from its values.
PHYSICAL: dict[str, tuple[str, str, Decimal]] = {**SIMPLE_PHYSICAL, **LATIN, **_compound_closure()}


def parse_number(text: str) -> Decimal:
    """'1,075.7' -> Decimal('1075.7'); full-width digits and stray spaces tolerated."""
    cleaned = re.sub(r"[,\s，]", "", text).replace("−", "-").replace("–", "-")
    cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    return Decimal(cleaned)


def _split_magnitude(w: str) -> tuple[Decimal, str]:
    """'億美元' -> (1e8, '美元'); a prefix counts only when a unit of the table follows it."""
    for mag, mult in MAGNITUDES.items():
        if w.startswith(mag) and len(w) > len(mag):
            rest = w[len(mag):]
            if (rest in CURRENCIES or rest in SIMPLE_PHYSICAL or rest in CLASSIFIERS
                    or latin_canonical(rest)):
                return mult, rest
    return Decimal(1), w


def per_of(unit: Unit | str | None) -> str | None:
    """The time a rate is per ('year' for 萬度/年), None for a unit that is not a rate of time."""
    w = unit.written if isinstance(unit, Unit) else unit
    if not w or "/" not in w:
        return None
    return RATE_PER.get(w.split("/", 1)[1].strip())


@lru_cache(maxsize=None)
def lookup_unit(written: str) -> Unit | None:
    """Map a unit as written, magnitude prefix included ('億美元', '萬人次', '%', '3.5GWh'’s 'GWh',
    '萬度/年'), to a Unit."""
    w = written.strip()
    if "/" in w:
        return _lookup_compound(w)
    implied = re.fullmatch(r"(?P<mag>[^()]+)\((?P<cur>[^()]+)\)", w)
    if implied and implied.group("mag") in MAGNITUDES and implied.group("cur") in CURRENCIES:
        # "14.37 億" in a sentence of 億元 amounts: the currency word is implied, shown in brackets
        code = CURRENCIES[implied.group("cur")]
        return Unit(w, "money", code, MAGNITUDES[implied.group("mag")], code)
    if w in PERCENT_FACTORS:
        return Unit(w, "percent", "percent", PERCENT_FACTORS[w])
    factor, rest = _split_magnitude(w)
    if rest in CURRENCIES:
        return Unit(w, "money", CURRENCIES[rest], factor, CURRENCIES[rest])
    if rest in SIMPLE_PHYSICAL:
        dim, base, f = SIMPLE_PHYSICAL[rest]
        return Unit(w, dim, base, factor * f)
    latin = latin_canonical(rest)
    if latin:
        dim, base, f = LATIN[latin]
        return Unit(w, dim, base, factor * f)
    if rest in CLASSIFIERS:
        return Unit(w, "count", rest, factor)
    if rest == "度次":  # 度 counting occasions ("2 度獲選"), not kWh
        return Unit(w, "count", "度", factor)
    # Table headers such as （百萬元） or （千元）: magnitude + 元 handled above; a bare magnitude
    # word (（萬）) is a pure multiplier without a unit and is not a Unit.
    return None


def _lookup_compound(w: str) -> Unit | None:
    num, _, den = (part.strip() for part in w.partition("/"))
    if not num or not den or "/" in den:
        return None
    numerator = lookup_unit(num)
    if numerator is None or numerator.written.endswith(")"):
        return None
    latin_den = latin_canonical(den)
    den_key = latin_den if latin_den and latin_den in RATE_DENOMINATORS else den
    per = RATE_PER.get(den)
    if per in PER_KEEPS_DIMENSION:
        return Unit(w, numerator.dimension, numerator.base_unit, numerator.factor, numerator.currency)
    if per is None and den_key not in RATE_DENOMINATORS:
        return None  # a compound the table does not know: not a unit (never its numerator's dimension)
    mag, word = _split_magnitude(num) if num not in PERCENT_FACTORS else (Decimal(1), num)
    word = latin_canonical(word) or word
    if numerator.dimension == "count" and word not in RATE_COUNT_NUMERATORS:
        return None  # 件/場: a compound the table does not know
    return Unit(w, "other", f"{word}/{den_key}", mag)


def unit_table() -> list[Unit]:
    """Every simple unit the extractor can produce, without and with each magnitude prefix, and the
    compound units of the table without prefix."""
    units: list[Unit] = [lookup_unit(f"{m}({c})") for m in MAGNITUDES for c in CURRENCY_WORDS.values()]
    bases = list(PERCENT_FACTORS) + list(CURRENCIES) + list(SIMPLE_PHYSICAL) + list(LATIN) + list(CLASSIFIERS)
    seen = {(u.dimension, u.written) for u in units}
    for base in bases:
        for written in [base] + [m + base for m in MAGNITUDES]:
            u = lookup_unit(written)
            if u is not None and u.written == written and (u.dimension, u.written) not in seen:
                units.append(u)
                seen.add((u.dimension, u.written))
    for written in list(_compound_closure()) + [f"{x}/{y}" for x in bases for y, per in RATE_PER.items()
                                                 if per in PER_KEEPS_DIMENSION]:
        u = lookup_unit(written)
        if u is not None and (u.dimension, u.written) not in seen:
            units.append(u)
            seen.add((u.dimension, u.written))
    return units

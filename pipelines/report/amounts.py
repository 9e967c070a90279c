"""The amount a number in the prose states, read from the number on: mixed magnitudes (``9 萬 5 千``,
``3 億 6,300 萬``, ``139 萬 307``), qualifiers between the number and its unit (``3 億餘元``, words of
``rules/qualifiers.toml``), tenths (``9 成 5``) and the unit word after it (``unit_words.py``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .number_kinds import DATE_UNITS
from .rules import load_qualifiers
from .unit_words import MAG_RE, WORD_AFTER, unit_at
from .units import MAGNITUDES, parse_number
from .word_patterns import SP

# Digit groups joined by ASCII commas are one number even when mis-grouped ("3,3000" = 33000): the
# text as written decides, and a full-width comma (a list separator) splits (see `quantities.extract`).
NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d+)*(?:\.\d+)?")
# qualifiers between a number (or its magnitude) and its unit: 3 億餘元, 50 萬以上人次
QUAL_RE = "|".join(map(re.escape, load_qualifiers().between))
_QUALIFIER = re.compile(rf"(?:{QUAL_RE})")
_MAGNITUDE = re.compile(MAG_RE)
# "成" as tenths only when no ordinary word (成長, 成本, 成立, …) continues it (word_after 成).
CHENG_WORD = re.compile(rf"^成[{re.escape(WORD_AFTER['成'])}]")
_TENTH = re.compile(rf"{SP}(\d)(?!\d)(?![.,]\d)")  # the 5 of 9 成 5
# kWh come as 萬度/億度 or beside these words; a bare "2 度" is a count of times
_ELECTRICITY_BEFORE = re.compile(r"電|能|kWh")


class ParsedAmount(NamedTuple):
    end: int  # end of the quantity in the text
    value: Decimal  # the amount in the unit as written
    unit_written: str  # magnitude included (萬元)
    qualifier: str | None
    magnitude: str  # the magnitude of unit_written ("" when there is none)
    noun: str | None  # the noun phrase before a measure word (網站瀏覽 of 網站瀏覽人次)


@dataclass
class _Reading:
    """An amount being read left to right (3 億 6,300 萬元)."""

    value: Decimal  # the numeral last read, not yet multiplied by a magnitude
    i: int  # where reading goes on
    total: Decimal = Decimal(0)  # the parts already multiplied by their magnitude
    last_mag: Decimal | None = None  # the last magnitude read; 1 once a plain number ended the amount
    mag_written: str = ""  # that magnitude as written; "" once a plain number ended the amount
    qualifier: str | None = None


def skip_spaces(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \u3000":
        i += 1
    return i


def parse_amount(text: str, s0: int, end: int, num_text: str) -> ParsedAmount | None:
    """The amount and unit of the number at ``text[s0:end]``, or None when no unit follows."""
    r = _Reading(parse_number(num_text), end)
    _read_magnitudes(text, r)
    compound = r.last_mag is not None and (r.total != 0 or r.value != 0)
    if r.last_mag is not None:
        r.total += r.value
    j = skip_spaces(text, r.i)
    q = _QUALIFIER.match(text, j)
    if q:
        r.qualifier = q.group(0)
        j = skip_spaces(text, q.end())
    unit = unit_at(text, j)
    if unit is None:
        return _tenths(text, j, r)
    return _with_unit(text, s0, unit, r, compound)


def _read_magnitudes(text: str, r: _Reading) -> None:
    """Mixed magnitudes, each smaller than the one before: 9 萬 5 千, 3 億 6,300 萬, 139 萬 307."""
    while True:
        j = skip_spaces(text, r.i)
        q = _QUALIFIER.match(text, j) if text[j:j + 1] in "餘多" else None
        k = skip_spaces(text, q.end()) if q else j
        mm = _MAGNITUDE.match(text, k)
        if mm is None or (r.last_mag is not None and MAGNITUDES[mm.group(0)] >= r.last_mag):
            return
        # a magnitude that is really the start of a unit (千瓦, 百萬瓩) still counts as magnitude
        if mm.group(0) == "千" and text.startswith("千瓦", k):
            return
        mag = MAGNITUDES[mm.group(0)]
        if q:
            r.qualifier = q.group(0)
        r.total += r.value * mag
        r.last_mag, r.mag_written, r.i = mag, mm.group(0), mm.end()
        part = _smaller_part(text, r, mag)
        if part == "tail":
            return
        if part is None:
            r.value = Decimal(0)


def _smaller_part(text: str, r: _Reading, mag: Decimal) -> str | None:
    """A further number of a smaller magnitude after the magnitude just read: "magnitude" when a
    magnitude of its own follows (the 5 of 9 萬 5 千: read on), "tail" when the unit does (the 307
    of 139 萬 307 人: the amount ends), else None."""
    nm = NUMBER.match(text, skip_spaces(text, r.i))
    if not nm:
        return None
    nv = parse_number(nm.group(0))
    k2 = skip_spaces(text, nm.end())
    k2q = _QUALIFIER.match(text, k2)
    k3 = skip_spaces(text, k2q.end()) if k2q else k2
    nxt_mag = _MAGNITUDE.match(text, k3)
    if nxt_mag and MAGNITUDES[nxt_mag.group(0)] < mag and nv < mag:
        r.value, r.i = nv, nm.end()
        return "magnitude"
    if nv < mag and unit_at(text, k3) and not DATE_UNITS.match(text[nm.end():]):
        r.total += nv
        r.value, r.i = Decimal(0), nm.end()
        if k2q:
            r.qualifier, r.i = k2q.group(0), k2q.end()
        r.mag_written, r.last_mag = "", Decimal(1)
        return "tail"
    return None


def _tenths(text: str, j: int, r: _Reading) -> ParsedAmount | None:
    """9 成 = 90 percent; 9 成 5 = 95 percent. None when no 成 of tenths stands at j."""
    if not (text.startswith("成", j) and not CHENG_WORD.match(text[j:]) and r.last_mag is None
            and r.value <= 10):
        return None
    k = j + 1
    tail = _TENTH.match(text, k)
    if tail and not unit_at(text, skip_spaces(text, tail.end())):
        return ParsedAmount(tail.end(), r.value + Decimal(tail.group(1)) / 10, "成", r.qualifier, "", None)
    return ParsedAmount(k, r.value, "成", r.qualifier, "", None)


def _with_unit(text: str, s0: int, unit: tuple[str, int, str | None], r: _Reading, compound: bool) -> ParsedAmount:
    """The amount read, in the unit found after it (magnitude included when it ended on one)."""
    word, u_end, noun = unit
    if word == "度" and r.last_mag is None and not _ELECTRICITY_BEFORE.search(text[max(0, s0 - 12): s0]):
        return ParsedAmount(u_end, r.value, "度次", r.qualifier, "", noun)  # 2 度獲…: twice
    if r.last_mag is None:
        return ParsedAmount(u_end, r.value, word, r.qualifier, "", noun)
    if compound and r.last_mag != Decimal(1) and r.mag_written:
        # "9 萬 5 千" ended on a magnitude: value counted in that magnitude
        return ParsedAmount(u_end, r.total / MAGNITUDES[r.mag_written], r.mag_written + word, r.qualifier,
                            r.mag_written, noun)
    if r.mag_written and not compound:
        value = r.value if r.value else r.total / MAGNITUDES[r.mag_written]
        return ParsedAmount(u_end, value, r.mag_written + word, r.qualifier, r.mag_written, noun)
    return ParsedAmount(u_end, r.total, word, r.qualifier, "", noun)

"""Quantities from prose: every number with a unit or measure word, exact, with its context.

Works on a paragraph's NFKC text (digits, %, parentheses half-width; line breaks removed, so a
number split over a line or page break is whole again) and maps each hit back to the text as
written. Numbers that are not quantities (dates, years, ordinals, ratios, …) are kept as
`NumberMention`s with the reason (a kind of ``rules/mention_kinds.toml``), so the prose can be
reconciled digit run by digit run.

Units come from the unit table (``rules/units.toml`` via ``units.py``): characters, Latin letters in
any case with or without a space (``3.5GWh``, ``500kw``), and rates ``X/Y`` (``萬度/年``, ``元/度``). A
measure word of occasions may follow a short noun phrase (``12萬 3,456 網站瀏覽人次``); the noun is kept
(``rules/classifiers.toml``). Each quantity is then read at its own position in its sentence
(``read_text``): its year and period (``read_year``, words in ``rules/years.toml``), comparison base,
indicator and flags, so an amount written twice in a sentence gets each its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .indicators import classify_money, flags
from .model import Unit
from .rules import load_classifiers, load_mention_kinds, load_qualifiers
from .units import (CLASSIFIERS, CURRENCIES, CURRENCY_WORDS, DENOMINATOR_WORDS, LATIN_RE, MAGNITUDES,
                    PERCENT_SIGNS, SIMPLE_PHYSICAL, lookup_unit, parse_number, per_of)
from .years import YearRef, read_year, to_gregorian

_CLS = load_classifiers()  # rules/classifiers.toml
# The kinds of number mention and the words that give them (rules/mention_kinds.toml).
_KINDS = load_mention_kinds()

# Digit groups joined by ASCII commas are one number even when mis-grouped ("3,3000" = 33000): the
# text as written decides, and a full-width comma (a list separator) splits (see `extract`).
NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d+)*(?:\.\d+)?")
_SP = r"[ \u3000]*"
MAG_RE = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
_QUALIFIERS = load_qualifiers()  # rules/qualifiers.toml
# qualifiers between a number (or its magnitude) and its unit: 3 億餘元, 50 萬以上人次
QUAL_RE = "|".join(map(re.escape, _QUALIFIERS.between))
_UNIT_WORDS = sorted(set(CURRENCIES) | set(SIMPLE_PHYSICAL) | set(CLASSIFIERS) | set(PERCENT_SIGNS), key=len, reverse=True)
UNIT_RE = "|".join(re.escape(u) for u in _UNIT_WORDS)
_UNIT_PAT = re.compile(UNIT_RE)
# "X/Y": a rate or intensity; the denominator is a word of the unit table (units.toml)
_DENOMINATOR = re.compile(
    rf"{_SP}/{_SP}(?P<den>(?:{MAG_RE})?(?:" + "|".join(
        (f"(?i:{re.escape(w)})" if w.isascii() else re.escape(w)) for w in DENOMINATOR_WORDS) + "))")
_SLASH_WORD = re.compile(rf"{_SP}/{_SP}[^\d\s.,;]")

# Single-character classifiers that also begin ordinary words: "2012 臺灣購物節" is not 2012 臺.
WORD_AFTER: dict[str, str] = _CLS.word_after
# Words that may stand between a number and its measure word: "650 萬以上體驗人次".
GAP_NOUNS: tuple[str, ...] = _CLS.gap_nouns
GAP_MAX: int = _CLS.gap_max
CLAUSE_CHARS: frozenset[str] = frozenset(_CLS.clause_chars)
GAP_MEASURE_WORDS: frozenset[str] = frozenset(_CLS.gap_measure_words)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _words(words, flags: str = "") -> str:
    """An alternation of these words, longest first (so 分鐘 is tried before 分)."""
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return f"(?{flags}:{alt})" if flags else f"(?:{alt})"


# The words after a number that make it a date (年, 月, 日) or a duration (週, 小時, 個月, …).
DATE_WORDS: frozenset[str] = frozenset(_KINDS["date"].after)
DATE_UNITS = re.compile(rf"^{_SP}{_words(_KINDS['date'].after + _KINDS['duration'].after)}")
_SPAN_OF_YEARS = re.compile(rf"^{_SP}年{_SP}{_words(_KINDS['duration'].after_year)}")
YEARS_BELOW: int = _KINDS["duration"].years_below
ORDINAL_BEFORE = re.compile(rf"{_words(_KINDS['ordinal'].before)}{_SP}$")
# 第 15、16、17 及 19 條: every number of the list is an ordinal
ORDINAL_LIST_BEFORE = re.compile(rf"第{_SP}\d+(?:{_SP}[、,及和與或]{_SP}\d+)*{_SP}[、,及和與或]{_SP}$")
_CASE = "i" if _KINDS["rank"].any_case else ""
RANK_BEFORE = re.compile(rf"{_words(_KINDS['rank'].before, _CASE)}{_SP}$")
RANK_AFTER = re.compile(rf"^{_SP}{_words(_KINDS['rank'].after, _CASE)}")
RATIO_AFTER = re.compile(rf"^{_SP}{_words(_KINDS['ratio'].between)}{_SP}\d")
RATIO_BEFORE = re.compile(rf"\d{_SP}{_words(_KINDS['ratio'].between)}{_SP}$")
RANGE_SEP = re.compile(rf"{_SP}(?:~|至|到|-|–|—|－){_SP}")
# An amount in 萬/億 with its currency left out, directly followed by a clause break.
ELIDED_MONEY = re.compile(rf"{_SP}(?:餘|多)?{_SP}(?P<mag>億|萬|千萬|百萬){_SP}(?:餘|多)?(?=[,;。、)]|$)")
# "成" as tenths only when no ordinary word (成長, 成本, 成立, …) continues it (word_after 成).
CHENG_WORD = re.compile(rf"^成[{re.escape(WORD_AFTER['成'])}]")


@dataclass(frozen=True)
class Quantity:
    start: int  # span in the paragraph's NFKC text
    end: int
    text: str  # NFKC text of the quantity, qualifiers included
    number_text: str  # the numeral(s) as written (NFKC)
    value: Decimal  # number in `unit`
    unit: Unit
    quantity: Decimal  # in the base unit
    qualifier: str | None  # 約, 逾, 以上, 餘, 累計, 預計, …
    is_negative: bool = False
    noun: str | None = None  # the noun phrase between the number and its measure word (網站瀏覽 of 網站瀏覽人次)

    @property
    def per(self) -> str | None:
        """The time a rate is per ('year' for 萬度/年), else None."""
        return per_of(self.unit)


# The kinds a NumberMention may have: the one list, shared with the quality suites.
MENTION_KINDS: frozenset[str] = frozenset(_KINDS)


@dataclass(frozen=True)
class NumberMention:
    """A digit run in the prose that is not a quantity, and why."""

    start: int
    end: int
    text: str
    kind: str  # one of MENTION_KINDS (rules/mention_kinds.toml: date, duration, ordinal, …, bare)

    def __post_init__(self):
        if self.kind not in MENTION_KINDS:  # a kind the rule file does not list is never produced
            raise ValueError(f"number mention kind {self.kind!r} is not in rules/mention_kinds.toml")


# qualifiers directly before a number, in the order they are tried (rules/qualifiers.toml `before`)
PRE_QUALIFIERS: tuple[str, ...] = _QUALIFIERS.before


def _qualifier_before(text: str, s0: int) -> str | None:
    """The first qualifier of PRE_QUALIFIERS that the text just before the number ends with."""
    before = text[max(0, s0 - 4): s0]
    return next((w for w in PRE_QUALIFIERS if re.search(rf"{re.escape(w)}{_SP}$", before)), None)


def _skip_sp(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \u3000":
        i += 1
    return i


def _match(pattern: str, s: str, i: int) -> re.Match | None:
    return re.compile(pattern).match(s, i)


def _word_unit_at(s: str, i: int) -> tuple[str, int] | None:
    """A unit word (characters or Latin letters) starting exactly at i, if it is not the start of
    another word; a rate's denominator ("萬度/年", "元/度") is part of it."""
    m = _UNIT_PAT.match(s, i)
    if m:
        word = m.group(0)
        nxt = s[m.end(): m.end() + 1]
        if len(word) == 1 and nxt and nxt in WORD_AFTER.get(word, ""):
            # 臺灣 is a word, not 臺 — unless a longer unit matched already
            m = None
        elif word == "度" and re.match(r"^[ \u3000]*[CcF℃]", s[m.end():]):
            m = None
    if m is None:
        m = LATIN_RE.match(s, i)  # 3.5GWh, 500kw, 12 km
        if m is None:
            return None
        word = m.group(0)
    end = m.end()
    d = _DENOMINATOR.match(s, end)
    if d and not re.match(r"[A-Za-z]", s[d.end(): d.end() + 1]):
        return f"{word}/{d.group('den')}", d.end()
    if _SLASH_WORD.match(s, end):
        return None  # a compound unit the table does not know: not a quantity of its numerator
    return word, end


def _noun_after(s: str, i: int) -> str | None:
    """The short noun a measure word counts when one follows it and ends its clause (30 家參展廠商，)."""
    k = i
    while k < len(s) and k - i < 4 and _CJK.match(s[k]) and s[k] not in CLAUSE_CHARS:
        k += 1
    if k - i >= 2 and (k == len(s) or s[k] in ",;。、):!?」』"):
        return s[i:k]
    return None


def _unit_at(s: str, i: int) -> tuple[str, int, str | None] | None:
    """(unit word, its end, the noun before it) for the unit at i: the word itself, or a measure
    word after a short noun phrase (12萬 3,456 網站瀏覽人次; 650 萬以上體驗人次)."""
    u = _word_unit_at(s, i)
    if u:
        return u[0], u[1], None
    for noun in GAP_NOUNS:
        if s.startswith(noun, i):
            u2 = _word_unit_at(s, i + len(noun))
            if u2 and u2[0] in CLASSIFIERS:
                return u2[0], u2[1], noun
    # a noun phrase of CJK characters, none a function word or verb, then a measure word of occasions
    for k in range(i + 1, min(len(s), i + GAP_MAX) + 1):
        ch = s[k - 1]
        if not _CJK.match(ch) or ch in CLAUSE_CHARS:
            break
        if k - i < 2:
            continue
        u2 = _UNIT_PAT.match(s, k)
        if u2 and u2.group(0) in GAP_MEASURE_WORDS:
            u3 = _word_unit_at(s, k)
            if u3:
                return u3[0], u3[1], s[i:k]
    return None


def extract(text: str, raw_is_fullwidth_comma=lambda pos: False) -> tuple[list[Quantity], list[NumberMention]]:
    """All quantities and other number mentions in one paragraph's NFKC text."""
    quantities: list[Quantity] = []
    mentions: list[NumberMention] = []
    consumed_until = 0
    pending_range: list[tuple[int, Decimal, str, bool]] = []  # numbers waiting for a range's unit
    pending_elided: list[tuple[int, int, Decimal, str, bool]] = []  # money amounts without 元
    pos = 0
    while True:
        m = NUMBER.search(text, pos)
        if m is None:
            break
        pos = m.end()
        s0 = m.start()
        if s0 < consumed_until:
            continue
        num_text = m.group(0)
        # A full-width comma between digit groups separates two numbers; it is no thousands mark.
        if "," in num_text and any(raw_is_fullwidth_comma(s0 + k) for k, c in enumerate(num_text) if c == ","):
            num_text = num_text.split(",")[0]
            pos = s0 + len(num_text) + 1
        end = s0 + len(num_text)
        before = text[max(0, s0 - 6): s0]
        after = text[end: end + 8]
        negative = before.endswith(("-", "−")) and not re.search(r"[\dA-Za-z]$", before[:-1] or " ")
        kind = _non_quantity_kind(text, s0, end, num_text, before, after)
        if kind:
            # "6 至 10 月", "99 至 101 年": the range's first number is of the same kind
            mentions.extend(NumberMention(r[0], r[0] + len(r[2]), r[2], kind) for r in pending_range)
            mentions.append(NumberMention(s0, end, num_text, kind))
            consumed_until = end
            pending_range.clear()
            continue
        parsed = _parse_quantity(text, s0, end, num_text)
        if parsed is None:
            # maybe the first number of a range whose unit follows the second number
            r = RANGE_SEP.match(text, end)
            if r and NUMBER.match(text, r.end()):
                pending_range.append((s0, parse_number(num_text), num_text, negative))
                consumed_until = end
                continue
            elided = ELIDED_MONEY.match(text, end)
            if elided:
                # "增加營業額逾 14.37 億，" — 元 left out; decided after the loop from the sentence
                pending_elided.append((s0, elided.end(), parse_number(num_text), elided.group("mag"),
                                       negative))
                consumed_until = elided.end()
                continue
            mentions.extend(NumberMention(r[0], r[0] + len(r[2]), r[2], "bare") for r in pending_range)
            mentions.append(NumberMention(s0, end, num_text, "bare"))
            consumed_until = end
            pending_range.clear()
            continue
        q_end, value, unit_written, qualifier, mag_written, noun = parsed
        unit = lookup_unit(unit_written)
        if unit is None:
            mentions.append(NumberMention(s0, end, num_text, "bare"))
            consumed_until = end
            continue
        qual_before = _qualifier_before(text, s0)
        for (r_start, r_value, r_text, r_neg) in pending_range:
            # 3 至 5 億元: the first number takes the unit, magnitude included, of the second
            r_unit = lookup_unit(unit_written)
            quantities.append(_make(text, r_start, r_start + len(r_text), r_text, r_value, r_unit, None, r_neg))
        pending_range.clear()
        qualifier = qualifier or qual_before
        if noun is None and unit.dimension == "count":
            noun = _noun_after(text, q_end)
        quantities.append(_make(text, s0 - (1 if negative else 0), q_end, text[s0:q_end], value, unit, qualifier,
                                negative, noun))
        consumed_until = q_end
    for s0, e0, value, mag, negative in pending_elided:
        unit = _elided_money_unit(text, s0, mag, quantities)
        if unit is None:
            mentions.append(NumberMention(s0, e0, text[s0:e0], "bare"))
            continue
        qual_before = _qualifier_before(text, s0)
        quantities.append(_make(text, s0, e0, text[s0:e0].rstrip(), value, unit, qual_before, negative))
    quantities.sort(key=lambda q: q.start)
    mentions.sort(key=lambda m: m.start)
    return quantities, mentions


def _elided_money_unit(text: str, pos: int, mag: str, quantities: list[Quantity]) -> Unit | None:
    """The money unit an amount like "14.37 億" leaves out: that of the money amounts stated with a
    unit in the same sentence (all of one currency), else none."""
    a, b = sentence_bounds(text, pos)
    currencies = {q.unit.currency for q in quantities if a <= q.start < b and q.unit.dimension == "money"}
    if len(currencies) != 1:
        return None
    currency = currencies.pop()
    word = CURRENCY_WORDS.get(currency)
    return lookup_unit(f"{mag}({word})") if word else None


def _make(text, start, end, number_text, value, unit: Unit, qualifier, negative, noun=None) -> Quantity:
    v = -value if negative else value
    return Quantity(start, end, text[start:end], number_text, v, unit, v * unit.factor, qualifier, negative, noun)


def _non_quantity_kind(text: str, s0: int, end: int, num_text: str, before: str, after: str) -> str | None:
    if re.match(r"^\d{2,4}\.\d{1,2}\.\d{1,2}(?!\d)", text[s0:]) or re.search(r"\d{2,4}\.\d{1,2}\.$", before):
        return "date"  # 101.4.2
    if DATE_UNITS.match(after):
        word = DATE_UNITS.match(after).group(0).strip()
        if word == "年" and (_SPAN_OF_YEARS.match(after) or parse_number(num_text) < YEARS_BELOW):
            return "duration"  # 3 年內: a span of years, not a calendar year
        return "date" if word in DATE_WORDS else "duration"
    if ORDINAL_BEFORE.search(before) or ORDINAL_LIST_BEFORE.search(text[max(0, s0 - 40): s0]):
        return "ordinal"
    if RANK_BEFORE.search(before) and RANK_AFTER.match(after):
        return "rank"
    if RATIO_AFTER.match(after) or RATIO_BEFORE.search(before):
        return "ratio"
    # glued to Latin letters or part of a code: R&D100, ISO 14064-2, 4G, A1
    if re.search(r"[A-Za-z&]$", before) or re.match(r"^[A-Za-z]", after) and not LATIN_RE.match(after):
        return "identifier"
    if re.match(r"^-\d", after) or re.search(r"\d-$", before):
        return "identifier"
    # outline and list markers: "1、" "(2)"
    if re.match(r"^、", after) or (before.endswith("(") and after.startswith(")")):
        return "marker"
    return None


def _parse_quantity(text: str, s0: int, end: int, num_text: str):
    """From a number at [s0, end): (end of quantity, value in unit, unit as written incl. magnitude,
    qualifier, magnitude) or None when no unit follows."""
    value = parse_number(num_text)
    i = end
    qualifier = None
    total = Decimal(0)
    last_mag: Decimal | None = None
    mag_written = ""
    # mixed magnitudes: 9 萬 5 千, 3 億 6,300 萬, 139 萬 307
    while True:
        j = _skip_sp(text, i)
        q = _match(rf"(?:{QUAL_RE})", text, j) if text[j:j + 1] in "餘多" else None
        k = _skip_sp(text, q.end()) if q else j
        mm = _match(MAG_RE, text, k)
        if mm and (last_mag is None or MAGNITUDES[mm.group(0)] < last_mag):
            # a magnitude that is really the start of a unit (千瓦, 百萬瓩) still counts as magnitude
            mag = MAGNITUDES[mm.group(0)]
            if mm.group(0) == "千" and text.startswith("千瓦", k):
                break
            if q:
                qualifier = q.group(0)
            total += value * mag
            last_mag = mag
            mag_written = mm.group(0)
            i = mm.end()
            # a further number of a smaller magnitude?
            j2 = _skip_sp(text, i)
            nm = NUMBER.match(text, j2)
            if nm:
                nv = parse_number(nm.group(0))
                k2 = _skip_sp(text, nm.end())
                k2q = _match(rf"(?:{QUAL_RE})", text, k2)
                k3 = _skip_sp(text, k2q.end()) if k2q else k2
                nxt_mag = _match(MAG_RE, text, k3)
                if nxt_mag and MAGNITUDES[nxt_mag.group(0)] < mag and nv < mag:
                    value = nv
                    i = nm.end()
                    continue
                if nv < mag and _unit_at(text, k3) and not DATE_UNITS.match(text[nm.end():]):
                    total += nv
                    value = Decimal(0)
                    i = nm.end()
                    if k2q:
                        qualifier = k2q.group(0)
                        i = k2q.end()
                    mag_written = ""
                    last_mag = Decimal(1)
                    break
            value = Decimal(0)
            continue
        break
    compound = last_mag is not None and (total != 0 or value != 0)
    if last_mag is not None:
        total += value
    j = _skip_sp(text, i)
    q = _match(rf"(?:{QUAL_RE})", text, j)
    if q:
        qualifier = q.group(0)
        j = _skip_sp(text, q.end())
    unit = _unit_at(text, j)
    if unit is None and text.startswith("成", j) and not CHENG_WORD.match(text[j:]) and last_mag is None \
            and value <= 10:
        # 9 成 = 90 percent; 9 成 5 = 95 percent
        k = j + 1
        tail = re.compile(rf"{_SP}(\d)(?!\d)(?![.,]\d)").match(text, k)
        if tail and not _unit_at(text, _skip_sp(text, tail.end())):
            return tail.end(), value + Decimal(tail.group(1)) / 10, "成", qualifier, "", None
        return k, value, "成", qualifier, "", None
    if unit is None:
        return None
    word, u_end, noun = unit
    if word == "度" and last_mag is None and not re.search(r"電|能|kWh", text[max(0, s0 - 12): s0]):
        # a bare "2 度" is a count of times (2 度獲…); kWh come as 萬度/億度 or beside 電
        return u_end, value, "度次", qualifier, "", noun
    if last_mag is None:
        return u_end, value, word, qualifier, "", noun
    if compound and last_mag != Decimal(1) and mag_written:
        # "9 萬 5 千" ended on a magnitude: value counted in that magnitude
        return u_end, total / MAGNITUDES[mag_written], mag_written + word, qualifier, mag_written, noun
    if mag_written and not compound:
        return (u_end, value if value else total / MAGNITUDES[mag_written], mag_written + word, qualifier,
                mag_written, noun)
    return u_end, total, word, qualifier, "", noun


# ---------------------------------------------------------------------------------------------
# Whole report: quantities with their sentence, section, page and year (years.py reads the year).

SENTENCE_END = re.compile(r"[。!?！？]")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence that holds ``text[pos]``, its closing mark included."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.end()
    return start, len(text)


@dataclass(frozen=True)
class QuantityRecord:
    quantity_no: int  # 1-based in document order: with report_id, the natural key
    paragraph_id: int
    section_id: int
    page_index: int
    raw_text: str  # as written in the PDF, "\n" where a line or page break falls inside it
    q: Quantity
    sentence: str  # NFKC, as the classifiers read it
    context: str  # the same sentence as written (full-width punctuation kept, line breaks removed)
    year: int | None  # Gregorian, as stated (a relative word such as 今年 is in `period_ref.offset`)
    base_year: int | None  # Gregorian year a change is measured against (較 100 年成長 …)
    start: int = 0  # the quantity's span in `sentence`: every flag below is read from there
    end: int = 0
    period_ref: YearRef = field(default_factory=YearRef)
    indicator: str | None = None  # what a money amount measures (None for other dimensions)
    indicator_keyword: str | None = None
    is_cumulative: bool = False
    is_target: bool = False
    is_approximate: bool = False
    comparison: str | None = None  # change_vs_year, change_vs_previous_year, change
    direction: str | None = None

    @property
    def period(self) -> str | None:
        return self.period_ref.period

    @property
    def noun(self) -> str | None:
        return self.q.noun

    @property
    def per(self) -> str | None:
        return self.q.per

    def resolved_years(self, report_year: int | None) -> tuple[int | None, int | None]:
        """(year, base_year) with 今年/去年/本期 resolved against the report's Gregorian year; the
        base year of a growth figure (較 100 年成長) first."""
        year, base = self.period_ref.resolved(report_year)
        if self.comparison == "change_vs_previous_year" and base is None and report_year:
            base = report_year - 1 if year is None else year - 1
        return year, (self.base_year if self.base_year is not None else base)


@dataclass(frozen=True)
class MentionRecord:
    paragraph_id: int
    section_id: int
    page_index: int
    m: NumberMention


def read_quantity(sentence: str, start: int, end: int, q: Quantity) -> dict:
    """Year, period, indicator and flags of the quantity at ``sentence[start:end]``, each read from
    that position (never found again by text: the same amount may stand twice in a sentence)."""
    ref = read_year(sentence, start, end)
    if q.unit.dimension == "money":
        indicator, keyword = classify_money(sentence, start, end)
    else:
        indicator, keyword = None, None
    f = flags(sentence, start, end, q.qualifier)
    base_year = ref.base_year
    if f.get("base_year"):  # a growth figure's own base (較 100 年成長 22.35%), ROC or Gregorian as written
        base_year = to_gregorian(int(f["base_year"]))
    return {
        "year": ref.year, "base_year": base_year, "period_ref": ref,
        "indicator": indicator, "indicator_keyword": keyword,
        "is_cumulative": bool(f["is_cumulative"]), "is_target": bool(f["is_target"]),
        "is_approximate": bool(f["is_approximate"]), "comparison": f["comparison"], "direction": f["direction"],
    }


@dataclass(frozen=True)
class ReadQuantity:
    """One quantity of a paragraph with everything read from its own position in its sentence."""

    q: Quantity
    sentence: str  # NFKC, stripped
    start: int  # the quantity's span in `sentence`
    end: int
    sentence_start: int  # the sentence's span in the paragraph text (before stripping)
    sentence_end: int
    info: dict  # year, base_year, period_ref, indicator, indicator_keyword, flags (see read_quantity)


def read_text(text: str, raw_is_fullwidth_comma=lambda pos: False) -> tuple[list[ReadQuantity], list[NumberMention]]:
    """Every quantity of one paragraph's NFKC text, each read at its own position: the same amount
    written twice in a sentence gets each its own year, indicator and flags."""
    qs, ms = extract(text, raw_is_fullwidth_comma)
    out = []
    for q in qs:
        a, b = sentence_bounds(text, q.start)
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        sentence = chunk.strip()
        start = q.start - a - lead
        end = min(q.end - a - lead, len(sentence))
        out.append(ReadQuantity(q, sentence, start, end, a, b, read_quantity(sentence, start, end, q)))
    return out, ms


def report_quantities(paragraphs) -> tuple[list[QuantityRecord], list[MentionRecord]]:
    records: list[QuantityRecord] = []
    mentions: list[MentionRecord] = []
    for para in paragraphs:
        raw = para.raw

        def fullwidth_comma(pos: int, para=para) -> bool:
            return para.raw[para.text_to_raw[pos]] == "，"

        found, ms = read_text(para.text, fullwidth_comma)
        for r in found:
            q, a, b = r.q, r.sentence_start, r.sentence_end
            r0 = para.text_to_raw[q.start]
            r1 = para.text_to_raw[q.end - 1] + 1
            c0 = para.text_to_raw[a] if a < len(para.text_to_raw) else 0
            c1 = para.text_to_raw[b - 1] + 1 if b > 0 else 0
            context = raw[c0:c1].replace("\n", "").strip()
            records.append(QuantityRecord(len(records) + 1, para.paragraph_id, para.section_id,
                                          para.page_at(q.start), raw[r0:r1], q, r.sentence, context,
                                          start=r.start, end=r.end, **r.info))
        for m in ms:
            mentions.append(MentionRecord(para.paragraph_id, para.section_id, para.page_at(m.start), m))
    return records, mentions

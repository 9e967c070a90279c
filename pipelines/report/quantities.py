"""Quantities from prose: every number with a unit or measure word, exact, with its context.

Works on a paragraph's NFKC text (digits, %, parentheses half-width; line breaks removed, so a
number split over a line or page break is whole again) and maps each hit back to the text as
written. Numbers that are not quantities (dates, years, ordinals, ratios, …) are kept as
`NumberMention`s with the reason (a kind of ``rules/mention_kinds.toml``, patterns in
``number_kinds.py``), so the prose can be reconciled digit run by digit run.

Each number's amount is read by ``amounts.py`` (magnitudes, qualifiers, tenths) and its unit by
``unit_words.py``: units of the unit table (``rules/units.toml`` via ``units.py``) in characters or
Latin letters in any case with or without a space (``3.5GWh``, ``500kw``), and rates ``X/Y``
(``萬度/年``, ``元/度``). A measure word of occasions may follow a short noun phrase
(``12萬 3,456 網站瀏覽人次``); the noun is kept (``rules/classifiers.toml``). Each quantity is then
read at its own position in its sentence (``read_text``): its year and period (``years.read_year``,
words in ``rules/years.toml``), comparison base, indicator and flags, so an amount written twice in
a sentence gets each its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import NUMBER, ParsedAmount, parse_amount
from .indicators import classify_money, flags
from .model import Unit
from .number_kinds import (DATE_UNITS, DATE_WORDS, ORDINAL_BEFORE, ORDINAL_LIST_BEFORE, RANK_AFTER, RANK_BEFORE,
                           RATIO_AFTER, RATIO_BEFORE, SPAN_OF_YEARS, YEARS_BELOW, NumberMention)
from .rules import load_qualifiers
from .unit_words import noun_after
from .units import CURRENCY_WORDS, LATIN_RE, lookup_unit, parse_number, per_of
from .word_patterns import SP
from .years import YearRef, read_year, to_gregorian

# Not used here: tests/test_rules.py reads these as `quantities.X`, where they were defined before
# amounts.py and unit_words.py were split out of this module.
from .amounts import CHENG_WORD  # noqa: E402,F401
from .unit_words import GAP_NOUNS, WORD_AFTER  # noqa: E402,F401
from .unit_words import UNIT_WORDS as _UNIT_WORDS  # noqa: E402,F401

RANGE_SEP = re.compile(rf"{SP}(?:~|至|到|-|–|—|－){SP}")
# An amount in 萬/億 with its currency left out, directly followed by a clause break.
ELIDED_MONEY = re.compile(rf"{SP}(?:餘|多)?{SP}(?P<mag>億|萬|千萬|百萬){SP}(?:餘|多)?(?=[,;。、)]|$)")
# qualifiers directly before a number, in the order they are tried (rules/qualifiers.toml `before`)
PRE_QUALIFIERS: tuple[str, ...] = load_qualifiers().before


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


def _qualifier_before(text: str, s0: int) -> str | None:
    """The first qualifier of PRE_QUALIFIERS that the text just before the number ends with."""
    before = text[max(0, s0 - 4): s0]
    return next((w for w in PRE_QUALIFIERS if re.search(rf"{re.escape(w)}{SP}$", before)), None)


def extract(text: str, raw_is_fullwidth_comma=lambda pos: False) -> tuple[list[Quantity], list[NumberMention]]:
    """All quantities and other number mentions in one paragraph's NFKC text."""
    scan = _Scan(text)
    pos = 0
    while (m := NUMBER.search(text, pos)) is not None:
        pos = m.end()
        if m.start() < scan.consumed_until:
            continue
        num_text = _before_fullwidth_comma(m.group(0), m.start(), raw_is_fullwidth_comma)
        if num_text != m.group(0):
            pos = m.start() + len(num_text) + 1  # the number after the comma is read on its own
        scan.number(m.start(), num_text)
    scan.elided_money()
    scan.quantities.sort(key=lambda q: q.start)
    scan.mentions.sort(key=lambda m: m.start)
    return scan.quantities, scan.mentions


def _before_fullwidth_comma(num_text: str, s0: int, raw_is_fullwidth_comma) -> str:
    """The number up to a full-width comma between its digit groups: that comma separates two
    numbers, it is no thousands mark."""
    if "," in num_text and any(raw_is_fullwidth_comma(s0 + k) for k, c in enumerate(num_text) if c == ","):
        return num_text.split(",")[0]
    return num_text


class _Scan:
    """The quantities and mentions of one paragraph, found number by number from left to right."""

    def __init__(self, text: str):
        self.text = text
        self.quantities: list[Quantity] = []
        self.mentions: list[NumberMention] = []
        self.consumed_until = 0  # a number that starts before this is part of one already read
        self.pending_range: list[tuple[int, Decimal, str, bool]] = []  # numbers waiting for a range's unit
        self.pending_elided: list[tuple[int, int, Decimal, str, bool]] = []  # money amounts without 元

    def number(self, s0: int, num_text: str) -> None:
        """Read the number ``num_text`` at s0: a mention of a non-quantity kind, or a quantity."""
        text, end = self.text, s0 + len(num_text)
        before = text[max(0, s0 - 6): s0]
        after = text[end: end + 8]
        negative = before.endswith(("-", "−")) and not re.search(r"[\dA-Za-z]$", before[:-1] or " ")
        kind = _non_quantity_kind(text, s0, end, num_text, before, after)
        if kind:
            self._mention(s0, end, num_text, kind)
            return
        parsed = parse_amount(text, s0, end, num_text)
        if parsed is None:
            self._unitless(s0, end, num_text, negative)
        else:
            self._quantity(s0, end, num_text, negative, parsed)

    def _mention(self, s0: int, end: int, num_text: str, kind: str) -> None:
        """A number that is not a quantity. "6 至 10 月", "99 至 101 年": the first numbers of its
        range are of the same kind."""
        self.mentions.extend(NumberMention(r[0], r[0] + len(r[2]), r[2], kind) for r in self.pending_range)
        self.mentions.append(NumberMention(s0, end, num_text, kind))
        self.consumed_until = end
        self.pending_range.clear()

    def _unitless(self, s0: int, end: int, num_text: str, negative: bool) -> None:
        """A number no unit follows: the first of a range whose unit follows the second number, a
        money amount in 萬/億 with 元 left out, or else a bare number."""
        text = self.text
        r = RANGE_SEP.match(text, end)
        if r and NUMBER.match(text, r.end()):
            self.pending_range.append((s0, parse_number(num_text), num_text, negative))
            self.consumed_until = end
            return
        elided = ELIDED_MONEY.match(text, end)
        if elided:
            # "增加營業額逾 14.37 億，" — 元 left out; decided after the scan from the sentence
            self.pending_elided.append((s0, elided.end(), parse_number(num_text), elided.group("mag"), negative))
            self.consumed_until = elided.end()
            return
        self._mention(s0, end, num_text, "bare")

    def _quantity(self, s0: int, end: int, num_text: str, negative: bool, parsed: ParsedAmount) -> None:
        """A number with its unit; the first numbers of its range take that unit."""
        text = self.text
        unit = lookup_unit(parsed.unit_written)
        if unit is None:  # the numbers of a pending range wait for a unit that is known
            self.mentions.append(NumberMention(s0, end, num_text, "bare"))
            self.consumed_until = end
            return
        for r_start, r_value, r_text, r_neg in self.pending_range:
            # 3 至 5 億元: the first number takes the unit, magnitude included, of the second
            self.quantities.append(_make(text, r_start, r_start + len(r_text), r_text, r_value, unit, None, r_neg))
        self.pending_range.clear()
        qualifier = parsed.qualifier or _qualifier_before(text, s0)
        noun = parsed.noun
        if noun is None and unit.dimension == "count":
            noun = noun_after(text, parsed.end)
        self.quantities.append(_make(text, s0 - (1 if negative else 0), parsed.end, text[s0:parsed.end],
                                     parsed.value, unit, qualifier, negative, noun))
        self.consumed_until = parsed.end

    def elided_money(self) -> None:
        """The amounts whose 元 was left out, in the money unit of their sentence's other amounts
        (read once the whole paragraph is scanned: that amount may come later)."""
        text = self.text
        for s0, e0, value, mag, negative in self.pending_elided:
            unit = _elided_money_unit(text, s0, mag, self.quantities)
            if unit is None:
                self.mentions.append(NumberMention(s0, e0, text[s0:e0], "bare"))
                continue
            qual_before = _qualifier_before(text, s0)
            self.quantities.append(_make(text, s0, e0, text[s0:e0].rstrip(), value, unit, qual_before, negative))


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
        if word == "年" and (SPAN_OF_YEARS.match(after) or parse_number(num_text) < YEARS_BELOW):
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
    # Where it is printed: (page_index, x0, top, x1, bottom) in PDF points, top-left origin, the
    # union of its characters' boxes on the page where it starts (a figure broken over two pages
    # keeps its first page's part). None when the line's text and characters did not align.
    box: tuple[int, float, float, float, float] | None = None

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


def span_box(para, r0: int, r1: int) -> tuple[int, float, float, float, float] | None:
    """The box of raw[r0:r1] of a paragraph: the union of its printed (non-blank) characters'
    boxes on the page of its first one."""
    if not para.line_boxes:
        return None
    page, boxes, k = None, [], 0
    for i in range(r0, r1):
        if para.raw[i].isspace():
            continue
        while k + 1 < len(para.line_starts) and para.line_starts[k + 1][0] <= i:
            k += 1
        offset, _, line_page = para.line_starts[k]
        top, bottom, x0s, x1s = para.line_boxes[k]
        col = i - offset
        if col >= len(x0s):
            return None  # this line's text and characters did not align
        page = line_page if page is None else page
        if line_page == page:
            boxes.append((x0s[col], top, x1s[col], bottom))
    if not boxes:
        return None
    return (page, min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


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
                                          start=r.start, end=r.end, box=span_box(para, r0, r1), **r.info))
        for m in ms:
            mentions.append(MentionRecord(para.paragraph_id, para.section_id, para.page_at(m.start), m))
    return records, mentions

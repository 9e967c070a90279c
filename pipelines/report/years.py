"""Years as a reader reads them: the year and period a sentence states for an amount.

A year is a number with a year suffix (113 年, 2024 年, 113 學年度, 113 會計年度; ROC or Gregorian),
the end of a span (98 年至 101 年), or a relative word (今年, 去年; ``rules/years.toml``). Comparison
bases (較 109 年, 與去年同期相比) and years that name a plan (「…109至112年度…計畫」) are told apart
from the year a fact is of; `read_year` picks the one for the fact at a given position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .indicators import quoted_spans
from .rules import load_years
from .word_patterns import SP, words

_YEARS = load_years()  # rules/years.toml
_YEAR_SUFFIX = "|".join(sorted(_YEARS.year_suffixes, key=len, reverse=True))
# a year as a reader reads one: 113 年, 2024 年, 113 學年度, 113 年度, 113 會計年度 (not 3 年內, 24 年來)
YEAR = re.compile(rf"(?<![\d.])(?<!\d,)(\d{{2,4}}){SP}(?P<suffix>{_YEAR_SUFFIX})(?!{SP}(?:內|間|來|期間|以內|半(?!年)))")
# a span: 98 年至 101 年, 110至113年度, 100 年 1 月至 101 年 12 月, 2025 至 2026 年 -> its end
YEAR_SPAN = re.compile(rf"(?<![\d.])(?<!\d,)(\d{{2,4}}){SP}(?:(?:{_YEAR_SUFFIX}){SP}(?:\d{{1,2}}{SP}月{SP}(?:\d{{1,2}}{SP}日)?)?)?"
                       rf"{SP}(?:至|到|~|-|–){SP}(\d{{2,4}}){SP}(?P<suffix>{_YEAR_SUFFIX})")
# not inside another word: 以上年長者, 相當年輕
RELATIVE_YEAR = re.compile(f"(?<![{re.escape(_YEARS.relative_not_after)}])"
                           f"{words(_YEARS.relative)}(?![{re.escape(_YEARS.relative_not_before)}])")
_COMPARISON = "|".join(sorted(map(re.escape, _YEARS.comparison_before), key=len, reverse=True))
COMPARISON_BEFORE = re.compile(rf"(?:{_COMPARISON}){SP}(?:民國)?{SP}$")
_WITH_AFTER = re.compile(rf"^[^,;。、:]{{0,8}}?(?:{'|'.join(_YEARS.comparison_after_with)})")
_NAME_AFTER = re.compile(rf"^[^,;。、:!?0-9]{{0,{_YEARS.name_max}}}?(?:{'|'.join(_YEARS.name_words)})")
# what narrows the period after a year: 上半年, 第 3 季, 5 月
_PERIOD_AFTER = re.compile(rf"^{SP}(?:(?P<half>[上下]半年|[上下]半)|(?:第{SP})?(?P<quarter>\d|[一二三四]){SP}季|"
                           rf"前{SP}(?:\d|[一二三]){SP}季|(?P<month>\d{{1,2}}){SP}(?:(?:至|到|~|-){SP}\d{{1,2}}{SP})?月)")
_FROM_BEFORE = re.compile(rf"(?:由|從|自){SP}(?:民國)?{SP}$")
_TO_BETWEEN = re.compile(r"\d[^,;]*?(?:至|到)")
_DIRECTLY = re.compile(rf"{SP}(?:底|的|之)?{SP}")
_QUOTES = {"「": "」", "『": "』", "“": "”", "《": "》", "〈": "〉", "\"": "\""}


def to_gregorian(year: int) -> int | None:
    """ROC year (民國) -> Gregorian; Gregorian years pass through; implausible numbers -> None."""
    if 1900 <= year <= 2100:
        return year
    if 30 <= year <= 200:
        return year + 1911
    return None



@dataclass(frozen=True)
class YearRef:
    """The period a fact's sentence states for it."""

    year: int | None = None  # Gregorian, when stated as a number
    offset: int | None = None  # relative to the report's own year (今年 0, 去年 -1), when stated so
    period: str | None = None  # year, academic_year, fiscal_year, half, quarter, month
    base_year: int | None = None  # Gregorian year of a comparison base (較 109 年)
    base_offset: int | None = None  # a comparison base relative to the report's year (較去年)

    def resolved(self, report_year: int | None) -> tuple[int | None, int | None]:
        """(year, base_year), relative words resolved against the report's Gregorian year (None
        when the report does not state its year)."""
        year = self.year if self.year is not None else (
            report_year + self.offset if report_year and self.offset is not None else None)
        base = self.base_year if self.base_year is not None else (
            report_year + self.base_offset if report_year and self.base_offset is not None else None)
        return year, base


@dataclass(frozen=True)
class _YearMention:
    start: int
    end: int
    year: int | None
    offset: int | None
    period: str
    comparison: bool
    name: bool


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    return quoted_spans(sentence, _QUOTES)  # ASCII quotes too: a year inside "…" is a name's


def _period(suffix: str, after: str) -> str:
    base = _YEARS.year_suffixes.get(suffix, "year")
    m = _PERIOD_AFTER.match(after)
    if m:
        return "half" if m.group("half") else "month" if m.group("month") else "quarter"
    return base


def year_mentions(sentence: str) -> list[_YearMention]:
    """Every year a sentence states, with its period and whether it is a comparison base or part
    of a name (「…109至112年度…計畫」): those are not a fact's year."""
    out: list[_YearMention] = []
    taken: list[tuple[int, int]] = []

    def add(m0: int, m1: int, year: int | None, offset: int | None, suffix: str, is_span: bool) -> None:
        before = sentence[:m0]
        after = sentence[m1:]
        comparison = bool(COMPARISON_BEFORE.search(before))
        if comparison and re.search(rf"與{SP}(?:民國)?{SP}$", before) and not _WITH_AFTER.match(after):
            comparison = False  # 與 109 年 is a comparison only when 相比/相較 follows
        name = year is not None and (is_span or suffix == "年度") and bool(_NAME_AFTER.match(after))
        out.append(_YearMention(m0, m1, year, offset, _period(suffix, after), comparison, name))
        taken.append((m0, m1))

    for m in YEAR_SPAN.finditer(sentence):
        y = to_gregorian(int(m.group(2)))
        if y:
            add(m.start(), m.end(), y, None, m.group("suffix"), True)
    for m in YEAR.finditer(sentence):
        if any(a <= m.start() < b for a, b in taken):
            continue
        y = to_gregorian(int(m.group(1)))
        if y:
            add(m.start(), m.end(), y, None, m.group("suffix"), False)
    for m in RELATIVE_YEAR.finditer(sentence):
        if any(a <= m.start() < b for a, b in taken):
            continue
        word = m.group(0)
        add(m.start(), m.end(), None, int(_YEARS.relative[word]), "年度" if word.endswith("年度") else "年",
            False)
    out.sort(key=lambda y: y.start)
    return out


def read_year(sentence: str, start: int, end: int | None = None) -> YearRef:
    """The period the sentence states for the fact at ``sentence[start:end]``: the nearest year
    stated before it (a span gives its end year), else the first after it; years inside a quoted
    name that does not hold the fact, years naming a plan, and comparison bases (較 109 年,
    與去年同期相比) are not the fact's year; the last comparison base before it is its base_year."""
    end = start + 1 if end is None else end
    quotes = _quoted_spans(sentence)
    own = [q for q in quotes if q[0] < start and end <= q[1]]

    def usable(m: _YearMention) -> bool:
        return not any(a < m.start < b and not (a < start < b) for a, b in quotes) or bool(own)

    mentions = [m for m in year_mentions(sentence) if usable(m)]
    bases = [m for m in mentions if m.comparison and m.start < start]
    facts = [m for m in mentions if not m.comparison and not m.name]
    clause_start = max((i + 1 for i, c in enumerate(sentence[:start]) if c in ",;:"), default=0)
    clause_end = next((i for i in range(end, len(sentence)) if sentence[i] in ",;:"), len(sentence))
    part_end = next((i for i in range(end, len(sentence)) if sentence[i] == ";"), len(sentence))
    # 由 100 年 2 萬張增加至 7 萬張: the year dates the starting figure, not what follows 至
    facts = [m for m in facts if not (m.end <= start and _FROM_BEFORE.search(sentence[:m.start])
                                      and _TO_BETWEEN.search(sentence[m.end:start]))]
    before = [m for m in facts if m.start < start]
    after = [m for m in facts if m.start >= end]
    if bases and _DIRECTLY.fullmatch(sentence[bases[-1].end:start]):
        # 較 100 年 20,316 公噸成長: the amount right after a comparison base is that year's figure
        b = bases[-1]
        return YearRef(b.year, b.offset, b.period)
    chosen = (
        # its own clause first, then a year stated as a number (a relative word in another clause
        # often dates an action: 今年 5 月即可適用), then a relative word
        next((m for m in reversed(before) if m.start >= clause_start), None)
        or next((m for m in reversed(before) if m.year is not None), None)
        or (before[-1] if before else None)
        # else the first year after it, in its clause, then up to the next semicolon
        or next((m for m in after if m.start < clause_end), None)
        or next((m for m in after if m.start < part_end and m.year is not None), None)
    )
    base = bases[-1] if bases else None
    return YearRef(chosen.year if chosen else None, chosen.offset if chosen else None,
                   chosen.period if chosen else None,
                   base.year if base else None, base.offset if base else None)


def year_of(sentence: str, pos: int) -> tuple[int | None, int | None]:
    """(year the amount at ``pos`` refers to, base year of a comparison), both Gregorian and as
    stated (relative words such as 今年 are not resolved here; see `read_year`)."""
    ref = read_year(sentence, pos)
    return ref.year, ref.base_year

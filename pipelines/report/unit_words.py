"""The unit that follows a number in the prose: a word of the unit table (``rules/units.toml`` via
``units.py``) in characters or Latin letters (``3.5GWh``, ``500kw``), a rate ``X/Y`` (``萬度/年``,
``元/度``), or a measure word of occasions after a short noun phrase (``12萬 3,456 網站瀏覽人次``; the
words of ``rules/classifiers.toml``)."""
from __future__ import annotations

import re

from .rules import load_classifiers
from .units import CLASSIFIERS, CURRENCIES, DENOMINATOR_WORDS, LATIN_RE, MAGNITUDES, PERCENT_SIGNS, SIMPLE_PHYSICAL
from .word_patterns import SP

_CLS = load_classifiers()  # rules/classifiers.toml

MAG_RE = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
UNIT_WORDS = sorted(set(CURRENCIES) | set(SIMPLE_PHYSICAL) | set(CLASSIFIERS) | set(PERCENT_SIGNS), key=len, reverse=True)
UNIT_RE = "|".join(re.escape(u) for u in UNIT_WORDS)
_UNIT_PAT = re.compile(UNIT_RE)
# "X/Y": a rate or intensity; the denominator is a word of the unit table (units.toml)
_DENOMINATOR = re.compile(
    rf"{SP}/{SP}(?P<den>(?:{MAG_RE})?(?:" + "|".join(
        (f"(?i:{re.escape(w)})" if w.isascii() else re.escape(w)) for w in DENOMINATOR_WORDS) + "))")
_SLASH_WORD = re.compile(rf"{SP}/{SP}[^\d\s.,;]")

# Single-character classifiers that also begin ordinary words: "2012 臺灣購物節" is not 2012 臺.
WORD_AFTER: dict[str, str] = _CLS.word_after
# Words that may stand between a number and its measure word: "650 萬以上體驗人次".
GAP_NOUNS: tuple[str, ...] = _CLS.gap_nouns
GAP_MAX: int = _CLS.gap_max
CLAUSE_CHARS: frozenset[str] = frozenset(_CLS.clause_chars)
GAP_MEASURE_WORDS: frozenset[str] = frozenset(_CLS.gap_measure_words)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def word_unit_at(s: str, i: int) -> tuple[str, int] | None:
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


def noun_after(s: str, i: int) -> str | None:
    """The short noun a measure word counts when one follows it and ends its clause (30 家參展廠商，)."""
    k = i
    while k < len(s) and k - i < 4 and _CJK.match(s[k]) and s[k] not in CLAUSE_CHARS:
        k += 1
    if k - i >= 2 and (k == len(s) or s[k] in ",;。、):!?」』"):
        return s[i:k]
    return None


def unit_at(s: str, i: int) -> tuple[str, int, str | None] | None:
    """(unit word, its end, the noun before it) for the unit at i: the word itself, or a measure
    word after a short noun phrase (12萬 3,456 網站瀏覽人次; 650 萬以上體驗人次)."""
    u = word_unit_at(s, i)
    if u:
        return u[0], u[1], None
    for noun in GAP_NOUNS:
        if s.startswith(noun, i):
            u2 = word_unit_at(s, i + len(noun))
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
            u3 = word_unit_at(s, k)
            if u3:
                return u3[0], u3[1], s[i:k]
    return None

"""The patterns that make a digit run in the prose something other than a quantity — a date, a
duration, an ordinal, a rank, a ratio — built from the words of ``rules/mention_kinds.toml``, and
the `NumberMention` that records such a run with its kind (``quantities._non_quantity_kind`` applies
the patterns)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import load_mention_kinds
from .word_patterns import SP, words

# The kinds of number mention and the words that give them (rules/mention_kinds.toml).
_KINDS = load_mention_kinds()

# The words after a number that make it a date (年, 月, 日) or a duration (週, 小時, 個月, …).
DATE_WORDS: frozenset[str] = frozenset(_KINDS["date"].after)
DATE_UNITS = re.compile(rf"^{SP}{words(_KINDS['date'].after + _KINDS['duration'].after)}")
SPAN_OF_YEARS = re.compile(rf"^{SP}年{SP}{words(_KINDS['duration'].after_year)}")
YEARS_BELOW: int = _KINDS["duration"].years_below
ORDINAL_BEFORE = re.compile(rf"{words(_KINDS['ordinal'].before)}{SP}$")
# 第 15、16、17 及 19 條: every number of the list is an ordinal
ORDINAL_LIST_BEFORE = re.compile(rf"第{SP}\d+(?:{SP}[、,及和與或]{SP}\d+)*{SP}[、,及和與或]{SP}$")
_CASE = "i" if _KINDS["rank"].any_case else ""
RANK_BEFORE = re.compile(rf"{words(_KINDS['rank'].before, _CASE)}{SP}$")
RANK_AFTER = re.compile(rf"^{SP}{words(_KINDS['rank'].after, _CASE)}")
RATIO_AFTER = re.compile(rf"^{SP}{words(_KINDS['ratio'].between)}{SP}\d")
RATIO_BEFORE = re.compile(rf"\d{SP}{words(_KINDS['ratio'].between)}{SP}$")

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

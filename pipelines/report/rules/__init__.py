"""The language rules as data, one validated loader per rule file.

Every file in this folder starts with a comment saying what a row or entry means and how to add
one. Each loader takes the file's path (the one in ``RULES_DIR`` when None), so a test can load a
changed copy; a malformed file fails with ``RuleError`` naming the file, the line and what is wrong.
Loads are cached per path. The rule files are part of the extractor's fingerprint
(``pipelines/fingerprint.py``, by file stem): changing one re-parses only the stages that read it.

The unit table's loader is in ``units_table.py``; this module holds the others.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .read import RuleError, Toml, decimal_of, read_csv
from .units_table import UnitRules, load_units

__all__ = ["RULES_DIR", "RuleError", "Toml", "decimal_of", "read_csv", "UnitRules", "load_units", "MentionKind",
           "load_mention_kinds", "mention_kinds", "Classifiers", "load_classifiers", "Years", "load_years",
           "Qualifiers", "load_qualifiers",
           "load_outline_words", "load_report_identity", "load_scripts", "load_table_words", "KeywordRule",
           "load_indicator_keywords", "BUDGET_ROLES", "BudgetColumnRules", "load_budget_columns",
           "BUDGET_ROW_KEYS", "load_budget_rows"]

RULES_DIR = Path(__file__).resolve().parent
_KIND = re.compile(r"[a-z][a-z_]*")


def rule_path(path: Path | str | None, name: str) -> Path:
    """The file to read: the one given, else ``name`` in RULES_DIR (looked up at call time)."""
    return Path(path) if path is not None else RULES_DIR / name


# --------------------------------------------------------------------------------------------------
# mention_kinds.toml

@dataclass(frozen=True)
class MentionKind:
    kind: str
    meaning: str
    before: tuple[str, ...] = ()  # words directly before the number
    after: tuple[str, ...] = ()  # words directly after it
    between: tuple[str, ...] = ()  # words between two numbers of the kind
    after_year: tuple[str, ...] = ()  # words after "N 年" that make it a span (duration)
    years_below: int | None = None  # "N 年" with N below this is a span of years
    any_case: bool = False  # Latin words of `before`/`after` match in any case


_KIND_LISTS = ("before", "after", "between", "after_year")
# What pipelines/report/quantities.py reads of each kind it produces (identifier, marker and bare
# are read from the text's shape alone): a file without them cannot describe the extractor.
EXTRACTOR_READS: dict[str, tuple[str, ...]] = {
    "date": ("after",), "duration": ("after", "after_year", "years_below"), "ordinal": ("before",),
    "rank": ("before", "after"), "ratio": ("between",), "identifier": (), "marker": (), "bare": (),
}


def load_mention_kinds(path: Path | str | None = None) -> dict[str, MentionKind]:
    """The kinds of number mention, in file order (mention_kinds.toml: one [table] per kind)."""
    return _mention_kinds(rule_path(path, "mention_kinds.toml"))


@lru_cache(maxsize=None)
def _mention_kinds(path: Path) -> dict[str, MentionKind]:
    toml = Toml(path)
    out: dict[str, MentionKind] = {}
    for kind, entry in toml.data.items():
        if not isinstance(entry, dict):
            toml.fail(kind, None, f"{kind} must be a [table] of one kind")
        line = toml.table_line(kind)
        if not _KIND.fullmatch(kind):
            raise RuleError(path, line, f"kind {kind!r} is not a lowercase word")
        unknown = set(entry) - {"meaning", "years_below", "any_case", *_KIND_LISTS}
        if unknown:
            toml.fail(sorted(unknown)[0], kind, f"[{kind}] unknown key {sorted(unknown)[0]!r}")
        meaning = toml.value("meaning", str, kind)
        lists = {k: tuple(toml.strings(k, kind)) for k in _KIND_LISTS if k in entry}
        below = toml.value("years_below", int, kind) if "years_below" in entry else None
        any_case = toml.value("any_case", bool, kind) if "any_case" in entry else False
        out[kind] = MentionKind(kind, meaning, years_below=below, any_case=any_case, **lists)
    for kind, needed in EXTRACTOR_READS.items():
        if kind not in out:
            raise RuleError(path, None, f"kind {kind!r} missing: the extractor produces it")
        for name in needed:
            if not getattr(out[kind], name):
                raise RuleError(path, toml.table_line(kind), f"[{kind}] {name} missing: the extractor reads it")
    return out


def mention_kinds() -> tuple[str, ...]:
    """The one list of kinds a number mention (a digit run that is not a quantity) can have."""
    return tuple(load_mention_kinds())


# --------------------------------------------------------------------------------------------------
# classifiers.toml

@dataclass(frozen=True)
class Classifiers:
    word_after: dict[str, str]  # one-character measure word -> characters that make it another word
    gap_nouns: tuple[str, ...]
    gap_measure_words: tuple[str, ...]
    gap_max: int
    clause_chars: str


def load_classifiers(path: Path | str | None = None) -> Classifiers:
    return _classifiers(rule_path(path, "classifiers.toml"))


@lru_cache(maxsize=None)
def _classifiers(path: Path) -> Classifiers:
    toml = Toml(path)
    word_after = toml.string_table("word_after")
    for word in word_after:
        if len(word) != 1:
            toml.fail(word, "word_after", f"[word_after] {word!r} is not one character")
    gap_max = toml.value("gap_max", int)
    if gap_max < 2:
        toml.fail("gap_max", None, f"gap_max {gap_max} must be at least 2")
    return Classifiers(dict(word_after), tuple(toml.strings("gap_nouns")), tuple(toml.strings("gap_measure_words")),
                       gap_max, toml.value("clause_chars", str))


# --------------------------------------------------------------------------------------------------
# years.toml

PERIODS = ("year", "academic_year", "fiscal_year")  # what a year's suffix may say (half, quarter, month come after)


@dataclass(frozen=True)
class Years:
    year_suffixes: dict[str, str]  # word after the number -> period
    relative: dict[str, int]  # word -> offset from the report's year
    comparison_before: tuple[str, ...]
    comparison_after_with: tuple[str, ...]
    name_words: tuple[str, ...]
    name_max: int
    relative_not_after: str  # characters before a relative word that make it part of another word
    relative_not_before: str  # characters after it that do


def load_years(path: Path | str | None = None) -> Years:
    return _years(rule_path(path, "years.toml"))


@lru_cache(maxsize=None)
def _years(path: Path) -> Years:
    toml = Toml(path)
    suffixes = toml.string_table("year_suffixes")
    for word, period in suffixes.items():
        if period not in PERIODS:
            toml.fail(word, "year_suffixes",
                      f"[year_suffixes] {word}: unknown period {period!r} (one of {', '.join(PERIODS)})")
    relative = toml.table("relative")
    for word in relative:
        toml.value(word, int, "relative")
    name_max = toml.value("name_max", int)
    return Years(dict(suffixes), dict(relative), tuple(toml.strings("comparison_before")),
                 tuple(toml.strings("comparison_after_with")), tuple(toml.strings("name_words")), name_max,
                 toml.value("relative_not_after", str), toml.value("relative_not_before", str))


# --------------------------------------------------------------------------------------------------
# qualifiers.toml

@dataclass(frozen=True)
class Qualifiers:
    before: tuple[str, ...]  # in file order: the first that matches is the qualifier
    between: tuple[str, ...]
    approximate: frozenset[str]
    cumulative: frozenset[str]
    target: frozenset[str]


def load_qualifiers(path: Path | str | None = None) -> Qualifiers:
    return _qualifiers(rule_path(path, "qualifiers.toml"))


@lru_cache(maxsize=None)
def _qualifiers(path: Path) -> Qualifiers:
    toml = Toml(path)
    unknown = [k for k in toml.data if k not in ("before", "between", "approximate", "cumulative", "target")]
    if unknown:
        toml.fail(unknown[0], None, f"unknown list {unknown[0]!r}")
    meaning = {name: toml.strings(name) for name in ("approximate", "cumulative", "target")}
    for a, b in (("approximate", "cumulative"), ("approximate", "target"), ("cumulative", "target")):
        both = sorted(set(meaning[a]) & set(meaning[b]))
        if both:
            toml.fail(b, None, f"{both[0]!r} is in both {a} and {b}")
    return Qualifiers(tuple(toml.strings("before")), tuple(toml.strings("between")),
                      *(frozenset(meaning[n]) for n in ("approximate", "cumulative", "target")))


# --------------------------------------------------------------------------------------------------
# outline_words.toml, report_identity.toml, scripts.toml, table_words.toml

def load_outline_words(path: Path | str | None = None) -> dict:
    """{"titles": the unnumbered heading words, "untitled_front": the title of prose before them}."""
    return _outline_words(rule_path(path, "outline_words.toml"))


@lru_cache(maxsize=None)
def _outline_words(path: Path) -> dict:
    toml = Toml(path)
    front, back = toml.strings("front"), toml.strings("back")
    both = set(front) & set(back)
    if both:
        toml.fail("back", None, f"{sorted(both)[0]!r} is in both front and back")
    untitled = toml.value("untitled_front", str)
    if untitled not in front:
        toml.fail("untitled_front", None, f"untitled_front {untitled!r} is not one of front")
    return {"titles": frozenset(front) | frozenset(back), "untitled_front": untitled}


def load_report_identity(path: Path | str | None = None) -> dict:
    """{"kinds": [(kind, words)], "agency_suffixes": [...], "title_stop": [...]}."""
    return _report_identity(rule_path(path, "report_identity.toml"))


@lru_cache(maxsize=None)
def _report_identity(path: Path) -> dict:
    toml = Toml(path)
    blocks = toml.value("kinds", list)
    kinds: list[tuple[str, tuple[str, ...]]] = []
    for n, block in enumerate(blocks, start=1):
        line = _nth_line(toml, "[[kinds]]", n)
        if not isinstance(block, dict) or set(block) != {"kind", "words"}:
            raise RuleError(path, line, f"[[kinds]] block {n} must have exactly kind and words")
        words = block["words"]
        if not isinstance(block["kind"], str) or not block["kind"] or not isinstance(words, list) or not words \
                or not all(isinstance(w, str) and w for w in words):
            raise RuleError(path, line, f"[[kinds]] block {n}: kind must be a word and words a list of words")
        if block["kind"] in (k for k, _ in kinds):
            raise RuleError(path, line, f"duplicate kind {block['kind']!r}")
        kinds.append((block["kind"], tuple(words)))
    return {"kinds": kinds, "agency_suffixes": tuple(toml.strings("agency_suffixes")),
            "title_stop": tuple(toml.strings("title_stop"))}


def _nth_line(toml: Toml, marker: str, n: int) -> int | None:
    lines = [i + 1 for i, ln in enumerate(toml.text.splitlines()) if ln.strip() == marker]
    return lines[n - 1] if n <= len(lines) else None


def load_scripts(path: Path | str | None = None) -> tuple[str, str]:
    """(simplified, traditional): the same characters in the two scripts, position for position."""
    return _scripts(rule_path(path, "scripts.toml"))


@lru_cache(maxsize=None)
def _scripts(path: Path) -> tuple[str, str]:
    toml = Toml(path)
    simplified, traditional = toml.value("simplified", str), toml.value("traditional", str)
    if len(simplified) != len(traditional):
        toml.fail("traditional", None, f"simplified has {len(simplified)} characters, traditional {len(traditional)}")
    for s, t in zip(simplified, traditional):
        if s == t or s in traditional or t in simplified:
            toml.fail("traditional", None, f"{s!r}/{t!r}: a character in both scripts says nothing")
    return simplified, traditional


TABLE_WORD_ROLES = ("rate_suffixes", "percent_headers", "count_suffixes", "amount_qualifiers", "total_words",
                    "note_prefixes", "title_suffixes", "non_additive_suffixes")


def load_table_words(path: Path | str | None = None) -> dict[str, list[str]]:
    """Role -> its words (table_words.toml: one list per role of TABLE_WORD_ROLES)."""
    return _table_words(rule_path(path, "table_words.toml"))


@lru_cache(maxsize=None)
def _table_words(path: Path) -> dict[str, list[str]]:
    toml = Toml(path)
    unknown = [k for k in toml.data if k not in TABLE_WORD_ROLES]
    if unknown:
        toml.fail(unknown[0], None, f"unknown role {unknown[0]!r} (one of {', '.join(TABLE_WORD_ROLES)})")
    return {role: list(toml.strings(role)) for role in TABLE_WORD_ROLES}


# --------------------------------------------------------------------------------------------------
# indicator_keywords.csv

@dataclass(frozen=True)
class KeywordRule:
    keyword: str  # whitespace removed, NFKC
    indicator: str  # an indicator, or "ignore"
    priority: int
    note: str = ""


def load_indicator_keywords(path: Path | str | None = None,
                            indicators: tuple[str, ...] | None = None) -> tuple[KeywordRule, ...]:
    """The keyword rules in file order; ``indicators``: the indicator names a row may give."""
    return _indicator_keywords(rule_path(path, "indicator_keywords.csv"), indicators)


@lru_cache(maxsize=None)
def _indicator_keywords(path: Path, indicators: tuple[str, ...] | None) -> tuple[KeywordRule, ...]:
    rules: dict[str, KeywordRule] = {}
    for line, row in read_csv(path, ("keyword", "indicator", "priority", "note")):
        keyword = "".join(unicodedata.normalize("NFKC", row["keyword"]).split())
        indicator = row["indicator"]
        if indicators is not None and indicator not in indicators:
            raise RuleError(path, line, f"unknown indicator {indicator!r} for {keyword!r}")
        if not re.fullmatch(r"\d+", row["priority"]):
            raise RuleError(path, line, f"priority {row['priority']!r} is not a whole number")
        if keyword in rules:
            raise RuleError(path, line, f"duplicate keyword {keyword!r}")
        rules[keyword] = KeywordRule(keyword, indicator, int(row["priority"]), row["note"])
    return tuple(rules.values())


# --------------------------------------------------------------------------------------------------
# budget_columns.toml

BUDGET_ROLES = ("note", "change", "prior_year_actual", "last_year_budget", "this_year_budget")
_BUDGET_TABLES = {*BUDGET_ROLES, "years", "fallback", "labels", "rates"}


@dataclass(frozen=True)
class BudgetColumnRules:
    roles: tuple[tuple[str, frozenset[str], tuple[re.Pattern, ...]], ...]  # (role, equals, patterns), tried in order
    year: re.Pattern  # a level's ROC year: (\d{2,3})年度
    year_budget_words: frozenset[str]  # what follows the year in a budget column (預算數)
    year_actual_words: frozenset[str]  # … in an actual column (決算數)
    fallback_this_year: frozenset[str]
    label_words: tuple[str, ...]
    rate_marks: tuple[str, ...]
    rate_suffixes: tuple[str, ...]


def load_budget_columns(path: Path | str | None = None) -> BudgetColumnRules:
    """The words and patterns of budget-table column headers (budget_columns.toml)."""
    return _budget_columns(rule_path(path, "budget_columns.toml"))


def _squashed(words: list[str]) -> list[str]:
    return ["".join(unicodedata.normalize("NFKC", w).split()) for w in words]


def _patterns(toml: Toml, table: str, key: str) -> tuple[re.Pattern, ...]:
    out = []
    for text in toml.strings(key, table):
        try:
            out.append(re.compile(text))
        except re.error as exc:
            toml.fail(key, table, f"[{table}] {key}: {text!r} is not a regular expression ({exc})")
    return tuple(out)


@lru_cache(maxsize=None)
def _budget_columns(path: Path) -> BudgetColumnRules:
    toml = Toml(path)
    unknown = sorted(set(toml.data) - _BUDGET_TABLES)
    if unknown:
        raise RuleError(path, toml.table_line(unknown[0]) or toml.line_of(unknown[0]),
                        f"unknown table [{unknown[0]}] (one of {', '.join(sorted(_BUDGET_TABLES))})")
    order = [k for k in toml.data if k in BUDGET_ROLES]
    missing = [r for r in BUDGET_ROLES if r not in order]
    if missing:
        raise RuleError(path, None, f"role [{missing[0]}] missing (the roles are {', '.join(BUDGET_ROLES)})")
    roles, owner = [], {}
    for role in order:
        entry = toml.table(role)
        extra = sorted(set(entry) - {"equals", "patterns"})
        if extra:
            toml.fail(extra[0], role, f"[{role}] unknown key {extra[0]!r} (equals, patterns)")
        equals = _squashed(toml.strings("equals", role))
        for word in equals:
            if word in owner:
                toml.fail("equals", role, f"[{role}] {word!r} is already a word of [{owner[word]}]")
            owner[word] = role
        patterns = _patterns(toml, role, "patterns") if "patterns" in entry else ()
        roles.append((role, frozenset(equals), patterns))
    toml.table("years")
    year_text = toml.value("year", str, "years")
    try:
        year = re.compile(year_text)
    except re.error as exc:
        toml.fail("year", "years", f"[years] year: {year_text!r} is not a regular expression ({exc})")
    if year.groups != 1:
        toml.fail("year", "years", f"[years] year: {year_text!r} must have exactly one group (the year's digits)")
    budget, actual = (frozenset(_squashed(toml.strings(k, "years"))) for k in ("budget_words", "actual_words"))
    if budget & actual:
        toml.fail("actual_words", "years", f"[years] {sorted(budget & actual)[0]!r} is in both budget_words and "
                                            "actual_words")
    return BudgetColumnRules(
        roles=tuple(roles), year=year, year_budget_words=budget, year_actual_words=actual,
        fallback_this_year=frozenset(_squashed(toml.strings("this_year_budget", "fallback"))),
        label_words=tuple(_squashed(toml.strings("words", "labels"))),
        rate_marks=tuple(toml.strings("rate_marks", "rates")), rate_suffixes=tuple(toml.strings("rate_suffixes", "rates")))


# --------------------------------------------------------------------------------------------------
# budget_rows.toml

BUDGET_ROW_KEYS = ("numbering_headers", "not_names", "code_headers")


def load_budget_rows(path: Path | str | None = None) -> dict[str, list[str]]:
    """How budget rows nest (budget_rows.toml): key -> its words (NFKC, spaces removed)."""
    return _budget_rows(rule_path(path, "budget_rows.toml"))


@lru_cache(maxsize=None)
def _budget_rows(path: Path) -> dict[str, list[str]]:
    toml = Toml(path)
    unknown = [k for k in toml.data if k not in BUDGET_ROW_KEYS]
    if unknown:
        toml.fail(unknown[0], None, f"unknown key {unknown[0]!r} (one of {', '.join(BUDGET_ROW_KEYS)})")
    out = {}
    for key in BUDGET_ROW_KEYS:
        words = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", w)) for w in toml.strings(key)]
        if not all(words):
            toml.fail(key, None, f"{key}: an empty word")
        out[key] = words
    return out

"""The rule files under pipelines/report/rules: each loads, each loader refuses a malformed file with
a message naming the file, the line and what is wrong, a newcomer's added row takes effect, and the
lists code and suites share agree."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines import fingerprint
from pipelines.report import indicators, quantities, rules, units
from pipelines.report.rules import RULES_DIR, RuleError, mention_kinds

ROOT = Path(__file__).resolve().parents[1]

# One sentence per kind of number mention, producing it.
KIND_EXAMPLES = {
    "date": "101.4.2 開始", "duration": "3 年內完成", "ordinal": "第 3 條", "rank": "前 10 名",
    "ratio": "3 比 1", "identifier": "ISO 14064-2", "marker": "1、推動", "bare": "共有 12 在",
}


def _write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _edited(tmp_path, stem_file: str, old: str, new: str) -> Path:
    """A copy of a real rule file with one piece of text replaced."""
    text = (RULES_DIR / stem_file).read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / stem_file
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(loader, path: Path, what: str, line: int | None = None, **kw) -> str:
    with pytest.raises(RuleError) as err:
        loader(path, **kw)
    message = str(err.value)
    assert path.name in message and what in message, message
    if line is not None:
        assert f"{path.name}:{line}:" in message, message
    assert "\n" not in message
    return message


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if needle in ln and not ln.lstrip().startswith("#"))


# --------------------------------------------------------------------------------------------------
# every real rule file loads, says what it is, and is part of the fingerprint

def test_every_rule_file_loads_and_starts_with_a_header_comment():
    files = sorted(p for p in RULES_DIR.iterdir() if p.suffix in (".csv", ".toml"))
    assert {p.stem for p in files} == {"units", "classifiers", "years", "outline_words", "report_identity",
                                       "scripts", "table_words", "indicator_keywords", "mention_kinds",
                                       "qualifiers", "budget_columns", "budget_rows"}
    for p in files:
        assert p.read_text(encoding="utf-8").startswith("#"), p.name
    loaders = [rules.load_units, rules.load_classifiers, rules.load_years, rules.load_outline_words,
               rules.load_report_identity, rules.load_scripts, rules.load_table_words,
               rules.load_indicator_keywords, rules.load_mention_kinds, rules.load_qualifiers,
               rules.load_budget_columns, rules.load_budget_rows]
    assert all(load() for load in loaders)


def test_every_rule_file_is_read_by_some_stage_of_the_fingerprint():
    read = {stem for spec in fingerprint.STAGES.values() for stem in spec.rules}
    assert read == {p.stem for p in RULES_DIR.iterdir() if p.suffix in (".csv", ".toml")}
    for stem in read:
        assert fingerprint.rule_file(stem).parent == RULES_DIR, stem


def test_factors_are_exact_decimals():
    table = rules.load_units()
    assert table.physical["坪"] == ("area", "m2", Decimal("3.305785"))
    assert table.latin["kg"][2] == Decimal("0.001") and str(table.latin["kg"][2]) == "0.001"
    assert all(isinstance(f, Decimal) for f in table.magnitudes.values())


# --------------------------------------------------------------------------------------------------
# the lists that must agree

def test_mention_kinds_are_exactly_what_the_extractor_produces():
    assert mention_kinds() == tuple(KIND_EXAMPLES)
    for kind, sentence in KIND_EXAMPLES.items():
        assert kind in {m.kind for m in quantities.extract(sentence)[1]}, sentence
    # every kind the code returns is listed (a new `return "x"` in _non_quantity_kind needs its table)
    source = Path(quantities.__file__).read_text(encoding="utf-8")
    body = source.split("def _non_quantity_kind", 1)[1].split("\ndef ")[0]
    assert set(re.findall(r'return "([a-z_]+)"', body)) <= set(mention_kinds())


def test_a_kind_not_listed_cannot_be_produced():
    with pytest.raises(ValueError, match="not in rules/mention_kinds.toml"):
        quantities.NumberMention(0, 1, "1", "name")


def test_the_currency_map_is_written_once():
    table = rules.load_units()
    assert units.CURRENCIES is table.currencies and units.CURRENCY_WORDS is table.currency_words
    assert all(units.CURRENCIES[word] == code for code, word in units.CURRENCY_WORDS.items())
    assert set(units.CURRENCY_WORDS) == set(units.CURRENCIES.values())


def test_qualifiers_come_from_the_rule_file():
    q = rules.load_qualifiers()
    assert quantities.PRE_QUALIFIERS == q.before and indicators.APPROXIMATE_QUALIFIERS == q.approximate
    assert indicators.CUMULATIVE_QUALIFIERS == q.cumulative and indicators.TARGET_QUALIFIERS == q.target
    found, _ = quantities.extract("輔導廠商累計 120 家，投資 3 億餘元")
    assert [(x.text, x.qualifier) for x in found] == [("120 家", "累計"), ("3 億餘元", "餘")]


def test_word_lists_come_from_the_rule_files():
    cls = rules.load_classifiers()
    assert quantities.WORD_AFTER is cls.word_after and quantities.GAP_NOUNS is cls.gap_nouns
    assert units.CLASSIFIERS is rules.load_units().classifiers
    assert set(units.PHYSICAL) >= set(rules.load_units().physical) | set(rules.load_units().latin)
    # the continuations are for one-character unit words of the unit table (臺, 家, 元, 度, 成)
    assert set(cls.word_after) <= set(quantities._UNIT_WORDS) | set(units.PERCENT_FACTORS)
    assert quantities.CHENG_WORD.match("成長") and not quantities.CHENG_WORD.match("成，")
    assert set(cls.gap_measure_words) <= set(units.CLASSIFIERS)


# --------------------------------------------------------------------------------------------------
# a malformed file: one line naming the file, the line and what is wrong

def test_units_malformed(tmp_path):
    load = rules.load_units
    bad = _edited(tmp_path, "units.toml", '"公頃" = ["area", "m2", "10000"]', '"公頃" = ["aera", "m2", "10000"]')
    _refused(load, bad, "unknown dimension 'aera'", _line_of(bad, '"公頃"'))
    bad = _edited(tmp_path, "units.toml", '"公頃" = ["area", "m2", "10000"]', '"公頃" = ["area", "m2", "1,0000"]')
    _refused(load, bad, "factor '1,0000' is not a decimal", _line_of(bad, '"公頃"'))
    bad = _edited(tmp_path, "units.toml", '"坪" = ["area", "m2", "3.305785"]', '"坪" = ["area", "m2", 3.305785]')
    _refused(load, bad, "is not a decimal written as a string", _line_of(bad, '"坪"'))
    bad = _edited(tmp_path, "units.toml", '"公頃" = ["area", "m2", "10000"]', '"公頃" = ["area", "ha", "10000"]')
    _refused(load, bad, "'ha' is not a base unit of area", _line_of(bad, '"公頃"'))
    bad = _edited(tmp_path, "units.toml", '"萬" = "10000"', '"萬" = 10000')
    _refused(load, bad, "factor 10000 is not a decimal", _line_of(bad, '"萬" = 10000'))
    bad = _edited(tmp_path, "units.toml", '"美金" = { code = "USD" }', '"美金" = { code = "usd" }')
    _refused(load, bad, "code 'usd' is not an ISO 4217 code", _line_of(bad, '"美金"'))
    bad = _edited(tmp_path, "units.toml", '"美金" = { code = "USD" }', '"美金" = { code = "USD", implied = true }')
    _refused(load, bad, "USD already implied by", _line_of(bad, '"美元"'))
    bad = _edited(tmp_path, "units.toml", '"公頃" = ["area", "m2", "10000"]',
                  '"公頃" = ["area", "m2", "10000"]\n"公頃" = ["area", "m2", "10000"]')
    _refused(load, bad, "not valid TOML", _line_of(bad, '"公頃"') + 1)
    bad = _edited(tmp_path, "units.toml", 'count_numerators = ["人",', 'count_numerators = ["人們",')
    _refused(load, bad, "'人們' is not one of classifiers")


def test_classifiers_years_and_the_small_files_malformed(tmp_path):
    bad = _edited(tmp_path, "classifiers.toml", '"臺" = ', '"臺灣" = ')
    _refused(rules.load_classifiers, bad, "'臺灣' is not one character", _line_of(bad, '"臺灣" ='))
    bad = _edited(tmp_path, "classifiers.toml", "gap_max = 6", 'gap_max = "6"')
    _refused(rules.load_classifiers, bad, "gap_max must be int", _line_of(bad, "gap_max ="))
    bad = _edited(tmp_path, "years.toml", '"學年度" = "academic_year"', '"學年度" = "school_year"')
    _refused(rules.load_years, bad, "unknown period 'school_year'", _line_of(bad, '"學年度"'))
    bad = _edited(tmp_path, "years.toml", '"去年" = -1', '"去年" = "-1"')
    _refused(rules.load_years, bad, "去年 must be int", _line_of(bad, '"去年"'))
    bad = _edited(tmp_path, "outline_words.toml", 'untitled_front = "前言"', 'untitled_front = "開場"')
    _refused(rules.load_outline_words, bad, "'開場' is not one of front", _line_of(bad, "untitled_front ="))
    bad = _write(tmp_path, "report_identity.toml", """\
        agency_suffixes = ["部"]
        title_stop = ["單位："]

        [[kinds]]
        kind = "施政成果"
        """)
    _refused(rules.load_report_identity, bad, "must have exactly kind and words", 4)
    bad = _write(tmp_path, "scripts.toml", 'simplified = "这们"\ntraditional = "這"\n')
    _refused(rules.load_scripts, bad, "simplified has 2 characters, traditional 1", 2)
    bad = _edited(tmp_path, "qualifiers.toml", 'target = ["預計"', 'target = ["累計"')
    _refused(rules.load_qualifiers, bad, "'累計' is in both cumulative and target", _line_of(bad, "target ="))
    bad = _edited(tmp_path, "qualifiers.toml", 'between = ["餘", "多"', 'between = ["餘", "餘"')
    _refused(rules.load_qualifiers, bad, "between: duplicate '餘'", _line_of(bad, "between ="))
    bad = _edited(tmp_path, "table_words.toml", "total_words = [", "totals_words = [")
    _refused(rules.load_table_words, bad, "unknown role 'totals_words'", _line_of(bad, "totals_words ="))


def test_indicator_keywords_malformed(tmp_path):
    allowed = indicators.INDICATORS + (indicators.IGNORE,)
    head = "# a comment\nkeyword,indicator,priority,note\n"
    load = rules.load_indicator_keywords
    _refused(load, _write(tmp_path, "a.csv", head + "投資,investments,20,typo\n"), "unknown indicator 'investments'",
             3, indicators=allowed)
    _refused(load, _write(tmp_path, "b.csv", head + "投資,investment,high,\n"),
             "priority 'high' is not a whole number", 3, indicators=allowed)
    _refused(load, _write(tmp_path, "c.csv", head + "投資,investment,20,\n投 資,investment,30,\n"),
             "duplicate keyword '投資'", 4, indicators=allowed)
    _refused(load, _write(tmp_path, "d.csv", head + "投資,investment,20\n"), "3 cells, expected 4", 3)
    _refused(load, _write(tmp_path, "e.csv", "keyword,indicator,note\n"), "header is", 1)
    with pytest.raises(ValueError, match="unknown indicator"):  # through indicators.load_rules as well
        indicators.load_rules(tmp_path / "a.csv")


def test_mention_kinds_malformed(tmp_path):
    load = rules.load_mention_kinds
    bad = _write(tmp_path, "a.toml", '[date]\nmeaning = "x"\nafterwards = ["年"]\n')
    _refused(load, bad, "[date] unknown key 'afterwards'", 3)
    bad = _write(tmp_path, "b.toml", '[Date]\nmeaning = "x"\n')
    _refused(load, bad, "kind 'Date' is not a lowercase word", 1)
    bad = _write(tmp_path, "c.toml", '[date]\nmeaning = "x"\nafter = ["年", "年"]\n')
    _refused(load, bad, "after: duplicate '年'", 3)
    bad = _write(tmp_path, "d.toml", '[date]\nafter = ["年"]\n')
    _refused(load, bad, "meaning missing", 1)
    bad = _write(tmp_path, "e.toml", '[date]\nmeaning = "x"\n[date]\nmeaning = "y"\n')
    _refused(load, bad, "not valid TOML", 3)
    bad = _write(tmp_path, "f.toml", '[date]\nmeaning = "x"\nafter = ["年"]\n')
    _refused(load, bad, "kind 'duration' missing: the extractor produces it")
    bad = _edited(tmp_path, "mention_kinds.toml", 'between = ["對", "比", ":", "："]', '')
    _refused(load, bad, "[ratio] between missing: the extractor reads it", _line_of(bad, "[ratio]"))


# --------------------------------------------------------------------------------------------------
# a newcomer edits one file: the extractor reads it

def _extract_with_rules(rules_dir: Path, sentence: str) -> str:
    """Quantities and mentions of a sentence, by an extractor that reads its rules from rules_dir
    (a fresh interpreter: the unit table is read once, at import)."""
    code = textwrap.dedent(f"""\
        from pathlib import Path
        import pipelines.report.rules as rules
        rules.RULES_DIR = Path({str(rules_dir)!r})
        from pipelines.report.quantities import extract
        qs, ms = extract({sentence!r})
        print([(q.text, q.unit.dimension, q.unit.base_unit, str(q.quantity)) for q in qs],
              [(m.text, m.kind) for m in ms])
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_unit_added_to_units_toml_parses(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    before = _extract_with_rules(copy, "新增綠地 5 公畝")
    assert "area" not in before
    toml = copy / "units.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[physical]\n", '[physical]\n"公畝" = ["area", "m2", "100"]\n', 1), encoding="utf-8")
    assert _extract_with_rules(copy, "新增綠地 5 公畝") == "[('5 公畝', 'area', 'm2', '500')] []"


def test_a_non_quantity_pattern_added_to_mention_kinds_toml_is_read(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    assert "duration" not in _extract_with_rules(copy, "歷時 3 個星期完成")
    toml = copy / "mention_kinds.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'after = ["週", ', 'after = ["個星期", "週", ', 1), encoding="utf-8")
    assert _extract_with_rules(copy, "歷時 3 個星期完成") == "[] [('3', 'duration')]"

"""The rule files under pipelines/report/rules: each loads, each loader refuses a malformed file with
a message naming the file, the line and what is wrong, and the lists code and suites share agree."""
from __future__ import annotations

import re

import pytest

from pipelines.report import quantities
from pipelines.report.rules import RULES_DIR, RuleError, load_mention_kinds, mention_kinds

# One sentence per kind of number mention, producing it.
KIND_EXAMPLES = {
    "date": "101.4.2 開始", "duration": "3 年內完成", "ordinal": "第 3 條", "rank": "前 10 名",
    "ratio": "3 比 1", "identifier": "ISO 14064-2", "marker": "1、推動", "bare": "共有 12 在",
}


def _bad(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _raises(loader, path, line: int | None, what: str):
    with pytest.raises(RuleError) as err:
        loader(path)
    message = str(err.value)
    assert path.name in message and what in message, message
    if line is not None:
        assert f"{path.name}:{line}:" in message, message
    assert "\n" not in message


def test_mention_kinds_are_exactly_what_the_extractor_produces():
    assert mention_kinds() == tuple(KIND_EXAMPLES)
    for kind, sentence in KIND_EXAMPLES.items():
        assert kind in {m.kind for m in quantities.extract(sentence)[1]}, sentence
    # every kind the code returns is listed (a new `return "x"` in _non_quantity_kind needs its row)
    source = open(quantities.__file__, encoding="utf-8").read()
    returned = set(re.findall(r'return "([a-z_]+)"', source.split("def _non_quantity_kind", 1)[1].split("\ndef ")[0]))
    assert returned <= set(mention_kinds())


def test_a_kind_not_listed_cannot_be_produced():
    with pytest.raises(ValueError, match="not in rules/mention_kinds.csv"):
        quantities.NumberMention(0, 1, "1", "name")


def test_mention_kinds_malformed(tmp_path):
    head = "# comment\nkind,meaning\n"
    _raises(load_mention_kinds, _bad(tmp_path, "a.csv", head + "date,x\ndate,y\n"), 4, "duplicate kind 'date'")
    _raises(load_mention_kinds, _bad(tmp_path, "b.csv", head + "Date,x\n"), 3, "not a lowercase word")
    _raises(load_mention_kinds, _bad(tmp_path, "c.csv", head + "date\n"), 3, "1 cells, expected 2")
    _raises(load_mention_kinds, _bad(tmp_path, "d.csv", "kind,what\n"), 1, "header is")
    _raises(load_mention_kinds, _bad(tmp_path, "e.csv", head + "date,\n"), 3, "has no meaning")


def test_every_rule_file_has_a_header_comment():
    files = [p for p in RULES_DIR.iterdir() if p.suffix in (".csv", ".toml")]
    assert files
    for p in files:
        assert p.read_text(encoding="utf-8").startswith("#"), p.name

"""The pure rules that read a budget table's rows: a column-ruled body split into rows from its
characters (table_records), a row's code apart from its name and its depth (table_tree), and the
rule file they read (rules/budget_rows.toml)."""
from __future__ import annotations

import pytest

from pipelines.report import rules
from pipelines.report.rules import RuleError
from pipelines.report.table_records import body_rows, is_number
from pipelines.report.table_tree import indent_levels, split_code

H = 10.0  # character height in points


def line(text: str, x: float, top: float, size: float = H) -> list[dict]:
    """One printed line as characters, each a size wide."""
    return [{"text": ch, "x0": x + k * size, "x1": x + (k + 1) * size, "top": top, "bottom": top + size}
            for k, ch in enumerate(text)]


# columns: 款 | name | this year | last year | change | 說明
COLUMNS = [(0, 20), (20, 140), (140, 200), (200, 260), (260, 320), (320, 460)]


def revenue_body() -> list[dict]:
    """合計; 款 2 with its code over its name; a 項 whose note wraps over three lines."""
    chars = line("合計", 30, 100) + line("3,572", 150, 100) + line("3,572", 210, 100) + line("-", 300, 100)
    chars += line("0400000000", 30, 114, 6) + line("2", 5, 124) + line("罰款收入", 30, 124)
    chars += line("1,786", 150, 124) + line("1,786", 210, 124) + line("-", 300, 124)
    chars += line("0408010000", 30, 148, 6) + line("內政部", 30, 158) + line("1,786", 150, 158)
    chars += line("1,786", 210, 158) + line("-", 300, 158)
    chars += line("本年度預算數1,786", 322, 158) + line("千元，係違約之", 322, 170) + line("賠償收入。", 322, 182)
    return chars


def test_a_code_printed_over_its_name_is_one_row_with_it():
    rows = body_rows(revenue_body(), COLUMNS)
    assert [r[1][0] for r in rows] == ["合計", "0400000000\n罰款收入", "0408010000\n內政部"]
    assert [r[0][0] for r in rows] == ["", "2", ""]
    assert [r[2][0] for r in rows] == ["3,572", "1,786", "1,786"]


def test_a_note_wrapped_over_lines_belongs_to_the_row_it_starts_beside():
    rows = body_rows(revenue_body(), COLUMNS)
    assert rows[2][5][0] == "本年度預算數1,786\n千元，係違約之\n賠償收入。"
    assert rows[0][5][0] == rows[1][5][0] == ""


def test_a_wrapped_name_is_no_row_of_its_own():
    cols = [(0, 150), (150, 220)]
    chars = line("05 衛星定位及移動測圖", 2, 100) + line("11,861", 160, 100)
    chars += line("發展計畫", 12, 116) + line("1000 人事費", 12, 132) + line("11", 180, 132)
    rows = body_rows(chars, cols)
    assert [r[0][0] for r in rows] == ["05 衛星定位及移動測圖\n發展計畫", "1000 人事費"]
    assert rows[1][0][1] == pytest.approx(12)  # the indent of the name, for its depth


def test_a_band_without_rows_of_figures_is_not_a_body():
    cols = [(0, 100), (100, 300)]
    assert body_rows(line("項目", 2, 100) + line("說明文字", 102, 100), cols) is None


def test_a_glyph_drawn_twice_is_read_once():
    cols = [(0, 100), (100, 160), (160, 220)]
    bold = line("民政支出", 2, 100) + line("民政支出", 2.3, 100)
    chars = bold + line("10", 110, 100) + line("5", 170, 100) + line("一般行政", 2, 120) + line("8", 110, 120)
    chars += line("3", 170, 120)
    assert [r[0][0] for r in body_rows(chars, cols)] == ["民政支出", "一般行政"]


@pytest.mark.parametrize("label, code, name", [
    ("0400000000 罰款及賠償收入", "0400000000", "罰款及賠償收入"),
    ("1000 人事費", "1000", "人事費"),
    ("05 智慧衛星定位計畫", "05", "智慧衛星定位計畫"),
    ("合計", None, "合計"),
    ("2024 年", None, "2024 年"),
    ("113年度", None, "113年度"),
    ("100 人", None, "100 人"),
])
def test_code_apart_from_name(label, code, name):
    assert split_code(label) == (code, name)


def test_indent_levels_merge_near_positions():
    assert indent_levels([1.7, 10.8, 19.9, 22.2, 29.0, 31.3, 10.8]) == (1.7, 10.8, 19.9, 29.0)


@pytest.mark.parametrize("text, number", [("1,786", True), ("-12", True), ("－", True), ("(382)", True),
                                          ("本年度1,786千元", False), ("0400000000", True), ("合計", False)])
def test_what_a_body_reads_as_a_figure(text, number):
    assert is_number(text) is number


def test_budget_rows_rule_file_refuses_an_unknown_key(tmp_path):
    bad = tmp_path / "budget_rows.toml"
    bad.write_text('# test\nnumbering_headers = ["款"]\nnot_names = []\ncode_headers = []\nnumbring = ["項"]\n',
                   encoding="utf-8")
    with pytest.raises(RuleError, match="budget_rows.toml:5.*unknown key 'numbring'"):
        rules.load_budget_rows(bad)

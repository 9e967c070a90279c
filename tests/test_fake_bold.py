"""Fake bold read once: a glyph drawn again over itself (twice, four times, in one font or two) is
one character, from either engine (pages_lines.dedupe_chars); a real repeat a whole advance away
is kept."""
from __future__ import annotations

from pipelines.report.pages_lines import dedupe_chars


def char(text: str, x: float, top: float = 100.0, size: float = 10.0, font: str = "MingLiU") -> dict:
    return {"text": text, "x0": x, "x1": x + size, "top": top, "bottom": top + size, "size": size,
            "fontname": font}


def test_a_glyph_drawn_twice_at_one_place_is_one_character():
    heading = [char("預", 10), char("預", 10.2), char("算", 20), char("算", 20.3)]
    assert "".join(c["text"] for c in dedupe_chars(heading)) == "預算"


def test_a_glyph_overprinted_in_a_second_font_is_one_character():
    heading = [char("民", 10), char("政", 20), char("民", 10, font="DFKaiShu"), char("政", 20, font="DFKaiShu")]
    assert [c["fontname"] for c in dedupe_chars(heading)] == ["MingLiU", "MingLiU"]


def test_four_copies_a_hair_apart_are_one():
    copies = [char("表", 10 + dx, 100 + dy) for dx, dy in ((0, 0), (0.4, 0), (0, 0.4), (0.4, 0.4))]
    assert len(dedupe_chars(copies)) == 1


def test_real_repeats_stay():
    text = [char("1", 10, size=5), char("1", 15, size=5), char("年", 20), char("年", 30), char(" ", 40), char(" ", 45)]
    assert len(dedupe_chars(text)) == len(text)

"""Printed lines from characters, whichever engine read them, the way pdfplumber builds them.

`CharPage` holds a page's characters (pdfplumber-style dicts: pdfium_chars.read_chars) and the
few page methods the table stage and the line builder call (`chars`, `horizontal_edges`,
`extract_text_lines`, `filter`), so that pdfplumber's own text utilities group the characters
into words and lines: where two engines read the same characters they give the same lines.

`dedupe_chars` reads fake bold once (a glyph drawn two or more times over itself), whichever
engine read the characters: pdfium_chars.read_chars applies it, and pages._Reader.plumber_tables
to pdfplumber's page.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from pdfplumber.utils.text import chars_to_textmap

from .model import TextLine

# Fake bold: a glyph drawn again (twice, four times) at about the same place, to print it heavier.
# A copy is the same text, of the same size within DUPLICATE_SIZE (a share of it), whose box
# starts within DUPLICATE_DISTANCE points of the first copy's, across and down, and within
# DUPLICATE_SHARE of the glyph's own extent (the lesser of its box's width and height): a real
# repeat ("11", "……", two spaces, 年年) sits a whole advance away, however small its font.
DUPLICATE_DISTANCE = 1.0
DUPLICATE_SHARE = 0.5
DUPLICATE_SIZE = 0.05


class CharPage:
    """A page as its characters and horizontal strokes: what a flat page (no box, grid or curve)
    offers the table stage. It has no grid to find; `find_tables` says so."""

    def __init__(self, chars: Sequence[dict], width: float, height: float,
                 horizontal_edges: Sequence[dict] = ()):
        self.chars = list(chars)
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)
        self.horizontal_edges = list(horizontal_edges)
        self.edges = self.horizontal_edges
        self._textmap = None

    def find_tables(self, *args, **kwargs) -> list:
        return []  # no vertical edge or box: pdfplumber's grid finder finds no cell

    def extract_text_lines(self, strip: bool = True, return_chars: bool = True) -> list[dict]:
        if self._textmap is None:
            self._textmap = chars_to_textmap(self.chars, layout_bbox=self.bbox, layout_width=self.width,
                                             layout_height=self.height)
        return self._textmap.extract_text_lines(strip=strip, return_chars=return_chars)

    def filter(self, keep: Callable[[dict], bool]) -> "CharPage":
        return CharPage([c for c in self.chars if keep(c)], self.width, self.height,
                        [e for e in self.horizontal_edges if keep(e)])


def dedupe_chars(chars: Sequence[dict]) -> list[dict]:
    """The characters with the copies of a fake-bold glyph left out: of each cluster of copies
    (they chain: each within reach of one already seen) the first in the given order is kept,
    where it stood. O(n): characters are hashed by text and by cell of 2 x DUPLICATE_DISTANCE,
    and each looks in the 2 x 2 cells nearest it (every point within its reach lies in one)."""
    cell = 2 * DUPLICATE_DISTANCE
    floor, get = math.floor, dict.get
    seen: dict[tuple, list[dict]] = {}
    out: list[dict] = []
    for c in chars:
        x, y, text = c["x0"], c["top"], c["text"]
        fx, fy = x / cell, y / cell
        i, j = floor(fx), floor(fy)
        own = (text, i, j)
        i2 = i - 1 if fx - i < 0.5 else i + 1
        j2 = j - 1 if fy - j < 0.5 else j + 1
        copy = False
        for key in (own, (text, i2, j), (text, i, j2), (text, i2, j2)):
            for other in get(seen, key, ()):
                if _copy_of(c, other):
                    copy = True
                    break
            if copy:
                break
        got = get(seen, own)
        if got is None:
            seen[own] = [c]
        else:
            got.append(c)
        if not copy:
            out.append(c)
    return out


def _reach(c: dict) -> float:
    """How far from a character a copy of it may start (points, across and down)."""
    extent = min(c["x1"] - c["x0"], c["bottom"] - c["top"])
    return min(DUPLICATE_DISTANCE, DUPLICATE_SHARE * (extent if extent > 0 else c.get("size", 0.0)))


def _copy_of(c: dict, other: dict) -> bool:
    """Whether c and `other` (of the same text) are copies of one glyph drawn over each other."""
    near = min(_reach(c), _reach(other))
    a, b = c.get("size", 0.0), other.get("size", 0.0)
    return (near > 0 and abs(c["x0"] - other["x0"]) <= near and abs(c["top"] - other["top"]) <= near
            and c.get("upright", True) == other.get("upright", True)
            and abs(a - b) <= DUPLICATE_SIZE * max(a, b))


def line_of(raw: dict) -> TextLine:
    """One of pdfplumber's text-line dicts (with its chars) -> TextLine."""
    chars = raw.get("chars") or []
    sizes = [c["size"] for c in chars] or [0.0]
    fonts = Counter(c.get("fontname", "") for c in chars)
    turns = Counter(c.get("rotation", 0.0) for c in chars)
    return TextLine(
        text=raw["text"],
        x0=round(raw["x0"], 2),
        x1=round(raw["x1"], 2),
        top=round(raw["top"], 2),
        bottom=round(raw["bottom"], 2),
        size=round(statistics.median(sizes), 2),
        fontname=fonts.most_common(1)[0][0] if fonts else "",
        rotation=turns.most_common(1)[0][0] if turns else 0.0,
        **_char_edges(raw["text"], chars),
    )


def _char_edges(text: str, chars: Sequence[dict]) -> dict:
    """char_x0s/char_x1s for `text`: each letter the box of the character it was read from; a space
    the line builder inserted between two words spans the gap between them. Empty when the
    letters and the characters do not match one for one."""
    x0s: list[float] = []
    x1s: list[float] = []
    k = 0
    for letter in text:
        if k < len(chars) and chars[k].get("text") == letter:
            x0s.append(round(chars[k]["x0"], 2))
            x1s.append(round(chars[k]["x1"], 2))
            k += 1
        elif letter.isspace() and x1s and k < len(chars):
            x0s.append(x1s[-1])
            x1s.append(max(x1s[-1], round(chars[k]["x0"], 2)))
        else:
            return {}
    if k != len(chars):
        return {}
    return {"char_x0s": tuple(x0s), "char_x1s": tuple(x1s)}


def text_lines(page: CharPage) -> tuple[TextLine, ...]:
    """The page's printed lines, top to bottom, blank ones left out."""
    raw = page.extract_text_lines(strip=True, return_chars=True)
    return tuple(line_of(r) for r in raw if r["text"].strip())

"""Printed lines from characters, whichever engine read them, the way pdfplumber builds them.

`CharPage` holds a page's characters (pdfplumber-style dicts: pdfium_chars.read_chars) and the
few page methods the table stage and the line builder call (`chars`, `horizontal_edges`,
`extract_text_lines`, `filter`), so that pdfplumber's own text utilities group the characters
into words and lines: where two engines read the same characters they give the same lines.
"""
from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from pdfplumber.utils.text import chars_to_textmap

from .model import TextLine


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

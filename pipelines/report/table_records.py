"""Rows of a table body that has column rules but no row rules (the usual budget-book table).

Such a body is one tall ruled band: every column's cell holds the whole column.  Its rows are
found here from the text itself, as a reader finds them:

* the characters are grouped into fragments, one per printed line and column;
* an *anchor* line is a line holding a number in a column of numbers (the amounts, and the
  款/項/目/節 numbering printed on the name line): each anchor line starts one row;
* every other fragment joins a row: a fragment of a prose column (說明) continues the row above
  it; a label fragment that is a bare account code belongs to the row below it (the code is
  printed over the name); any other label fragment (a wrapped name) joins the nearer row, the one
  above on a tie.

Pure over character dicts (text, x0, x1, top, bottom); nothing here knows a page.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# A fragment is a number (or a dash for zero) when it matches this, after NFKC and without spaces.
NUMBER = re.compile(r"^[(（]?[+\-−–△▲]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）]?%?$|^[-－—–]$")
# An account code printed on its own line over the row's name.
CODE = re.compile(r"^\d{4,}(?:[-－]\d+)*$")
# A column is a column of numbers when at least this share of its fragments are numbers.
NUMBER_COLUMN_SHARE = 0.8
# Two fragments are on one printed line when their centres are this share of a line height apart.
SAME_LINE = 0.5
# A glyph this share of its height from the same glyph before it is that glyph drawn again.
OVERPRINT = 0.2
# Characters further apart than this share of their height are two words.
WORD_GAP = 0.3
# A body needs this many anchor lines to be read row by row.
MIN_ANCHORS = 2


@dataclass
class Fragment:
    col: int  # index of the column (a box of the band)
    top: float
    bottom: float
    x0: float  # left edge of its first visible character
    text: str
    row: int = -1


def _visible(ch: dict) -> bool:
    return bool(ch["text"].strip()) and ch["text"] != "\u3000"


def fragments(chars: Sequence[dict], columns: Sequence[tuple[float, float]]) -> list[Fragment]:
    """The band's characters as fragments: one per printed line within each column."""
    out: list[Fragment] = []
    for k, (x0, x1) in enumerate(columns):
        inside = sorted((c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1), key=lambda c: c["top"])
        lines: list[list[dict]] = []
        for c in inside:
            if lines and _centre(c) - _centre(lines[-1][0]) <= SAME_LINE * _height(lines[-1][0]):
                lines[-1].append(c)
            else:
                lines.append([c])
        for line in lines:
            line = _once(sorted(line, key=lambda c: c["x0"]))
            shown = [c for c in line if _visible(c)]
            if not shown:
                continue
            out.append(Fragment(k, min(c["top"] for c in shown), max(c["bottom"] for c in shown),
                                shown[0]["x0"], _joined(line)))
    return out


def _once(line: list[dict]) -> list[dict]:
    """A glyph drawn again over itself (fake bold, in the same or another font) is read once."""
    out: list[dict] = []
    for c in line:
        if out and c["text"] == out[-1]["text"] and abs(c["x0"] - out[-1]["x0"]) < OVERPRINT * _height(c):
            continue
        out.append(c)
    return out


def _joined(line: list[dict]) -> str:
    """A line's characters left to right, a space where they stand apart (05 智慧…, 1000 人事費)."""
    out, last = "", None
    for c in line:
        if last is not None and c["x0"] - last["x1"] > WORD_GAP * _height(c) and not out.endswith(" "):
            out += " "
        out += c["text"]
        last = c
    return out.strip().strip("\u3000").strip()


def _centre(c) -> float:
    return (c["top"] + c["bottom"]) / 2


def _height(c) -> float:
    return max(c["bottom"] - c["top"], 1.0)


def is_number(text: str) -> bool:
    return bool(NUMBER.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))))


def number_columns(frags: Sequence[Fragment]) -> set[int]:
    by_col: dict[int, list[bool]] = {}
    for f in frags:
        by_col.setdefault(f.col, []).append(is_number(f.text))
    return {c for c, flags in by_col.items() if sum(flags) >= NUMBER_COLUMN_SHARE * len(flags)}


def _lines(frags: Sequence[Fragment]) -> list[list[Fragment]]:
    """Fragments grouped into printed lines across columns, top to bottom."""
    out: list[list[Fragment]] = []
    for f in sorted(frags, key=lambda f: (f.top + f.bottom) / 2):
        mid = (f.top + f.bottom) / 2
        if out:
            last = out[-1][0]
            if abs(mid - (last.top + last.bottom) / 2) <= SAME_LINE * max(last.bottom - last.top, 1.0):
                out[-1].append(f)
                continue
        out.append([f])
    return out


def assign_rows(frags: list[Fragment], label_cols: set[int]) -> int:
    """Give every fragment its row (Fragment.row); returns the number of rows, 0 when the band is
    not a body of rows (fewer than MIN_ANCHORS anchor lines).

    label_cols: the columns left of the first column of amounts (codes, names, numbering)."""
    numeric = number_columns(frags)
    lines = _lines(frags)
    anchors = [i for i, line in enumerate(lines)
               if any(f.col in numeric and f.col not in label_cols and is_number(f.text) for f in line)]
    if len(anchors) < MIN_ANCHORS:
        return 0
    # Numbering columns (款/項/目/節) hold numbers on the name line only: they anchor too.
    anchors = [i for i, line in enumerate(lines) if any(f.col in numeric and is_number(f.text) for f in line)]
    lead = 1 if any(f.col not in label_cols and f.col not in numeric
                    for line in lines[:anchors[0]] for f in line) else 0
    row_of_line = {a: k + lead for k, a in enumerate(anchors)}
    for i, line in enumerate(lines):
        above = max((a for a in anchors if a <= i), default=None)
        below = min((a for a in anchors if a > i), default=None)
        for f in line:
            if i in row_of_line:
                f.row = row_of_line[i]
            elif f.col in label_cols or f.col in numeric:
                f.row = _label_row(f, i, above, below, lines, row_of_line, label_cols)
    _note_runs(frags, lines, row_of_line, label_cols | numeric)
    return len(anchors) + lead


def _label_row(f, i, above, below, lines, row_of_line, label_cols) -> int:
    """A label line that is not on an anchor line: a bare code belongs to the row below (printed
    over its name); a wrapped name to the nearer row, the one above unless it is clearly farther."""
    if below is not None and (above is None or CODE.match(re.sub(r"\s+", "", f.text))):
        return row_of_line[below]
    if below is None:
        return row_of_line[above]
    up_edge = max(g.bottom for j in range(above, i) for g in lines[j] if g.col in label_cols or j == above)
    gap_up = f.top - up_edge
    gap_down = min(g.top for g in lines[below]) - f.bottom
    return row_of_line[above] if gap_up <= 1.5 * gap_down + 1.0 else row_of_line[below]


def _note_runs(frags, lines, row_of_line, not_notes) -> None:
    """Prose columns (說明): a paragraph belongs to the row it starts beside, also where it runs on
    beside that row's children.  A new paragraph starts after white space, or on a row's line when
    the line before ended a sentence and the row is not a child of the paragraph's row."""
    line_of = {id(f): i for i, line in enumerate(lines) for f in line}
    indent = {row_of_line[i]: _level(line, not_notes) for i, line in enumerate(lines) if i in row_of_line}
    anchors = sorted(row_of_line)
    by_col: dict[int, list[Fragment]] = {}
    for f in frags:
        if f.col not in not_notes:
            by_col.setdefault(f.col, []).append(f)
    for col_frags in by_col.values():
        prev, cur = None, 0
        for f in sorted(col_frags, key=lambda g: g.top):
            i = line_of[id(f)]
            here = row_of_line.get(i)
            gap = f.top - prev.bottom if prev is not None else None
            white = gap is None or gap > SAME_LINE * max(f.bottom - f.top, 1.0) * 2
            ended = prev is not None and prev.text.rstrip().endswith(SENTENCE_END)
            if white or (here is not None and ended and not _deeper(indent.get(here), indent.get(cur))):
                above = max((a for a in anchors if a <= i), default=None)
                cur = here if here is not None else (row_of_line[above] if above is not None else 0)
            f.row = cur
            prev = f


SENTENCE_END = ("。", "；", ";", ".")


def _level(line, label_cols) -> tuple[int, float] | None:
    """Where a row's label starts: (its first label column, its left edge)."""
    own = sorted((f for f in line if f.col in label_cols and not is_number(f.text)), key=lambda f: f.col)
    return (own[0].col, own[0].x0) if own else None


def _deeper(level, parent_level) -> bool:
    if level is None or parent_level is None:
        return False
    return level[0] > parent_level[0] or (level[0] == parent_level[0] and level[1] > parent_level[1] + 2.0)


def row_texts(frags: Sequence[Fragment], n_rows: int, n_cols: int) -> list[list[tuple[str, float | None]]]:
    """(text, left edge of its first line) of each (row, column), lines joined by newlines."""
    cells: list[list[list[Fragment]]] = [[[] for _ in range(n_cols)] for _ in range(n_rows)]
    for f in frags:
        cells[f.row][f.col].append(f)
    out = []
    for row in cells:
        out.append([("\n".join(g.text for g in sorted(fs, key=lambda g: g.top)),
                     min((g.x0 for g in fs if not CODE.match(g.text)), default=min((g.x0 for g in fs), default=None)))
                    if fs else ("", None) for fs in row])
    return out


def body_rows(chars: Sequence[dict], columns: Sequence[tuple[float, float]]):
    """The rows of a column-ruled body: a list of rows, each a list of (text, x0) per column, or
    None when the band is not such a body."""
    frags = fragments(chars, columns)
    if not frags:
        return None
    numeric = number_columns(frags)
    # the label: the first column of text with amounts right of it; none (-1) in the right half of
    # a table printed over a spread, its labels on the left half
    first_text = min((c for c in range(len(columns)) if c not in numeric and any(f.col == c for f in frags)
                      and any(n > c for n in numeric)), default=-1)
    first_amount = min((c for c in numeric if c > first_text), default=None)
    if first_amount is None:
        return None
    label_cols = {c for c in range(first_amount) if c not in numeric or _narrow_numbering(frags, c)}
    n = assign_rows(frags, label_cols)
    if not n:
        return None
    return row_texts(frags, n, len(columns))


def _narrow_numbering(frags: Sequence[Fragment], col: int) -> bool:
    """A numbering column (款/項/目/節): short integers only."""
    texts = [f.text for f in frags if f.col == col]
    return bool(texts) and all(re.fullmatch(r"\d{1,3}", t.strip()) for t in texts)

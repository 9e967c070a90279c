"""Tables whose columns are aligned by white space: inside a booktabs frame (a rule above and
one under the table, maybe one under the header) or with no rules at all.

Pure over character dicts (text, x0, x1, top, bottom), so any character source can feed it:

* `aligned_blocks(chars)` finds runs of >= MIN_ROWS consecutive printed lines that each have a
  wide gap inside and share column gaps (prose never has gaps of several ems inside a line);
* `spans_of_lines(lines, cuts)` turns such lines into cells: one row per line, a header text
  running over a column gap becomes a merged cell over the columns it covers (本年度 over
  金額 and 比率).
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from .table_lattice import Span

MIN_ROWS = 3  # a rule-less table has at least this many aligned rows ...
MIN_COLS = 2  # ... of at least this many columns
GAP_EM = 1.5  # a column gap is at least this many character heights of white space
CENTRED = 0.15  # a group heading's centre is this close (share of the sub-headings' spread) to theirs
LINE_GAP = 1.2  # consecutive rows of one table are at most this many line heights apart
SPACE_EM = 0.2  # a gap this share of a character's height inside a cell is a space
SAME_LINE = 0.5  # characters whose tops differ by less than this share of their height share a line
# A title or unit line (表3 …   單位：千元) is spread over the width too, but is no table row.
TITLE_OR_UNIT = re.compile(r"單\s*位\s*[:：]|^\s*(附\s*表|表\s*[\d一二三四五六七八九十])")


def lines_of(chars: Sequence[dict]) -> list[list[dict]]:
    """Characters grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[dict]] = []
    for c in sorted((c for c in chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"])):
        if lines and abs(c["top"] - lines[-1][0]["top"]) <= SAME_LINE * (c["bottom"] - c["top"]):
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _height(line: list[dict]) -> float:
    return statistics.median(c["bottom"] - c["top"] for c in line) or 10.0


def segments(line: list[dict], gap: float) -> list[tuple[float, float]]:
    """x-intervals of a line's text, cut where the white space is at least `gap` wide."""
    out: list[list[float]] = []
    for c in line:
        if out and c["x0"] - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], c["x1"])
        else:
            out.append([c["x0"], c["x1"]])
    return [(a, b) for a, b in out]


def column_cuts(lines: list[list[dict]], gap: float) -> list[float]:
    """x positions between columns: gaps (>= `gap`) free of text in a strict majority of the lines,
    cut in the middle of where they are free in the most lines."""
    x0 = min(c["x0"] for line in lines for c in line)
    x1 = max(c["x1"] for line in lines for c in line)
    step = 0.5
    n = int((x1 - x0) / step) + 2
    free = [0] * n
    for line in lines:
        busy = [False] * n
        for a, b in segments(line, 0.3 * gap):
            for i in range(int((a - x0) / step), min(n, int((b - x0) / step) + 1)):
                busy[i] = True
        for i in range(n):
            free[i] += not busy[i]
    need = len(lines) // 2 + 1
    cuts, start = [], None
    for i in range(n + 1):
        ok = i < n and free[i] >= need and x0 + i * step < x1
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            cut = _cut_in(free, start, i, n, step, gap)
            if cut is not None:
                cuts.append(x0 + cut)
            start = None
    return cuts


def _cut_in(free: list[int], start: int, stop: int, n: int, step: float, gap: float) -> float | None:
    """Where to cut in a free run [start, stop): the middle of its freest stretch.  A run touching
    the text's left or right edge is a margin, unless a stretch inside it is free in more lines
    than the edge (a column blank under group names, such as a 鄉鎮 printed once per group)."""
    best = max(free[start:stop])
    idx = [k for k in range(start, stop) if free[k] == best]
    lo = hi = idx[0]
    for k in idx:  # the first contiguous stretch at the best level
        if k > hi + 1:
            break
        hi = k
    left, right = start == 0, stop >= n - 1
    at_edge = left or right
    if (left and (free[start] >= best or lo == start)) or (right and (free[stop - 1] >= best or hi == stop - 1)):
        return None
    if (stop - start if not at_edge else hi - lo + 1) * step < gap:
        return None
    return step * (lo + hi) / 2


def _col(x: float, cuts: list[float]) -> int:
    return sum(x > cut for cut in cuts)


def _text(chars: list[dict]) -> str:
    """Characters of a cell, with a space where the print leaves one (第 1 期)."""
    out, prev = "", None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > SPACE_EM * (c["bottom"] - c["top"]):
            out += " "
        out += c["text"]
        prev = c
    return out


def _header_lines(lines: list[list[dict]]) -> int:
    """Lines above the first one holding a number."""
    for r, line in enumerate(lines):
        if any(c["text"].isdigit() for c in line):
            return max(r, 1)
    return 1


def _heading_columns(a: float, b: float, cuts: list[float]) -> tuple[int, int]:
    """Columns a header text covers: those it overlaps, and both sides of a boundary it is centred
    on (a group heading over two columns may be narrower than them)."""
    c0, c1 = _col(a, cuts), _col(b, cuts) + 1
    mid, half = (a + b) / 2, (b - a) / 2
    for k, cut in enumerate(cuts):
        if abs(mid - cut) <= half:
            c0, c1 = min(c0, k), max(c1, k + 2)
    return c0, c1


def _group_columns(a: float, b: float, below: list[tuple[float, float]], cuts: list[float]):
    """A group heading is centred over its sub-headings (本年度 over 金額 and 比率): the run of >= 2
    consecutive sub-headings on the next header line whose outer centres it sits between, in the
    middle (within CENTRED of their spread).  None when no run fits."""
    mid = (a + b) / 2
    best = None
    for i in range(len(below)):
        for j in range(i + 1, min(len(below), i + 4)):
            ci, cj = sum(below[i]) / 2, sum(below[j]) / 2
            off = abs((ci + cj) / 2 - mid)
            if off <= CENTRED * (cj - ci) and (best is None or off < best[0]):
                best = (off, _col(ci, cuts), _col(cj, cuts) + 1)
    return best[1:] if best else None


def spans_of_lines(lines: list[list[dict]], cuts: list[float], gap: float) -> tuple[Span, ...]:
    """One row per line; each text segment is a cell over the columns it covers."""
    out: list[Span] = []
    heads = _header_lines(lines)
    for r, line in enumerate(lines):
        used: set[int] = set()
        below = segments(lines[r + 1], 0.3 * gap) if r + 1 < heads else []
        for a, b in segments(line, 0.3 * gap):
            c0, c1 = _heading_columns(a, b, cuts) if r < heads else (_col(a, cuts), _col(b, cuts) + 1)
            group = _group_columns(a, b, below, cuts) if below else None
            if group and c1 - c0 < group[1] - group[0]:
                c0, c1 = group
            text = _text([c for c in line if a <= c["x0"] and c["x1"] <= b + 0.01])
            c0 = min(c0, c1 - 1)
            if any(c in used for c in range(c0, c1)):  # two segments in one column: one cell
                prev = next(s for s in reversed(out) if s[0] == r and s[2] <= c0 < s[3])
                out.remove(prev)
                out.append((r, r + 1, prev[2], max(prev[3], c1), prev[4] + " " + text))
            else:
                out.append((r, r + 1, c0, c1, text))
            used.update(range(c0, c1))
        for c in range(len(cuts) + 1):
            if c not in used:
                out.append((r, r + 1, c, c + 1, ""))
    return tuple(sorted(out, key=lambda s: (s[0], s[2])))


def _gappy(line: list[dict]) -> bool:
    if TITLE_OR_UNIT.search("".join(c["text"] for c in line)):
        return False
    return len(segments(line, GAP_EM * _height(line))) >= MIN_COLS


def aligned_blocks(chars: Sequence[dict], whole: bool = False):
    """(bbox, spans) of every run of aligned lines that reads as a table.  whole: the characters
    are one table's (inside its frame), every line is a row, gappy or not."""
    lines = lines_of(chars)
    if whole:
        table = _block(lines)
        return [table] if table else []
    out = []
    run: list[list[dict]] = []
    for line in lines + [None]:
        if line is not None and _gappy(line) and (not run or _close(run[-1], line)):
            run.append(line)
            continue
        table = _block(run)
        if table:
            out.append(table)
        run = [line] if line is not None and _gappy(line) else []
    return out


def _close(a: list[dict], b: list[dict]) -> bool:
    h = max(_height(a), _height(b))
    return min(c["top"] for c in b) - max(c["bottom"] for c in a) <= LINE_GAP * h + h


def _block(run: list[list[dict]]):
    if len(run) < MIN_ROWS:
        return None
    gap = GAP_EM * statistics.median(_height(line) for line in run)
    cuts = column_cuts(run, gap)
    if len(cuts) + 1 < MIN_COLS:
        return None
    # Every line below the first (the header may hold group headings) keeps to the columns.
    for line in run[1:]:
        if any(_col(a, cuts) != _col(b, cuts) for a, b in segments(line, 0.3 * gap)):
            return None
    bbox = (min(c["x0"] for line in run for c in line), min(c["top"] for c in run[0]),
            max(c["x1"] for line in run for c in line), max(c["bottom"] for c in run[-1]))
    return bbox, spans_of_lines(run, cuts, gap)

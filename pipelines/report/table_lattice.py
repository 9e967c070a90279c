"""Ruled grids as a lattice of elementary cells, merged where no rule separates them.

pdfplumber's table finder locates a ruled grid, but it drops a merged cell whose corners are not
all rule crossings (a 鄉鎮 name spanning its 村里 rows): that cell comes back as None.  Here the
grid's rules are read directly: column and row boundaries are the x / y positions of the rules
inside the table's box (double rules collapse into one), two neighbouring elementary cells are
one cell when no rule runs between them, and each merged cell's text is the characters whose
centre lies in its box.  Pure over plain dicts (edges and chars with x0/x1/top/bottom), so any
character source can feed it.
"""
from __future__ import annotations

from collections.abc import Sequence

# Rules closer than this (points) are one boundary: double rules, rectangle outlines.
SNAP = 3.0
# A rule separates two cells when it covers this share of their common side.
COVER = 0.6
# Boundaries closer than this are no cell (a double rule's two strokes).
MIN_CELL = 4.0

Span = tuple[int, int, int, int, str]  # row0, row1 (exclusive), col0, col1 (exclusive), text


def _cluster(values: Sequence[float]) -> list[float]:
    """Sorted positions, neighbours within SNAP merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(segments: list[tuple[float, float]], a: float, b: float) -> bool:
    """Do these 1-D segments cover at least COVER of [a, b]?"""
    total = 0.0
    for s0, s1 in segments:
        total += max(0.0, min(b, s1) - max(a, s0))
    return total >= COVER * (b - a)


def _segments_at(edges: list[dict], pos: float, horizontal: bool) -> list[tuple[float, float]]:
    key = "top" if horizontal else "x0"
    lo, hi = ("x0", "x1") if horizontal else ("top", "bottom")
    return [(e[lo], e[hi]) for e in edges if abs(e[key] - pos) <= SNAP]


def lattice(edges: Sequence[dict], bbox: tuple[float, float, float, float]):
    """(xs, ys, hsegs, vsegs): boundaries of the grid in bbox and the rule segments on each."""
    x0, top, x1, bottom = bbox
    inside = [e for e in edges if e["x0"] >= x0 - SNAP and e["x1"] <= x1 + SNAP
              and e["top"] >= top - SNAP and e["bottom"] <= bottom + SNAP]
    hor = [e for e in inside if e.get("orientation") == "h" or e["bottom"] - e["top"] < 1]
    ver = [e for e in inside if e not in hor]
    xs = [x for x in _cluster([e["x0"] for e in ver] + [x0, x1]) if True]
    ys = _cluster([e["top"] for e in hor] + [top, bottom])
    xs = _drop_thin(xs)
    ys = _drop_thin(ys)
    hsegs = [_segments_at(hor, y, True) for y in ys]
    vsegs = [_segments_at(ver, x, False) for x in xs]
    return xs, ys, hsegs, vsegs


def _drop_thin(bounds: list[float]) -> list[float]:
    out: list[float] = []
    for b in bounds:
        if out and b - out[-1] < MIN_CELL:
            continue
        out.append(b)
    return out


def merged_cells(xs, ys, hsegs, vsegs) -> list[tuple[int, int, int, int]]:
    """Rectangles of elementary cells joined where no rule separates them (union-find)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(vsegs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not _covered(hsegs[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    out = []
    for cells in groups.values():
        rs, cs = [r for r, _ in cells], [c for _, c in cells]
        box = (min(rs), max(rs) + 1, min(cs), max(cs) + 1)
        if (box[1] - box[0]) * (box[3] - box[2]) == len(cells):
            out.append(box)
        else:  # not a rectangle (boxes drawn inside a cell): one piece per row, so no text is read twice
            out.extend(_row_runs(cells))
    return sorted(out, key=lambda b: (b[0], b[2]))


def _row_runs(cells: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    out = []
    for r in sorted({r for r, _ in cells}):
        cs = sorted(c for rr, c in cells if rr == r)
        start = prev = cs[0]
        for c in cs[1:] + [None]:
            if c is None or c != prev + 1:
                out.append((r, r + 1, start, prev + 1))
                start = c
            prev = c if c is not None else prev
    return out


def span_text(chars: Sequence[dict], box: tuple[float, float, float, float]) -> str:
    """The text of the characters whose centre lies in box, lines joined by newlines."""
    from pdfplumber.utils import extract_text

    x0, top, x1, bottom = box
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    return extract_text(inside) if inside else ""


def grid_spans(edges: Sequence[dict], chars: Sequence[dict], bbox) -> tuple[Span, ...]:
    """Every merged cell of the ruled grid in bbox with its text."""
    xs, ys, hsegs, vsegs = lattice(edges, bbox)
    if len(xs) < 2 or len(ys) < 2:
        return ()
    out = []
    for r0, r1, c0, c1 in merged_cells(xs, ys, hsegs, vsegs):
        out.append((r0, r1, c0, c1, span_text(chars, (xs[c0], ys[r0], xs[c1], ys[r1]))))
    return tuple(out)


def spans_from_rows(rows: Sequence[Sequence[str | None]]) -> tuple[Span, ...]:
    """1x1 spans of a plain cell grid (None cells become empty ones)."""
    return tuple((r, r + 1, c, c + 1, cell or "") for r, row in enumerate(rows) for c, cell in enumerate(row))

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

from collections import Counter
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
    """Every merged cell of the ruled grid in bbox with its text (see grid_cells)."""
    return grid_cells(edges, chars, bbox)[0]


def grid_cells(edges: Sequence[dict], chars: Sequence[dict], bbox) -> tuple[tuple[Span, ...], tuple[float | None, ...]]:
    """Every merged cell of the ruled grid in bbox with its text, and the indent of each cell's text
    (its first line's left edge from the cell's left rule; None when not measured).

    A ruled band that holds several rows without rules between them is split into its rows: a
    column-ruled body (codes, names, amounts and notes aligned on baselines, table_records), or
    records parted by white space (_record_cuts)."""
    xs, ys, hsegs, vsegs = lattice(edges, bbox)
    if len(xs) < 2 or len(ys) < 2:
        return (), ()
    boxes = merged_cells(xs, ys, hsegs, vsegs)
    body = _column_ruled_body(xs, ys, boxes, chars)
    if body is not None:
        return body
    ys, boxes = _split_spaced_rows(xs, ys, boxes, chars)
    spans = tuple((r0, r1, c0, c1, span_text(chars, (xs[c0], ys[r0], xs[c1], ys[r1]))) for r0, r1, c0, c1 in boxes)
    return spans, (None,) * len(spans)


def _bands(ys, boxes) -> list[tuple[int, int, bool]]:
    """Row bands (first row, end row, whole): a band is whole when every cell in it spans it."""
    bands, r = [], 0
    while r < len(ys) - 1:
        touching = {(b[0], b[1]) for b in boxes if b[0] <= r < b[1]}
        (a, z), = touching if len(touching) == 1 else ((r, r + 1),)
        whole = len(touching) == 1 and a == r
        bands.append((r, z if whole else r + 1, whole))
        r = z if whole else r + 1
    return bands


def _column_ruled_body(xs, ys, boxes, chars):
    """(spans, indents) when the rows below the header are a column-ruled body
    (table_records.body_rows); None when they are not."""
    from .table_records import body_rows

    region = _body_region(len(xs) - 1, boxes)
    if region is None:
        return None
    a, z = region
    inside = [c for c in chars if c["text"].strip() and ys[a] < (c["top"] + c["bottom"]) / 2 < ys[z]
              and xs[0] <= (c["x0"] + c["x1"]) / 2 <= xs[-1]]
    rows = body_rows(inside, [(xs[c], xs[c + 1]) for c in range(len(xs) - 1)])
    if not rows:
        return None
    shift = len(rows) - (z - a)
    spans: list[Span] = []
    indents: list[float | None] = []
    for r0, r1, c0, c1 in boxes:
        if r0 >= a and r1 <= z:
            continue
        moved = (r0, r1) if r1 <= a else (r0 + shift, r1 + shift)
        spans.append(moved + (c0, c1, span_text(chars, (xs[c0], ys[r0], xs[c1], ys[r1]))))
        indents.append(None)
    for k, row in enumerate(rows):
        for c, (text, x0) in enumerate(row):
            spans.append((a + k, a + k + 1, c, c + 1, text))
            indents.append(None if x0 is None else round(x0 - xs[c], 1))
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][2]))
    return tuple(spans[i] for i in order), tuple(indents[i] for i in order)


def _body_region(n_cols: int, boxes) -> tuple[int, int] | None:
    """The rows (first, end) below the header that most columns fill with one cell each, no rule
    between their rows: the body of a column-ruled table.  A column may be cut by a box drawn
    around a name inside it; no cell may cross the region's edges."""
    tall = Counter((b[0], b[1]) for b in boxes if b[3] - b[2] == 1 and b[1] - b[0] >= 1 and b[0] > 0)
    if not tall:
        return None
    (a, z), count = max(tall.items(), key=lambda kv: (kv[1], kv[0][1] - kv[0][0]))
    if count * 2 < n_cols or any(b[0] < a < b[1] or b[0] < z < b[1] for b in boxes):
        return None
    if any(b[3] - b[2] > 1 for b in boxes if a <= b[0] and b[1] <= z):
        return None
    return a, z


# Records inside one ruled row are parted by a white band at least this share of a character high,
# free of text in every column ...
RECORD_GAP = 0.3
# ... and every record has text in the first column and in another one (a wrapped cell does not).


def _split_spaced_rows(xs, ys, boxes, chars):
    """Split each band of rows that every cell spans whole (a ruled row holding several records)
    at its record gaps.  Returns the new row boundaries and boxes."""
    bands = _bands(ys, boxes)
    new_ys, index, pieces = [ys[0]], {0: 0}, {}
    for a, z, whole in bands:
        cuts = _record_cuts(xs, ys[a], ys[z], chars) if whole and a > 0 else []
        if cuts:
            pieces[a] = (len(new_ys) - 1, len(cuts) + 1)
            new_ys.extend(cuts + [ys[z]])
        else:
            new_ys.extend(ys[a + 1:z + 1])
        for k in range(a + 1, z + 1):
            index[k] = len(new_ys) - 1 - (z - k) if not cuts else len(new_ys) - 1
    out = []
    for b in boxes:
        if b[0] in pieces and b[1] == next(z for a, z, _ in bands if a == b[0]):
            first, n = pieces[b[0]]
            out.extend((first + k, first + k + 1, b[2], b[3]) for k in range(n))
        else:
            out.append((index[b[0]], index[b[1]], b[2], b[3]))
    return new_ys, sorted(out, key=lambda b: (b[0], b[2]))


def _record_cuts(xs, top: float, bottom: float, chars) -> list[float]:
    """White bands across every column of a ruled row that part records (see RECORD_GAP)."""
    inside = [c for c in chars if c["text"].strip() and top < (c["top"] + c["bottom"]) / 2 < bottom]
    if len(inside) < 4:
        return []
    sizes = sorted(c["bottom"] - c["top"] for c in inside)
    em = sizes[len(sizes) // 2]
    inside = [c for c in inside if c["bottom"] - c["top"] <= 2 * em]  # a watermark letter is no text line
    spans = sorted((c["top"], c["bottom"]) for c in inside)
    cuts, reach = [], spans[0][1]
    for t, b in spans[1:]:
        if t - reach >= RECORD_GAP * em:
            cuts.append((reach + t) / 2)
        reach = max(reach, b)
    if not cuts:
        return []
    bounds = [top] + cuts + [bottom]
    for a, b in zip(bounds, bounds[1:]):
        cols = {sum((c["x0"] + c["x1"]) / 2 > x for x in xs[1:-1]) for c in inside if a < c["top"] < b}
        if 0 not in cols or len(cols) < 2:
            return []
    return cuts


def spans_from_rows(rows: Sequence[Sequence[str | None]]) -> tuple[Span, ...]:
    """1x1 spans of a plain cell grid (None cells become empty ones)."""
    return tuple((r, r + 1, c, c + 1, cell or "") for r, row in enumerate(rows) for c, cell in enumerate(row))

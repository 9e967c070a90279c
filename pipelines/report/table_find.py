"""Finding ruled tables on one pdfplumber page, while the page is parsed.

`find_raw_tables(page)` returns `RawTable`s: first the ruled grids pdfplumber's own finder sees
(``strategy="lines"``), then tables whose rows are separated by horizontal rules only, with no
vertical lines (``strategy="horizontal"``, see `_horizontal_tables`).  Each table carries the 1-2
text lines printed directly above it (its caption).  `outside_tables(page, tables)` gives the page
without the tables' contents so the prose extractor does not read table cells as sentences.

Building table and cell records across pages from these is `tables.build_tables`.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence

from .model import RawTable
from . import table_space
from .table_bands import band_above, band_below
from .table_lattice import grid_cells, spans_from_rows
from .tables import TABLE_LABEL, UNIT_LINE, caption_unit, clean_cell, nfkc

MIN_RULE_LENGTH = 40.0  # points; shorter horizontal strokes are underlines, not table rules
SAME_Y = 2.0  # rules closer than this are one rule (double strokes, thin filled rectangles)
SAME_X = 6.0  # rules whose ends are this close span "the same" x-range
FLUSH = 1.0  # text starting within this of a rule's left end is flush with it
HEADER_BAND = 60.0  # points: the most a booktabs header (top rule to header rule) is high
BOOKTABS_RULES = 4  # a ruled table with this many rules or fewer, and unruled rows, is booktabs


def find_raw_tables(page) -> list[RawTable]:
    """Every ruled table on a pdfplumber page, top to bottom.

    Grids come from pdfplumber's default (lines) finder.  Tables drawn with horizontal rules
    only are looked for among the rules not belonging to a grid.  Tables need >= 2 rows and
    >= 2 columns with some text.
    """
    found: list[tuple[tuple[float, float, float, float], tuple[tuple[str | None, ...], ...], str]] = []
    forms: dict[int, tuple] = {}  # a ruled line of fields, read as label row over value row
    for table in page.find_tables():
        rows = tuple(tuple(cell for cell in row) for row in table.extract())
        bbox = _open_sides(page, tuple(table.bbox))
        form = _form_line(_rows_of(grid_cells(page.edges, page.chars, bbox)[0]) if len(rows) == 1 else rows)
        lead = None if form else _leading_form(page, bbox)
        if lead:  # the grid's first ruled line is a line of fields over the table proper
            y, form_rows = lead
            head = (bbox[0], bbox[1], bbox[2], y)
            found.append((head, form_rows, "lines"))
            forms[id(head)] = spans_from_rows(form_rows)
            bbox = (bbox[0], y, bbox[2], bbox[3])
        if form or _shape_ok(rows):
            if not any(b == bbox for b, _, _ in found):
                found.append((bbox, form or rows, "lines"))
                if form:
                    forms[id(bbox)] = spans_from_rows(form)
    grids = [bbox for bbox, _, _ in found]
    booktabs = []
    for bbox, rows in _horizontal_tables(page, exclude=grids):
        got = _booktabs_spans(page, bbox, rows, grids)
        if got:
            booktabs.append((got[0], got[1], "booktabs"))
        else:
            found.append((bbox, rows, "horizontal"))
    spaced = booktabs + _spaced_tables(page, [bbox for bbox, _, _ in found + booktabs])
    found.extend((bbox, _rows_of(spans), strategy) for bbox, spans, strategy in spaced)
    found.sort(key=lambda t: (t[0][1], t[0][0]))
    bboxes = [bbox for bbox, _, _ in found]
    if not found:
        return []
    text_lines = [ln for ln in page.extract_text_lines(return_chars=False) if ln["text"].strip()]
    spaced_spans = {id(bbox): spans for bbox, spans, _ in spaced}
    out = []
    for bbox, rows, strategy in found:
        if id(bbox) in forms:
            spans, indents = forms[id(bbox)], ()
        elif strategy == "lines":
            spans, indents = grid_cells(page.edges, page.chars, bbox)
        else:
            spans, indents = spaced_spans.get(id(bbox), ()), ()
        # a table under a line of fields shares its title block (the line is the table's heading)
        head = next((b for b, _, _ in found if id(b) in forms and abs(b[3] - bbox[1]) <= SAME_Y), None)
        seen_from, others = ((bbox[0], head[1], bbox[2], bbox[3]), [b for b in bboxes if b is not head]) \
            if head else (bbox, bboxes)
        out.append(RawTable(
            bbox=bbox, rows=rows, caption_lines=_caption_lines(page, seen_from, others), strategy=strategy,
            spans=spans, indents=indents if any(i is not None for i in indents) else (), is_fields=id(bbox) in forms,
            above_lines=band_above(text_lines, seen_from, others),
            below_lines=band_below(text_lines, bbox, bboxes),
        ))
    return out


def _open_sides(page, bbox):
    """A grid whose outer columns have no rule of their own (the usual budget-book table: its top
    and bottom rules run wider than its column rules) reaches as far as those rules."""
    x0, top, x1, bottom = bbox
    rules = _rules(page, ())
    top_rule = [r for r in rules if abs(r["top"] - top) <= SAME_Y and r["x0"] <= x0 + SAME_X and r["x1"] >= x1 - SAME_X]
    low_rule = [r for r in rules if abs(r["top"] - bottom) <= SAME_Y and r["x0"] <= x0 + SAME_X
                and r["x1"] >= x1 - SAME_X]
    if not top_rule or not low_rule:
        return bbox
    left = max(min(r["x0"] for r in top_rule), min(r["x0"] for r in low_rule))
    right = min(max(r["x1"] for r in top_rule), max(r["x1"] for r in low_rule))
    if left < x0 - SAME_X or right > x1 + SAME_X:
        return (min(left, x0), top, max(right, x1), bottom)
    return bbox


def _form_line(rows) -> tuple[tuple[str | None, ...], ...] | None:
    """A ruled line of fields, label beside value (工作計畫名稱及編號 | 3708012700 土地測量 |
    預算金額 | 1,006,592), as a table of one row: the labels its header, the values its row."""
    if len(rows) != 1:
        return None
    filled = [clean_cell(c) for c in rows[0] if clean_cell(c)]
    if len(filled) < 4 or len(filled) % 2:
        return None
    labels, values = filled[0::2], filled[1::2]
    if any(_is_figure(t) for t in labels) or not any(_is_figure(t) for t in values):
        return None
    return tuple(labels), tuple(values)


def _leading_form(page, bbox):
    """(y, rows) when the grid's first ruled line, down to y, is a line of fields (_form_line)."""
    x0, top, x1, bottom = bbox
    ys = sorted(r["top"] for r in _rules(page, ()) if top + SAME_Y < r["top"] < bottom - SAME_Y
                and r["x0"] <= x0 + SAME_X and r["x1"] >= x1 - SAME_X)
    if len(ys) < 2:
        return None
    form = _form_line(_rows_of(grid_cells(page.edges, page.chars, (x0, top, x1, ys[0]))[0]))
    return (ys[0], form) if form else None


def _is_figure(text: str) -> bool:
    return bool(re.fullmatch(r"[+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?", nfkc(text).replace(" ", "")))


def _rows_of(spans) -> tuple[tuple[str | None, ...], ...]:
    """The plain grid of merged cells: text at each cell's top-left position, None elsewhere."""
    if not spans:
        return ()
    nr, nc = max(sp[1] for sp in spans), max(sp[3] for sp in spans)
    rows = [[None] * nc for _ in range(nr)]
    for r0, _, c0, _, text in spans:
        rows[r0][c0] = text
    return tuple(tuple(r) for r in rows)


def _booktabs_spans(page, bbox, rows, grids):
    """A table with at most BOOKTABS_RULES rules and rows between them that no rule separates
    (booktabs: top rule, header rule, bottom rule) is read by its white space, so that a group
    heading over two columns stays one cell.  Returns (bbox, spans) or None."""
    x0, top, x1, bottom = bbox
    rules = [r for r in _rules(page, grids) if abs(r["x0"] - x0) <= SAME_X and abs(r["x1"] - x1) <= SAME_X]
    # The rule finder may have left a wide header out (its text runs over the column gaps): in a
    # booktabs frame the header lies between the top rule and the header rule.
    above = [r["top"] for r in rules if top - HEADER_BAND < r["top"] < top - SAME_Y]
    top = min(above) if above else top
    n_rules = sum(1 for r in rules if top - SAME_Y <= r["top"] <= bottom + SAME_Y)
    box = (x0, top, x1, bottom)
    chars = [c for c in page.chars if c["text"].strip() and _inside(c, box, 0.0)]
    if n_rules > BOOKTABS_RULES or len(table_space.lines_of(chars)) <= n_rules - 1:
        return None
    blocks = table_space.aligned_blocks(chars, whole=True)
    if len(blocks) != 1 or not _shape_ok(_rows_of(blocks[0][1])):
        return None
    return box, blocks[0][1]


def _spaced_tables(page, taken: list) -> list[tuple[tuple[float, float, float, float], tuple, str]]:
    """Booktabs tables (two rules with only aligned text between them) and tables with no rules
    (runs of lines aligned by white space), outside the tables already found."""
    chars = [c for c in page.chars if c["text"].strip() and not any(_inside(c, b) for b in taken)]
    out = []
    rules = sorted(_rules(page, taken), key=lambda r: r["top"])
    used = set()
    for i in range(len(rules) - 1):
        a, b = rules[i], rules[i + 1]
        if i in used or abs(a["x0"] - b["x0"]) > SAME_X or abs(a["x1"] - b["x1"]) > SAME_X:
            continue
        # a header band (top rule .. header rule) right above: the table runs from the top rule
        head = rules[i - 1] if i > 0 and i - 1 not in used else None
        if head and (abs(head["x0"] - a["x0"]) > SAME_X or a["top"] - head["top"] > HEADER_BAND):
            head = None
        for top in ([head["top"]] if head else []) + [a["top"]]:
            inside = [c for c in chars if top < c["top"] and c["bottom"] < b["top"] and a["x0"] - 1 <= c["x0"]
                      and c["x1"] <= a["x1"] + 1]
            blocks = table_space.aligned_blocks(inside, whole=top != a["top"])
            blocks = [(bb, sp) for bb, sp in blocks if _shape_ok(_rows_of(sp))]
            if blocks:
                out.extend(((a["x0"], top, a["x1"], b["top"]), sp, "booktabs") for _, sp in blocks[:1])
                used.update({i, i + 1} | ({i - 1} if top != a["top"] else set()))
                break
    taken = taken + [bbox for bbox, _, _ in out]
    rest = [c for c in chars if not any(_inside(c, b) for b in taken)]
    for bbox, spans in table_space.aligned_blocks(rest):
        if _shape_ok(_rows_of(spans)) and not _contents_like(spans):
            out.append((bbox, spans, "whitespace"))
    return out


def _contents_like(spans) -> bool:
    """A contents page (title ... page number, leader dots) aligns like a table but is none."""
    texts = [sp[4] for sp in spans if sp[4]]
    return sum(("…" in t or "..." in t or "．．" in t) for t in texts) * 4 >= len(texts)


def table_bboxes(tables: Iterable[RawTable]) -> list[tuple[float, float, float, float]]:
    return [t.bbox for t in tables]


def outside_tables(page, tables: Iterable[RawTable], margin: float = 1.0):
    """The page without the objects (characters, rules) whose centre lies inside a table's bbox.

    Captions stay (they are above the bbox).  Returns pdfplumber's FilteredPage, on which
    `extract_text_lines`, `chars` etc. work as on the page.
    """
    boxes = [(x0 - margin, top - margin, x1 + margin, bottom + margin) for x0, top, x1, bottom in table_bboxes(tables)]
    if not boxes:
        return page

    def keep(obj) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    return page.filter(keep)


def _shape_ok(rows: Sequence[Sequence[str | None]]) -> bool:
    """>= 2 non-empty rows and >= 2 non-empty columns."""
    rows = [r for r in rows if any(clean_cell(c) for c in r)]
    if len(rows) < 2:
        return False
    n = max(len(r) for r in rows)
    cols = [c for c in range(n) if any(c < len(r) and clean_cell(r[c]) for r in rows)]
    return len(cols) >= 2


def _inside(obj, bbox, margin: float = 1.0) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 - margin <= cx <= x1 + margin and top - margin <= cy <= bottom + margin


def horizontal_rules(page, exclude=()) -> list[dict]:
    """The page's horizontal rules as the table finders see them (pages.py: which pages pdfplumber reads)."""
    return _rules(page, exclude)


def _rules(page, exclude) -> list[dict]:
    """Horizontal rules (lines, rectangle edges, thin rectangles), merged when on one y."""
    edges = [
        e for e in page.horizontal_edges
        if e["x1"] - e["x0"] >= MIN_RULE_LENGTH and not any(_inside(e, b, 2.0) for b in exclude)
    ]
    edges.sort(key=lambda e: (e["top"], e["x0"]))
    merged: list[dict] = []
    for e in edges:
        for m in merged:
            if abs(m["top"] - e["top"]) <= SAME_Y and e["x0"] <= m["x1"] + 2 and e["x1"] >= m["x0"] - 2:
                m["x0"], m["x1"] = min(m["x0"], e["x0"]), max(m["x1"], e["x1"])
                break
        else:
            merged.append({"x0": e["x0"], "x1": e["x1"], "top": e["top"]})
    return merged


def _rule_runs(rules: list[dict], max_gap: float) -> list[list[dict]]:
    """Rules grouped by a common x-range, then cut where two rules are too far apart."""
    groups: list[list[dict]] = []
    for r in sorted(rules, key=lambda r: r["top"]):
        for g in groups:
            if abs(g[0]["x0"] - r["x0"]) <= SAME_X and abs(g[0]["x1"] - r["x1"]) <= SAME_X:
                g.append(r)
                break
        else:
            groups.append([r])
    runs: list[list[dict]] = []
    for g in groups:
        run = [g[0]]
        for r in g[1:]:
            if r["top"] - run[-1]["top"] > max_gap:
                runs.append(run)
                run = []
            run.append(r)
        runs.append(run)
    return [run for run in runs if len(run) >= 3]


def _intervals(chars: list[dict], join: float) -> list[tuple[float, float]]:
    """x-intervals covered by `chars`, merging neighbours closer than `join`."""
    spans = sorted((c["x0"], c["x1"]) for c in chars)
    out: list[list[float]] = []
    for x0, x1 in spans:
        if out and x0 <= out[-1][1] + join:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _separators(bands: list[list[dict]], x0: float, x1: float, min_gap: float) -> list[tuple[float, float, float]]:
    """Column gaps (start, end, cut): x-runs >= `min_gap` wide free of text in most bands.

    "Most" is a strict majority of the bands, so a caption, a spanning row or a wide header
    does not erase the column structure; runs touching the text's outer edges are margins.
    `cut` is where the column boundary goes: the middle of the widest stretch of the run that
    is free in as many bands as possible (so a header wider than its data is not cut).
    """
    step = 0.5
    n = int((x1 - x0) / step) + 1
    free = [0] * n
    lo, hi = min(c["x0"] for b in bands for c in b), max(c["x1"] for b in bands for c in b)
    for band in bands:
        occupied = [False] * n
        for a, b in _intervals(band, 0.0):
            for i in range(max(0, int((a - x0) / step)), min(n, int((b - x0) / step) + 1)):
                occupied[i] = True
        for i in range(n):
            free[i] += not occupied[i]
    need = len(bands) // 2 + 1
    runs, start = [], None
    for i in range(n + 1):
        ok = i < n and free[i] >= need
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            a, b = x0 + start * step, x0 + (i - 1) * step
            if b - a >= min_gap and a > lo and b < hi:
                runs.append((a, b, _best_cut(free, start, i - 1, x0, step)))
            start = None
    return runs


def _best_cut(free: list[int], first: int, last: int, x0: float, step: float) -> float:
    best = max(free[first:last + 1])
    longest, begin = (0, first, first), None
    for i in range(first, last + 2):
        if i <= last and free[i] == best:
            begin = i if begin is None else begin
        elif begin is not None:
            if i - begin > longest[0]:
                longest = (i - begin, begin, i - 1)
            begin = None
    return x0 + step * (longest[1] + longest[2]) / 2


def _crosses(band: list[dict], seps: list[tuple[float, float, float]], join: float) -> bool:
    """Does a stretch of this band's text run across a column boundary (a caption, prose)?

    Across means: over the whole gap, or over the cut the cells would be split at.  A header
    wider than its column's data reaches into the gap, but not across it nor over the cut,
    which is placed where every band is free if possible.
    """
    return any(
        (a <= s0 and s1 <= b) or a < cut < b
        for a, b in _intervals(band, join) for s0, s1, cut in seps
    )


def _line_groups(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        if lines and c["top"] - lines[-1][0]["top"] <= 0.5 * (c["bottom"] - c["top"]):
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _band_lines(chars: list[dict]) -> list[str]:
    """The text lines of a band, top to bottom."""
    return ["".join(c["text"] for c in line) for line in _line_groups(chars)]


def _row_splits(band: list[dict], cuts: list[float]) -> list[float]:
    """Where a band holds several rows (a table with rules only at top, under the header and
    at the bottom): y-positions between its lines, if every line has text in the first column
    and in another one.  A wrapped cell (a line with text in one column only) keeps the band
    one row."""
    lines = _line_groups(band)
    if len(lines) < 2:
        return []
    for line in lines:
        cols = {sum((c["x0"] + c["x1"]) / 2 > cut for cut in cuts) for c in line}
        if 0 not in cols or len(cols) < 2:
            return []
    return [(max(c["bottom"] for c in a) + min(c["top"] for c in b)) / 2 for a, b in zip(lines, lines[1:])]


def _horizontal_tables(page, exclude=()) -> list[tuple[tuple[float, float, float, float], tuple]]:
    """Tables whose rows are separated by horizontal rules only (no vertical lines).

    1. Horizontal rules (>= MIN_RULE_LENGTH, not part of a grid) are grouped by a common
       x-range and cut into runs where consecutive rules are more than ~12 text lines apart;
       a run needs >= 3 rules.  The runs are also cut at a band (the space between two rules)
       that is no table row: one holding a caption line (附表… / 表 3 … / 單位：…), or one
       with text flush with the rules' left end while most bands' text is indented (captions
       and prose start at the text block's edge, cell text is padded).  This keeps the
       running header's rule and two tables sharing the text width apart from a table.
    2. Columns are found from the characters between the rules: a column gap is an x-run
       >= 0.8 em wide that is free of text in a majority of the bands.
    3. A top or bottom band whose text runs across a column gap (the running header's rule
       followed by a chapter title or a caption, a paragraph of prose) is not part of the
       table and is dropped; the gaps are then recomputed.
    4. What is left must have >= 3 rules, >= 2 columns and >= 2 non-empty rows; its cells
       are read by pdfplumber with the rules and gaps as explicit lines.  A band below the
       header whose every line has text in the first and another column is several rows (a
       "three-rule" table with unruled data rows), see `_row_splits`.
    A page whose only rule is the one under the running header therefore has no table.
    """
    rules = _rules(page, exclude)
    chars = [c for c in page.chars if c["text"].strip()]
    if len(rules) < 3 or not chars:
        return []
    em = statistics.median(c["bottom"] - c["top"] for c in chars) or 10.0
    out = []
    for run in _rule_runs(rules, max_gap=12 * em + 24):
        x0, x1 = min(r["x0"] for r in run), max(r["x1"] for r in run)
        ys = [r["top"] for r in run]
        near = [c for c in chars if x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1]
        bands = [[c for c in near if a < (c["top"] + c["bottom"]) / 2 < b] for a, b in zip(ys, ys[1:])]
        # Cut at bands that are not table rows: a caption, or text flush with the rules' left
        # end (captions and prose are; cell text is padded) when most bands' text is not.
        flush = [any(c["x0"] <= x0 + FLUSH for c in band) for band in bands]
        mostly_flush = sum(flush) * 2 > sum(1 for band in bands if band)
        pieces, cur = [], [ys[0]]
        for (a, b), band, is_flush in zip(zip(ys, ys[1:]), bands, flush):
            lines = [nfkc(line) for line in _band_lines(band)]
            if any(TABLE_LABEL.match(line) or UNIT_LINE.match(line) for line in lines) or (
                is_flush and not mostly_flush
            ):
                pieces.append(cur)
                cur = [b]
            else:
                cur.append(b)
        pieces.append(cur)
        for piece in pieces:
            table = _table_from_rules(page, piece, x0, x1, near, em)
            if table:
                out.append(table)
    return out


def _table_from_rules(page, ys: list[float], x0: float, x1: float, chars: list[dict], em: float):
    if len(ys) < 3:
        return None
    bands = [(a, b, [c for c in chars if a < (c["top"] + c["bottom"]) / 2 < b]) for a, b in zip(ys, ys[1:])]
    # Empty bands at either end (e.g. a double rule) are no rows.
    while bands and not bands[0][2]:
        bands.pop(0)
    while bands and not bands[-1][2]:
        bands.pop()
    sizes = [c["bottom"] - c["top"] for _, _, band in bands for c in band]
    size = statistics.median(sizes) if sizes else em
    min_gap = 0.8 * size
    while len(bands) >= 2:
        filled = [band for _, _, band in bands if band]
        seps = _separators(filled, x0, x1, min_gap)
        if not seps:
            return None
        if _crosses(bands[0][2], seps, 0.3 * size):
            bands.pop(0)
        elif _crosses(bands[-1][2], seps, 0.3 * size):
            bands.pop()
        else:
            break
    if len(bands) < 2:
        return None
    top, bottom = bands[0][0], bands[-1][1]
    verticals = [x0] + [cut for _, _, cut in seps] + [x1]
    horizontals = [top] + [b for _, b, _ in bands]
    cuts = [cut for _, _, cut in seps]
    for _, _, band in bands[1:]:  # the first band is the header, which may wrap in every column
        horizontals += _row_splits(band, cuts)
    horizontals.sort()
    bbox = (x0, top, x1, bottom)
    crop = page.crop((x0 - 1, top - 1, x1 + 1, bottom + 1), strict=False)
    found = crop.find_tables({
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": verticals, "explicit_horizontal_lines": horizontals,
    })
    if not found:
        return None
    rows = tuple(tuple(cell for cell in row) for row in found[0].extract())
    rows = tuple(r for r in rows if any(clean_cell(c) for c in r))
    if not _shape_ok(rows):
        return None
    return bbox, rows


def _caption_lines(page, bbox, all_bboxes) -> tuple[str, ...]:
    """The 1-2 text lines directly above the table, nearest last.

    The nearest line must be within ~2.5 line heights of the table's top, with no rule or
    other table in between, and overlap the table horizontally.  The line above it is added
    when it is close (caption wrapped or unit line below the title) and the nearest line is
    not itself a labelled title ('附表一 …') -- a line like '附錄、附表' above a labelled
    caption is a heading, not part of the caption.
    """
    x0, top, x1, _ = bbox
    floor = 0.0  # nothing above this belongs to the caption
    for other in all_bboxes:
        if other is not bbox and other[3] <= top + 1 and other[3] > floor:
            floor = other[3]
    for e in page.horizontal_edges:
        if e["x1"] - e["x0"] >= MIN_RULE_LENGTH and floor < e["top"] < top - SAME_Y:
            floor = max(floor, e["top"])
    lines = [
        ln for ln in page.extract_text_lines(return_chars=False)
        if ln["bottom"] <= top + 1 and ln["top"] >= floor - 0.5 and ln["text"].strip()
        and ln["x0"] < x1 and ln["x1"] > x0
        and not any(_inside(ln, b) for b in all_bboxes)
    ]
    lines.sort(key=lambda ln: ln["bottom"])
    if not lines:
        return ()
    near = lines[-1]
    height = near["bottom"] - near["top"]
    if top - near["bottom"] > max(2.5 * height, 20.0):
        return ()
    picked = [near]
    if len(lines) >= 2 and not TABLE_LABEL.match(nfkc(near["text"])):
        above = lines[-2]
        close = near["top"] - above["bottom"] <= max(1.5 * height, 12.0)
        near_is_unit = caption_unit(near["text"]) is not None and len(nfkc(near["text"]).strip()) <= 20
        if close and (TABLE_LABEL.match(nfkc(above["text"])) or near_is_unit):
            picked.insert(0, above)
    return tuple(ln["text"].strip() for ln in picked)

"""The hierarchy of a budget table's rows: 款 over 項 over 目 over 節, a 工作計畫 over its 分支計畫
over its 用途別科目, as the book prints it.

A row's depth comes from its numbering columns (the one of 款/項/目/節 that holds its number) or,
in a table without them, from the indentation of its name.  Its parent is the nearest row above
it with a smaller depth, carried over page breaks (`Tree` keeps the open rows).  A row's label
path is its ancestors' names and its own; its account code (0408010000, 1000) is kept apart.
Pure over a `table_read.Sheet`; nothing here knows a page or a coordinate beyond indents.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .rules import load_budget_rows
from .units import lookup_unit

# Indents closer than this (points) are one level (a name set a character's width apart is not).
INDENT_SAME = 3.5
# A leading account or plan code: digits (10 for an account, 2 for a 分支計畫), then the name.
CODE_NAME = re.compile(r"^(\d{2,}(?:[-－]\d+)*)\s*(\D.*)$")
SMALL_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class RowInfo:
    name: str  # own name, code removed
    code: str | None
    depth: int | None  # 1 = top level; None for total rows
    parent: int | None  # the parent's row_no
    path: str  # ancestors' names and its own, joined by /


@dataclass
class Tree:
    """Rows still open for children (depth, row_no, name), top-down; kept from part to part."""

    open_rows: list[tuple[float, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    numbering: tuple[int, ...]  # columns holding 款/項/目/節 numbers, outermost first
    name_col: int
    levels: tuple[float, ...]  # indentation levels of the name column (empty: numbering decides)
    amounts_before: tuple[int, ...] = ()  # columns of figures left of the name (前年度決算數 | 項目 | …)

    @property
    def label_cols(self) -> list[int]:
        return sorted((set(self.numbering) | set(range(self.name_col + 1))) - set(self.amounts_before))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def numbering_columns(paths: list[str], sheet, data_rows) -> tuple[int, ...]:
    """The leading columns headed by a numbering word (款, 項, 目, 節), or left without a heading
    and holding only 1-3 digit numbers."""
    words = set(load_budget_rows()["numbering_headers"])
    out = []
    for c, path in enumerate(paths):
        last = _squash(path.split("/")[-1]) if path else ""
        texts = [sheet.text[r][c] for r in data_rows if sheet.origin[r][c] and sheet.text[r][c]]
        if last in words or (not last and texts and all(SMALL_NUMBER.match(_squash(t)) for t in texts)):
            out.append(c)
        else:
            break
    return tuple(out)


def layout_of(sheet, paths: list[str], indents: dict[tuple[int, int], float]) -> Layout | None:
    """How the rows of this table nest, or None for a flat table (no numbering columns and fewer
    than two indentation levels in its name column)."""
    data = range(sheet.header_rows, sheet.n_rows)
    numbering = numbering_columns(paths, sheet, data)
    name_col = next((c for c in range(len(numbering), sheet.n_cols) if _is_text_column(sheet, c, data)), None)
    if name_col is None:
        return None
    before = tuple(c for c in range(len(numbering), name_col) if not _is_text_column(sheet, c, data))
    if numbering:
        return Layout(numbering, name_col, (), before)
    levels = indent_levels([indents[(r, name_col)] for r in data if (r, name_col) in indents])
    if len(levels) < 2:
        return None
    return Layout((), name_col, levels, before)


def _is_text_column(sheet, c: int, rows) -> bool:
    from .table_read import is_number

    texts = [sheet.text[r][c] for r in rows if sheet.origin[r][c] and sheet.text[r][c]]
    return bool(texts) and sum(not is_number(t) and _squash(t) not in ("-", "－") for t in texts) * 2 > len(texts)


def indent_levels(values: list[float]) -> tuple[float, ...]:
    """The distinct indentation levels among `values` (neighbours within INDENT_SAME merged)."""
    levels: list[list[float]] = []
    for v in sorted(values):
        if levels and v - levels[-1][-1] <= INDENT_SAME:
            levels[-1].append(v)
        else:
            levels.append([v])
    return tuple(g[0] for g in levels)


def merge_levels(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    return indent_levels(list(a) + list(b))


def names_codes(header_path: str) -> bool:
    """Does a label column's header say its labels carry a code (名稱及編號, 科目代號)?"""
    return any(w in _squash(header_path) for w in load_budget_rows()["code_headers"])


def split_code(label: str) -> tuple[str | None, str]:
    """'0400000000 罰款及賠償收入' -> ('0400000000', '罰款及賠償收入'); '合計' -> (None, '合計')."""
    m = CODE_NAME.match(label.strip())
    if m:
        rest = _squash(m.group(2))
        if not rest.startswith(tuple(load_budget_rows()["not_names"])) and lookup_unit(rest) is None:
            return m.group(1), m.group(2).strip()
    return None, label.strip()


def is_run_on(sheet, r: int, layout: Layout) -> bool:
    """A row with no name and no figure: text run on from the row before (a note over a page break)."""
    from .table_read import is_number

    return not split_code(sheet.text[r][layout.name_col])[1] and not any(
        is_number(sheet.text[r][c]) for c in range(sheet.n_cols) if sheet.text[r][c])


def row_infos(sheet, layout: Layout, indents: dict[tuple[int, int], float], row_nos: list[int | None],
              tree: Tree, is_total) -> list[RowInfo]:
    """One RowInfo per data row of the sheet (row_nos: the row_no each will have, None for a row
    that is not one); `tree` carries the open rows to the next part."""
    out = []
    for r, row_no in zip(range(sheet.header_rows, sheet.n_rows), row_nos):
        code, name = split_code(sheet.text[r][layout.name_col])
        if not name or row_no is None:
            out.append(RowInfo(name, code, None, None, name))
            continue
        if is_total(name):
            out.append(RowInfo(name, code, None, None, name))
            continue
        depth = _depth(sheet, r, layout, indents, tree)
        while tree.open_rows and tree.open_rows[-1][0] >= depth:
            tree.open_rows.pop()
        parent = tree.open_rows[-1][1] if tree.open_rows else None
        path = "/".join([n for _, _, n in tree.open_rows] + [name])
        out.append(RowInfo(name, code, len(tree.open_rows) + 1, parent, path))
        tree.open_rows.append((depth, row_no, name))
    return out


def _depth(sheet, r: int, layout: Layout, indents, tree: Tree) -> float:
    if layout.numbering:
        for k, c in enumerate(layout.numbering):
            if sheet.text[r][c]:
                return float(k + 1)
        # no number: a level of its own between its neighbours (民政支出 under 內政部, over 一般行政),
        # the level of the unnumbered row before it while that one is open (福利服務支出 after 民政支出)
        unnumbered = [d for d, _, _ in tree.open_rows if d != int(d)]
        if unnumbered:
            return unnumbered[-1]
        return (tree.open_rows[-1][0] + 0.5) if tree.open_rows else 0.5
    x = indents.get((r, layout.name_col))
    if x is None:
        return (tree.open_rows[-1][0] + 0.5) if tree.open_rows else 1.0
    return float(1 + sum(1 for lv in layout.levels[1:] if x >= lv - INDENT_SAME / 2))


def tree_mismatches(rows: list[tuple[int, RowInfo, bool, dict[int, tuple]]], additive: set[int]) -> int | None:
    """How many parent cells differ from the sum of their children's, and total cells (合計) from the
    sum of the top-level rows, beyond the printed rounding.  rows: (row_no, info, is_total,
    {col: (value, text)}).  None when nothing could be checked."""
    from .table_read import sum_holds

    children: dict[int | None, list[dict[int, tuple]]] = {}
    for _, info, total, vals in rows:
        if not total and info.depth is not None:
            children.setdefault(info.parent, []).append(vals)
    checked = bad = 0
    for row_no, info, total, vals in rows:
        parts = children.get(None if total else row_no) if (total or info.depth is not None) else None
        if not parts:
            continue
        for c in additive:
            if c in vals and any(c in p for p in parts):
                checked += 1
                bad += not sum_holds(vals[c], [p[c] for p in parts if c in p])
    return bad if checked else None

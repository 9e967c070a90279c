"""Ruled tables: turn the tables found on each page into table and cell records.

Two stages:

* `table_find.find_raw_tables(page)` looks at one pdfplumber page while it is parsed and returns
  `RawTable`s with their captions (see that module).
* `build_tables(pages)` is pure: it turns the `RawTable`s already stored on `Page.tables` into
  `TableRecord`s and `CellRecord`s, parsing numeric cells exactly (Decimal) and giving each the
  unit from the cell, its column header, a unit column or the caption, in that order.

Nothing here depends on page numbers or coordinates of a particular report.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from .model import Page, RawTable, Unit
from . import budget_columns, table_read, table_tree
from .units import lookup_unit, parse_number

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

# A table label at the start of a caption: 附表一, 附表 2, 表 3-1, 表十二.
TABLE_LABEL = re.compile(r"^\s*(附\s*表|表)\s*([一二三四五六七八九十百零〇]+|\d+(?:\s*[-－.]\s*(?:\d+|[A-Za-z]+\b))?)")
# （單位：億元） / 單位:千元 / 單位：新臺幣百萬元  (matched on NFKC text: full-width colon -> ':')
UNIT_HINT = re.compile(r"單\s*位\s*:\s*([^()\s,，;；、]+)")
UNIT_LINE = re.compile(r"^\s*\(?\s*單\s*位\s*:")  # a caption line of its own: （單位：億元）
BRACKETED = re.compile(r"\(([^()]*)\)")
# A number as printed in a table cell, on NFKC text.
NUMBER = r"[+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMERIC_CELL = re.compile(rf"^({NUMBER})\s*(.*?)$")
TOTAL_LABEL = re.compile(r"^(合計|總計|小計|總和|共計|總數|grandtotal|subtotal|total)(\(.*\))?$", re.I)
UNIT_COLUMN = {"單位", "計量單位", "計算單位"}
CURRENCY_WORDS = ("新臺幣", "新台幣", "臺幣", "台幣")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _is_wide(ch: str) -> bool:
    """True for CJK characters and full-width punctuation (no space is written next to them)."""
    return ord(ch) > 0x2E7F


def _bracket_join(left: str, right: str) -> bool:
    """'浸藥時間\n(小時)': a bracket wrapped after / before CJK text joins without a space."""
    return (_is_wide(left) and right in "([{") or (left in ")]}" and _is_wide(right))


def clean_cell(text: str | None) -> str:
    """Join a cell's printed lines and collapse whitespace.

    Lines are joined without a separator where both sides of the break are CJK (a wrapped
    CJK word or a header '保證金額\\n（億元）'), with one space otherwise ('Total\\namount').
    """
    if not text:
        return ""
    out = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        if out and not (_is_wide(out[-1]) and _is_wide(line[0])) and not _bracket_join(out[-1], line[0]):
            out += " "
        out += line
    return re.sub(r"\s+", " ", out).strip()


def as_unit(written: str | None) -> Unit | None:
    """A unit as written in a header/caption/unit column, tolerating a leading 新臺幣."""
    if not written:
        return None
    w = re.sub(r"\s+", "", nfkc(written))
    unit = lookup_unit(w)
    if unit is None:
        for word in CURRENCY_WORDS:
            if w.startswith(word) and len(w) > len(word):
                unit = lookup_unit(w[len(word):])
                break
    return unit


def header_unit(header: str) -> Unit | None:
    """The unit in a column header's brackets: '保證金額（億元）' -> 億元, '達成率(%)' -> %."""
    for inside in reversed(BRACKETED.findall(nfkc(header))):
        m = UNIT_HINT.search(inside)
        unit = as_unit(m.group(1) if m else inside)
        if unit is not None:
            return unit
    return None


def caption_unit(caption: str) -> str | None:
    """'（單位：億元）' anywhere in the caption, or a caption line that is only '（億元）'."""
    text = nfkc(caption)
    m = UNIT_HINT.search(text)
    if m and as_unit(m.group(1)) is not None:
        return re.sub(r"\s+", "", m.group(1))
    for line in text.splitlines():
        whole = re.fullmatch(r"\s*\(([^()]+)\)\s*", line)
        if whole and as_unit(whole.group(1)) is not None:
            return re.sub(r"\s+", "", whole.group(1))
    return None


def table_title(caption: str) -> str | None:
    """'附表一 信保基金…' -> '附表一' (spaces inside the label removed)."""
    m = TABLE_LABEL.match(nfkc(caption))
    return re.sub(r"\s+", "", m.group(0)) if m else None


def parse_cell(text: str) -> tuple[Decimal, Unit | None] | None:
    """A numeric cell -> (value, its own unit or None); None when the cell is not a number.

    '1,498' -> (1498, None); '45%' -> (45, %); '32 件' -> (32, 件); '第 1 期', '-', '101 年' -> None.
    """
    m = NUMERIC_CELL.match(nfkc(text).strip())
    if not m:
        return None
    try:
        value = parse_number(m.group(1))
    except InvalidOperation:
        return None
    suffix = m.group(2).strip()
    if not suffix:
        return value, None
    unit = as_unit(suffix)
    return (value, unit) if unit is not None else None


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRecord:
    table_no: int  # 1-based, in document order
    page_index: int  # first page
    title: str | None  # the table label ('附表一', '表3-2') or, without one, the title line
    caption: str  # caption lines joined, NFKC-normalised
    unit_hint: str | None  # unit from the 單位 line / caption
    header: tuple[str, ...]  # one header path per column (本年度/金額)
    n_rows: int  # data rows (header excluded), over every page
    n_cols: int
    strategy: str  # "lines", "horizontal", "booktabs" or "whitespace"
    has_total_row: bool
    notes: str = ""  # 註：/ 說明：/ 資料來源： lines under the table
    pages: tuple[int, ...] = ()  # every page the table is printed on (a split shows as several)
    header_rows: int = 1
    has_total_col: bool = False
    title_line: str | None = None  # the whole title line: 表3-2(110年度)…統計表
    total_mismatches: int | None = None  # total cells that are not the sum of their parts (None: none checked)

    @property
    def label(self) -> str | None:
        """The table label of the title: '附表一', '表3-2'."""
        return table_title(self.title_line or self.title or self.caption)


@dataclass(frozen=True)
class CellRecord:
    table_no: int
    row_no: int  # 0: the header (one cell per column, its header path), then data rows over every page
    col_no: int
    row_label: str  # row path: the row-group labels and the row label (斗六市/公正里)
    col_label: str  # header path of this column (本年度/金額)
    text: str  # as written, lines joined, whitespace collapsed
    is_header: bool
    is_total: bool  # in a total / subtotal row or column
    value: Decimal | None
    unit_written: str | None
    dimension: str | None
    base_unit: str | None
    currency: str | None
    quantity: Decimal | None  # value x unit factor, in the base unit
    unit_source: str = "none"  # cell, header, unit column, unit line, caption, none
    page_index: int = -1  # the page this cell is printed on
    row_name: str = ""  # the row's own name, without its code or numbering (一般行政); "" for header cells
    row_code: str | None = None  # the account code printed with the row's name (0408010000, 1000)
    row_depth: int | None = None  # 1 for a top-level row (款, a 工作計畫), 2 for its children …; None: a flat table
    parent_row_no: int | None = None  # row_no of the row this one is part of; None at the top level
    column_role: str | None = None  # budget tables: this_year_budget, last_year_budget, prior_year_actual, change, note, other


def is_total_label(label: str) -> bool:
    return bool(TOTAL_LABEL.match(re.sub(r"\s+", "", nfkc(label)))) or table_read.is_total_text(label)


@dataclass
class _Part:
    """One table as found on one page, read."""

    page_index: int
    raw: RawTable
    sheet: table_read.Sheet
    caption: str
    title: str | None


def _parts(pages: Sequence[Page]) -> list[list[_Part]]:
    """Table parts page by page; parts continuing the table before them joined into one list."""
    tables: list[list[_Part]] = []
    fields: tuple[int, list] | None = None  # the last line of fields seen: (page, its text)
    for page in sorted(pages, key=lambda p: p.index):
        first = 0  # the slot of the table that may continue the page before's last one
        for k, raw in enumerate(page.tables):
            sheet = table_read.sheet_of(raw)
            if sheet is None:
                continue
            if raw.is_fields:
                # the same line of fields again on the next page heads the same plan, continued
                again = fields is not None and fields == (page.index - 1, sheet.text)
                fields = (page.index, sheet.text)
                if again and k == first:
                    first = k + 1
                    continue
            caption = nfkc("\n".join(line.strip() for line in raw.caption_lines))
            title = table_read.title_of(raw.above_lines, raw.below_lines) or table_title(caption)
            part = _Part(page.index, raw, sheet, caption, title)
            if tables and k == first and _continues(tables[-1][-1], part):
                tables[-1].append(part)
            else:
                tables.append([part])
    return tables


def _continues(prev: _Part, cur: _Part) -> bool:
    """Is `cur` (first table of its page) the rest of `prev` (on the page before)?  Same columns,
    and the same header again or no header at all (it starts with data rows); not a table with a
    title of its own."""
    if cur.page_index != prev.page_index + 1 or cur.sheet.n_cols != prev.sheet.n_cols:
        return False
    if cur.title and prev.title and squash_ws(cur.title) != squash_ws(prev.title):
        return False
    same_header = cur.sheet.col_paths == prev.sheet.col_paths
    headless = any(table_read.is_number(t) for t in cur.sheet.text[0]) and not cur.title
    return same_header or headless


def squash_ws(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _column_units(paths, hints, caption_hint):
    """(unit, source) for every column from its header path, else the unit line / caption; a column
    headed by a rate (稅率, 成長率) that none of them gives a unit holds percentages (its header says so)."""
    out = []
    for path in paths:
        unit = table_read.path_unit(path)
        if unit is not None:
            out.append((unit, "header"))
            continue
        line = table_read.line_unit_for(path, hints)
        if line is not None:
            out.append((line, "unit line"))
        elif caption_hint is not None and not table_read.is_rate(path):
            out.append((caption_hint, "caption"))
        elif table_read.rate_percent(path):
            out.append((lookup_unit("%"), "header"))
        else:
            out.append((None, "none"))
    return out


def _hints(parts: list[_Part]):
    """The unit line(s) above the table (band above, caption) and the caption's own unit."""
    first = parts[0]
    hints = table_read.unit_lines(list(first.raw.above_lines) + first.caption.splitlines())
    written = caption_unit(first.caption)
    caption_hint = as_unit(written) if written and not hints else None
    return hints, caption_hint, (hints[0][1] if hints else written if caption_hint else None)


def build_tables(pages: Sequence[Page]) -> tuple[list[TableRecord], list[CellRecord]]:
    """Table and cell records for every table on `pages`, numbered in document order; a table
    continued over pages is one table."""
    tables: list[TableRecord] = []
    cells: list[CellRecord] = []
    for parts in _parts(pages):
        table_no = len(tables) + 1
        record, part_cells = _read_table(table_no, parts)
        tables.append(record)
        cells.extend(part_cells)
    return tables, cells


def _read_table(table_no: int, parts: list[_Part]) -> tuple[TableRecord, list[CellRecord]]:
    first = parts[0].sheet
    paths = first.col_paths
    hints, caption_hint, hint_written = _hints(parts)
    col_units = _column_units(paths, hints, caption_hint)
    unit_col = next((c for c, h in enumerate(paths) if c > 0 and squash_ws(h) in UNIT_COLUMN), None)
    total_cols = {c for c, p in enumerate(paths) if c > 0 and table_read.is_total_path(p)}
    layout = _tree_layout(parts, paths)
    labels = layout.label_cols if layout else table_read.label_columns(first)
    roles = _roles(paths, labels, layout is not None)
    out: list[CellRecord] = []
    # The header, once, as one row (row_no 0) of header paths: a multi-row header is read into the
    # path of each column (本年度/金額), so the table stays (n_rows + 1) x n_cols cells.
    for c in range(first.n_cols):
        out.append(_cell(table_no, 0, c, "", paths[c], paths[c], True, False, None, "none", parts[0].page_index))
    row_no, carry, has_total = 1, [], False
    tree = table_tree.Tree()
    tree_rows: list = []  # (row_no, info, total, figures) for the hierarchy's sums
    figures: list[tuple[str, bool, dict[int, tuple]]] = []  # for the totals check
    for part in parts:
        s = part.sheet
        skip = s.header_rows if s.col_paths == paths else 0
        data = _as_data(s, skip)
        s_labels = labels if skip or layout else table_read.label_columns(s)
        rpaths, carry = table_read.row_paths(data, s_labels, carry)
        infos, nos = None, None
        if layout:
            nos, n = [], row_no
            for r in range(skip, s.n_rows):
                run_on = n > 1 and table_tree.is_run_on(s, r, layout)
                nos.append(None if run_on else n)
                n += not run_on
            infos = table_tree.row_infos(data, layout, s.indents, nos, tree, is_total_label)
        for k, (r, rpath) in enumerate(zip(range(skip, s.n_rows), rpaths)):
            info = infos[k] if infos else _coded_row(rpath, paths, labels)
            if nos is not None and nos[k] is None:
                _run_on_note(out, s, r, row_no)
                continue
            if info is not None:
                rpath = info.path
            total = table_read.is_total_path(rpath) or is_total_label(s.text[r][0]) or (
                layout is not None and info is not None and info.depth is None and bool(info.name))
            has_total |= total
            row_unit = as_unit(s.text[r][unit_col]) if unit_col is not None else None
            figures.append((rpath, total, {}))
            if layout is not None:
                tree_rows.append((row_no, info, total, figures[-1][2]))
            for c in range(s.n_cols):
                text = s.text[r][c] if s.origin[r][c] or c in s_labels else ""
                unit, source = col_units[c]
                if row_unit is not None and source != "header":
                    unit, source = row_unit, "unit column"
                numeric = c not in s_labels and c != unit_col and roles.get(c) != "note"
                cell = _cell(table_no, row_no, c, rpath, paths[c], text, False, total or c in total_cols,
                             (unit, source) if numeric else None, source, part.page_index)
                out.append(_with_row(cell, info, roles.get(c)))
                if out[-1].value is not None:
                    figures[-1][2][c] = (out[-1].value, text)
            row_no += 1
    additive = {c for c, p in enumerate(paths) if c not in labels and c != unit_col and table_read.is_additive(p)}
    record = TableRecord(
        table_no=table_no, page_index=parts[0].page_index, title=table_title(parts[0].title or "") or parts[0].title,
        title_line=parts[0].title, caption=parts[0].caption,
        unit_hint=hint_written, header=tuple(paths), n_rows=row_no - 1, n_cols=first.n_cols,
        strategy=parts[0].raw.strategy, has_total_row=has_total,
        notes=next((n for n in (table_read.notes_of(p.raw.below_lines) for p in parts) if n), ""), pages=tuple(p.page_index for p in parts),
        header_rows=first.header_rows, has_total_col=bool(total_cols),
        total_mismatches=(table_tree.tree_mismatches(tree_rows, additive) if layout is not None
                          else table_read.total_mismatches(figures, additive) if has_total else None),
    )
    return record, out


def _tree_layout(parts: list[_Part], paths: list[str]) -> table_tree.Layout | None:
    """How the table's rows nest (numbering columns or indentation), over all its parts."""
    first = parts[0].sheet
    layout = table_tree.layout_of(first, paths, first.indents)
    if layout is None or layout.numbering:
        return layout
    levels = layout.levels
    for part in parts[1:]:
        s = part.sheet
        levels = table_tree.merge_levels(levels, tuple(
            x for (r, c), x in s.indents.items() if c == layout.name_col and r >= (s.header_rows if s.col_paths == paths else 0)))
    return table_tree.Layout((), layout.name_col, levels, layout.amounts_before)


def _roles(paths: list[str], labels: list[int], nested: bool) -> dict[int, str]:
    """{column: budget role} for a budget table (this year's budget beside last year's…); {} else.
    A nested table of one amount column and a 說明 column (歲出計畫提要及分支計畫概況表: a plan over
    its items, 金額 and 說明) is a budget book's table of this year's budget."""
    roles = budget_columns.column_roles(paths, [c not in labels for c in range(len(paths))])
    amounts = [c for c, role in enumerate(roles) if role == "other" and c not in labels
               and squash_ws(paths[c]).endswith(("金額", "預算數"))]
    if nested and "note" in roles and len(amounts) == 1 and not budget_columns.is_budget_table(roles):
        roles[amounts[0]] = "this_year_budget"
        return {c: role for c, role in enumerate(roles) if role is not None and c not in labels}
    if not budget_columns.is_budget_table(roles):
        return {}
    return {c: role for c, role in enumerate(roles) if role is not None and c not in labels}


def _run_on_note(out: list[CellRecord], s: table_read.Sheet, r: int, row_no: int) -> None:
    """A row with no name and no figure at the top of a page is the note of the row before it,
    run on from the page before: its text joins that row's cells."""
    for k in range(len(out) - 1, -1, -1):
        cell = out[k]
        if cell.row_no != row_no - 1:
            break
        more = s.text[r][cell.col_no] if s.origin[r][cell.col_no] else ""
        if more:
            out[k] = replace(cell, text=clean_cell(cell.text + "\n" + more) if cell.text else more)


def _coded_row(rpath: str, paths: list[str], labels: list[int]) -> table_tree.RowInfo | None:
    """A flat table whose label header names a code (名稱及編號): the code apart from the name."""
    if not rpath or not table_tree.names_codes(paths[labels[-1]]):
        return None
    *groups, own = rpath.split("/")
    code, name = table_tree.split_code(own)
    return table_tree.RowInfo(name, code, None, None, "/".join(groups + [name])) if code else None


def _with_row(cell: CellRecord, info, role: str | None) -> CellRecord:
    if info is None and role is None:
        return cell
    if info is None:
        return replace(cell, column_role=role)
    return replace(cell, row_name=info.name, row_code=info.code, row_depth=info.depth, parent_row_no=info.parent,
                   column_role=role)


def _as_data(s: table_read.Sheet, skip: int) -> table_read.Sheet:
    """The sheet with `skip` header rows (0: a part without a header, all rows are data)."""
    if skip == s.header_rows:
        return s
    return table_read.Sheet(s.n_rows, s.n_cols, s.text, s.origin, s.tall, s.wide, s.start, header_rows=skip,
                            col_paths=s.col_paths, indents=s.indents)


def _cell(table_no, r, c, row_label, col_label, text, is_header, is_total, unit_info, source, page_index):
    """One cell record; `unit_info` (unit, source) for a value cell, None for label/header cells."""
    value = unit = None
    src = "none"
    if unit_info is not None:
        parsed = parse_cell(text)
        if parsed is not None:
            value, own = parsed
            unit, src = (own, "cell") if own is not None else unit_info
            if unit is None:
                src = "none"
    return CellRecord(
        table_no=table_no, row_no=r, col_no=c, row_label=row_label, col_label=col_label, text=text,
        is_header=is_header, is_total=is_total, value=value,
        unit_written=unit.written if unit else None, dimension=unit.dimension if unit else None,
        base_unit=unit.base_unit if unit else None, currency=unit.currency if unit else None,
        quantity=value * unit.factor if unit is not None and value is not None else None,
        unit_source=src, page_index=page_index,
    )

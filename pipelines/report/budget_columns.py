"""Budget-book (預算書) columns: what each column of a budget table holds, from its header path.

A budget table prints, per row (a 款/項/目 or a 工作計畫), this year's budget (本年度預算數), last
year's (上年度預算數), the year before's actual spending (前年度決算數), the change from last year
(本年度與上年度比較) and a note (說明). `column_roles(header_paths)` gives the role of every column
of one table; `column_role(path)` of one column without the others. Roles:

    this_year_budget, last_year_budget, prior_year_actual, change, note, other (another amount column)

and None for a column that is none of these and holds no amounts (科目, 名稱及編號, 承辦單位).
The words are data: pipelines/report/rules/budget_columns.toml. Columns named by their ROC year
(114年度預算數 beside 113年度預算數) are told apart by comparing the years within the table.

`note_total(text)` reads the total a row's note states for the row (本年度預算數 1,006,592 千元…).
Pure functions; nothing here depends on a particular book.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from .rules import BudgetColumnRules, load_budget_columns, load_table_words
from .units import lookup_unit, parse_number

THIS_YEAR, LAST_YEAR, PRIOR_ACTUAL, CHANGE, NOTE, OTHER = (
    "this_year_budget", "last_year_budget", "prior_year_actual", "change", "note", "other")
ROLES = (THIS_YEAR, LAST_YEAR, PRIOR_ACTUAL, CHANGE, NOTE, OTHER)
AMOUNT_ROLES = (THIS_YEAR, LAST_YEAR, PRIOR_ACTUAL, CHANGE)  # at most one column each per table
# A budget table has a this-year column and one of these beside it.
COMPANION_ROLES = (LAST_YEAR, CHANGE, PRIOR_ACTUAL)
# A dash printed for an amount is zero (-, －, — …; NFKC leaves some of them apart).
DASHES = frozenset("-－—–−‒―─ー")

_TRAILING_BRACKET = re.compile(r"[(（][^()（）]*[)）]$")
_MINUS_MARK = re.compile(r"[(（]\s*[-－−△]\s*[)）]")  # 比較增減(-): how a decrease is printed, not a word
_TRAILING_FIGURES = re.compile(r"(?:\s+[-－—–−△▲]?[\d,.]*\d[\d,.]*|\s+[-－—–−])+\s*$")


class _Decided(NamedTuple):
    role: str | None  # a role of the rule file (never other), or None
    from_leaf: int  # levels between the deciding level and the leaf (0: the leaf decided)
    year: tuple[str, int] | None  # ("budget" | "actual", ROC year) of a year-named column


def clean_level(level: str) -> str:
    """One header level as the rules compare it: NFKC, figures printed after it (a header that
    swallowed a row of numbers), a minus-sign mark ((-)) and trailing brackets cut, spaces removed."""
    text = unicodedata.normalize("NFKC", level or "")
    text = _TRAILING_FIGURES.sub("", text)
    text = _MINUS_MARK.sub("", "".join(text.split()))
    while _TRAILING_BRACKET.search(text) and not _TRAILING_BRACKET.fullmatch(text):
        text = _TRAILING_BRACKET.sub("", text)
    return text


def levels(header_path: str) -> list[str]:
    """The cleaned levels of a header path (本年度預算數/合計 -> [本年度預算數, 合計]), empty ones dropped."""
    return [lv for lv in (clean_level(p) for p in (header_path or "").split("/")) if lv]


def is_dash(text: str | None) -> bool:
    """A cell that prints only a dash: an amount of zero in a budget table."""
    t = "".join((text or "").split())
    return len(t) == 1 and t in DASHES or (bool(t) and set(t) <= DASHES and len(t) <= 3)


def _role_of_level(level: str, rules: BudgetColumnRules) -> str | None:
    for role, equals, patterns in rules.roles:
        if level in equals or any(p.fullmatch(level) for p in patterns):
            return role
    return None


def _year_of_level(level: str, rules: BudgetColumnRules) -> tuple[str, int] | None:
    m = rules.year.search(level)
    if not m:
        return None
    if level[:m.start()] not in ("", "民國", "中華民國"):
        return None  # other words before the year: another column (累計至113年度…)
    rest = level[m.end():]
    if rest in rules.year_budget_words:
        return "budget", int(m.group(1))
    if rest in rules.year_actual_words:
        return "actual", int(m.group(1))
    return None


def _is_rate(leaf: str, rules: BudgetColumnRules) -> bool:
    text = unicodedata.normalize("NFKC", leaf or "")
    return any(m in text for m in rules.rate_marks) or clean_level(text).endswith(rules.rate_suffixes)


def _decide(header_path: str, rules: BudgetColumnRules) -> _Decided:
    """The role the innermost matching level gives, or a year-named column's (kind, year)."""
    raw = (header_path or "").split("/")
    lvls = levels(header_path)
    if not lvls or _is_rate(raw[-1], rules):
        return _Decided(None, 0, None)
    for k, level in enumerate(reversed(lvls)):
        role = _role_of_level(level, rules)
        if role is not None:
            return _Decided(role, k, None)
        year = _year_of_level(level, rules)
        if year is not None:
            return _Decided(None, k, year)
    return _Decided(None, 0, None)


def _is_label(header_path: str, rules: BudgetColumnRules) -> bool:
    for level in levels(header_path):
        for word in rules.label_words:
            if level == word or (len(word) > 1 and level.endswith(word)):
                return True
    return False


def _unmatched(header_path: str, amount: bool | None, rules: BudgetColumnRules) -> str | None:
    if amount is None:
        return None if _is_label(header_path, rules) else OTHER
    return OTHER if amount else None


def column_role(header_path: str, amount: bool | None = None, roc_year: int | None = None,
                rules: BudgetColumnRules | None = None) -> str | None:
    """The role of one column from its header path alone (本年度預算數, 年需經費/上年度, 比較增減(-)).

    ``amount``: whether the column holds amounts (None: not known; then a column whose header is a
    row-label word, 科目 or 名稱及編號, has no role and any other unmatched one is other).
    ``roc_year``: the book's year, which a year-named column (114年度預算數) needs to be this or
    last year's budget; without it such a column is other (`column_roles` compares the years of
    a table instead)."""
    rules = rules or load_budget_columns()
    d = _decide(header_path, rules)
    if d.role is not None:
        return d.role
    if d.year is not None:
        kind, year = d.year
        if kind == "actual":
            return PRIOR_ACTUAL
        if roc_year is not None and year == roc_year:
            return THIS_YEAR
        if roc_year is not None and year == roc_year - 1:
            return LAST_YEAR
        return OTHER if amount is not False else None
    return _unmatched(header_path, amount, rules)


def column_roles(header_paths: Sequence[str], amounts: Sequence[bool] | None = None, roc_year: int | None = None,
                 rules: BudgetColumnRules | None = None) -> list[str | None]:
    """The role of each column of one table, from all its header paths at once.

    Beyond `column_role`: year-named columns are compared (the latest budget year is this year's
    budget, the year before it last year's, the latest actual year prior_year_actual; with
    ``roc_year`` the book's year decides); a bare 預算數 is this year's budget in a table that has
    last-year, actual or change columns but no this-year one; and each amount role is given to
    one column only (the header that is the role itself, else a 合計 sub-column, else the leftmost),
    the other columns under it (本年度預算數/各計畫 …) being other. ``amounts[i]``: whether column i
    holds amounts (None: not known)."""
    rules = rules or load_budget_columns()
    n = len(header_paths)
    amount = list(amounts) if amounts is not None else [None] * n
    decided = [_decide(p, rules) for p in header_paths]
    roles: list[str | None] = [d.role for d in decided]
    _resolve_years(decided, roles, roc_year)
    if THIS_YEAR not in roles and any(r in roles for r in COMPANION_ROLES):
        for i, p in enumerate(header_paths):
            if roles[i] is None and amount[i] is not False and any(lv in rules.fallback_this_year for lv in levels(p)):
                roles[i] = THIS_YEAR
                break
    _one_column_per_role(header_paths, decided, roles)
    return [r if r is not None else _unmatched(p, a, rules) for r, p, a in zip(roles, header_paths, amount)]


def _resolve_years(decided: list[_Decided], roles: list[str | None], roc_year: int | None) -> None:
    budget = sorted({d.year[1] for d in decided if d.year and d.year[0] == "budget"}, reverse=True)
    actual = sorted({d.year[1] for d in decided if d.year and d.year[0] == "actual"}, reverse=True)
    # the book's year when a column names it, else the latest budget year the table names
    this_year = roc_year if roc_year in budget else (budget[0] if budget else None)
    for i, d in enumerate(decided):
        if d.role is not None or d.year is None:
            continue
        kind, year = d.year
        if kind == "budget" and year == this_year:
            roles[i] = THIS_YEAR
        elif kind == "budget" and this_year is not None and year == this_year - 1:
            roles[i] = LAST_YEAR
        elif kind == "actual" and year == actual[0] and (this_year is None or year < this_year):
            roles[i] = PRIOR_ACTUAL
        else:
            roles[i] = OTHER


def _one_column_per_role(paths: Sequence[str], decided: list[_Decided], roles: list[str | None]) -> None:
    """Each amount role to one column: the one among a group of columns (the levels above the one
    that decided its role: 年需經費 of 年需經費/本年度) holding the most amount roles (年需經費's 本年度,
    上年度, 比較 over 聘用's 本年度, 上年度 headcounts), then the header that is the role itself, a
    合計 sub-column, the leftmost."""
    totals = set(load_table_words()["total_words"])
    groups = []
    for i, p in enumerate(paths):
        lvls = levels(p)
        groups.append(tuple(lvls[:max(len(lvls) - 1 - decided[i].from_leaf, 0)]))
    held: dict[tuple, set] = {}
    for g, r in zip(groups, roles):
        if r in AMOUNT_ROLES:
            held.setdefault(g, set()).add(r)
    for role in AMOUNT_ROLES:
        cols = [i for i, r in enumerate(roles) if r == role]
        if len(cols) < 2:
            continue
        leaf_total = [bool(levels(paths[i])) and levels(paths[i])[-1] in totals for i in cols]
        best = min(range(len(cols)), key=lambda k: (-len(held[groups[cols[k]]]), decided[cols[k]].from_leaf != 0,
                                                    not leaf_total[k], cols[k]))
        for k, i in enumerate(cols):
            if k != best:
                roles[i] = OTHER


def is_budget_table(roles: Sequence[str | None]) -> bool:
    """A budget table: a this-year budget column and a last-year, change or prior-year column."""
    return THIS_YEAR in roles and any(r in roles for r in COMPANION_ROLES)


def table_roles(header_paths: Sequence[str], cells, roc_year: int | None = None) -> dict[int, str]:
    """{col_no: role} of one table's columns from its cells (CellRecords of that table): the roles
    the table reader gave (CellRecord.column_role), else the ones `column_roles` reads from the
    header paths; {} when the table is not a budget table (`is_budget_table`)."""
    given = {c.col_no: c.column_role for c in cells if getattr(c, "column_role", None)}
    if given:
        return given if is_budget_table(list(given.values())) else {}
    amounts = [False] * len(header_paths)
    for c in cells:
        if not c.is_header and 0 <= c.col_no < len(amounts) and (c.value is not None or is_dash(c.text)):
            amounts[c.col_no] = True
    roles = column_roles(header_paths, amounts, roc_year)
    if not is_budget_table(roles):
        return {}
    return {k: r for k, r in enumerate(roles) if r is not None}


# --------------------------------------------------------------------------------------------------
# the total a row's note states for the row

_NOTE_TOTAL = re.compile(
    r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*)?本年度預算數\s*[:：]?\s*(?:計|共|為|合計)?\s*(?:新臺幣|新台幣)?\s*"
    r"(?P<number>[-−]?(?:\d{1,3}(?:\s*,\s*\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>[^\s\d,，。；;、:：()（）]{1,4}?元)")


class NoteTotal(NamedTuple):
    value: Decimal  # as printed, in unit
    unit: str  # as printed (千元)
    quantity: Decimal  # in TWD
    text: str  # the words matched (本年度預算數 1,006,592 千元)


def note_total(note: str | None) -> NoteTotal | None:
    """The total a row's note states at its start: 本年度預算數 1,006,592 千元 / 本年度預算數1,006,592千元
    (any amount unit the unit table knows: 元, 千元, 萬元, 百萬元, 億元). None when it states none."""
    if not note:
        return None
    m = _NOTE_TOTAL.match(unicodedata.normalize("NFKC", note))
    if not m:
        return None
    unit = lookup_unit(m.group("unit"))
    if unit is None or unit.dimension != "money":
        return None
    value = parse_number("".join(m.group("number").split()).replace("−", "-"))
    return NoteTotal(value, m.group("unit"), value * unit.factor, m.group(0).strip())


# --------------------------------------------------------------------------------------------------
# the rows of budget tables, as v_budget_lines reads them from table_cell

class BudgetLine(NamedTuple):
    table_no: int
    table_title: str | None
    row_no: int
    row_path: str
    row_name: str
    row_code: str | None
    row_depth: int | None
    parent_row_no: int | None
    is_total: bool
    cells: dict[str, object]  # role -> the row's first cell of that role (CellRecord)
    note: str | None  # the texts of its note cells, joined


def cell_amount(cell) -> Decimal | None:
    """A budget cell's amount in its base unit (TWD), exact: its quantity; 0 for a dash; None when
    it holds no number, or a number without a unit."""
    if cell is None:
        return None
    if cell.quantity is not None:
        return cell.quantity
    return Decimal(0) if is_dash(cell.text) else None


def budget_lines(tables, cells) -> list[BudgetLine]:
    """One BudgetLine per data row of each budget table (TableRecords and their CellRecords), the
    table's column roles from `table_roles`. Tables that are not budget tables give none."""
    by_table: dict[int, list] = {}
    for c in cells:
        by_table.setdefault(c.table_no, []).append(c)
    out: list[BudgetLine] = []
    for t in tables:
        own = by_table.get(t.table_no, [])
        roles = table_roles(t.header, own)
        if not roles:
            continue
        rows: dict[int, list] = {}
        for c in own:
            if not c.is_header:
                rows.setdefault(c.row_no, []).append(c)
        for row_no in sorted(rows):
            row = sorted(rows[row_no], key=lambda c: c.col_no)
            first = row[0]
            by_role: dict[str, object] = {}
            notes = []
            for c in row:
                role = c.column_role or roles.get(c.col_no)
                if role == NOTE and (c.text or "").strip():
                    notes.append(c.text.strip())
                if role is not None:
                    by_role.setdefault(role, c)
            name = first.row_name or (first.row_label or "").rsplit("/", 1)[-1].strip()
            out.append(BudgetLine(t.table_no, t.title_line or t.title, row_no, first.row_label, name, first.row_code,
                                  first.row_depth, first.parent_row_no, all(c.is_total for c in row), by_role,
                                  " ".join(notes) or None))
    return out

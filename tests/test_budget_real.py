"""Real budget books made by others (copies of ../shared/real/budget in tests/data/real/budget): the
內政部 單位預算 (Right PDF: column rules only, code over name, 款/項/目/節, 說明 notes) and the
農業特別收入基金 附屬單位預算 (Excel: full grids, rows nested by indentation).  Each book checks
itself: in every row that prints this year's budget, last year's and their comparison, the
comparison is this year − last year; the MOI book is also scored against its hand-checked cells."""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from pipelines.report.pages import parse_pages
from pipelines.report.tables import build_tables

pytestmark = pytest.mark.full_report  # whole real documents: in make test, not in make test-fast

BUDGET = Path(__file__).resolve().parent / "data" / "real" / "budget"
MOI, MOA = BUDGET / "moi-budget-114.pdf", BUDGET / "moa-fund-115.pdf"
MOI_GOLD = BUDGET / "moi-budget-114.cells.jsonl"
THREE = ("this_year_budget", "last_year_budget", "change")
# An amount as a budget table prints it in a line of text: 1,786 / -12 / △12 / a dash for zero.
AMOUNT_TOKEN = re.compile(r"^(?:[-−△]?\d{1,3}(?:,\d{3})+|[-−△]?\d+|[-－—–])$")


@functools.lru_cache(maxsize=None)
def read(path: Path):
    if not path.exists():
        pytest.fail(f"missing {path}: copy it from ../shared/real/budget/")
    return build_tables(parse_pages(path))


@pytest.fixture(scope="module", params=[MOI, MOA], ids=["moi", "moa"])
def book(request):
    return (request.param, *read(request.param))


@pytest.fixture(scope="module")
def moi_cells():
    return read(MOI)[1]


def amount(text: str) -> Decimal | None:
    t = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", text or "")).replace("△", "-").replace("−", "-")
    if t in ("-", "－", "—", "–"):
        return Decimal(0)
    return Decimal(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else None


def three_column_rows(cells) -> dict[tuple[int, int], dict[str, str]]:
    """(table, row) -> {role: text} for the rows of tables that have the three amount columns."""
    by_row: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    roles: dict[int, set[str]] = defaultdict(set)
    for c in cells:
        if not c.is_header and c.column_role in THREE:
            by_row[(c.table_no, c.row_no)].setdefault(c.column_role, c.text)
            roles[c.table_no].add(c.column_role)
    return {k: v for k, v in by_row.items() if roles[k[0]] >= set(THREE)}


def checked_rows(cells) -> tuple[int, int, list]:
    """(rows whose three cells are amounts, rows where change = this - last, the failures)."""
    checked, holding, bad = 0, 0, []
    for key, row in three_column_rows(cells).items():
        a, b, c = (amount(row.get(role)) for role in THREE)
        if a is None or b is None or c is None:
            continue
        checked += 1
        if a - b == c:
            holding += 1
        else:
            bad.append((key, row))
    return checked, holding, bad


def printed_rows(path: Path, pages: set[int]) -> int:
    """Lines of page text that print at least three amounts standing alone (a row of figures; a
    note's amounts stand inside its sentence), on the pages of the three-column tables."""
    n = 0
    with pdfplumber.open(path) as pdf:
        for index in sorted(pages):
            text = pdf.pages[index].dedupe_chars().extract_text() or ""
            for line in text.splitlines():
                tokens = [t for t in line.split() if AMOUNT_TOKEN.match(unicodedata.normalize("NFKC", t))]
                n += len(tokens) >= 3
    return n


def test_change_is_this_year_minus_last_year(book):
    _, _, cells = book
    checked, holding, bad = checked_rows(cells)
    assert checked > 0
    assert holding / checked >= 0.99, bad[:5]


def test_every_row_that_prints_the_three_columns_is_checked(book):
    path, tables, cells = book
    rows = three_column_rows(cells)
    pages = {c.page_index for c in cells if (c.table_no, c.row_no) in rows}
    checked, _, _ = checked_rows(cells)
    printed = printed_rows(path, pages)
    assert checked >= 0.95 * printed, (checked, printed)
    tables_with_three = {t for t, _ in rows}
    per_table = defaultdict(int)
    for (t, r), row in rows.items():
        per_table[t] += all(amount(row.get(role)) is not None for role in THREE)
    assert tables_with_three and all(per_table[t] >= 1 for t in tables_with_three), per_table


def test_rows_are_nested_and_parents_are_the_sum_of_their_children(book):
    """A parent's this-year budget is the sum of its children's (exact: budgets are printed in whole
    千元), in all but the rows the book itself prints off."""
    _, _, cells = book
    this = {(c.table_no, c.row_no): amount(c.text) for c in cells
            if not c.is_header and c.column_role == "this_year_budget"}
    kids: dict[tuple[int, int], list] = defaultdict(list)
    for c in cells:
        if not c.is_header and c.column_role == "this_year_budget" and c.parent_row_no is not None:
            kids[(c.table_no, c.parent_row_no)].append(amount(c.text))
    sums = [(k, this.get(k), v) for k, v in kids.items() if this.get(k) is not None and None not in v]
    assert len(sums) >= 20
    holding = sum(total == sum(v) for _, total, v in sums)
    assert holding / len(sums) >= 0.95, [s for s in sums if s[1] != sum(s[2])][:5]


def test_moi_cells_with_their_row_paths_and_columns(moi_cells):
    """As score_real.py scores table_structure: the row on its own name with the gold's parents on
    its path, the column on its header path or last level, the text as printed."""
    gold = [json.loads(line) for line in MOI_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    norm = lambda s: "".join((s or "").split())
    pool = defaultdict(list)
    for c in moi_cells:
        if not c.is_header:
            pool[norm(c.text)].append([[p for p in norm(c.row_label).split("/") if p],
                                       [p for p in norm(c.col_label).split("/") if p], False])
    missed = []
    for g in gold:
        want_row, want_col = norm(g["row"]), norm(g["col"])
        for cand in pool.get(norm(g["text"]), []):
            row, col, used = cand
            if (not used and row and row[-1] == want_row and all(norm(p) in row[:-1] for p in g["row_path"])
                    and col and (col[-1] == want_col or "".join(col) == want_col)):
                cand[2] = True
                break
        else:
            missed.append((g["page"], g["row"], g["col"], g["text"]))
    assert len(missed) <= 0.01 * len(gold), missed


def test_moi_codes_depths_and_notes(moi_cells):
    """The account code is kept apart from the name, the depth follows 款/項/目/節, and a 說明 cell
    is its row's note (no value of its own)."""
    by_name = {(c.row_name, c.row_code): c for c in moi_cells if not c.is_header and c.row_code}
    assert by_name[("罰金罰鍰", "0408010101")].row_depth == 4
    assert by_name[("罰款及賠償收入", "0400000000")].row_depth == 1
    notes = [c for c in moi_cells if c.column_role == "note" and c.text]
    assert notes and all(c.value is None for c in notes)
    assert any(c.text.startswith("本年度預算數") for c in notes)

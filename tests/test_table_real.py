"""Real tables made by others (copies of ../shared/real in tests/data/real): the 13-page fia-103
statistical table read as one table with its row paths (鄉鎮/村里) and column headers, scored as
../shared/tools/score_real.py scores table_structure."""
from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from pipelines.report.pages import parse_pages
from pipelines.report.tables import build_tables

pytestmark = pytest.mark.full_report  # whole real documents: in make test, not in make test-fast

REAL = Path(__file__).resolve().parent / "data" / "real"
FIA = REAL / "fia-103-income-by-village-table165P.pdf"
FIA_GOLD = REAL / "fia-103-income-by-village-table165P.cells.jsonl"


def norm(s: str | None) -> str:
    """As score_real.py: whitespace removed, full-width slash as '/'."""
    return "".join((s or "").split()).replace("／", "/")


def structure_score(cells, gold_path: Path) -> tuple[int, int]:
    """(gold cells whose (row path, column path, text) is a non-header cell, gold cells)."""
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    have = collections.Counter((norm(c.row_label), norm(c.col_label), norm(c.text)) for c in cells if not c.is_header)
    ok = 0
    for g in gold:
        key = (norm(g["row"]), norm(g["col"]), norm(g["text"]))
        if have[key] > 0:
            have[key] -= 1
            ok += 1
    return ok, len(gold)


@pytest.fixture(scope="module")
def fia():
    return build_tables(parse_pages(FIA, workers=1))


def test_fia_structure_score(fia):
    _, cells = fia
    ok, n = structure_score(cells, FIA_GOLD)
    assert n == 3440
    assert ok / n >= 0.99, (ok, n)


def test_fia_is_one_table_over_13_pages(fia):
    tables, cells = fia
    big = [t for t in tables if len(t.pages) > 1]
    assert len(big) == 1 and big[0].pages == tuple(range(13))
    t = big[0]
    assert t.header[-8:] == ("納稅單位", "綜合所得總額", "平均數", "中位數", "第一分位數", "第三分位數", "標準差", "變異係數")
    assert t.label == t.title == "表165-P" and "統計分析表" in t.title_line
    assert t.unit_hint == "千元"
    assert t.notes.startswith("註")
    # every numeric cell of the 13 pages is a cell of that one table
    numeric = [c for c in cells if c.value is not None]
    assert numeric and all(c.table_no == t.table_no for c in numeric)


def test_fia_units_by_column(fia):
    _, cells = fia
    by_col = collections.defaultdict(set)
    for c in cells:
        if c.value is not None:
            by_col[c.col_label].add((c.unit_written, c.unit_source))
    assert by_col["綜合所得總額"] == {("千元", "unit line")}
    assert by_col["中位數"] == {("千元", "unit line")}
    assert by_col["變異係數"] == {(None, "none")}  # a ratio: 單位：金額(千元) does not govern it
    assert by_col["納稅單位"] == {(None, "none")}  # a count the table does not give a unit to


def test_fia_group_label_carried_over_the_page_break(fia):
    _, cells = fia
    rows = {c.row_label for c in cells if c.page_index == 1 and not c.is_header}
    assert "斗六市/公正里" in rows  # 斗六市 is printed on page 1 only
    totals = {c.row_label for c in cells if c.is_total and not c.is_header}
    assert "斗六市/合計" in totals


NAER = REAL / "naer-curriculum-draft-2016.pdf"
COA = REAL / "coa-rice-pest-manual.pdf"


def _chars_in_tables(path):
    """(non-space characters inside the tables found, those read into a cell, pages with tables)."""
    import pdfplumber

    from pipelines.report.table_find import find_raw_tables

    inside = read = 0
    with pdfplumber.open(str(path)) as pdf:
        for p in pdf.pages:
            for t in find_raw_tables(p):
                x0, top, x1, bottom = t.bbox
                inside += sum(1 for c in p.chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                              and top <= (c["top"] + c["bottom"]) / 2 <= bottom)
                read += sum(len("".join(sp[4].split())) for sp in t.spans)
    return inside, read


@pytest.mark.slow
def test_curriculum_grids_every_cell_read_no_quantities():
    """Text-only grids (cells drawn as boxes, boxes nested in cells): every character of every grid
    is read into exactly one cell, and no quantity comes from grade levels or codes."""
    inside, read = _chars_in_tables(NAER)
    assert inside > 20_000 and read == inside
    tables, cells = build_tables(parse_pages(NAER, workers=2))
    assert len(tables) >= 30
    assert not [c for c in cells if c.quantity is not None]


def test_small_ruled_tables_read():
    inside, read = _chars_in_tables(COA)
    assert inside > 0 and read == inside
    tables, cells = build_tables(parse_pages(COA, workers=1))
    assert tables and tables[0].header[:3] == ("藥劑名稱", "浸藥時間(小時)", "稀釋倍數(倍)")


def test_records_parted_by_white_space_inside_a_ruled_row():
    """The rice-pest table rules its columns but not its records: each record (a pesticide with its
    soaking time and dilution) is one row, found from the white bands across every column."""
    tables, cells = build_tables(parse_pages(COA, workers=1))
    t = tables[0]
    assert t.pages == (0, 1) and t.n_rows == 12  # 10 records on page 1, 2 more on page 2: one table
    dilution = [c.text for c in cells if c.col_label == "稀釋倍數(倍)" and not c.is_header]
    assert dilution[:3] == ["2,000", "1,000", "1,000"]
    assert [c for c in cells if c.quantity is not None] == []  # 小時 / 倍 are no unit of the warehouse

"""The frames the suites validate: one report's stage values turned into the DataFrame a suite
checks (one row per validated thing, an index that names the row so that failing samples are
readable) and the `$PARAMETER` values the suite uses.

Lists that the code and the suites must agree on come from the code and reach Great Expectations
as parameters, never copied into the JSON: the number-mention kinds (pipelines.report.rules),
the valid (dimension, base unit) pairs and the unit table (pipelines/report/units.py), the
report's year bounds.

pandas is imported where a frame is built; no Dagster or Great Expectations here.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..report.rules import mention_kinds
from ..report.text import nfkc
from ..report.units import CLASSIFIERS, CURRENCIES, PHYSICAL, lookup_unit
from .suites import CHECKS_SQL_DIR

if TYPE_CHECKING:
    import pandas as pd

YEAR_WINDOW = 30  # years a quantity may lie before or after the report's year
WAREHOUSE_SQL_FILE = CHECKS_SQL_DIR / "warehouse_integrity.sql"


@dataclass
class Frame:
    """A suite's input: the DataFrame (index = readable row id) and its $PARAMETER values."""

    df: pd.DataFrame
    params: dict = field(default_factory=dict)


def _frame(rows: list[dict], columns: Sequence[str], index: list[str]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(columns))
    df.index = pd.Index(index, dtype=object, name="row")
    return df


def _none_if_nan(v):
    return None if v is None or (isinstance(v, float) and v != v) else v


def _exact(d) -> str | None:
    """A Decimal as canonical text, so that equal numbers compare equal (1.50 == 1.5)."""
    if d is None:
        return None
    d = Decimal(d).normalize()
    return format(d, "f")


def valid_dimension_base_units(present=None) -> list[list[str]]:
    """Every (dimension, base unit) pair pipelines/report/units.py can produce; with `present` (a frame
    with dimension and base_unit), only the valid ones among its pairs: the check is the same, and GX
    tests every row against a set of a handful instead of thousands (rates made the full set large)."""
    pairs = _all_dimension_base_units()
    if present is not None:
        pairs = pairs & set(zip(present["dimension"], present["base_unit"]))
    return sorted([a, b] for a, b in pairs)


@functools.lru_cache(maxsize=1)
def _all_dimension_base_units() -> frozenset[tuple[str, str]]:
    pairs = {("percent", "percent")}
    pairs |= {("money", code) for code in CURRENCIES.values()}
    pairs |= {(dim, base) for dim, base, _ in PHYSICAL.values()}
    pairs |= {("count", w) for w in CLASSIFIERS}
    pairs.add(("count", "度"))  # 度次: 2 度獲選, occasions (units.lookup_unit)
    return frozenset(pairs)


def unit_table_pairs(written_units: Iterable[str]) -> list[list[str]]:
    """(unit_key, base_unit) of each unit as written, looked up afresh in the unit table."""
    out = set()
    for w in written_units:
        if not w:
            continue
        ref = lookup_unit(w)
        if ref is not None:
            out.add((f"{ref.dimension}:{ref.written}", ref.base_unit))
    return sorted([a, b] for a, b in out)


def year_bounds(roc_year: int | None) -> tuple[int, int]:
    if roc_year:
        y = roc_year + 1911 if roc_year < 1900 else roc_year
        return y - YEAR_WINDOW, y + YEAR_WINDOW
    return 1912, _dt.date.today().year + YEAR_WINDOW


def pages_frame(pages) -> Frame:
    rows, index = [], []
    for p in pages:
        prose = sum(len(line.text) for line in p.lines)
        cells = sum(len((c or "").replace("\n", "")) for t in p.tables for r in t.rows for c in r)
        rows.append({"page_index": p.index, "char_count": p.char_count, "image_count": p.image_count,
                     "lines": len(p.lines), "tables": len(p.tables), "extracted_chars": prose + cells,
                     "coverage": (prose + cells) / p.char_count if p.char_count else None})
        index.append(f"page {p.index + 1}")
    return Frame(_frame(rows, ["page_index", "char_count", "image_count", "lines", "tables", "extracted_chars",
                               "coverage"], index))


def _norm_title(text: str) -> str:
    return re.sub(r"[\s、,，.．:：]", "", nfkc(text or ""))


def _match_chapter(title: str, chapters) -> Any:
    """The chapter heading a contents entry names: same marker, titles equal or one a prefix of
    the other (a heading's title is cut at its first punctuation)."""
    e = _norm_title(title)
    for s in chapters:
        marker = _norm_title(s.marker)
        if not e.startswith(marker):
            continue
        rest = e[len(marker):]
        for cand in {_norm_title(s.title), _norm_title(s.chapter_title or "")}:
            cand = cand[len(marker):] if cand.startswith(marker) and s.marker == "附錄" else cand
            if cand and rest and (rest == cand or rest.startswith(cand) or cand.startswith(rest)):
                return s
            if s.marker == "附錄" and not rest:
                return s
    return None


def contents_frame(document, sections) -> Frame:
    """Each contents-page entry with the chapter heading that matches it and that heading's page."""
    labels = {p.index: p.label for p in document.pages}
    chapters = [s for s in sections if s.level == 1]
    rows, index = [], []
    for e in document.contents:
        s = _match_chapter(e.title, chapters)
        label = labels.get(s.page_index) if s else None
        rows.append({
            "title": e.title, "page_label": e.page_label, "heading_path": s.path if s else None,
            "heading_page_label": label,
            "missing_heading": None if s else f"{e.title} (contents: p.{e.page_label})",
            "page_mismatch": (None if s is None or label == e.page_label
                              else f"{e.title}: contents p.{e.page_label}, heading on p.{label or '(unnumbered)'}"),
        })
        index.append(e.title)
    return Frame(_frame(rows, ["title", "page_label", "heading_path", "heading_page_label", "missing_heading",
                               "page_mismatch"], index))


def outline_frame(sections, n_lines: int) -> Frame:
    by_id = {s.section_id: s for s in sections}
    rows, index = [], []
    for s in sections:
        parent = by_id.get(s.parent_id)
        orphan = s.parent_id != 0 and parent is None
        parent_level = parent.level if parent else (0 if s.parent_id == 0 else -1)
        rows.append({
            "section_id": s.section_id, "level": s.level, "parent_level": parent_level,
            "expected_level": parent_level + 1, "marker": s.marker, "number": s.number,
            "chapter_no": s.chapter_no, "title": s.title, "path": s.path,
            "path_parent": s.path.rsplit("/", 1)[0] if "/" in s.path else "",
            "parent_path": parent.path if parent else ("" if s.parent_id == 0 else None),
            "first_line_id": s.first_line_id, "last_line_id": s.last_line_id,
            "parent_first_line": parent.first_line_id if parent else -1,
            "parent_last_line": parent.last_line_id if parent else max(n_lines - 1, s.last_line_id),
            "page_index": s.page_index,
            "orphan_parent": f"{s.path} (parent #{s.parent_id})" if orphan else None,
        })
        index.append(f"{s.path} {s.title[:24]}")
    cols = ["section_id", "level", "parent_level", "expected_level", "marker", "number", "chapter_no", "title",
            "path", "path_parent", "parent_path", "first_line_id", "last_line_id", "parent_first_line",
            "parent_last_line", "page_index", "orphan_parent"]
    df = _frame(rows, cols, index)
    df["chapter_no"] = df["chapter_no"].astype("Int64")
    return Frame(df)


def quantities_frame(records, sections, n_pages: int, roc_year: int | None) -> Frame:
    rows, index = [], []
    for r in records:
        u = r.q.unit
        rows.append({
            "quantity_no": r.quantity_no, "section_id": r.section_id or None, "page_index": r.page_index,
            "raw_text": r.raw_text, "number_text": r.q.number_text,
            "value": float(r.q.value) if r.q.value is not None else None,
            "quantity": float(r.q.quantity) if r.q.quantity is not None else None,
            "quantity_exact": _exact(r.q.quantity),
            "value_times_factor": _exact(r.q.value * u.factor) if r.q.value is not None else None,
            "unit": u.written, "unit_key": f"{u.dimension}:{u.written}", "dimension": u.dimension,
            "base_unit": u.base_unit, "currency": u.currency, "year": r.year,
        })
        index.append(f"q{r.quantity_no}: {r.raw_text.replace(chr(10), '')}")
    df = _frame(rows, ["quantity_no", "section_id", "page_index", "raw_text", "number_text", "value", "quantity",
                       "quantity_exact", "value_times_factor", "unit", "unit_key", "dimension", "base_unit",
                       "currency", "year"], index)
    df["year"] = df["year"].astype("Int64")
    df["section_id"] = df["section_id"].astype("Int64")
    lo, hi = year_bounds(roc_year)
    return Frame(df, {
        "valid_dimension_base_units": valid_dimension_base_units(df),
        "unit_table": unit_table_pairs(df["unit"].unique()),
        "currencies": sorted(set(CURRENCIES.values())),
        "min_year": lo, "max_year": hi, "last_page": max(n_pages - 1, 0),
        "section_ids": sorted(s.section_id for s in sections),
    })


DIGIT_RUN = re.compile(r"\d+")


def reconciliation_frame(paragraphs, records, mentions) -> Frame:
    """Every digit run of the body prose, with what explains it: part of a quantity, or the kind
    of number mention the extractor classified it as, or nothing ('unaccounted')."""
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for r in records:
        spans[r.paragraph_id].append((r.q.start, r.q.end, "quantity"))
    for m in mentions:
        spans[m.paragraph_id].append((m.m.start, m.m.end, m.m.kind))
    rows, index = [], []
    for para in paragraphs:
        own = spans.get(para.paragraph_id, [])
        for mt in DIGIT_RUN.finditer(para.text):
            a, b = mt.span()
            kind = next((k for s, e, k in own if s < b and a < e), "unaccounted")
            page = para.page_at(a)
            rows.append({"digits": mt.group(0), "explanation": kind, "page_index": page,
                         "section_id": para.section_id or None, "paragraph_id": para.paragraph_id})
            index.append(f"p{page + 1}: …{para.text[max(0, a - 12): b + 6]}…")
    return Frame(_frame(rows, ["digits", "explanation", "page_index", "section_id", "paragraph_id"], index),
                 {"explanations": explanations()})


def explanations() -> list[str]:
    """What can explain a digit run of the prose: a quantity, a number-mention kind, or nothing."""
    return ["quantity", *mention_kinds(), "unaccounted"]


PLAIN_NUMBER = re.compile(r"^[+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*[%％]?$")


def tables_frame(tables, cells) -> Frame:
    n_cells = Counter(c.table_no for c in cells)
    rows, index = [], []
    for t in tables:
        rows.append({"table_no": t.table_no, "page_index": t.page_index, "title": t.title, "caption": t.caption,
                     "n_rows": t.n_rows, "n_cols": t.n_cols, "header_cols": len(t.header), "strategy": t.strategy,
                     "cells": n_cells.get(t.table_no, 0), "expected_cells": (t.n_rows + 1) * t.n_cols})
        index.append(f"t{t.table_no} {t.title or (t.caption or '')[:24]}")
    return Frame(_frame(rows, ["table_no", "page_index", "title", "caption", "n_rows", "n_cols", "header_cols",
                               "strategy", "cells", "expected_cells"], index))


def cells_frame(tables, cells) -> Frame:
    n_cols = {t.table_no: t.n_cols for t in tables}
    per_row = Counter((c.table_no, c.row_no) for c in cells)
    rows, index = [], []
    for c in cells:
        text = re.sub(r"\s+", "", nfkc(c.text or ""))
        plain = bool(PLAIN_NUMBER.match(text)) and not c.is_header and c.col_no > 0
        rows.append({
            "table_no": c.table_no, "row_no": c.row_no, "col_no": c.col_no, "text": c.text,
            "is_header": c.is_header, "value": float(c.value) if c.value is not None else None,
            "unit": c.unit_written, "dimension": c.dimension, "base_unit": c.base_unit, "currency": c.currency,
            "n_cols": n_cols.get(c.table_no), "row_cells": per_row[(c.table_no, c.row_no)],
            "unparsed_number": c.text if plain and c.value is None else None,
        })
        index.append(f"t{c.table_no} r{c.row_no} c{c.col_no}: {(c.text or '')[:20]}")
    df = _frame(rows, ["table_no", "row_no", "col_no", "text", "is_header", "value", "unit", "dimension",
                       "base_unit", "currency", "n_cols", "row_cells", "unparsed_number"], index)
    df["n_cols"] = df["n_cols"].astype("Int64")
    return Frame(df, {"table_nos": sorted(n_cols), "valid_dimension_base_units": valid_dimension_base_units(df)})


def _indexed(df: pd.DataFrame, labels) -> pd.DataFrame:
    """A copy of `df` whose index names each row (the row ids failing samples show)."""
    import pandas as pd

    df = df.copy()
    df.index = pd.Index([str(x) for x in labels], dtype=object, name="row")
    return df


def _star_keys(report_id: str, frames: dict[str, pd.DataFrame]) -> dict[str, list]:
    """The keys each star table's foreign keys must be among (the `$PARAMETER` sets)."""
    return {
        "report_ids": [report_id],
        "page_keys": sorted(frames["dim_page"]["page_key"]),
        "section_keys": sorted(frames["dim_section"]["section_key"]),
        "unit_keys": sorted(frames["dim_unit"]["unit_key"]),
        "years": sorted(int(y) for y in frames["dim_period"]["year"]),
        "table_keys": sorted(frames["report_table"]["table_key"]),
    }


def _dimension_frames(report_id: str, frames: dict[str, pd.DataFrame], keys: dict, year_range) -> dict[str, Frame]:
    rx = re.escape(report_id)
    dim_report, dim_page, dim_section = frames["dim_report"], frames["dim_page"], frames["dim_section"]
    dim_unit, dim_period = frames["dim_unit"], frames["dim_period"]
    out: dict[str, Frame] = {}
    d = _indexed(dim_report, dim_report["report_id"])
    d["roc_year_plus_1911"] = [None if _none_if_nan(y) is None else int(y) + 1911 for y in d["roc_year"]]
    d["report_year"] = [None if _none_if_nan(y) is None else int(y) for y in d["report_year"]]
    out["dim_report"] = Frame(d, {"report_ids": [report_id]})

    d = _indexed(dim_page, dim_page["page_key"])
    d["expected_key"] = [f"{r}:p{i}" for r, i in zip(d["report_id"], d["page_index"])]
    d["page_number"] = d["page_number"].astype("Int64")
    out["dim_page"] = Frame(d, {"page_key_regex": rf"^{rx}:p\d+$", "report_ids": [report_id]})

    d = _indexed(dim_section, dim_section["section_key"])
    out["dim_section"] = Frame(d, {"section_key_regex": rf"^{rx}:s[1-9]\d*$", "section_keys": keys["section_keys"],
                                   "page_keys": keys["page_keys"]})

    d = _indexed(dim_unit, dim_unit["unit_key"])
    d["expected_key"] = [f"{a}:{b}" for a, b in zip(d["dimension"], d["unit"])]
    d["factor"] = [float(x) for x in d["factor"]]
    out["dim_unit"] = Frame(d, {"valid_dimension_base_units": valid_dimension_base_units(d),
                                "unit_table": unit_table_pairs(d["unit"])})

    d = _indexed(dim_period, dim_period["year"])
    d["year_minus_1911"] = [int(y) - 1911 for y in d["year"]]
    lo, hi = year_range
    out["dim_period"] = Frame(d, {"min_year": lo, "max_year": hi})
    return out


def _fact_frame(fact: pd.DataFrame, dim_unit: pd.DataFrame, keys: dict) -> Frame:
    d = _indexed(fact, fact["quantity_key"])
    d["expected_key"] = [f"{r}:{s}:{n}" for r, s, n in zip(d["report_id"], d["source"], d["quantity_no"])]
    dims = dict(zip(dim_unit["unit_key"], dim_unit["dimension"]))
    d["dimension"] = [dims.get(k) for k in d["unit_key"]]
    d["quantity_number"] = [None if q is None else float(q) for q in d["quantity"]]
    d["year"] = d["year"].astype("Int64")
    for col in ("value", "quantity"):
        d[col] = [_exact(_none_if_nan(v)) for v in d[col]]
    return Frame(d, {k: keys[k] for k in ("report_ids", "page_keys", "section_keys", "unit_keys", "years")})


def _table_frames(report_table: pd.DataFrame, table_cell: pd.DataFrame, keys: dict) -> dict[str, Frame]:
    d = _indexed(report_table, report_table["table_key"])
    d["expected_key"] = [f"{r}:t{n}" for r, n in zip(d["report_id"], d["table_no"])]
    n_cells = Counter(table_cell["table_no"])
    d["cells"] = [n_cells.get(n, 0) for n in d["table_no"]]
    d["expected_cells"] = [(int(r) + 1) * int(c) for r, c in zip(d["n_rows"], d["n_cols"])]
    tables = Frame(d, {k: keys[k] for k in ("page_keys", "section_keys")})

    d = _indexed(table_cell, [f"{r}:t{t} r{rr} c{c}" for r, t, rr, c in zip(
        table_cell["report_id"], table_cell["table_no"], table_cell["row_no"], table_cell["col_no"])])
    d["table_key"] = [f"{r}:t{t}" for r, t in zip(d["report_id"], d["table_no"])]
    d["has_quantity"] = [_none_if_nan(q) is not None for q in d["quantity"]]
    for col in ("value", "quantity"):
        d[col] = [_exact(_none_if_nan(v)) for v in d[col]]
    return {"report_table": tables, "table_cell": Frame(d, {"table_keys": keys["table_keys"]})}


def star_frames(report_id: str, frames: dict[str, pd.DataFrame], roc_year: int | None = None) -> dict[str, Frame]:
    """The star-schema frames (pipelines.report.star.frames) as the star suites validate them:
    copies with a readable index and the derived columns the suites compare."""
    dim_report = frames["dim_report"]
    if roc_year is None and len(dim_report):
        roc_year = _none_if_nan(dim_report["roc_year"].iloc[0])
    year_range = year_bounds(int(roc_year) if roc_year is not None else None)
    keys = _star_keys(report_id, frames)
    out = _dimension_frames(report_id, frames, keys, year_range)
    out["fact_quantity"] = _fact_frame(frames["fact_quantity"], frames["dim_unit"], keys)
    out.update(_table_frames(frames["report_table"], frames["table_cell"], keys))
    mention = frames["number_mention"]
    d = _indexed(mention, [f"{r}:m{n}: {t}" for r, n, t in zip(mention["report_id"], mention["mention_no"],
                                                                mention["text"])])
    out["number_mention"] = Frame(d, {"page_keys": keys["page_keys"], "section_keys": keys["section_keys"],
                                      "mention_kinds": list(mention_kinds())})
    return out


@functools.lru_cache(maxsize=1)
def warehouse_sql() -> str:
    return WAREHOUSE_SQL_FILE.read_text(encoding="utf-8")


def warehouse_frame(con, report_id: str) -> Frame:
    """This report's rows in the warehouse, each with the keys it refers to that do not resolve."""
    import pandas as pd

    df = con.execute(warehouse_sql(), {"rid": report_id}).df()
    refs = {}
    for w in df["unit"].dropna().unique():
        ref = lookup_unit(w)
        refs[w] = ref.base_unit if ref else "(not in the unit table)"
    df["reference_base_unit"] = [refs.get(w) if isinstance(w, str) else None for w in df["unit"]]
    df = df.set_index(pd.Index(df.pop("row_id"), dtype=object, name="row"))
    return Frame(df.astype(object).where(df.notna(), None))



# --------------------------------------------------------------------------------------------------
# budget books: the rows of budget tables (pipelines/report/budget_columns.py)

BUDGET_AMOUNTS = ("this_year_budget", "last_year_budget", "prior_year_actual", "change")


def _half_unit(cell) -> Decimal:
    """Half a unit of the last digit the cell prints, in its base unit (0 for a dash: nothing rounded)."""
    if cell is None or cell.value is None or cell.quantity is None:
        return Decimal(0)
    unit = lookup_unit(cell.unit_written) if cell.unit_written else None
    step = Decimal(1).scaleb(min(cell.value.as_tuple().exponent, 0))
    return step * (unit.factor if unit is not None else Decimal(1)) / 2


def _show(amount: Decimal | None, cell) -> str:
    """An amount in the unit the cell prints it in (1,006,592 千元), else in its base unit."""
    if amount is None:
        return "(none)"
    unit = getattr(cell, "unit_written", None)
    ref = lookup_unit(unit) if unit else None
    if ref is not None and ref.factor:
        return f"{format(Decimal(amount / ref.factor).normalize(), ',f')} {unit}"
    return format(Decimal(amount).normalize(), ",f")


def _where(line) -> str:
    title = f" ({line.table_title})" if line.table_title else ""
    return f"table {line.table_no}{title} row {line.row_no} {line.row_path or line.row_name}"


def _change_mismatch(line) -> str | None:
    from ..report.budget_columns import cell_amount

    cells = line.cells
    if not all(r in cells for r in ("this_year_budget", "last_year_budget", "change")):
        return None
    this, last, change = (cell_amount(cells[r]) for r in ("this_year_budget", "last_year_budget", "change"))
    if this is None or last is None or change is None or change == this - last:
        return None
    ref = cells["this_year_budget"]
    return (f"{_where(line)}: change {_show(change, ref)} but this year {_show(this, ref)} - last year "
            f"{_show(last, ref)} = {_show(this - last, ref)}")


def _parent_mismatches(lines) -> dict[tuple[int, int], str]:
    """(table_no, row_no) of a parent row -> what does not add up: per amount column, the parent's
    amount against the sum of its children's, beyond half a unit of each child's last printed digit."""
    from ..report.budget_columns import cell_amount

    children: dict[tuple[int, int], list] = defaultdict(list)
    for line in lines:
        if line.parent_row_no is not None:
            children[(line.table_no, line.parent_row_no)].append(line)
    out: dict[tuple[int, int], str] = {}
    for parent in lines:
        kids = children.get((parent.table_no, parent.row_no))
        if not kids:
            continue
        problems = []
        for role in BUDGET_AMOUNTS:
            if role not in parent.cells:
                continue
            own = cell_amount(parent.cells[role])
            parts = [cell_amount(k.cells.get(role)) for k in kids]
            if own is None or any(p is None for p in parts):
                continue  # an amount not read: nothing to compare
            total = sum(parts, Decimal(0))
            slack = sum((_half_unit(k.cells.get(role)) for k in kids), Decimal(0))
            if abs(own - total) > slack:
                ref = parent.cells[role]
                problems.append(f"{role} {_show(own, ref)} but its {len(kids)} children (rows "
                                f"{', '.join(str(k.row_no) for k in kids)}) sum to {_show(total, ref)}")
        if problems:
            out[(parent.table_no, parent.row_no)] = f"{_where(parent)}: " + "; ".join(problems)
    return out


def _note_total(line) -> tuple[str | None, str | None]:
    """(the total the row's note states, as written; what does not match the row's this-year cell)."""
    from ..report.budget_columns import cell_amount, note_total

    stated = note_total(line.note)
    if stated is None:
        return None, None
    cell = line.cells.get("this_year_budget")
    this = cell_amount(cell)
    if this is None:
        return stated.text, None
    exponent = stated.value.as_tuple().exponent
    slack = Decimal(1).scaleb(min(int(exponent), 0)) * (stated.quantity / stated.value if stated.value else 0) / 2
    if abs(this - stated.quantity) <= abs(slack):
        return stated.text, None
    return stated.text, (f"{_where(line)}: its note states {stated.text} but its this-year cell holds "
                         f"{_show(this, cell)}")


def budget_frame(tables, cells) -> Frame:
    """One row per data row of a budget table (report_tables' records; budget_columns.budget_lines),
    with what does not add up: the printed change against this year - last year, a parent row
    against the sum of its children, the total a note states against the row's this-year cell.
    Tables that are not budget tables give no rows."""
    from ..report.budget_columns import budget_lines, cell_amount

    lines = budget_lines(tables, cells)
    parents = _parent_mismatches(lines)
    n_children = Counter((x.table_no, x.parent_row_no) for x in lines if x.parent_row_no is not None)
    rows, index = [], []
    for line in lines:
        stated, note_problem = _note_total(line)
        rows.append({
            "table_no": line.table_no, "row_no": line.row_no, "row_path": line.row_path, "row_name": line.row_name,
            "row_depth": line.row_depth, "parent_row_no": line.parent_row_no, "is_total": line.is_total,
            **{role: _exact(cell_amount(line.cells.get(role))) for role in BUDGET_AMOUNTS},
            "children": n_children.get((line.table_no, line.row_no), 0),
            "change_mismatch": _change_mismatch(line),
            "parent_sum_mismatch": parents.get((line.table_no, line.row_no)),
            "note_total": stated, "note_total_mismatch": note_problem,
        })
        index.append(f"t{line.table_no} r{line.row_no}: {(line.row_path or line.row_name or '')[:30]}")
    df = _frame(rows, ["table_no", "row_no", "row_path", "row_name", "row_depth", "parent_row_no", "is_total",
                       *BUDGET_AMOUNTS, "children", "change_mismatch", "parent_sum_mismatch", "note_total",
                       "note_total_mismatch"], index)
    for col in ("row_depth", "parent_row_no"):
        df[col] = df[col].astype("Int64")
    return Frame(df)


def budget_extra(frame: Frame) -> dict:
    """What the budget suite counted (check metadata): tables, rows and rows each check could compare."""
    df = frame.df
    return {"budget_tables": int(df["table_no"].nunique()) if len(df) else 0, "budget_rows": len(df),
            "rows_with_change": int(df["change"].notna().sum()) if len(df) else 0,
            "parent_rows": int((df["children"] > 0).sum()) if len(df) else 0,
            "notes_stating_a_total": int(df["note_total"].notna().sum()) if len(df) else 0}

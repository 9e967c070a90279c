"""Parsed report -> one pandas DataFrame per warehouse table (pure; no database here).

Keys are built from the report_id and document-order numbers only, so the same PDF always gives
the same rows."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .budget_columns import table_roles
from .indicators import classify_money, flags
from .model import Unit
from .parse import ParsedReport
from .quantities import QuantityRecord, read_text
from .text import nfkc
from .units import lookup_unit, per_of
from .years import read_year, to_gregorian


# The columns of a report with no quantity (a text-only table document); else the rows name them.
EMPTY_FACT_COLUMNS = [
    "quantity_key", "report_id", "source", "quantity_no", "section_key", "page_key", "unit_key", "year",
    "raw_text", "number_text", "value", "quantity", "qualifier", "context", "table_no", "row_no", "col_no",
    "indicator", "indicator_keyword", "is_cumulative", "is_target", "is_approximate", "comparison", "base_year",
    "period", "per", "noun", "x0", "top", "x1", "bottom"]
# A table cell's box is not kept by the table stage (pdfplumber's rows are text only): NULL.
NO_BOX = {"x0": None, "top": None, "x1": None, "bottom": None}


def box_columns(box, page_index: int) -> dict:
    """x0, top, x1, bottom of a quantity's box (PDF points, top-left origin) on its page."""
    if box is None or box[0] != page_index:
        return dict(NO_BOX)
    return dict(zip(("x0", "top", "x1", "bottom"), box[1:]))


def page_key(report_id: str, page_index: int) -> str:
    return f"{report_id}:p{page_index}"


def section_key(report_id: str, section_id: int) -> str | None:
    return f"{report_id}:s{section_id}" if section_id else None


def unit_key(unit: Unit) -> str:
    return f"{unit.dimension}:{unit.written}"


def _section_at_line(parsed: ParsedReport, line_id: int) -> int:
    best = 0
    for s in parsed.sections:
        if s.first_line_id <= line_id <= s.last_line_id:
            best = s.section_id  # deepest wins: sections come in document order
    return best


def frames(report_id: str, file_name: str, sha256: str, extractor_version: str,
           parsed: ParsedReport) -> dict[str, pd.DataFrame]:
    doc = parsed.document
    units: dict[str, Unit] = {}
    years: set[int] = set()

    dim_report = _dim_report(report_id, file_name, sha256, extractor_version, parsed)
    dim_page = _dim_page(report_id, doc)
    dim_section = _dim_section(report_id, parsed)

    facts = _text_facts(report_id, parsed, units, years)
    facts += _note_facts(report_id, parsed, units, years, len(facts))
    table_pages = {t.table_no: t.page_index for t in parsed.tables}
    table_rows = _table_rows(report_id, parsed)
    cell_rows = _cell_rows(report_id, parsed, table_pages, units, facts)
    # tables and their quantities belong to the section whose span holds the caption's page
    fact_quantity = pd.DataFrame(facts) if facts else pd.DataFrame(columns=EMPTY_FACT_COLUMNS)
    for col in ("period", "per", "noun"):  # table cells state none of these
        if col in fact_quantity:
            fact_quantity[col] = fact_quantity[col].astype(object).where(fact_quantity[col].notna(), None)
    report_table = pd.DataFrame(table_rows, columns=[
        "table_key", "report_id", "table_no", "page_key", "section_key", "title", "caption", "unit_hint",
        "n_rows", "n_cols", "strategy", "has_total_row", "label", "notes", "header_rows", "has_total_col",
        "last_page_key", "pages", "total_mismatches"])
    _place_tables(parsed, report_id, table_pages, report_table, fact_quantity)
    table_cell = pd.DataFrame(cell_rows, columns=[
        "report_id", "table_no", "row_no", "col_no", "row_label", "col_label", "text", "is_header", "is_total",
        "value", "unit", "dimension", "quantity", "unit_source", "page_key", "row_name", "row_code", "row_depth",
        "parent_row_no", "column_role"])
    return {
        "dim_report": dim_report, "dim_page": dim_page, "dim_section": dim_section,
        "dim_unit": _dim_unit(units), "dim_period": _dim_period(years), "fact_quantity": fact_quantity,
        "report_table": report_table, "table_cell": table_cell,
        "number_mention": _number_mention(report_id, parsed),
    }


def _dim_report(report_id: str, file_name: str, sha256: str, extractor_version: str,
                parsed: ParsedReport) -> pd.DataFrame:
    return pd.DataFrame([{
        "report_id": report_id, "file_name": file_name, "sha256": sha256,
        "page_count": len(parsed.pages), "title": parsed.title, "issuer": parsed.issuer,
        "report_kind": parsed.report_kind, "roc_year": parsed.roc_year,
        "report_year": parsed.roc_year + 1911 if parsed.roc_year else None,
        "extractor_version": extractor_version,
    }])


def _dim_page(report_id: str, doc) -> pd.DataFrame:
    return pd.DataFrame([{
        "page_key": page_key(report_id, p.index), "report_id": report_id, "page_index": p.index,
        "page_label": p.label, "page_number": p.number, "kind": p.kind, "char_count": p.char_count,
        "body_char_count": p.body_char_count,
    } for p in doc.pages])


def _dim_section(report_id: str, parsed: ParsedReport) -> pd.DataFrame:
    doc = parsed.document
    contents = {e.title: e.page_label for e in doc.contents}
    return pd.DataFrame([{
        "section_key": section_key(report_id, s.section_id), "report_id": report_id,
        "section_id": s.section_id, "parent_section_key": section_key(report_id, s.parent_id),
        "level": s.level, "marker": s.marker, "number": s.number, "title": s.title,
        "section_path": s.path, "chapter_no": s.chapter_no, "chapter_title": s.chapter_title,
        "page_key": page_key(report_id, s.page_index),
        "last_page_key": page_key(report_id, doc.lines[s.last_line_id].page_index if doc.lines else s.page_index),
        "contents_page_label": next((v for k, v in contents.items()
                                     if s.level == 1 and k.replace(" ", "").endswith(s.title.replace(" ", ""))),
                                    None),
    } for s in parsed.sections], columns=["section_key", "report_id", "section_id", "parent_section_key",
                                          "level", "marker", "number", "title", "section_path", "chapter_no",
                                          "chapter_title", "page_key", "last_page_key", "contents_page_label"])


def _text_facts(report_id: str, parsed: ParsedReport, units: dict[str, Unit], years: set[int]) -> list[dict]:
    """fact_quantity rows of the quantities read from the text; their units and years are added to units, years."""
    facts = []
    # 今年/去年/本期 resolve against the report's own year when it states one (else they stay NULL)
    own_year = to_gregorian(parsed.roc_year) if parsed.roc_year else None
    heading_years = _heading_years(parsed.sections, own_year)
    for r in parsed.quantities:
        q = r.q
        units[unit_key(q.unit)] = q.unit
        year, base_year = r.resolved_years(own_year)
        period = r.period if year else None
        if year is None and r.period_ref.offset is None and r.section_id in heading_years:
            # a sentence that states no year: the year its outline item states (2、101 年…，效益如下：)
            year, period = heading_years[r.section_id]
        if year:
            years.add(year)
        # indicator and flags were read in the quantities stage from the quantity's own position
        facts.append({
            "quantity_key": f"{report_id}:text:{r.quantity_no}", "report_id": report_id, "source": "text",
            "quantity_no": r.quantity_no, "section_key": section_key(report_id, r.section_id),
            "page_key": page_key(report_id, r.page_index), "unit_key": unit_key(q.unit), "year": year,
            "raw_text": r.raw_text, "number_text": q.number_text, "value": q.value, "quantity": q.quantity,
            "qualifier": q.qualifier, "context": r.context, "table_no": None, "row_no": None, "col_no": None,
            "indicator": r.indicator, "indicator_keyword": r.indicator_keyword,
            "is_cumulative": r.is_cumulative, "is_target": r.is_target,
            "is_approximate": r.is_approximate, "comparison": r.comparison,
            "base_year": base_year, "period": period, "per": r.per, "noun": r.noun,
            **box_columns(r.box, r.page_index),
        })
    return facts


def _note_facts(report_id: str, parsed: ParsedReport, units: dict[str, Unit], years: set[int],
                after: int) -> list[dict]:
    """fact_quantity rows of the amounts in a budget table's notes (說明): prose of its row, read as
    the text is (source text), numbered after the text's own, and linked to the note's cell so that
    v_quantities shows the row it explains.  The note's cell holds no value, so nothing counts twice."""
    own_year = to_gregorian(parsed.roc_year) if parsed.roc_year else None
    facts: list[dict] = []
    for c in parsed.cells:
        if c.is_header or c.column_role != "note" or not c.text:
            continue
        text = nfkc(c.text)
        raw = c.text if len(text) == len(c.text) else text  # spans index the text as written
        found, _ = read_text(text)
        for r in found:
            q = r.q
            units[unit_key(q.unit)] = q.unit
            rec = QuantityRecord(0, 0, 0, c.page_index, raw[q.start:q.end], q, r.sentence, r.sentence,
                                 start=r.start, end=r.end, **r.info)
            year, base_year = rec.resolved_years(own_year)
            if year:
                years.add(year)
            n = after + len(facts) + 1
            facts.append({
                "quantity_key": f"{report_id}:text:{n}", "report_id": report_id, "source": "text",
                "quantity_no": n, "section_key": _section_of_page(parsed, report_id, c.page_index),
                "page_key": page_key(report_id, c.page_index), "unit_key": unit_key(q.unit), "year": year,
                "raw_text": rec.raw_text, "number_text": q.number_text, "value": q.value, "quantity": q.quantity,
                "qualifier": q.qualifier, "context": r.sentence, "table_no": c.table_no, "row_no": c.row_no,
                "col_no": c.col_no, "indicator": rec.indicator, "indicator_keyword": rec.indicator_keyword,
                "is_cumulative": rec.is_cumulative, "is_target": rec.is_target,
                "is_approximate": rec.is_approximate, "comparison": rec.comparison,
                "base_year": base_year, "period": rec.period if year else None, "per": rec.per, "noun": rec.noun,
                **NO_BOX,
            })
    return facts


def _table_rows(report_id: str, parsed: ParsedReport) -> list[dict]:
    return [{
        "table_key": f"{report_id}:t{t.table_no}", "report_id": report_id, "table_no": t.table_no,
        "page_key": page_key(report_id, t.page_index), "section_key": None,
        "title": t.title_line or t.title,
        "caption": t.caption, "unit_hint": t.unit_hint, "n_rows": t.n_rows, "n_cols": t.n_cols,
        "strategy": t.strategy, "has_total_row": t.has_total_row,
        "label": t.label, "notes": t.notes or None, "header_rows": t.header_rows,
        "has_total_col": t.has_total_col, "total_mismatches": t.total_mismatches,
        "last_page_key": page_key(report_id, (t.pages or (t.page_index,))[-1]),
        "pages": ",".join(str(p + 1) for p in (t.pages or (t.page_index,))),  # PDF pages, 1-based
    } for t in parsed.tables]


def _cell_rows(report_id: str, parsed: ParsedReport, table_pages: dict[int, int], units: dict[str, Unit],
               facts: list[dict]) -> list[dict]:
    """table_cell rows; each numeric cell with a known unit is also appended to facts (its unit to units)."""
    cell_rows = []
    n = 0
    roles = _column_roles(parsed)
    for c in parsed.cells:
        cell_rows.append({
            "report_id": report_id, "table_no": c.table_no, "row_no": c.row_no, "col_no": c.col_no,
            "row_label": c.row_label, "col_label": c.col_label, "text": c.text, "is_header": c.is_header,
            "is_total": c.is_total, "value": c.value, "unit": c.unit_written, "dimension": c.dimension,
            "quantity": c.quantity, "unit_source": c.unit_source,
            "page_key": page_key(report_id, c.page_index if c.page_index >= 0 else table_pages[c.table_no]),
            "row_name": c.row_name or None, "row_code": c.row_code, "row_depth": c.row_depth,
            "parent_row_no": c.parent_row_no, "column_role": roles.get((c.table_no, c.col_no)),
        })
        if c.quantity is None or c.is_header or not c.unit_written:
            continue
        unit = lookup_unit(c.unit_written)
        if unit is None:
            continue
        n += 1
        units[unit_key(unit)] = unit
        facts.append(_cell_fact(report_id, parsed, table_pages, c, unit, n))
    return cell_rows


def _column_roles(parsed: ParsedReport) -> dict[tuple[int, int], str]:
    """{(table_no, col_no): role} of the budget tables' columns: the roles the table reader gave,
    else the ones read from the header paths (budget_columns.table_roles); none for other tables."""
    by_table: dict[int, list] = {}
    for c in parsed.cells:
        by_table.setdefault(c.table_no, []).append(c)
    out: dict[tuple[int, int], str] = {}
    for t in parsed.tables:
        for col, role in table_roles(t.header, by_table.get(t.table_no, []), parsed.roc_year).items():
            out[(t.table_no, col)] = role
    return out


def _cell_fact(report_id: str, parsed: ParsedReport, table_pages: dict[int, int], c, unit: Unit, n: int) -> dict:
    caption = next((t.caption for t in parsed.tables if t.table_no == c.table_no), "")
    context = f"{caption} | {c.row_label} | {c.col_label}"
    return {
        "quantity_key": f"{report_id}:table:{n}", "report_id": report_id, "source": "table",
        "quantity_no": n, "section_key": None,
        "page_key": page_key(report_id, c.page_index if c.page_index >= 0 else table_pages[c.table_no]),
        "unit_key": unit_key(unit), "year": None, "raw_text": c.text, "number_text": c.text,
        "value": c.value, "quantity": c.quantity, "qualifier": None, "context": context,
        "table_no": c.table_no, "row_no": c.row_no, "col_no": c.col_no,
        "indicator": (classify_money(context, 0, len(context))[0] if unit.dimension == "money" else None),
        "indicator_keyword": (classify_money(context, 0, len(context))[1] if unit.dimension == "money" else None),
        "is_cumulative": "累計" in caption, "is_target": False, "is_approximate": False,
        "comparison": None, "base_year": None, "period": None, "per": None, "noun": None, **NO_BOX,
    }


def _place_tables(parsed: ParsedReport, report_id: str, table_pages: dict[int, int],
                  report_table: pd.DataFrame, fact_quantity: pd.DataFrame) -> None:
    """Fill section_key of report_table and of the table rows of fact_quantity (in place)."""
    if len(report_table):
        report_table["section_key"] = [
            _section_of_page(parsed, report_id, table_pages[no]) for no in report_table["table_no"]]
        sk = dict(zip(report_table["table_no"], report_table["section_key"]))
    if len(report_table) and len(fact_quantity):  # a table document may have no quantity at all
        mask = fact_quantity["source"] == "table"
        fact_quantity.loc[mask, "section_key"] = fact_quantity.loc[mask, "table_no"].map(sk)


def _number_mention(report_id: str, parsed: ParsedReport) -> pd.DataFrame:
    return pd.DataFrame([{
        "report_id": report_id, "mention_no": k + 1, "section_key": section_key(report_id, m.section_id),
        "page_key": page_key(report_id, m.page_index), "text": m.m.text, "kind": m.m.kind,
    } for k, m in enumerate(parsed.mentions)], columns=["report_id", "mention_no", "section_key", "page_key",
                                                         "text", "kind"])


def _dim_unit(units: dict[str, Unit]) -> pd.DataFrame:
    return pd.DataFrame([{
        "unit_key": k, "unit": u.written, "dimension": u.dimension, "base_unit": u.base_unit,
        "factor": u.factor, "currency": u.currency, "per": per_of(u),
    } for k, u in sorted(units.items())], columns=["unit_key", "unit", "dimension", "base_unit", "factor",
                                                   "currency", "per"])


def _dim_period(years: set[int]) -> pd.DataFrame:
    return pd.DataFrame([{"year": y, "roc_year": y - 1911} for y in sorted(years)],
                        columns=["year", "roc_year"])


def _section_of_page(parsed: ParsedReport, report_id: str, page_index: int) -> str | None:
    best = None
    for s in parsed.sections:
        if s.page_index <= page_index:
            best = s
    if best is None:
        return None
    # the chapter-level section containing that page
    while best.level > 1:
        best = next(t for t in parsed.sections if t.section_id == best.parent_id)
    return section_key(report_id, best.section_id)


def _heading_years(sections, own_year: int | None) -> dict[int, tuple[int, str | None]]:
    """section_id -> (year, period) its own heading or the nearest heading above it states, read as
    a fact at the heading's end would be (names, quotes and comparison bases apart)."""
    by_id = {s.section_id: s for s in sections}
    own: dict[int, tuple[int, str | None] | None] = {}
    for s in sections:
        title = nfkc(s.title or "")
        ref = read_year(title, len(title), len(title)) if title else None
        year = ref.resolved(own_year)[0] if ref else None
        own[s.section_id] = (year, ref.period) if year else None
    out: dict[int, tuple[int, str | None]] = {}
    for s in sections:
        cur, seen = s, set()
        while cur is not None and cur.section_id not in seen:
            seen.add(cur.section_id)
            if own.get(cur.section_id):
                out[s.section_id] = own[cur.section_id]
                break
            cur = by_id.get(cur.parent_id)
    return out

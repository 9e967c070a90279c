"""Data quality: Great Expectations suites (expectations/*.json) run on each report's stage outputs,
on its star-schema rows before the load, and on the warehouse after it.

Three layers, so that code-location loading never imports Great Expectations (3-5 s of CPU):

* suites and frames (pure, no GX): `load_suite_files` reads and checks the JSON files; the
  `*_frame` functions turn one report's stage data into the DataFrame a suite validates (one row
  per validated thing, an index that names the row so that failing samples are readable) and the
  `$PARAMETER` values the suite uses.
* `GxRunner`: a GX context with every suite loaded, none silently dropped; `run` validates one
  frame and returns a `SuiteOutcome` (no side effects). Tests use `GxRunner.ephemeral()`.
* `QualityResource` (Dagster): runs suites through a file-backed GX context under
  <warehouse dir>/quality/gx, stores each result, builds GX Data Docs in quality/docs, writes the
  DuckDB table dq_results and the page a person opens, quality/index.html. One context per process.

Severity is each expectation's GX `severity`: "critical" fails its Dagster check with ERROR (and,
the checks being blocking, stops the load of that report); "warning" fails it with WARN.
"""
from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import dagster as dg

from .report.text import nfkc
from .report.units import CLASSIFIERS, CURRENCIES, PHYSICAL, lookup_unit

if TYPE_CHECKING:  # pandas and GX are imported where used: the code location loads without them
    import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
SUITES_DIR = REPO / "expectations"
log = logging.getLogger(__name__)

# Every suite, in pipeline order, with the asset whose output it validates.
SUITES: tuple[tuple[str, str], ...] = (
    ("pages", "report_pages"),
    ("contents", "outline_sections"),
    ("outline", "outline_sections"),
    ("quantities", "quantities"),
    ("number_reconciliation", "quantities"),
    ("tables", "report_tables"),
    ("table_cells", "report_tables"),
    ("dim_report", "star_schema"),
    ("dim_page", "star_schema"),
    ("dim_section", "star_schema"),
    ("dim_unit", "star_schema"),
    ("dim_period", "star_schema"),
    ("fact_quantity", "star_schema"),
    ("report_table", "star_schema"),
    ("table_cell", "star_schema"),
    ("number_mention", "star_schema"),
    ("warehouse", "warehouse_tables"),
)
SUITE_NAMES = tuple(s for s, _ in SUITES)
STAR_SUITES = tuple(s for s, a in SUITES if a == "star_schema")
SEVERITY = {"critical": "ERROR", "warning": "WARN"}
SAMPLE_SIZE = 5
YEAR_WINDOW = 30  # years a quantity may lie before or after the report's year


class SuiteFileError(ValueError):
    """A suite file that would lose or misread expectations: it stops the run, never silently."""


# ---------------------------------------------------------------------------------------------
# Suite files (pure)


@dataclass(frozen=True)
class SuiteFile:
    name: str
    path: Path
    data: dict  # the JSON as written

    @property
    def expectations(self) -> list[dict]:
        return self.data["expectations"]


def load_suite_files(suites_dir: str | Path = SUITES_DIR) -> dict[str, SuiteFile]:
    """Read expectations/*.json and check what GX would not: every suite the pipeline runs is
    there (and no other), names match, each expectation has a unique meta.name and an explicit
    severity of critical or warning."""
    suites_dir = Path(suites_dir)
    out: dict[str, SuiteFile] = {}
    problems: list[str] = []
    for path in sorted(suites_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}: not valid JSON ({exc})")
            continue
        name = data.get("name")
        if name != path.stem:
            problems.append(f"{path.name}: its name is {name!r}; it must be the file name {path.stem!r}")
            continue
        exps = data.get("expectations")
        if not isinstance(exps, list) or not exps:
            problems.append(f"{path.name}: no expectations")
            continue
        seen: set[str] = set()
        for k, e in enumerate(exps):
            where = f"{path.name} expectation #{k + 1}"
            ename = (e.get("meta") or {}).get("name")
            if not ename:
                problems.append(f"{where} ({e.get('type')}): meta.name is missing")
            elif ename in seen:
                problems.append(f"{where}: meta.name {ename!r} is used twice")
            seen.add(ename or "")
            if e.get("severity") not in SEVERITY:
                problems.append(f"{where} ({ename}): severity must be one of {sorted(SEVERITY)}, "
                                f"not {e.get('severity')!r}")
        out[name] = SuiteFile(name, path, data)
    missing = sorted(set(SUITE_NAMES) - set(out))
    extra = sorted(set(out) - set(SUITE_NAMES))
    if missing:
        problems.append(f"suites missing from {suites_dir}: {', '.join(missing)}")
    if extra:
        problems.append(f"suites in {suites_dir} that no check runs: {', '.join(extra)} "
                        "(add them to pipelines.quality.SUITES)")
    if problems:
        raise SuiteFileError("bad expectation suite files:\n  " + "\n  ".join(problems))
    return out


_GX_IMPORT_LOCK = threading.Lock()


def _import_gx():
    """Great Expectations, imported by one thread at a time. A thread importing it while another
    (QualityResource.prewarm) is half-way through gets partially initialised modules (an
    ImportError "most likely due to a circular import"), so every use goes through here first."""
    with _GX_IMPORT_LOCK:
        import great_expectations

    return great_expectations


def build_gx_suite(spec: SuiteFile):
    """The GX ExpectationSuite of a suite file, with every expectation of the file.

    ExpectationSuite(...) logs and drops an expectation it cannot build (an unknown type, a bad
    severity); so each one is built first, on its own, to name the culprit, and the suite's count
    is asserted."""
    gx = _import_gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    problems = []
    for k, e in enumerate(spec.expectations):
        try:
            ExpectationConfiguration(**e).to_domain_obj()
        except Exception as exc:  # GX raises several unrelated types here
            msg = str(getattr(exc, "message", "") or exc).strip().replace("\n", " ")
            problems.append(f"{spec.path.name} expectation #{k + 1} ({(e.get('meta') or {}).get('name')}, "
                            f"{e.get('type')}): {msg}")
    if problems:
        raise SuiteFileError("Great Expectations cannot build these expectations:\n  " + "\n  ".join(problems))
    logger = logging.getLogger("great_expectations.core.expectation_suite")
    suite = gx.ExpectationSuite(name=spec.name, expectations=[dict(e) for e in spec.expectations],
                                meta=spec.data.get("meta"), notes=spec.data.get("notes"))
    if len(suite.expectations) != len(spec.expectations):
        raise SuiteFileError(f"{spec.path.name}: {len(spec.expectations)} expectations written, "
                             f"{len(suite.expectations)} loaded by Great Expectations ({logger.name} "
                             "logged why)")
    return suite


# ---------------------------------------------------------------------------------------------
# Frames: what each suite validates (pure)


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
    return Frame(_frame(rows, ["digits", "explanation", "page_index", "section_id", "paragraph_id"], index))


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


def star_frames(report_id: str, frames: dict[str, pd.DataFrame], roc_year: int | None = None) -> dict[str, Frame]:
    """The star-schema frames (pipelines.report.star.frames) as the star suites validate them:
    copies with a readable index and the derived columns the suites compare."""
    import pandas as pd

    rx = re.escape(report_id)
    dim_report, dim_page, dim_section = frames["dim_report"], frames["dim_page"], frames["dim_section"]
    dim_unit, dim_period, fact = frames["dim_unit"], frames["dim_period"], frames["fact_quantity"]
    report_table, table_cell, mention = frames["report_table"], frames["table_cell"], frames["number_mention"]
    if roc_year is None and len(dim_report):
        roc_year = _none_if_nan(dim_report["roc_year"].iloc[0])
    lo, hi = year_bounds(int(roc_year) if roc_year is not None else None)
    keys = {
        "report_ids": [report_id],
        "page_keys": sorted(dim_page["page_key"]),
        "section_keys": sorted(dim_section["section_key"]),
        "unit_keys": sorted(dim_unit["unit_key"]),
        "years": sorted(int(y) for y in dim_period["year"]),
        "table_keys": sorted(report_table["table_key"]),
    }

    def idx(df: pd.DataFrame, labels) -> pd.DataFrame:
        df = df.copy()
        df.index = pd.Index([str(x) for x in labels], dtype=object, name="row")
        return df

    out: dict[str, Frame] = {}
    d = idx(dim_report, dim_report["report_id"])
    d["roc_year_plus_1911"] = [None if _none_if_nan(y) is None else int(y) + 1911 for y in d["roc_year"]]
    d["report_year"] = [None if _none_if_nan(y) is None else int(y) for y in d["report_year"]]
    out["dim_report"] = Frame(d, {"report_ids": [report_id]})

    d = idx(dim_page, dim_page["page_key"])
    d["expected_key"] = [f"{r}:p{i}" for r, i in zip(d["report_id"], d["page_index"])]
    d["page_number"] = d["page_number"].astype("Int64")
    out["dim_page"] = Frame(d, {"page_key_regex": rf"^{rx}:p\d+$", "report_ids": [report_id]})

    d = idx(dim_section, dim_section["section_key"])
    out["dim_section"] = Frame(d, {"section_key_regex": rf"^{rx}:s[1-9]\d*$", "section_keys": keys["section_keys"],
                                   "page_keys": keys["page_keys"]})

    d = idx(dim_unit, dim_unit["unit_key"])
    d["expected_key"] = [f"{a}:{b}" for a, b in zip(d["dimension"], d["unit"])]
    d["factor"] = [float(x) for x in d["factor"]]
    out["dim_unit"] = Frame(d, {"valid_dimension_base_units": valid_dimension_base_units(d),
                                "unit_table": unit_table_pairs(d["unit"])})

    d = idx(dim_period, dim_period["year"])
    d["year_minus_1911"] = [int(y) - 1911 for y in d["year"]]
    out["dim_period"] = Frame(d, {"min_year": lo, "max_year": hi})

    d = idx(fact, fact["quantity_key"])
    d["expected_key"] = [f"{r}:{s}:{n}" for r, s, n in zip(d["report_id"], d["source"], d["quantity_no"])]
    dims = dict(zip(dim_unit["unit_key"], dim_unit["dimension"]))
    d["dimension"] = [dims.get(k) for k in d["unit_key"]]
    d["quantity_number"] = [None if q is None else float(q) for q in d["quantity"]]
    d["year"] = d["year"].astype("Int64")
    for col in ("value", "quantity"):
        d[col] = [_exact(_none_if_nan(v)) for v in d[col]]
    out["fact_quantity"] = Frame(d, {k: keys[k] for k in ("report_ids", "page_keys", "section_keys", "unit_keys",
                                                           "years")})

    d = idx(report_table, report_table["table_key"])
    d["expected_key"] = [f"{r}:t{n}" for r, n in zip(d["report_id"], d["table_no"])]
    n_cells = Counter(table_cell["table_no"])
    d["cells"] = [n_cells.get(n, 0) for n in d["table_no"]]
    d["expected_cells"] = [(int(r) + 1) * int(c) for r, c in zip(d["n_rows"], d["n_cols"])]
    out["report_table"] = Frame(d, {k: keys[k] for k in ("page_keys", "section_keys")})

    d = idx(table_cell, [f"{r}:t{t} r{rr} c{c}" for r, t, rr, c in zip(table_cell["report_id"], table_cell["table_no"],
                                                                    table_cell["row_no"], table_cell["col_no"])])
    d["table_key"] = [f"{r}:t{t}" for r, t in zip(d["report_id"], d["table_no"])]
    d["has_quantity"] = [_none_if_nan(q) is not None for q in d["quantity"]]
    for col in ("value", "quantity"):
        d[col] = [_exact(_none_if_nan(v)) for v in d[col]]
    out["table_cell"] = Frame(d, {"table_keys": keys["table_keys"]})

    d = idx(mention, [f"{r}:m{n}: {t}" for r, n, t in zip(mention["report_id"], mention["mention_no"],
                                                           mention["text"])])
    out["number_mention"] = Frame(d, {k: keys[k] for k in ("page_keys", "section_keys")})
    return out


WAREHOUSE_SQL = """
WITH f AS (SELECT * FROM fact_quantity WHERE report_id = $rid)
SELECT 'fact_quantity: ' || f.quantity_key AS row_id,
       CASE WHEN r.report_id IS NULL THEN f.report_id END AS orphan_report,
       CASE WHEN p.page_key IS NULL THEN f.page_key END AS orphan_page,
       CASE WHEN f.section_key IS NOT NULL AND s.section_key IS NULL THEN f.section_key END AS orphan_section,
       CASE WHEN u.unit_key IS NULL THEN f.unit_key END AS orphan_unit,
       CASE WHEN f.year IS NOT NULL AND y.year IS NULL THEN CAST(f.year AS VARCHAR) END AS orphan_period,
       NULL AS orphan_table,
       CASE WHEN v.quantity_key IS NULL THEN f.quantity_key END AS missing_from_view,
       NULL AS unit, NULL AS base_unit
FROM f LEFT JOIN dim_report r ON r.report_id = f.report_id
       LEFT JOIN dim_page p ON p.page_key = f.page_key
       LEFT JOIN dim_section s ON s.section_key = f.section_key
       LEFT JOIN dim_unit u ON u.unit_key = f.unit_key
       LEFT JOIN dim_period y ON y.year = f.year
       LEFT JOIN (SELECT quantity_key FROM v_quantities WHERE report_id = $rid) v ON v.quantity_key = f.quantity_key
UNION ALL
SELECT 'dim_page: ' || d.page_key, CASE WHEN r.report_id IS NULL THEN d.report_id END, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL
FROM dim_page d LEFT JOIN dim_report r ON r.report_id = d.report_id WHERE d.report_id = $rid
UNION ALL
SELECT 'dim_section: ' || d.section_key, CASE WHEN r.report_id IS NULL THEN d.report_id END,
       CASE WHEN p.page_key IS NULL THEN d.page_key END,
       CASE WHEN d.parent_section_key IS NOT NULL AND s.section_key IS NULL THEN d.parent_section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM dim_section d LEFT JOIN dim_report r ON r.report_id = d.report_id
     LEFT JOIN dim_page p ON p.page_key = d.page_key
     LEFT JOIN dim_section s ON s.section_key = d.parent_section_key
WHERE d.report_id = $rid
UNION ALL
SELECT 'report_table: ' || t.table_key, CASE WHEN r.report_id IS NULL THEN t.report_id END,
       CASE WHEN p.page_key IS NULL THEN t.page_key END,
       CASE WHEN t.section_key IS NOT NULL AND s.section_key IS NULL THEN t.section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM report_table t LEFT JOIN dim_report r ON r.report_id = t.report_id
     LEFT JOIN dim_page p ON p.page_key = t.page_key
     LEFT JOIN dim_section s ON s.section_key = t.section_key
WHERE t.report_id = $rid
UNION ALL
SELECT 'table_cell: ' || c.report_id || ':t' || c.table_no || ' r' || c.row_no || ' c' || c.col_no,
       CASE WHEN r.report_id IS NULL THEN c.report_id END, NULL, NULL, NULL, NULL,
       CASE WHEN t.table_key IS NULL THEN c.report_id || ':t' || c.table_no END, NULL, NULL, NULL
FROM table_cell c LEFT JOIN dim_report r ON r.report_id = c.report_id
     LEFT JOIN report_table t ON t.report_id = c.report_id AND t.table_no = c.table_no
WHERE c.report_id = $rid
UNION ALL
SELECT 'number_mention: ' || m.report_id || ':m' || m.mention_no, CASE WHEN r.report_id IS NULL THEN m.report_id END,
       CASE WHEN p.page_key IS NULL THEN m.page_key END,
       CASE WHEN m.section_key IS NOT NULL AND s.section_key IS NULL THEN m.section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM number_mention m LEFT JOIN dim_report r ON r.report_id = m.report_id
     LEFT JOIN dim_page p ON p.page_key = m.page_key
     LEFT JOIN dim_section s ON s.section_key = m.section_key
WHERE m.report_id = $rid
UNION ALL
SELECT 'dim_unit: ' || u.unit_key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, u.unit, u.base_unit
FROM dim_unit u WHERE u.unit_key IN (SELECT unit_key FROM fact_quantity WHERE report_id = $rid)
"""


def warehouse_frame(con, report_id: str) -> Frame:
    """This report's rows in the warehouse, each with the keys it refers to that do not resolve."""
    import pandas as pd

    df = con.execute(WAREHOUSE_SQL, {"rid": report_id}).df()
    refs = {}
    for w in df["unit"].dropna().unique():
        ref = lookup_unit(w)
        refs[w] = ref.base_unit if ref else "(not in the unit table)"
    df["reference_base_unit"] = [refs.get(w) if isinstance(w, str) else None for w in df["unit"]]
    df = df.set_index(pd.Index(df.pop("row_id"), dtype=object, name="row"))
    return Frame(df.astype(object).where(df.notna(), None))


# ---------------------------------------------------------------------------------------------
# Outcomes (pure)


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    name: str  # meta.name in the suite file
    expectation_type: str
    column: str | None
    description: str
    severity: str  # ERROR or WARN
    success: bool
    observed: str
    unexpected_count: int | None
    element_count: int | None
    unexpected_percent: float | None
    sample: tuple[str, ...]  # "row id: value" of up to SAMPLE_SIZE unexpected rows
    message: str | None = None  # meta.message: what the user is told when it fails


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    report_id: str
    results: tuple[ExpectationOutcome, ...]
    run_id: str = ""
    run_time: str = ""
    docs_page: str | None = None  # GX Data Docs page of this result, relative to the quality folder

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success]

    @property
    def failed_errors(self) -> list[ExpectationOutcome]:
        return [r for r in self.failed if r.severity == "ERROR"]

    @property
    def failed_warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.failed if r.severity == "WARN"]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def severity(self) -> str:
        """The failure's severity; for a passing suite, the worst it could fail with."""
        if self.failed:
            return "ERROR" if self.failed_errors else "WARN"
        return "ERROR" if any(r.severity == "ERROR" for r in self.results) else "WARN"

    def result(self, name: str) -> ExpectationOutcome:
        return next(r for r in self.results if r.name == name)

    def description(self) -> str | None:
        if self.passed:
            return f"all {len(self.results)} expectations of suite {self.suite} passed"
        worst = self.failed_errors or self.failed_warnings
        msg = next((r.message for r in worst if r.message), None)
        if msg:
            return f"{self.report_id}.pdf: {msg}"
        what = "; ".join(f"{r.name} ({r.observed})" for r in worst[:3]) + (" …" if len(worst) > 3 else "")
        return (f"{self.report_id}.pdf: {len(worst)} {self.severity} expectation(s) of suite {self.suite} "
                f"failed: {what}")

    def to_json(self) -> dict:
        return {**asdict(self), "results": [asdict(r) for r in self.results]}

    @classmethod
    def from_json(cls, data: dict) -> "SuiteOutcome":
        results = tuple(ExpectationOutcome(**{**r, "sample": tuple(r["sample"])}) for r in data["results"])
        return cls(**{**data, "results": results})


def _fmt(v) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return str(v)


def _row_id(entry) -> str:
    """GX gives a failing row's index label, or with a named index a dict holding it."""
    if isinstance(entry, dict):
        return str(entry.get("row", next(iter(entry.values()), "")))
    return str(entry)


def outcome_from_gx(suite: str, report_id: str, gx_result) -> SuiteOutcome:
    """A GX ExpectationSuiteValidationResult as plain data: per expectation its severity, success,
    observed value and up to SAMPLE_SIZE failing rows (by their row id)."""
    out = []
    for r in gx_result.results:
        cfg = r.expectation_config
        meta = cfg.meta or {}
        sev = cfg.severity.value if hasattr(cfg.severity, "value") else str(cfg.severity)
        res = r.result or {}
        kwargs = cfg.kwargs or {}
        column = kwargs.get("column") or (
            f"{kwargs['column_A']},{kwargs['column_B']}" if "column_A" in kwargs else
            ",".join(kwargs["column_list"]) if "column_list" in kwargs else None)
        exc = r.exception_info or {}
        raised = exc.get("raised_exception") if isinstance(exc, dict) else False
        unexpected = res.get("unexpected_count")
        total = res.get("element_count")
        pct = res.get("unexpected_percent")
        if raised:
            observed = "error: " + str(exc.get("exception_message") or "exception").splitlines()[0][:200]
        elif "observed_value" in res:
            observed = _fmt(res["observed_value"])
        elif unexpected is not None:
            observed = f"{unexpected} of {total} unexpected" + (f" ({pct:.2f}%)" if pct else "")
        else:
            observed = ""
        values = res.get("partial_unexpected_list") or []
        rows = res.get("partial_unexpected_index_list") or []
        sample = tuple((f"{_row_id(rows[k])}: {_fmt(v)}" if k < len(rows) else _fmt(v))
                       for k, v in enumerate(values[:SAMPLE_SIZE]))
        out.append(ExpectationOutcome(
            suite=suite, name=meta.get("name") or cfg.type, expectation_type=cfg.type, column=column,
            description=cfg.description or "", severity=SEVERITY.get(sev, "ERROR"),
            success=bool(r.success) and not raised, observed=observed,
            unexpected_count=None if unexpected is None else int(unexpected),
            element_count=None if total is None else int(total),
            unexpected_percent=None if pct is None else float(pct), sample=sample, message=meta.get("message"),
        ))
    return SuiteOutcome(suite, report_id, tuple(out))


def _md(text: Any) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def check_result(outcome: SuiteOutcome, check_name: str, asset_key: dg.AssetKey | None = None,
                 quality_dir: Path | None = None, extra: dict | None = None) -> dg.AssetCheckResult:
    """The Dagster check result of one suite: passed only if every expectation passed; ERROR if a
    critical one failed, else WARN; the failing expectations with samples in the metadata."""
    failed = outcome.failed
    lines = ["| severity | expectation | observed | unexpected rows (sample) |", "|---|---|---|---|"]
    for r in failed:
        lines.append(f"| {r.severity} | **{_md(r.name)}**: {_md(r.description)} | {_md(r.observed)} | "
                     f"{_md('; '.join(r.sample) or '')} |")
    allres = ["| | severity | expectation | observed |", "|---|---|---|---|"]
    allres += [f"| {'✅' if r.success else '❌'} | {r.severity} | {_md(r.name)} | {_md(r.observed)} |"
               for r in outcome.results]
    metadata: dict[str, Any] = {
        "suite": outcome.suite,
        "expectations": len(outcome.results),
        "failed_error": len(outcome.failed_errors),
        "failed_warn": len(outcome.failed_warnings),
        "failing": dg.MetadataValue.md("\n".join(lines) if failed else "(none)"),
        "results": dg.MetadataValue.md("\n".join(allres)),
        "failing_expectations": dg.MetadataValue.json([
            {"expectation": r.name, "severity": r.severity, "type": r.expectation_type, "column": r.column,
             "observed": r.observed, "unexpected_count": r.unexpected_count, "sample": list(r.sample)}
            for r in failed]),
    }
    if quality_dir is not None:
        metadata["quality_report"] = dg.MetadataValue.path(str(quality_dir / "index.html"))
        if outcome.docs_page:
            metadata["data_docs"] = dg.MetadataValue.path(str(quality_dir / outcome.docs_page))
    metadata.update(extra or {})
    return dg.AssetCheckResult(
        passed=outcome.passed, asset_key=asset_key, check_name=check_name,
        severity=dg.AssetCheckSeverity.ERROR if outcome.severity == "ERROR" else dg.AssetCheckSeverity.WARN,
        description=outcome.description(), metadata=metadata,
    )


def dq_rows(outcome: SuiteOutcome) -> list[tuple]:
    return [(outcome.run_id, outcome.report_id, outcome.suite, r.name, r.severity, r.success, r.observed,
             r.unexpected_count) for r in outcome.results]


# ---------------------------------------------------------------------------------------------
# Great Expectations


RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
FAST_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE}


class GxRunner:
    """A GX context with every suite of expectations/ loaded and one pandas batch definition."""

    def __init__(self, context, suites_dir: str | Path = SUITES_DIR):
        _import_gx()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.context = context
        self.files = load_suite_files(suites_dir)
        if context.variables.progress_bars is None or context.variables.progress_bars.get("globally", True):
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.suites = {}
        for name, spec in self.files.items():
            suite = build_gx_suite(spec)
            self.suites[name] = context.suites.add_or_update(suite)
            if len(self.suites[name].expectations) != len(spec.expectations):
                raise SuiteFileError(f"{spec.path.name}: {len(spec.expectations)} expectations written, "
                                     f"{len(self.suites[name].expectations)} in the GX context")
        try:
            ds = context.data_sources.get("reports")
        except (KeyError, ValueError, LookupError):
            ds = context.data_sources.add_pandas("reports")
        try:
            asset = ds.get_asset("frame")
        except LookupError:
            asset = ds.add_dataframe_asset(name="frame")
        try:
            self.batch_definition = asset.get_batch_definition("whole")
        except (KeyError, ValueError, LookupError):
            self.batch_definition = asset.add_batch_definition_whole_dataframe("whole")

    def suite_pages_once(self) -> list:
        """The suites' identifiers the first time (their Data Docs pages are rendered once per
        process: the suites do not change while it runs), then []."""
        _import_gx()
        from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

        if getattr(self, "_suite_pages_done", False):
            return []
        self._suite_pages_done = True
        return [ExpectationSuiteIdentifier(name=n) for n in self.suites]

    @classmethod
    def ephemeral(cls, suites_dir: str | Path = SUITES_DIR) -> "GxRunner":
        gx = _import_gx()

        return cls(gx.get_context(mode="ephemeral"), suites_dir)

    def validate(self, suite: str, frame: Frame):
        """The GX validation result of one frame. A first pass computes counts only (BASIC);
        the expectations that failed are re-run with the failing rows' ids (SUMMARY), which
        costs about half as much again when run for every expectation."""
        gx = _import_gx()

        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame.df})
        params = frame.params or None
        result = batch.validate(self.suites[suite], expectation_parameters=params, result_format=FAST_FORMAT)
        failed = {(r.expectation_config.meta or {}).get("name"): k for k, r in enumerate(result.results)
                  if not r.success}
        if failed:
            again = [e for e in self.files[suite].expectations if e["meta"]["name"] in failed]
            detail = batch.validate(gx.ExpectationSuite(name=suite, expectations=again),
                                    expectation_parameters=params, result_format=RESULT_FORMAT)
            for r in detail.results:
                result.results[failed[r.expectation_config.meta["name"]]] = r
        return result

    def run(self, suite: str, frame: Frame, report_id: str = "test") -> SuiteOutcome:
        return outcome_from_gx(suite, report_id, self.validate(suite, frame))


_RUNNERS: dict[tuple[str, str], GxRunner] = {}
_RUNNERS_LOCK = threading.Lock()
_VALIDATED = threading.Event()  # set once this process has validated a frame into a quality folder


def _file_runner(quality_dir: Path, suites_dir: str | Path) -> GxRunner:
    """One file-backed context per process and folder: creating it costs the GX import (~10 s
    once) and reading its configuration."""
    key = (str(quality_dir), str(suites_dir))
    with _RUNNERS_LOCK:
        if key not in _RUNNERS:
            gx = _import_gx()

            quality_dir.mkdir(parents=True, exist_ok=True)
            context = gx.get_context(mode="file", project_root_dir=str(quality_dir))
            sites = context.config.data_docs_sites or {}
            site = {"class_name": "SiteBuilder", "show_how_to_buttons": False,
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": "../docs/"},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}
            if "local_site" in sites:
                context.delete_data_docs_site("local_site")
            if "quality" not in sites:
                context.add_data_docs_site("quality", site)
            runner = GxRunner(context, suites_dir)
            context.variables.save()
            _RUNNERS[key] = runner
        return _RUNNERS[key]


# ---------------------------------------------------------------------------------------------
# The Dagster resource


class QualityResource(dg.ConfigurableResource):
    """Great Expectations behind one resource: suites from expectations/, results into
    <warehouse dir>/quality (GX store, Data Docs, index.html) and the DuckDB table dq_results.
    Great Expectations is imported on first use, never when the code location loads."""

    warehouse_path: str
    suites_dir: str = str(SUITES_DIR)
    lock_timeout_s: float = 60.0  # wait this long for another writer of the warehouse

    @property
    def quality_dir(self) -> Path:
        return Path(self.warehouse_path).resolve().parent / "quality"

    @property
    def index_path(self) -> Path:
        return self.quality_dir / "index.html"

    def prewarm(self) -> None:
        """Import Great Expectations and build this folder's context in a background thread, so
        that the first check of an in-process run finds them ready. Meant to be called while the
        pages are parsed in worker processes: the import (3-5 s of CPU) then overlaps the parse
        instead of following it. An error here is left for the first check to meet again."""
        key = (str(self.quality_dir), str(self.suites_dir))
        if key in _RUNNERS:
            return

        # pandas here, in the calling thread: imported by two threads at once, a package can come
        # out half-initialised (see _import_gx); the run's other threads use it but not GX.
        import pandas  # noqa: F401

        def warm():
            try:
                _file_runner(self.quality_dir, self.suites_dir)
            except Exception as exc:  # noqa: BLE001
                log.debug(f"Great Expectations pre-warm failed (the first check retries): {exc!r}")

        threading.Thread(target=warm, name="gx-prewarm", daemon=True).start()

    def validate(self, report_id: str, run_id: str, frames: dict[str, Frame],
                 log_to=None) -> dict[str, SuiteOutcome]:
        """Run suites on one report's frames; store results, Data Docs, dq_results and index.html.
        A failure to publish (a locked warehouse, a Data Docs error) is logged, never fatal: the
        check results themselves are returned."""
        runner = _file_runner(self.quality_dir, self.suites_dir)  # first: waits for a pre-warm
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        _VALIDATED.set()
        logger = log_to or log
        ctx = runner.context
        now = _dt.datetime.now(_dt.timezone.utc)
        gx_run = RunIdentifier(run_name=run_id or "manual", run_time=now)
        outcomes: dict[str, SuiteOutcome] = {}
        keys = {}
        for suite, frame in frames.items():
            result = runner.validate(suite, frame)
            result.meta["run_id"] = gx_run
            try:
                result.meta["active_batch_definition"]["data_asset_name"] = report_id
            except (KeyError, TypeError):
                pass
            outcome = outcome_from_gx(suite, report_id, result)
            key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite),
                                             run_id=gx_run, batch_identifier=_batch_id(report_id))
            try:
                self._forget_gx(report_id, [suite])
                ctx.validation_results_store.set(key, result)
                keys[suite] = key
            except Exception as exc:  # publishing must not fail the check
                logger.warning(f"could not store the {suite} result of {report_id}: {exc}")
            outcomes[suite] = SuiteOutcome(suite, report_id, outcome.results, run_id=run_id,
                                           run_time=now.isoformat(timespec="seconds"))
        if keys:
            # GX's own index lists every stored result: rebuilt when this report's run ends here
            # (the load's check, or a failed ERROR that skips what follows), not after every check
            last = "warehouse" in frames or any(o.failed_errors for o in outcomes.values())
            try:
                ctx.build_data_docs(site_names=["quality"], build_index=last,
                                    resource_identifiers=list(keys.values()) + runner.suite_pages_once())
                for suite in keys:
                    page = self._docs_page(suite, report_id)
                    outcomes[suite] = SuiteOutcome(**{**outcomes[suite].__dict__, "docs_page": page})
            except Exception as exc:
                logger.warning(f"could not build Data Docs for {report_id}: {exc}")
        self._save_summaries(report_id, outcomes.values())
        if not self._write_dq_results(report_id, outcomes.values()):
            logger.warning(f"dq_results not written for {report_id}: {self.warehouse_path} stayed locked "
                           f"for {self.lock_timeout_s:.0f} s")
        try:
            write_index(self.quality_dir, self.warehouse_path)
        except Exception as exc:
            logger.warning(f"could not write {self.index_path}: {exc}")
        return outcomes

    # -- reuse of unchanged results ------------------------------------------------------------

    def _reuse_file(self, report_id: str, suite: str) -> Path:
        return Path(self.warehouse_path).resolve().parent / "cache" / "quality" / _batch_id(report_id) / f"{suite}.json"

    def fingerprint(self, content_sha256: str) -> str:
        """What a suite's outcome depends on: the report's content, the extractor and the suites."""
        from .freshness import quality_fingerprint

        return quality_fingerprint(content_sha256, self.suites_dir)

    def reuse(self, report_id: str, run_id: str, suites: Sequence[str], fingerprint: str
              ) -> tuple[dict[str, SuiteOutcome], dict[str, dict]] | None:
        """Outcomes and extra metadata of these suites from an earlier run on the same content,
        extractor and suites, re-recorded in dq_results under this run: an unchanged report is not
        validated again (no Great Expectations import). None when any suite must run."""
        saved = {}
        for suite in suites:
            path = self._reuse_file(report_id, suite)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            if data.get("fingerprint") != fingerprint:
                return None
            saved[suite] = data
        outcomes = {s: SuiteOutcome(**{**SuiteOutcome.from_json(d["outcome"]).__dict__, "run_id": run_id})
                    for s, d in saved.items()}
        if not self._write_dq_results(report_id, outcomes.values()):
            return None
        self._save_summaries(report_id, outcomes.values())
        try:
            write_index(self.quality_dir, self.warehouse_path)
        except Exception as exc:
            log.warning(f"could not write {self.index_path}: {exc}")
        return outcomes, {s: d.get("extra") or {} for s, d in saved.items()}

    def remember(self, report_id: str, outcomes: dict[str, SuiteOutcome], fingerprint: str,
                 extra: dict[str, dict] | None = None) -> None:
        for suite, outcome in outcomes.items():
            path = self._reuse_file(report_id, suite)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps({"fingerprint": fingerprint, "outcome": outcome.to_json(),
                                       "extra": (extra or {}).get(suite)}, ensure_ascii=False, default=str),
                           encoding="utf-8")
            os.replace(tmp, path)

    def forget_report(self, report_id: str) -> None:
        """Remove a report's earlier results (summaries, GX results and pages, dq_results rows),
        before a run that evaluates it afresh. No GX import."""
        shutil.rmtree(self.quality_dir / "results" / _batch_id(report_id), ignore_errors=True)
        self._forget_gx(report_id, SUITE_NAMES)
        self._write_dq_results(report_id, [], all_suites=True)
        if self.quality_dir.exists():
            try:
                write_index(self.quality_dir, self.warehouse_path)
            except Exception as exc:
                log.warning(f"could not write {self.index_path}: {exc}")

    # -- publishing ----------------------------------------------------------------------------

    def _forget_gx(self, report_id: str, suites: Iterable[str]) -> None:
        """Earlier stored results and Data Docs pages of these suites for this report: a report
        keeps its latest result per suite, so the index and the store stay small."""
        name = _batch_id(report_id)
        for suite in suites:
            for base, suffix in ((self.quality_dir / "gx" / "uncommitted" / "validations" / suite, ".json"),
                                 (self.quality_dir / "docs" / "validations" / suite, ".html")):
                if not base.is_dir():
                    continue
                for f in base.glob(f"*/*/{name}{suffix}"):
                    f.unlink(missing_ok=True)
                    for parent in (f.parent, f.parent.parent):
                        try:
                            parent.rmdir()
                        except OSError:
                            break

    def _docs_page(self, suite: str, report_id: str) -> str | None:
        """The GX Data Docs page of the report's result of this suite (earlier ones are removed
        before a result is stored), relative to the quality folder."""
        pages = sorted((self.quality_dir / "docs" / "validations" / suite).glob(f"*/*/{_batch_id(report_id)}.html"))
        return str(pages[-1].relative_to(self.quality_dir)) if pages else None

    def build_docs_index(self) -> None:
        """Rebuild GX's Data Docs index (the CLI does it once at the end of a run), if this
        process validated anything (else nothing changed, and GX is not worth importing)."""
        if not _VALIDATED.is_set() or not (self.quality_dir / "gx").is_dir():
            return
        try:
            _import_gx()
            from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

            runner = _file_runner(self.quality_dir, self.suites_dir)
            # a list that names no stored result: no page is re-rendered, only the index
            only = runner.suite_pages_once() or [ExpectationSuiteIdentifier(name="(index only)")]
            runner.context.build_data_docs(site_names=["quality"], resource_identifiers=only, build_index=True)
        except Exception as exc:  # the run's results are written; only GX's own index is stale
            log.warning(f"could not rebuild the Data Docs index in {self.quality_dir / 'docs'}: {exc}")

    def _save_summaries(self, report_id: str, outcomes: Iterable[SuiteOutcome]) -> None:
        folder = self.quality_dir / "results" / _batch_id(report_id)
        folder.mkdir(parents=True, exist_ok=True)
        for o in outcomes:
            path = folder / f"{o.suite}.json"
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(o.to_json(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
            os.replace(tmp, path)

    def _write_dq_results(self, report_id: str, outcomes: Iterable[SuiteOutcome], all_suites: bool = False) -> bool:
        """Replace this report's rows of these suites in dq_results: the table holds the latest
        evaluation of every suite of every report (run_id says which run made it)."""
        from . import warehouse as wh

        outcomes = list(outcomes)
        rows = [row for o in outcomes for row in dq_rows(o)]
        suites = list(SUITE_NAMES) if all_suites else [o.suite for o in outcomes]
        if not suites:
            return True
        if all_suites and not Path(self.warehouse_path).exists():
            return True
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                with wh.connect(self.warehouse_path) as con:
                    if self.warehouse_path not in _SCHEMA_READY:  # once per process
                        wh.ensure_schema(con)
                        _SCHEMA_READY.add(self.warehouse_path)
                    con.execute("BEGIN TRANSACTION")
                    try:
                        con.execute(f"DELETE FROM dq_results WHERE report_id = ? AND suite IN "
                                    f"({', '.join('?' * len(suites))})", [report_id, *suites])
                        if rows:
                            con.executemany("INSERT INTO dq_results (run_id, report_id, suite, expectation, "
                                            "severity, success, observed_value, unexpected_count) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                        con.execute("COMMIT")
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                return True
            except wh.WarehouseLockedError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.25)


_SCHEMA_READY: set[str] = set()


def _batch_id(report_id: str) -> str:
    """A report id as a file name (report ids are PDF file names, so this rarely changes it)."""
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", report_id) or "_"


# ---------------------------------------------------------------------------------------------
# index.html: the page a person opens (static, no scripts, no network)


def read_summaries(quality_dir: Path) -> dict[str, dict[str, SuiteOutcome]]:
    out: dict[str, dict[str, SuiteOutcome]] = {}
    for path in sorted((quality_dir / "results").glob("*/*.json")):
        try:
            o = SuiteOutcome.from_json(json.loads(path.read_text(encoding="utf-8")))
            out.setdefault(o.report_id, {})[o.suite] = o
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning(f"ignoring unreadable quality summary {path}: {exc}")
    return out


_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK TC","PingFang TC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;
text-align:left;font-size:.9em}th{background:#f3f3f3}.ok{color:#137333}.warn{color:#b06000}.err{color:#c5221f;
font-weight:bold}td.ok,td.warn,td.err{white-space:nowrap}code{font-size:.95em}.small{color:#666;font-size:.85em}
summary{cursor:pointer}
"""


def _status(o: SuiteOutcome | None) -> tuple[str, str]:
    if o is None:
        return "", "not run"
    if o.failed_errors:
        warn = f", {len(o.failed_warnings)} WARN" if o.failed_warnings else ""
        return "err", f"✗ {len(o.failed_errors)} ERROR{warn}"
    if o.failed_warnings:
        return "warn", f"⚠ {len(o.failed_warnings)} WARN"
    return "ok", f"✓ {len(o.results)}"


def render_index(summaries: dict[str, dict[str, SuiteOutcome]], warehouse_path: str | Path = "") -> str:
    e = html.escape
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Data quality</title>",
           f"<style>{_CSS}</style></head><body>", "<h1>Data quality of the MOEA report warehouse</h1>",
           f"<p class='small'>Warehouse <code>{e(str(warehouse_path))}</code> · written {now} · "
           "each suite is a file in <code>expectations/</code>; ERROR = a critical expectation failed (the "
           "report is not loaded), WARN = a soft one failed. The same results are in the DuckDB table "
           "<code>dq_results</code>. Great Expectations' own Data Docs: <a href='docs/index.html'>docs/index.html</a> "
           "(its styling and scripts come from the internet).</p>"]
    if not summaries:
        out.append("<p>No report has been validated yet.</p></body></html>")
        return "\n".join(out)
    rids = sorted(summaries)
    out.append("<h2>Suites × reports</h2><table><tr><th>suite</th><th>validates (asset)</th>")
    out += [f"<th><a href='#{e(_batch_id(r))}'>{e(r)}</a></th>" for r in rids]
    out.append("</tr><tr><th>all</th><th></th>")
    for rid in rids:
        errs = sum(len(o.failed_errors) for o in summaries[rid].values())
        warns = sum(len(o.failed_warnings) for o in summaries[rid].values())
        cls, txt = ("err", f"✗ {errs} ERROR") if errs else (("warn", f"⚠ {warns} WARN") if warns else ("ok", "✓"))
        out.append(f"<td class='{cls}'>{txt}</td>")
    out.append("</tr>")
    for suite, asset in SUITES:
        out.append(f"<tr><td>{e(suite)}</td><td>{e(asset)}</td>")
        for rid in rids:
            o = summaries[rid].get(suite)
            c, t = _status(o)
            title = f" title='run {e(o.run_id)}, {e(o.run_time)}'" if o is not None else ""
            cell = f"<a href='{e(o.docs_page)}'{title}>{t}</a>" if o is not None and o.docs_page else t
            out.append(f"<td class='{c}'>{cell}</td>")
        out.append("</tr>")
    out.append("</table><p class='small'>✓ n = all n expectations passed; a cell links to the suite's result "
               "in the Great Expectations Data Docs; “not run” = the suite's asset did not run (an earlier "
               "ERROR blocked it).</p>")
    for rid in sorted(summaries):
        by = summaries[rid]
        runs = sorted({o.run_id for o in by.values()})
        out.append(f"<h2 id='{e(_batch_id(rid))}'>{e(rid)}</h2>")
        out.append(f"<p class='small'>run {e(', '.join(runs))} · {e(max(o.run_time for o in by.values()))}</p>")
        rec = by.get("number_reconciliation")
        if rec is not None:
            share = next((r for r in rec.results if r.name == "unexplained_share"), None)
            if share is not None and share.element_count:
                out.append(f"<p>Digit runs in the prose not explained (number_mention.kind = 'bare', or "
                           f"unaccounted): <b>{share.unexpected_count} of {share.element_count} "
                           f"({100 * (share.unexpected_count or 0) / share.element_count:.2f}%)</b></p>")
        failed = [r for s in SUITE_NAMES if s in by for r in by[s].failed]
        if failed:
            out.append("<table><tr><th>severity</th><th>suite</th><th>expectation</th><th>observed</th>"
                       "<th>unexpected rows (sample)</th></tr>")
            for r in sorted(failed, key=lambda r: r.severity != "ERROR"):
                cls = "err" if r.severity == "ERROR" else "warn"
                out.append(f"<tr><td class='{cls}'>{r.severity}</td><td>{e(r.suite)}</td><td><b>{e(r.name)}</b><br>"
                           f"{e(r.description)}</td><td>{e(r.observed)}</td><td>{'<br>'.join(e(x) for x in r.sample)}"
                           "</td></tr>")
            out.append("</table>")
        else:
            out.append("<p class='ok'>Every expectation passed.</p>")
        out.append("<details><summary>All expectations</summary><table><tr><th></th><th>suite</th>"
                   "<th>severity</th><th>expectation</th><th>observed</th></tr>")
        for s in SUITE_NAMES:
            for r in (by[s].results if s in by else ()):
                out.append(f"<tr><td class='{'ok' if r.success else ('err' if r.severity == 'ERROR' else 'warn')}'>"
                           f"{'✓' if r.success else '✗'}</td><td>{e(s)}</td><td>{r.severity}</td>"
                           f"<td><b>{e(r.name)}</b> {e(r.description)}</td><td>{e(r.observed)}</td></tr>")
        out.append("</table></details>")
    out.append("</body></html>")
    return "\n".join(out)


def write_index(quality_dir: Path, warehouse_path: str | Path = "") -> Path:
    quality_dir.mkdir(parents=True, exist_ok=True)
    path = quality_dir / "index.html"
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(render_index(read_summaries(quality_dir), warehouse_path), encoding="utf-8")
    os.replace(tmp, path)
    return path

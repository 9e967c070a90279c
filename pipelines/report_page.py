"""The report page: a static `<warehouse dir>/report/index.html` a person would rather look at than read
(issue 15, item 3). Per report: the outline with the figures counted per section, charts of money by
chapter and by indicator (each currency apart; targets, cumulative figures and changes in panels of their
own), a chart of growth rates, and the largest amounts, each with its sentence and a link to its PDF page.

It works offline: the charts are Vega-Lite specs (built with altair) drawn as SVG in the page by the
Vega, Vega-Lite and vega-embed scripts of the pinned django-js-lib-vega-embed package, and the Chinese text
uses the pinned WenQuanYi Micro Hei font; all of them are copied into `report/static/`. Amounts are summed
in DuckDB as exact DECIMALs and printed from those Decimals; only the bars' lengths go through float.

The warehouse is opened read-only. The queries are in sql/report_page/.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from .migrations import SQL_DIR
from .report_page_font import write_single_face
from .warehouse import connect

QUERIES_DIR = SQL_DIR / "report_page"
STATIC_DIR = Path(__file__).resolve().parent / "static"
OWN_STATIC = ("report_page.css", "report_page.js")
TEMPLATE = "report_page.html.j2"
VEGA_PACKAGE = "js_lib_vega_embed"  # django-js-lib-vega-embed: Vega 5, Vega-Lite 5, vega-embed 6
VEGA_SCRIPTS = {"vega": "vega5.js", "vega_lite": "vega-lite5.js", "vega_embed": "vega-embed6.js"}
FONT_PACKAGE, FONT_COLLECTION, FONT_FAMILY = "paperang_p2_fonts_cjk", "wqy-microhei.ttc", "WenQuanYi Micro Hei"
FONT_FILE = "wqy-microhei.ttf"  # its first face alone: Chromium refuses the collection (report_page_font.py)
LARGEST_PER_CURRENCY = 20
KINDS = ("reported", "change", "cumulative", "target")  # money.sql's kind: never summed across
KIND_TITLES = {"reported": "achieved (levels)", "change": "changes", "cumulative": "cumulative",
               "target": "targets"}
CURRENCY_ORDER = {"TWD": 0, "USD": 1}
SCALES = ((Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "萬"), (Decimal(1), ""))
CONTEXT_CHARS = 90  # a tooltip's sentence: long enough to read the figure in it


class ReportPageError(RuntimeError):
    pass


def format_amount(amount: Decimal) -> str:
    """An exact amount with thousands separators and no trailing zeros: 1134400000000.000000 -> 1,134,400,000,000."""
    text = format(amount, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _query(con, name: str, params: dict | None = None) -> list[dict]:
    cur = con.execute((QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8"), params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _by_report(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["report_id"]].append(row)
    return grouped


@dataclass
class Fetched:
    """The warehouse rows behind the page, each list in its query's order."""
    reports: list[dict]
    outline: dict[str, list[dict]]
    money: dict[str, list[dict]]
    growth: dict[str, list[dict]]
    largest: dict[str, list[dict]]
    unplaced: dict[str, int]


def _fetch(warehouse_path: Path) -> Fetched:
    with connect(warehouse_path, read_only=True) as con:
        reports = [dict(zip(("report_id", "file_name", "title", "page_count", "figures"), r)) for r in con.execute(
            "SELECT r.report_id, r.file_name, r.title, r.page_count, count(f.quantity_key) FROM dim_report r "
            "LEFT JOIN fact_quantity f USING (report_id) GROUP BY ALL ORDER BY r.report_id").fetchall()]
        unplaced = dict(con.execute("SELECT report_id, count(*) FROM fact_quantity WHERE section_key IS NULL "
                                    "GROUP BY report_id").fetchall())
        return Fetched(reports, _by_report(_query(con, "outline")), _by_report(_query(con, "money")),
                       _by_report(_query(con, "growth")),
                       _by_report(_query(con, "largest", {"limit": LARGEST_PER_CURRENCY})), unplaced)


def _outline(rows: list[dict]) -> list[dict]:
    """The sections grouped under their chapter (level 1), for one <details> per chapter."""
    chapters: list[dict] = []
    for row in rows:
        section = {"path": row["section_path"], "title": row["title"], "level": row["level"],
                   "here": row["figures_here"], "subtree": row["figures_in_subtree"]}
        if row["level"] == 1 or not chapters:
            chapters.append({**section, "sections": []})
        chapters[-1]["sections"].append(section)
    return chapters


def _scale(amounts: list[Decimal]) -> tuple[Decimal, str]:
    """The magnitude the bars are drawn in (億, 萬 or one), from the largest amount."""
    largest = max((abs(a) for a in amounts), default=Decimal(0))
    return next(((f, word) for f, word in SCALES if largest >= f), SCALES[-1])


def _sum_by(rows: list[dict], key: str) -> list[dict]:
    """Exact sums of amount and figures per (key, kind), in first-seen order."""
    sums: dict[tuple, dict] = {}
    for row in rows:
        cell = sums.setdefault((row[key], row["kind"]), {key: row[key], "kind": row["kind"], "figures": 0,
                                                         "amount": Decimal(0)})
        cell["figures"] += row["figures"]
        cell["amount"] += row["amount"]
    return list(sums.values())


def _by_size(rows: list[dict], key: str) -> list[dict]:
    """Rows ordered by their key's largest amount in any kind, largest first (the bars' order)."""
    size: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        size[r[key]] = max(size[r[key]], abs(r["amount"]))
    return sorted(rows, key=lambda r: -size[r[key]])


def _bar_values(rows: list[dict], key: str, currency: str, scale: Decimal) -> list[dict]:
    return [{key: r[key], "indicator": r.get("indicator", r[key]), "kind": KIND_TITLES[r["kind"]],
             "bar": float(r["amount"] / scale), "amount": f"{format_amount(r['amount'])} {currency}",
             "figures": r["figures"]} for r in rows]


def _money_chart(rows: list[dict], key: str, currency: str) -> dict:
    """Bars of money per `key` (chapter or indicator), one panel per kind, each panel its own scale."""
    import altair as alt

    factor, word = _scale([r["amount"] for r in rows])
    order = list(dict.fromkeys(r[key] for r in rows))
    kinds = [KIND_TITLES[k] for k in KINDS if any(r["kind"] == k for r in rows)]
    colour = alt.Color("indicator:N", title="indicator") if key == "chapter" else alt.value("#4c78a8")
    base = alt.Chart(alt.Data(values=_bar_values(rows, key, currency, factor))).mark_bar().encode(
        y=alt.Y(f"{key}:N", sort=order, title=None),
        x=alt.X("bar:Q", title=f"{word}{currency}".strip()),
        color=colour,
        tooltip=[alt.Tooltip(f"{k}:N") for k in dict.fromkeys((key, "indicator"))] + [alt.Tooltip("kind:N"),
                 alt.Tooltip("amount:N", title=f"amount (exact, {currency})"), alt.Tooltip("figures:Q")],
    ).properties(width=230)
    chart = base.facet(column=alt.Column("kind:N", sort=kinds, title=None)).resolve_scale(x="independent")
    return _spec(chart)


def _spec(chart) -> dict:
    spec = chart.configure(font=FONT_FAMILY).to_dict()
    spec.pop("$schema", None)  # a URL the page never loads; vega-embed is told the mode instead
    return spec


def _money_charts(rows: list[dict], anchor: str) -> list[dict]:
    charts = []
    for currency in sorted({r["currency"] for r in rows}, key=lambda c: (CURRENCY_ORDER.get(c, 2), c)):
        mine = [r for r in rows if r["currency"] == currency]
        for key, caption in (("chapter", "by chapter (colour: indicator)"), ("indicator", "by indicator")):
            data = mine if key == "chapter" else _by_size(_sum_by(mine, "indicator"), "indicator")
            charts.append({"id": f"{anchor}-money-{currency}-{key}", "caption": f"{currency} {caption}",
                           "currency": currency, "spec": _money_chart(data, key, currency)})
    return charts


def _short(text: str | None, limit: int = CONTEXT_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _growth_chart(rows: list[dict], anchor: str, pdf: Path | None, out_dir: Path) -> dict | None:
    """One point per growth rate, by chapter: percentages are shown alone, never summed. A click on a
    point opens its PDF page."""
    import altair as alt

    if not rows:
        return None
    values = [{"chapter": r["chapter"], "percent": float(r["percent"]), "printed": r["number_text"],
               "comparison": r["comparison"], "figure": "target" if r["is_target"] else "achieved",
               "section": r["section_path"] or "", "page": _page_label(r), "sentence": _short(r["context"]),
               "href": _page_href(pdf, out_dir, r["pdf_page"]) or ""} for r in rows]
    order = list(dict.fromkeys(v["chapter"] for v in values))
    chart = alt.Chart(alt.Data(values=values)).mark_point(filled=True, size=70, opacity=0.8).encode(
        y=alt.Y("chapter:N", sort=order, title=None),
        x=alt.X("percent:Q", title="change as printed (%, symmetric log scale)", scale=alt.Scale(type="symlog"),
                axis=alt.Axis(values=_log_ticks([v["percent"] for v in values]))),
        color=alt.Color("comparison:N", title="compared with"),
        shape=alt.Shape("figure:N", title=None),
        tooltip=[alt.Tooltip("printed:N", title="as printed"), "comparison:N", "figure:N", "section:N",
                 "page:N", "sentence:N"],
        **({"href": alt.Href("href:N")} if pdf else {}),
    ).properties(width=720)
    return {"id": f"{anchor}-growth", "spec": _spec(chart)}


def _log_ticks(values: list[float]) -> list[float]:
    """1-2-5 ticks for a symlog axis (Vega's own are linear there, and crowd at the low end)."""
    steps = [m * 10 ** e for e in range(7) for m in (1, 2, 5)]
    high, low = max(values + [0.0]), min(values + [0.0])
    return sorted([-t for t in steps if -t >= low * 1.2] + [0] + [t for t in steps if t <= high * 1.2])


def _page_label(row: dict) -> str:
    printed = f"p. {row['page_number']} · " if row.get("page_number") is not None else ""
    return f"{printed}PDF page {row['pdf_page']}"


def _page_href(pdf: Path | None, out_dir: Path, pdf_page: int) -> str | None:
    """A link to the PDF page, relative to the page's folder so that the two can move together."""
    if pdf is None:
        return None
    return quote(Path(os.path.relpath(pdf, out_dir)).as_posix()) + f"#page={pdf_page}"


def _largest(rows: list[dict], pdf: Path | None, out_dir: Path) -> list[dict]:
    tables: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        section = " ".join(p for p in (r["section_path"], r["section_title"]) if p)
        tables[r["currency"]].append({
            "rank": r["rank"], "amount": format_amount(r["amount"]), "number_text": r["number_text"],
            "indicator": r["indicator"] or "", "comparison": r["comparison"], "section": section,
            "page": _page_label(r), "href": _page_href(pdf, out_dir, r["pdf_page"]), "context": r["context"] or ""})
    return [{"currency": c, "rows": t} for c, t in tables.items()]


def _find_pdf(file_name: str, raw_dirs: list[Path]) -> Path | None:
    return next((d / file_name for d in raw_dirs if (d / file_name).is_file()), None)


def _report_view(report: dict, data: Fetched, out_dir: Path, raw_dirs: list[Path]) -> dict:
    rid = report["report_id"]
    anchor = "r-" + "".join(ch if ch.isalnum() else "-" for ch in rid)
    pdf = _find_pdf(report["file_name"], raw_dirs)
    note = "" if pdf else f"{report['file_name']} not found in {', '.join(map(str, raw_dirs))}: no page links"
    money = _money_charts(data.money.get(rid, []), anchor)
    growth = _growth_chart(data.growth.get(rid, []), anchor, pdf, out_dir)
    for chart in money + ([growth] if growth else []):
        chart["spec_json"] = _script_json(chart["spec"])
    return {"anchor": anchor, "heading": report["title"] or rid, "file_name": report["file_name"],
            "page_count": report["page_count"], "figure_count": report["figures"], "pdf_note": note,
            "outline": _outline(data.outline.get(rid, [])), "unplaced": data.unplaced.get(rid, 0),
            "money_charts": money, "growth_chart": growth,
            "largest": _largest(data.largest.get(rid, []), pdf, out_dir)}


def _script_json(spec: dict) -> str:
    """JSON safe inside <script type="application/json">: no `</` can close the element early."""
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


def _package_dir(name: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ReportPageError(f"the report page needs the package {pip_name} (pinned in requirements.lock): "
                              "install it with `make test` or pip install --require-hashes -r requirements.lock")
    return Path(spec.origin).parent


def _copy_if_changed(src: Path, dest: Path) -> None:
    if not src.is_file():
        raise ReportPageError(f"{src} is missing: reinstall the package that holds it")
    if not dest.is_file() or dest.stat().st_size != src.stat().st_size or dest.read_bytes() != src.read_bytes():
        shutil.copyfile(src, dest)


def _copy_static(static_out: Path) -> dict | None:
    """The scripts, style and font the page loads, beside it. Returns the font, or None without the package."""
    static_out.mkdir(parents=True, exist_ok=True)
    vega = _package_dir(VEGA_PACKAGE, "django-js-lib-vega-embed") / "static" / VEGA_PACKAGE
    for script in VEGA_SCRIPTS.values():
        _copy_if_changed(vega / script, static_out / script)
    for name in OWN_STATIC:
        _copy_if_changed(STATIC_DIR / name, static_out / name)
    if importlib.util.find_spec(FONT_PACKAGE) is None:
        return None  # the browser's own CJK fonts are used (most desktops have one)
    write_single_face(_package_dir(FONT_PACKAGE, "paperang-p2-fonts-cjk") / "fonts" / FONT_COLLECTION,
                      static_out / FONT_FILE)
    return {"family": FONT_FAMILY, "file": FONT_FILE}


def _render(context: dict) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(STATIC_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template(TEMPLATE).render(**context)


def write_report_page(warehouse_path: Path, out_dir: Path | None = None, *,
                      raw_dir: Path | None = None) -> Path:
    """Write `index.html` (and its static/ folder) for every report in the warehouse; return its path.

    out_dir defaults to `<warehouse dir>/report/`. Page links point at the PDFs in raw_dir (by default
    the `raw/` folder beside the warehouse's folder, as in the repository's layout); a PDF not found there
    gets no links, and the page says so."""
    warehouse_path = Path(warehouse_path)
    if not warehouse_path.is_file():
        raise ReportPageError(f"{warehouse_path} does not exist: run `python -m pipelines run` first")
    out_dir = Path(out_dir) if out_dir is not None else warehouse_path.parent / "report"
    raw_dirs = [Path(raw_dir)] if raw_dir is not None else [warehouse_path.resolve().parent.parent / "raw"]
    data = _fetch(warehouse_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    font = _copy_static(out_dir / "static")
    reports = [_report_view(r, data, out_dir.resolve(), [d.resolve() for d in raw_dirs]) for r in data.reports]
    title = " · ".join(r["heading"] for r in reports[:3]) or "No report"
    page = _render({"title": title, "warehouse": warehouse_path.name, "reports": reports, "font": font,
                    "scripts": VEGA_SCRIPTS})
    index = out_dir / "index.html"
    tmp = index.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(index)  # a reader never sees half a page
    return index

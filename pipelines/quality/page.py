"""The page a person opens: <warehouse dir>/quality/index.html, every suite against every report,
the failing expectations with samples, links into the Great Expectations Data Docs. Static: no
scripts, no network. Made from the summaries QualityResource saves per report and suite
(quality/results/<report>/<suite>.json).
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import logging
import os
from pathlib import Path

from .outcomes import SuiteOutcome, batch_id
from .suites import SUITE_NAMES, SUITES

log = logging.getLogger(__name__)

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


_e = html.escape


def _header(warehouse_path) -> list[str]:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Data quality</title>",
            f"<style>{_CSS}</style></head><body>", "<h1>Data quality of the MOEA report warehouse</h1>",
            f"<p class='small'>Warehouse <code>{_e(str(warehouse_path))}</code> · written {now} · "
            "each suite is a file in <code>expectations/</code>; ERROR = a critical expectation failed (the "
            "report is not loaded), WARN = a soft one failed. The same results are in the DuckDB table "
            "<code>dq_results</code>. Great Expectations' own Data Docs: <a href='docs/index.html'>docs/index.html</a> "
            "(its scripts and styles are local copies: it works offline).</p>"]


def _matrix(summaries: dict[str, dict[str, SuiteOutcome]]) -> list[str]:
    """Suites down, reports across: each cell the suite's status, linked to its Data Docs page."""
    rids = sorted(summaries)
    out = ["<h2>Suites × reports</h2><table><tr><th>suite</th><th>validates (asset)</th>"]
    out += [f"<th><a href='#{_e(batch_id(r))}'>{_e(r)}</a></th>" for r in rids]
    out.append("</tr><tr><th>all</th><th></th>")
    for rid in rids:
        errs = sum(len(o.failed_errors) for o in summaries[rid].values())
        warns = sum(len(o.failed_warnings) for o in summaries[rid].values())
        cls, txt = ("err", f"✗ {errs} ERROR") if errs else (("warn", f"⚠ {warns} WARN") if warns else ("ok", "✓"))
        out.append(f"<td class='{cls}'>{txt}</td>")
    out.append("</tr>")
    for suite, asset in SUITES:
        out.append(f"<tr><td>{_e(suite)}</td><td>{_e(asset)}</td>")
        for rid in rids:
            o = summaries[rid].get(suite)
            c, t = _status(o)
            title = f" title='run {_e(o.run_id)}, {_e(o.run_time)}'" if o is not None else ""
            cell = f"<a href='{_e(o.docs_page)}'{title}>{t}</a>" if o is not None and o.docs_page else t
            out.append(f"<td class='{c}'>{cell}</td>")
        out.append("</tr>")
    out.append("</table><p class='small'>✓ n = all n expectations passed; a cell links to the suite's result "
               "in the Great Expectations Data Docs; “not run” = the suite's asset did not run (an earlier "
               "ERROR blocked it).</p>")
    return out


def _failed_table(by: dict[str, SuiteOutcome]) -> list[str]:
    failed = [r for s in SUITE_NAMES if s in by for r in by[s].failed]
    if not failed:
        return ["<p class='ok'>Every expectation passed.</p>"]
    out = ["<table><tr><th>severity</th><th>suite</th><th>expectation</th><th>observed</th>"
           "<th>unexpected rows (sample)</th></tr>"]
    for r in sorted(failed, key=lambda r: r.severity != "ERROR"):
        cls = "err" if r.severity == "ERROR" else "warn"
        out.append(f"<tr><td class='{cls}'>{r.severity}</td><td>{_e(r.suite)}</td><td><b>{_e(r.name)}</b><br>"
                   f"{_e(r.description)}</td><td>{_e(r.observed)}</td><td>{'<br>'.join(_e(x) for x in r.sample)}"
                   "</td></tr>")
    out.append("</table>")
    return out


def _report_section(rid: str, by: dict[str, SuiteOutcome]) -> list[str]:
    runs = sorted({o.run_id for o in by.values()})
    out = [f"<h2 id='{_e(batch_id(rid))}'>{_e(rid)}</h2>",
           f"<p class='small'>run {_e(', '.join(runs))} · {_e(max(o.run_time for o in by.values()))}</p>"]
    rec = by.get("number_reconciliation")
    share = next((r for r in rec.results if r.name == "unexplained_share"), None) if rec is not None else None
    if share is not None and share.element_count:
        out.append(f"<p>Digit runs in the prose not explained (number_mention.kind = 'bare', or "
                   f"unaccounted): <b>{share.unexpected_count} of {share.element_count} "
                   f"({100 * (share.unexpected_count or 0) / share.element_count:.2f}%)</b></p>")
    out += _failed_table(by)
    out.append("<details><summary>All expectations</summary><table><tr><th></th><th>suite</th>"
               "<th>severity</th><th>expectation</th><th>observed</th></tr>")
    for s in SUITE_NAMES:
        for r in (by[s].results if s in by else ()):
            out.append(f"<tr><td class='{'ok' if r.success else ('err' if r.severity == 'ERROR' else 'warn')}'>"
                       f"{'✓' if r.success else '✗'}</td><td>{_e(s)}</td><td>{r.severity}</td>"
                       f"<td><b>{_e(r.name)}</b> {_e(r.description)}</td><td>{_e(r.observed)}</td></tr>")
    out.append("</table></details>")
    return out


def render_index(summaries: dict[str, dict[str, SuiteOutcome]], warehouse_path: str | Path = "") -> str:
    out = _header(warehouse_path)
    if not summaries:
        out.append("<p>No report has been validated yet.</p></body></html>")
        return "\n".join(out)
    out += _matrix(summaries)
    for rid in sorted(summaries):
        out += _report_section(rid, summaries[rid])
    out.append("</body></html>")
    return "\n".join(out)


def write_index(quality_dir: Path, warehouse_path: str | Path = "") -> Path:
    quality_dir.mkdir(parents=True, exist_ok=True)
    path = quality_dir / "index.html"
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(render_index(read_summaries(quality_dir), warehouse_path), encoding="utf-8")
    os.replace(tmp, path)
    return path

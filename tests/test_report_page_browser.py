"""The report page in a real browser with the network blocked (issue 15, item 3 and its Done-when).

The small warehouse of test_report_page.py gets its page written; Debian's headless Chromium (Playwright,
never a downloaded browser) opens it with every request that is not a local file aborted. Every chart must
be drawn as SVG with marks and a size, the Chinese labels in the bundled CJK face (not tofu boxes), and a
screenshot goes to the test's warehouse folder (report-page.png; the MOEA report's: report-page-moea.png).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.report_page import FONT_FAMILY, write_report_page
from tests.test_report_page import RID, build_warehouse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UI_MS = 60_000
CHART_PROBE = """() => [...document.querySelectorAll('div.chart')].map(div => {
  const svg = div.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: div.id, width: r.width, height: r.height,
          marks: svg ? svg.querySelectorAll('g.mark-rect path, g.mark-symbol path').length : 0,
          labels: svg ? [...svg.querySelectorAll('text')].map(t => t.textContent) : [],
          font: svg && svg.querySelector('text') ? getComputedStyle(svg.querySelector('text')).fontFamily : ''}; })"""


def _open_offline(browser, url: str):
    """A page whose every non-file request is aborted (and recorded)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(UI_MS)
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type in ("error", "warning") and errors.append(msg.text))
    page.goto(url)
    page.wait_for_selector("body[data-charts-drawn]")
    return page, blocked, errors


NO_BROWSER = ("no browser: /usr/bin/chromium is missing (`make test` installs Debian's chromium with apt-get; "
              "its log is /tmp/moea-chromium-install.log)")


def _look(index: Path, shot: Path) -> dict:
    """Open the page offline, probe its charts, hover a bar (its tooltip), screenshot it with every chapter open."""
    from playwright import sync_api  # pinned in requirements.lock: missing is a failure, not a skip

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page, blocked, errors = _open_offline(browser, index.as_uri())
            seen = {"charts": page.evaluate(CHART_PROBE), "blocked": blocked, "errors": errors,
                    "drawn": int(page.evaluate("document.body.dataset.chartsDrawn")),
                    "font_loaded": page.evaluate(f"document.fonts.check('12px \"{FONT_FAMILY}\"', '壹工業')")}
            page.locator("div.chart g.mark-rect path").first.hover()
            seen["tooltip"] = page.locator("#vg-tooltip-element").inner_text(timeout=UI_MS)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    return seen


def _assert_drawn(seen: dict, shot: Path) -> None:
    assert seen["blocked"] == [], "the page asked the network for these"
    assert seen["errors"] == [], "script errors or warnings on the offline page"
    assert seen["charts"] and seen["drawn"] == len(seen["charts"])
    for chart in seen["charts"]:
        assert chart["width"] > 100 and chart["height"] > 50 and chart["marks"] > 0, chart
        assert FONT_FAMILY in chart["font"], chart
    assert seen["font_loaded"], f"the bundled face {FONT_FAMILY} did not load: Chinese labels would be tofu boxes"
    assert "amount (exact" in seen["tooltip"], seen["tooltip"]
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_BROWSER)
def test_report_page_draws_its_charts_offline(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / f"{RID}.pdf").write_bytes(b"%PDF-1.4")
    warehouse = build_warehouse(tmp_path / "warehouse" / "report.duckdb")
    shot = warehouse.parent / "report-page.png"
    seen = _look(write_report_page(warehouse), shot)
    _assert_drawn(seen, shot)
    assert {c["id"] for c in seen["charts"]} == {"r-mini-money-TWD-chapter", "r-mini-money-TWD-indicator",
                                                 "r-mini-money-USD-chapter", "r-mini-money-USD-indicator",
                                                 "r-mini-growth"}
    assert "壹 工業" in seen["charts"][0]["labels"]  # the chapter axis, in Chinese
    assert "1,134,400,000,000 TWD" in seen["tooltip"]  # the first bar: 壹 工業's achieved investment, exact


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_BROWSER)
def test_moea_report_page_draws_its_charts_offline(report_warehouse, tmp_path):
    """The real report's page (written beside the test's copy of the warehouse: report-page-moea.png)."""
    shot = report_warehouse.parent / "report-page-moea.png"
    seen = _look(write_report_page(report_warehouse, tmp_path / "report"), shot)
    _assert_drawn(seen, shot)
    labels = {label for c in seen["charts"] for label in c["labels"]}
    assert {"壹 工業", "陸 貿易", "拾貳 礦業及地質調查"} <= labels

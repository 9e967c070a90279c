"""The Great Expectations Data Docs work with no network (issue 15, item 6).

A small generated report runs through the CLI; its Data Docs are then opened in Debian's headless
Chromium (Playwright, never a downloaded browser) with every request that is not a local file
aborted. The index must list the report's validations (bootstrap-table builds those rows) and the
status icons must be drawn (Font Awesome's glyphs); screenshots go to the test's warehouse folder.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.quality import offline_docs
from pipelines.quality.offline_docs import remote_references
from pipelines.quality.suites import SUITE_NAMES
from tests.conftest import run_cli
from tests.pdfgen import Style, Table, make_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHAPTERS = [
    ("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
    ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"]),
    ("附錄、附表", [Table("附表一 專案辦理情形", ["專案", "件數（件）", "金額（億元）"], [["甲", "3", "0.5"]])]),
]
UI_MS = 60_000


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    """The Data Docs folder of a small generated report run through the CLI."""
    root = tmp_path_factory.mktemp("docs_offline")
    raw = root / "raw"
    raw.mkdir()
    make_report(raw / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    warehouse = root / "warehouse" / "report.duckdb"
    result = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(warehouse),
                     env={"DAGSTER_HOME": str(root / "dagster_home")})
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse.parent / "quality" / "docs"


def test_no_page_names_a_cdn(docs):
    pages = sorted(docs.rglob("*.html"))
    assert (docs / "index.html") in pages and len(pages) > len(SUITE_NAMES)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert remote_references(text) == [], page
        # what is left of http: only links a person may follow (GX's site and newsletter)
        for m in re.finditer(r"https?://[^\"'\s)]+", text):
            assert text[max(0, m.start() - 6):m.start()] == 'href="' and "greatexpectations.io" in m.group(0), \
                (page, m.group(0))
    vendored = docs / "static" / "vendor"
    assert (vendored / "fontawesome" / "webfonts" / "fa-solid-900.woff2").is_file()
    assert (vendored / "bootstrap-table-1.19.1" / "bootstrap-table.min.js").is_file()


def test_every_cdn_the_installed_great_expectations_names_has_a_local_copy():
    """A GX upgrade that loads something new from a CDN fails here, not on a person's screen."""
    import importlib.util

    gx_dir = Path(importlib.util.find_spec("great_expectations").origin).parent  # not imported: seconds
    templates = gx_dir / "render" / "view" / "templates"
    named = set()
    for t in templates.glob("*.j2"):
        named |= set(re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"(https://[^\"]+)\"", t.read_text()))
    assert len(named) >= 10
    for url in sorted(named):
        assert any(re.fullmatch(pattern, url) for pattern, _ in offline_docs.CDN), url
    for asset in offline_docs.ASSETS.values():
        assert offline_docs._source(asset).exists(), asset  # installed from requirements.lock or vendor/


def test_a_page_points_at_the_local_copies_relative_to_its_depth(tmp_path):
    docs = tmp_path / "docs"
    page = docs / "validations" / "pages" / "run" / "20260101T000000Z" / "r.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>\n'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" integrity="x" '
        'crossorigin="anonymous"></script>\n<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&x=2"/>\n'
        '<a href="https://greatexpectations.io">GX</a>', encoding="utf-8")
    (docs / "index.html").write_text('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>', encoding="utf-8")
    assert sorted(offline_docs.make_offline(docs)) == sorted([page, docs / "index.html"])
    text = page.read_text(encoding="utf-8")
    assert remote_references(text) == []
    assert '<link rel="stylesheet" href="../../../../static/vendor/bootstrap/css/bootstrap.min.css">' in text
    assert '<script src="../../../../static/vendor/jquery/jquery.min.js"></script>' in text
    assert "popper" not in text and 'src="../../../../static/images/logo-long.png"' in text
    assert '<a href="https://greatexpectations.io">' in text  # a link, not a download
    assert 'src="static/vendor/vega/vega5.js"' in (docs / "index.html").read_text(encoding="utf-8")
    assert (docs / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").is_file()
    assert offline_docs.make_offline(docs) == []  # once rewritten, left alone


def _open_offline(browser, url: str):
    """A page whose every non-file request is aborted (and recorded)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(UI_MS)
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, blocked, errors


def _listed_validations(page, expect) -> set[str]:
    """The suites of the rows of the index's validation table (bootstrap-table draws them from data
    in the page: without its script the table is empty), all rows on one page."""
    rows = page.locator("div.tab-pane.active tr.clickable-row")
    expect(rows.first).to_be_visible()
    page.evaluate("$('div.tab-pane.active table.ge-index-page-validation-results-table')"
                  ".bootstrapTable('togglePagination')")
    expect(rows).to_have_count(len(SUITE_NAMES))
    listed = set()
    for href in rows.evaluate_all("els => els.map(e => e.dataset.href)"):
        m = re.match(r"validations/([^/]+)/[^/]+/[^/]+/mini\.html$", href or "")
        assert m, href
        listed.add(m.group(1))
    return listed


ICON_PROBE = """() => [...document.querySelectorAll('i.fas, i.fa, i.far')].filter(i => i.offsetParent !== null)
  .slice(0, 20).map(i => { const r = i.getBoundingClientRect(); const s = getComputedStyle(i, '::before');
    return {w: r.width, h: r.height, content: s.content, font: s.fontFamily}; })"""


def _assert_icons_drawn(page, where: str) -> None:
    icons = page.evaluate(ICON_PROBE)
    assert icons, f"no status icon visible on {where}"
    for icon in icons:
        assert icon["w"] > 0 and icon["h"] > 0, (where, icon)
        assert icon["content"] not in ("none", "normal", '""'), (where, icon)
        assert "Font Awesome" in icon["font"], (where, icon)
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')"), \
        f"the Font Awesome font is not loaded on {where}"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="no browser: /usr/bin/chromium is missing (`make test` installs Debian's chromium "
                           "with apt-get; its log is /tmp/moea-chromium-install.log)")
def test_data_docs_index_lists_the_validations_and_draws_the_icons_offline(docs):
    from playwright import sync_api  # pinned in requirements.lock: missing is a failure, not a skip
    expect = sync_api.expect
    shots = docs.parent.parent  # the test's warehouse folder

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page, blocked, errors = _open_offline(browser, (docs / "index.html").as_uri())
            expect(page.get_by_text(f"of {len(SUITE_NAMES)} rows").first).to_be_visible()
            listed = _listed_validations(page, expect)
            assert listed == set(SUITE_NAMES)  # every suite's result of the report is listed
            _assert_icons_drawn(page, "the index")
            page.screenshot(path=str(shots / "data-docs-index.png"), full_page=True)

            result = sorted(docs.glob("validations/quantities/*/*/mini.html"))[-1]
            page, more_blocked, more_errors = _open_offline(browser, result.as_uri())
            expect(page.get_by_text("quantities").first).to_be_visible()
            _assert_icons_drawn(page, result.name)
            page.screenshot(path=str(shots / "data-docs-quantities.png"), full_page=True)
        finally:
            browser.close()
    assert blocked + more_blocked == [], "the pages asked the network for these"
    assert errors + more_errors == [], "script errors on the offline pages"
    assert (shots / "data-docs-index.png").stat().st_size > 10_000

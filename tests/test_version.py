"""A changed rule is a changed extractor: every parsing module and rule file feeds the cache keys."""
from __future__ import annotations

from pathlib import Path

from pipelines.report import version

REPORT = Path(version.__file__).resolve().parent


def test_every_rule_file_and_module_is_in_the_extractor_version():
    sources = set(version.EXTRACTOR_SOURCES)
    assert set((REPORT / "data").glob("*.json")) <= sources
    assert set(REPORT.glob("*.py")) <= sources


def test_every_table_module_is_in_the_page_cache_key():
    # tables are found while the pages are parsed, so a table rule changes the cached pages
    assert set(REPORT.glob("table*.py")) | set((REPORT / "data").glob("table_*.json")) <= set(version.PAGES_SOURCES)

"""Versions derived from the extractor's own source, so that a changed rule can never be served
from a stale cache or skipped at load time."""
from __future__ import annotations

import hashlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_SEEDS = _HERE.parent.parent / "sql" / "seeds"
_RULES = _HERE / "data"  # language rules as data: a changed word list is a changed extractor


def digest(paths) -> str:
    """A short digest of these files' names and bytes (in name order)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


# What parse_page produces: changes only when page parsing or table finding changes.
PAGES_SOURCES = [_HERE / "pages.py", _HERE / "tables.py", _HERE / "model.py", *_HERE.glob("table_*.py"),
                 *_RULES.glob("table_*.json")]
PAGES_VERSION = digest(PAGES_SOURCES)
# Everything from pages to warehouse rows: every parsing module, its rule files and the rule seeds.
EXTRACTOR_SOURCES = (list(_HERE.glob("*.py")) + list(_RULES.glob("*.json")) + list(_SEEDS.glob("*.csv"))
                     + list((_HERE.parent / "assets").glob("*.py")) + [_HERE.parent / "warehouse.py"])
EXTRACTOR_VERSION = digest(EXTRACTOR_SOURCES)

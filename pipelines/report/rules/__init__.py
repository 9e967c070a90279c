"""The language rules as data, one validated loader per rule file.

Every file in this folder starts with a comment saying what a row or entry means and how to add
one. Each loader takes the file's path (the one here by default), so a test can load a changed
copy; a malformed file fails with ``RuleError`` naming the file, the line and what is wrong. The
rule files are part of the extractor's fingerprint (``pipelines/fingerprint.py``, by file stem):
changing one re-parses only the stages that read it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .read import RuleError, Toml, decimal_of, read_csv  # noqa: F401  (re-exported for the loaders' callers)

RULES_DIR = Path(__file__).resolve().parent
_KIND = re.compile(r"[a-z][a-z_]*")


@lru_cache(maxsize=None)
def load_mention_kinds(path: Path = RULES_DIR / "mention_kinds.csv") -> tuple[str, ...]:
    """The kinds of number mention, in file order (mention_kinds.csv: kind, meaning)."""
    kinds: list[str] = []
    for line, row in read_csv(Path(path), ("kind", "meaning")):
        kind = row["kind"]
        if not _KIND.fullmatch(kind):
            raise RuleError(path, line, f"kind {kind!r} is not a lowercase word")
        if kind in kinds:
            raise RuleError(path, line, f"duplicate kind {kind!r}")
        if not row["meaning"]:
            raise RuleError(path, line, f"kind {kind!r} has no meaning")
        kinds.append(kind)
    return tuple(kinds)


def mention_kinds() -> tuple[str, ...]:
    """The one list of kinds a number mention (a digit run that is not a quantity) can have."""
    return load_mention_kinds()

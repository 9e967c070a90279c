"""Regex pieces the prose readers (quantities, amounts, years) share."""
from __future__ import annotations

import re

# the spaces a line break or the report's spacing leaves between a number and its words
SP = r"[ \u3000]*"


def words(alternatives, flags: str = "") -> str:
    """An alternation of these words, longest first (so 分鐘 is tried before 分)."""
    alt = "|".join(re.escape(w) for w in sorted(alternatives, key=len, reverse=True))
    return f"(?{flags}:{alt})" if flags else f"(?:{alt})"

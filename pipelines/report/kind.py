"""What kind of document a PDF is, from its text: a report of the family (chapters 壹、貳、…), a
statistical table document (tables, no chapters), or neither, with the reason a user reads."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import errors
from .model import Page
from .rules import load_scripts

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# Below this share of CJK among letters the text is another language (an English report).
MIN_CJK_SHARE = 0.3
# Simplified forms must outnumber traditional ones and be more than a quoted name or two.
MIN_SIMPLIFIED = 5


@dataclass(frozen=True)
class DocumentKind:
    name: str | None  # "report", "tables", or None when refused
    reason: str = ""  # why it was refused (errors.*), empty when accepted


@lru_cache(maxsize=1)
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    simplified, traditional = load_scripts()  # rules/scripts.toml
    return frozenset(simplified), frozenset(traditional)


def page_text(pages: Sequence[Page]) -> str:
    lines = (l.text for p in pages for l in p.lines)
    cells = (c or "" for p in pages for t in p.tables for row in t.rows for c in row)
    return "\n".join([*lines, *cells])


def script_problem(text: str) -> str:
    """The reason the text is not Traditional Chinese, or "" when it is."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    if cjk < MIN_CJK_SHARE * (cjk + latin):
        return errors.NOT_CHINESE
    simplified, traditional = _script_chars()
    n_simplified = sum(1 for ch in text if ch in simplified)
    n_traditional = sum(1 for ch in text if ch in traditional)
    if n_simplified >= MIN_SIMPLIFIED and n_simplified > n_traditional:
        return errors.SIMPLIFIED
    return ""


def document_kind(pages: Sequence[Page], sections: Sequence) -> DocumentKind:
    problem = script_problem(page_text(pages))
    if problem:
        return DocumentKind(None, problem)
    if any(s.level == 1 and s.chapter_no for s in sections):
        return DocumentKind("report")
    if any(t.rows for p in pages for t in p.tables):
        return DocumentKind("tables")
    return DocumentKind(None, errors.NOT_A_REPORT)

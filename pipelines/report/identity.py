"""Who issued a report, what kind it is, its title and year, read from its cover (the first page
with text): the largest print is the title, an agency name opens a line, the kind is a word."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .model import Page, TextLine
from .rules import load_report_identity
from .text import nfkc, squash

# Lines printed at least this share of the cover's largest size belong to the title.
TITLE_SIZE_SHARE = 0.75
MAX_AGENCY_CHARS = 12
LABEL = re.compile(r"[:：]")


@dataclass(frozen=True)
class ReportIdentity:
    title: str | None
    roc_year: int | None
    issuer: str | None
    report_kind: str | None


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = load_report_identity()  # rules/report_identity.toml
    suffixes = "|".join(map(re.escape, data["agency_suffixes"]))
    return {"kinds": data["kinds"], "stop": data["title_stop"],
            "agency": re.compile(rf"^([\u4e00-\u9fff]{{1,{MAX_AGENCY_CHARS}}}?(?:{suffixes}))")}


def cover_lines(pages: Sequence[Page]) -> list[TextLine]:
    cover = next((p for p in pages if p.lines), None)
    return sorted(cover.lines, key=lambda l: (l.top, l.x0)) if cover else []


def _cut(text: str) -> str:
    for stop in _rules()["stop"]:
        text = text.split(stop, 1)[0]
    return text.strip()


def cover_title(lines: Sequence[TextLine]) -> str | None:
    if not lines:
        return None
    biggest = max(l.size for l in lines)
    parts = [_cut(squash(nfkc(l.text))) for l in lines if l.size >= TITLE_SIZE_SHARE * biggest]
    # a "label: value" line (縣市別：…, 註：…) printed large is not part of the title
    return "".join(p for p in parts if p and not LABEL.search(p)) or None


def cover_year(lines: Sequence[TextLine]) -> int | None:
    """The first year on the cover, as ROC (101 年施政成果, 中華民國 114 年 2 月)."""
    from .years import to_gregorian

    for line in lines:
        m = re.search(r"(\d{2,4})\s*年", nfkc(line.text))
        if m and to_gregorian(int(m.group(1))):
            y = int(m.group(1))
            return y if y < 1900 else y - 1911
    return None


def report_identity(pages: Sequence[Page]) -> ReportIdentity:
    lines = cover_lines(pages)
    text = "".join(squash(nfkc(l.text)) for l in lines)
    kind = next((kind for kind, words in _rules()["kinds"] if any(w in text for w in words)), None)
    issuer = next((m.group(1) for l in lines if (m := _rules()["agency"].match(squash(nfkc(l.text))))), None)
    return ReportIdentity(cover_title(lines), cover_year(lines), issuer, kind)

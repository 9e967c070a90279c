"""The whole parse of one report as one pure function chain: pages -> document -> outline ->
quantities and tables. Dagster assets call these stages one by one; tests call `parse_report`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .document import Document, build_document
from .model import Page
from .outline import Paragraph, Section, build_outline
from .quantities import MentionRecord, QuantityRecord, report_quantities, to_gregorian
from .text import nfkc


@dataclass(frozen=True)
class ParsedReport:
    pages: tuple[Page, ...]
    document: Document
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    quantities: tuple[QuantityRecord, ...]
    mentions: tuple[MentionRecord, ...]
    tables: tuple
    cells: tuple
    title: str | None
    roc_year: int | None


def report_title(pages: Sequence[Page]) -> tuple[str | None, int | None]:
    """The cover's first line mentioning a year, e.g. 經濟部 101 年施政成果 -> (title, 101)."""
    for p in pages[:2]:
        for line in p.lines:
            m = re.search(r"(\d{2,4})\s*年", nfkc(line.text))
            if m and to_gregorian(int(m.group(1))):
                y = int(m.group(1))
                return nfkc(line.text).strip(), (y if y < 1900 else y - 1911)
    return None, None


def parse_report(pages: Sequence[Page]) -> ParsedReport:
    from .tables import build_tables

    doc = build_document(pages)
    sections, paragraphs = build_outline(doc)
    quantities, mentions = report_quantities(paragraphs)
    tables, cells = build_tables(pages)
    title, roc_year = report_title(pages)
    return ParsedReport(tuple(pages), doc, tuple(sections), tuple(paragraphs), tuple(quantities),
                        tuple(mentions), tuple(tables), tuple(cells), title, roc_year)

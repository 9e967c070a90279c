"""The whole parse of one report as one pure function chain: pages -> document -> outline ->
quantities and tables. Dagster assets call these stages one by one; tests call `parse_report`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .document import Document, build_document
from .model import Page
from .identity import report_identity
from .outline import Paragraph, Section, build_outline
from .quantities import MentionRecord, QuantityRecord, report_quantities


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
    issuer: str | None = None
    report_kind: str | None = None


def parse_report(pages: Sequence[Page]) -> ParsedReport:
    from .tables import build_tables

    doc = build_document(pages)
    sections, paragraphs = build_outline(doc)
    quantities, mentions = report_quantities(paragraphs)
    tables, cells = build_tables(pages)
    who = report_identity(pages)
    return ParsedReport(tuple(pages), doc, tuple(sections), tuple(paragraphs), tuple(quantities),
                        tuple(mentions), tuple(tables), tuple(cells), who.title, who.roc_year, who.issuer,
                        who.report_kind)

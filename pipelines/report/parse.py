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


def assemble_report(pages: Sequence[Page], doc: Document, outline, quantities, tables) -> ParsedReport:
    """The stages' outputs ((sections, paragraphs), (records, mentions), (tables, cells)) as one report."""
    who = report_identity(pages)
    return ParsedReport(tuple(pages), doc, *map(tuple, outline), *map(tuple, quantities), *map(tuple, tables),
                        who.title, who.roc_year, who.issuer, who.report_kind)


def parse_report(pages: Sequence[Page]) -> ParsedReport:
    from .tables import build_tables

    doc = build_document(pages)
    outline = build_outline(doc)
    return assemble_report(pages, doc, outline, report_quantities(outline[1]), build_tables(pages))

"""Small immutable data types passed between the parsing stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TextLine:
    """One printed line of a page, grouped as pdfplumber groups characters (text not yet normalised)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # median font size of its characters
    fontname: str  # most common font of its characters (without a subset tag: UKaiTW-2)
    rotation: float = 0.0  # degrees counter-clockwise of its characters' baseline (0: upright)
    # Left and right edge of each character of `text` (same length as text; a space the line
    # builder inserted between words spans the gap). Empty when text and characters do not align
    # (a ligature expanded to several letters). Left out of equality: two engines that read the
    # same line may place its glyphs a hair apart.
    char_x0s: tuple[float, ...] = field(default=(), compare=False)
    char_x1s: tuple[float, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class RawTable:
    """A table as pdfplumber's table finder saw it on one page."""

    bbox: tuple[float, float, float, float]
    rows: tuple[tuple[str | None, ...], ...]
    caption_lines: tuple[str, ...]  # text lines directly above the table, nearest last
    strategy: str  # "lines" (ruled grid), "horizontal" (rules between rows), "booktabs", "whitespace"
    # Merged cells (row0, row1, col0, col1 exclusive ends, text); empty: every cell of `rows` is 1x1.
    spans: tuple[tuple[int, int, int, int, str], ...] = ()
    above_lines: tuple[str, ...] = ()  # text lines of the band above the table (title, unit line), top first
    below_lines: tuple[str, ...] = ()  # text lines right under the table (notes: 註：, 說明：, 資料來源：)
    # Per span: its text's left edge from the cell's left rule (a row's depth in a budget table
    # shows as indentation); empty, or None for a span, where not measured.
    indents: tuple[float | None, ...] = ()
    is_fields: bool = False  # a ruled line of fields (label | value …): its labels the header, its values one row


@dataclass(frozen=True)
class Page:
    """One physical page: its prose lines (table text removed) and its tables."""

    index: int  # 0-based physical page number
    width: float
    height: float
    lines: tuple[TextLine, ...]
    char_count: int  # characters the page draws, as PDFium reads them (runs of spaces count once)
    image_count: int = 0
    tables: tuple[RawTable, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A unit as written (with its magnitude prefix) and how it maps to a base unit."""

    written: str  # e.g. 億美元
    dimension: str  # money, percent, count, area, volume, mass, energy, power, length, other
    base_unit: str  # TWD, USD, percent, 家, m2, m3, t, kWh, kW, m
    factor: Decimal  # multiply the number by this to get the base unit
    currency: str | None = None

"""A query result as a plain-text table for the terminal: exact decimals with thousands separators,
long text cut (with a marker), CJK characters counted as two columns. Exports never go through here."""
from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

TEXT_WIDTH = 40  # display columns a text cell may take on screen before it is cut
CUT_MARK = "…"
LINE_BREAK_MARK = "↵"  # a '\n' inside a value (raw_text keeps the PDF's line breaks), shown on one line
# Types printed with thousands separators. INTEGER is left bare: the warehouse stores years, pages
# and ordinals as INTEGER; counts and sums come out of DuckDB as BIGINT, HUGEINT or DECIMAL.
NUMERIC_PREFIXES = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "HUGEINT", "UHUGEINT", "BIGINT", "UBIGINT")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, width: int = TEXT_WIDTH) -> str:
    """`text` on one line, cut to `width` display columns with CUT_MARK at the end when it was longer."""
    text = text.replace("\r\n", "\n").replace("\n", LINE_BREAK_MARK)
    if display_width(text) <= width:
        return text
    out, used = [], display_width(CUT_MARK)
    for ch in text:
        used += display_width(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out) + CUT_MARK


def exact_number(value: Decimal) -> str:
    """A Decimal exactly, with thousands separators and without the scale's trailing zeros
    (270730000000.000000 -> 270,730,000,000; 2707.300000 -> 2,707.3): never through a float."""
    if not value.is_finite():
        return str(value)
    text = format(value, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_cell(value, type_name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return exact_number(value)
    if isinstance(value, float):
        # the shortest text that reads back as the same double, written out (no 1.1344e+12)
        return str(value) if not math.isfinite(value) else exact_number(Decimal(repr(value)))
    if isinstance(value, int):
        return format(value, ",") if type_name.upper().startswith(NUMERIC_PREFIXES) else str(value)
    return shorten(str(value))


def is_numeric_type(type_name: str) -> bool:
    name = type_name.upper()
    return name.startswith(NUMERIC_PREFIXES) or name in {"TINYINT", "SMALLINT", "INTEGER",
                                                        "UTINYINT", "USMALLINT", "UINTEGER"}


def render(columns: list[str], type_names: list[str], rows: list[tuple]) -> str:
    """Columns separated by two spaces, numbers right-aligned, a rule under the header, the row count last."""
    cells = [[format_cell(v, t) for v, t in zip(row, type_names)] for row in rows]
    header = [shorten(c) for c in columns]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    numeric = [is_numeric_type(t) for t in type_names]

    def line(values: list[str]) -> str:
        parts = []
        for text, width, right in zip(values, widths, numeric):
            pad = " " * (width - display_width(text))
            parts.append(pad + text if right else text + pad)
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)

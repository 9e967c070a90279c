"""Render statistical tables the way government PDFs print them, for the table tests: ruled grids
with merged cells, booktabs (rules above and under the header, under the last row), no rules at
all; multi-row headers with group headings; a row-group column printed once per group; a title
line with the unit line at the right; notes under the table; split over pages with the header
repeated; portrait or landscape pages.  Fonts from tests.pdfgen (a pinned font package)."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from tests.pdfgen import SANS, register_font

Header = list[list[tuple[str, int]]]  # header rows, each a list of (text, columns spanned)


@dataclass
class TableSpec:
    header: Header
    rows: list[list[str]]  # data rows; "" in a group column: same group as the row above
    title: str | None = None
    unit_line: str | None = None  # printed at the right of the title line
    notes: list[str] = field(default_factory=list)
    style: str = "grid"  # grid, booktabs, none
    group_cols: int = 0  # leading columns printed once per group (merged cells in a grid)
    label_cols: int = 2  # leading text columns (left-aligned); the others are right-aligned numbers
    rows_per_page: int | None = None  # split over pages, the header repeated on each
    landscape: bool = False
    font: object = SANS
    size: float = 10.0


def _widths(spec: TableSpec, face: str) -> list[float]:
    n = len(spec.rows[0])
    w = [0.0] * n
    for row in spec.rows:
        for c, t in enumerate(row):
            w[c] = max(w[c], pdfmetrics.stringWidth(t, face, spec.size))
    for hrow in spec.header:
        c = 0
        for text, span in hrow:
            need = pdfmetrics.stringWidth(text, face, spec.size) / span
            for k in range(c, c + span):
                w[k] = max(w[k], need)
            c += span
    return [x + 3.0 * spec.size for x in w]  # padding: the white space between columns


def render(path, spec: TableSpec, prose: list[str] = ()) -> None:
    face = register_font(spec.font)
    size = spec.size
    pagesize = landscape(A4) if spec.landscape else A4
    c = canvas.Canvas(str(path), pagesize=pagesize)
    width, height = pagesize
    widths = _widths(spec, face)
    left = max(36.0, (width - sum(widths)) / 2)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    rh = 1.9 * size
    per = spec.rows_per_page or len(spec.rows)
    chunks = [spec.rows[i:i + per] for i in range(0, len(spec.rows), per)]
    for k, chunk in enumerate(chunks):
        c.setFont(face, size)
        y = height - 50
        for line in prose if k == 0 else ():
            c.drawString(left, y, line)
            y -= 1.6 * size
        if spec.title:
            y -= size
            c.drawString(left, y, spec.title)
            if spec.unit_line:
                c.drawRightString(xs[-1], y, spec.unit_line)
            y -= 1.2 * size
        top = y
        y = _draw_header(c, spec, face, xs, top, rh)
        header_bottom = y
        first_rows: list[float] = []
        for r, row in enumerate(chunk):
            for col, text in enumerate(row):
                if text and col >= spec.label_cols:  # numbers right-aligned, as statistical tables print them
                    c.drawRightString(xs[col + 1] - 0.5 * size, y - 1.35 * size, text)
                elif text:
                    c.drawString(xs[col] + 0.5 * size, y - 1.35 * size, text)
            first_rows.append(y)
            y -= rh
        _draw_rules(c, spec, xs, top, header_bottom, y, chunk, rh)
        if k == len(chunks) - 1:
            y -= 1.6 * size
            for note in spec.notes:
                c.drawString(left, y, note)
                y -= 1.5 * size
        c.showPage()
    c.save()


def _draw_header(c, spec: TableSpec, face: str, xs, top: float, rh: float) -> float:
    y = top
    for hrow in spec.header:
        col = 0
        for text, span in hrow:
            mid = (xs[col] + xs[col + span]) / 2
            if text:
                c.drawCentredString(mid, y - 1.35 * spec.size, text)
            col += span
        y -= rh
    return y


def _draw_rules(c, spec: TableSpec, xs, top, header_bottom, bottom, chunk, rh) -> None:
    if spec.style == "none":
        return
    if spec.style == "booktabs":
        for y, w in ((top, 1.2), (header_bottom, 0.6), (bottom, 1.2)):
            c.setLineWidth(w)
            c.line(xs[0], y, xs[-1], y)
        return
    c.setLineWidth(0.6)
    c.line(xs[0], top, xs[-1], top)
    c.line(xs[0], bottom, xs[-1], bottom)
    # header: a rule under each header cell, verticals only at its edges
    y = top
    for hrow in spec.header:
        col = 0
        for _, span in hrow:
            c.line(xs[col], y, xs[col], y - rh)
            c.line(xs[col], y - rh, xs[col + span], y - rh)
            col += span
        c.line(xs[-1], y, xs[-1], y - rh)
        y -= rh
    for x in xs:
        c.line(x, header_bottom, x, bottom)
    # body: rules between rows, not inside a group cell (its label printed once, on top)
    for r in range(1, len(chunk)):
        yy = header_bottom - r * rh
        start = 0
        for g in range(spec.group_cols):
            if chunk[r][g] == "":
                start = g + 1
        c.line(xs[start], yy, xs[-1], yy)

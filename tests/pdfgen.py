"""Synthetic MOEA-style report PDFs for tests.

Drawn with reportlab's canvas (not platypus) so that wrapping and page breaks are
decided here, deterministically: every line holds at most ``chars_per_line``
characters (CJK and ASCII count 1 each) and every page at most ``lines_per_page``
line slots.  ``make_report`` returns the layout it drew so tests can assert against it.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PACKAGE = "paperang_p2_fonts_cjk"  # WenQuanYi Micro Hei, a TrueType collection with Traditional Chinese
FONT_FILE = "fonts/wqy-microhei.ttc"


@dataclass(frozen=True)
class Font:
    """A CJK TrueType face that the generator embeds, from the pinned font package (no system font)."""
    subfont: int = 0

    @property
    def path(self) -> Path:
        try:
            package = importlib.import_module(FONT_PACKAGE)
        except ImportError:
            raise RuntimeError(
                f"the test PDFs need the CJK font package {FONT_PACKAGE.replace('_', '-')} (pinned in "
                "requirements.lock): run `make test`, which installs it into .venv") from None
        path = Path(package.__file__).parent / FONT_FILE
        if not path.is_file():
            raise RuntimeError(f"{path} is missing: reinstall {FONT_PACKAGE.replace('_', '-')} (`make test`)")
        return path


SANS = Font(0)  # WenQuanYi Micro Hei: proportional Latin glyphs
MONO = Font(1)  # WenQuanYi Micro Hei Mono: another font name, fixed-width Latin glyphs

MARGIN = 72.0  # left/right margin; body text starts here
SMALL = 11.0  # running header and page number size
# Paragraph markers; continuation lines are indented by the marker's width.
MARKER = re.compile(r"^([壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、|（\d+）)")


@dataclass
class Style:
    font: Font = SANS
    body_size: float = 14
    heading_size: float = 14  # chapter heading size (e.g. 18)
    chars_per_line: int = 30
    header: str | None = "chapter"  # "chapter" = spaced chapter title ("工 業"), a fixed string, or None
    header_rule: bool = True
    page_number: str | None = "plain"  # "plain" -> "3", "dash" -> "- 3 -", "chinese" -> "第 3 頁", None
    page_number_position: str = "bottom"  # or "top": right-aligned in the header band (header moves left)
    first_printed_page: int = 1
    cover: bool = True
    contents: bool = True
    lines_per_page: int = 35
    page_size: tuple[float, float] = A4


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    style: str = "grid"  # "grid" = full ruled grid; "horizontal" = horizontal rules only
    total_row: list[str] | None = None  # drawn last

    def all_rows(self) -> list[list[str]]:
        return [self.header, *self.rows, *([self.total_row] if self.total_row else [])]


def register_font(font: Font) -> str:
    """Register a face with reportlab once; return its font name."""
    name = f"CJK-{font.path.stem}-{font.subfont}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont))
    return name


def wrap(text: str, width: int) -> list[str]:
    """Cut every `width` characters, wherever that falls; spaces at a cut are dropped."""
    chunks = (text[i:i + width].strip() for i in range(0, len(text), width))
    return [c for c in chunks if c] or [""]


def chapter_short(title: str) -> str:
    return title.split("、", 1)[-1]


def page_label(n: int, fmt: str | None) -> str | None:
    return {"plain": f"{n}", "dash": f"- {n} -", "chinese": f"第 {n} 頁", None: None}[fmt]


class _Layout:
    """Places text and rules on pages.  Ops are tuples in PDF coordinates."""

    def __init__(self, style: Style):
        self.s = style
        self.font = register_font(style.font)
        self.w, self.h = style.page_size
        self.top, bottom = self.h - 50, 56  # body band between header rule and page number
        self.pitch = (self.top - bottom) / style.lines_per_page
        if self.pitch < 1.1 * max(style.body_size, style.heading_size):
            raise ValueError(f"lines_per_page={style.lines_per_page} does not fit at this font size")
        self.pages: list[dict] = []

    def width(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, self.font, size)

    def new_page(self, kind: str, chapter: str | None = None, number: int | None = None) -> dict:
        page = {"index": len(self.pages), "kind": kind, "chapter": chapter, "number": number,
                "label": page_label(number, self.s.page_number) if number is not None else None,
                "ops": [], "tables": [], "slot": 0}
        self.pages.append(page)
        return page

    def text(self, page, x, y, s, size, align="left"):
        if align != "left":
            x -= self.width(s, size) / (2 if align == "centre" else 1)
        page["ops"].append(("text", x, y, size, s))

    def baseline(self, slot: int, size: float) -> float:
        return self.top - (slot + 1) * self.pitch + (self.pitch - 0.8 * size) / 2

    def chapter_page(self, title: str, number: int) -> dict:
        s, p = self.s, self.new_page("chapter", title, number)
        header = {"chapter": " ".join(chapter_short(title)), None: None}.get(s.header, s.header)
        band_y, right = self.h - 40, self.w - MARGIN
        top_number = p["label"] and s.page_number_position == "top"
        if header:
            self.text(p, MARGIN if top_number else right, band_y, header, SMALL, "left" if top_number else "right")
        if s.header_rule and (header or top_number):
            p["ops"].append(("line", MARGIN, self.h - 46, right, self.h - 46))
        if top_number:
            self.text(p, right, band_y, p["label"], SMALL, "right")
        elif p["label"]:
            self.text(p, self.w / 2, 36, p["label"], SMALL, "centre")
        return p

    def chapter(self, title: str, blocks: list, number: int) -> dict:
        page = self.chapter_page(title, number)
        self.text(page, self.w / 2, self.baseline(0, self.s.heading_size), title, self.s.heading_size, "centre")
        page["slot"] = 1
        for block in blocks:
            if isinstance(block, Table):
                page = self.table(page, block)
            else:
                page = self.paragraph(page, block)
        return page

    def need(self, page: dict, slots: int) -> dict:
        """Return `page`, or a fresh page of the same chapter if `slots` lines do not fit."""
        if page["slot"] + slots <= self.s.lines_per_page:
            return page
        return self.chapter_page(page["chapter"], page["number"] + 1)

    def paragraph(self, page: dict, text: str) -> dict:
        size, m = self.s.body_size, MARKER.match(text)
        x = MARGIN + (size if m and re.match(r"（?\d", m.group(1)) else 0)  # 1、 and （1） sit one em in
        indent = x + (self.width(m.group(1), size) if m else 0)
        for i, line in enumerate(wrap(text, self.s.chars_per_line)):
            page = self.need(page, 1)
            self.text(page, x if i == 0 else indent, self.baseline(page["slot"], size), line, size)
            page["slot"] += 1
        return page

    def table(self, page: dict, t: Table) -> dict:
        rows, tw, ncol = t.all_rows(), self.w - 2 * MARGIN, len(t.header)
        if len(rows) + 1 > self.s.lines_per_page:
            raise ValueError(f"table {t.caption!r} is longer than a page")
        natural = [max(self.width(r[c], 1) for r in rows) for c in range(ncol)]  # at 1pt
        size = min(self.s.body_size - 3, 0.6 * self.pitch, (tw - 12 * ncol) / sum(natural))  # shrink to fit
        natural = [n * size + 12 for n in natural]
        widths = [n * tw / sum(natural) for n in natural]
        page = self.need(page, len(rows) + 1)
        self.text(page, MARGIN, self.baseline(page["slot"], size), t.caption, size)  # one line, unwrapped
        first = page["slot"] + 1
        edges = [MARGIN + sum(widths[:c]) for c in range(len(widths) + 1)]
        ys = [self.top - (first + r) * self.pitch for r in range(len(rows) + 1)]
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                self.text(page, (edges[c] + edges[c + 1]) / 2, self.baseline(first + r, size), cell, size, "centre")
        page["ops"] += [("line", edges[0], y, edges[-1], y) for y in ys]
        if t.style == "grid":
            page["ops"] += [("line", x, ys[0], x, ys[-1]) for x in edges]
        elif t.style != "horizontal":
            raise ValueError(f"unknown table style {t.style!r}")
        page["tables"].append({"caption": t.caption, "style": t.style, "rows": rows,
                               "bbox": (edges[0], self.h - ys[0], edges[-1], self.h - ys[-1])})
        page["slot"] = first + len(rows)
        return page

    def contents(self, page: dict, entries: list[tuple[str, int]]) -> None:
        size, right = self.s.body_size, self.w - MARGIN
        self.text(page, self.w / 2, self.baseline(0, size), "目 錄", size, "centre")
        for i, (title, number) in enumerate(entries):
            y, num = self.baseline(2 + i, size), str(number)
            self.text(page, MARGIN, y, title, size)
            self.text(page, right, y, num, size, "right")
            start, end = MARGIN + self.width(title, size) + 6, right - self.width(num, size) - 6
            self.text(page, start, y, "." * int((end - start) / self.width(".", size)), size)


def _lines_of(ops: list[tuple]) -> list[str]:
    """Text ops grouped by baseline, top to bottom, left to right, joined by one space."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for op in ops:
        if op[0] == "text" and op[4]:
            rows.setdefault(round(op[2], 1), []).append((op[1], op[4]))
    return [" ".join(s for _, s in sorted(rows[y])) for y in sorted(rows, reverse=True)]


def make_report(path, chapters: list[tuple[str, list[str | Table]]], style: Style = Style(),
                preface: list[str] = ()) -> dict:
    """Draw a report; return {"pages": [...], "chapters": [{"title", "page", "index"}]}.
    `preface`: paragraphs printed before the first chapter, under no heading (an oral report's opening)."""
    lay = _Layout(style)
    if style.cover:
        cover = lay.new_page("cover")
        lay.text(cover, lay.w / 2, lay.h * 0.6, "經濟部 101 年施政成果", 26, "centre")
        lay.text(cover, lay.w / 2, lay.h * 0.3, "經濟部", 20, "centre")
    contents = lay.new_page("contents") if style.contents else None
    number, starts = style.first_printed_page, []
    if preface:
        page = lay.chapter_page("前言", number)
        for text in preface:
            page = lay.paragraph(page, text)
        number = page["number"] + 1
    for title, blocks in chapters:
        first, last = len(lay.pages), lay.chapter(title, blocks, number)
        starts.append({"title": title, "page": number, "index": first})
        number = last["number"] + 1
    if contents:
        lay.contents(contents, [(c["title"], c["page"]) for c in starts])

    c = canvas.Canvas(str(path), pagesize=style.page_size, invariant=1)
    for page in lay.pages:
        for op in page["ops"]:
            if op[0] == "text":
                c.setFont(lay.font, op[3])
                c.drawString(op[1], op[2], op[4])
            else:
                c.setLineWidth(0.5)
                c.line(*op[1:])
        c.showPage()
    c.save()
    pages = [{"index": p["index"], "kind": p["kind"], "chapter": p["chapter"], "label": p["label"],
              "lines": _lines_of(p["ops"]), "tables": p["tables"]} for p in lay.pages]
    return {"pages": pages, "chapters": starts}


def make_plain_pdf(path, lines: list[str], font: Font | None = SANS, size: float = 12) -> None:
    """One page of plain lines (font=None draws in Helvetica)."""
    font_name = register_font(font) if font else "Helvetica"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(font_name, size)
    for i, line in enumerate(lines):
        c.drawString(MARGIN, A4[1] - MARGIN - i * size * 1.6, line)
    c.showPage()
    c.save()


def text_lines_of(path) -> list[list[str]]:
    """pdfplumber's extract_text, split into lines, for every page."""
    with pdfplumber.open(str(path)) as pdf:
        return [(p.extract_text() or "").splitlines() for p in pdf.pages]

"""Document: page furniture (running headers, page numbers), front matter and the contents page
separated from the body; body lines kept with their page and position.

Everything is decided from text and layout signals that any rendering has (repetition across
pages, position among a page's lines, leader dots), never from this PDF's page numbers.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from .model import Page, TextLine
from .text import nfkc, squash

CHAPTER_NUMERALS = "壹貳參肆伍陸柒捌玖拾"
CHAPTER_MARKER = re.compile(rf"^\s*([{CHAPTER_NUMERALS}]{{1,3}})\s*、")
# "壹、工業 ........ 1", "拾壹、水利 …… 93": a title, leader dots, a page label.
CONTENTS_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:[.．·‧…⋯_-]\s*){4,}\s*(?P<page>\d{1,4})\s*$")
CONTENTS_TITLE = re.compile(r"^\s*目\s*錄\s*$|^\s*目\s*次\s*$|^\s*contents\s*$", re.I)
# Printed page labels: "12", "- 12 -", "— 12 —", "第 12 頁", "12 / 110", "Page 12".
PAGE_LABEL = re.compile(
    r"^\s*(?:[-–—~]\s*)?(?:第\s*)?(?:page\s*)?(?P<n>\d{1,4})(?:\s*頁)?(?:\s*[-–—~])?(?:\s*/\s*\d{1,4})?\s*$", re.I
)
# A header line that ends (or starts) with an explicitly styled page number: "工 業 第 3 頁", "- 3 - 工業".
LABEL_IN_HEADER = re.compile(
    r"(?:^|\s)(?:[-–—]\s*(?P<a>\d{1,4})\s*[-–—]|第\s*(?P<b>\d{1,4})\s*頁|page\s*(?P<c>\d{1,4}))(?:\s|$)", re.I)
# How many lines at each end of a page may be running headers or footers.
BAND_LINES = 2
# A page before the first chapter is prose (a preface, 序, an oral report's opening), not a cover,
# when this many of its lines are long and end at one right edge, as wrapped paragraph lines do.
PROSE_MIN_LINES = 3
PROSE_MIN_CHARS = 12


@dataclass(frozen=True)
class PageInfo:
    index: int  # physical, 0-based
    label: str | None  # printed page number as printed ("12"), None where none is printed
    number: int | None  # the printed page number as an integer
    furniture: tuple[str, ...]  # running header/footer lines removed from the body
    kind: str  # "front", "contents" or "body"
    char_count: int
    body_char_count: int


@dataclass(frozen=True)
class ContentsEntry:
    title: str  # normalised, e.g. "壹、工業"
    page_label: str


@dataclass(frozen=True)
class BodyLine:
    line_id: int  # position in the document's body, 0-based
    page_index: int
    text: str  # as written (pdfplumber's text, stripped)
    x0: float
    x1: float
    size: float
    top: float = 0.0  # PDF points from the page's top edge, as TextLine
    bottom: float = 0.0
    char_x0s: tuple[float, ...] = field(default=(), compare=False)  # per char of text (TextLine.char_x0s)
    char_x1s: tuple[float, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Document:
    pages: tuple[PageInfo, ...]
    contents: tuple[ContentsEntry, ...]
    lines: tuple[BodyLine, ...]
    right_margin: float  # where full body lines end; shorter lines may end a paragraph


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", squash(text))


def _label_of(text: str) -> str | None:
    m = PAGE_LABEL.match(nfkc(text))
    return m.group("n") if m else None


def _furniture_candidates(page: Page) -> list[tuple[int, TextLine]]:
    lines = sorted(enumerate(page.lines), key=lambda t: t[1].top)
    if len(lines) <= 2 * BAND_LINES:
        return lines
    return lines[:BAND_LINES] + lines[-BAND_LINES:]


def _contents_entries(page: Page) -> list[ContentsEntry]:
    out = []
    for line in page.lines:
        m = CONTENTS_LINE.match(nfkc(line.text))
        if m:
            out.append(ContentsEntry(squash(m.group("title")), m.group("page")))
    return out


def build_document(pages: Sequence[Page]) -> Document:
    contents, contents_pages = _contents_of(pages)
    furniture_ids, labels = _furniture(pages, contents_pages)
    first_body = _first_body_page(pages, contents_pages, furniture_ids)
    prose_front = {p.index for p in pages[:first_body]
                   if p.index not in contents_pages and holds_prose(p, furniture_ids[p.index])}
    infos: list[PageInfo] = []
    body: list[BodyLine] = []
    for p in pages:
        kind = "contents" if p.index in contents_pages else (
            "front" if p.index < first_body and p.index not in prose_front else "body")
        ids = furniture_ids[p.index]
        kept = [l for i, l in sorted(enumerate(p.lines), key=lambda t: (t[1].top, t[1].x0)) if i not in ids]
        if kind == "body":
            for l in kept:
                body.append(BodyLine(len(body), p.index, l.text, l.x0, l.x1, l.size, l.top, l.bottom,
                                      l.char_x0s, l.char_x1s))
        label = labels.get(p.index)
        infos.append(PageInfo(
            index=p.index, label=label, number=int(label) if label else None,
            furniture=tuple(p.lines[i].text for i in sorted(ids)), kind=kind,
            char_count=p.char_count,
            body_char_count=sum(len(l.text.replace(" ", "")) for l in kept) if kind == "body" else 0,
        ))
    infos = _fill_missing_labels(infos)
    x1s = sorted(l.x1 for l in body)
    right = x1s[int(len(x1s) * 0.9)] if x1s else 0.0
    return Document(tuple(infos), tuple(contents), tuple(body), right)


def _contents_of(pages: Sequence[Page]) -> tuple[list[ContentsEntry], set[int]]:
    """Contents pages: mostly lines with leader dots, or titled 目錄."""
    contents: list[ContentsEntry] = []
    contents_pages: set[int] = set()
    for p in pages:
        entries = _contents_entries(p)
        titled = any(CONTENTS_TITLE.match(nfkc(l.text)) for l in p.lines[:3])
        if (len(entries) >= 3 and (titled or len(entries) * 2 >= len(p.lines))) or (titled and len(entries) >= 2):
            contents_pages.add(p.index)
            contents.extend(entries)
    return contents, contents_pages


def _header_slots(pages: Sequence[Page]) -> tuple[set[str], set[tuple[int, float]]]:
    """Running headers/footers: band lines whose digit-masked text recurs on several pages, and the
    slots (position and size) they occupy: a one-off header in the same slot (a chapter of one
    page, the appendix) is furniture too."""
    key_pages: dict[str, set[int]] = defaultdict(set)
    for p in pages:
        for _, line in _furniture_candidates(p):
            key_pages[_mask(line.text)].add(p.index)
    recurring = {k for k, v in key_pages.items() if len(v) >= 2 and k}
    slots = {(round(l.top), l.size) for p in pages for _, l in _furniture_candidates(p)
             if _mask(l.text) in recurring}
    return recurring, slots


def _furniture(pages: Sequence[Page], contents_pages: set[int]) -> tuple[dict[int, set[int]], dict[int, str]]:
    """Per page, the indexes of its furniture lines, and the printed page labels found in them."""
    recurring, slots = _header_slots(pages)

    def in_slot(line: TextLine) -> bool:
        return len(squash(line.text)) <= 20 and any(
            abs(line.top - top) <= 2 and abs(line.size - size) <= 0.5 for top, size in slots)

    furniture_ids: dict[int, set[int]] = {}
    labels: dict[int, str] = {}
    for p in pages:
        ids: set[int] = set()
        for i, line in _furniture_candidates(p):
            key = _mask(line.text)
            label = _label_of(line.text)
            first_or_last = line is min(p.lines, key=lambda l: l.top) or line is max(p.lines, key=lambda l: l.top)
            styled = LABEL_IN_HEADER.search(nfkc(line.text))
            if label is not None and first_or_last:
                ids.add(i)
                labels.setdefault(p.index, label)
            elif styled and first_or_last and len(squash(line.text)) <= 24:
                ids.add(i)
                labels.setdefault(p.index, styled.group("a") or styled.group("b") or styled.group("c"))
            elif key in recurring or (first_or_last and p.index not in contents_pages and in_slot(line)
                                      and not CHAPTER_MARKER.match(nfkc(line.text))):
                ids.add(i)
                # a header like "工業 12" carries the page number inside it
                digits = re.findall(r"\d{1,4}", nfkc(line.text))
                if key in recurring and len(digits) == 1 and key.count("#") == 1 and len(key) > 1:
                    labels.setdefault(p.index, digits[0])
        furniture_ids[p.index] = ids
    return furniture_ids, labels


def _first_body_page(pages: Sequence[Page], contents_pages: set[int], furniture_ids: dict[int, set[int]]) -> int:
    """Front matter is everything before the first chapter heading outside the contents pages."""
    for p in pages:
        if p.index in contents_pages:
            continue
        for i, line in enumerate(p.lines):
            if i not in furniture_ids[p.index] and CHAPTER_MARKER.match(nfkc(line.text)):
                return p.index
    # no chapter marker: the body starts after the contents (or at once)
    return (max(contents_pages) + 1) if contents_pages else 0


def holds_prose(page: Page, furniture: set[int]) -> bool:
    """Wrapped paragraph lines: long, and starting or ending at one edge, justified or ragged-right
    (a cover's lines are short, or centred so that neither edge lines up)."""
    long_lines = [l for i, l in enumerate(page.lines) if i not in furniture
                  and len(squash(l.text)) >= PROSE_MIN_CHARS and not CONTENTS_LINE.match(nfkc(l.text))]
    if len(long_lines) < PROSE_MIN_LINES:
        return False
    def aligned(edge_of) -> bool:
        edges = sorted(edge_of(l) for l in long_lines)
        return any(sum(1 for e in edges if abs(e - ref) <= max(long_lines[0].size, 1.0)) >= PROSE_MIN_LINES
                   for ref in edges)

    return aligned(lambda l: l.x0) or aligned(lambda l: l.x1)


def _fill_missing_labels(infos: list[PageInfo]) -> list[PageInfo]:
    """A body page without a printed number between two numbered pages gets the number the
    sequence implies (e.g. a full-page table), only when both neighbours agree."""
    out = list(infos)
    for k, info in enumerate(out):
        if info.label is None and info.kind == "body":
            prev = next((out[j] for j in range(k - 1, -1, -1) if out[j].number is not None), None)
            nxt = next((out[j] for j in range(k + 1, len(out)) if out[j].number is not None), None)
            if prev and nxt and nxt.number - prev.number == nxt.index - prev.index:
                n = prev.number + (info.index - prev.index)
                out[k] = PageInfo(info.index, str(n), n, info.furniture, info.kind, info.char_count,
                                  info.body_char_count)
    return out

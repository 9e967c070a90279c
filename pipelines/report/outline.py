"""Outline: the heading hierarchy 壹、/ 一、/（一）/ 1、/（1）, and the body cut into paragraphs
that each belong to one outline section.

A line that starts with a marker is a heading only if its number continues the numbering at
its level (or starts it at 1 under a new parent): a wrapped line that happens to begin with
"2、" in the middle of a paragraph is not mistaken for an item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .document import CHAPTER_NUMERALS, PROSE_MIN_CHARS, Document
from .rules import load_outline_words
from .text import nfkc, nfkc_with_map, squash

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "壹": 1, "貳": 2, "參": 3, "肆": 4, "伍": 5, "陸": 6, "柒": 7, "捌": 8, "玖": 9}


def chinese_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 拾壹 -> 11 (formal numerals too)."""
    t = text.replace("拾", "十")
    if not t or any(c not in _CN_DIGITS and c != "十" for c in t):
        return None
    if "十" not in t:
        return _CN_DIGITS[t] if len(t) == 1 else None
    tens, _, ones = t.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return value


# (level, pattern, how the marker is printed in section paths). Patterns run on NFKC text.
_CN = "一二三四五六七八九十"
MARKERS: tuple[tuple[int, re.Pattern, str], ...] = (
    (1, re.compile(rf"^([{CHAPTER_NUMERALS}]{{1,3}})\s*、\s*"), "{}"),
    (2, re.compile(rf"^([{_CN}]{{1,3}})\s*、\s*"), "{}"),
    (3, re.compile(rf"^\(\s*([{_CN}]{{1,3}})\s*\)\s*"), "（{}）"),
    (4, re.compile(r"^(\d{1,2})\s*(?:、|[.．](?!\d))\s*"), "{}"),
    (5, re.compile(r"^\(\s*(\d{1,2})\s*\)\s*"), "（{}）"),
)
APPENDIX = re.compile(r"^附\s*錄")


def outline_words() -> dict:
    """{"titles": unnumbered heading words, "untitled_front": ...} (rules/outline_words.toml, cached)."""
    return load_outline_words()


def unnumbered_title(text: str) -> str | None:
    """前言, 序, 結語 … standing alone on their line: a top-level heading without a number."""
    word = squash(nfkc(text)).strip("：:")
    return word if word in outline_words()["titles"] else None


@dataclass(frozen=True)
class Section:
    section_id: int  # 1-based in document order; 0 is the implicit root
    level: int  # 1 chapter … 5
    marker: str  # as it appears in paths: 壹, 一, （一）, 1, （1）
    number: int | None
    title: str
    path: str  # 壹/一/（一）/1/（1）
    parent_id: int  # 0 for chapters
    chapter_no: int | None  # 1–12 for 壹…拾貳, None for appendices
    chapter_title: str | None
    first_line_id: int
    last_line_id: int  # inclusive: the section with its children spans these body lines
    page_index: int


@dataclass(frozen=True)
class Paragraph:
    paragraph_id: int
    section_id: int
    text: str  # NFKC, lines joined without separators
    raw: str  # as written, lines joined with "\n"
    text_to_raw: tuple[int, ...]  # for each char of text, its index in raw
    line_starts: tuple[tuple[int, int, int], ...]  # (raw offset, line_id, page_index) per line
    # Per line of line_starts: (top, bottom, char_x0s, char_x1s) in PDF points on its page, for
    # the boxes of what is read from the paragraph (quantities.span_box).
    line_boxes: tuple[tuple[float, float, tuple[float, ...], tuple[float, ...]], ...] = field(
        default=(), compare=False)

    def page_at(self, text_pos: int) -> int:
        raw_pos = self.text_to_raw[min(text_pos, len(self.text_to_raw) - 1)]
        page = self.line_starts[0][2]
        for offset, _, p in self.line_starts:
            if offset <= raw_pos:
                page = p
        return page


def match_marker(text: str) -> tuple[int, str, int | None, int] | None:
    """(level, marker as printed in paths, number, end of marker) for a heading-like line."""
    t = nfkc(text)
    if APPENDIX.match(t):
        return (1, "附錄", None, 0)
    for level, pattern, shape in MARKERS:
        m = pattern.match(t)
        if m:
            num_text = m.group(1)
            number = int(num_text) if num_text.isdigit() else chinese_number(num_text)
            if number is None:
                continue
            return (level, shape.format(num_text), number, m.end())
    return None


def _title_of(text: str, marker_end: int) -> str:
    """The heading's words up to its first clause break. Split on the text as written: after NFKC
    a full-width comma looks like the thousands separator in 2,818."""
    norm, offsets = nfkc_with_map(text)
    raw_rest = text[offsets[marker_end]:] if marker_end < len(offsets) else ""
    head = re.split(r"[：:，。；;]|,(?!\d{3})", raw_rest, maxsplit=1)[0]
    return nfkc(head).strip()[:60]


def build_outline(doc: Document) -> tuple[list[Section], list[Paragraph]]:
    lines = doc.lines
    outline = _OutlineSoFar({squash(e.title) for e in doc.contents})
    prev_ended = True  # did the previous line end a paragraph?
    if _opens_with_prose(lines):
        outline.open_untitled_front(lines[0])
    for line in lines:
        found = _heading_marker(line, prev_ended)
        accepted = found is not None and outline.accepts(found, line, prev_ended)
        if accepted:
            outline.open_section(found, line)
        # A heading can only follow a line that ends a sentence or a paragraph.
        prev_ended = _far_short(line, doc.right_margin) or nfkc(line.text).rstrip().endswith(
            ("。", ":", ";", "!", "?")) or accepted

    sections = _with_spans(outline.sections, len(lines))
    paragraphs = _paragraphs(doc, outline.heading_lines)
    return sections, paragraphs


def _heading_marker(line, prev_ended: bool) -> tuple[int, str, int | None, int] | None:
    """The line's marker (see `match_marker`), or an unnumbered title word (前言) standing alone on a
    line that follows the end of a paragraph."""
    found = match_marker(line.text)
    word = unnumbered_title(line.text) if found is None and prev_ended else None
    if word:
        found = (1, word, None, len(line.text))
    return found


class _OutlineSoFar:
    """The sections read so far while `build_outline` walks the lines, and the open one at each level."""

    def __init__(self, contents_titles: set[str]):
        self.contents_titles = contents_titles  # squashed titles of the table of contents
        self.sections: list[Section] = []
        self.open_at: dict[int, Section] = {}  # level -> the open section at that level
        self.last_number: dict[tuple[int, int], int] = {}  # (parent_id, level) -> last number seen
        self.heading_lines: dict[int, int] = {}  # line_id -> section_id

    def open_untitled_front(self, first_line) -> None:
        self.sections.append(_untitled_front(first_line))
        self.open_at[1] = self.sections[0]
        self.heading_lines[first_line.line_id] = 1

    def parent(self, level: int) -> Section | None:
        return next((self.open_at[l] for l in range(level - 1, 0, -1) if l in self.open_at), None)

    def accepts(self, found, line, prev_ended: bool) -> bool:
        """Whether the marked line is a heading: its number continues the numbering at its level
        (a chapter may also be a title of the table of contents, or unnumbered)."""
        level, _, number, _ = found
        parent = self.parent(level)
        prev = self.last_number.get((parent.section_id if parent else 0, level))
        if level == 1:
            accepted = (number is None or prev is None or number == prev + 1
                        or squash(line.text) in self.contents_titles)
            if number is not None and prev is None and self.sections and not self.contents_titles:
                accepted = number == 1 or prev_ended
            return accepted
        accepted = (prev is None and number == 1) or (prev is not None and number == prev + 1)
        return accepted and prev_ended and bool(self.open_at)

    def open_section(self, found, line) -> None:
        """The heading line opens a section at its level, closing the open ones at that level and below."""
        level, marker, number, end = found
        parent = self.parent(level)
        parent_id = parent.section_id if parent else 0
        for l in [l for l in self.open_at if l >= level]:
            del self.open_at[l]
        chapter_no, chapter_title = self._chapter(level, marker, number, parent, line.text, end)
        path = (parent.path + "/" if parent else "") + marker
        sec = Section(len(self.sections) + 1, level, marker, number,
                      _title_of(line.text, end) or nfkc(line.text).strip(), path, parent_id,
                      chapter_no, chapter_title, line.line_id, line.line_id, line.page_index)
        self.sections.append(sec)
        self.open_at[level] = sec
        self.last_number[(parent_id, level)] = number if number is not None else 0
        self.heading_lines[line.line_id] = sec.section_id

    def _chapter(self, level, marker, number, parent, text: str, end: int) -> tuple[int | None, str | None]:
        """(chapter_no, chapter_title) of a new section: a chapter's own, else its chapter's."""
        if level > 1:
            ch = parent
            while ch is not None and ch.level > 1:
                ch = next(s for s in self.sections if s.section_id == ch.parent_id)
            return (ch.chapter_no, ch.chapter_title) if ch else (None, None)
        appendix = next((s for s in reversed(self.sections) if s.level == 1 and s.marker == "附錄"), None)
        if appendix is not None and number is not None:
            # an annex restarts its own 壹、貳、…: parts of the appendix, not chapters of the report
            return None, appendix.chapter_title
        chapter_no = number if marker != "附錄" else None
        chapter_title = (_title_of(text, end) if number is not None
                         else nfkc(text).strip() if marker == "附錄" else None)
        return chapter_no, chapter_title


def _opens_with_prose(lines) -> bool:
    """Body text before the first heading, more than a stray one-off header line."""
    before = []
    for line in lines:
        if match_marker(line.text) is not None or unnumbered_title(line.text) is not None:
            break
        before.append(squash(line.text))
    return len("".join(before)) >= PROSE_MIN_CHARS


def _untitled_front(first_line) -> Section:
    """The section of the prose before the first heading (an oral report's opening, a preface)."""
    word = outline_words()["untitled_front"]
    return Section(1, 1, word, None, word, word, 0, None, None, first_line.line_id, first_line.line_id,
                   first_line.page_index)


def _ends_paragraph(line, right_margin: float) -> bool:
    """A line ends its paragraph when it ends a sentence and stops short of the right margin.
    A short line that stops mid-sentence (a run of half-width digits makes a full line short)
    continues; headings start their own paragraph anyway."""
    size = max(line.size, 1.0)
    return nfkc(line.text).rstrip().endswith(("。", ":", ";", "!", "?")) and line.x1 < right_margin - 2 * size


def _far_short(line, right_margin: float) -> bool:
    return line.x1 < right_margin - 6 * max(line.size, 1.0)


def _with_spans(sections: list[Section], n_lines: int) -> list[Section]:
    out = []
    for k, s in enumerate(sections):
        nxt = next((t for t in sections[k + 1:] if t.level <= s.level), None)
        last = (nxt.first_line_id - 1) if nxt else n_lines - 1
        out.append(Section(**{**s.__dict__, "last_line_id": last}))
    return out


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _join(raw_lines: Sequence[str]) -> tuple[str, str, list[int], list[int]]:
    """Join lines: raw keeps "\\n" at each break; text drops the break (CJK needs no space) except
    between two Latin letters, where the break stood for a space."""
    raw = "\n".join(raw_lines)
    norm, offsets = nfkc_with_map(raw)
    text_chars: list[str] = []
    text_map: list[int] = []
    for k, ch in enumerate(norm):
        if ch == " " and 0 < k < len(norm) - 1 and _is_cjk(norm[k - 1]) and _is_cjk(norm[k + 1]):
            continue  # a rendering with letter-spacing puts spaces inside words: "億 美 元"
        if ch == "\n":
            before = norm[k - 1] if k > 0 else ""
            after = norm[k + 1] if k + 1 < len(norm) else ""
            if before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
                text_chars.append(" ")
                text_map.append(offsets[k])
            continue
        text_chars.append(ch)
        text_map.append(offsets[k])
    starts, pos = [], 0
    for l in raw_lines:
        starts.append(pos)
        pos += len(l) + 1
    return raw, "".join(text_chars), text_map, starts


def _paragraphs(doc: Document, heading_lines: dict[int, int]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: list = []
    section_id = 0

    def flush():
        if not current:
            return
        raw, text, text_map, starts = _join([l.text for l in current])
        paragraphs.append(Paragraph(
            len(paragraphs) + 1, section_id, text, raw, tuple(text_map),
            tuple((s, l.line_id, l.page_index) for s, l in zip(starts, current)),
            tuple((l.top, l.bottom, l.char_x0s, l.char_x1s) for l in current),
        ))
        current.clear()

    for line in doc.lines:
        if line.line_id in heading_lines:
            flush()
            section_id = heading_lines[line.line_id]
        current.append(line)
        if _ends_paragraph(line, doc.right_margin):
            flush()
    flush()
    return paragraphs

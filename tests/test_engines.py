"""Both engines over every page of every PDF in the repo (and ../shared/real/ when present): the
lines PDFium's characters give must be the lines pdfplumber's give, and the tables the same.

How a page is compared: pdfplumber reads it as the pipeline used to (its own characters, fake
bold read once as the pipeline reads it: pages.printed_once; its table finder on every page);
PDFium reads it as the pipeline does now (pages.parse_page). Then
* the raw tables must be equal: this proves that a page read without pdfplumber (a flat page)
  gets the tables pdfplumber's page would give;
* the prose lines (outside those tables) are compared line by line, and every difference is
  reported; the test fails on any difference not covered by ALLOWED below.

ALLOWED: the differences the two readings may show, each with its reason.
* "rounding": a coordinate differs by 0.01. PDFium keeps positions in 32-bit floats, so a
  position on a half-hundredth (406.725) rounds to the other side; the warehouse holds no
  coordinate, and no threshold of the pipeline is that fine.
* "font name": pdfminer names a font whose name is not UTF-8 (a Big5 name) by the repr of its
  bytes ("b'GWNEWO+\\\\xb5…'"); PDFium decodes it. Names are compared without the subset tag
  (AAAAAB+), which only says which subset of one font a glyph came from.
* "duplicated glyphs": a producer that fakes bold by printing each glyph several times, each
  copy nudged by a fraction of a point (simplified-duplicated-glyphs.pdf: four copies 0.24pt
  apart). Both readings keep one copy (pages_lines.dedupe_chars), but PDFium drops some copies
  itself and orders the rest its own way, so the copy kept may be another: the text is the same,
  and the line's coordinates differ by no more than DUPLICATE_DISTANCE, on a line where
  pdfplumber's page had copies to drop.
* "private use": a glyph whose ToUnicode entry maps to a private-use code point (U+F0000 and
  up, a font's own glyph numbers; fia-103's table cells): pdfminer drops it, PDFium keeps the
  code point, which says a glyph is there. Neither is text a reader could use.
* "spaces" (character counts only): a page draws runs of space glyphs; PDFium keeps one space
  per gap (Page.char_count counts what PDFium reads). Only spaces may account for it.
"""
from __future__ import annotations

import collections
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from pipelines.report import pages as pages_mod
from pipelines.report import pdfium_chars
from pipelines.report.pages_fonts import font_metrics, untagged
from pipelines.report.pages_lines import DUPLICATE_DISTANCE, line_of
from pipelines.report.table_find import find_raw_tables, outside_tables

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "real"
REPO_PDFS = sorted((REPO / "raw").glob("*.pdf")) + sorted((REPO / "tests" / "data" / "real").glob("*.pdf"))
# The two budget books the engines do not yet read alike (known, left open in issue 20's note):
# pdfminer keeps a control glyph (\x02) where PDFium reads '-', PDFium reads no space after 、 on
# the contents lines pdfminer spaces, and on 13 pages of the MOI book the tables differ. Run, and
# reported as xfail until they agree (strict: the day they agree, the mark must go).
# (simplified-duplicated-glyphs.pdf agrees: where each engine keeps another copy of a glyph printed
# four times, that is the allowed "duplicated glyphs" difference.)
ENGINES_DISAGREE = {"moi-budget-114.pdf", "moa-fund-115.pdf"}
SHARED_PDFS = [pytest.param(p, marks=pytest.mark.xfail(reason="engines disagree on this budget book (known)",
                                                        strict=True))
               if p.name in ENGINES_DISAGREE else p
               for p in (sorted(SHARED.rglob("*.pdf")) if SHARED.is_dir() else [])]
COORDS = ("x0", "x1", "top", "bottom", "size")
ROUNDING = 0.0101


def _private(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def _plumber_lines(page, tables, dropped=()) -> tuple[list, list[bool]]:
    """The prose lines as the pipeline built them from pdfplumber's characters, and for each
    whether a copy of one of its glyphs was dropped (`dropped`: the fake-bold copies)."""
    prose = outside_tables(page, tables) if tables else page
    lines, faked = [], []
    for raw in prose.extract_text_lines(strip=True, return_chars=True):
        if raw["text"].strip():  # fonts named without their subset tag, as PDFium names them
            raw["chars"] = [{**c, "fontname": untagged(c["fontname"])} for c in raw["chars"]]
            lines.append(line_of(raw))
            faked.append(any(raw["x0"] - DUPLICATE_DISTANCE <= c["x0"] <= raw["x1"] + DUPLICATE_DISTANCE
                             and raw["top"] - DUPLICATE_DISTANCE <= c["top"] <= raw["bottom"] + DUPLICATE_DISTANCE
                             for c in dropped))
    return lines, faked


def _same_font(a: str, b: str) -> bool:
    return b.startswith("b'") or untagged(a) == untagged(b)


def line_difference(ours, theirs, faked: bool = False) -> str | None:
    """None when the lines agree, else the allowed reason ('rounding', …) or 'UNEXPLAINED: …'.
    faked: pdfplumber's line had fake-bold copies dropped."""
    if ours.text != theirs.text:
        a = "".join(ch for ch in ours.text if not _private(ch))
        if a == theirs.text:
            return "private use"
        return f"UNEXPLAINED: text {ours.text!r} != {theirs.text!r}"
    off = [k for k in COORDS if abs(getattr(ours, k) - getattr(theirs, k)) > 1e-9]
    far = [k for k in off if abs(getattr(ours, k) - getattr(theirs, k)) > ROUNDING]
    if far and faked and all(abs(getattr(ours, k) - getattr(theirs, k)) <= DUPLICATE_DISTANCE for k in far):
        return "duplicated glyphs" if _same_font(ours.fontname, theirs.fontname) else (
            f"UNEXPLAINED: font {ours.fontname!r} != {theirs.fontname!r}")
    if far:
        return f"UNEXPLAINED: {ours} != {theirs}"
    if not _same_font(ours.fontname, theirs.fontname):
        return f"UNEXPLAINED: font {ours.fontname!r} != {theirs.fontname!r}"
    if off:
        return "rounding"
    return "font name" if ours.fontname != theirs.fontname else None


def compare_pdf(path: Path) -> tuple[collections.Counter, list[str]]:
    """(count of allowed differences by reason, every unexplained difference) over the PDF."""
    reasons: collections.Counter = collections.Counter()
    unexplained: list[str] = []
    with pdfplumber.open(path) as pdf:
        reader = pages_mod._Reader(str(path), font_metrics(pdf.pages))
        try:
            for index, raw_page in enumerate(pdf.pages):
                plumber_page = pages_mod.printed_once(raw_page)
                ours = pages_mod.parse_page(reader, index)
                where = f"{path.name} p{index + 1}"
                tables = find_raw_tables(plumber_page)
                if list(ours.tables) != tables:
                    unexplained.append(f"{where}: tables differ")
                kept = {id(c) for c in plumber_page.chars}
                dropped = [c for c in raw_page.chars if id(c) not in kept] if plumber_page is not raw_page else []
                theirs, faked = _plumber_lines(plumber_page, list(ours.tables), dropped)
                _compare_lines(where, ours.lines, theirs, reasons, unexplained, faked)
                _compare_counts(where, reader, index, ours.char_count, plumber_page, reasons, unexplained)
                raw_page.close()
        finally:
            reader.close()
    return reasons, unexplained


def _compare_lines(where, ours, theirs, reasons, unexplained, faked=None) -> None:
    if len(ours) != len(theirs):
        unexplained.append(f"{where}: {len(ours)} lines != {len(theirs)}: "
                           f"{sorted({l.text for l in ours} ^ {l.text for l in theirs})[:6]}")
        return
    for k, (a, b) in enumerate(zip(ours, theirs)):
        why = line_difference(a, b, bool(faked and faked[k]))
        if why is None:
            continue
        if why.startswith("UNEXPLAINED"):
            unexplained.append(f"{where} line {k + 1}: {why}")
        else:
            reasons[why] += 1


def _compare_counts(where, reader, index, count, plumber_page, reasons, unexplained) -> None:
    """PDFium's count may differ by space glyphs (it keeps one per gap) or by private-use glyphs
    pdfminer drops; by nothing else (both counts are of fake bold read once)."""
    chars = plumber_page.chars
    if count == len(chars):
        return
    page = reader.pdfium[index]
    textpage = page.get_textpage()
    ours = pdfium_chars.read_chars(page, textpage, reader.metrics)
    textpage.close()
    page.close()
    solid = collections.Counter(c["text"] for c in ours if c["text"].strip() and not _private(c["text"][0]))
    theirs = collections.Counter(c["text"] for c in chars if c["text"].strip())
    if solid == theirs:
        reasons["spaces" if len(ours) == sum(solid.values()) + sum(1 for c in ours if not c["text"].strip())
                else "private use"] += 1
    else:
        unexplained.append(f"{where}: {count} characters (PDFium) != {len(chars)} (pdfplumber): "
                           f"{dict((solid - theirs) + (theirs - solid))}")


def _check(paths) -> None:
    problems, seen = [], collections.Counter()
    for path in paths:
        reasons, unexplained = compare_pdf(path)
        seen.update(reasons)
        problems += unexplained
    print("allowed differences:", dict(seen))
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


@pytest.mark.full_report
@pytest.mark.parametrize("path", REPO_PDFS, ids=lambda p: p.name)
def test_engines_agree_on_the_repo_pdfs(path):
    _check([path])


@pytest.mark.full_report
@pytest.mark.skipif(not SHARED_PDFS, reason=f"{SHARED} is absent (CI has it)")
@pytest.mark.parametrize("path", SHARED_PDFS, ids=lambda p: getattr(p, "name", str(p)))
def test_engines_agree_on_the_shared_real_pdfs(path):
    _check([path])

"""Pages: open a report PDF, refuse bad files clearly, and parse every page once.

Two engines read a page, behind the project's own page model (model.Page, TextLine): PDFium
(pypdfium2) reads every character, and the prose lines are built from those; pdfplumber reads
the tables of the pages whose drawing may hold one its table finder must read
(pdfium_objects). Nothing downstream knows which engine read a page. Pages are parsed in
worker processes, in page order; the stage's output is cached by the IO manager, keyed by
pipelines/fingerprint.py.
"""
from __future__ import annotations

import hashlib
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from . import errors, pages_workers, pdfium_chars, pdfium_objects
from .model import Page
from .pages_lines import CharPage, dedupe_chars, text_lines

# Below this many characters a page with an image counts as scanned (no text layer).
MIN_TEXT_CHARS = 20
# A flat page (thin horizontal strokes only) with more rules than this may hold a table ruled
# between its rows (tables._horizontal_tables): pdfplumber reads it.
MAX_FLAT_RULES = 2

log = logging.getLogger(__name__)


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _open(path: str | Path):
    """Open with pdfplumber, turning every failure into a BadReportError a user understands."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError

    p = Path(path)
    if not p.is_file():
        raise errors.BadReportError(p.name, errors.MISSING)
    if p.stat().st_size == 0:
        raise errors.BadReportError(p.name, errors.EMPTY)
    with open(p, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise errors.BadReportError(p.name, errors.NOT_A_PDF, "no %PDF- header")
    pdf = None
    try:
        pdf = pdfplumber.open(p)
        _ = pdf.pages  # forces the page tree to be read
        return pdf
    except Exception as exc:  # pdfplumber wraps pdfminer errors in PdfminerException
        if pdf is not None:
            pdf.close()
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(inner).lower():
            raise errors.BadReportError(p.name, errors.ENCRYPTED) from exc
        raise errors.BadReportError(p.name, errors.DAMAGED, type(inner).__name__ + ": " + str(inner)) from exc


def page_count(path: str | Path) -> int:
    """Validate the file and return its number of pages (raises BadReportError)."""
    with _open(path) as pdf:
        n = len(pdf.pages)
    if n == 0:
        raise errors.BadReportError(Path(path).name, errors.DAMAGED, "no pages")
    return n


def parse_page(reader: "_Reader", index: int) -> Page:
    """One page -> Page: prose lines (outside tables) from PDFium's characters, and raw tables.

    pdfplumber reads the page's tables only where its drawing could make one that needs its table
    finder (a box, a grid, a curve, three or more rules); on the other pages the tables aligned by
    white space or framed by two rules are found from PDFium's characters and rules, by the
    same code (tables.find_raw_tables)."""
    from .table_find import find_raw_tables, horizontal_rules, outside_tables

    page = reader.pdfium[index]
    textpage = page.get_textpage()
    try:
        width, height = pdfium_chars.display_size(page)
        chars = pdfium_chars.read_chars(page, textpage, reader.metrics)
        graphics = pdfium_objects.read_graphics(page)
    finally:
        textpage.close()
        page.close()
    char_page = CharPage(chars, width, height, graphics.horizontal_edges)
    if graphics.flat and len(horizontal_rules(char_page)) <= MAX_FLAT_RULES:
        tables = find_raw_tables(char_page)
    else:
        tables = reader.plumber_tables(index)
    prose = outside_tables(char_page, tables) if tables else char_page
    return Page(index=index, width=float(width), height=float(height), lines=text_lines(prose),
                char_count=len(chars), image_count=graphics.image_count, tables=tuple(tables))


class _Reader:
    """One PDF open in both engines: PDFium for every page, pdfplumber opened on first need."""

    def __init__(self, path: str, metrics: dict | None = None):
        self.path = path
        self.pdfium = _open_pdfium(path)
        self._plumber = None
        self.metrics = metrics if metrics is not None else self._font_metrics()

    def _font_metrics(self) -> dict:
        from .pages_fonts import font_metrics

        with _open(self.path) as pdf:
            return font_metrics(pdf.pages)

    def plumber_tables(self, index: int) -> list:
        from .table_find import find_raw_tables

        if self._plumber is None:
            self._plumber = _open(self.path)
        page = self._plumber.pages[index]
        try:
            return find_raw_tables(printed_once(page))
        finally:
            page.close()  # frees pdfplumber's per-page caches: keeps RSS flat

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        self.pdfium.close()


def printed_once(page):
    """pdfplumber's page with fake bold read once (pages_lines.dedupe_chars, the rule PDFium's
    characters follow): a FilteredPage, on which find_tables, chars, edges, crop and
    extract_text_lines work as on the page. pdfplumber's own Page.dedupe_chars gives such a page
    too, but asks fontname and size to be equal (pdfminer's sizes of two copies differ in their
    last digits; a heading may be overprinted in a second font) and orders the kept characters
    by list.index (quadratic: 0.1 s on a page of 1,700 characters)."""
    chars = page.chars
    once = dedupe_chars(chars)
    if len(once) == len(chars):
        return page
    keep = {id(c) for c in once}
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)


def _open_pdfium(path: str):
    try:
        return pdfium_chars.open_document(path)
    except Exception as exc:  # pdfminer read it (page_count), PDFium cannot
        raise errors.BadReportError(Path(path).name, errors.DAMAGED, f"PDFium: {exc}") from exc


# A worker process keeps the document it was started for open across its chunks.
_worker_reader: _Reader | None = None


def _init_worker(path: str, metrics: dict, parent: int) -> None:
    global _worker_reader
    pages_workers.die_with_parent(parent)
    _worker_reader = _Reader(path, metrics)


def _parse_range(args: tuple[str, int, int]) -> list[Page]:
    """Pages start..stop-1 of one PDF."""
    path, start, stop = args
    if _worker_reader is not None and _worker_reader.path == path:
        return [parse_page(_worker_reader, i) for i in range(start, stop)]
    reader = _Reader(path)
    try:
        return [parse_page(reader, i) for i in range(start, stop)]
    finally:
        reader.close()


def _chunks(path: str, n: int, workers: int) -> list[tuple[str, int, int]]:
    """Contiguous page ranges, about eight per worker (at least two pages each), so that a slow
    stretch of pages does not leave the other workers idle at the end."""
    n_chunks = max(1, min(workers * 8, n // 2))
    bounds = [round(k * n / n_chunks) for k in range(n_chunks + 1)]
    return [(path, a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _mp_context():
    import multiprocessing as mp

    # fork: workers start at once, without re-importing the parent's modules.
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parse_pages(path: str | Path, workers: int | None = None,
                while_parsing: Callable[[], None] | None = None) -> list[Page]:
    """Parse every page, in page order. workers=1 is the serial path; None uses every core.
    Both paths give equal Page lists (tests/test_parallel_cache.py). Workers die with this
    process (pages_workers): a killed run leaves none behind.

    while_parsing, if given, is called once the workers have started (after the fork, so it may
    start threads): the caller's chance to do its own slow set-up while the pages are parsed."""
    from .pages_fonts import font_metrics

    with _open(path) as pdf:  # validates the file (BadReportError), and reads its fonts' metrics
        n = len(pdf.pages)
        if n == 0:
            raise errors.BadReportError(Path(path).name, errors.DAMAGED, "no pages")
        metrics = font_metrics(pdf.pages)
    workers = max(1, min(workers or _cores(), n // 2 or 1))
    if workers == 1:
        if while_parsing:
            while_parsing()
        reader = _Reader(str(path), metrics)
        try:
            pages = [parse_page(reader, i) for i in range(n)]
        finally:
            reader.close()
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(),
                                 initializer=_init_worker, initargs=(str(path), metrics, os.getpid())) as pool:
            chunks = pool.map(_parse_range, _chunks(str(path), n, workers))  # forks every worker now
            if while_parsing:
                while_parsing()
            pages = [p for chunk in chunks for p in chunk]
    _refuse_scans(Path(path).name, pages)
    return pages


def _refuse_scans(name: str, pages: list[Page]) -> None:
    """No page with MIN_TEXT_CHARS characters: a scan (page images, at most a stamp or a date as
    text, e.g. malformed-from-issue-932.pdf: one page image and the 7 characters "2021 3 31")."""
    text_pages = sum(1 for p in pages if p.char_count >= MIN_TEXT_CHARS)
    if text_pages == 0:
        chars = sum(p.char_count for p in pages)
        images = sum(p.image_count for p in pages)
        raise errors.BadReportError(name, errors.NO_TEXT,
                                    f"{len(pages)} page(s), {chars} characters, {images} image(s)")

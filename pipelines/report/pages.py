"""Pages: open a report PDF, refuse bad files clearly, and parse every page once.

This is the only module that drives pdfplumber over the whole document, so that a faster
backend can be swapped in here. Pages are parsed in worker processes (in page order) and
cached on disk keyed by the PDF's sha256 and PAGES_VERSION (a digest of the page-parsing source).
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import statistics
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from . import errors
from .model import Page, TextLine

# Bump whenever parse_page's output changes: cached pages of older versions are ignored.
from .version import EXTRACTOR_VERSION, PAGES_VERSION  # noqa: E402  (derived from the source)

# Below this many characters a page with an image counts as scanned (no text layer).
MIN_TEXT_CHARS = 20

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


def _line_of(raw: dict) -> TextLine:
    chars = raw.get("chars") or []
    sizes = [c["size"] for c in chars] or [0.0]
    fonts = Counter(c.get("fontname", "") for c in chars)
    return TextLine(
        text=raw["text"],
        x0=round(raw["x0"], 2),
        x1=round(raw["x1"], 2),
        top=round(raw["top"], 2),
        bottom=round(raw["bottom"], 2),
        size=round(statistics.median(sizes), 2),
        fontname=fonts.most_common(1)[0][0] if fonts else "",
    )


def parse_page(page, index: int) -> Page:
    """One pdfplumber page -> Page: prose lines (outside tables) and raw tables."""
    from .tables import find_raw_tables, outside_tables

    tables = find_raw_tables(page)
    prose = outside_tables(page, tables) if tables else page
    raw_lines = prose.extract_text_lines(strip=True, return_chars=True)
    lines = tuple(_line_of(r) for r in raw_lines if r["text"].strip())
    return Page(
        index=index,
        width=float(page.width),
        height=float(page.height),
        lines=lines,
        char_count=len(page.chars),
        image_count=len(page.images),
        tables=tuple(tables),
    )


# A worker process keeps the document it was started for open across its chunks.
_worker_pdf: tuple[str, object] | None = None


def _init_worker(path: str) -> None:
    global _worker_pdf
    _worker_pdf = (path, _open(path))


def _parse_range(args: tuple[str, int, int]) -> list[Page]:
    """Pages start..stop-1 of one PDF. The one place that drives the PDF backend page by page."""
    path, start, stop = args
    if _worker_pdf is not None and _worker_pdf[0] == path:
        return _parse_pages_of(_worker_pdf[1], start, stop)
    with _open(path) as pdf:
        return _parse_pages_of(pdf, start, stop)


def _parse_pages_of(pdf, start: int, stop: int) -> list[Page]:
    out = []
    for i in range(start, stop):
        page = pdf.pages[i]
        out.append(parse_page(page, i))
        page.close()  # frees pdfplumber's per-page caches: keeps RSS flat
    return out


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
    Both paths give equal Page lists (tests/test_parallel_cache.py).

    while_parsing, if given, is called once the workers have started (after the fork, so it may
    start threads): the caller's chance to do its own slow set-up while the pages are parsed."""
    n = page_count(path)
    workers = max(1, min(workers or _cores(), n // 2 or 1))
    if workers == 1:
        if while_parsing:
            while_parsing()
        pages = _parse_range((str(path), 0, n))
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(),
                                 initializer=_init_worker, initargs=(str(path),)) as pool:
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


def cached_parse_pages(path: str | Path, cache_dir: str | Path, sha256: str | None = None,
                       workers: int | None = None, while_parsing: Callable[[], None] | None = None
                       ) -> tuple[list[Page], bool]:
    """parse_pages through an on-disk cache (while_parsing is called only when pages are parsed).
    Returns (pages, cache_hit)."""
    sha256 = sha256 or sha256_of(path)
    cache_file = Path(cache_dir) / f"{sha256}.{PAGES_VERSION}.pages.pickle"
    if cache_file.exists():
        try:
            with open(cache_file, "rb") as fh:
                return pickle.load(fh), True
        except Exception:  # a torn or stale cache file is rebuilt, never trusted
            log.warning("ignoring unreadable page cache %s", cache_file)
    pages = parse_pages(path, workers=workers, while_parsing=while_parsing)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(pages, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache_file)
    return pages, False

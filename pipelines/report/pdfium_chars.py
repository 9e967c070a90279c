"""Characters and page objects of a PDF page as PDFium reads them, in pdfplumber's terms.

PDFium (pypdfium2) reads a page's characters about seven times faster than pdfminer, which
pdfplumber is built on. This module turns PDFium's characters into the dicts pdfplumber's own
text utilities take (`text`, `x0`, `x1`, `top`, `bottom`, `size`, `upright` ...), with the box
pdfminer would give a character, so that lines built from them are the lines pdfplumber builds:

* x0..x1 is the glyph's advance from its origin (PDFium's loose box, horizontally);
* bottom is the baseline plus the font's descent, top is bottom plus the font size (pdfminer's
  box, not the font's ascent), in PDF points with the origin at the page's top-left;
* on a page with /Rotate the coordinates are those of the page as displayed (pdfminer turns
  the page the same way), and `upright` is pdfminer's test on the displayed matrix.

Characters PDFium generates itself (the spaces and line breaks it infers) are dropped: only the
characters the page draws count. PDFium skips a text object that draws only spaces (no ink, no
width); such an object becomes one space here, where the page draws it, as pdfminer reads it. Each char also carries `rotation` (degrees
counter-clockwise of its baseline on the displayed page) and `fontname` (the font's base name).

Fake bold is read once: PDFium drops some copies of a glyph drawn over itself (a whole text
object repeated), not all (a copy nudged by a fraction of a point, or in another font);
pages_lines.dedupe_chars drops the rest, as the pdfplumber side does (pages._Reader).
"""
from __future__ import annotations

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pages_fonts import untagged
from .pages_lines import dedupe_chars

# pdfminer takes a standard-14 font's metrics from its AFM tables, not from the PDF: so do we.
try:
    from pdfminer.fontmetrics import FONT_METRICS
except ImportError:  # pdfminer absent: the PDF's own metrics (PDFium's) are used
    FONT_METRICS = {}



def _fast(name: str, restype, *argtypes):
    """A PDFium function over plain pointers (ints): the per-character calls, 2-3x cheaper than
    pypdfium2's typed ones. A fresh function object: pypdfium2's own stays as it is."""
    try:
        from pypdfium2_raw.bindings import _libs

        fn = _libs["pdfium"][name]
    except (ImportError, KeyError, AttributeError):  # another pypdfium2 layout: its typed function
        return getattr(pdfium_c, name)
    fn.restype, fn.argtypes = restype, list(argtypes)
    return fn


_P, _I, _D = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
_count_chars = _fast("FPDFText_CountChars", _I, _P)
_text_object = _fast("FPDFText_GetTextObject", _P, _P, _I)
_is_generated = _fast("FPDFText_IsGenerated", _I, _P, _I)
_unicode = _fast("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_origin = _fast("FPDFText_GetCharOrigin", _I, _P, _I, _D, _D)
_char_matrix = _fast("FPDFText_GetMatrix", _I, _P, _I, ctypes.POINTER(pdfium_c.FS_MATRIX))
_font_size = _fast("FPDFText_GetFontSize", ctypes.c_double, _P, _I)
_object_font = _fast("FPDFTextObj_GetFont", _P, _P)


def open_document(path: str) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(path))


def display_matrix(page: pdfium.PdfPage) -> tuple[float, ...]:
    """User space -> displayed page (y up), as pdfminer's PDFPageInterpreter sets its CTM."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotate = page.get_rotation() % 360
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def display_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """(width, height) of the displayed page: the mediabox, turned by /Rotate."""
    x0, y0, x1, y1 = page.get_mediabox()
    w, h = x1 - x0, y1 - y0
    return (h, w) if page.get_rotation() % 180 == 90 else (w, h)


def _mult(m, n) -> tuple[float, ...]:
    """m then n (pdfminer's mult_matrix(m, n))."""
    a0, b0, c0, d0, e0, f0 = m
    a1, b1, c1, d1, e1, f1 = n
    return (a0 * a1 + b0 * c1, a0 * b1 + b0 * d1, c0 * a1 + d0 * c1, c0 * b1 + d0 * d1,
            e0 * a1 + f0 * c1 + e1, e0 * b1 + f0 * d1 + f1)


class _Run:
    """What the characters of one text object share: font, size, matrix on the displayed page."""

    __slots__ = ("font", "fontname", "descent", "afm", "size", "shown", "upright", "rotation", "widths")

    def __init__(self, font, fontname: str, descent: float, afm: dict | None, size: float, matrix, ctm):
        self.font, self.fontname, self.descent, self.afm, self.size = font, fontname, descent, afm, size
        a, b, c, d, _, _ = matrix
        self.shown = _mult((a, b, c, d, 0.0, 0.0), (ctm[0], ctm[1], ctm[2], ctm[3], 0.0, 0.0))[:4]
        sa, sb, sc, sd = self.shown
        self.upright = 0 < sa * sd and sb * sc <= 0
        self.rotation = round(math.degrees(math.atan2(sb, sa)), 2) % 360
        self.widths: dict[str, float] = {}

    def advance(self, text: str) -> float:
        """The glyph's advance in text space: the font's /W or /Widths as PDFium reads them, or a
        standard-14 font's AFM width (as pdfminer has it); 0 when PDFium has none for `text`."""
        got = self.widths.get(text)
        if got is None:
            if self.afm is not None:
                got = self.afm.get(text, 0) / 1000
            elif self.font and len(text) == 1:
                out = ctypes.c_float()
                ok = pdfium_c.FPDFFont_GetGlyphWidth(self.font, ord(text), ctypes.c_float(1.0), out)
                got = out.value if ok else 0.0
            else:
                got = 0.0
            self.widths[text] = got
        return got * self.size


class _Fonts:
    """The _Run of each text object (by pointer). `metrics` are pages_fonts.font_metrics: the
    descriptors' exact descents, and which fonts take AFM widths."""

    def __init__(self, textpage, metrics: dict[str, tuple[float, bool]], ctm):
        self.textpage, self.metrics, self.ctm = textpage, metrics, ctm
        self.by_object: dict[int, _Run] = {}
        self.by_key: dict[tuple, _Run] = {}
        self.by_font: dict[int, tuple] = {}

    def run(self, obj: int, index: int) -> _Run:
        got = self.by_object.get(obj)
        if got is None:
            m = pdfium_c.FS_MATRIX()
            _char_matrix(self.textpage, index, m)
            got = self._cached_run(_object_font(obj) or 0, _font_size(self.textpage, index),
                                   (m.a, m.b, m.c, m.d), (m.e, m.f))
            self.by_object[obj] = got
        return got

    def blank_run(self, obj: int, size: float, linear) -> _Run:
        """The _Run of a text object the text page skipped (its font size and matrix given)."""
        return self._cached_run(_object_font(obj) or 0, size, tuple(linear), (0.0, 0.0))

    def _cached_run(self, font: int, size: float, linear: tuple, translation: tuple) -> _Run:
        """One _Run per (font, size, linear part of the matrix), its font read once."""
        key = (font, size, *linear)
        got = self.by_key.get(key)
        if got is None:
            named = self.by_font.get(font)
            if named is None:
                handle = ctypes.cast(font, pdfium_c.FPDF_FONT) if font else None
                named = self.by_font[font] = self._font(handle) if font else ("", 0.0, None)
            got = self.by_key[key] = _Run(ctypes.cast(font, pdfium_c.FPDF_FONT) if font else None,
                                          *named, size, (*linear, *translation), self.ctm)
        return got

    def _font(self, font) -> tuple[str, float, dict | None]:
        """(name without subset tag, descent per unit of font size (<= 0), AFM widths or None)."""
        n = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        buf = ctypes.create_string_buffer(max(n, 1))
        pdfium_c.FPDFFont_GetBaseFontName(font, buf, n)
        name = untagged(buf.value.decode("utf-8", "replace"))
        known = self.metrics.get(name)
        if known is not None:
            descent, afm = known
            if afm and name in FONT_METRICS:  # named as its AFM names it (Arial,Bold -> Helvetica-Bold)
                return str(FONT_METRICS[name][0].get("FontName", name)), descent, FONT_METRICS[name][1]
            return name, descent, None
        out = ctypes.c_float()
        descent = out.value if pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), out) else 0.0
        return name, -abs(descent), None


def read_chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, metrics: dict | None = None,
               doctop: float = 0.0) -> list[dict]:
    """The page's drawn characters, in PDFium's reading order, as pdfplumber-style dicts; a glyph
    drawn several times over itself (fake bold) once."""
    tp = textpage.raw
    raw = ctypes.cast(tp, ctypes.c_void_p).value
    ctm = display_matrix(page)
    height = display_size(page)[1]
    fonts = _Fonts(raw, metrics or {}, ctm)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    out: list[dict] = []
    seen: set[int] = set()
    for i in range(_count_chars(raw)):
        obj = _text_object(raw, i)
        if not obj or _is_generated(raw, i) == 1:  # a space or line break PDFium inferred
            continue
        code = _unicode(raw, i)
        if 0xDC00 <= code <= 0xDFFF and out and 0xD800 <= ord(out[-1]["text"][-1]) < 0xDC00:
            tail = out[-1]  # the second half of a surrogate pair
            tail["text"] = (tail["text"] + chr(code)).encode("utf-16", "surrogatepass").decode("utf-16")
            continue
        run = fonts.run(obj, i)
        seen.add(obj)
        _origin(raw, i, pox, poy)
        text = chr(code)
        advance = run.advance(text)
        if advance <= 0 and run.shown[0]:
            advance = _loose_advance(tp, i, ox.value, run)
        out.append(_char(text, ox.value, oy.value, advance, run, ctm, height, doctop))
    out.extend(_blank_objects(page, seen, fonts, ctm, height, doctop))
    return dedupe_chars(out)


def _blank_objects(page, seen: set[int], fonts: "_Fonts", ctm, height: float, doctop: float) -> list[dict]:
    """One space for each text object PDFium's text page skipped for having no width (it draws
    only spaces): pdfminer reads its glyphs, and a space there separates two words."""
    out = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    size, m = ctypes.c_float(), pdfium_c.FS_MATRIX()
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key in seen or not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if right.value - left.value >= 0.01 or not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
            continue  # a duplicate PDFium dropped (fake bold) or nothing it could read
        pdfium_c.FPDFPageObj_GetMatrix(obj, m)
        run = fonts.blank_run(key, size.value, (m.a, m.b, m.c, m.d))
        out.append(_char(" ", m.e, m.f, run.advance(" "), run, ctm, height, doctop))
    return out


def _loose_advance(tp, index: int, x: float, run: _Run) -> float:
    """No width for this glyph: the far edge of PDFium's loose box (maybe the ink's) from its origin."""
    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(tp, index, box)
    a = run.shown[0]
    return ((box.right if a > 0 else box.left) - x) / a if a else 0.0


def _char(text: str, x: float, y: float, advance: float, run: _Run, ctm, height: float, doctop: float) -> dict:
    """pdfminer's box: advance wide along the baseline, from descent to descent + size across it."""
    sa, sb, sc, sd = run.shown
    px = ctm[0] * x + ctm[2] * y + ctm[4]  # the origin on the displayed page
    py = ctm[1] * x + ctm[3] * y + ctm[5]
    lo = run.descent * run.size
    hi = lo + run.size
    if sb == 0 and sc == 0:  # upright or mirrored, not turned: two corners say it all
        xa, xb = px, px + sa * advance
        ya, yb = py + sd * lo, py + sd * hi
        x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
        y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
    else:
        xs = [px + sa * u + sc * v for u in (0.0, advance) for v in (lo, hi)]
        ys = [py + sb * u + sd * v for u in (0.0, advance) for v in (lo, hi)]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top, bottom = height - y1, height - y0
    return {
        "text": text, "fontname": run.fontname, "size": y1 - y0,
        "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
        "width": x1 - x0, "height": bottom - top, "upright": run.upright, "rotation": run.rotation,
        "object_type": "char",
    }

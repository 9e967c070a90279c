"""Font facts PDFium does not give exactly: a font's descent as its descriptor writes it.

PDFium rounds a font's descent to whole font units (-121 for a descriptor's -121.0938); a
character's box (bottom = baseline + descent x size) then moves by ~0.001 pt, enough to round a
line's position differently. The descriptor's value is read here from the PDF's objects (no
content stream is interpreted: ~1 ms a page) and looked up by the font's name without its subset
tag, as PDFium names the font. A standard-14 font takes its metrics from pdfminer's AFM tables,
as pdfminer does (and only then: an embedded subset of Times is read from its own descriptor).
"""
from __future__ import annotations

import re

from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def untagged(name: str) -> str:
    """'AAAAAB+UKaiTW-2' -> 'UKaiTW-2': which subset a glyph came from is the producer's detail."""
    return SUBSET_TAG.sub("", name)


def _name(value) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value) if value is not None else ""


def _metrics(font: dict) -> tuple[float, bool] | None:
    """(descent per 1000 units (<= 0), from the AFM tables?) as pdfminer reads this font dict;
    None: PDFium's will do."""
    from pdfminer.fontmetrics import FONT_METRICS

    base = _name(font.get("BaseFont"))
    subtype = _name(font.get("Subtype"))
    if subtype in ("Type1", "TrueType", "MMType1") and base in FONT_METRICS:
        return -abs(float(FONT_METRICS[base][0].get("Descent", 0))), True
    if subtype == "Type3":
        return None
    spec = font
    if subtype == "Type0":
        kids = resolve1(font.get("DescendantFonts")) or []
        spec = resolve1(kids[0]) if kids else {}
    descriptor = resolve1(spec.get("FontDescriptor")) or {}
    try:
        return -abs(float(resolve1(descriptor.get("Descent", 0)) or 0)), False
    except (TypeError, ValueError):
        return None


def _fonts_in(resources, seen: set, out: dict[str, set]) -> None:
    resources = resolve1(resources) or {}
    if not isinstance(resources, dict):
        return
    for ref in (resolve1(resources.get("Font")) or {}).values():
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        font = resolve1(ref)
        if isinstance(font, dict):
            out.setdefault(untagged(_name(font.get("BaseFont"))), set()).add(_metrics(font))
    for ref in (resolve1(resources.get("XObject")) or {}).values():
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        xobj = resolve1(ref)
        attrs = getattr(xobj, "attrs", {})
        if _name(attrs.get("Subtype")) == "Form":
            _fonts_in(attrs.get("Resources"), seen, out)


def font_metrics(plumber_pages) -> dict[str, tuple[float, bool]]:
    """{untagged font name: (descent per unit of size, AFM widths?)} for the fonts of these
    pdfplumber pages' resources whose name says one reading (fonts sharing a name but not their
    metrics are left to PDFium)."""
    found: dict[str, set] = {}
    seen: set = set()
    for page in plumber_pages:
        try:
            _fonts_in(page.page_obj.resources, seen, found)
        except Exception:  # a broken resource dict: those fonts keep PDFium's metrics
            continue
    out = {}
    for name, values in found.items():
        if len(values) == 1 and None not in values:
            descent, afm = next(iter(values))
            out[name] = (descent / 1000, afm)
    return out

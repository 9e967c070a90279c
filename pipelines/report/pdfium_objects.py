"""A page's graphics as PDFium reads them: its images, and whether its drawing is flat (thin
horizontal strokes only) with those strokes as pdfplumber's edges.

A flat page holds no box, grid or vertical rule, so pdfplumber's grid finder has nothing to
read there; pages.py decides from the number of rules whether pdfplumber must read it at all.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from .pdfium_chars import display_matrix, display_size

# A path this tall (points) or taller could be a box, a grid or a vertical rule.
TALL = 3.0
SAME = 1e-3  # points: two ends of a segment on one y are a horizontal segment


@dataclass(frozen=True)
class Graphics:
    image_count: int
    flat: bool  # every drawing is thin horizontal strokes (no box, grid, curve, shading or form)
    horizontal_edges: tuple[dict, ...] = ()  # pdfplumber-style edges (x0, x1, top, bottom), when flat


def _objects(container, in_form: bool = False):
    """(type, object, inside a form XObject?) of every object, form XObjects opened."""
    count = pdfium_c.FPDFFormObj_CountObjects(container) if in_form else pdfium_c.FPDFPage_CountObjects(container)
    for i in range(count):
        obj = pdfium_c.FPDFFormObj_GetObject(container, i) if in_form else pdfium_c.FPDFPage_GetObject(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _objects(obj, True)
        else:
            yield kind, obj, in_form


def _points(path) -> list[tuple[int, float, float]] | None:
    """(segment type, x, y) in user space; None for a curve (pdfplumber reads those)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(path, m)
    out = []
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        seg = pdfium_c.FPDFPath_GetPathSegment(path, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return None
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = x.value, y.value
        out.append((kind, m.a * px + m.c * py + m.e, m.b * px + m.d * py + m.f))
    return out


def _painted(path) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path, fill, stroke)
    return bool(fill.value or stroke.value)


def _horizontal_edges(points, height: float) -> list[dict] | None:
    """The path's horizontal segments as pdfplumber edges; None if it is tall (a box, a grid)."""
    ys = [p[2] for p in points]
    if not points or max(ys) - min(ys) >= TALL:
        return None
    edges = []
    for (_, xa, ya), (kind, xb, yb) in zip(points, points[1:]):
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and abs(ya - yb) <= SAME and xa != xb:
            top = height - max(ya, yb)
            edges.append({"object_type": "line", "orientation": "h", "x0": min(xa, xb), "x1": max(xa, xb),
                          "top": top, "bottom": top, "width": abs(xb - xa), "height": 0.0})
    return edges


def read_graphics(page) -> Graphics:
    """Images and drawing of a pypdfium2 page."""
    images, edges, flat = 0, [], page.get_rotation() % 360 == 0 and display_matrix(page)[4:] == (0, 0)
    height = display_size(page)[1]
    for kind, obj, in_form in _objects(page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_SHADING:
            flat = False
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and flat and _painted(obj):
            points = None if in_form else _points(obj)
            found = _horizontal_edges(points, height) if points is not None else None
            if found is None:
                flat = False
            else:
                edges.extend(found)
    return Graphics(image_count=images, flat=flat, horizontal_edges=tuple(edges) if flat else ())

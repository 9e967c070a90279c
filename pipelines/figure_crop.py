"""See a figure where it is printed: `python -m pipelines show QUANTITY_KEY` renders the region of
its page around its box (v_quantities.x0/top/x1/bottom, PDF points, top-left origin) with
PDFium, outlines the box, writes a PNG and prints the sentence, path, pages and unit conversion.

The PNG records where it was cut from (text chunks `pdf_page`, `origin_pt`, `scale`), so that a
pixel maps back to PDF points: x_pt = origin_x + px / scale, top_pt = origin_top + py / scale."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .workbench import WorkbenchError

SCALE = 2.0  # pixels per PDF point: 144 dpi
MARGIN_PT = 72.0  # page shown above and below the box
HIGHLIGHT = (255, 0, 0)  # the outline, drawn just outside the box so that no character is covered
OUTLINE_PX = 3
FILL = (255, 230, 0, 70)  # a light yellow wash over the box itself


class ShowError(WorkbenchError):
    """A one-line message for the user: the figure, its PDF or its page cannot be found (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message, status=2)


@dataclass(frozen=True)
class Figure:
    quantity_key: str
    file_name: str
    pdf_page: int  # 1-based
    box: tuple[float, float, float, float] | None  # x0, top, x1, bottom in PDF points
    raw_text: str
    number_text: str
    value: Decimal
    unit: str
    factor: Decimal
    quantity: Decimal
    base_unit: str
    context: str | None
    section_path: str | None
    section_title: str | None
    page_label: str | None


FIGURE_SQL = """
SELECT v.quantity_key, r.file_name, v.pdf_page, v.x0, v.top, v.x1, v.bottom, v.raw_text, v.number_text,
       v.value, v.unit, u.factor, v.quantity_exact, v.base_unit, v.context, v.section_path,
       v.section_title, v.page_label
FROM v_quantities v
JOIN fact_quantity f ON f.quantity_key = v.quantity_key
JOIN dim_unit u ON u.unit_key = f.unit_key
JOIN dim_report r ON r.report_id = v.report_id
WHERE v.quantity_key = ?
"""


def read_figure(con, quantity_key: str) -> Figure:
    row = con.execute(FIGURE_SQL, [quantity_key]).fetchone()
    if row is None:
        raise ShowError(f"no quantity {quantity_key!r} in the warehouse "
                        "(v_quantities.quantity_key, e.g. moea-101-achievements:text:12)")
    key, file_name, pdf_page, x0, top, x1, bottom, *rest = row
    box = None if x0 is None else (x0, top, x1, bottom)
    return Figure(key, file_name, pdf_page, box, *rest)


def safe_file_name(quantity_key: str) -> str:
    return re.sub(r"[^\w.-]+", "_", quantity_key).strip("._") + ".png"


def plain(d: Decimal) -> str:
    """Exact digits with thousands separators, no exponent, no trailing zeros (270,730,000,000)."""
    return format(d.normalize(), ",f")


def conversion(fig: Figure) -> str:
    return (f"{fig.number_text.replace(chr(10), '')} → {plain(fig.quantity)} {fig.base_unit}"
            f"  ({plain(fig.value)} × {plain(fig.factor)}, {fig.unit} → {fig.base_unit})")


def _page_origin(page) -> tuple[float, float]:
    """Where the rendered image starts, in the displayed page's points (top-left origin): the crop
    box inside the media box the characters are measured against (upright pages)."""
    mx0, _, _, my1 = page.get_mediabox()
    cx0, _, _, cy1 = page.get_cropbox()
    return (cx0 - mx0, my1 - cy1) if page.get_rotation() % 360 == 0 else (0.0, 0.0)


def render_crop(pdf_path: Path, pdf_page: int, box, out: Path, scale: float = SCALE) -> tuple[int, int, int, int]:
    """Write the PNG of the page band around `box` (the whole page when None), its outline drawn.
    Returns the outline's pixel rectangle in the PNG (left, top, right, bottom), or () for none."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw, PngImagePlugin

    try:
        doc = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as exc:
        raise ShowError(f"{pdf_path} cannot be opened by PDFium ({exc})") from exc
    try:
        if not 1 <= pdf_page <= len(doc):
            raise ShowError(f"{pdf_path.name} has {len(doc)} pages, not page {pdf_page}: is it the file "
                            "that was loaded?")
        page = doc[pdf_page - 1]
        ox, oy = _page_origin(page)
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    top_pt = max(0.0, box[1] - MARGIN_PT) if box else 0.0
    bottom_pt = box[3] + MARGIN_PT if box else image.height / scale
    band = (0, int((top_pt - oy) * scale), image.width, min(image.height, int((bottom_pt - oy) * scale) + 1))
    band = (0, max(0, band[1]), band[2], band[3])
    crop = image.crop(band)
    rect: tuple = ()
    if box:
        px = [(box[0] - ox) * scale, (box[1] - oy) * scale - band[1],
              (box[2] - ox) * scale, (box[3] - oy) * scale - band[1]]
        inner = (int(px[0]) - 1, int(px[1]) - 1, int(px[2]) + 2, int(px[3]) + 2)
        ImageDraw.Draw(crop, "RGBA").rectangle(inner, fill=FILL)  # blended over the RGB page
        rect = (inner[0] - OUTLINE_PX, inner[1] - OUTLINE_PX, inner[2] + OUTLINE_PX, inner[3] + OUTLINE_PX)
        ImageDraw.Draw(crop).rectangle(rect, outline=HIGHLIGHT, width=OUTLINE_PX)
    info = PngImagePlugin.PngInfo()
    info.add_text("pdf_page", str(pdf_page))
    info.add_text("origin_pt", f"{ox + band[0] / scale},{oy + band[1] / scale}")
    info.add_text("scale", str(scale))
    out.parent.mkdir(parents=True, exist_ok=True)
    crop.save(out, pnginfo=info)
    return rect


def describe(fig: Figure) -> list[str]:
    printed = f"printed page {fig.page_label}" if fig.page_label else "no printed page number"
    where = (f"box x0={fig.box[0]:.2f} top={fig.box[1]:.2f} x1={fig.box[2]:.2f} bottom={fig.box[3]:.2f} pt"
             if fig.box else "no box (table cells keep none): the whole page")
    path = f"{fig.section_path} {fig.section_title or ''}".strip() if fig.section_path else "(before the first heading)"
    return [f"{fig.quantity_key}: {fig.raw_text.replace(chr(10), '⏎')}",
            f"  sentence: {fig.context or ''}",
            f"  section:  {path}",
            f"  page:     {printed}, PDF page {fig.pdf_page} of {fig.file_name}; {where}",
            f"  unit:     {conversion(fig)}"]


def run_show(args) -> int:
    from . import warehouse as wh
    from .workbench import require_warehouse

    path = require_warehouse(args.warehouse)
    with wh.connect(path, read_only=True) as con:
        fig = read_figure(con, args.quantity_key)
    pdf = (args.raw_dir / fig.file_name)
    if not pdf.is_file():
        raise ShowError(f"{pdf} is missing: {fig.quantity_key} was read from {fig.file_name}; "
                        "give its folder with --raw-dir")
    out = args.output or Path.cwd() / safe_file_name(fig.quantity_key)
    render_crop(pdf, fig.pdf_page, fig.box, out)
    print("\n".join(describe(fig)))
    print(f"wrote {out}")
    return 0


def sample_crops(pdf_path: Path, report_id: str, records, folder: Path, n: int = 3) -> dict[str, Path]:
    """Crops of the first text figure of up to `n` dimensions (money first), for the `quantities`
    asset's metadata: {quantity_key: PNG}. A figure that cannot be drawn is left out, never fatal."""
    chosen: dict[str, object] = {}
    for r in sorted(records, key=lambda r: r.q.unit.dimension != "money"):
        if r.box is not None and r.q.unit.dimension not in chosen and len(chosen) < n:
            chosen[r.q.unit.dimension] = r
    out = {}
    for r in chosen.values():
        key = f"{report_id}:text:{r.quantity_no}"
        target = folder / safe_file_name(key)
        try:
            render_crop(pdf_path, r.box[0] + 1, r.box[1:], target)
        except (ShowError, OSError):
            continue
        out[key] = target
    return out

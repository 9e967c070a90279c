"""`python -m pipelines show QUANTITY_KEY`: one figure per dimension drawn on its page. The box in
v_quantities, and the outline drawn in the PNG, must hold every character of the figure as PDFium
itself places them, read here straight from the PDF (pypdfium2), not through the pipeline."""
from __future__ import annotations

import os
import re

import duckdb
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from tests.conftest import run_cli
from tests.pdfgen import Style, make_report

CHAPTERS = [
    ("壹、工業", ["一、產業創新研發",
                "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％，另輔導 48 家新創事業。"]),
    ("貳、農業", ["一、農地與糧食",
                "1、101 年活化休耕農地 3,215 公頃，稻米產量 1,287 公噸，節省用電 5,600 萬度。"]),
]
DIMENSIONS = ("money", "percent", "count", "area", "mass", "energy")
TOLERANCE = 0.011  # the pipeline keeps positions to 2 decimals
# The box is the characters' boxes as pdfplumber places them: the advance across, the font size up
# from the descent. A glyph's ink may stand out of that em box by a little (家 reaches 0.8 pt above
# it at 14 pt); the outline `show` draws stands 2 pt outside the box and must hold all the ink.
INK_OVERSHOOT = 0.1  # of the line height, above or below the stored box


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    raw = root / "raw"
    raw.mkdir()
    make_report(raw / "mini.pdf", CHAPTERS, Style(chars_per_line=24))
    db = root / "warehouse" / "report.duckdb"
    proc = run_cli("run", "--raw-dir", str(raw), "--warehouse", str(db), "--quiet",
                   env={"DAGSTER_HOME": str(root / "home"), "GX_ANALYTICS_ENABLED": "false"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, raw, db


def figures(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT dimension, quantity_key, raw_text, pdf_page, x0, top, x1, bottom FROM v_quantities "
            "WHERE source = 'text' ORDER BY quantity_key").fetchall()
    finally:
        con.close()


def pdfium_char_boxes(pdf_path, pdf_page: int, raw_text: str) -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) of each printed character of raw_text on that page, top-left origin,
    as PDFium places them; the figure must occur exactly once on the page."""
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[pdf_page - 1]
        height = page.get_height()
        text_page = page.get_textpage()
        chars = [(i, chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, i)))
                 for i in range(text_page.count_chars())]
        printed = [(i, ch) for i, ch in chars if not ch.isspace()]
        letters = "".join(ch for _, ch in printed)
        wanted = re.sub(r"\s+", "", raw_text)
        starts = [m.start() for m in re.finditer(re.escape(wanted), letters)]
        assert len(starts) == 1, f"{wanted!r} occurs {len(starts)} times on page {pdf_page}"
        boxes = []
        for i, _ in printed[starts[0]:starts[0] + len(wanted)]:
            left, bottom, right, top = text_page.get_charbox(i)
            boxes.append((left, height - top, right, height - bottom))
        return boxes
    finally:
        doc.close()


def outline_in_points(png) -> tuple[float, float, float, float]:
    """The drawn outline (pure red pixels) mapped back to PDF points with the PNG's own record of
    where it was cut from."""
    image = Image.open(png)
    ox, oy = (float(v) for v in image.info["origin_pt"].split(","))
    scale = float(image.info["scale"])
    pixels = np.asarray(image.convert("RGB")).astype(int)
    rows, cols = np.nonzero((pixels[:, :, 0] == 255) & (pixels[:, :, 1] == 0) & (pixels[:, :, 2] == 0))
    assert len(rows), f"{png}: no outline drawn"
    return (ox + cols.min() / scale, oy + rows.min() / scale, ox + (cols.max() + 1) / scale,
            oy + (rows.max() + 1) / scale)


def contains(outer, inner, tol=TOLERANCE, tol_y=None) -> bool:
    tol_y = tol if tol_y is None else tol_y
    return (outer[0] - tol <= inner[0] and outer[1] - tol_y <= inner[1]
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol_y)


def holds_ink(box, char) -> bool:
    """The stored box holds the character: all of it across, its ink up and down but for a glyph's
    overshoot of the em box."""
    line_height = Style().body_size
    return contains(box, char, tol_y=INK_OVERSHOOT * line_height)


def test_every_text_quantity_has_a_box_on_its_pdf_page(built):
    _, raw, db = built
    rows = figures(db)
    assert {r[0] for r in rows} >= set(DIMENSIONS)
    assert any("\n" in r[2] for r in rows)  # a figure broken over two lines: its box holds both parts
    for dim, key, raw_text, pdf_page, *box in rows:
        assert None not in box, key
        for char in pdfium_char_boxes(raw / "mini.pdf", pdf_page, raw_text):
            assert holds_ink(box, char), (key, raw_text, box, char)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_show_draws_a_box_holding_the_figures_characters(built, dimension, tmp_path):
    _, raw, db = built
    dim, key, raw_text, pdf_page, *box = next(r for r in figures(db) if r[0] == dimension)
    png = tmp_path / "figure.png"
    proc = run_cli("show", key, "-o", str(png), "--warehouse", str(db), "--raw-dir", str(raw))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert png.is_file() and Image.open(png).info["pdf_page"] == str(pdf_page)
    drawn = outline_in_points(png)
    chars = pdfium_char_boxes(raw / "mini.pdf", pdf_page, raw_text)
    assert chars
    for char in chars:
        assert holds_ink(box, char), (raw_text, box, char)
        assert contains(drawn, char), (raw_text, drawn, char)
    # the outline hugs the box (a few pixels outside it), not the whole page
    assert contains(drawn, box) and contains(tuple(v + d for v, d in zip(box, (-4, -4, 4, 4))), drawn)
    out = proc.stdout
    assert f"PDF page {pdf_page} of mini.pdf" in out and "sentence:" in out and "section:" in out


def test_show_prints_the_exact_conversion(built, tmp_path):
    _, raw, db = built
    key = next(r[1] for r in figures(db) if r[2].replace("\n", "") == "9.66 億元")
    proc = run_cli("show", key, "-o", str(tmp_path / "m.png"), "--warehouse", str(db), "--raw-dir", str(raw))
    assert "9.66 億元 → 966,000,000 TWD" in proc.stdout, proc.stdout
    assert "壹/一/1" in proc.stdout


def test_show_default_file_name_is_the_key_made_file_safe(built, tmp_path):
    _, raw, db = built
    key = figures(db)[0][1]
    proc = run_cli("show", key, "--warehouse", str(db), "--raw-dir", str(raw), "-o",
                   str(tmp_path / key.replace(":", "_")) + ".png")
    assert proc.returncode == 0, proc.stderr
    from pipelines.figure_crop import safe_file_name
    assert safe_file_name("mini:text:3") == "mini_text_3.png" and os.sep not in safe_file_name("a/b:c")


@pytest.mark.parametrize("case", ["key", "pdf", "warehouse"])
def test_show_refuses_with_one_line_and_status_2(built, case, tmp_path):
    _, raw, db = built
    key = figures(db)[0][1]
    args = {"key": ["nope:text:1", "--warehouse", str(db), "--raw-dir", str(raw)],
            "pdf": [key, "--warehouse", str(db), "--raw-dir", str(tmp_path)],
            "warehouse": [key, "--warehouse", str(tmp_path / "none.duckdb"), "--raw-dir", str(raw)]}[case]
    proc = run_cli("show", *args, "-o", str(tmp_path / "x.png"))
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: ")
    assert not (tmp_path / "x.png").exists()


def test_sample_crops_for_the_asset_metadata(built, tmp_path):
    """The `quantities` asset links a few crops: the first figure of up to three dimensions, money first."""
    from pipelines.figure_crop import sample_crops
    from pipelines.report.pages import parse_pages
    from pipelines.report.parse import parse_report

    _, raw, _ = built
    parsed = parse_report(parse_pages(raw / "mini.pdf", workers=1))
    crops = sample_crops(raw / "mini.pdf", "mini", parsed.quantities, tmp_path / "crops")
    assert list(crops) == ["mini:text:2", "mini:text:1", "mini:text:3"]  # money, count, percent
    assert all(p.is_file() and p.parent == tmp_path / "crops" for p in crops.values())

"""The report page (pipelines/report_page.py) on a small warehouse built by SQL: the outline counts the
figures per section, the largest amounts leave out targets, cumulative figures and table totals, TWD and
USD are charted apart, amounts print exactly, and nothing is loaded from the network."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.report_page import format_amount, write_report_page
from pipelines.report_page_font import single_face_ttf
from pipelines.warehouse import connect, ensure_schema

RID = "mini"
# (no, section_id, unit, value, quantity, flags, context); flags: t target, c cumulative, g change, T table total
QUANTITIES = [
    (1, 2, "億元", "11344", "1134400000000", "", "協助中小企業取得融資 11,344 億元。"),
    (2, 2, "億元", "99999", "9999900000000", "t", "預計 101 年投資 99,999 億元。"),
    (3, 3, "億元", "88888", "8888800000000", "c", "累計投資 88,888 億元。"),
    (4, 3, "億美元", "3011.1", "301110000000", "", "101 年出口 3,011.1 億美元。"),
    (5, 4, "萬元", "0.123456", "1234.56", "", "補助 0.123456 萬元。"),
    (6, 4, "%", "22.35", "22.35", "g", "較 100 年成長 22.35％。"),
    (7, 4, "億元", "77777", "7777700000000", "T", "附表一 | 合計 | 金額"),
    (8, 2, "家", "7", "7", "", "促成 7 家廠商投資。"),
]
SECTIONS = [(1, None, 1, "壹", "工業"), (2, 1, 2, "壹/一", "產業創新研發"), (3, 1, 2, "壹/二", "貿易推廣"),
            (4, None, 1, "貳", "商業")]
UNITS = {"億元": ("money", "TWD"), "億美元": ("money", "USD"), "萬元": ("money", "TWD"), "%": ("percent", None),
         "家": ("count", None)}


def _insert_sections(con) -> None:
    for sid, parent, level, path, title in SECTIONS:
        chapter = path.split("/")[0]
        chapter_no, chapter_title = (1, "工業") if chapter == "壹" else (2, "商業")
        con.execute("INSERT INTO dim_section VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL)",
                    [f"{RID}:s{sid}", RID, sid, f"{RID}:s{parent}" if parent else None, level, path.split("/")[-1],
                     title, path, chapter_no, chapter_title, f"{RID}:p{sid + 2}", f"{RID}:p{sid + 2}"])


def _insert_quantity(con, no, sid, unit, value, quantity, flags, context) -> None:
    dimension, _ = UNITS[unit]
    source = "table" if "T" in flags else "text"
    table = (1, 1, 1) if source == "table" else (None, None, None)
    indicator = "investment" if dimension == "money" else None
    con.execute("INSERT INTO fact_quantity VALUES (?, ?, ?, ?, ?, ?, ?, 2012, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, "
                "?, ?, false, ?, NULL, 'year', NULL, NULL, NULL, NULL, NULL, NULL)",  # no box
                [f"{RID}:{source}:{no}", RID, source, no, f"{RID}:s{sid}", f"{RID}:p{sid + 2}",
                 f"{dimension}:{unit}", f"{value} {unit}", f"{value} {unit}", value, quantity, context, *table,
                 indicator, "c" in flags, "t" in flags, "change_vs_year" if "g" in flags else None])
    if source == "table":
        con.execute("INSERT INTO table_cell VALUES (?, 1, 1, 1, '合計', '金額', ?, false, true, ?, ?, ?, ?, "
                    "'header', ?, NULL, NULL, NULL, NULL, NULL)", [RID, value, value, unit, dimension, quantity, f"{RID}:p{sid + 2}"])


def build_warehouse(path: Path) -> Path:
    """A warehouse of one report: 2 chapters, 4 sections, and figures of every kind the page tells apart."""
    with connect(path) as con:
        ensure_schema(con)
        con.execute("INSERT INTO dim_report VALUES (?, ?, 'x', 9, '迷你報告', '經濟部', '施政成果', 101, 2012, 'v')",
                    [RID, f"{RID}.pdf"])
        for index in range(9):
            con.execute("INSERT INTO dim_page VALUES (?, ?, ?, ?, ?, 'body', 10, 10)",
                        [f"{RID}:p{index}", RID, index, str(index - 1), index - 1])
        for unit, (dimension, currency) in UNITS.items():
            factor = {"億元": "100000000", "億美元": "100000000", "萬元": "10000"}.get(unit, "1")
            base = currency or ("percent" if unit == "%" else unit)
            con.execute("INSERT INTO dim_unit VALUES (?, ?, ?, ?, ?, ?, NULL)",
                        [f"{dimension}:{unit}", unit, dimension, base, factor, currency])
        _insert_sections(con)
        for row in QUANTITIES:
            _insert_quantity(con, *row)
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("report_page")
    (root / "raw").mkdir()
    (root / "raw" / f"{RID}.pdf").write_bytes(b"%PDF-1.4")
    warehouse = build_warehouse(root / "warehouse" / "report.duckdb")
    index = write_report_page(warehouse)
    return index, index.read_text(encoding="utf-8")


def _specs(html: str) -> dict[str, dict]:
    return {m.group(1): json.loads(m.group(2).replace("<\\/", "</")) for m in re.finditer(
        r'<script type="application/json" id="([^"]+)-spec">(.*?)</script>', html, re.S)}


def test_written_beside_the_warehouse_with_its_static_files(page):
    index, _ = page
    assert index == index.parent.parent / "report" / "index.html" and index.parent.parent.name == "warehouse"
    static = index.parent / "static"
    for name in ("vega5.js", "vega-lite5.js", "vega-embed6.js", "report_page.js", "report_page.css",
                 "wqy-microhei.ttf"):
        assert (static / name).stat().st_size > 1000, name


def test_outline_lists_each_section_with_its_figures(page):
    _, html = page
    rows = re.findall(r'<tr class="level-(\d)"><td>([^<]+)</td><td class="title">([^<]+)</td>\s*'
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td>', html)
    assert rows == [("1", "壹", "工業", "0", "5"), ("2", "壹/一", "產業創新研發", "3", "3"),
                    ("2", "壹/二", "貿易推廣", "2", "2"), ("1", "貳", "商業", "3", "3")]
    assert "壹 工業 — 5 figures" in html


def test_largest_amounts_leave_out_targets_cumulative_and_table_totals(page):
    _, html = page
    largest = html[html.index("<h3>Largest amounts</h3>"):html.index("<h3>Outline</h3>")]
    amounts = re.findall(r'<td class="num">\d+</td><td class="num">([^<]+)</td>', largest)
    assert amounts == ["1,134,400,000,000", "1,234.56", "301,110,000,000"]  # TWD ranked, then USD
    for left_out in ("9,999,900,000,000", "8,888,800,000,000", "7,777,700,000,000"):
        assert left_out not in largest
    assert '<h4>TWD</h4>' in largest and '<h4>USD</h4>' in largest
    assert "協助中小企業取得融資 11,344 億元。" in largest


def test_each_amount_links_to_its_pdf_page(page):
    index, html = page
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert ("../../raw/mini.pdf#page=5", "p. 3 · PDF page 5") in links  # section 2's page: index 4
    assert (index.parent / "../../raw/mini.pdf").resolve().is_file()


def test_twd_and_usd_are_charted_apart_and_kinds_never_summed(page):
    _, html = page
    specs = _specs(html)
    assert {"r-mini-money-TWD-chapter", "r-mini-money-USD-chapter", "r-mini-money-TWD-indicator",
            "r-mini-money-USD-indicator", "r-mini-growth"} <= set(specs)
    twd = specs["r-mini-money-TWD-chapter"]["data"]["values"]
    assert {v["amount"].split()[-1] for v in twd} == {"TWD"}
    by_kind = {(v["chapter"], v["kind"]): v["amount"] for v in twd}
    assert by_kind == {("壹 工業", "achieved (levels)"): "1,134,400,000,000 TWD",
                       ("貳 商業", "achieved (levels)"): "1,234.56 TWD",
                       ("壹 工業", "targets"): "9,999,900,000,000 TWD",
                       ("壹 工業", "cumulative"): "8,888,800,000,000 TWD"}  # the table total in none
    usd = specs["r-mini-money-USD-chapter"]["data"]["values"]
    assert [v["amount"] for v in usd] == ["301,110,000,000 USD"]
    growth = specs["r-mini-growth"]["data"]["values"]
    assert [(g["printed"], g["percent"]) for g in growth] == [("22.35 %", 22.35)]


def test_no_script_style_or_font_from_the_network(page):
    index, html = page
    assert not re.search(r"https?://", html)
    for ref in re.findall(r'(?:src|href)="([^"#]+)', html) + re.findall(r'url\("([^"]+)"\)', html):
        assert not re.match(r"[a-z]+:", ref), ref
        assert (index.parent / ref).resolve().exists(), ref


def test_amounts_are_formatted_exactly():
    assert format_amount(Decimal("1134400000000.000000")) == "1,134,400,000,000"
    assert format_amount(Decimal("12345678901234567890.123450")) == "12,345,678,901,234,567,890.12345"
    assert format_amount(Decimal("-0.500000")) == "-0.5"
    assert format_amount(Decimal("0E-6")) == "0"


def test_missing_pdf_means_no_links_and_a_note(tmp_path):
    warehouse = build_warehouse(tmp_path / "wh" / "report.duckdb")
    html = write_report_page(warehouse, tmp_path / "out").read_text(encoding="utf-8")
    assert "mini.pdf not found in" in html and "#page=" not in html


def test_single_face_font_keeps_the_tables_aligned():
    import importlib.util
    import struct

    spec = importlib.util.find_spec("paperang_p2_fonts_cjk")
    ttc = (Path(spec.origin).parent / "fonts" / "wqy-microhei.ttc").read_bytes()
    ttf = single_face_ttf(ttc)
    count = struct.unpack_from(">H", ttf, 4)[0]
    records = [struct.unpack_from(">4sIII", ttf, 12 + 16 * i) for i in range(count)]
    assert b"FFTM" not in {r[0] for r in records} and b"glyf" in {r[0] for r in records}
    assert all(offset % 4 == 0 and offset + length <= len(ttf) for _, _, offset, length in records)
    assert sum(struct.unpack(f">{len(ttf) // 4}I", ttf)) & 0xFFFFFFFF == 0xB1B0AFBA  # the head adjustment


def test_the_moea_report_page(report_warehouse, tmp_path):
    """The real report: its 13 chapters outlined, TWD and USD charted, the largest amount its 11,344 億元."""
    html = write_report_page(report_warehouse, tmp_path).read_text(encoding="utf-8")
    assert len(re.findall(r'<details class="chapter">', html)) == 13
    specs = _specs(html)
    anchor = "r-moea-101-achievements"
    assert {f"{anchor}-money-TWD-chapter", f"{anchor}-money-USD-chapter", f"{anchor}-growth"} <= set(specs)
    largest = html[html.index("<h3>Largest amounts</h3>"):]
    first = re.search(r'<td class="num">1</td><td class="num">([^<]+)</td>.*?<a href="([^"]+)">', largest, re.S)
    assert first.group(1) == "1,134,400,000,000"
    assert first.group(2).endswith("raw/moea-101-achievements.pdf#page=28")

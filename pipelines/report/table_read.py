"""Reading a table as a reader does: header rows and column paths, row-group labels carried down,
units by column with where they came from, total rows and columns.  Pure functions over the
merged-cell spans of one table part (a `RawTable`); nothing here knows a page or a coordinate.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .model import RawTable, Unit
from .rules import load_table_words
from .table_lattice import Span, spans_from_rows
from .units import lookup_unit

# A header has at most this many rows (deeper "headers" are data rows with text).
MAX_HEADER_ROWS = 4
# A column is a text (label) column when fewer than this share of its data cells are numbers.
TEXT_COLUMN_SHARE = 0.5

NUMBER_START = re.compile(r"^[+\-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%?$")
WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
CJK_SPACE = re.compile(rf"(?<={WIDE})\s+(?={WIDE})")


def words() -> dict[str, list[str]]:
    """The table language rules (rules/table_words.toml, read once)."""
    return load_table_words()


def squash(text: str) -> str:
    """NFKC with every whitespace removed (for matching words)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def tidy(text: str | None) -> str:
    """Cell text: lines joined (no separator between CJK), letter-spacing inside CJK dropped."""
    from .tables import clean_cell  # the one line-joining rule

    return CJK_SPACE.sub("", clean_cell(text))


def is_number(text: str) -> bool:
    return bool(NUMBER_START.match(unicodedata.normalize("NFKC", text).strip()))


@dataclass
class Sheet:
    """One table part: elementary grid with the merged cell covering each position."""

    n_rows: int
    n_cols: int
    text: list[list[str]]  # text of the cell covering (r, c)
    origin: list[list[bool]]  # (r, c) is its cell's top-left position
    tall: list[list[bool]]  # the covering cell spans several rows
    wide: list[list[bool]]  # the covering cell spans several columns
    start: list[list[int]]  # first row of the covering cell
    header_rows: int = 1
    col_paths: list[str] = field(default_factory=list)
    indents: dict[tuple[int, int], float] = field(default_factory=dict)  # (r, c) of a cell's origin -> its text's indent


def sheet_of(raw: RawTable) -> Sheet | None:
    spans = raw.spans or spans_from_rows(raw.rows)
    indents = raw.indents if len(raw.indents) == len(spans) else (None,) * len(spans)
    kept = _kept_spans(list(spans))
    spans = [sp for _, sp in kept]
    if not spans:
        return None
    nr, nc = max(s[1] for s in spans), max(s[3] for s in spans)
    text = [[""] * nc for _ in range(nr)]
    origin = [[False] * nc for _ in range(nr)]
    tall = [[False] * nc for _ in range(nr)]
    wide = [[False] * nc for _ in range(nr)]
    start = [[r] * nc for r in range(nr)]
    for r0, r1, c0, c1, t in spans:
        t = tidy(t)
        for r in range(r0, r1):
            for c in range(c0, c1):
                text[r][c], tall[r][c], wide[r][c], start[r][c] = t, r1 - r0 > 1, c1 - c0 > 1, r0
        origin[r0][c0] = True
    sheet = Sheet(nr, nc, text, origin, tall, wide, start)
    sheet.indents = {(sp[0], sp[2]): indents[k] for k, sp in kept if indents[k] is not None}
    sheet.header_rows = _header_rows(sheet)
    sheet.col_paths = [column_path(sheet, c) for c in range(nc)]
    return sheet


def _drop_empty(spans: list[Span]) -> list[Span]:
    """Renumber rows and columns so that none is without text (a ruled but empty strip)."""
    return [sp for _, sp in _kept_spans(spans)]


def _kept_spans(spans: list[Span]) -> list[tuple[int, Span]]:
    """(index in `spans`, renumbered span) of the spans that keep a row and a column."""
    if not spans:
        return []
    nr, nc = max(s[1] for s in spans), max(s[3] for s in spans)
    rows_used, cols_used = set(), set()
    for r0, r1, c0, c1, t in spans:
        if tidy(t):
            rows_used.update(range(r0, r1))
            cols_used.update(range(c0, c1))
    rmap = {r: i for i, r in enumerate(sorted(rows_used))}
    cmap = {c: i for i, c in enumerate(sorted(cols_used))}
    out = []
    for k, (r0, r1, c0, c1, t) in enumerate(spans):
        rs = [rmap[r] for r in range(r0, r1) if r in rmap]
        cs = [cmap[c] for c in range(c0, c1) if c in cmap]
        if rs and cs:
            out.append((k, (rs[0], rs[-1] + 1, cs[0], cs[-1] + 1, t)))
    return out if rmap and cmap and nr and nc else []


def _header_rows(s: Sheet) -> int:
    """Row 0 is the header; more rows join it while a header cell reaches down into them, or the
    row above holds a group heading (a cell over several columns) and this row holds no number."""
    h = 1
    while h < min(s.n_rows - 1, MAX_HEADER_ROWS):
        reaches = any(s.start[h][c] < h and s.text[h][c] for c in range(s.n_cols))
        grouped = any(s.wide[h - 1][c] and s.text[h - 1][c] for c in range(s.n_cols))
        numbers = any(s.origin[h][c] and is_number(s.text[h][c]) for c in range(s.n_cols))
        if numbers or not (reaches or grouped):
            break
        h += 1
    return h


def column_path(s: Sheet, c: int) -> str:
    """Header texts over column c, top to bottom, a merged cell counted once: 本年度/金額."""
    parts: list[str] = []
    for r in range(s.header_rows):
        t = s.text[r][c]
        if t and (not parts or parts[-1] != t):
            parts.append(t)
    return "/".join(parts)


def label_columns(s: Sheet) -> list[int]:
    """The leading text columns that make up a row's label: the first one, then each next text
    column while the one before it is a row-group column (cells spanning rows, or left blank
    under a group name)."""
    data = range(s.header_rows, s.n_rows)
    text_cols = [c for c in range(s.n_cols) if _text_share(s, c, data) < TEXT_COLUMN_SHARE]
    if not text_cols or text_cols[0] != 0:
        return [0]
    out = [0]
    for c in range(1, s.n_cols):
        if c not in text_cols or not _is_group_column(s, c - 1, data):
            break
        out.append(c)
    return out


def _text_share(s: Sheet, c: int, rows) -> float:
    filled = [s.text[r][c] for r in rows if s.origin[r][c] and s.text[r][c]]
    return sum(is_number(t) for t in filled) / len(filled) if filled else 0.0


def _is_group_column(s: Sheet, c: int, rows) -> bool:
    tall = any(s.tall[r][c] and not s.wide[r][c] for r in rows)
    blank_beside = any(not s.text[r][c] and s.text[r][c + 1] for r in rows)
    return tall or blank_beside


def row_paths(s: Sheet, labels: list[int], carry: list[str]) -> tuple[list[str], list[str]]:
    """The label path of every data row (斗六市/公正里); group names carried down, starting from
    `carry` (the last group names of the part before, for a table continued from a page before).
    Returns (paths, the carry for the next part)."""
    carry = list(carry) + [""] * (len(labels) - len(carry))
    paths = []
    for r in range(s.header_rows, s.n_rows):
        parts = []
        for k, c in enumerate(labels):
            t = s.text[r][c]
            if k < len(labels) - 1:  # a group column: blank means "same group as above"
                if t:
                    carry[k] = t
                t = carry[k]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        paths.append("/".join(parts))
    return paths, carry


# --- units by column ------------------------------------------------------------------------

UNIT_LINE = re.compile(r"單\s*位\s*[:：]\s*(.+)$")


def _ends(text: str, key: str) -> bool:
    t = squash(text)
    return any(t.endswith(w) for w in words()[key])


def is_rate(path: str) -> bool:
    last = path.split("/")[-1] if path else ""
    return _ends(last, "rate_suffixes") or _ends(re.sub(r"\(.*?\)", "", squash(last)), "rate_suffixes")


# Rates that are no share of a whole: a price (匯率), a count per time (頻率), per thousand people (出生率).
NOT_PERCENT_RATES = ("匯率", "頻率", "功率", "出生率", "死亡率", "生育率", "結婚率", "離婚率")


def rate_percent(path: str) -> bool:
    """A column headed by a rate or share (稅率, 成長率, 人口比重: the last header level ending in a
    percent_headers word) holds percentages unless a unit says otherwise."""
    last = re.sub(r"\(.*?\)", "", squash(path.split("/")[-1] if path else ""))
    return (any(last.endswith(w) for w in words()["percent_headers"])
            and not any(last.endswith(w) for w in NOT_PERCENT_RATES))


def is_count(path: str) -> bool:
    last = path.split("/")[-1] if path else ""
    return _ends(re.sub(r"\(.*?\)", "", squash(last)), "count_suffixes")


def header_level_unit(level: str) -> Unit | None:
    """A unit a header level states: in brackets (經費（億元）, (千元), (%)), or the level is a
    percent word itself (%, 百分比, 比率, 率)."""
    from .tables import header_unit

    unit = header_unit(level)
    if unit is not None:
        return unit
    t = squash(level)
    if t in words()["percent_headers"]:
        return lookup_unit("%")
    return None


def path_unit(path: str) -> Unit | None:
    """The deepest header level stating a unit wins (本年度/金額(千元) -> 千元)."""
    for level in reversed(path.split("/")):
        unit = header_level_unit(level)
        if unit is not None:
            return unit
    return None


def unit_lines(lines) -> list[tuple[str | None, str, Unit]]:
    """'單位：金額(千元)' -> [('金額', '千元', 千元)]; '單位：新臺幣億元' -> [(None, '新臺幣億元', 億元)];
    '單位：人；千元' -> two entries."""
    from .tables import as_unit

    out = []
    for line in lines:
        m = UNIT_LINE.search(unicodedata.normalize("NFKC", line))
        if not m:
            continue
        rest = re.split(r"\s{2,}", m.group(1).strip())[0]
        for part in re.split(r"[,，;；、]", rest):
            part = squash(part).strip("()")
            q = re.fullmatch(r"(.+?)[(:](.+?)\)?", part)
            qual, written = (q.group(1), q.group(2)) if q else (None, part)
            unit = as_unit(written)
            if unit is not None:
                out.append((qual, written, unit))
    return out


def line_unit_for(path: str, hints: list[tuple[str | None, str, Unit]]) -> Unit | None:
    """Which unit-line unit governs this column: a qualified one ('金額(千元)') the columns holding
    amounts (not rates, not counts) or those naming the qualifier; an unqualified one every column
    except rates (unless it is itself a percent)."""
    for qual, _, unit in hints:
        if unit.dimension == "percent":
            return unit
        if is_rate(path):
            continue
        if qual is None:
            return unit
        if qual in squash(path) or (qual in words()["amount_qualifiers"] and not is_count(path)):
            return unit
    return None


def is_total_text(text: str) -> bool:
    """合計 / 總計 / 小計 … as the label, or a label ending in one (一、工業合計)."""
    t = re.sub(r"\(.*?\)", "", squash(text))
    return any(t == w or t.endswith(w) for w in words()["total_words"]) or t.lower() in ("total", "subtotal",
                                                                                      "grandtotal")


def is_total_path(path: str) -> bool:
    return any(is_total_text(p) for p in path.split("/") if p)


# --- title and notes ------------------------------------------------------------------------


def title_of(above, below) -> str | None:
    """The table's title line: one starting with a table label (表3-2, 附表、) or ending like one
    (…統計表), above the table (nearest last) or else just under it."""
    from .tables import TABLE_LABEL

    def head(line: str) -> str:  # the line without a unit or date printed at its right
        return re.split(r"\s{2,}|單\s*位\s*[:：]|製\s*表\s*日\s*期", unicodedata.normalize("NFKC", line))[0]

    def titled(line: str) -> bool:
        t = squash(head(line))
        return bool(TABLE_LABEL.match(t)) or any(t.endswith(w) for w in words()["title_suffixes"])

    for line in list(reversed(above)) + list(below[:1]):
        if titled(line):
            return re.sub(r"\s+", " ", head(line)).strip().rstrip("(（[［").strip()
    return None


# A paragraph or list marker opening a line (on squashed text): 一、 （一） 1. (1) 1、
MARKER = re.compile(r"^(?:[壹貳參肆伍陸柒捌玖拾]+、|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、．](?!\d))")
# What may follow a note word for the line to open a note: a colon, a number (註1, 註一：), nothing.
NOTE_TAIL = re.compile(r"^(?:s?$|s?[:：.、．]|\(?\d|\(?[一二三四五六七八九十]+\)?(?:[:：.、．]|$))")


def note_start(line: str) -> bool:
    """Does the line open a note: 註：, 註1：, 說明：, 資料來源：, Note:, numbered too (一、說明：…);
    not prose that starts with such a word (註冊…, 說明會…)."""
    t = MARKER.sub("", squash(line), count=1)
    for p in words()["note_prefixes"]:
        if t.lower().startswith(p.lower()) and NOTE_TAIL.match(t[len(p):]):
            return True
    return False


def opens_other(line: str) -> bool:
    """A line that starts something else than a note: a table label (表3-3 …, 附表二) or a unit line."""
    from .tables import TABLE_LABEL

    t = unicodedata.normalize("NFKC", line)
    return bool(TABLE_LABEL.match(squash(t))) or bool(re.match(r"^\s*\(?\s*單\s*位\s*[:：]", t))


def notes_of(below) -> str:
    """Note lines under a table: from the first 註 / 說明 / 資料來源 line on (一、說明：… too), joined;
    up to a line opening a table or a unit line (the next table's)."""
    out: list[str] = []
    for line in below:
        if out and opens_other(line):
            break
        if not out and not note_start(line):
            continue
        out.append(line.strip())
    return "\n".join(out)


# --- totals reconcile -----------------------------------------------------------------------


def is_additive(path: str) -> bool:
    """Can a column's figures be summed (counts, amounts), or not (rates, means, medians)?"""
    last = re.sub(r"\(.*?\)", "", squash(path.split("/")[-1] if path else ""))
    return bool(last) and not any(last.endswith(w) for w in words()["non_additive_suffixes"])


def _places(text: str) -> int:
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def sum_holds(total: tuple, parts: list[tuple]) -> bool:
    """Does the total (value, text) equal the sum of the parts' within the printed rounding (half a
    last digit for each figure)?"""
    places = max([_places(total[1])] + [_places(p[1]) for p in parts])
    tolerance = (len(parts) + 1) * Decimal(5) * Decimal(10) ** -(places + 1)
    return abs(sum(p[0] for p in parts) - total[0]) <= tolerance


def total_mismatches(rows: list[tuple[str, bool, dict[int, tuple]]], additive: set[int]) -> int | None:
    """How many total cells differ from the sum of their parts beyond the table's rounding.

    rows: (row path, is total, {col: (value, text)}) in order.  A total whose path has a group
    (斗六市/合計) sums the group's other rows; a total alone (總計) sums the subtotals, or every
    non-total row when there are none.  None when the table has no total to check."""
    checked = bad = 0
    for i, (path, total, vals) in enumerate(rows):
        if not total:
            continue
        group = path.split("/")[0] if "/" in path else None
        if group is not None and not is_total_text(group):
            parts = [r for r in rows if not r[1] and r[0].split("/")[0] == group]
        else:
            subs = [r for r in rows if r[1] and r is not rows[i] and "/" in r[0] and not is_total_text(r[0].split("/")[0])]
            parts = subs or [r for r in rows if not r[1]]
        for c in additive:
            if c not in vals or not parts or any(c not in r[2] for r in parts):
                continue
            got = sum(r[2][c][0] for r in parts)
            places = max([_places(vals[c][1])] + [_places(r[2][c][1]) for r in parts])
            # each printed part and the total are rounded to `places`: half a last digit each
            tolerance = (len(parts) + 1) * Decimal(5) * Decimal(10) ** -(places + 1)
            checked += 1
            bad += abs(got - vals[c][0]) > tolerance
    return bad if checked else None

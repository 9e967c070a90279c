"""Budget-book (預算書) pages for the budget-table tests, drawn the way the central government's
books print them, with their ground truth.

Two forms:

* ``make_revenue_table`` -- 歲入來源別預算表 (the MOI budget book, page 46): a title block (agency,
  title, 中華民國114年度, then 經資門併計 at the left and 單位：新臺幣千元 at the right on the year's
  line), a header boxed with rules (科目 over 款|項|目|節|名稱及編號, then 本年度預算數, 上年度預算數,
  前年度決算數, 本年度與上年度比較, 說明, the two-line headings printed on two lines), and a body
  ruled with vertical column rules only (no rule between rows, one under the last row).  A row is
  an account-code line (0400000000, smaller, indented) over the name line; the 款/項/目/節 numbering,
  the amounts and the start of the 說明 note sit on the name line; a zero amount prints '-'; the
  note wraps over 2-4 lines and the next row starts under it.  The 合計 row comes first (letter
  spaced over the name column, no code).
* ``make_program_table`` -- 歲出計畫提要及分支計畫概況表 (page 101): a boxed line 工作計畫名稱及編號 |
  3708012700 土地測量 | 預算金額 | amount, a boxed header 分支計畫及用途別科目 | 金額 | 承辦單位 | 說明;
  body rows with code and name on one line ('05 智慧衛星…', '1000 人事費', '1040 加班費'),
  indented by depth, a long name wrapped to a second line; 承辦單位 and a prose 說明 (several
  paragraphs, running down beside the branch's children) on the 分支計畫's row.

Amounts are consistent: change = this year - last year in every row, a parent is the sum of its
children, 合計 the sum of the 款, the work plan's 預算金額 the sum of its 分支計畫.

Options (``BudgetStyle``): the CJK face (tests.pdfgen SANS or MONO: WenQuanYi Micro Hei and Micro
Hei Mono, the two faces of the one bundled font collection), the body size, a frame around the
whole page (title block inside it), the title lines in fake bold (each glyph drawn twice at the
same place), two pages (the table continued on page 2 with the title block and header repeated;
page 2 starts under a 項 whose 款 is on page 1).

Each maker returns a ``BudgetTruth``: the rows and the cells a reader must give (row path, own
name, code, depth, column header path, text, value, column role), the title, unit and header.
Text is the printed lines joined: every wrap is cut between two CJK characters, so the lines join
with nothing between them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from tests.pdfgen import SANS, Font, register_font

AGENCY = "內政部"
REVENUE_TITLE = "歲入來源別預算表"
PROGRAM_TITLE = "歲出計畫提要及分支計畫概況表"
YEAR_LINE = "中華民國114年度"
LEFT_NOTE = "經資門併計"
UNIT_LINE = "單位：新臺幣千元"
UNIT_HINT = "新臺幣千元"
UNIT = "千元"

# column header paths of the revenue table, and the role of each column
SUBJECT = ("科目/款", "科目/項", "科目/目", "科目/節", "科目/名稱及編號")
THIS, LAST, PRIOR, CHANGE, NOTE = "本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較", "說明"
AMOUNTS = (THIS, LAST, PRIOR, CHANGE)
REVENUE_HEADER = (*SUBJECT, *AMOUNTS, NOTE)
ROLES = {THIS: "this_year_budget", LAST: "last_year_budget", PRIOR: "prior_year_actual", CHANGE: "change",
         NOTE: "note"}
# the program table's
P_LABEL, P_AMOUNT, P_OFFICE, P_NOTE = "分支計畫及用途別科目", "金額", "承辦單位", "說明"
PROGRAM_HEADER = (P_LABEL, P_AMOUNT, P_OFFICE, P_NOTE)
PROGRAM_ROLES = {P_AMOUNT: "this_year_budget", P_OFFICE: "other", P_NOTE: "note"}
WORK_PLAN = ("3708012700", "土地測量")

# the two-page revenue table breaks before this row: 使用規費收入 (a 目) starts page 2 under the
# 項 內政部 and the 款 規費收入 of page 1
BREAK_CODE = "0508010300"


@dataclass(frozen=True)
class BudgetStyle:
    font: Font = SANS
    size: float = 10.0  # body size; the sizes the tests use: 9 and 10.5 (A4 portrait holds 10.5)
    framed: bool = False  # a rectangle around the whole page, the title block inside it
    fake_bold: bool = False  # agency and title lines: each glyph drawn twice at the same place
    pages: int = 1  # 2: the revenue table continued on a second page


@dataclass(frozen=True)
class ExpectedRow:
    row_no: int  # 1-based, in print order over every page
    path: tuple[str, ...]  # own names from the top level down: ('罰款及賠償收入', '內政部', '賠償收入')
    name: str  # the row's own name, no code or numbering
    code: str | None  # account code (0408010300, 1000, 05); None for 合計
    depth: int | None  # 1 for a 款 / 分支計畫, 2 for its children ...; None for 合計 (outside the tree)
    parent_row_no: int | None  # None at the top level (and for 合計)
    is_total: bool
    page_index: int  # the page its name line is printed on
    numbering: str | None  # the 款/項/目/節 number printed on the name line (revenue table)
    values: dict[str, int]  # column header -> amount (0 where '-' is printed)
    texts: dict[str, str]  # column header -> text as printed ('1,786', '-', the note)

    @property
    def label(self) -> str:
        return "/".join(self.path)


@dataclass(frozen=True)
class ExpectedCell:
    path: tuple[str, ...]
    name: str
    code: str | None
    depth: int | None
    col_label: str
    text: str
    value: Decimal | None  # None for text; Decimal(0) for '-'
    role: str
    is_total: bool
    page_index: int
    row_no: int

    @property
    def row_label(self) -> str:
        return "/".join(self.path)


@dataclass
class BudgetTruth:
    form: str  # "revenue" or "program"
    title: str
    agency: str
    unit_hint: str  # 新臺幣千元
    unit: str  # 千元, the unit every amount is in
    header: tuple[str, ...]  # one header path per column
    roles: dict[str, str]  # column header -> column_role
    pages: tuple[int, ...]
    rows: list[ExpectedRow] = field(default_factory=list)
    cells: list[ExpectedCell] = field(default_factory=list)
    title_block: tuple[str, ...] = ()  # every string printed above the header

    def row(self, label: str) -> ExpectedRow:
        return next(r for r in self.rows if r.label == label)

    def children(self, row: ExpectedRow) -> list[ExpectedRow]:
        return [r for r in self.rows if r.parent_row_no == row.row_no]


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------

# (code, numbering, name, (this, last, prior) for a leaf, note, children)
REVENUE_TREE = [
    ("0400000000", "2", "罰款及賠償收入", None, None, [
        ("0408010000", "66", "內政部", None, None, [
            ("0408010100", "1", "罰金罰鍰及怠金", None, None, [
                ("0408010101", "1", "罰金罰鍰", (0, 0, 1267),
                 "前年度決算數係違反臺灣地區與大陸地區人民關係條例第33條規定等罰鍰收入。", []),
            ]),
            ("0408010300", "2", "賠償收入", None, None, [
                ("0408010301", "1", "一般賠償收入", (1786, 1786, 8518),
                 "本年度預算數1,786千元，係廠商違約逾期交貨之賠償收入。", []),
            ]),
        ]),
    ]),
    ("0500000000", "3", "規費收入", None, None, [
        ("0508010000", "53", "內政部", None, None, [
            ("0508010100", "1", "行政規費收入", None, None, [
                ("0508010101", "1", "審查費", (11415, 11371, 12254),
                 "本年度預算數係審查舖設維護變更海底電纜或管道許可案、申請測繪業許可案、審查不動產經紀人"
                 "專業訓練等收入。", []),
                ("0508010102", "2", "證照費", (17466, 17478, 18837),
                 "本年度預算數核發禮儀師證書、國籍證書、不動產估價師證照、地政士證書等收入。", []),
            ]),
            ("0508010300", "2", "使用規費收入", None, None, [
                ("0508010303", "1", "資料使用費", (14377, 14027, 13993),
                 "本年度預算數係供應戶口統計資料、不動產成交案件實際資訊、發售各類地圖等收入。", []),
                ("0508010307", "2", "服務費", (15839, 15839, 27127),
                 "本年度預算數係受託辦理都市計畫樁清理與補建服務費等收入。", []),
            ]),
        ]),
    ]),
    ("0700000000", "4", "財產收入", None, None, [
        ("0708010000", "56", "內政部", None, None, [
            ("0708010200", "1", "財產孳息", None, None, [
                ("0708010201", "1", "租金收入", (5120, 4986, 5003),
                 "本年度預算數係出租辦公廳舍及場地之租金收入。", []),
            ]),
            ("0708010300", "2", "廢舊物資售價", None, None, [
                ("0708010301", "1", "廢舊物資售價", (35, 40, 61), None, []),
            ]),
        ]),
    ]),
]

# (code, name, amount for a leaf, office, note paragraphs, children)
PROGRAM_TREE = [
    ("05", "智慧衛星定位及移動測圖科技發展計畫", None, "國土測繪中心", [
        "辦理發展無人行動載具即時動態精密單點定位服務系統、衛星定位資料解算及跨領域資料整合應用，"
        "本年度所需經費11,861千元，辦理工作如下：",
        "（一）人事費11千元。",
        "（二）業務費8,681千元：委託辦理連續觀測站資料解算及跨領域資料整合應用等經費。",
        "（三）設備及投資2,969千元：汰換移動站型衛星定位接收儀等經費。",
    ], [
        ("1000", "人事費", None, None, None, [("1040", "加班費", 11, None, None, [])]),
        ("2000", "業務費", None, None, None, [
            ("2018", "資訊服務費", 150, None, None, []),
            ("2039", "委辦費", 4500, None, None, []),
            ("2051", "物品", 230, None, None, []),
            ("2054", "一般事務費", 1900, None, None, []),
            ("2072", "國內旅費", 1901, None, None, []),
        ]),
        ("3000", "設備及投資", None, None, None, [
            ("3020", "機械設備費", 2600, None, None, []),
            ("3030", "資訊軟硬體設備費", 369, None, None, []),
        ]),
        ("4000", "獎補助費", None, None, None, [
            ("4030", "對特種基金之補助", 50, None, None, []),
            ("4040", "對國內團體之捐助", 140, None, None, []),
            ("4045", "對私校之獎助", 10, None, None, []),
        ]),
    ]),
    ("06", "國土測繪資料加值應用計畫", None, "地政司", [
        "推動國土測繪成果之加值應用，本年度所需經費2,450千元，辦理工作如下：",
        "（一）業務費2,450千元：辦理測繪成果供應及教育訓練等經費。",
    ], [
        ("2000", "業務費", None, None, None, [
            ("2003", "教育訓練費", 320, None, None, []),
            ("2018", "資訊服務費", 2130, None, None, []),
        ]),
    ]),
]


def money(n: int) -> str:
    """1786 -> '1,786'; 0 -> '-' (as budget books print a zero); -12 -> '-12'."""
    return "-" if n == 0 else f"{n:,}"


def _wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def wrap_cjk(text: str, width: int) -> list[str]:
    """At most `width` characters a line, every cut between two CJK characters (moved back if
    needed), so the lines join back with nothing between them."""
    lines, rest = [], text
    while len(rest) > width:
        cut = width
        while cut > 1 and not (_wide(rest[cut - 1]) and _wide(rest[cut])):
            cut -= 1
        if cut == 1:
            cut = width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return [*lines, rest] if rest else lines


# --------------------------------------------------------------------------------------------
# drawing
# --------------------------------------------------------------------------------------------

W, H = A4
NOTE_CHARS = 12  # 說明 characters a line, revenue table
PROSE_CHARS = 17  # 說明 characters a line, program table


class _Pen:
    def __init__(self, c: canvas.Canvas, face: str):
        self.c, self.face = c, face

    def width(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, self.face, size)

    def text(self, x: float, y: float, s: str, size: float, align: str = "left", bold: bool = False) -> None:
        if align == "right":
            x -= self.width(s, size)
        elif align == "centre":
            x -= self.width(s, size) / 2
        self.c.setFont(self.face, size)
        for _ in range(2 if bold else 1):  # fake bold: the same glyphs again at the same place
            self.c.drawString(x, y, s)

    def spread(self, x0: float, x1: float, y: float, s: str, size: float) -> None:
        """Letter-spaced over [x0, x1]: first glyph at x0, last ending at x1 (科　目, 合　計)."""
        if len(s) == 1:
            return self.text((x0 + x1) / 2, y, s, size, "centre")
        step = (x1 - x0 - size) / (len(s) - 1)
        for i, ch in enumerate(s):
            self.text(x0 + i * step, y, ch, size)

    def line(self, x0, y0, x1, y1, w: float = 0.5) -> None:
        self.c.setLineWidth(w)
        self.c.line(x0, y0, x1, y1)


def _title_block(pen: _Pen, st: BudgetStyle, title: str, left: float, right: float, page_no: int) -> float:
    """Draw the title block; return the y of the header's top rule."""
    s = st.size
    pen.text(right, H - 42, f"(0801)-{39 + page_no:03d}", s, "right")  # the book's page label, right
    mid = (left + right) / 2
    y = H - 66
    pen.text(mid, y, AGENCY, 1.4 * s, "centre", bold=st.fake_bold)
    y -= 1.75 * s
    pen.text(mid, y, title, 1.6 * s, "centre", bold=st.fake_bold)
    y -= 1.45 * s
    pen.text(left, y, LEFT_NOTE, s)
    pen.text(mid, y, YEAR_LINE, s, "centre")
    pen.text(right, y, UNIT_LINE, s, "right")
    return y - 0.55 * s


def _frame(pen: _Pen, st: BudgetStyle) -> None:
    if st.framed:
        pen.c.setLineWidth(0.8)
        pen.c.rect(16, 16, W - 32, H - 32, stroke=1, fill=0)


def _edges(left: float, widths: list[float]) -> list[float]:
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    return xs


def _before_break(tree):
    """The tree as printed up to (not including) the row BREAK_CODE: a pre-order prefix."""
    stopped = False

    def cut(nodes):
        nonlocal stopped
        kept = []
        for code, num, name, leaf, note, kids in nodes:
            if stopped or code == BREAK_CODE:
                stopped = True
                break
            kept.append((code, num, name, leaf, note, cut(kids)))
        return kept

    return cut(tree)


def _flatten_revenue(tree) -> list[dict]:
    """Print-order rows of the revenue tree (合計 first), amounts summed up the tree."""
    total = {"code": None, "numbering": None, "name": "合計", "path": ("合計",), "depth": None, "parent": None,
             "note": None, "total": True}
    out: list[dict] = [total]

    def walk(node, path, depth, parent):
        code, num, name, leaf, note, kids = node
        row = {"code": code, "numbering": num, "name": name, "path": (*path, name), "depth": depth,
               "parent": parent, "note": note, "total": False}
        out.append(row)
        if kids:
            sums = [walk(k, row["path"], depth + 1, row) for k in kids]
            row["amounts"] = tuple(sum(x[i] for x in sums) for i in range(3))
        else:
            row["amounts"] = leaf
        return row["amounts"]

    sums = [walk(node, (), 1, None) for node in tree]
    total["amounts"] = tuple(sum(x[i] for x in sums) for i in range(3))
    return out


def make_revenue_table(path, style: BudgetStyle = BudgetStyle(),
                       misprint_prior: tuple[str, int] | None = None) -> BudgetTruth:
    """歲入來源別預算表 on one page (the rows before 使用規費收入) or, style.pages=2, the whole
    tree over two pages, page 2 starting at 使用規費收入.  Returns the ground truth.

    misprint_prior=(code, amount): print that 前年度決算數 in the row of `code` instead of the sum
    of its children (the truth records what is printed): one parent cell no longer adds up, and
    合計 over it neither."""
    if style.pages not in (1, 2):
        raise ValueError("pages: 1 or 2")
    rows = _flatten_revenue(REVENUE_TREE if style.pages == 2 else _before_break(REVENUE_TREE))
    if misprint_prior:
        row = next(r for r in rows if r["code"] == misprint_prior[0])
        row["amounts"] = (*row["amounts"][:2], misprint_prior[1])
    face = register_font(style.font)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pen = _Pen(c, face)
    s = style.size
    code_size = 0.85 * s
    pitch = 1.42 * s
    numbers = [money(v) for r in rows for v in (*r["amounts"], r["amounts"][0] - r["amounts"][1])]
    num_w = max(pen.width(t, s) for t in numbers)
    name_w = max(max(pen.width(r["name"], s) for r in rows),
                 max(s + pen.width(r["code"], code_size) for r in rows if r["code"]))
    widths = [1.5 * s, 1.9 * s, 1.5 * s, 1.5 * s, name_w + 1.0 * s,
              *[max(num_w, pen.width("上年度比較", s)) + 1.0 * s] * 4, NOTE_CHARS * s + 0.8 * s]
    left = (W - sum(widths)) / 2
    xs = _edges(left, widths)
    right = xs[-1]
    if left < (26 if style.framed else 20):
        raise ValueError(f"size {s} is too wide for A4 portrait")
    bottom_limit = 40 if style.framed else 36

    truth = BudgetTruth("revenue", REVENUE_TITLE, AGENCY, UNIT_HINT, UNIT, REVENUE_HEADER, dict(ROLES), ())
    truth.title_block = ("(0801)", AGENCY, REVENUE_TITLE, YEAR_LINE, LEFT_NOTE, UNIT_LINE)

    def page_start(page_no: int) -> float:
        _frame(pen, style)
        top = _title_block(pen, style, REVENUE_TITLE, left, right, page_no)
        hh = 1.4 * s  # each of the two header rows
        mid_y, bot = top - hh, top - 2 * hh
        pen.line(xs[0], top, right, top)
        pen.line(xs[0], bot, right, bot)
        pen.line(xs[0], mid_y, xs[5], mid_y)  # under 科目
        for k, x in enumerate(xs):
            pen.line(x, mid_y if 0 < k < 5 else top, x, bot)
        base = lambda y_top: y_top - 1.05 * s  # noqa: E731
        pen.spread(xs[0] + 0.6 * s, xs[5] - 0.6 * s, base(top), "科目", s)
        for k, word in enumerate(("款", "項", "目", "節", "名稱及編號")):
            pen.text((xs[k] + xs[k + 1]) / 2, base(mid_y), word, s, "centre")
        for k, (a, b) in enumerate((("本年度", "預算數"), ("上年度", "預算數"), ("前年度", "決算數"),
                                    ("本年度與", "上年度比較")), start=5):
            pen.text((xs[k] + xs[k + 1]) / 2, base(top), a, s, "centre")
            pen.text((xs[k] + xs[k + 1]) / 2, base(mid_y), b, s, "centre")
        pen.spread(xs[9] + 2.0 * s, xs[10] - 2.0 * s, top - hh - 0.35 * s, "說明", s)
        return bot

    def page_end(y_body_top: float, y: float) -> None:
        bot = y - 0.4 * pitch
        for x in xs:
            pen.line(x, y_body_top, x, bot)
        pen.line(xs[0], bot, right, bot)

    page_no = 0
    body_top = page_start(page_no)
    y = body_top - 0.2 * pitch  # the top of the next free line slot
    row_nos: dict[int, int] = {}
    for n, r in enumerate(rows, start=1):
        row_nos[id(r)] = n
        note_lines = wrap_cjk(r["note"], NOTE_CHARS) if r["note"] else []
        need = (1 if r["code"] else 0) + max(1, len(note_lines))
        if (style.pages == 2 and r["code"] == BREAK_CODE) or y - need * pitch < bottom_limit:
            if style.pages == 1 or page_no == 1:
                raise ValueError(f"the table does not fit (row {r['name']}, size {s})")
            page_end(body_top, y)
            c.showPage()
            page_no += 1
            body_top = page_start(page_no)
            y = body_top - 0.2 * pitch
        if r["code"]:
            y -= pitch
            pen.text(xs[4] + 1.0 * s, y + 0.25 * pitch, r["code"], code_size)
        y -= pitch
        base = y + 0.25 * pitch
        if r["total"]:
            pen.spread(xs[4] + 0.3 * s, xs[5] - 0.5 * s, base, r["name"], s)
        else:
            k = r["depth"] - 1  # 款 1 -> column 0 ...
            pen.text(xs[k] + 0.25 * s, base, r["numbering"], s)
            pen.text(xs[4] + 0.3 * s, base, r["name"], s)
        this, last, prior = r["amounts"]
        change = this - last
        texts = {THIS: money(this), LAST: money(last), PRIOR: money(prior), CHANGE: money(change)}
        for k, col in enumerate(AMOUNTS, start=5):
            pen.text(xs[k + 1] - 0.35 * s, base, texts[col], s, "right")
        for i, line in enumerate(note_lines):
            pen.text(xs[9] + 0.35 * s, base - i * pitch, line, s)
        y -= (max(1, len(note_lines)) - 1) * pitch
        values = {THIS: this, LAST: last, PRIOR: prior, CHANGE: change}
        if r["note"]:
            texts[NOTE] = r["note"]
        parent = row_nos[id(r["parent"])] if r["parent"] else None
        truth.rows.append(ExpectedRow(n, r["path"], r["name"], r["code"], r["depth"], parent, r["total"], page_no,
                                      r["numbering"], values, texts))
    page_end(body_top, y)
    c.showPage()
    c.save()
    truth.pages = tuple(range(page_no + 1))
    truth.cells = _cells(truth)
    return truth


def _cells(truth: BudgetTruth) -> list[ExpectedCell]:
    out = []
    for r in truth.rows:
        for col in truth.header:
            if col not in r.texts:
                continue
            value = Decimal(r.values[col]) if col in r.values else None
            out.append(ExpectedCell(r.path, r.name, r.code, r.depth, col, r.texts[col], value, truth.roles[col],
                                    r.is_total, r.page_index, r.row_no))
    return out


def make_program_table(path, style: BudgetStyle = BudgetStyle()) -> BudgetTruth:
    """歲出計畫提要及分支計畫概況表 (one page; style.pages is ignored).  Returns the ground truth."""
    face = register_font(style.font)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pen = _Pen(c, face)
    s = style.size
    pitch = 1.42 * s
    # rows in print order, amounts summed up
    rows: list[dict] = []

    def walk(node, path, depth, parent):
        code, name, leaf, office, note, kids = node
        row = {"code": code, "name": name, "path": (*path, name), "depth": depth, "parent": parent,
               "office": office, "note": note}
        rows.append(row)
        row["amount"] = sum(walk(k, row["path"], depth + 1, row) for k in kids) if kids else leaf
        return row["amount"]

    plan_total = sum(walk(node, (), 1, None) for node in PROGRAM_TREE)
    label_chars = 15  # a label wider than this wraps (智慧衛星定位及移動測圖科技 / 發展計畫)
    widths = [(label_chars + 4.5) * s, 6.5 * s, 6.5 * s, PROSE_CHARS * s + 0.8 * s]
    left = (W - sum(widths)) / 2
    if left < (26 if style.framed else 20):
        raise ValueError(f"size {s} is too wide for A4 portrait")
    xs = _edges(left, widths)
    right = xs[-1]
    _frame(pen, style)
    top = _title_block(pen, style, PROGRAM_TITLE, left, right, 62)
    # the work plan line, boxed: 工作計畫名稱及編號 | 3708012700 土地測量 | 預算金額 | 1,006,592
    hh = 1.6 * s
    plan_cols = [xs[0], xs[0] + 9.5 * s, xs[2] + 0.5 * s, xs[3], right]
    for yy in (top, top - hh):
        pen.line(xs[0], yy, right, yy)
    for x in plan_cols:
        pen.line(x, top, x, top - hh)
    base = top - 1.15 * s
    pen.text(plan_cols[0] + 0.4 * s, base, "工作計畫名稱及編號", s)
    pen.text(plan_cols[1] + 0.4 * s, base, f"{WORK_PLAN[0]} {WORK_PLAN[1]}", s)
    pen.text((plan_cols[2] + plan_cols[3]) / 2, base, "預算金額", s, "centre")
    pen.text(right - 0.4 * s, base, money(plan_total), s, "right")
    # the column header, boxed
    htop, hbot = top - hh, top - 2 * hh
    pen.line(xs[0], hbot, right, hbot)
    for x in xs:
        pen.line(x, htop, x, hbot)
    base = htop - 1.15 * s
    pen.spread(xs[0] + 0.8 * s, xs[1] - 0.8 * s, base, P_LABEL, s)
    pen.spread(xs[1] + 1.2 * s, xs[2] - 1.2 * s, base, P_AMOUNT, s)
    pen.spread(xs[2] + 0.8 * s, xs[3] - 0.8 * s, base, P_OFFICE, s)
    pen.spread(xs[3] + 2.0 * s, xs[4] - 2.0 * s, base, P_NOTE, s)

    truth = BudgetTruth("program", PROGRAM_TITLE, AGENCY, UNIT_HINT, UNIT, PROGRAM_HEADER, dict(PROGRAM_ROLES),
                        (0,))
    truth.title_block = ("(0801)", AGENCY, PROGRAM_TITLE, YEAR_LINE, LEFT_NOTE, UNIT_LINE, "工作計畫名稱及編號",
                         WORK_PLAN[0], WORK_PLAN[1], "預算金額", money(plan_total))
    y = hbot - 0.2 * pitch
    note_bottom = y  # where the 說明 prose of the last 分支計畫 ends
    row_nos: dict[int, int] = {}
    for n, r in enumerate(rows, start=1):
        row_nos[id(r)] = n
        if r["depth"] == 1:
            y = min(y, note_bottom)  # a 分支計畫 starts under the prose of the one before
            if y != hbot - 0.2 * pitch:
                y -= 0.5 * pitch  # a little space between 分支計畫
        indent = xs[0] + 0.4 * s + (r["depth"] - 1) * s
        label = wrap_cjk(r["name"], label_chars - 2 * (r["depth"] - 1))
        y -= pitch
        base = y + 0.25 * pitch
        pen.text(indent, base, f"{r['code']} {label[0]}", s)
        pen.text(xs[2] - 0.4 * s, base, money(r["amount"]), s, "right")
        texts = {P_AMOUNT: money(r["amount"])}
        if r["office"]:
            pen.text(xs[2] + 0.4 * s, base, r["office"], s)
            texts[P_OFFICE] = r["office"]
        if r["note"]:
            ny = base
            for para in r["note"]:
                for k, line in enumerate(wrap_cjk(para, PROSE_CHARS - (0 if para == r["note"][0] else 1))):
                    x = xs[3] + 0.4 * s + (0 if para == r["note"][0] or k == 0 else s)
                    pen.text(x, ny, line, s)
                    ny -= pitch
            note_bottom = ny + 0.75 * pitch
            texts[P_NOTE] = "".join(r["note"])
        for more in label[1:]:  # the wrapped rest of a long name, under its start, one em in
            y -= pitch
            pen.text(indent + pen.width(r["code"] + " ", s) + 0 * s, y + 0.25 * pitch, more, s)
        parent = row_nos[id(r["parent"])] if r["parent"] else None
        truth.rows.append(ExpectedRow(n, r["path"], r["name"], r["code"], r["depth"], parent, False, 0, None,
                                      {P_AMOUNT: r["amount"]}, texts))
    bot = min(y, note_bottom) - 0.4 * pitch
    if bot < (40 if style.framed else 36):
        raise ValueError(f"the table does not fit (size {s})")
    for x in xs:
        pen.line(x, hbot, x, bot)
    pen.line(xs[0], bot, right, bot)
    c.showPage()
    c.save()
    truth.cells = _cells(truth)
    return truth

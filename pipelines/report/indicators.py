"""What a money amount measures (its indicator) and how to read it (its flags).

Plain Python, no Dagster and no database. Both functions take the sentence an amount stands in
(NFKC-normalised, line breaks removed) and the character span ``[start, end)`` of the amount in it.

``classify_money`` picks one indicator from ``INDICATORS`` by keyword rules kept as data in
``rules/indicator_keywords.csv`` (columns keyword, indicator, priority, note):

* Keywords are matched on the sentence with whitespace removed (the report's line breaks leave spaces
  inside words, e.g. ``成 長``) and with the contents of quoted names (「…」, 『…』, “…”, 《…》, 〈…〉) blanked
  out, since plan and event names (「創新研發生產平臺」) do not say what an amount is.
* A keyword occurrence that overlaps one of higher ``priority``, or sits inside a longer one of the
  same priority, does not count: ``研發投資`` (rd_spending) hides the ``投資`` in it, ``經濟部投資``
  (public_funding) hides ``投資``, ``研究經費`` hides ``經費``, ``投資`` hides the generic ``資金`` of
  ``投資金額``. Rows with indicator ``ignore`` only hide such words (``加工出口區`` is a place, not
  exports). Among the keywords left, the nearest one wins (see below); ``priority`` breaks ties.
* The amount's clause is the stretch of the sentence between ``，；、：`` (``,;:`` after NFKC; a comma
  between two digits is a thousands separator, not a clause break).
* Search order, the first scope with a keyword decides, and inside a scope the keyword nearest to the
  amount wins:
  1. before the amount in its clause (``取得政府補助逾 1,703 萬元`` -> public_funding);
  2. if the clause opens with ``其中`` ("of which"), before the amount anywhere in the sentence: the
     amount is a part of the total named earlier (``進口額 203 億美元…，其中約 84 億美元已適用優惠關稅``
     is imports, not tariffs);
  3. after the amount in its clause (``爭取近 4 億美元商機`` -> revenue);
  4. before the amount elsewhere in the sentence, then after it;
  5. otherwise ``other`` with keyword None.

``flags`` reports, for any amount (money or not). The span may include qualifiers the extractor kept
(``約 3.36 億美元``), and ``qualifier`` is the word it found (約, 逾, 以上, 累計, 預計, …):

* ``is_cumulative``: a running or multi-year total, not one year's flow. Qualifier 累計/累積/迄今;
  累計/累積/迄今/至今 or a span of years (``99 年至 101 年共投入``) before the amount in its clause;
  or a statement framed by 累計至…/迄今/至今, or by 截至/迄 … 累計, anywhere before the amount up to
  the previous semicolon. A figure "as of" a date without 累計 (``截至 101 年底，總投資金額``) is not.
* ``is_target``: a forecast or goal, not an achieved figure. Qualifier 預計/預估/預期/目標/可望;
  預計/預估/預期/估計/可望/目標 before it in the sentence with nothing in between that turns to what
  was achieved (已, 實績, 實際, a semicolon, a clause opening with 達成/達到), and not when the amount is
  a share of an earlier figure (``目標 11,000 億元之 100.71%``); 目標 after it in its clause
  (``以 100 億元為目標``); or 將 before it in its clause (not 將近, nor the 將 that puts a number
  first: ``將 5 億元…``). 目標達成率, 達成目標, 目標市場 … are not target words.
* ``is_approximate``: the qualifier is one of ``APPROXIMATE_QUALIFIERS`` (約, 逾, 超過, 近, 餘, 多, 以上,
  左右, 至少, 未滿 … — bounds count as approximate; 高達/多達 are emphasis, not vagueness);
  or 約/大約/逾/超過/近/將近/接近/至少/不到/未滿 directly before the number, 餘/多/強 between the number
  and its unit (``3 億餘元``), or 以上/以下/餘/左右/許 directly after the amount.
* ``comparison``/``base_year``/``direction``: when the amount directly follows a change verb or a
  change-rate noun (成長, 增加, 減少, 下滑, 提升, 成長率, 減幅 …) it is a change, not a level.
  ``comparison`` is ``"change_vs_year"`` with ``base_year`` the ROC year as written when the base is a
  stated year (``較 100 年成長 22.35%`` -> 100), taken from the clause, else from the last earlier
  ``較 N 年`` (or ``自 N 年…成長至``) in the same sentence, since ``其中出口…，成長 2.55%`` shares it;
  ``"change_vs_previous_year"`` for 較上年/去年/前一年 and 年增率 (base_year None: the caller knows
  the report year); ``"change"`` when no base is stated; otherwise all three are None.
  ``direction`` is ``"up"`` or ``"down"`` (the printed figure is unsigned: ``減少 3.0%`` is a fall of
  3 points), None for a rate noun that does not say the sign (成長率達 47%).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .rules import RULES_DIR, KeywordRule, load_indicator_keywords, load_qualifiers

INDICATORS: tuple[str, ...] = (
    "investment",
    "rd_spending",
    "output_value",
    "revenue",
    "trade",
    "public_funding",
    "financing",
    "guarantee",
    "savings",
    "fees_and_taxes",
    "capital",
    "other",
)
IGNORE = "ignore"  # indicator of rows that only shield a word from shorter keywords inside it
RULES_PATH = RULES_DIR / "indicator_keywords.csv"


@lru_cache(maxsize=None)
def load_rules(path: str | Path = RULES_PATH) -> tuple[KeywordRule, ...]:
    """Read the keyword rules, strongest first (priority, then length). Cached: read once per path."""
    rules = load_indicator_keywords(path, INDICATORS + (IGNORE,))
    return tuple(sorted(rules, key=lambda r: (-r.priority, -len(r.keyword), r.keyword)))


# --------------------------------------------------------------------------------------------------
# Text helpers: everything is done on a "compact" copy of the sentence (full-width ASCII folded to
# half-width, whitespace removed) with a map back to the caller's offsets.

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_CLAUSE_BREAKS = set(",;:、。!?")
_QUOTES = {"「": "」", "『": "』", "“": "”", "《": "》", "〈": "〉"}
_MASK = "\u25a1"  # □, never part of a keyword


def _squeeze(text: str) -> str:
    return "".join(text.translate(_FOLD).split())


@dataclass(frozen=True)
class _Compact:
    text: str
    cs: int  # amount start in text
    ce: int  # amount end in text
    clause_start: int
    clause_end: int

    @property
    def before(self) -> str:
        """Text of the clause before the amount."""
        return self.text[self.clause_start : self.cs]

    @property
    def after(self) -> str:
        return self.text[self.ce : self.clause_end]


def _compact(sentence: str, start: int, end: int) -> _Compact:
    if not (0 <= start < end <= len(sentence)):
        raise ValueError(f"bad span [{start}, {end}) for a sentence of {len(sentence)} characters")
    folded = sentence.translate(_FOLD)
    keep = [i for i, c in enumerate(folded) if not c.isspace()]
    text = "".join(folded[i] for i in keep)
    cs, ce = bisect_left(keep, start), bisect_left(keep, end)
    if cs >= ce:
        raise ValueError(f"span [{start}, {end}) holds only whitespace")
    breaks = [i for i, c in enumerate(text) if _is_break(text, i)]
    clause_start = max((b + 1 for b in breaks if b < cs), default=0)
    clause_end = min((b for b in breaks if b >= ce), default=len(text))
    return _Compact(text, cs, ce, clause_start, clause_end)


def _is_break(text: str, i: int) -> bool:
    c = text[i]
    if c not in _CLAUSE_BREAKS:
        return False
    if c in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
        return False  # 5,718.4 (thousands separator) or 10:30
    return True


def quoted_spans(text: str, quotes: dict[str, str] = _QUOTES) -> list[tuple[int, int]]:
    """(start, end) of each quoted stretch, the quote marks included; an unclosed opener is ignored."""
    spans, i = [], 0
    while i < len(text):
        closer = quotes.get(text[i])
        j = text.find(closer, i + 1) if closer else -1
        if j < 0:
            i += 1
            continue
        spans.append((i, j + 1))
        i = j + 1
    return spans


def _mask_quotes(text: str, cs: int, ce: int) -> str:
    """Blank out the contents of quoted names, except a quote that holds the amount itself."""
    out = list(text)
    for start, end in quoted_spans(text):
        if not (start < cs and ce <= end - 1):
            for k in range(start + 1, end - 1):
                out[k] = _MASK
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# classify_money

@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    rule: KeywordRule


def _keyword_hits(text: str, cs: int, ce: int, rules: tuple[KeywordRule, ...]) -> list[_Hit]:
    """Keyword occurrences that stand for themselves, none touching the amount. An occurrence gives
    way to one it overlaps that has a higher priority (投資 inside 研發投資, 資金 in 投資金額, 出口 inside
    加工出口區), or that contains it and is longer with the same priority; occurrences of the same
    priority that only partly overlap (投入研究 / 研究經費) are both kept."""
    found = []
    for rule in rules:
        k = rule.keyword
        i = text.find(k)
        while i >= 0:
            if i + len(k) <= cs or i >= ce:
                found.append(_Hit(i, i + len(k), rule))
            i = text.find(k, i + 1)

    def beaten(h: _Hit) -> bool:
        for o in found:
            if o is h or o.end <= h.start or h.end <= o.start:
                continue
            if o.rule.priority > h.rule.priority:
                return True
            if (o.rule.priority == h.rule.priority and o.start <= h.start and h.end <= o.end
                    and o.end - o.start > h.end - h.start):
                return True
        return False

    return [h for h in found if h.rule.indicator != IGNORE and not beaten(h)]


def _nearest_before(hits: list[_Hit], lo: int, cs: int) -> _Hit | None:
    found = [h for h in hits if lo <= h.start and h.end <= cs]
    return max(found, key=lambda h: (h.end, h.rule.priority), default=None)


def _nearest_after(hits: list[_Hit], ce: int, hi: int) -> _Hit | None:
    found = [h for h in hits if ce <= h.start and h.end <= hi]
    return min(found, key=lambda h: (h.start, -h.rule.priority), default=None)


def classify_money(sentence: str, start: int, end: int) -> tuple[str, str | None]:
    """Return (indicator, matched keyword) for the money amount at ``sentence[start:end]``.

    The indicator is one of ``INDICATORS``; the keyword is the rule's keyword as it appears in the
    CSV (None when nothing matched and the indicator is ``other``). See the module docstring.
    """
    c = _compact(sentence, start, end)
    text = _mask_quotes(c.text, c.cs, c.ce)
    hits = _keyword_hits(text, c.cs, c.ce, load_rules())
    of_which = c.before.lstrip("-—").startswith("其中")
    for hit in (
        _nearest_before(hits, c.clause_start, c.cs),
        _nearest_before(hits, 0, c.cs) if of_which else None,
        _nearest_after(hits, c.ce, c.clause_end),
        _nearest_before(hits, 0, c.cs),
        _nearest_after(hits, c.ce, len(text)),
    ):
        if hit is not None:
            return hit.rule.indicator, hit.rule.keyword
    return "other", None


# --------------------------------------------------------------------------------------------------
# flags

_CUMULATIVE = re.compile(r"累計|累積|迄今|至今")
_CUMULATIVE_FRAME = re.compile(r"累計至|累積至|累計到|累積到|迄今|至今")  # scopes over the sentence
_AS_OF = re.compile(r"截至|迄")
# a span of years: 99 年至 101 年共投入…, 自 95 年 9 月至 101 年底…
_YEAR_RANGE = re.compile(r"\d{2,4}年(?:\d{1,2}月(?:\d{1,2}日)?)?起?(?:至|到|~|-)\d{2,4}年")
# between a target word and the amount: the statement has turned to what was achieved
_REALISED = re.compile(r"已|實績|實際|;|[,:、](?:達成|達到)")
_TARGET = re.compile(r"預計|預估|預期|估計|可望|目標")
_NOT_TARGET = re.compile(r"目標值?達成|達成目標|達到目標|超越目標|超過目標|超出目標|目標市場|目標客群|目標族群")
# 達成年度目標 11,000 億元之 100.71%: a share of an earlier figure is an achievement, not a target
_SHARE_OF = re.compile(r"\d\D{0,12}[之的]$")
_WILL = re.compile(r"將(?!近|[\d.])")
_APPROX_BEFORE = re.compile(r"(?:約|大約|約為|約計|約達|逾|超過|超逾|近|將近|接近|幾近|至少|不到|未滿)$")
_APPROX_INSIDE = re.compile(r"\d(?:[萬億千百兆])?(?:餘|多|強)|以上|以下|左右")
_APPROX_AFTER = re.compile(r"^(?:以上|以下|餘|左右|許|之譜|上下)")
# qualifiers a quantity extractor may hand in (compared whole: 多達/高達 are emphasis, not vagueness),
# from rules/qualifiers.toml
APPROXIMATE_QUALIFIERS: frozenset[str] = load_qualifiers().approximate
CUMULATIVE_QUALIFIERS: frozenset[str] = load_qualifiers().cumulative
TARGET_QUALIFIERS: frozenset[str] = load_qualifiers().target

_UP = "成長|增加|增長|上升|提升|提高|攀升|擴增|擴大|增"
_DOWN = "減少|下滑|衰退|下降|降低|縮減|萎縮|下跌|滑落|減"
_RATE = "成長率|增加率|增長率|衰退率|減少率|年增率|增幅|減幅|成長幅度|衰退幅度|漲幅|跌幅"
_FILLER = r"(?:了|約|達|為|逾|近|超過|計|幅度|分別)*"
_CHANGE = re.compile(rf"(?:(?P<rate>{_RATE})|(?P<up>{_UP})|(?P<down>{_DOWN})){_FILLER}$")
_VS_YEAR = re.compile(
    r"(?:較|比|相較於?|與(?=(?:民國)?\d{2,4}年(?:同期|度)?(?:相比|相較|比較)))(?:民國)?(?P<year>\d{2,4})年"
)
_FROM_YEAR = re.compile(rf"自(?:民國)?(?P<year>\d{{2,4}})年.*?(?:{_UP}|{_DOWN})至")
_VS_PREVIOUS = re.compile(r"(?:較|比|相較於?|與)(?:上年|去年|前一年|上一年|前1年|上1年)|年增率")


def flags(sentence: str, start: int, end: int, qualifier: str | None = None) -> dict:
    """How to read the amount at ``sentence[start:end]``; see the module docstring.

    Returns ``{"is_cumulative": bool, "is_target": bool, "is_approximate": bool,
    "comparison": None | "change_vs_year" | "change_vs_previous_year" | "change",
    "base_year": int | None, "direction": None | "up" | "down"}``.
    ``qualifier`` is a word the caller's extractor already found next to the amount ("約", "逾",
    "以上", "累計", "預計", …); the span may also include it.
    """
    c = _compact(sentence, start, end)
    # the span may hold the extractor's qualifiers (約 3.36 億美元): read them as words before the number
    digit = re.search(r"\d", c.text[c.cs : c.ce])
    num_at = c.cs + digit.start() if digit else c.cs
    before = c.text[c.clause_start : num_at]
    # sentence-wide framing words (累計至…, 截至…累計) reach over commas but not over a semicolon
    sentence_before = c.text[:num_at].rsplit(";", 1)[-1]
    q = _squeeze(qualifier or "")
    comparison, base_year, direction = _change(c, before)
    return {
        "is_cumulative": _is_cumulative(q, before, sentence_before),
        "is_target": _is_target(q, c, num_at, before),
        "is_approximate": _is_approximate(q, before, c.text[num_at : c.ce], c.after),
        "comparison": comparison,
        "base_year": base_year,
        "direction": direction,
    }


def _is_cumulative(q: str, before: str, sentence_before: str) -> bool:
    return bool(
        q in CUMULATIVE_QUALIFIERS
        or _CUMULATIVE.search(before)
        or _YEAR_RANGE.search(before)
        or _CUMULATIVE_FRAME.search(sentence_before)
        or (_AS_OF.search(sentence_before) and re.search(r"累計|累積", sentence_before))
    )


def _is_target(q: str, c: _Compact, num_at: int, before: str) -> bool:
    if q in TARGET_QUALIFIERS:
        return True
    masked = _NOT_TARGET.sub(lambda m: _MASK * len(m.group()), c.text)
    for m in _TARGET.finditer(masked, 0, num_at):
        if not _REALISED.search(c.text[m.end() : num_at]) and not _SHARE_OF.search(before):
            return True
    if "目標" in masked[c.ce : c.clause_end]:
        return True
    return any(not _REALISED.search(before[m.end() :]) for m in _WILL.finditer(before))


def _is_approximate(q: str, before: str, amount: str, after: str) -> bool:
    return bool(
        q in APPROXIMATE_QUALIFIERS
        or _APPROX_BEFORE.search(before)
        or _APPROX_INSIDE.search(amount)
        or _APPROX_AFTER.search(after)
    )


def _change(c: _Compact, before: str) -> tuple[str | None, int | None, str | None]:
    """(comparison, base_year, direction) of an amount that directly follows a change word; all None
    for a level."""
    change = _CHANGE.search(before)
    if not change:
        return None, None, None
    direction = "up" if change.group("up") else "down" if change.group("down") else None
    if direction is None:  # a rate noun: 衰退率/減幅/跌幅 say the sign, 成長率 etc. do not
        direction = "down" if re.search(r"衰退|減|跌", change.group("rate")) else None
    head = before[: change.start()]
    year = _last(_VS_YEAR, head)
    if year is None and not _VS_PREVIOUS.search(head + change.group()):
        # the base year is often stated once per sentence: 較 100 年減少 3.0%，其中出口…，下滑 2.3%
        earlier = c.text[: c.clause_start]
        year = _last(_VS_YEAR, earlier) or _last(_FROM_YEAR, earlier) or _last(_FROM_YEAR, head)
    if year is not None:
        return "change_vs_year", year, direction
    if _VS_PREVIOUS.search(head + change.group()):
        return "change_vs_previous_year", None, direction
    return "change", None, direction


def _last(pattern: re.Pattern, text: str) -> int | None:
    matches = list(pattern.finditer(text))
    return int(matches[-1].group("year")) if matches else None

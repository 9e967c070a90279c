"""Quantities from prose: every number with a unit or measure word, exact, with its context.

Works on a paragraph's NFKC text (digits, %, parentheses half-width; line breaks removed, so a
number split over a line or page break is whole again) and maps each hit back to the text as
written. Numbers that are not quantities (dates, years, ordinals, names, ratios, …) are kept as
`NumberMention`s with the reason, so the prose can be reconciled digit run by digit run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .model import Unit
from .units import CLASSIFIERS, CURRENCIES, MAGNITUDES, PERCENT_SIGNS, PHYSICAL, lookup_unit, parse_number

# Digit groups joined by ASCII commas are one number even when mis-grouped ("3,3000" = 33000): the
# text as written decides, and a full-width comma (a list separator) splits (see `extract`).
NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d+)*(?:\.\d+)?")
_SP = r"[ \u3000]*"
MAG_RE = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
QUAL_RE = r"餘|多|以上|左右|以下|強"
_UNIT_WORDS = sorted(set(CURRENCIES) | set(PHYSICAL) | set(CLASSIFIERS) | set(PERCENT_SIGNS), key=len, reverse=True)
UNIT_RE = "|".join(re.escape(u) for u in _UNIT_WORDS)

# Single-character classifiers that also begin ordinary words: "2012 臺灣購物節" is not 2012 臺.
WORD_AFTER: dict[str, str] = {
    "臺": "灣北中南東商日美歐港星電塑糖積達資幣籍菲越紐德英法韓澳加俄印泰馬大",
    "台": "灣北中南東商日美歐港星電塑糖積達資幣籍菲越紐德英法韓澳加俄印泰馬大",
    "家": "庭族鄉屬長園",
    "人": "才員力民口事士類文工權性格身",
    "名": "單稱義列錄額",
    "場": "域所地館合景址",
    "次": "數要級序世性",
    "座": "談標",
    "部": "會門分長份落署",
    "處": "理所長置分",
    "所": "得有屬需以在謂提稱致",
    "口": "岸號徑罩",
    "站": "點台",
    "團": "體隊結",
    "條": "例件款文",
    "支": "持援出付應",
    "道": "路德",
    "面": "積向對臨板談",
    "組": "織成合裝件長",
    "戶": "外政",
    "架": "構設",
    "具": "有備體",
    "則": "為是",
    "種": "子植",
    "類": "似別型",
    "套": "裝",
    "批": "准發評",
    "筆": "記",
    "本": "土國部身年案質次",
    "份": "子額",
    "間": "接隔",
    "班": "級機",
    "國": "內際外營產人民貿立",
    "款": "項",
    "張": "貼",
    "期": "間末刊程貨限",
    "位": "於置數",
    "件": "事",
    "案": "件例",
    "項": "目",
    "度": "假過C",
    "元": "件素旦",
    "校": "園區",
    "區": "域隔",
    "點": "子",
    "片": "面",
    "門": "市",
    "通": "過報知路關訊用行車常",
    "單位": "元",
}
# Words that may stand between a qualifier and its measure word: "650 萬以上體驗人次".
GAP_NOUNS = ("體驗", "參觀", "參訪", "服務", "旅遊", "觀光", "遊客", "就業", "來客", "入園", "到訪", "參展", "參與", "受訓", "培訓")
DATE_UNITS = re.compile(rf"^{_SP}(?:年|月|日|週|周|天|小時|時|分鐘|分|秒|季|個月|個工作天|工作天|個小時|世紀|歲)")
ORDINAL_BEFORE = re.compile(rf"(?:第|No\.?|NO\.?){_SP}$")
# 第 15、16、17 及 19 條: every number of the list is an ordinal
ORDINAL_LIST_BEFORE = re.compile(rf"第{_SP}\d+(?:{_SP}[、,及和與或]{_SP}\d+)*{_SP}[、,及和與或]{_SP}$")
RANK_BEFORE = re.compile(rf"(?:前|後|top){_SP}$", re.I)
RANGE_SEP = re.compile(rf"{_SP}(?:~|至|到|-|–|—|－){_SP}")
# An amount in 萬/億 with its currency left out, directly followed by a clause break.
ELIDED_MONEY = re.compile(rf"{_SP}(?:餘|多)?{_SP}(?P<mag>億|萬|千萬|百萬){_SP}(?:餘|多)?(?=[,;。、)]|$)")
# "成" as tenths only when no ordinary word (成長, 成本, 成立, …) continues it.
CHENG_WORD = re.compile(r"^成[長本立效果員交為功熟品績就型形真份分家像器套衣]")


@dataclass(frozen=True)
class Quantity:
    start: int  # span in the paragraph's NFKC text
    end: int
    text: str  # NFKC text of the quantity, qualifiers included
    number_text: str  # the numeral(s) as written (NFKC)
    value: Decimal  # number in `unit`
    unit: Unit
    quantity: Decimal  # in the base unit
    qualifier: str | None  # 約, 逾, 以上, 餘, 累計, 預計, …
    is_negative: bool = False


@dataclass(frozen=True)
class NumberMention:
    """A digit run in the prose that is not a quantity, and why."""

    start: int
    end: int
    text: str
    kind: str  # date, duration, ordinal, rank, ratio, identifier, name, marker, bare


PRE_QUALIFIERS = ("累計", "預計", "超過", "逾", "約", "近", "達", "共", "計", "僅", "至少", "不到", "未滿", "高達", "多達")


def _skip_sp(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \u3000":
        i += 1
    return i


def _match(pattern: str, s: str, i: int) -> re.Match | None:
    return re.compile(pattern).match(s, i)


def _unit_at(s: str, i: int) -> tuple[str, int] | None:
    """The unit word starting at i (longest first), if it is not the start of another word."""
    m = re.compile(UNIT_RE).match(s, i)
    if not m:
        return None
    word = m.group(0)
    nxt = s[m.end(): m.end() + 1]
    if len(word) == 1 and nxt and nxt in WORD_AFTER.get(word, ""):
        # 臺灣 is a word, not 臺 — unless a longer unit matched already
        return None
    if word == "度" and re.match(r"^[ \u3000]*[CcF℃]", s[m.end():]):
        return None
    if word in ("公尺",) and s[m.end(): m.end() + 1] == "/":
        return None
    return word, m.end()


def extract(text: str, raw_is_fullwidth_comma=lambda pos: False) -> tuple[list[Quantity], list[NumberMention]]:
    """All quantities and other number mentions in one paragraph's NFKC text."""
    quantities: list[Quantity] = []
    mentions: list[NumberMention] = []
    consumed_until = 0
    pending_range: list[tuple[int, Decimal, str, bool]] = []  # numbers waiting for a range's unit
    pending_elided: list[tuple[int, int, Decimal, str, bool]] = []  # money amounts without 元
    pos = 0
    while True:
        m = NUMBER.search(text, pos)
        if m is None:
            break
        pos = m.end()
        s0 = m.start()
        if s0 < consumed_until:
            continue
        num_text = m.group(0)
        # A full-width comma between digit groups separates two numbers; it is no thousands mark.
        if "," in num_text and any(raw_is_fullwidth_comma(s0 + k) for k, c in enumerate(num_text) if c == ","):
            num_text = num_text.split(",")[0]
            pos = s0 + len(num_text) + 1
        end = s0 + len(num_text)
        before = text[max(0, s0 - 6): s0]
        after = text[end: end + 8]
        negative = before.endswith(("-", "−")) and not re.search(r"[\dA-Za-z]$", before[:-1] or " ")
        kind = _non_quantity_kind(text, s0, end, num_text, before, after)
        if kind:
            # "6 至 10 月", "99 至 101 年": the range's first number is of the same kind
            mentions.extend(NumberMention(r[0], r[0] + len(r[2]), r[2], kind) for r in pending_range)
            mentions.append(NumberMention(s0, end, num_text, kind))
            consumed_until = end
            pending_range.clear()
            continue
        parsed = _parse_quantity(text, s0, end, num_text)
        if parsed is None:
            # maybe the first number of a range whose unit follows the second number
            r = RANGE_SEP.match(text, end)
            if r and NUMBER.match(text, r.end()):
                pending_range.append((s0, parsed_value(num_text), num_text, negative))
                consumed_until = end
                continue
            elided = ELIDED_MONEY.match(text, end)
            if elided:
                # "增加營業額逾 14.37 億，" — 元 left out; decided after the loop from the sentence
                pending_elided.append((s0, elided.end(), parse_number(num_text), elided.group("mag"),
                                       negative))
                consumed_until = elided.end()
                continue
            mentions.extend(NumberMention(r[0], r[0] + len(r[2]), r[2], "bare") for r in pending_range)
            mentions.append(NumberMention(s0, end, num_text, "bare"))
            consumed_until = end
            pending_range.clear()
            continue
        q_end, value, unit_written, qualifier, mag_written = parsed
        unit = lookup_unit(unit_written)
        if unit is None:
            mentions.append(NumberMention(s0, end, num_text, "bare"))
            consumed_until = end
            continue
        qual_before = next((w for w in PRE_QUALIFIERS if re.search(rf"{w}{_SP}$", text[max(0, s0 - 4): s0])), None)
        for (r_start, r_value, r_text, r_neg) in pending_range:
            # 3 至 5 億元: the first number takes the unit, magnitude included, of the second
            r_unit = lookup_unit(unit_written)
            quantities.append(_make(text, r_start, r_start + len(r_text), r_text, r_value, r_unit, None, r_neg))
        pending_range.clear()
        qualifier = qualifier or qual_before
        quantities.append(_make(text, s0 - (1 if negative else 0), q_end, text[s0:q_end], value, unit, qualifier,
                                negative))
        consumed_until = q_end
    for s0, e0, value, mag, negative in pending_elided:
        unit = _elided_money_unit(text, s0, mag, quantities)
        if unit is None:
            mentions.append(NumberMention(s0, e0, text[s0:e0], "bare"))
            continue
        qual_before = next((w for w in PRE_QUALIFIERS if re.search(rf"{w}{_SP}$", text[max(0, s0 - 4): s0])), None)
        quantities.append(_make(text, s0, e0, text[s0:e0].rstrip(), value, unit, qual_before, negative))
    quantities.sort(key=lambda q: q.start)
    mentions.sort(key=lambda m: m.start)
    return quantities, mentions


def _elided_money_unit(text: str, pos: int, mag: str, quantities: list[Quantity]) -> Unit | None:
    """The money unit an amount like "14.37 億" leaves out: that of the money amounts stated with a
    unit in the same sentence (all of one currency), else none."""
    a, b = sentence_bounds(text, pos)
    currencies = {q.unit.currency for q in quantities if a <= q.start < b and q.unit.dimension == "money"}
    if len(currencies) != 1:
        return None
    currency = currencies.pop()
    word = {"TWD": "元", "USD": "美元", "EUR": "歐元", "JPY": "日圓", "CNY": "人民幣"}.get(currency)
    return lookup_unit(f"{mag}({word})") if word else None


def parsed_value(num_text: str) -> Decimal:
    return parse_number(num_text)


def _make(text, start, end, number_text, value, unit: Unit, qualifier, negative) -> Quantity:
    v = -value if negative else value
    return Quantity(start, end, text[start:end], number_text, v, unit, v * unit.factor, qualifier, negative)


def _non_quantity_kind(text: str, s0: int, end: int, num_text: str, before: str, after: str) -> str | None:
    if re.match(r"^\d{2,4}\.\d{1,2}\.\d{1,2}(?!\d)", text[s0:]) or re.search(r"\d{2,4}\.\d{1,2}\.$", before):
        return "date"  # 101.4.2
    if DATE_UNITS.match(after):
        word = DATE_UNITS.match(after).group(0).strip()
        if word == "年" and (re.match(rf"^{_SP}年{_SP}(?:內|間|來|以來|期間|半)", after)
                            or (int(float(num_text.replace(",", ""))) < 30)):
            return "duration"  # 3 年內: a span of years, not a calendar year
        return "date" if word in ("年", "月", "日") else "duration"
    if ORDINAL_BEFORE.search(before) or ORDINAL_LIST_BEFORE.search(text[max(0, s0 - 40): s0]):
        return "ordinal"
    if RANK_BEFORE.search(before) and re.match(rf"^{_SP}(?:名|大|強|位)", after):
        return "rank"
    if re.match(rf"^{_SP}(?:對|比|:|：){_SP}\d", after):
        return "ratio"
    if re.search(rf"\d{_SP}(?:對|比|:|：){_SP}$", before):
        return "ratio"
    # glued to Latin letters or part of a code: R&D100, ISO 14064-2, 4G, A1
    if re.search(r"[A-Za-z&]$", before) or re.match(r"^[A-Za-z]", after) and not re.match(
            r"^(?:kWh|kW|MW|GW|KV|kV)", after):
        return "identifier"
    if re.match(r"^-\d", after) or re.search(r"\d-$", before):
        return "identifier"
    # outline and list markers: "1、" "(2)"
    if re.match(r"^、", after) or (before.endswith("(") and after.startswith(")")):
        return "marker"
    return None


def _parse_quantity(text: str, s0: int, end: int, num_text: str):
    """From a number at [s0, end): (end of quantity, value in unit, unit as written incl. magnitude,
    qualifier, magnitude) or None when no unit follows."""
    value = parse_number(num_text)
    i = end
    qualifier = None
    total = Decimal(0)
    last_mag: Decimal | None = None
    mag_written = ""
    # mixed magnitudes: 9 萬 5 千, 3 億 6,300 萬, 139 萬 307
    while True:
        j = _skip_sp(text, i)
        q = _match(rf"(?:{QUAL_RE})", text, j) if text[j:j + 1] in "餘多" else None
        k = _skip_sp(text, q.end()) if q else j
        mm = _match(MAG_RE, text, k)
        if mm and (last_mag is None or MAGNITUDES[mm.group(0)] < last_mag):
            # a magnitude that is really the start of a unit (千瓦, 百萬瓩) still counts as magnitude
            mag = MAGNITUDES[mm.group(0)]
            if mm.group(0) == "千" and text.startswith("千瓦", k):
                break
            if q:
                qualifier = q.group(0)
            total += value * mag
            last_mag = mag
            mag_written = mm.group(0)
            i = mm.end()
            # a further number of a smaller magnitude?
            j2 = _skip_sp(text, i)
            nm = NUMBER.match(text, j2)
            if nm:
                nv = parse_number(nm.group(0))
                k2 = _skip_sp(text, nm.end())
                k2q = _match(rf"(?:{QUAL_RE})", text, k2)
                k3 = _skip_sp(text, k2q.end()) if k2q else k2
                nxt_mag = _match(MAG_RE, text, k3)
                if nxt_mag and MAGNITUDES[nxt_mag.group(0)] < mag and nv < mag:
                    value = nv
                    i = nm.end()
                    continue
                if nv < mag and _unit_at(text, k3) and not DATE_UNITS.match(text[nm.end():]):
                    total += nv
                    value = Decimal(0)
                    i = nm.end()
                    if k2q:
                        qualifier = k2q.group(0)
                        i = k2q.end()
                    mag_written = ""
                    last_mag = Decimal(1)
                    break
            value = Decimal(0)
            continue
        break
    compound = last_mag is not None and (total != 0 or value != 0)
    if last_mag is not None:
        total += value
    j = _skip_sp(text, i)
    q = _match(rf"(?:{QUAL_RE})", text, j)
    if q:
        qualifier = q.group(0)
        j = _skip_sp(text, q.end())
    unit = _unit_at(text, j)
    if unit is None and qualifier:
        for noun in GAP_NOUNS:
            if text.startswith(noun, j):
                u2 = _unit_at(text, j + len(noun))
                if u2 and u2[0] in CLASSIFIERS:
                    unit = u2
                break
    if unit is None and text.startswith("成", j) and not CHENG_WORD.match(text[j:]) and last_mag is None \
            and value <= 10:
        # 9 成 = 90 percent; 9 成 5 = 95 percent
        k = j + 1
        tail = re.compile(rf"{_SP}(\d)(?!\d)(?![.,]\d)").match(text, k)
        if tail and not _unit_at(text, _skip_sp(text, tail.end())):
            return tail.end(), value + Decimal(tail.group(1)) / 10, "成", qualifier, ""
        return k, value, "成", qualifier, ""
    if unit is None:
        return None
    word, u_end = unit
    if word == "度" and last_mag is None and not re.search(r"電|能|kWh", text[max(0, s0 - 12): s0]):
        # a bare "2 度" is a count of times (2 度獲…); kWh come as 萬度/億度 or beside 電
        return u_end, value, "度次", qualifier, ""
    if last_mag is None:
        return u_end, value, word, qualifier, ""
    if compound and last_mag != Decimal(1) and mag_written:
        # "9 萬 5 千" ended on a magnitude: value counted in that magnitude
        return u_end, total / MAGNITUDES[mag_written], mag_written + word, qualifier, mag_written
    if mag_written and not compound:
        return u_end, value if value else total / MAGNITUDES[mag_written], mag_written + word, qualifier, mag_written
    return u_end, total, word, qualifier, ""


# ---------------------------------------------------------------------------------------------
# Whole report: quantities with their sentence, section, page and year.

SENTENCE_END = re.compile(r"[。!?！？]")
YEAR = re.compile(rf"(?<![\d.])(?<!\d,)(\d{{2,4}}){_SP}(?:年|年度)(?!{_SP}(?:內|間|來|期間|以內|半))")
YEAR_SPAN = re.compile(rf"(?<![\d.])(?<!\d,)(\d{{2,4}}){_SP}(?:年{_SP}(?:\d{{1,2}}{_SP}月{_SP}(?:\d{{1,2}}{_SP}日)?)?)?"
                       rf"{_SP}(?:至|到|~|-|–){_SP}(\d{{2,4}}){_SP}年")
COMPARISON_BEFORE = re.compile(rf"(?:較|比|與|相較於|相較|對比){_SP}(?:去年|前一年)?{_SP}$")


def to_gregorian(year: int) -> int | None:
    """ROC year (民國) -> Gregorian; Gregorian years pass through; implausible numbers -> None."""
    if 1900 <= year <= 2100:
        return year
    if 30 <= year <= 200:
        return year + 1911
    return None


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.end()
    return start, len(text)


def year_of(sentence: str, pos: int) -> tuple[int | None, int | None]:
    """(year the amount refers to, base year of a comparison), both Gregorian, from its sentence.
    The nearest year stated before the amount wins (a span gives its end year); a year after 較
    is a comparison base, not the amount's year."""
    mentions: list[tuple[int, int, bool]] = []  # (position, gregorian, is_comparison)
    taken: list[tuple[int, int]] = []
    for m in YEAR_SPAN.finditer(sentence):
        y = to_gregorian(int(m.group(2)))
        if y:
            mentions.append((m.start(), y, bool(COMPARISON_BEFORE.search(sentence[:m.start()]))))
            taken.append(m.span())
    for m in YEAR.finditer(sentence):
        if any(a <= m.start() < b for a, b in taken):
            continue
        y = to_gregorian(int(m.group(1)))
        if y:
            mentions.append((m.start(), y, bool(COMPARISON_BEFORE.search(sentence[:m.start()]))))
    mentions.sort()
    base = next((y for p, y, c in reversed(mentions) if c and p < pos), None)
    before = [y for p, y, c in mentions if p < pos and not c]
    if before:
        return before[-1], base
    after = [y for p, y, c in mentions if p >= pos and not c]
    return (after[0] if after else None), base


@dataclass(frozen=True)
class QuantityRecord:
    quantity_no: int  # 1-based in document order: with report_id, the natural key
    paragraph_id: int
    section_id: int
    page_index: int
    raw_text: str  # as written in the PDF, "\n" where a line or page break falls inside it
    q: Quantity
    sentence: str  # NFKC, as the classifiers read it
    context: str  # the same sentence as written (full-width punctuation kept, line breaks removed)
    year: int | None  # Gregorian
    base_year: int | None  # Gregorian year a change is measured against (較 100 年成長 …)


@dataclass(frozen=True)
class MentionRecord:
    paragraph_id: int
    section_id: int
    page_index: int
    m: NumberMention


def report_quantities(paragraphs) -> tuple[list[QuantityRecord], list[MentionRecord]]:
    records: list[QuantityRecord] = []
    mentions: list[MentionRecord] = []
    for para in paragraphs:
        raw = para.raw

        def fullwidth_comma(pos: int, para=para) -> bool:
            return para.raw[para.text_to_raw[pos]] == "，"

        qs, ms = extract(para.text, fullwidth_comma)
        for q in qs:
            a, b = sentence_bounds(para.text, q.start)
            sentence = para.text[a:b].strip()
            year, base = year_of(para.text[a:b], q.start - a)
            r0 = para.text_to_raw[q.start]
            r1 = para.text_to_raw[q.end - 1] + 1
            c0 = para.text_to_raw[a] if a < len(para.text_to_raw) else 0
            c1 = para.text_to_raw[b - 1] + 1 if b > 0 else 0
            context = raw[c0:c1].replace("\n", "").strip()
            records.append(QuantityRecord(len(records) + 1, para.paragraph_id, para.section_id,
                                          para.page_at(q.start), raw[r0:r1], q, sentence, context, year, base))
        for m in ms:
            mentions.append(MentionRecord(para.paragraph_id, para.section_id, para.page_at(m.start), m))
    return records, mentions

"""Units as written -> dimension, base unit and factor; numbers as written -> Decimal.

The tables here are the single source of truth for unit normalisation; the warehouse's
unit dimension (`dim_unit`) is filled from `unit_table()` so SQL and Python agree.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from .model import Unit

# Magnitude prefixes, longest first so that 百萬 wins over 百.
MAGNITUDES: dict[str, Decimal] = {
    "千萬": Decimal(10) ** 7,
    "百萬": Decimal(10) ** 6,
    "十萬": Decimal(10) ** 5,
    "千億": Decimal(10) ** 11,
    "百億": Decimal(10) ** 10,
    "十億": Decimal(10) ** 9,
    "兆": Decimal(10) ** 12,
    "億": Decimal(10) ** 8,
    "萬": Decimal(10) ** 4,
    "仟": Decimal(10) ** 3,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}

# Money: the currency word as written -> ISO code. 元 alone is the New Taiwan dollar.
CURRENCIES: dict[str, str] = {
    "元美金": "USD",
    "美金": "USD",
    "美元": "USD",
    "日圓": "JPY",
    "日元": "JPY",
    "日幣": "JPY",
    "歐元": "EUR",
    "人民幣": "CNY",
    "港幣": "HKD",
    "港元": "HKD",
    "英鎊": "GBP",
    "新臺幣": "TWD",
    "新台幣": "TWD",
    "臺幣": "TWD",
    "台幣": "TWD",
    "元": "TWD",
}

# Physical units: as written -> (dimension, base unit, factor).
PHYSICAL: dict[str, tuple[str, str, Decimal]] = {
    "平方公里": ("area", "m2", Decimal(1_000_000)),
    "平方公尺": ("area", "m2", Decimal(1)),
    "公頃": ("area", "m2", Decimal(10_000)),
    "坪": ("area", "m2", Decimal("3.305785")),
    "立方公尺": ("volume", "m3", Decimal(1)),
    "公秉": ("volume", "m3", Decimal(1)),
    "公升": ("volume", "m3", Decimal("0.001")),
    "公噸二氧化碳當量": ("mass", "t", Decimal(1)),
    "噸二氧化碳當量": ("mass", "t", Decimal(1)),
    "公噸": ("mass", "t", Decimal(1)),
    "噸": ("mass", "t", Decimal(1)),
    "公斤": ("mass", "t", Decimal("0.001")),
    # 1 kilolitre of oil equivalent = 9,000,000 kcal (Taiwan energy statistics) x 4.1868 kJ / 3600 = 10,467 kWh
    "公秉油當量": ("energy", "kWh", Decimal(10467)),
    "千瓦小時": ("energy", "kWh", Decimal(1)),
    "瓩時": ("energy", "kWh", Decimal(1)),
    "kWh": ("energy", "kWh", Decimal(1)),
    "度": ("energy", "kWh", Decimal(1)),
    "千瓦": ("power", "kW", Decimal(1)),
    "瓩": ("power", "kW", Decimal(1)),
    "kW": ("power", "kW", Decimal(1)),
    "MW": ("power", "kW", Decimal(1000)),
    "GW": ("power", "kW", Decimal(1_000_000)),
    "公里": ("length", "m", Decimal(1000)),
    "公尺": ("length", "m", Decimal(1)),
    "公分": ("length", "m", Decimal("0.01")),
    "KV": ("other", "V", Decimal(1000)),
    "kV": ("other", "V", Decimal(1000)),
}

PERCENT_SIGNS = ("%", "％", "‰")

# Count classifiers (measure words). Compound ones first is handled by longest match.
CLASSIFIERS: tuple[str, ...] = tuple(
    """家次 件次 人次 場次 班次 案次 梯次 車次 架次 艘次 台次 臺次 輛次 團次 人日 品目 個國家 國家
    家 件 案 項 人 位 名 場 次 個 座 輛 部 處 所 篇 張 款 台 臺 盞 口 站 團 條 支 枚 道 面 組 株 隻 戶 艘 架
    具 則 種 類 套 批 筆 本 冊 份 棟 間 班 校 國 席 顆 片 根 粒 捲 幅 圖幅 處所 期 區 群 隊 棵 尾 頭 床 門 檔 檢體 樣品
    站次 廠次 通 單位 櫃""".split()
)


def parse_number(text: str) -> Decimal:
    """'1,075.7' -> Decimal('1075.7'); full-width digits and stray spaces tolerated."""
    cleaned = re.sub(r"[,\s，]", "", text).replace("−", "-").replace("–", "-")
    cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    return Decimal(cleaned)


@lru_cache(maxsize=None)
def lookup_unit(written: str) -> Unit | None:
    """Map a unit as written, magnitude prefix included ('億美元', '萬人次', '%'), to a Unit."""
    w = written.strip()
    implied = re.fullmatch(r"(?P<mag>[^()]+)\((?P<cur>[^()]+)\)", w)
    if implied and implied.group("mag") in MAGNITUDES and implied.group("cur") in CURRENCIES:
        # "14.37 億" in a sentence of 億元 amounts: the currency word is implied, shown in brackets
        code = CURRENCIES[implied.group("cur")]
        return Unit(w, "money", code, MAGNITUDES[implied.group("mag")], code)
    if w in PERCENT_SIGNS:
        factor = Decimal("0.1") if w == "‰" else Decimal(1)
        return Unit(w, "percent", "percent", factor)
    if w == "成":
        return Unit(w, "percent", "percent", Decimal(10))
    factor = Decimal(1)
    rest = w
    for mag, mult in MAGNITUDES.items():
        if rest.startswith(mag) and len(rest) > len(mag):
            candidate = rest[len(mag):]
            if candidate in CURRENCIES or candidate in PHYSICAL or candidate in CLASSIFIERS:
                factor, rest = mult, candidate
                break
    if rest in CURRENCIES:
        return Unit(w, "money", CURRENCIES[rest], factor, CURRENCIES[rest])
    if rest in PHYSICAL:
        dim, base, f = PHYSICAL[rest]
        return Unit(w, dim, base, factor * f)
    if rest in CLASSIFIERS:
        return Unit(w, "count", rest, factor)
    if rest == "度次":  # 度 counting occasions ("2 度獲選"), not kWh
        return Unit(w, "count", "度", factor)
    # Table headers such as （百萬元） or （千元）: magnitude + 元 handled above; a bare magnitude
    # word (（萬）) is a pure multiplier without a unit and is not a Unit.
    return None


def unit_table() -> list[Unit]:
    """Every unit the extractor can produce, without and with each magnitude prefix."""
    units: list[Unit] = [lookup_unit(f"{m}({c})") for m in MAGNITUDES for c in ("元", "美元", "歐元", "日圓", "人民幣")]
    bases = list(PERCENT_SIGNS) + ["成"] + list(CURRENCIES) + list(PHYSICAL) + list(CLASSIFIERS)
    for base in bases:
        for written in [base] + [m + base for m in MAGNITUDES]:
            u = lookup_unit(written)
            if u is not None and u.written == written and u not in units:
                units.append(u)
    return units

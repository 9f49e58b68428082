"""Numbers as written in the reports -> exact Decimals in a base unit, with their precision.

Pure: imports only the standard library, `regex` and the model's Kind. Precision follows
XBRL: `decimals` is the number of decimal places in the base unit, so 2348.75万元 is
23487500 元 with decimals -2 (known to ±50 元). The extractor decides WHERE quantities
are (patterns/quantities.toml); this module decides what a written quantity IS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from .model import Kind

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％－＋", "0123456789.,%-+")

# unit as written -> (power of ten to the base unit, base unit, kind)
UNITS: dict[str, tuple[int, str, Kind]] = {
    "元": (0, "元", Kind.AMOUNT), "千元": (3, "元", Kind.AMOUNT), "万元": (4, "元", Kind.AMOUNT), "万": (4, "元", Kind.AMOUNT),
    "亿元": (8, "元", Kind.AMOUNT), "万亿元": (12, "元", Kind.AMOUNT),
    "%": (0, "%", Kind.PERCENT), "百分比": (0, "%", Kind.PERCENT),
    "个百分点": (0, "个百分点", Kind.PERCENT_POINT), "百分点": (0, "个百分点", Kind.PERCENT_POINT),
    "人": (0, "人", Kind.HEADCOUNT), "名": (0, "人", Kind.HEADCOUNT), "万人": (4, "人", Kind.HEADCOUNT),
    "分": (0, "分", Kind.SCORE),
    "亩": (0, "亩", Kind.AREA), "万亩": (4, "亩", Kind.AREA), "公顷": (0, "公顷", Kind.AREA),
    "㎡": (0, "㎡", Kind.AREA), "平方米": (0, "㎡", Kind.AREA), "m²": (0, "㎡", Kind.AREA),
    "m2": (0, "㎡", Kind.AREA), "万平方米": (4, "㎡", Kind.AREA),
    "米": (0, "米", Kind.MEASURE), "m": (0, "米", Kind.MEASURE), "公里": (0, "公里", Kind.MEASURE),
    "千米": (0, "公里", Kind.MEASURE), "km": (0, "公里", Kind.MEASURE), "立方米": (0, "立方米", Kind.MEASURE),
    "m³": (0, "立方米", Kind.MEASURE), "万立方米": (4, "立方米", Kind.MEASURE),
    "吨": (0, "吨", Kind.MEASURE), "万吨": (4, "吨", Kind.MEASURE), "公斤": (0, "公斤", Kind.MEASURE),
    "千克": (0, "公斤", Kind.MEASURE), "年一遇": (0, "年一遇", Kind.MEASURE), "kg": (0, "公斤", Kind.MEASURE),
}
for _unit in ("个", "户", "笔", "家", "项", "次", "件", "台", "辆", "套", "份", "条", "所", "场", "批",
              "座", "张", "本", "篇", "册", "处", "栋", "间", "宗", "起", "人次", "期", "个月",
              "只", "头", "盏", "粒", "棵", "株"):
    UNITS.setdefault(_unit, (0, _unit, Kind.COUNT))
    UNITS.setdefault("万" + _unit, (4, _unit, Kind.COUNT))

NULL_MARKERS = frozenset({"", "-", "—", "——", "－", "/", "／", "*", "＊", "……", "…", "...", "无", "空"})
_MINUS = "-—－−–"
_NUMBER = regex.compile(r"([" + _MINUS + r"]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
_UNIT_ALT = "|".join(sorted((regex.escape(u) for u in UNITS), key=len, reverse=True))
_QUANTITY = regex.compile(rf"(?P<num>[{_MINUS}]?[\d.,]+|[零〇一二两三四五六七八九十百千]+)\s*(?P<unit>{_UNIT_ALT})")
_SPACES = regex.compile(r"\s+")
# Longer digit strings are not figures (account numbers, IDs, a mangled file's 10^4 nines):
# they are refused, not parsed. 16 digits, scaled by 万亿 (10^12), stay within Decimal's
# default 28-digit precision, so plain() can quantize them exactly.
MAX_DIGITS = 16
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千")
_CN_PERCENT = regex.compile(r"百分之(?P<int>[零〇一二两三四五六七八九十百]+)(?:点(?P<frac>[零〇一二三四五六七八九]+))?")


@dataclass(frozen=True)
class Quantity:
    value: Decimal  # in the base unit
    unit: str  # base unit: 元, %, 个百分点, 人, 分, 亩, ㎡, or the count word (个, 户, 笔 ...)
    decimals: int | None  # written precision in the base unit; None when exact
    kind: Kind
    raw: str  # the text as written


def normalize_digits(text: str) -> str:
    """Full-width digits and ．，％－＋ to ASCII, one char for one char (offsets survive)."""
    return text.translate(_FULL_WIDTH)


def _compact(text: str) -> str:
    """Normalised, without the spaces that damaged files put inside numbers ("31 人")."""
    text = normalize_digits(text)
    return _SPACES.sub("", text) if _SPACES.search(text) else text


def parse_number(text: str) -> tuple[Decimal, int] | None:
    """A bare number as written -> (value, decimal places); None for a null marker or no number.

    A dash before the number means minus ("—178.27"); thousands separators are dropped.
    """
    return _parse_compact(_compact(text))


def _parse_compact(compact: str) -> tuple[Decimal, int] | None:
    """parse_number on text already normalised and without spaces."""
    if compact in NULL_MARKERS:
        return None
    match = _NUMBER.fullmatch(compact)
    if match is None:
        return None
    digits = match.group(2).replace(",", "")
    if len(digits) > MAX_DIGITS + ("." in digits):
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    places = len(digits.split(".")[1]) if "." in digits else 0
    return (-value if match.group(1) else value), places


def scale(value: Decimal, places: int, unit: str, raw: str = "") -> Quantity | None:
    """A number written with `places` decimals in `unit` -> a Quantity in the base unit."""
    spec = UNITS.get(unit) or UNITS.get(normalize_digits(unit).strip())
    if spec is None:
        return None
    power, base, kind = spec
    decimals = places - power
    return Quantity(plain(value.scaleb(power), decimals), base, decimals, kind, raw)


def plain(value: Decimal, decimals: int | None) -> Decimal:
    """The value with exactly its written places (no exponent): 2.34875E+7 -> 23487500."""
    if decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-max(decimals, 0)))


def parse_quantity(text: str, default_unit: str = "", raw: str | None = None) -> Quantity | None:
    """One quantity as written ("2348.75万元", "７７．７３％", "2.35万人", "百分之五", "—178.27").

    A bare number takes `default_unit` (a table header's 万元); without one its unit is ""
    and its kind AMOUNT, for the caller to decide. `raw` is the text to keep as written
    when `text` is a normalised copy of it (default: `text`).
    """
    raw = text if raw is None else raw
    compact = _compact(text)
    if compact.startswith("百分之"):
        return _parse_chinese_percent(compact, raw)
    match = _QUANTITY.fullmatch(compact)
    if match is not None:
        number = _parse_compact(match.group("num")) or _parse_chinese_count(match.group("num"))
        return None if number is None else scale(*number, match.group("unit"), raw)
    number = _parse_compact(compact)
    if number is None and default_unit:
        number = _parse_chinese_count(compact)  # "五" of 五大工程, read as a count by its rule
    if number is None:
        return None
    if default_unit:
        return scale(*number, default_unit, raw)
    return Quantity(number[0], "", number[1], Kind.AMOUNT, raw)


def _parse_chinese_percent(compact: str, raw: str) -> Quantity | None:
    match = _CN_PERCENT.fullmatch(compact)
    if match is None:
        return None
    whole = _chinese_integer(match.group("int"))
    if whole is None:
        return None
    frac = match.group("frac") or ""
    digits = f"{whole}.{''.join(str(_CN_DIGITS[c]) for c in frac)}" if frac else str(whole)
    return Quantity(Decimal(digits), "%", len(frac), Kind.PERCENT, raw)


def _parse_chinese_count(text: str) -> tuple[Decimal, int] | None:
    """A count in Chinese numerals ("二辆", "两个", "十二人"): exact, no decimals."""
    whole = _chinese_integer(text) if text and text[0] in _CN_NUMERALS else None
    return None if whole is None else (Decimal(whole), 0)


def _chinese_integer(text: str) -> int | None:
    """Chinese numerals up to 千: 五 -> 5, 二十五 -> 25, 十 -> 10, 一百 / 百 -> 100, 一千二百 -> 1200."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "千":
            total += (current or 1) * 1000
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def interval(value: Decimal, decimals: int | None) -> tuple[Decimal, Decimal]:
    """The rounding interval a written value stands for: 2348.75万元 -> ±50 元."""
    if decimals is None:
        return value, value
    half = Decimal(5).scaleb(-decimals - 1)
    return value - half, value + half


def format_amount(value: Decimal, decimals: int | None) -> str:
    """An amount in 元 as a reviewer reads it back: 23487500 (-2) -> "2348.75万元"."""
    if decimals is not None and decimals <= -6 and abs(value) >= Decimal(10) ** 8:
        return f"{_fixed(value.scaleb(-8), decimals + 8)}亿元"
    if decimals is not None and decimals < 0:
        return f"{_fixed(value.scaleb(-4), decimals + 4)}万元"
    if decimals is None:
        return f"{format(value, 'f')}元"
    return f"{_fixed(value, decimals)}元"


def _fixed(value: Decimal, places: int) -> str:
    return format(value.quantize(Decimal(1).scaleb(-max(places, 0))), "f")


def format_quantity(value: Decimal, unit: str, decimals: int | None) -> str:
    """Any base-unit value back to text: amounts via format_amount, others with their unit."""
    if unit == "元":
        return format_amount(value, decimals)
    shown = format(value, "f") if decimals is None else _fixed(value, decimals)
    return f"{shown}{unit}"

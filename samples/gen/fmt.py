"""Number forms as reports write them. Every writer returns (raw, value, decimals):
raw as written, value the written figure in the base unit (元, %, 人, 分), decimals the
written precision in that base unit (2348.75万元 -> value 23487500, decimals -2)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)
YI = Decimal(100000000)
FULLWIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def written(text: str) -> tuple[Decimal, int]:
    """A plain decimal numeral as written -> (value, decimals)."""
    value = Decimal(text.replace(",", ""))
    exponent = value.as_tuple().exponent
    return value, -int(exponent) if isinstance(exponent, int) else 0


def strip_zeros(text: str) -> str:
    """151.10 -> 151.1, 96.00 -> 96: how some units type their figures."""
    if "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


def wan_text(yuan: Decimal, strip: bool = False) -> str:
    text = f"{q2(yuan / WAN):f}"
    return strip_zeros(text) if strip else text


def wan_amount(yuan: Decimal) -> str:
    """2348.75万元: an amount as a plant's description writes it."""
    return f"{wan_text(yuan)}万元"


def money(yuan: Decimal, style: str = "wan") -> tuple[str, Decimal, int]:
    """Money in one of the forms: wan (2348.75万元), wan_strip (151.1万元),
    yuan (1,234,567.89元), yi (0.38亿元), bare (2348.75, for 万元 table cells)."""
    if style == "yuan":
        number = f"{q2(yuan):,f}"
        value, dec = written(number)
        return f"{number}元", value, dec
    if style == "yi":
        number = f"{(yuan / YI).quantize(CENT, rounding=ROUND_HALF_UP):f}"
        value, dec = written(number)
        return f"{number}亿元", value * YI, dec - 8
    number = wan_text(yuan, strip=style == "wan_strip")
    value, dec = written(number)
    suffix = "" if style == "bare" else "万元"
    return f"{number}{suffix}", value * WAN, dec - 4


def percent(value: Decimal, strip: bool = False, sign: bool = True) -> tuple[str, Decimal, int]:
    number = f"{q2(value):f}"
    if strip:
        number = strip_zeros(number)
    val, dec = written(number)
    return f"{number}{'%' if sign else ''}", val, dec


def integer(value: int, suffix: str = "") -> tuple[str, Decimal, int]:
    return f"{value}{suffix}", Decimal(value), 0


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal:
    return q2(part * 100 / whole) if whole else Decimal(0)

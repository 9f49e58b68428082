"""Read a figure as written (for annotating verbatim text): 2348.75万元 -> value in 元 and decimals."""

from __future__ import annotations

from decimal import Decimal

import regex

from .fmt import written

UNITS = {  # suffix -> (base unit, kind, power of ten)
    "亿元": ("元", "amount", 8),
    "万元": ("元", "amount", 4),
    "元": ("元", "amount", 0),
    "个百分点": ("个百分点", "percent_point", 0),
    "%": ("%", "percent", 0),
    "万人": ("人", "headcount", 4),
    "人": ("人", "headcount", 0),
    "名": ("人", "headcount", 0),
    "户": ("户", "count", 0),
    "笔": ("笔", "count", 0),
    "个": ("个", "count", 0),
    "分": ("分", "score", 0),
    "万亩": ("亩", "area", 4),
    "亩": ("亩", "area", 0),
}
FIGURE_RE = regex.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元|个百分点|%|万人|人|名|户|笔|个|分|万亩|亩)")


def read_figure(raw: str) -> tuple[Decimal, int, str, str]:
    """-> (value in base unit, decimals in base unit, base unit, kind)."""
    match = FIGURE_RE.fullmatch(raw)
    if not match:
        raise ValueError(f"not a figure: {raw!r}")
    value, dec = written(match[1])
    unit, kind, power = UNITS[match[2]]
    return value.scaleb(power), dec - power, unit, kind

"""Interval arithmetic on Decimals: every written figure stands for its rounding interval.

2348.75万元 (decimals -2 in 元) is [23487450, 23487550] 元. Sums, differences, ratios and
shares are computed on intervals; a check fails only when the reported interval and the
computed one do not meet (XBRL Calculations 1.1, round-to-nearest).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..model import Fact, Interval, Kind

ZERO = Decimal(0)
HUNDRED = Decimal(100)
COUNTED = (Kind.HEADCOUNT, Kind.COUNT)


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def half_unit(decimals: int | None) -> Decimal:
    """Half a unit in the last written place: decimals 2 -> 0.005, -2 -> 50."""
    if decimals is None:
        return ZERO
    return Decimal(5).scaleb(-decimals - 1)


def around(value: Decimal, decimals: int | None) -> Interval:
    half = half_unit(decimals)
    return Interval(value - half, value + half)


def fact_interval(fact: Fact) -> Interval:
    """The interval a fact's written value stands for (exact when decimals is None)."""
    if fact.value is None:
        raise ValueError(f"fact {fact.id} has no value")
    if fact.kind in COUNTED and (fact.decimals is None or fact.decimals >= 0):
        return exact(fact.value)  # 108人 is exactly 108 people; only 2.35万人 is rounded
    return around(fact.value, fact.decimals)


def add(a: Interval, b: Interval) -> Interval:
    return Interval(a.lo + b.lo, a.hi + b.hi)


def sub(a: Interval, b: Interval) -> Interval:
    return Interval(a.lo - b.hi, a.hi - b.lo)


def neg(a: Interval) -> Interval:
    return Interval(-a.hi, -a.lo)


def mul(a: Interval, b: Interval) -> Interval:
    products = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
    return Interval(min(products), max(products))


def div(a: Interval, b: Interval) -> Interval:
    """a / b; the divisor must not contain zero."""
    if b.lo <= ZERO <= b.hi:
        raise ZeroDivisionError("divisor interval contains zero")
    quotients = (a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi)
    return Interval(min(quotients), max(quotients))


def share(part: Interval, whole: Interval) -> Interval:
    """part / whole in percent."""
    return mul(div(part, whole), exact(HUNDRED))


def change_rate(this: Interval, last: Interval) -> Interval:
    """(this - last) / last in percent."""
    return share(sub(this, last), last)


def total(intervals: Iterable[Interval]) -> Interval:
    result = exact(ZERO)
    for item in intervals:
        result = add(result, item)
    return result


def meet(a: Interval, b: Interval) -> bool:
    """True when the two intervals share at least one point."""
    return a.lo <= b.hi and b.lo <= a.hi


def distance(a: Interval, b: Interval) -> Decimal:
    """Gap between two intervals; zero when they meet."""
    if meet(a, b):
        return ZERO
    return b.lo - a.hi if a.hi < b.lo else a.lo - b.hi


def midpoint(a: Interval) -> Decimal:
    return (a.lo + a.hi) / 2


def contains(a: Interval, value: Decimal) -> bool:
    return a.lo <= value <= a.hi

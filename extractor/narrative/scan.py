"""Regex scanning of one block's text: quantities and non-quantities, leftmost-longest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..model import Kind
from ..numbers import Quantity, parse_quantity
from ..patterns import Patterns


class Match(NamedTuple):  # a tuple: created for every regex hit, so cheap to build
    start: int
    end: int
    rule: str  # "quantity.MONEY" / "non_quantity.YEAR"
    reason: str  # non-quantities only
    quantity: Quantity | None  # quantities only


BARE = "quantity.BARE"
IMPLIED_UNITS = {Kind.COUNT: "个", Kind.HEADCOUNT: "人", Kind.SCORE: "分", Kind.PERCENT: "%"}  # the unit of a count rule's bare number


def scan(norm: str, raw_text: str, patterns: Patterns, units: Sequence[tuple[str, int]] = ()) -> list[Match]:
    """All accepted matches in `norm` (the digit-normalised text), in text order.

    Every rule proposes matches; the leftmost wins, then the longest, then file order,
    and nothing may overlap an accepted match. A quantity whose text does not parse is
    dropped here and its digits end up unaccounted (coverage reports it). Under a unit
    header (`units`: each unit stated at a position, until the next), bare numbers after it
    are quantities in that unit, proposed after every rule.
    """
    candidates: list[tuple[int, int, int, str, str]] = []
    for order, rule in enumerate(patterns.rules):
        if rule.needs and not any(char in norm for char in rule.needs):
            continue
        name, reason = rule.name, rule.reason
        for m in rule.pattern.finditer(norm):
            start, end = m.span()
            if end > start:
                candidates.append((start, -end, order, name, reason))
    unit_at: dict[int, str] = {}
    if patterns.bare_number is not None:
        for (unit, start), (_, end) in zip(units, [*units[1:], ("", len(norm))]):
            for m in patterns.bare_number.finditer(norm, start, end) if unit else ():
                candidates.append((m.start(), -m.end(), len(patterns.rules), BARE, ""))
                unit_at[m.start()] = unit
    candidates.sort()
    accepted: list[Match] = []
    taken_until = -1
    for start, neg_end, _order, name, reason in candidates:
        end = -neg_end
        if start < taken_until:
            continue
        quantity = None
        if name.startswith("quantity."):
            quantity = parse_quantity(norm[start:end], unit_at[start] if name == BARE else "", raw=raw_text[start:end])
            if (quantity is None or not quantity.unit) and _order < len(patterns.rules):
                implied = IMPLIED_UNITS.get(patterns.rules[_order].kind)  # "股室7": a count rule's bare number
                if implied:
                    quantity = parse_quantity(norm[start:end], implied, raw=raw_text[start:end])
            if quantity is None:
                continue
        accepted.append(Match(start, end, name, reason, quantity))
        taken_until = end
    return accepted

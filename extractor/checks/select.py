"""Finding the facts a check compares: scopes, current-year values, parts of a total.

A scope is where figures are expected to agree with each other: the narrative of one
file ("text"), or one annex file's column (source, measure, year). Text facts with a
stated year other than the report year are not current values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..model import Direction, Extraction, Fact, Interval, Role, parse_year
from .intervals import fact_interval, neg

ScopeKey = tuple[object, ...]


TABLE_RULES = ("annex.", "grid.")  # facts read as table values; a prose cell's facts are read like paragraphs


def is_text(fact: Fact) -> bool:
    """Narrative facts: of paragraphs, or of prose inside a table cell (a report written in one big table)."""
    loc = fact.locator
    return loc.table is None or (loc.char_end > 0 and not fact.rule_id.startswith(TABLE_RULES))


def scope_of(fact: Fact) -> ScopeKey:
    if is_text(fact):
        return ("text", fact.locator.source)
    return ("annex", fact.locator.source, fact.measure, fact.year)


def signed_interval(fact: Fact) -> Interval:
    """A change's interval with the sign its direction word gives (减少5人 -> [-5, -5])."""
    interval = fact_interval(fact)
    if fact.direction is Direction.DECREASE and fact.value is not None and fact.value > 0:
        return neg(interval)
    return interval


def place_key(fact: Fact) -> tuple[object, ...]:
    loc = fact.locator
    return (
        loc.source,
        loc.table if loc.table is not None else -1,
        loc.row or 0,
        loc.block if loc.block is not None else -1,
        loc.col or 0,
        loc.char_start,
    )


class FactIndex:
    """Lookups over one submission's facts."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.facts = sorted(extraction.facts, key=place_key)
        self.by_id = {f.id: f for f in self.facts}
        self.year = parse_year(extraction.metadata.get("year"))
        self.by_label: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            self.by_label[fact.label].append(fact)

    def is_current(self, fact: Fact) -> bool:
        if fact.role is Role.PRIOR:
            return False
        return fact.year is None or self.year is None or fact.year == self.year

    def values(
        self, label: str, role: Role = Role.VALUE, where: str = "any", measures: Iterable[str] | None = None
    ) -> list[Fact]:
        """Facts with a value of one label and role, in text, annex or any; current-year
        only, except for role PRIOR (a 上年决算数 column)."""
        wanted = tuple(measures) if measures is not None else None
        found = []
        for fact in self.by_label.get(label, ()):
            if fact.value is None or fact.role is not role:
                continue
            if role is not Role.PRIOR and not self.is_current(fact):
                continue
            if where == "text" and not is_text(fact) or where == "annex" and is_text(fact):
                continue
            if wanted is not None and fact.measure not in wanted:
                continue
            found.append(fact)
        return found

    def figures(self, label: str, where: str = "any", measures: Iterable[str] | None = None) -> list[Fact]:
        """Current stated figures of a label: plain values and rates (执行率, 控制率), in place order."""
        found = self.values(label, Role.VALUE, where, measures) + self.values(
            label, Role.RATE, where, measures
        )
        return sorted(found, key=place_key)

    def prior_values(self, label: str) -> list[Fact]:
        """Figures stated for the year before the report year (基础数据表 上年决算数, 上年…)."""
        found = []
        for fact in self.by_label.get(label, ()):
            if fact.value is None or fact.role in (Role.CHANGE, Role.SHARE, Role.RATE):
                continue
            last_year = self.year is not None and fact.year == self.year - 1
            if last_year or (fact.role is Role.PRIOR and fact.year is None):
                found.append(fact)
        return found

    def pick_part(self, label: str, total: Fact, role: Role = Role.VALUE) -> Fact | None:
        """The fact of `label` that is a part of `total`: linked, same block, or alone in scope."""
        same_scope = [f for f in self.values(label, role) if scope_of(f) == scope_of(total)]
        for rule in (lambda f: f.part_of == total.id, lambda f: _same_place(f, total)):
            chosen = [f for f in same_scope if rule(f)]
            if chosen:
                return None if self.ambiguous_change(chosen[0]) else chosen[0]
        return same_scope[0] if len(same_scope) == 1 and not self.ambiguous_change(same_scope[0]) else None

    def ambiguous_change(self, fact: Fact) -> bool:
        """Several changes stated for one figure (持平，原因是新招录3人，1人离职…): which one is
        the change itself is unclear, so a sum of changes must not pick one."""
        if fact.role is not Role.CHANGE or not fact.of:
            return False
        stated = {
            (f.value, f.direction)
            for f in self.facts
            if f.of == fact.of and f.role is Role.CHANGE and _same_place(f, fact)
        }
        return len(stated) > 1

    def items_of(self, label: str, total: Fact, role: Role = Role.VALUE) -> list[Fact]:
        """Every fact of an enumerated label belonging to `total` (linked, else same scope)."""
        same_scope = [f for f in self.values(label, role) if scope_of(f) == scope_of(total)]
        linked = [f for f in same_scope if f.part_of == total.id]
        if linked or is_text(total):
            return linked
        return same_scope


def _same_place(fact: Fact, other: Fact) -> bool:
    if is_text(fact):
        return fact.locator.block == other.locator.block
    return fact.locator.table == other.locator.table

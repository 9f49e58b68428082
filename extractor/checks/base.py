"""Building CheckResults: status from intervals, reach from where the facts sit, messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..model import CheckResult, Direction, Fact, Interval, Level, Reach, Role, Severity, Status
from ..numbers import format_quantity
from .intervals import fact_interval, meet, midpoint, share
from .registry import build_result
from .rules import Rule, RuleSet
from .select import FactIndex, is_text

DIRECTION_WORD = {Direction.INCREASE: "增加", Direction.DECREASE: "减少"}


@dataclass
class CheckContext:
    index: FactIndex
    rules: RuleSet
    covered_totals: set[str] = field(default_factory=set)  # totals a label rule already summed
    covered_pairs: set[frozenset[str]] = field(default_factory=set)

    def figure(self, fact: Fact, named: bool = True) -> str:
        """A figure in a message: as written in the text; with its unit for a bare table cell."""
        shown = fact.raw if is_text(fact) or fact.value is None else show(fact.value, fact)
        if fact.role is Role.CHANGE and fact.direction is not None:
            shown = DIRECTION_WORD[fact.direction] + shown
        return f"{self.name(fact)}{shown}" if named else shown

    def name(self, fact: Fact) -> str:
        """What a reviewer calls the figure: the subject as written, else the label's display."""
        return _tidy(fact.subject) or self.rules.display(fact.label)


def _tidy(subject: str) -> str:
    """A row label as a name: "1、公务用车购置和维护经费" / "其中：公车购置" / "三公经费:" -> the words."""
    text = re.sub(
        r"^\s*(?:其中[:：]?|[0-9０-９]+[、.．]|[（(][0-9０-９一二三四五六七八九十]+[)）])\s*", "", subject
    )
    return text.strip().rstrip(":：").strip()


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, values: Mapping[str, object]) -> str:
    return template.format_map(_Blank(values))


def show(value: Decimal, like: Fact, exact: bool = False) -> str:
    """A value in `like`'s unit and written precision (or as is, when exact), as a reviewer reads it."""
    return format_quantity(value, like.unit, None if exact else like.decimals)


def quantize(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return value.normalize() if value == value.to_integral() else value
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def reach_of(facts: Sequence[Fact]) -> Reach:
    if not facts or any(is_text(f) for f in facts):
        return Reach.TEXT_TABLE
    tables = {(f.locator.source, f.locator.table) for f in facts}
    return Reach.WITHIN_TABLE if len(tables) == 1 else Reach.BETWEEN_TABLES


def compare(
    rule: Rule,
    reported_fact: Fact,
    reported: Interval,
    computed: Interval,
    used: Sequence[Fact],
    values: Mapping[str, object],
    subject: str,
    template: str | None = None,
    failed: bool | None = None,
) -> CheckResult:
    """PASS when the intervals meet; the message gets reported/expected/difference filled in.

    `reported_fact` gives the unit and written precision the figures are shown in;
    `failed` overrides the meet test for one-sided rules (parts <= total, score <= points).
    """
    if failed is None:
        failed = not meet(reported, computed)
    status = Status.FAIL if failed else Status.PASS
    places = reported_fact.decimals
    difference = quantize(midpoint(reported) - midpoint(computed), places)
    filled = {
        "subject": subject,
        "reported": show(midpoint(reported), reported_fact),
        "expected": show(midpoint(computed), reported_fact),
        "difference": show(difference, reported_fact),
        **values,
    }
    return build_result(
        rule,
        status,
        render(template or rule.message, filled) if status is Status.FAIL else passed(subject),
        fact_ids=_ids(reported_fact, used),
        reported=reported,
        computed=computed,
        difference=difference,
        reach=rule.reach or reach_of([reported_fact, *used]),
        subject=subject,
    )


def flag(
    rule: Rule,
    failed: bool,
    facts: Sequence[Fact],
    values: Mapping[str, object],
    subject: str,
    severity: Severity | None = None,
    level: Level | None = None,
) -> CheckResult:
    """A non-numeric (or one-sided) result: pass or fail with a rendered message."""
    return build_result(
        rule,
        Status.FAIL if failed else Status.PASS,
        render(rule.message, {"subject": subject, **values}) if failed else passed(subject),
        severity=severity or rule.severity,
        fact_ids=tuple(dict.fromkeys(f.id for f in facts)),
        reach=rule.reach or reach_of(facts),
        level=level or rule.level,
        subject=subject,
    )


def passed(subject: str) -> str:
    return f"{subject}：核查通过" if subject else "核查通过"


def skipped(rule: Rule, missing: Sequence[str], facts: Sequence[Fact] = (), subject: str = "") -> CheckResult:
    """A rule that could not run says so, naming what it did not find."""
    return build_result(
        rule,
        Status.SKIPPED,
        f"未核查：缺少{'、'.join(missing)}",
        fact_ids=tuple(f.id for f in facts),
        missing=tuple(missing),
        reach=rule.reach or reach_of(facts),
        subject=subject,
    )


def _ids(first: Fact, used: Sequence[Fact]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([first.id, *(f.id for f in used)]))


@dataclass(frozen=True)
class Operand:
    """One side of a stated share or ratio: its placeholder, its name when missing, its fact."""

    key: str  # message placeholder: part / total, numerator / denominator
    name: str
    fact: Fact | None


def compare_share(ctx: CheckContext, rule: Rule, stated: Fact, num: Operand, den: Operand,
                  skip_subject: str = "", name_by_part: bool = False) -> CheckResult:
    """A stated % against num / den x 100 on intervals; skipped, naming what is missing (or
    the zero denominator), when it cannot be computed. The subject is the stated figure's
    name, or the part's when name_by_part."""
    n, d = num.fact, den.fact
    if n is None or d is None or n.value is None or d.value is None or d.value == 0:
        missing = [o.name for o in (num, den) if o.fact is None or o.fact.value is None]
        return skipped(rule, missing or ["非零的" + den.name], [stated], skip_subject)
    computed = share(fact_interval(n), fact_interval(d))
    names = {num.key: ctx.figure(n), den.key: ctx.figure(d)}
    subject = ctx.name(n if name_by_part else stated)
    return compare(rule, stated, fact_interval(stated), computed, [n, d], names, subject)

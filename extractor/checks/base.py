"""Building CheckResults: status from intervals, reach from where the facts sit, messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..model import CheckResult, Direction, Fact, Interval, Level, Reach, Role, Severity, Status
from ..numbers import format_quantity
from .intervals import HUNDRED, fact_interval, meet, midpoint, share
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

    def figure(self, fact: Fact, named: bool = True, column: bool = True) -> str:
        """A figure in a message: as written in the text; with its unit for a bare table cell,
        named by its row label and (column) its column header."""
        shown = fact.raw if is_text(fact) or fact.value is None else show(fact.value, fact)
        if fact.role is Role.CHANGE and fact.direction is not None:
            shown = DIRECTION_WORD[fact.direction] + shown
        return f"{self.name(fact, column)}{shown}" if named else shown

    def name(self, fact: Fact, column: bool = False) -> str:
        """What a reviewer calls the figure: the subject as written, else the label's display;
        with column, a table cell's column header too ("年度资金总额（全年执行数）") and a text
        figure's paragraph ("基本支出（第3段）"), so each operand says where it stands."""
        name = _tidy(fact.subject) or self.rules.display(fact.label)
        where = (column_of(fact) or paragraph_of(fact)) if column else ""
        return f"{name}（{where}）" if where else name


    def parts_listed(self, total: Fact, parts: Sequence[Fact]) -> str:
        """The parts of a sum joined with ＋, each column named unless it is the total's."""
        same = all(column_of(p) == column_of(total) for p in parts)
        return "＋".join(self.figure(p, column=not same) for p in parts)


def column_of(fact: Fact) -> str:
    """A table cell's column header, when it says more than the row label; "" for text."""
    header = fact.col_label.strip()
    if is_text(fact) or not header or header in fact.subject or fact.subject.strip() in header:
        return ""
    return header


def paragraph_of(fact: Fact) -> str:
    """A text figure's paragraph as the 位置 column counts it ("第3段"); "" for a table cell."""
    block = fact.locator.block
    return f"第{block + 1}段" if is_text(fact) and block is not None else ""


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


def show(value: Decimal, like: Fact, exact: bool = False, decimals: int | None | str = "like") -> str:
    """A value in `like`'s unit and written precision (or as is, when exact; or at `decimals`),
    as a reviewer reads it."""
    places = like.decimals if decimals == "like" else decimals
    return format_quantity(value, like.unit, None if exact else places)  # type: ignore[arg-type]


def show_difference(value: Decimal, like: Fact, decimals: int | None) -> str:
    """A difference in `like`'s unit; the difference of two rates in 个百分点."""
    unit = "个百分点" if like.unit == "%" else like.unit
    return format_quantity(value, unit, decimals)


RATE_PLACES = 2  # a rate computed from two amounts is shown to two decimals


def finer(*decimals: int | None) -> int | None:
    """The finest of written precisions (None: exact or unknown, ignored)."""
    known = [d for d in decimals if d is not None]
    return max(known) if known else None


def computed_places(reported: Fact, used: Sequence[Fact]) -> int | None:
    """The precision a computed figure supports: two decimals for a rate from amounts, else
    the finest of the operands it is computed from (a sum of 119.968 and 0 is to 0.001)."""
    if reported.unit == "%" and any(f.unit != "%" for f in used):
        return RATE_PLACES
    same = [f.decimals for f in used if f.unit == reported.unit]
    return finer(*same) if finer(*same) is not None else reported.decimals


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
    point: Decimal | None = None,
    decimals: int | None | str = "operands",
) -> CheckResult:
    """PASS when the intervals meet; the message gets reported/expected/difference filled in.

    `reported_fact` gives the unit the figures are shown in and the reported one's written
    precision; the computed figure (`point`, the computation on the written values; default
    the computed interval's midpoint) is shown at the precision the computation supports
    (computed_places, or `decimals`), the difference at the finer of the two, never rounded
    to the reported figure's precision; `failed` overrides the meet test for one-sided rules
    (parts <= total, score <= points).
    """
    if failed is None:
        failed = not meet(reported, computed)
    status = Status.FAIL if failed else Status.PASS
    places = computed_places(reported_fact, used) if decimals == "operands" else decimals
    value = midpoint(computed) if point is None else point
    gap_places = finer(reported_fact.decimals, places)  # type: ignore[arg-type]
    difference = quantize(midpoint(reported) - value, gap_places)
    filled = {
        "subject": subject,
        "reported": show(midpoint(reported), reported_fact),
        "expected": show(value, reported_fact, decimals=places),
        "difference": show_difference(difference, reported_fact, gap_places),
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
        computed_decimals=places,  # type: ignore[arg-type]
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


def _same_row(a: Fact, b: Fact) -> bool:
    return not is_text(a) and (a.locator.source, a.locator.table, a.locator.row) == (
        b.locator.source, b.locator.table, b.locator.row)


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
    if _same_row(n, d) and column_of(n) and column_of(d):  # 年度资金总额全年执行数…÷全年预算数…
        names = {num.key: ctx.name(n) + column_of(n) + ctx.figure(n, named=False),
                 den.key: column_of(d) + ctx.figure(d, named=False)}
    subject = ctx.name(n if name_by_part else stated)
    point = n.value / d.value * HUNDRED
    return compare(rule, stated, fact_interval(stated), computed, [n, d], names, subject, point=point)

"""Label-free checks: they follow the relations extraction recorded on facts, not labels.

- any 其中 list (Fact.part_of): the parts never exceed their total;
- any 占比 (role share, Fact.of -> the amount, part_of -> the total): share = part / total;
- any enumeration (Fact.group) whose amounts cover their total: the shares add to 100%;
- any change with a direction word: this year - last year = the stated change, same sign;
- headcount changes and their stated reasons (3人退休 + 2人离职 = 5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from ..model import CheckResult, Fact, Interval, Kind, Role, Status
from . import intervals as iv
from .base import DIRECTION_WORD, CheckContext, Operand, compare, compare_share, skipped
from .registry import NUMERIC, register
from .rules import Rule
from .select import is_text, signed_interval


def _amount_like(fact: Fact) -> bool:
    return fact.value is not None and fact.kind not in (Kind.TEXT, Kind.PERCENT, Kind.PERCENT_POINT)


def _amounts_by(facts: Iterable[Fact], key: str) -> dict[str, list[Fact]]:
    """Amount-like stated values grouped by their `part_of` total or their enumeration `group`."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        owner = getattr(fact, key)
        if owner and fact.role is Role.VALUE and _amount_like(fact):
            groups[owner].append(fact)
    return groups


@register("parts_within_total", generic=True, placeholders=NUMERIC | {"parts"})
def check_parts_within_total(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """其中: the listed parts of a total (same unit) never add to more than the total."""
    groups = _amounts_by(ctx.index.facts, "part_of")
    out = []
    for total_id, parts in groups.items():
        total = ctx.index.by_id.get(total_id)
        if total is None or total.id in ctx.covered_totals or not _amount_like(total):
            continue
        parts = [p for p in parts if p.unit == total.unit]
        if not parts or total.role is not Role.VALUE:
            continue
        summed = iv.total(iv.fact_interval(p) for p in parts)
        reported = iv.fact_interval(total)
        listed = ctx.parts_listed(total, parts)
        out.append(
            compare(
                rule,
                total,
                reported,
                summed,
                parts,
                {"parts": listed},
                ctx.name(total, column=True),
                failed=summed.lo > reported.hi,
            )
        )
    return out


@register("share_of_total", generic=True, placeholders=NUMERIC | {"part", "total"})
def check_share_of_total(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """占比 p% of an amount: p = amount / total x 100 on intervals."""
    out = []
    for share in ctx.index.facts:
        if share.role is not Role.SHARE or share.value is None or share.unit != "%":
            continue
        part = ctx.index.by_id.get(share.of or "")
        whole_id = share.part_of or (part.part_of if part else None)
        whole = ctx.index.by_id.get(whole_id or "")
        num, den = Operand("part", "占比对应的数额", part), Operand("total", "总额", whole)
        out.append(compare_share(ctx, rule, share, num, den, skip_subject=share.subject, name_by_part=True))
    return out


@register("share_sum", generic=True, placeholders=NUMERIC | {"count"})
def check_share_sum(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """An enumeration whose amounts cover the total: its shares, rounded one by one, add to 100%."""
    groups = _amounts_by(ctx.index.facts, "group")
    shares_of = {f.of: f for f in ctx.index.facts if f.role is Role.SHARE and f.of and f.value is not None}
    out = []
    for items in groups.values():
        shares = [shares_of[i.id] for i in items if i.id in shares_of]
        if len(items) < 2 or len(shares) != len(items) or not _covers_total(ctx, items):
            continue
        summed = iv.total(iv.fact_interval(s) for s in shares)
        like = max(shares, key=lambda s: s.decimals or 0)
        out.append(compare(rule, like, iv.exact(iv.HUNDRED), summed, shares, {"count": len(shares)}, "占比合计"))
    return out


def _covers_total(ctx: CheckContext, items: list[Fact]) -> bool:
    total = ctx.index.by_id.get(items[0].part_of or "")
    if total is None or total.value is None:
        return False
    return iv.meet(iv.total(iv.fact_interval(i) for i in items), iv.fact_interval(total))


@register(
    "change_vs_prior",
    generic=True,
    optional={"role": str, "direction_message": str},
    placeholders=NUMERIC | {"last", "this", "direction", "stated"},
    templates=("direction_message",),
)
def check_change_vs_prior(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """A stated change (or change rate) against this year's and last year's figures."""
    role = Role(rule.param("role", "change"))
    out = []
    for change in ctx.index.facts:
        if not _is_stated_change(ctx, change, role):
            continue
        this, last = _this_value(ctx, change), _last_value(ctx, change)
        if this is None or last is None:
            missing = [n for n, f in (("本年数", this), ("上年数", last)) if f is None]
            out.append(skipped(rule, missing, [change], ctx.name(change)))
            continue
        out.append(_compare_change(ctx, rule, change, this, last, role))
    return out


def _is_stated_change(ctx: CheckContext, fact: Fact, role: Role) -> bool:
    if fact.role is not role or fact.value is None or not is_text(fact):
        return False
    target = ctx.index.by_id.get(fact.of or "")
    if target is not None and target.role is Role.CHANGE:
        return False  # a reason explaining another change, checked by change_reasons
    return role is Role.CHANGE or fact.direction is not None


def _this_value(ctx: CheckContext, change: Fact) -> Fact | None:
    target = ctx.index.by_id.get(change.of or "")
    if target is not None and target.value is not None and target.role is Role.VALUE:
        return target
    if not change.label:
        return None
    same = [
        f for f in ctx.index.values(change.label, where="text") if f.locator.block == change.locator.block
    ]
    annex = ctx.index.values(change.label, where="annex", measures=("final", "executed"))
    return (same or annex or [None])[0]  # only the change is written: this year's figure from the annex


def _last_value(ctx: CheckContext, change: Fact) -> Fact | None:
    if not change.label:
        return None
    this = _this_value(ctx, change)
    found = [f for f in ctx.index.prior_values(change.label) if this is None or f.unit == this.unit]
    found.sort(key=lambda f: (not is_text(f), f.measure != "final"))
    return found[0] if found else None


def _compare_change(
    ctx: CheckContext, rule: Rule, change: Fact, this: Fact, last: Fact, role: Role
) -> CheckResult:
    this_iv, last_iv = iv.fact_interval(this), iv.fact_interval(last)
    try:
        computed = iv.change_rate(this_iv, last_iv) if role is Role.RATE else iv.sub(this_iv, last_iv)
    except ZeroDivisionError:
        return skipped(rule, ["非零的上年数"], [change, this, last], ctx.name(change))
    reported = signed_interval(change)
    word = DIRECTION_WORD[change.direction] if change.direction is not None else ""
    values = {
        "this": ctx.figure(this, False),
        "last": ctx.figure(last, False),
        "direction": _direction_word(computed),
        "stated": f"{word}{change.raw}",
    }
    assert this.value is not None and last.value is not None
    point = this.value - last.value
    if role is Role.RATE:
        point = point / last.value * iv.HUNDRED
    args = (rule, change, reported, computed, [this, last], values, ctx.name(change))
    result = compare(*args, point=point)
    magnitude_agrees = _same_magnitude(reported, computed)
    if result.status is Status.FAIL and magnitude_agrees and "direction_message" in rule.params:
        result = compare(*args, rule.params["direction_message"], point=point)
    return result


def _explaining(reason: Fact, change: Fact) -> Fact:
    """A reason without a direction word (原因是3人退休) moves the way the change does;
    with one (新进4人 / 退休1人) it carries its own sign."""
    if reason.direction is None and change.direction is not None:
        return replace(reason, direction=change.direction)
    return reason


def _abs(a: Interval) -> Interval:
    return a if a.lo >= 0 else iv.neg(a) if a.hi <= 0 else Interval(Decimal(0), max(-a.lo, a.hi))


def _same_magnitude(reported: Interval, computed: Interval) -> bool:
    return iv.meet(_abs(reported), _abs(computed))


def _direction_word(computed: Interval) -> str:
    if computed.lo > 0:
        return "增加"
    if computed.hi < 0:
        return "减少"
    return "基本持平"


@register("change_reasons", generic=True, placeholders=NUMERIC | {"parts"})
def check_change_reasons(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """减少5人，原因是3人退休，2人离职 / 增加3人（新进4人，退休1人）: the signed reasons add up to the change."""
    reasons: dict[str, list[Fact]] = defaultdict(list)
    for fact in ctx.index.facts:
        target = ctx.index.by_id.get(fact.of or "")
        if (
            fact.value is not None
            and target is not None
            and target.role is Role.CHANGE
            and fact.role is Role.CHANGE
        ):
            reasons[target.id].append(fact)
    out = []
    for target_id, parts in reasons.items():
        change = ctx.index.by_id[target_id]
        if change.kind is not Kind.HEADCOUNT or change.value is None:
            continue
        summed = iv.total(signed_interval(_explaining(p, change)) for p in parts)
        listed = "、".join(f"{p.subject}{p.raw}" if p.subject != change.subject else p.raw for p in parts)
        result = compare(rule, change, signed_interval(change), summed, parts, {"parts": listed}, ctx.name(change))
        out.append(replace(result, fact_ids=_with_bases(result.fact_ids, _change_bases(ctx, change))))
    return out


def _change_bases(ctx: CheckContext, change: Fact) -> list[Fact]:
    """The two figures the change is taken between (this year's, last year's) when the change's
    own paragraph writes them: a reviewer checking the reasons looks at both headcounts too."""
    this = _this_value(ctx, change)
    if this is None or this.locator.block != change.locator.block:
        return []
    last = _last_value(ctx, change) or _year_before_in_block(ctx, this)
    return [f for f in (this, last) if f is not None and f.locator.block == change.locator.block]


def _year_before_in_block(ctx: CheckContext, this: Fact) -> Fact | None:
    """2021年年末在职职工108人，2022年年末在职人员103人: the same label's figure written for
    the year before, in the same paragraph (the report year may be unknown to the index)."""
    for fact in ctx.index.by_label.get(this.label, ()):
        same_block = fact.locator.block == this.locator.block and fact.unit == this.unit
        before = this.year is not None and fact.year == this.year - 1
        if same_block and before and fact.value is not None and fact.role in (Role.VALUE, Role.PRIOR):
            return fact
    return None


def _with_bases(ids: tuple[str, ...], bases: list[Fact]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*ids, *(f.id for f in bases)]))

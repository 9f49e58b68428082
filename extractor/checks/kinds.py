"""The label rule kinds of patterns/checks.toml: one small function per kind, registered
(extractor.checks.registry) with the parameters it takes and the message placeholders it
can fill. Generic kinds (generic.py) need no label.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..model import CheckResult, Fact, Interval, Level, Role, Severity, Status
from ..vocabulary import DEFAULT_MESSAGES
from . import intervals as iv
from .base import CheckContext, Operand, compare, compare_share, finer, flag, show, skipped
from .registry import NUMERIC, register
from .rules import Rule
from .scoring_facts import joined_cells
from .select import is_text, scope_of, signed_interval

# ---- sum: a total equals its parts ---------------------------------------------------


@register(
    "sum",
    required={"total": str},
    optional={"parts": list, "items": str, "role": str, "where": str, "min_parts": int, "precision_message": str},
    label_keys=("total", "parts", "items"),
    placeholders=NUMERIC | {"parts", "assumed", "exact", "gap"},
    templates=("precision_message",),
)
def check_sum(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    role = Role(rule.param("role", "value"))
    totals = ctx.index.values(rule.params["total"], role, rule.param("where", "any"))
    if role is Role.VALUE:  # the annex's 上年决算数 column must add up too
        totals += ctx.index.values(rule.params["total"], Role.PRIOR, "annex")
    if not totals:
        return [skipped(rule, [ctx.rules.display(rule.params["total"])])]
    results = []
    for total in totals:
        parts, missing = _parts_for(ctx, rule, total, total.role)
        if not _enough_parts(rule, parts, missing):
            results.append(skipped(rule, missing or ["分项"], [total], ctx.name(total)))
            continue
        ctx.covered_totals.add(total.id)
        computed = iv.total(signed_interval(p) for p in parts)
        listed = ctx.parts_listed(total, parts)
        result = compare(
            rule, total, signed_interval(total), computed, parts, {"parts": listed}, ctx.name(total, column=True)
        )
        short = computed.hi < signed_interval(total).lo
        if short and "items" in rule.params and is_text(total) and not listing_complete(ctx, parts):
            result = _advisory(result)  # a narrative may list only the main projects
        elif result.status is Status.PASS:
            result = _bare_integer_test(ctx, rule, total, parts, listed) or result
        results.append(result)
    return results


def _bare_integer_test(ctx: CheckContext, rule: Rule, total: Fact, parts: list[Fact], listed: str) -> CheckResult | None:
    """Parts written to two decimals beside a bare integer (39.99 + 40): the sum with the
    integer taken as exact (40.00); a 提示 stating the assumption when only that test fails."""
    finest = finer(*(p.decimals for p in parts))
    bare = [p for p in parts if p.decimals is not None and finest is not None and p.decimals < finest]
    if not bare or len(bare) == len(parts):
        return None
    half = iv.half_unit(finest)
    exact = iv.total(
        _recentred(signed_interval(p), half) if p in bare else signed_interval(p) for p in parts
    )
    reported = signed_interval(total)
    if iv.meet(reported, exact):
        return None
    gap = iv.midpoint(reported) - iv.midpoint(exact)
    values = {
        "parts": listed,
        "gap": show(abs(gap), total, decimals=finest),
        "assumed": "、".join(ctx.figure(p, column=False) for p in bare),
        "exact": "、".join(show(p.value, p, decimals=finest) for p in bare if p.value is not None),
    }
    template = rule.param("precision_message", DEFAULT_MESSAGES["precision_message"])
    found = compare(rule, total, reported, exact, parts, values, ctx.name(total, column=True),
                    template=template, failed=True, decimals=finest)
    return _advisory(found)


def _recentred(interval: Interval, half: Decimal) -> Interval:
    middle = iv.midpoint(interval)
    return Interval(middle - half, middle + half)


def listing_complete(ctx: CheckContext, items: list[Fact]) -> bool:
    """A narrative list that claims to be whole: an 其他/其余 item, or shares adding to about 100%."""
    if any(word in item.subject for item in items for word in ("其他", "其它", "其余")):
        return True
    shares = [
        f
        for f in ctx.index.facts
        if f.role is Role.SHARE and f.value is not None and f.of in {i.id for i in items}
    ]
    return len(shares) == len(items) and abs(sum(s.value for s in shares if s.value is not None) - 100) <= 1


def _enough_parts(rule: Rule, parts: list[Fact], missing: list[str]) -> bool:
    """All parts found, or at least `min_parts` of them (the others count as zero)."""
    return bool(parts) and len(parts) >= rule.param("min_parts", len(parts) + len(missing))


def _parts_for(ctx: CheckContext, rule: Rule, total: Fact, role: Role) -> tuple[list[Fact], list[str]]:
    if "items" in rule.params:
        return ctx.index.items_of(rule.params["items"], total, role), []
    parts, missing = [], []
    for label in rule.param("parts", []):
        part = ctx.index.pick_part(label, total, role)
        if part is None:
            missing.append(ctx.rules.display(label))
        else:
            parts.append(part)
    return parts, missing


# ---- equal: the same figure in the narrative and in an annex ---------------------------


@register(
    "equal",
    required={"text": list, "annex": list},
    optional={"measures": list, "text_measures": list, "rounding_message": str},
    label_keys=("text", "annex"),
    templates=("rounding_message",),
)
def check_equal(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    text_measures = rule.param("text_measures")
    lefts = [
        f
        for label in rule.params["text"]
        for f in ctx.index.figures(label, where="text", measures=text_measures)
    ]
    rights = _preferred_measure(ctx, rule)
    missing = [] if lefts else ["报告正文中的" + ctx.rules.display(rule.params["text"][0])]
    if not rights:
        missing.append("附表中的" + ctx.rules.display(rule.params["annex"][0]))
    if missing:
        return [skipped(rule, missing, lefts + rights)]
    results = []
    for left in lefts:
        for right in rights:
            ctx.covered_pairs.add(frozenset((left.id, right.id)))
            results.append(_equal_pair(ctx, rule, left, right))
    return results


def _preferred_measure(ctx: CheckContext, rule: Rule) -> list[Fact]:
    measures = rule.param("measures", ["final", "executed", ""])
    found = [
        f
        for label in rule.params["annex"]
        for f in ctx.index.figures(label, where="annex", measures=measures)
    ]
    for measure in measures:
        chosen = [f for f in found if f.measure == measure]
        if chosen:
            return chosen
    return []


def _equal_pair(ctx: CheckContext, rule: Rule, left: Fact, right: Fact) -> CheckResult:
    """The same figure written twice: the finer one must round to the coarser one.

    (Two intervals one last-digit unit apart touch, so `meet` alone would pass them.)
    """
    failed = not same_figure(left, right)
    args = (rule, left, iv.fact_interval(left), iv.fact_interval(right), [right], {}, ctx.name(left))
    if failed and rounding_rebalanced(ctx, left, right):
        return _advisory(compare(*args, template=rule.param("rounding_message", rule.message), failed=True))
    return compare(*args, failed=failed)


def same_figure(a: Fact, b: Fact) -> bool:
    coarse, fine = (a, b) if _coarser(a, b) else (b, a)
    assert fine.value is not None
    return iv.contains(iv.fact_interval(coarse), fine.value)


def _coarser(a: Fact, b: Fact) -> bool:
    if a.decimals is None:
        return False
    return b.decimals is None or a.decimals <= b.decimals


def rounding_rebalanced(ctx: CheckContext, text: Fact, table: Fact) -> bool:
    """舍位平衡: one unit apart in the last written digit, and the table's own sums add exactly."""
    assert text.value is not None and table.value is not None
    places = [d for d in (text.decimals, table.decimals) if d is not None]
    if not places or abs(text.value - table.value) != Decimal(1).scaleb(-min(places)):
        return False
    return table_sums_exact(ctx, table)


def table_sums_exact(ctx: CheckContext, fact: Fact) -> bool:
    """Every label sum rule touching `fact` in its table column adds exactly (and one does)."""
    checked = 0
    for rule in ctx.rules.by_kind("sum"):
        labels = {rule.params["total"], *rule.param("parts", []), rule.param("items", "")}
        if fact.label not in labels:
            continue
        for total in ctx.index.values(rule.params["total"], where="annex"):
            if scope_of(total) != scope_of(fact):
                continue
            parts, missing = _parts_for(ctx, rule, total, total.role)
            if not _enough_parts(rule, parts, missing):
                continue
            checked += 1
            if sum(p.value for p in parts if p.value is not None) != total.value:
                return False
    return checked > 0


def _advisory(result: CheckResult) -> CheckResult:
    return replace(result, severity=Severity.WARNING, level=Level.ADVISORY)


# ---- ratio: a stated rate equals numerator / denominator ------------------------------


@register(
    "ratio",
    required={"result": str, "numerator": str, "denominator": str},
    optional={
        "result_measures": list,
        "numerator_measures": list,
        "denominator_measures": list,
        "where": str,
    },
    label_keys=("result", "numerator", "denominator"),
    placeholders=NUMERIC | {"numerator", "denominator"},
)
def check_ratio(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    where = rule.param("where", "any")
    results_found = [
        f
        for role in (Role.VALUE, Role.RATE)
        for f in ctx.index.values(rule.params["result"], role, where, rule.param("result_measures"))
    ]
    if not results_found:
        return [skipped(rule, [ctx.rules.display(rule.params["result"])])]
    out = []
    for stated in results_found:
        num, den = (
            Operand(key, ctx.rules.display(rule.params[key]),
                    _near(ctx, rule.params[key], stated, rule.param(f"{key}_measures")))
            for key in ("numerator", "denominator")
        )
        out.append(compare_share(ctx, rule, stated, num, den))
    return out


def _near(ctx: CheckContext, label: str, anchor: Fact, measures: list[str] | None) -> Fact | None:
    """A current value of `label` from the same file and side (text/annex), preferred measure first."""
    found = [
        f
        for f in ctx.index.values(label, measures=measures)
        if f.locator.source == anchor.locator.source and is_text(f) == is_text(anchor)
    ]
    for measure in measures or [None]:
        chosen = [f for f in found if measure is None or f.measure == measure]
        if chosen:
            same_row = [
                f
                for f in chosen
                if f.locator.table == anchor.locator.table and f.locator.row == anchor.locator.row
            ]
            return (same_row or chosen)[0]
    return None


# ---- match_any: a split total equals the table total in one of its columns -------------------


@register(
    "match_any",
    required={"label": str, "against": str},
    optional={"measures": list},
    label_keys=("label", "against"),
    placeholders=NUMERIC | {"against"},
)
def check_match_any(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    splits = ctx.index.values(rule.params["label"], where="annex")
    if not splits:
        return [skipped(rule, [ctx.rules.display(rule.params["label"])])]
    out = []
    for split in splits:
        totals = [
            f
            for f in ctx.index.values(rule.params["against"], where="annex", measures=rule.param("measures"))
            if f.locator.source == split.locator.source
        ]
        if not totals:
            out.append(skipped(rule, [ctx.rules.display(rule.params["against"])], [split], ctx.name(split)))
            continue
        split_iv = iv.fact_interval(split)
        closest = min(totals, key=lambda t: iv.distance(split_iv, iv.fact_interval(t)))
        against = {"against": ctx.figure(closest)}
        out.append(compare(rule, split, split_iv, iv.fact_interval(closest), [closest], against, ctx.name(split)))
    return out


# ---- bound: a figure beyond a plausible limit (控制率 over 100%) ----------------------------


@register(
    "bound",
    required={"label": str},
    optional={"max": str, "min": str, "where": str},
    label_keys=("label",),
    placeholders=frozenset({"subject", "reported", "bound"}),
)
def check_bound(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    facts = [
        f
        for role in (Role.VALUE, Role.RATE)
        for f in ctx.index.values(rule.params["label"], role, rule.param("where", "any"))
    ]
    if not facts:
        return [skipped(rule, [ctx.rules.display(rule.params["label"])])]
    out = []
    for fact in facts:
        assert fact.value is not None
        low, high = Decimal(rule.param("min", "-Infinity")), Decimal(rule.param("max", "Infinity"))
        beyond = fact.value > high or fact.value < low
        bound = show(high if fact.value > high else low, fact, exact=True) if beyond else ""
        out.append(flag(rule, beyond, [fact], {"reported": fact.raw, "bound": bound}, ctx.name(fact)))
    return out


# ---- le: one figure never exceeds another (得分 <= 分值) --------------------------------------


@register(
    "le", required={"small": str, "large": str}, optional={"pair_by": str}, label_keys=("small", "large")
)
def check_le(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    smalls = ctx.index.values(rule.params["small"], where="annex")
    if not smalls:
        return [skipped(rule, [ctx.rules.display(rule.params["small"])])]
    out = []
    for small in smalls:
        large = _partner(ctx, rule, small)
        if large is None:
            out.append(skipped(rule, [ctx.rules.display(rule.params["large"])], [small], ctx.name(small)))
            continue
        unread = [f for f in (small, large) if joined_cells(f)]  # said by score.indicator_points
        if unread:
            out.append(skipped(rule, ["可读的" + ctx.rules.display(f.label) for f in unread], [small, large], ctx.name(small)))
            continue
        small_iv, large_iv = iv.fact_interval(small), iv.fact_interval(large)
        out.append(
            compare(
                rule,
                small,
                small_iv,
                large_iv,
                [large],
                {},
                ctx.name(small),
                failed=small_iv.lo > large_iv.hi,
            )
        )
    return out


def _partner(ctx: CheckContext, rule: Rule, small: Fact) -> Fact | None:
    candidates = ctx.index.values(rule.params["large"], where="annex")
    if rule.param("pair_by", "group") == "group":
        chosen = [f for f in candidates if small.group is not None and f.group == small.group]
    else:
        chosen = [f for f in candidates if f.locator.source == small.locator.source]
    return chosen[0] if chosen else None

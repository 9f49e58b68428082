"""Counts ("共N个" against the items listed) and completeness (required sections, both annexes)."""

from __future__ import annotations

from ..model import CheckResult, Fact
from .base import CheckContext, flag, skipped
from .registry import register
from .rules import Rule
from .select import is_text

# ---- count: "共N个" against the items listed ------------------------------------------------


@register(
    "count",
    required={"label": str, "total": str, "items": str},
    label_keys=("label", "total", "items"),
    placeholders=frozenset({"subject", "reported", "expected"}),
)
def check_count(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    stated = ctx.index.values(rule.params["label"], where="text")
    if not stated:
        return [skipped(rule, [ctx.rules.display(rule.params["label"])])]
    out = []
    for count in stated:
        listed = _listed_items(ctx, rule, count)
        if not listed:
            out.append(skipped(rule, [ctx.rules.display(rule.params["items"])], [count], ctx.name(count)))
            continue
        assert count.value is not None
        values = {"reported": count.raw, "expected": f"{len(listed)}个"}
        out.append(flag(rule, count.value != len(listed), [count, *listed], values, ctx.name(count)))
    return out


def _listed_items(ctx: CheckContext, rule: Rule, count: Fact) -> list[Fact]:
    """The items of the total stated beside the count, else the first enumeration after it."""
    totals = [
        t
        for t in ctx.index.values(rule.params["total"], where="text")
        if t.locator.source == count.locator.source and t.locator.block == count.locator.block
    ]
    for total in totals:
        items = ctx.index.items_of(rule.params["items"], total)
        if items:
            return items
    after = [
        f
        for f in ctx.index.values(rule.params["items"], where="text")
        if f.locator.source == count.locator.source and (f.locator.block or 0) >= (count.locator.block or 0)
    ]
    groups = [f.group for f in after if f.group]
    return [f for f in after if groups and f.group == groups[0]]


# ---- completeness: required sections and both annexes ------------------------------------


def for_this_type(ctx: CheckContext, rule: Rule) -> bool:
    """A rule's `types` (default department): a 项目支出 report (metadata report_type) is not
    asked for the 部门整体 annexes and sections, nor a department report for a project's."""
    return ctx.index.extraction.metadata.get("report_type", "department") in rule.param("types", ["department", "project"])


@register("section", required={"name": str, "keywords": list}, optional={"types": list},
          placeholders=frozenset({"subject", "missing"}))
def check_section(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    if not for_this_type(ctx, rule):
        return []
    outline = list(ctx.index.extraction.outline)
    outline += ["/".join(f.locator.section) for f in ctx.index.facts]
    if not outline:
        return [skipped(rule, ["报告正文"])]
    found = any(word in line for line in outline for word in rule.params["keywords"])
    return [flag(rule, not found, [], {"missing": rule.params["name"]}, rule.params["name"])]


@register(
    "annex",
    required={"name": str, "labels": list},
    optional={"types": list},
    label_keys=("labels",),
    placeholders=frozenset({"subject", "missing"}),
)
def check_annex(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    if not for_this_type(ctx, rule):
        return []
    wanted = set(rule.params["labels"])
    present = [f for f in ctx.index.facts if not is_text(f) and f.label in wanted]
    return [flag(rule, not present, present[:1], {"missing": rule.params["name"]}, rule.params["name"])]

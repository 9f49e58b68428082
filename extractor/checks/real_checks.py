"""Checks that real reports of other units call for (issue 12), one registered kind each.

- count_vs_names: "直属事业单位10个，即 A、B、C…" — the stated count against the number
  of names listed after 即/包括/分别为 (or in the bracket right after the noun: "辖4个全额
  拨款事业单位（A、B、C、D）"). A list ending in 等 is partial and not checked.
- annex_of_type / section_of_type: the completeness checks, for the report types a rule
  names (metadata report_type: a 项目支出 report expects its 项目支出绩效自评表, not 附件1/2).
"""

from __future__ import annotations

import regex

from ..model import CheckResult, Fact, Kind, Role
from .base import CheckContext, flag
from .completeness import check_annex, check_section
from .registry import register
from .rules import Rule
from .select import is_text

LIST_AFTER = regex.compile(r"^\s*[,，:：]?\s*(?:即|包括|包含|分别为|分别是|分别有)\s*[:：]?(?P<names>[^。；;！？!?\n]+)")
LIST_IN_BRACKET = regex.compile(r"^[\p{Han}]{0,14}[（(](?P<names>[^（()）]+)[)）]")
SEPARATORS = regex.compile(r"[、，,]|(?:以及|和|及|与)")
MAX_NAME = 24  # a longer item is prose, not a name


def listed_names(text: str) -> list[str] | None:
    """The names of a list as written ("A、B和C" -> [A, B, C]); None when it is no plain list."""
    text = text.strip().rstrip("。.")
    if not text or text.endswith(("等", "等等")) or regex.search(r"\d", text):
        return None
    names = [n.strip() for n in SEPARATORS.split(text) if n.strip()]
    if len(names) < 2 or any(len(n) > MAX_NAME for n in names):
        return None
    return names


def names_after(fact: Fact) -> list[str] | None:
    """The names listed right after a text count in its sentence, if any."""
    position = fact.sentence.find(fact.raw)
    if position < 0:
        return None
    rest = fact.sentence[position + len(fact.raw):]
    match = LIST_AFTER.match(rest) or LIST_IN_BRACKET.match(rest)
    return listed_names(match.group("names")) if match else None


@register("count_vs_names", generic=True, placeholders=frozenset({"subject", "reported", "expected", "names"}))
def check_count_vs_names(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    out = []
    for fact in ctx.index.facts:
        if fact.kind is not Kind.COUNT or fact.role is not Role.VALUE or fact.value is None or not is_text(fact):
            continue
        names = names_after(fact)
        if names is None:
            continue
        failed = len(names) != fact.value
        values = {"reported": fact.raw, "expected": f"{len(names)}个", "names": "、".join(names)}
        out.append(flag(rule, failed, [fact], values, ctx.name(fact)))
    return out


# ---- completeness by report type: a 项目支出 report is never told it lacks 附件1 ------------


def report_type(ctx: CheckContext) -> str:
    return ctx.index.extraction.metadata.get("report_type", "department")


@register("annex_of_type", required={"name": str, "labels": list}, optional={"types": list},
          label_keys=("labels",), placeholders=frozenset({"subject", "missing"}))
def check_annex_of_type(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """The annex check (completeness.annex) for the report types the rule names (default 部门整体)."""
    return check_annex(ctx, rule) if report_type(ctx) in rule.param("types", ["department"]) else []


@register("section_of_type", required={"name": str, "keywords": list}, optional={"types": list},
          placeholders=frozenset({"subject", "missing"}))
def check_section_of_type(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """The section check (completeness.section) for the report types the rule names."""
    return check_section(ctx, rule) if report_type(ctx) in rule.param("types", ["department"]) else []

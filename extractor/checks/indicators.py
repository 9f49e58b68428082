"""自评表 indicator rows: the score against the completion of the target (warnings, 提示).

- missed_target_full_score: a target missed, yet the full points given;
- met_target_points_docked: a target met or exceeded, yet points docked and no reason
  written (偏差原因 empty or boilerplate) -- a reviewer asks why.

Targets are thresholds (≥36亿元 is exactly 36亿元); the completed value is a rounded
figure, so a target is missed only when the whole completed interval falls short; it is
met when the completed value as written reaches it. A target without an operator is "at least",
unless the indicator's name says lower is better (控制率, 调整率: the rule's
lower_is_better words).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ..model import CheckResult, Fact
from . import intervals as iv
from .base import CheckContext, flag
from .registry import register
from .rules import Rule

LOWER_IS_BETTER = ("≤", "<")
ROW_KEYS = ("target", "actual", "points", "score")
BARE = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PUNCT = str.maketrans("", "", " 　。，,.；;！!、")


def indicator_rows(ctx: CheckContext, rule: Rule, keys: tuple[str, ...]) -> list[dict[str, Fact]]:
    """One dict per 自评表 row (facts sharing a group): key -> its fact, in first-seen order."""
    rows: dict[str, dict[str, Fact]] = defaultdict(dict)
    for key in keys:
        for fact in ctx.index.by_label.get(rule.params[key], ()):
            if not fact.group or (fact.value is None and key != "reason"):
                continue
            if key == "target":
                rows[fact.group][key] = fact  # 年初指标值 | 调整指标值: the last filled one is in force
            else:
                rows[fact.group].setdefault(key, fact)
    return [row for row in rows.values() if all(k in row for k in ROW_KEYS)
            and row["target"].unit == row["actual"].unit]


def lower_is_better(target: Fact, subject: str, words: list[str]) -> bool:
    if target.operator:
        return target.operator in LOWER_IS_BETTER
    return any(word in subject for word in words)


def target_missed(target: Fact, actual: Fact, lower: bool = False) -> bool:
    done = iv.fact_interval(actual)
    goal = target.value if target.value is not None else Decimal(0)
    if lower or target.operator in LOWER_IS_BETTER:
        return done.lo > goal
    return done.hi < goal


def target_met(target: Fact, actual: Fact, lower: bool) -> bool:
    """The completed value as written reaches the target (a reviewer compares the written
    figures: 95 against ≥95 is met); = : the target's value lies in the completed interval."""
    goal = target.value if target.value is not None else Decimal(0)
    done = actual.value if actual.value is not None else Decimal(0)
    if target.operator == "=":
        interval = iv.fact_interval(actual)
        return interval.lo <= goal <= interval.hi
    if lower:
        return done < goal if target.operator == "<" else done <= goal
    return done > goal if target.operator == ">" else done >= goal


def _values(row: dict[str, Fact]) -> dict[str, object]:
    """The figures as a reviewer reads them: the unit column's unit after a bare number
    (72890 -> 72890元), the target's operator before it (≤4小时)."""
    values: dict[str, object] = {key: row[key].raw for key in ROW_KEYS}
    for key in ("target", "actual"):
        fact = row[key]
        text = fact.raw.strip()
        if fact.unit and fact.unit != "分" and BARE.fullmatch(text):
            text += fact.unit
        if key == "target" and fact.operator and fact.operator != "=" and not text.startswith(fact.operator):
            text = fact.operator + text
        values[key] = text
    return values


@register(
    "missed_target_full_score",
    required={"target": str, "actual": str, "points": str, "score": str},
    optional={"lower_is_better": "strings"},
    label_keys=("target", "actual", "points", "score"),
    placeholders=frozenset({"subject", "target", "actual", "points", "score"}),
)
def check_missed_target_full_score(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    out = []
    for row in indicator_rows(ctx, rule, ROW_KEYS):
        subject = ctx.name(row["score"])
        lower = lower_is_better(row["target"], subject, rule.param("lower_is_better", []))
        missed = target_missed(row["target"], row["actual"], lower)
        full = row["score"].value == row["points"].value and (row["points"].value or 0) > 0
        out.append(flag(rule, missed and full, list(row.values()), _values(row), subject))
    return out


@register(
    "met_target_points_docked",
    required={"target": str, "actual": str, "points": str, "score": str, "reason": str},
    optional={"lower_is_better": "strings", "boilerplate": "strings"},
    label_keys=("target", "actual", "points", "score", "reason"),
    placeholders=frozenset({"subject", "target", "actual", "points", "score"}),
)
def check_met_target_points_docked(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    boilerplate = {word.translate(_PUNCT) for word in rule.param("boilerplate", [])}
    out = []
    for row in indicator_rows(ctx, rule, (*ROW_KEYS, "reason")):
        points, score = row["points"].value, row["score"].value
        assert points is not None and score is not None
        subject = ctx.name(row["score"])
        lower = lower_is_better(row["target"], subject, rule.param("lower_is_better", []))
        reason = row.get("reason")
        unexplained = reason is None or (reason.text_value or reason.raw or "").translate(_PUNCT) in boilerplate | {""}
        docked = 0 < points and score < points
        failed = target_met(row["target"], row["actual"], lower) and docked and unexplained
        facts = [row[key] for key in ROW_KEYS] + ([reason] if reason is not None else [])
        out.append(flag(rule, failed, facts, _values(row), subject))
    return out

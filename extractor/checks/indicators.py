"""自评表 indicator rows: a full score on a missed target is suspicious (warning, 提示).

Targets are thresholds (≥36亿元 is exactly 36亿元); the completed value is a rounded
figure, so a target is missed only when the whole completed interval falls short.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..model import CheckResult, Fact
from . import intervals as iv
from .base import CheckContext, flag
from .registry import register
from .rules import Rule

LOWER_IS_BETTER = ("≤", "<")


@register(
    "missed_target_full_score",
    required={"target": str, "actual": str, "points": str, "score": str},
    label_keys=("target", "actual", "points", "score"),
    placeholders=frozenset({"subject", "target", "actual", "score"}),
)
def check_missed_target_full_score(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    rows: dict[str, dict[str, Fact]] = defaultdict(dict)
    for key in ("target", "actual", "points", "score"):
        for fact in ctx.index.by_label.get(rule.params[key], ()):
            if fact.group and fact.value is not None:
                rows[fact.group].setdefault(key, fact)
    out = []
    for row in rows.values():
        if len(row) < 4 or row["target"].unit != row["actual"].unit:
            continue
        missed = target_missed(row["target"], row["actual"])
        full = row["score"].value == row["points"].value and (row["points"].value or 0) > 0
        values = {"target": row["target"].raw, "actual": row["actual"].raw, "score": row["score"].raw}
        out.append(flag(rule, missed and full, list(row.values()), values, ctx.name(row["score"])))
    return out


def target_missed(target: Fact, actual: Fact) -> bool:
    done = iv.fact_interval(actual)
    goal = target.value if target.value is not None else Decimal(0)
    if target.operator in LOWER_IS_BETTER:
        return done.lo > goal
    return done.hi < goal

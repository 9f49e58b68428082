"""Enumerated items (项目支出明细) in the narrative against the same-named annex rows."""

from __future__ import annotations

import re

from ..model import CheckResult, Fact
from .base import CheckContext, skipped
from .kinds import _equal_pair
from .registry import register
from .rules import Rule
from .select import FactIndex

_NOISE = re.compile(
    r"[\s　:：、，,.．（）()“”\"'‘’《》]|^[0-9０-９一二三四五六七八九十]+|(?:支出|费用|经费|资金)$"
)


def item_key(subject: str) -> str:
    """ "3、执法装备购置经费" and "执法装备购置" compare equal."""
    text = subject
    for _ in range(3):
        text = _NOISE.sub("", text)
    return text


@register(
    "equal_items",
    required={"label": str},
    optional={"measures": list, "rounding_message": str},
    label_keys=("label",),
    templates=("rounding_message",),
)
def check_equal_items(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    texts = [f for f in ctx.index.values(rule.params["label"], where="text") if item_key(f.subject)]
    annex = _annex_items(ctx.index, rule)
    if not texts or not annex:
        missing = [] if texts else ["报告正文中的项目明细"]
        return [skipped(rule, missing or ["附表中的项目明细"], texts[:1] + annex[:1])]
    out = []
    for text in texts:
        partners = [a for a in annex if item_key(a.subject) == item_key(text.subject)]
        if not partners:
            out.append(skipped(rule, [f"附表中的“{text.subject}”"], [text], ctx.name(text)))
            continue
        for partner in partners:
            ctx.covered_pairs.add(frozenset((text.id, partner.id)))
            out.append(_equal_pair(ctx, rule, text, partner))
    return out


def _annex_items(index: FactIndex, rule: Rule) -> list[Fact]:
    measures = rule.param("measures", ["final"])
    found = index.values(rule.params["label"], where="annex", measures=measures)
    for measure in measures:
        chosen = [f for f in found if f.measure == measure]
        if chosen:
            return chosen
    return []

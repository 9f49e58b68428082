"""Checks that real reports of other units call for (issue 12), one registered kind each.

- count_vs_names: "直属事业单位10个，即 A、B、C…" — the stated count against the number
  of names listed after 即/包括/分别为 (or in the bracket right after the noun: "辖4个全额
  拨款事业单位（A、B、C、D）"), the counted noun allowed between ("8个内设机构，即 …"). A list
  ending in 等 is partial and not checked; a name written twice is said (duplicate_message).
- income_less_expense: 收入合计 − 支出合计 against 结余 (plus 上年结转 when needed) of one statement.
- rate_beside_amounts: a rate (完成率100%) against the two amounts written before it, unlabelled too.
- all_paid_vs_paid: "已全部拨付" in a block that states a smaller 已拨付 amount than the fund (提示).
"""

from __future__ import annotations

from dataclasses import replace

import regex

from ..model import CheckResult, Fact, Kind, Role
from . import intervals as iv
from .base import CheckContext, compare, flag
from .registry import KINDS, NUMERIC, register
from .rules import Rule
from .select import is_text

LIST_AFTER = regex.compile(r"^\p{Han}{0,8}?\s*[,，:：]?\s*(?:即|包括|包含|分别为|分别是|分别有)\s*[:：]?(?P<names>[^。；;！？!?\n]+)")
LIST_IN_BRACKET = regex.compile(r"^[\p{Han}]{0,14}[（(](?P<names>[^（()）]+)[)）]")
SEPARATORS = regex.compile(r"[、，,]")
LAST_JOIN = regex.compile(r"以及|和|及|与")  # "A、B和C": only the last item is joined (劳动就业和社会保障服务所 is one name)
MAX_NAME = 24  # a longer item is prose, not a name


def listed_names(text: str) -> list[str] | None:
    """The names of a list as written ("A、B和C" -> [A, B, C]); None when it is no plain list."""
    text = text.strip().rstrip("。.")
    if not text or text.endswith(("等", "等等")) or regex.search(r"\d", text):
        return None
    names = [n.strip() for n in SEPARATORS.split(text) if n.strip()]
    names = [*names[:-1], *(n.strip() for n in LAST_JOIN.split(names[-1]) if n.strip())] if names else []
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


@register("count_vs_names", generic=True, optional={"duplicate_message": str},
          placeholders=frozenset({"subject", "reported", "expected", "names", "listed", "duplicates"}),
          templates=("duplicate_message",))
def check_count_vs_names(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    out = []
    for fact in ctx.index.facts:
        if fact.kind is not Kind.COUNT or fact.role is not Role.VALUE or fact.value is None or not is_text(fact):
            continue
        names = names_after(fact)
        if names is None:
            continue
        twice = duplicated(names)
        failed = len(names) != fact.value or bool(twice)
        values = {"reported": fact.raw, "expected": f"{len(names)}个", "names": "、".join(names),
                  "listed": f"{len(set(names))}个", "duplicates": "、".join(f"“{n}”" for n in twice)}
        used = replace(rule, message=rule.params["duplicate_message"]) if twice and "duplicate_message" in rule.params else rule
        out.append(flag(used, failed, [fact], values, ctx.name(fact)))
    return out


def duplicated(names: list[str]) -> list[str]:
    """Names written more than once, in first-seen order."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return [name for name, count in counts.items() if count > 1]


# ---- 收入合计 − 支出合计 = 结余 (with 上年结转) in a project's funding table ------------------


def same_place(a: Fact, b: Fact) -> bool:
    """Two figures of one funding statement: the same table (and measure), or the same text."""
    return a.locator.source == b.locator.source and a.locator.table == b.locator.table and a.measure == b.measure


@register("income_less_expense", required={"income": str, "expense": str, "balance": str},
          optional={"carryover": str}, label_keys=("income", "expense", "balance", "carryover"),
          placeholders=NUMERIC | {"parts"})
def check_income_less_expense(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    out = []
    for balance in ctx.index.values(rule.params["balance"]):
        income = [f for f in ctx.index.values(rule.params["income"]) if same_place(f, balance)]
        expense = [f for f in ctx.index.values(rule.params["expense"]) if same_place(f, balance)]
        if not income or not expense:
            continue
        carried = [f for f in ctx.index.values(rule.param("carryover", "")) if same_place(f, balance)]
        used = [income[0], expense[0]]
        computed = iv.sub(iv.fact_interval(income[0]), iv.fact_interval(expense[0]))
        if carried and not iv.meet(computed, iv.fact_interval(balance)):
            used.append(carried[0])  # 结余 = 上年结转 + 收入 − 支出 when the income leaves the carry-over out
            computed = iv.add(computed, iv.fact_interval(carried[0]))
        values = {"parts": "－".join(ctx.figure(f) for f in used[:2]) + ("＋" + ctx.figure(used[2]) if len(used) > 2 else "")}
        out.append(compare(rule, balance, iv.fact_interval(balance), computed, used, values, ctx.name(balance)))
    return out


# ---- a rate beside its two amounts, whatever its label ------------------------------------

RATE_WORD = regex.compile(r"\p{Han}{0,6}率\s*(?:为|达到|达|是)?\s*$")


def rate_operands(rate: Fact, facts: list[Fact]) -> tuple[Fact, Fact] | None:
    """The two amounts stated before a rate in its sentence ("收入612.40万元，预算540.00万元，完成率100%")."""
    position = rate.sentence.find(rate.raw)
    if position < 0 or not RATE_WORD.search(rate.sentence[:position]):
        return None
    before = [f for f in facts if f.locator.block == rate.locator.block and f.sentence == rate.sentence
              and f.kind is Kind.AMOUNT and f.value and f.locator.char_start < rate.locator.char_start
              and f.role in (Role.VALUE, Role.PRIOR)]
    others = [f for f in facts if f.locator.block == rate.locator.block and f.sentence == rate.sentence
              and f.kind is Kind.PERCENT and f.id != rate.id and f.locator.char_start < rate.locator.char_start]
    if len(before) != 2 or others:
        return None
    return before[0], before[1]


def labels_with_rules(ctx: CheckContext) -> set[str]:
    """The labels some rule names in its label parameters (the kind's label_keys)."""
    named: set[str] = set()
    for rule in ctx.rules.rules:
        for key in KINDS[rule.kind].label_keys if rule.kind in KINDS else ():
            value = rule.params.get(key)
            named.update(v for v in ([value] if isinstance(value, str) else value or []) if isinstance(v, str))
    return named - {""}


@register("rate_beside_amounts", generic=True, placeholders=NUMERIC | {"part", "total"})
def check_rate_beside_amounts(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """A rate recomputed from the two amounts written before it, either way round (a/b or b/a):
    it fails only when it is neither."""
    out = []
    ruled = labels_with_rules(ctx)  # 资金到位率 has a label but no rule of its own: recomputed here
    text = [f for f in ctx.index.facts if is_text(f)]
    for rate in text:
        if rate.kind is not Kind.PERCENT or rate.value is None or rate.of is not None or rate.role is Role.SHARE \
                or rate.label in ruled:  # a named rate (预算执行率) is checked by its label's rules
            continue
        pair = rate_operands(rate, text)
        if pair is None:
            continue
        stated = iv.fact_interval(rate)
        a, b = (iv.fact_interval(f) for f in pair)
        ratios = [iv.share(a, b), iv.share(b, a)]
        best = 0 if iv.distance(stated, ratios[0]) <= iv.distance(stated, ratios[1]) else 1
        part, whole = (pair if best == 0 else pair[::-1])
        values = {"part": ctx.figure(part), "total": ctx.figure(whole)}
        out.append(compare(rule, rate, stated, ratios[best], [part, whole], values, ctx.name(rate)))
    return out


# ---- "已全部拨付" against a smaller amount stated as 已拨付 -----------------------------------

ALL_PAID = regex.compile(r"已?全部拨付|已?全额拨付|全部拨付到位")
PAID = regex.compile(r"(?:已完成拨付|已拨付|拨付)\s*(?:资金)?\s*$")


@register("all_paid_vs_paid", generic=True, placeholders=NUMERIC)
def check_all_paid_vs_paid(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    """A block that says the fund was paid in full, and states a paid amount below the fund's amount."""
    out = []
    text = [f for f in ctx.index.facts if is_text(f) and f.kind is Kind.AMOUNT and f.value]
    for paid in text:
        position = paid.sentence.find(paid.raw)
        if position < 0 or not PAID.search(paid.sentence[:position]):
            continue
        block = [f for f in text if f.locator.source == paid.locator.source and f.locator.block == paid.locator.block]
        if not any(ALL_PAID.search(f.sentence) for f in block):
            continue
        funds = [f for f in block if f.locator.char_start < paid.locator.char_start and f.value > paid.value]
        if funds:
            fund = funds[-1]
            failed = iv.fact_interval(paid).hi < iv.fact_interval(fund).lo
            out.append(compare(rule, paid, iv.fact_interval(paid), iv.fact_interval(fund), [fund],
                               {}, ctx.name(paid), failed=failed))
    return out

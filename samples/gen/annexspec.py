"""Annex specs from a UnitYear, every value through UnitYear.w so plants land in the annexes."""

from __future__ import annotations

from decimal import Decimal

from .annexes import Annex1Spec, Annex2Spec, Indicator, MoneyRow
from .fmt import q2, ratio_percent
from .sections import grade_of
from .unitdata import UnitYear

THREE_ROWS = (
    ("total", "三公经费:", "three_public.total", "三公经费"),
    ("vehicle", "1、公务用车购置和维护经费", "three_public.vehicle", "公务用车购置和维护经费"),
    ("purchase", "其中：公车购置", "three_public.vehicle_purchase", "公车购置"),
    ("operation", "公车运行维护", "three_public.vehicle_operation", "公车运行维护"),
    ("overseas", "2、出国经费", "three_public.overseas", "出国经费"),
    ("reception", "3、公务接待", "three_public.reception", "公务接待"),
)
PUBLIC_ROWS = (
    ("office", "其中：办公经费", "public.office", "办公经费"),
    ("utilities_travel", "水费、电费、差旅费", "public.utilities_travel", "水费、电费、差旅费"),
    ("meeting_training", "会议费、培训费", "public.meeting_training", "会议费、培训费"),
)


def _three(u: UnitYear | None, budget: bool = False) -> dict[str, Decimal]:
    if u is None:
        return {}
    t = u.three_budget if budget else u.three
    return {**t, "vehicle": t["purchase"] + t["operation"], "total": sum(t.values(), Decimal(0))}


def _row(u: UnitYear, key: str, text: str, label: str, subject: str, prior, budget, final) -> MoneyRow:
    return MoneyRow(
        text,
        label,
        subject,
        u.w(f"{key}.prior", prior),
        u.w(f"{key}.budget", budget),
        u.w(f"{key}.final", final),
    )


def annex1_spec(u: UnitYear, caption_style: int) -> Annex1Spec:
    prior, now, budget = _three(u.prior), _three(u), _three(u, budget=True)
    rows = [
        _row(u, f"a1.three.{k}", text, label, subject, prior.get(k), budget[k], now[k])
        for k, text, label, subject in THREE_ROWS
    ]
    p = u.prior
    rows.append(
        _row(
            u,
            "a1.project",
            "项目支出:",
            "expenditure.project",
            "项目支出",
            p.project_total if p else None,
            sum((x.budget for x in u.projects), Decimal(0)),
            u.project_total,
        )
    )
    before_by_name = {x.name: x.amount for x in p.projects} if p else {}
    for i, item in enumerate(u.projects):
        before = before_by_name.get(item.name)
        rows.append(
            _row(
                u,
                f"a1.item.{i}",
                f"{i + 1}、{item.name}",
                "expenditure.project.item",
                item.name,
                before,
                item.budget,
                item.amount,
            )
        )
    rows.append(
        _row(
            u,
            "a1.public",
            "公用经费",
            "expenditure.public",
            "公用经费",
            p.public if p else None,
            u.public_budget,
            u.public,
        )
    )
    for k, text, label, subject in PUBLIC_ROWS:
        rows.append(
            _row(
                u,
                f"a1.{k}",
                text,
                label,
                subject,
                p.public_items[k] if p else None,
                u.public_items[k],
                u.public_items[k],
            )
        )
    rows.append(
        _row(
            u,
            "a1.procurement",
            "政府采购金额",
            "procurement.total",
            "政府采购金额",
            p.procurement if p else None,
            u.procurement_budget,
            u.procurement,
        )
    )
    rows.append(
        MoneyRow(
            "部门基本支出预算调整", "budget.basic_adjustment", "部门基本支出预算调整", None, None, Decimal(0)
        )
    )
    active, authorized = int(u.w("a1.active", u.active)), u.authorized
    rate = u.w("a1.control_rate", ratio_percent(Decimal(active), Decimal(authorized)))
    return Annex1Spec(u.unit, u.year, authorized, active, rate, rows, u.building, caption_style=caption_style)


def national_split(u: UnitYear) -> dict[str, dict[str, Decimal]]:
    """本年财政拨款 / 上年结转资金 / 其他资金 per budget column, each column adding up exactly."""
    other_share = u.income["other"] / u.executed
    out = {}
    for measure, total in (
        ("initial_budget", u.initial),
        ("adjusted_budget", u.adjusted),
        ("executed", u.executed),
    ):
        other = q2(total * other_share)
        carryover = q2(total * Decimal("0.05")) if measure != "initial_budget" else Decimal(0)
        out[measure] = {"general": total - other - carryover, "carryover": carryover, "other": other}
    return out


def annex2_spec(u: UnitYear, caption_style: int, variant: str = "hunan") -> Annex2Spec:
    executed = u.w("a2.executed", u.executed)
    income = {k: u.w(f"a2.income.{k}", v) for k, v in u.income.items()}
    expense = {
        "basic": u.w("a2.expense.basic", u.basic),
        "project": u.w("a2.expense.project", u.project_total),
    }
    indicators = []
    for i, ind in enumerate(u.indicators):
        target = f"{ind.op}{ind.target}{ind.suffix}"
        actual = f"{ind.actual}{ind.suffix}"
        indicators.append(
            Indicator(
                ind.level1,
                ind.level2,
                ind.name,
                target,
                actual,
                ind.points,
                u.w(f"a2.ind.{i}.score", ind.score),
                ind.reason,
            )
        )
    expected = "；".join(
        f"{i + 1}.{ind.name}{ind.op}{ind.target}{ind.suffix}" for i, ind in enumerate(u.indicators[:4])
    )
    achieved = "；".join(
        f"{i + 1}.{ind.name}{ind.actual}{ind.suffix}" for i, ind in enumerate(u.indicators[:4])
    )
    total_score = u.w("a2.total_score", u.total_score)
    return Annex2Spec(
        u.unit,
        u.year,
        u.initial,
        u.adjusted,
        executed,
        Decimal(10),
        u.w("a2.rate", u.rate),
        u.w("a2.score", u.budget_score),
        u.w("a2.income_total", u.executed),
        income,
        u.w("a2.expense_total", u.executed),
        expense,
        expected + "。",
        achieved + "。",
        indicators,
        Decimal(100),
        total_score,
        grade_of(u.total_score),
        caption_style,
        variant,
        national_split(u) if variant == "national" else {},
    )

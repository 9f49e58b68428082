"""Planted discrepancies (domain.md §6): each sets written-value overrides on a UnitYear and
says which figures show it (matchers resolved against the written truth after rendering)."""

from __future__ import annotations

from decimal import Decimal

from .fmt import WAN, ratio_percent, wan_amount
from .unitdata import UnitYear


def m(
    part: str,
    label: str,
    role: str = "value",
    measure: str | None = None,
    subject: str | None = None,
    year_offset: int = 0,
) -> dict:
    out = {"part": part, "label": label, "role": role, "year_offset": year_offset}
    if measure is not None:
        out["measure"] = measure
    if subject is not None:
        out["subject"] = subject
    return out


def sum_personnel(u: UnitYear) -> dict:
    wrong = u.personnel + 12 * WAN + Decimal(3000)
    u.overrides["narr.personnel"] = wrong
    return {
        "family": "sum",
        "description": f"正文人员经费写为{wan_amount(wrong)}，与公用经费{wan_amount(u.public)}之和"
        f"{wan_amount(wrong + u.public)}不等于基本支出{wan_amount(u.basic)}",
        "planted": [m("narrative", "expenditure.personnel")],
        "related": [m("narrative", "expenditure.public"), m("narrative", "expenditure.basic")],
    }


def sum_three_annex(u: UnitYear) -> dict:
    wrong = u.three_total + 2 * WAN
    u.overrides["a1.three.total.final"] = wrong
    return {
        "family": "sum",
        "description": f"附件1“三公”经费{u.year}年决算数写为{wan_amount(wrong)}，不等于公务用车购置和维护经费、"
        f"出国经费、公务接待之和{wan_amount(u.three_total)}",
        "planted": [m("annex1", "three_public.total", measure="final")],
        "related": [
            m("annex1", "three_public.vehicle", measure="final"),
            m("annex1", "three_public.overseas", measure="final"),
            m("annex1", "three_public.reception", measure="final"),
        ],
    }


def sum_staff_total(u: UnitYear) -> dict:
    wrong = u.active + u.retired + 2
    u.overrides["narr.total"] = Decimal(wrong)
    return {
        "family": "sum",
        "description": f"正文年末实有人数写为{wrong}人，不等于在职人员{u.active}人与退休人员"
        f"{u.retired}人之和{u.active + u.retired}人",
        "planted": [m("narrative", "staff.total")],
        "related": [m("narrative", "staff.active"), m("narrative", "staff.retired")],
    }


def share_item(u: UnitYear) -> dict:
    item = u.projects[1]
    true = ratio_percent(item.amount, u.project_total)
    u.overrides["narr.share.1"] = true + 1
    return {
        "family": "share",
        "description": f"正文“{item.name}”占比写为{true + 1}%，按{wan_amount(item.amount)}/"
        f"{wan_amount(u.project_total)}应为{true}%",
        "planted": [m("narrative", "expenditure.project.item", "share", subject=item.name)],
        "related": [
            m("narrative", "expenditure.project.item", subject=item.name),
            m("narrative", "expenditure.project"),
        ],
    }


def share_control(u: UnitYear) -> dict:
    true = ratio_percent(Decimal(u.active), Decimal(u.authorized))
    u.overrides["a1.control_rate"] = true + 5
    return {
        "family": "share",
        "description": f"附件1控制率写为{true + 5}%，按在职{u.active}人/编制{u.authorized}人应为{true}%",
        "planted": [m("annex1", "staff.control_rate", "rate")],
        "related": [m("annex1", "staff.active"), m("annex1", "staff.authorized")],
    }


def change_public(u: UnitYear) -> dict:
    delta = abs(u.public - u.prior.public)
    u.overrides["narr.public.change"] = delta + 8 * WAN
    return {
        "family": "change",
        "description": f"正文公用经费变动额写为{wan_amount(delta + 8 * WAN)}，按本年{wan_amount(u.public)}与上年"
        f"{wan_amount(u.prior.public)}之差应为{wan_amount(delta)}",
        "planted": [m("narrative", "expenditure.public", "change")],
        "related": [m("narrative", "expenditure.public"), m("annex1", "expenditure.public", "prior")],
    }


def change_direction(u: UnitYear) -> dict:
    u.flips.add("narr.three.change")
    prior = sum(u.prior.three.values(), Decimal(0))
    word = "增加" if u.three_total < prior else "减少"
    return {
        "family": "change",
        "description": f"正文“三公”经费由上年{wan_amount(prior)}变为{wan_amount(u.three_total)}，方向词却写为“{word}”",
        "planted": [m("narrative", "three_public.total", "change")],
        "related": [m("narrative", "three_public.total"), m("annex1", "three_public.total", "prior")],
    }


def tva_item(u: UnitYear) -> dict:
    item = u.projects[0]
    u.overrides["a1.item.0.final"] = item.amount + 5 * WAN
    return {
        "family": "text_vs_annex",
        "description": f"“{item.name}”正文{wan_amount(item.amount)}，附件1决算数{wan_amount(item.amount + 5 * WAN)}",
        "planted": [m("annex1", "expenditure.project.item", measure="final", subject=item.name)],
        "related": [m("narrative", "expenditure.project.item", subject=item.name)],
    }


def tva_active(u: UnitYear) -> dict:
    u.overrides["a1.active"] = Decimal(u.active + 2)
    return {
        "family": "text_vs_annex",
        "description": f"正文在职人员{u.active}人，附件1实际在职人数{u.active + 2}人",
        "planted": [m("annex1", "staff.active")],
        "related": [m("narrative", "staff.active")],
    }


def tva_public(u: UnitYear) -> dict:
    wrong = u.public + 3 * WAN + Decimal(5000)
    u.overrides["a1.public.final"] = wrong
    return {
        "family": "text_vs_annex",
        "description": f"正文公用经费{wan_amount(u.public)}，附件1公用经费{u.year}年决算数{wan_amount(wrong)}",
        "planted": [m("annex1", "expenditure.public", measure="final")],
        "related": [m("narrative", "expenditure.public")],
    }


def funding_income(u: UnitYear) -> dict:
    wrong = u.income["general"] + 20 * WAN
    u.overrides["a2.income.general"] = wrong
    return {
        "family": "funding_split",
        "description": f"附件2按收入性质分合计{wan_amount(u.executed)}，其中一般公共预算写为{wan_amount(wrong)}，"
        "各项之和与合计不符",
        "planted": [m("annex2", "funding.general_budget", measure="executed")],
        "related": [
            m("annex2", "funding.income_total", measure="executed"),
            m("annex2", "funding.total", measure="executed"),
        ],
    }


def funding_expense_total(u: UnitYear) -> dict:
    wrong = u.executed - 30 * WAN
    u.overrides["a2.expense_total"] = wrong
    return {
        "family": "funding_split",
        "description": f"附件2按支出性质分写为{wan_amount(wrong)}，年度资金总额全年执行数为{wan_amount(u.executed)}",
        "planted": [m("annex2", "funding.expense_total", measure="executed")],
        "related": [
            m("annex2", "funding.total", measure="executed"),
            m("annex2", "funding.basic", measure="executed"),
            m("annex2", "funding.project", measure="executed"),
        ],
    }


def score_rate100(u: UnitYear) -> dict:
    u.overrides["a2.rate"] = Decimal("100.00")
    u.overrides["a2.score"] = Decimal(10)
    return {
        "family": "score",
        "description": f"附件2执行率写为100.00%并得满分10分，按全年执行数{wan_amount(u.executed)}/全年预算数"
        f"{wan_amount(u.adjusted)}实际为{u.rate}%",
        "planted": [m("annex2", "budget.execution_rate", "rate"), m("annex2", "budget.score")],
        "related": [
            m("annex2", "funding.total", measure="executed"),
            m("annex2", "funding.total", measure="adjusted_budget"),
        ],
    }


def score_indicator(u: UnitYear) -> dict:
    i = 2
    ind = u.indicators[i]
    u.overrides[f"a2.ind.{i}.score"] = ind.points + 2
    return {
        "family": "score",
        "description": f"附件2指标“{ind.name}”得分{ind.points + 2}分，超过其分值{ind.points}分",
        "planted": [m("annex2", "indicator.score", subject=ind.name)],
        "related": [m("annex2", "indicator.points", subject=ind.name)],
    }


def count_short(u: UnitYear) -> dict:
    n = len(u.projects)
    u.overrides["narr.count"] = Decimal(n - 1)
    return {
        "family": "count",
        "description": f"正文称“共{n - 1}个”项目，下列项目实为{n}个",
        "planted": [m("narrative", "expenditure.project.count")],
        "related": [m("narrative", "expenditure.project")],
    }


def count_long(u: UnitYear) -> dict:
    n = len(u.projects)
    u.overrides["narr.count"] = Decimal(n + 2)
    return {
        "family": "count",
        "description": f"正文称共{n + 2}个项目，列出的项目为{n}个",
        "planted": [m("narrative", "expenditure.project.count")],
        "related": [m("narrative", "expenditure.project")],
    }


def cross_staff(u: UnitYear) -> dict:
    true = abs(u.active - u.prior.active)
    u.overrides["narr.active.change"] = Decimal(true + 3)
    return {
        "family": "cross_year",
        "description": f"{u.year}年报告称在职人员较上年变动{true + 3}人，按{u.year - 1}年报告在职"
        f"{u.prior.active}人与本年{u.active}人应为{true}人",
        "planted": [m("narrative", "staff.active", "change", subject="在职人员")],
        "related": [m("narrative", "staff.active"), m("narrative", "staff.active", year_offset=-1)],
    }


def cross_prior_annex(u: UnitYear) -> dict:
    before = sum(u.prior.three.values(), Decimal(0))
    u.overrides["a1.three.total.prior"] = before + Decimal(15000)
    return {
        "family": "cross_year",
        "description": f"{u.year}年附件1“三公”经费{u.year - 1}年决算数写为{wan_amount(before + Decimal(15000))}，"
        f"{u.year - 1}年报告为{wan_amount(before)}",
        "planted": [m("annex1", "three_public.total", "prior", measure="final")],
        "related": [
            m("annex1", "three_public.total", measure="final", year_offset=-1),
            m("narrative", "three_public.total", year_offset=-1),
        ],
    }


PLANTS = {
    f.__name__: f
    for f in (
        sum_personnel,
        sum_three_annex,
        sum_staff_total,
        share_item,
        share_control,
        change_public,
        change_direction,
        tva_item,
        tva_active,
        tva_public,
        funding_income,
        funding_expense_total,
        score_rate100,
        score_indicator,
        count_short,
        count_long,
        cross_staff,
        cross_prior_annex,
    )
}

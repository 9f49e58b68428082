"""The two report shapes of issue 12 in the batch: `table_prose` (a 部门整体 report written inside
one big table, annexes after it, tableprose.py) and `project` (a 项目支出绩效自评报告 with its
收支 table and 项目支出绩效自评表, project.py), each with plants of its own shape."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from .fmt import WAN, ratio_percent, wan_amount
from .naming import Namer
from .plants import m
from .project import ProjectWriter, balance_grid, make_project, self_eval_grid
from .report import write_report_docx
from .tableprose import org_paragraph, write_table_prose_docx

PROJECT_REPORT = ["{u}{y}年度项目支出绩效自评报告", "{u}{y}年项目支出绩效单位自评报告",
                  "关于{u}{y}年度项目支出绩效自评的报告"]  # the project name in it would join the unit's


# ---- plants of the new shapes (UnitYear for table_prose, ProjectYear for project) -----------


def org_count_long(u) -> dict:
    u.overrides["narr.org_count"] = Decimal(len(u.org_names) + 1)
    return {
        "family": "count",
        "description": f"表格式报告称内设机构{len(u.org_names) + 1}个，其后列出的名称为{len(u.org_names)}个"
        f"（{'、'.join(u.org_names)}）",
        "planted": [m("narrative", "org.departments", subject="内设机构")],
        "related": [],
    }


def project_rate(p) -> dict:
    wrong = Decimal("100.00") if p.rate < 95 else p.rate - 6
    p.overrides["t.rate"] = wrong
    return {
        "family": "share",
        "description": f"项目支出绩效自评表执行率写为{wrong}%，全年执行数{wan_amount(p.executed)}÷全年预算数"
        f"{wan_amount(p.adjusted)}应为{p.rate}%",
        "planted": [m("project_self_eval", "budget.execution_rate", "rate")],
        "related": [m("project_self_eval", "funding.total", measure="executed"),
                    m("project_self_eval", "funding.total", measure="adjusted_budget")],
    }


def project_balance(p) -> dict:
    wrong = p.balance + 15000
    p.overrides["t.balance"] = wrong
    return {
        "family": "sum",
        "description": f"项目资金收支情况表年末结余写为{wan_amount(wrong)}，上年结转{wan_amount(p.carryover)}＋收入合计"
        f"{wan_amount(p.income)}－支出合计{wan_amount(p.executed)}应为{wan_amount(p.balance)}",
        "planted": [m("funding_table", "project.balance")],
        "related": [m("funding_table", "project.income_total"), m("funding_table", "project.expense_total"),
                    m("funding_table", "funding.carryover")],
    }


def project_part(p) -> dict:
    wrong = p.upper + 8 * WAN
    p.overrides["narr.upper"] = wrong
    county = p.adjusted - p.upper - p.carryover
    return {
        "family": "sum",
        "description": f"正文到位资金{wan_amount(p.adjusted)}，其中上级补助资金写为{wan_amount(wrong)}，与县级财政资金"
        f"{wan_amount(county)}、上年结转资金{wan_amount(p.carryover)}合计{wan_amount(wrong + county + p.carryover)}，超过总数",
        "planted": [m("narrative", "", subject="上级补助资金")],
        "related": [m("narrative", "", subject="到位资金"), m("narrative", "", subject="县级财政资金"),
                    m("narrative", "funding.carryover", subject="上年结转资金")],
    }


def project_text(p) -> dict:
    wrong = p.executed + 46000
    p.overrides["narr.executed"] = wrong
    return {
        "family": "text_vs_annex",
        "description": f"正文全年执行数写为{wan_amount(wrong)}，项目支出绩效自评表年度资金总额全年执行数为"
        f"{wan_amount(p.executed)}",
        "planted": [m("narrative", "funding.total", measure="executed")],
        "related": [m("project_self_eval", "funding.total", measure="executed")],
    }


def project_towns(p) -> dict:
    p.overrides["narr.town_count"] = Decimal(len(p.towns) - 1)
    return {
        "family": "count",
        "description": f"正文称项目覆盖{len(p.towns) - 1}个乡镇，其后列出{len(p.towns)}个（{'、'.join(p.towns)}）",
        "planted": [m("narrative", "", subject="乡镇")],
        "related": [],
    }


def project_arrival(p) -> dict:
    true = ratio_percent(p.upper, p.upper_plan)
    wrong = true + 3
    p.overrides["narr.arrival_rate"] = wrong
    return {
        "family": "share",
        "description": f"正文资金到位率写为{wrong}%，实际到位{wan_amount(p.upper)}÷下达计划{wan_amount(p.upper_plan)}应为{true}%",
        "planted": [m("narrative", "", "rate", subject="资金到位率")],
        "related": [m("narrative", "", subject="上级补助资金下达计划"), m("narrative", "", subject="上级补助资金实际到位")],
    }


UNIT_PLANTS = {f.__name__: f for f in (org_count_long,)}
PROJECT_PLANTS = {f.__name__: f for f in (project_rate, project_balance, project_part, project_text,
                                          project_towns, project_arrival)}


# ---- rendering ---------------------------------------------------------------------------


def prepare(spec, u, rng: random.Random) -> None:
    """Choices a plant must know before rendering (drawn from the unit's own rng)."""
    if spec.layout == "table_prose":
        from .tableprose import DEPARTMENTS

        u.org_names = rng.sample(DEPARTMENTS, rng.randint(3, 6))


def render_table_prose(u, writer, blocks, grids, rel, namer: Namer, rng: random.Random, root: Path):
    target = rel(namer.report() + ".docx")
    placed = write_table_prose_docx(root / target, target, blocks, grids, rng, org_paragraph(writer, u.org_names))
    files = [{"path": target, "role": r, "format": "docx"} for r in ("report", "annex1", "annex2")]
    return files, placed


def render_project(spec, u, rng: random.Random, folder: str, root: Path):
    """One project's report; returns (files, figures, plants without ids)."""
    p = make_project(rng, u, spec.options.get("supervisor", u.unit))
    if "overview" in spec.options:  # the three ways to list the towns, one per project unit
        p.templates["overview"] = spec.options["overview"]
    plants = [PROJECT_PLANTS[name](p) for name in spec.plants.get(u.year, ())]
    name = PROJECT_REPORT[rng.randrange(len(PROJECT_REPORT))].format(u=u.unit, y=u.year, p=p.name)
    target = f"{folder}/{name}.docx"
    figures = write_report_docx(root / target, target, ProjectWriter(p, rng).blocks(),
                                [balance_grid(p), self_eval_grid(p, spec.options.get("variant", "national"))],
                                page_breaks=False)
    files = [{"path": target, "role": r, "format": "docx"} for r in ("report", "project_self_eval")]
    return files, figures, plants

"""Facts of a 自评表 and its report built directly, the way the annex and narrative
extractors write them (labels, measures, groups, row labels "一级/二级/三级", operators,
Decimal values with written decimals). Used by test_scoring, test_form_checks and
test_boilerplate; end-to-end tests in those files go through real DOCX files instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from extractor.model import Extraction, Fact, Kind, Locator

SOURCE = "自评表.docx"


def _decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def _fact_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def cell_fact(label: str, raw: str, row: int, col: int, kind: Kind = Kind.SCORE, **extra) -> Fact:
    """A 自评表 cell fact; the value is parsed from raw unless given."""
    number = re.search(r"-?\d+(?:\.\d+)?", raw)
    value = extra.pop("value", Decimal(number.group()) if number else None)
    decimals = extra.pop("decimals", _decimals(number.group()) if number else None)
    source = extra.pop("source", SOURCE)
    return Fact(
        id=_fact_id(source, row, col, label, raw),
        label=label,
        subject=extra.pop("subject", label),
        kind=kind,
        value=value,
        unit=extra.pop("unit", "分" if kind is Kind.SCORE else ""),
        raw=raw,
        decimals=decimals,
        locator=Locator(source=source, table=0, row=row, col=col),
        rule_id=extra.pop("rule_id", f"annex.self_eval.{label}"),
        **extra,
    )


def money(label: str, raw: str, measure: str, col: int) -> Fact:
    """A 万元 figure of 年度资金总额 in 元 with XBRL decimals (2348.75 -> -2)."""
    wan = Decimal(raw)
    return cell_fact(
        label, raw, row=1, col=col, kind=Kind.AMOUNT, value=wan * 10000,
        decimals=_decimals(raw) - 4, unit="元", measure=measure,
    )


@dataclass
class Row:
    """One indicator row as written: "一级/二级/三级", target, actual, points, score, reason."""

    path: str
    target: str
    actual: str
    points: str = "10"
    score: str = "10"
    reason: str | None = None


VALUE_RE = re.compile(r"^\s*([≥≤<>=]?)\s*(\d+(?:\.\d+)?)\s*(.*)$")


def _value_fact(label: str, raw: str, row: int, col: int, base: dict) -> Fact:
    match = VALUE_RE.match(raw)
    if match is None:
        return cell_fact(label, raw, row, col, Kind.TEXT, value=None, decimals=None, text_value=raw, **base)
    operator, number, unit = match.groups()
    kind = Kind.PERCENT if unit == "%" else Kind.COUNT
    return cell_fact(
        label, raw, row, col, kind, value=Decimal(number), decimals=_decimals(number),
        unit=unit, operator=operator or None, **base,
    )


def row_facts(index: int, row: Row, source: str = SOURCE) -> list[Fact]:
    table_row = 10 + index
    base = dict(group=f"ind:0:{table_row}", order=index, row_label=row.path,
                subject=row.path.split("/", 2)[-1], source=source)
    facts = [
        _value_fact("indicator.target", row.target, table_row, 3, base),
        _value_fact("indicator.actual", row.actual, table_row, 4, base),
        cell_fact("indicator.points", row.points, table_row, 5, **base),
        cell_fact("indicator.score", row.score, table_row, 6, **base),
    ]
    if row.reason is not None:
        facts.append(cell_fact("indicator.reason", row.reason, table_row, 7, Kind.TEXT,
                               value=None, decimals=None, text_value=row.reason, **base))
    return facts


def standard_rows() -> list[Row]:
    """Nine rows worth 90 points, every target met without deviation."""
    return [
        Row("产出指标/数量指标/新增缴存单位", "≥150个", "170个", "20", "20"),
        Row("产出指标/数量指标/新增缴存职工", "≥2万人", "2.35万人", "10", "10"),
        Row("产出指标/质量指标/资金安全率", "100%", "100%", "10", "10"),
        Row("产出指标/时效指标/按时发放率", "≥95%", "100%", "10", "10"),
        Row("效益指标/社会效益指标/提取率", "≥70%", "77.73%", "10", "10"),
        Row("效益指标/社会效益指标/贷款户数", "≥2000户", "2413户", "10", "10"),
        Row("效益指标/可持续影响指标/服务水平", "有效提升", "有效提升", "5", "5"),
        Row("效益指标/经济效益指标/个贷率", "≤90%", "81.9%", "5", "5"),
        Row("满意度指标/服务对象满意度指标/缴存职工满意度", "≥90%", "96%", "10", "10"),
    ]


def text_fact(label: str, raw: str, sentence: str, block: int = 5, **extra) -> Fact:
    """A narrative fact with its sentence (block locator, no table)."""
    number = re.search(r"\d+(?:\.\d+)?", raw)
    kind = extra.pop("kind", Kind.SCORE)
    return Fact(
        id=_fact_id("报告.docx", block, label, raw),
        label=label, subject=label, kind=kind,
        value=Decimal(number.group()) if number and kind is not Kind.TEXT else None,
        unit=extra.pop("unit", "分"), raw=raw,
        decimals=_decimals(number.group()) if number else None,
        locator=Locator(source="报告.docx", block=block),
        sentence=sentence, text_value=extra.pop("text_value", None), **extra,
    )


def self_eval(
    rows: list[Row] | None = None,
    rate: str | None = "95.00%",
    budget: str | None = "100.00",
    executed: str | None = None,
    budget_points: str | None = "10",
    budget_score: str | None = "9.5",
    total: str | None = None,
    narrative: list[Fact] | None = None,
    unit: str = "测试单位",
    source: str = SOURCE,
) -> Extraction:
    """An Extraction of one 自评表 (+ narrative facts); total defaults to the true sum, "" = none;
    executed defaults to budget × rate, so the stated rate agrees with the amounts."""
    rows = standard_rows() if rows is None else rows
    if executed is None and budget is not None and rate is not None:  # consistent with the rate
        executed = str((Decimal(budget) * Decimal(rate.rstrip("%")) / 100).quantize(Decimal("0.01")))
    facts: list[Fact] = []
    if budget is not None:
        facts.append(money("funding.total", budget, "adjusted_budget", 2))
    if executed is not None:
        facts.append(money("funding.total", executed, "executed", 3))
    if budget_points is not None:
        facts.append(cell_fact("budget.points", budget_points, 1, 4))
    if rate is not None:
        facts.append(cell_fact("budget.execution_rate", rate, 1, 5, Kind.PERCENT, unit="%"))
    if budget_score is not None:
        facts.append(cell_fact("budget.score", budget_score, 1, 6))
    for index, row in enumerate(rows):
        facts.extend(row_facts(index, row, source))
    if total is None and budget_score is not None:
        total = str(Decimal(budget_score) + sum((Decimal(r.score) for r in rows if r.score), Decimal(0)))
    if total:  # "" leaves the total row out
        facts.append(cell_fact("evaluation.total_score", total, 40, 6))
    return Extraction(sources=(source,), metadata={"unit": unit, "year": "2024"},
                      facts=tuple(facts + list(narrative or [])))


# ---- a real Hunan 自评表 as DOCX parts for conftest's make_docx ----------------------------


def self_eval_docx_parts(
    rows: list[Row],
    rate: str = "95.00%",
    budget: str = "100.00",
    executed: str = "95.00",
    budget_score: str = "9.5",
    total: str = "99.5",
    unit: str = "测试单位",
    paragraphs: list[str] | None = None,
) -> list:
    """Report paragraphs, then 附件2 部门整体支出绩效自评表 with the Hunan layout: merged
    header, funding block, 年度总体目标, indicator rows whose 一级/二级 cells span their rows."""
    grid = [
        ["预算部门、单位名称", "", unit, "", "", "", "", ""],
        ["年度预算申请（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"],
        ["", "年度资金总额", budget, budget, executed, "10", rate, budget_score],
        ["", f"按收入性质分：{executed}\n其中：一般公共预算：{executed}", "", "",
         f"按支出性质分：{executed}\n其中：基本支出：{executed}\n项目支出：0.00", "", "", ""],
        ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""],
        ["", "完成年度工作任务", "", "", "完成年度工作任务", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    merges = [(0, 0, 0, 1), (0, 2, 0, 7), (1, 0, 3, 0), (3, 1, 3, 3), (3, 4, 3, 7),
              (4, 0, 5, 0), (4, 1, 4, 3), (4, 4, 4, 7), (5, 1, 5, 3), (5, 4, 5, 7)]
    first = len(grid)
    for row in rows:
        level1, level2, name = row.path.split("/", 2)
        grid.append([level1, level2, name, row.target, row.actual, row.points, row.score, row.reason or "—"])
    merges += _span_merges([r.path.split("/")[0] for r in rows], first, 0)
    merges += _span_merges(["/".join(r.path.split("/")[:2]) for r in rows], first, 1)
    grid.append(["总分", "", "", "", "", "100", total, ""])
    merges.append((len(grid) - 1, 0, len(grid) - 1, 4))
    body = list(paragraphs or [f"{unit}2024年度部门整体支出绩效自评报告"])
    return [*body, "附件2", "部门整体支出绩效自评表", {"table": grid, "merge": merges}]


def _span_merges(keys: list[str], first: int, col: int) -> list[tuple[int, int, int, int]]:
    """Vertical merges over runs of equal keys (the 一级/二级 cells), blanking covered text."""
    merges, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                merges.append((first + start, col, first + i - 1, col))
            start = i
    return merges


def extraction_from_docx(path, unit: str = "测试单位") -> Extraction:
    """Read a DOCX through the real reader and annex extractor (no narrative extractor)."""
    from extractor.annex import extract_annex_facts
    from extractor.extract import document_outline
    from extractor.readers import read_document

    doc = read_document(path)
    return Extraction(sources=(doc.source,), metadata={"unit": unit, "year": "2024"},
                      facts=tuple(extract_annex_facts(doc)), outline=tuple(document_outline(doc)))

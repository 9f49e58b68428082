"""Provincial 自评表 layouts under the platform's scoring rules (domain.md §4, §7): Sichuan's
预算执行率 = 预算执行数 / 调整后预算数 and Chongqing's 执行率权重 / 执行率得分 need no
provincial parameters, so patterns/scoring.toml's [province.*] tables stay empty."""

from __future__ import annotations

import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from extractor.annex import extract_annex_facts
from extractor.checks.scoring import recomputed_score, run_scoring_checks
from extractor.checks.scoring_rules import load_scoring_rules, validate_scoring_file
from extractor.model import Document, Extraction, Format, Status

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "annex"))

import annex_layouts as L


def extraction_of(layout: L.Layout, province: str) -> Extraction:
    doc = Document(source=f"{layout.name}.docx", format=Format.DOCX, sha256="0" * 64,
                   tables=(L.to_table(layout, caption=layout.title),))
    return Extraction(sources=(doc.source,), metadata={"unit": "测试单位", "year": "2024", "province": province},
                      facts=tuple(extract_annex_facts(doc)))


def status(extraction: Extraction, rule_id: str) -> Status:
    [result] = [r for r in run_scoring_checks(extraction) if r.rule_id == rule_id]
    return result.status


def test_sichuan_rate_is_executed_over_adjusted_budget():
    rows = [list(row) for row in L.SICHUAN.rows]
    rows[1][4] = "—"  # no stated 预算执行率: the rule computes it from the amounts
    extraction = extraction_of(replace(L.SICHUAN, rows=rows), "sichuan")
    [score] = [r for r in run_scoring_checks(extraction) if r.rule_id == "score.execution_score"]
    # 807.50 / 850.00 (调整后预算数) = 95.00% -> 9.5 points; over 800.00 (年初预算数) it would be 10
    assert score.status is Status.PASS and score.computed is not None
    assert score.computed.lo <= Decimal("9.5") <= score.computed.hi
    # 45 + (45 − 2: 安全事故发生率 0.5% against ≤1% is 指标偏离) + 9.5
    assert recomputed_score(extraction) == Decimal("97.50")


def test_chongqing_execution_weight_is_the_execution_points():
    extraction = extraction_of(L.CHONGQING, "chongqing")
    assert status(extraction, "score.execution_score") is Status.PASS  # 90.00% × 执行率权重 10 = 9
    assert status(extraction, "score.total_cap") is Status.SKIPPED  # no 总分 row in this layout
    assert recomputed_score(extraction) == Decimal("95.00")  # 50 + 36 + 9


def test_province_tables_change_nothing_until_a_rule_book_says_so():
    assert validate_scoring_file() == ["chongqing", "hunan", "sichuan"]
    base = load_scoring_rules()
    for province in ("hunan", "sichuan", "chongqing"):
        assert load_scoring_rules(province=province) == base

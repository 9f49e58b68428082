"""Cross-year: last year's figures quoted this year agree with last year's report of the same unit."""

from __future__ import annotations

import dataclasses
import io
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "batch"))
from standin_work import StandinWork
from test_batch_pool import make_report

from extractor.batch import BatchSettings, execute_batch
from extractor.batch.batchchecks import pair_years
from extractor.checks.crossyear import cross_year_checks
from extractor.model import Direction, Extraction, Fact, Kind, Locator, Reach, Role, Status


def fact(fid: str, label: str, value: str, decimals: int, role: Role = Role.VALUE, year: int | None = None,
         table: int | None = None, measure: str = "", unit: str = "元", **extra: object) -> Fact:
    loc = Locator(f"{fid}.docx", block=None if table is not None else 1, table=table, row=0 if table is not None else None)
    return Fact(fid, label, label, Kind.AMOUNT if unit == "元" else Kind.HEADCOUNT, Decimal(value), unit, value,
                decimals, loc, role=role, year=year, measure=measure, **extra)  # type: ignore[arg-type]


def test_prior_figure_change_and_last_year_column_are_checked() -> None:
    this = Extraction(("b.docx",), {}, (
        fact("p1", "expenditure.basic", "23487500", -2, Role.PRIOR, 2023),  # 上年基本支出2348.75万元
        fact("v1", "staff.total", "108", 0, unit="人", year=2024),
        fact("c1", "staff.total", "3", 0, Role.CHANGE, 2023, unit="人", direction=Direction.DECREASE, of="v1"),
        fact("t1", "three_public.reception", "12000", -2, table=0, measure="final", year=2023, row_label="3、公务接待"),
        fact("t2", "three_public.reception", "15000", -2, table=0, measure="final", year=2024, row_label="3、公务接待"),
    ))
    prior = Extraction(("a.docx",), {}, (
        fact("a1", "expenditure.basic", "23487000", -3),  # 2348.7万元: meets 2348.75 within rounding
        fact("a2", "staff.total", "112", 0, unit="人", year=2023),  # 108 + 3 = 111, not 112
        fact("a3", "three_public.reception", "12000", -2, table=0, measure="final", year=2023, row_label="3、公务接待"),
    ))
    results = {r.fact_ids[0]: r for r in cross_year_checks(this, 2024, prior)}
    assert set(results) == {"p1", "c1", "t1"}  # t2 is this year's own figure, not a quote
    assert results["p1"].status is Status.PASS
    assert results["t1"].status is Status.PASS and results["t1"].fact_ids == ("t1", "a3")
    failed = results["c1"]
    assert failed.status is Status.FAIL and failed.reach is Reach.CROSS_YEAR and failed.family == "cross_year"
    assert failed.fact_ids == ("c1", "v1", "a2")
    assert "2024年报告所述2023年数 111人 与2023年报告 112人 不一致（差额 -1人）" in failed.message


def test_a_quote_with_nothing_to_compare_is_skipped_with_the_label() -> None:
    this = Extraction(("b.docx",), {}, (fact("p1", "expenditure.project", "100", 0, Role.PRIOR, 2023),))
    [result] = cross_year_checks(this, 2024, Extraction(("a.docx",), {}, ()))
    assert result.status is Status.SKIPPED and result.missing == ("expenditure.project",)


def test_units_pair_across_consecutive_years_after_normalising_names() -> None:
    pairs = pair_years([
        ("益阳市财政局", "k24", 2024), ("益阳市 财政局", "k23", 2023), ("益阳市财政局", "k21", 2021),
        ("某县教育局", "e24", 2024),
    ])
    assert pairs == [("k24", "k23")]


def test_batch_files_cross_year_findings_under_the_later_year(tmp_path: Path) -> None:
    root = tmp_path / "in"
    make_report(root / "甲局" / "甲局2023年度自评报告.docx", "年末实有人数20人。")
    make_report(root / "甲局" / "甲局2024年度自评报告.docx", "年末实有人数18人，较2023年度减少2人。")
    make_report(root / "乙局" / "乙局2023年度自评报告.docx", "年末实有人数30人。")
    make_report(root / "乙局" / "乙局2024年度自评报告.docx", "年末实有人数28人，较2023年度减少5人。")
    out = tmp_path / "out"
    outcome = execute_batch(BatchSettings(root, out, workers=2, quiet=True), StandinWork, io.StringIO())
    findings = {(r.unit, r.year): [f.message for f in r.findings if f.family == "cross_year"] for r in outcome.results}
    assert findings[("甲局", 2024)] == []
    # the stand-in's subject is the sentence as written: "年末实有人数28人"
    assert findings[("乙局", 2024)] == ["年末实有人数28人：2024年报告所述2023年数 33人 与2023年报告 30人 不一致（差额 3人）"]
    assert findings[("乙局", 2023)] == [] and findings[("甲局", 2023)] == []
    with sqlite3.connect(out / "results.sqlite") as conn:
        rows = list(conn.execute("SELECT submission, status FROM checks WHERE origin='cross_year' ORDER BY submission"))
    assert rows == [("乙局|2024", "fail"), ("甲局|2024", "pass")]


def test_a_change_against_the_budget_is_not_a_quote_of_last_year() -> None:
    this = Extraction(("b.docx",), {}, (
        fact("v1", "expenditure.basic", "1000", 0, year=2024),
        fact("c1", "expenditure.basic", "100", 0, Role.CHANGE, 2024, direction=Direction.DECREASE, of="v1",
             sentence="基本支出1000元，较年初预算减少100元。"),
        fact("c2", "expenditure.basic", "50", 0, Role.CHANGE, 2024, direction=Direction.INCREASE, of="v1",
             sentence="基本支出1000元，比上年增加50元。"),
    ))
    prior = Extraction(("a.docx",), {}, (fact("a1", "expenditure.basic", "950", 0, year=2023),))
    [result] = cross_year_checks(this, 2024, prior)
    assert result.fact_ids == ("c2", "v1", "a1") and result.status is Status.PASS


def test_several_changes_of_one_figure_are_skipped_not_failed() -> None:
    """在职人员与上年持平（新招录1人，1人离职）: no single change is the one against last year."""
    said = "在职人员与上年持平（新招录1人，1人离职）。"
    here = Locator("b.docx", block=6)
    this = Extraction(("b.docx",), {}, tuple(dataclasses.replace(f, locator=here) for f in (
        fact("v1", "staff.active", "44", 0, unit="人", year=2024, sentence=said),
        fact("c1", "staff.active", "1", 0, Role.CHANGE, unit="人", direction=Direction.INCREASE, of="v1", sentence=said),
        fact("c2", "staff.active", "1", 0, Role.CHANGE, unit="人", direction=Direction.DECREASE, sentence=said),
    )))
    prior = Extraction(("a.docx",), {}, (fact("a1", "staff.active", "44", 0, unit="人", year=2023),))
    [result] = cross_year_checks(this, 2024, prior)
    assert result.status is Status.SKIPPED and result.fact_ids == ("c1", "c2")
    assert result.missing == ("change.unambiguous",) and "2个变化数（增加1、减少1）" in result.message
    single = Extraction(("b.docx",), {}, this.facts[:2])  # one change stated: checked (44 − 1 ≠ 44)
    assert [r.status for r in cross_year_checks(single, 2024, prior)] == [Status.FAIL]

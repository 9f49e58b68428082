"""Soundness on generated figures (hypothesis) and 舍位平衡 (rounding rebalanced tables)."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import run_checks
from extractor.model import Extraction, Fact, Kind, Level, Locator, Severity, Status
from extractor.report.findings import results_to_findings

LABELS = ("expenditure.basic", "expenditure.personnel", "expenditure.public")


def amount(fid, label, exact_yuan: int, decimals: int, block=0, table=None, row=None, **kw) -> Fact:
    """An amount of exact_yuan 元 written rounded to `decimals` (XBRL: -2 = 0.01万元)."""
    unit = D(1).scaleb(-decimals)
    value = (D(exact_yuan) / unit).quantize(D(1)) * unit
    raw = f"{value.scaleb(-4):f}万元" if table is None else f"{value.scaleb(-4):f}"
    loc = Locator(
        source="r.docx",
        block=block if table is None else None,
        table=table,
        row=row,
        col=5 if table is not None else None,
        char_start=len(fid),
    )
    return Fact(
        id=fid,
        label=label,
        subject="",
        kind=Kind.AMOUNT,
        value=value,
        unit="元",
        raw=raw,
        decimals=decimals,
        locator=loc,
        **kw,
    )


def extraction(facts) -> Extraction:
    return Extraction(
        sources=("r.docx",), metadata={"unit": "清溪县测试局", "year": "2024"}, facts=tuple(facts)
    )


def basic_sum(facts):
    return [r for r in run_checks(extraction(facts)) if r.rule_id == "sum.basic"]


parts_strategy = st.tuples(st.integers(0, 10**9), st.integers(0, 10**9), st.sampled_from([-2, -3, -4]))


@settings(max_examples=40, deadline=None)
@given(parts_strategy)
def test_correctly_rounded_parts_never_fail_a_sum(case):
    personnel, public, decimals = case
    facts = [
        amount("t", LABELS[0], personnel + public, decimals),
        amount("a", LABELS[1], personnel, decimals, part_of="t"),
        amount("b", LABELS[2], public, decimals, part_of="t"),
    ]
    [result] = basic_sum(facts)
    assert result.status is Status.PASS


@settings(max_examples=40, deadline=None)
@given(parts_strategy, st.integers(4, 50), st.booleans(), st.sampled_from(["a", "b"]))
def test_a_part_moved_beyond_rounding_always_fails_and_is_cited(case, units, down, moved):
    personnel, public, decimals = case
    facts = [
        amount("t", LABELS[0], personnel + public, decimals),
        amount("a", LABELS[1], personnel, decimals, part_of="t"),
        amount("b", LABELS[2], public, decimals, part_of="t"),
    ]
    shift = units * D(1).scaleb(-decimals) * (-1 if down else 1)  # > (parts + 1) units in the last digit
    facts = [replace(f, value=f.value + shift) if f.id == moved else f for f in facts]
    [result] = basic_sum(facts)
    assert result.status is Status.FAIL and moved in result.fact_ids
    findings = [f for f in results_to_findings(extraction(facts), [result], {})]
    moved_fact = next(f for f in facts if f.id == moved)
    assert findings and moved_fact.locator in findings[0].locations


def annex_three_public(reception_yuan=5400, vehicle_yuan=58100):
    """基础数据表 2024年决算数 column: 三公 = 公务用车 + 公务接待 exactly."""
    final = {"measure": "final", "year": 2024}
    return [
        amount("at", "three_public.total", vehicle_yuan + reception_yuan, -2, table=0, row=3, **final),
        amount("av", "three_public.vehicle", vehicle_yuan, -2, table=0, row=4, **final),
        amount("ar", "three_public.reception", reception_yuan, -2, table=0, row=8, **final),
    ]


def text_reception(value_yuan: int) -> Fact:
    return amount("tr", "three_public.reception", value_yuan, -2, block=3)


def test_one_last_digit_unit_with_balanced_table_is_rounding_rebalanced():
    results = run_checks(extraction(annex_three_public() + [text_reception(5500)]))
    [pair] = [r for r in results if r.rule_id == "text_annex.reception"]
    assert pair.status is Status.FAIL
    assert pair.level is Level.ADVISORY and pair.severity is Severity.WARNING and "舍位平衡" in pair.message


def test_two_units_apart_is_mandatory():
    results = run_checks(extraction(annex_three_public() + [text_reception(5600)]))
    [pair] = [r for r in results if r.rule_id == "text_annex.reception"]
    assert pair.status is Status.FAIL and pair.level is Level.MANDATORY and pair.severity is Severity.ERROR
    assert "舍位平衡" not in pair.message


def test_one_unit_apart_with_unbalanced_table_is_mandatory():
    annex = annex_three_public()
    annex[0] = replace(annex[0], value=annex[0].value + 100, raw="6.36")  # the table's own total is off
    results = run_checks(extraction(annex + [text_reception(5500)]))
    [pair] = [r for r in results if r.rule_id == "text_annex.reception"]
    assert pair.level is Level.MANDATORY and pair.severity is Severity.ERROR


def test_equal_figures_pass():
    results = run_checks(extraction(annex_three_public() + [text_reception(5400)]))
    [pair] = [r for r in results if r.rule_id == "text_annex.reception"]
    assert pair.status is Status.PASS

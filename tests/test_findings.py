"""Findings from failed results: stable ids, figures as a reviewer reads them, decisions."""

import random
from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import run_checks
from extractor.model import Extraction, Fact, Kind, Locator, Reach
from extractor.report.findings import describe_locator, results_to_findings

WAN = D(10000)


def wan(fid, label, text, block, **kw):
    decimals = (len(text.split(".")[1]) if "." in text else 0) - 4
    return Fact(
        id=fid,
        label=label,
        subject="",
        kind=Kind.AMOUNT,
        value=D(text) * WAN,
        unit="元",
        raw=f"{text}万元",
        decimals=decimals,
        locator=Locator(source="报告.docx", block=block, char_start=3 * len(fid), page=2),
        sentence=kw.pop("sentence", ""),
        **kw,
    )


def broken_facts():
    sentence = "2024年基本支出2348.75万元，其中人员经费支出1939.64万元，公用经费支出409.13万元。"
    return [
        wan("b", "expenditure.basic", "2348.75", 11, sentence=sentence),
        wan("bp", "expenditure.personnel", "1939.64", 11, part_of="b", sentence=sentence),
        wan("bg", "expenditure.public", "409.13", 11, part_of="b", sentence=sentence),
        wan("t", "three_public.total", "6.35", 12),
        wan("tv", "three_public.vehicle", "5.91", 12, part_of="t"),
        wan("tr", "three_public.reception", "0.54", 12, part_of="t"),
    ]


def extraction(facts):
    return Extraction(
        sources=("报告.docx",),
        metadata={"unit": "测试单位", "year": "2024"},
        facts=tuple(facts),
        outline=("单位基本情况", "支出情况", "绩效情况", "存在的问题", "改进措施"),
    )


def findings_for(facts, decisions=None):
    ext = extraction(facts)
    return results_to_findings(ext, run_checks(ext), decisions or {})


def test_failed_sum_becomes_a_finding_with_reviewer_figures():
    found = {f.rule_id: f for f in findings_for(broken_facts())}
    basic = found["sum.basic"]
    assert (basic.reported, basic.expected, basic.difference) == ("2348.75万元", "2348.77万元", "-0.02万元")
    assert basic.unit == "测试单位" and basic.year == 2024 and basic.reach is Reach.TEXT_TABLE
    assert describe_locator(basic.locations[0]) == "报告.docx 第2页 第12段"
    assert basic.excerpts == (
        "2024年基本支出2348.75万元，其中人员经费支出1939.64万元，公用经费支出409.13万元。",
    )
    assert found["sum.three_public"].difference == "-0.10万元"


def test_only_failures_become_findings_and_they_are_sorted():
    findings = findings_for(broken_facts())
    rules = [f.rule_id for f in findings]
    assert "sum.basic" in rules and "sum.three_public" in rules
    errors = [f for f in findings if f.severity.value == "error"]
    assert findings[: len(errors)] == errors  # errors before warnings


def test_decisions_are_attached_by_id():
    first = findings_for(broken_facts())
    target = next(f for f in first if f.rule_id == "sum.basic")
    again = findings_for(broken_facts(), {target.id: ("误报", "已与单位核实")})
    marked = next(f for f in again if f.id == target.id)
    assert (marked.decision, marked.remark) == ("误报", "已与单位核实")


def test_table_excerpt_names_row_and_column():
    cell = Fact(
        id="c",
        label="three_public.total",
        subject="三公经费",
        kind=Kind.AMOUNT,
        value=D(63500),
        unit="元",
        raw="6.35",
        decimals=-2,
        locator=Locator(source="附件1.xlsx", table=0, row=4, col=2),
        row_label="三公经费",
        col_label="2024年决算数",
    )
    from extractor.report.findings import excerpt_of

    assert excerpt_of(cell) == "三公经费 / 2024年决算数：6.35"
    assert describe_locator(cell.locator) == "附件1.xlsx 表1 第5行第3列"


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_finding_ids_do_not_depend_on_fact_order(rnd: random.Random):
    facts = broken_facts()
    baseline = sorted(f.id for f in findings_for(facts))
    shuffled = facts[:]
    rnd.shuffle(shuffled)
    assert sorted(f.id for f in findings_for(shuffled)) == baseline


def test_finding_ids_do_not_depend_on_fact_ids():
    """Fact ids are hashes too, but the finding id is built from label, raw and place."""
    renamed = [
        replace(f, id="x" + f.id, part_of=("x" + f.part_of) if f.part_of else None) for f in broken_facts()
    ]
    assert sorted(f.id for f in findings_for(renamed)) == sorted(f.id for f in findings_for(broken_facts()))


def test_an_xlsx_cell_is_named_by_its_sheet():
    cell = Locator(source="附件2.xlsx", table=1, row=5, col=6, sheet="自评表")
    assert describe_locator(cell) == "附件2.xlsx 工作表“自评表” 第6行第7列"
    assert describe_locator(Locator(source="附件2.xlsx", table=1)) == "附件2.xlsx 表2"

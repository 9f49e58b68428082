"""Annex layouts (Hunan 基础数据表 and 自评表, national, Yunnan, Sichuan, Chongqing, a blank
template) read into labelled facts: from the model, from DOCX and XLSX built in code, and
from the committed LibreOffice PDFs — all into the same facts (locators differ)."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.annex import extract_annex_facts
from extractor.model import Document, Fact, Format, Kind, Role, Table
from extractor.readers import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "annex"
sys.path.insert(0, str(FIXTURES))

import annex_layouts as L  # noqa: E402


def model_doc(*tables: Table, source: str = "annex.docx") -> Document:
    return Document(source=source, format=Format.DOCX, sha256="0" * 64, tables=tables)


def facts_of(layout: L.Layout) -> list[Fact]:
    return extract_annex_facts(model_doc(L.to_table(layout, caption=layout.title)))


def find(facts: list[Fact], label: str, measure: str = "", year: int | None = None, subject: str | None = None) -> Fact:
    hits = [f for f in facts if f.label == label and f.measure == measure
            and (year is None or f.year == year) and (subject is None or f.subject == subject)]
    assert len(hits) == 1, (label, measure, year, subject, hits)
    return hits[0]


def signature(fact: Fact) -> tuple:
    """What must not depend on the file format (locators may)."""
    text = re.sub(r"\s+", "", fact.text_value) if fact.text_value else None
    return (fact.label, fact.measure, fact.role, fact.year, fact.value, fact.decimals, fact.unit, fact.kind,
            fact.operator, text, fact.group is not None, fact.order, re.sub(r"\s+", "", fact.row_label))


# ---- Hunan 基础数据表 ----------------------------------------------------------------------
def test_basic_data_headcount_block_reads_columns_as_labels():
    facts = facts_of(L.BASIC_DATA)
    assert find(facts, "staff.authorized").value == Decimal("25")
    active = find(facts, "staff.active")
    assert (active.value, active.unit, active.kind, active.year) == (Decimal("27"), "人", Kind.HEADCOUNT, 2024)
    rate = find(facts, "staff.control_rate")
    assert (rate.value, rate.unit, rate.decimals, rate.role) == (Decimal("108.00"), "%", 2, Role.RATE)


def test_basic_data_spending_columns_give_measure_year_and_prior_role():
    facts = facts_of(L.BASIC_DATA)
    prior = find(facts, "three_public.total", "final", 2023)
    assert (prior.value, prior.decimals, prior.role, prior.unit) == (Decimal("118100"), -2, Role.PRIOR, "元")
    assert prior.raw == "11.81" and prior.col_label == "2023年决算数" and prior.row_label == "三公经费："
    budget = find(facts, "three_public.total", "budget", 2024)
    assert (budget.value, budget.role) == (Decimal("80000"), Role.VALUE)
    assert find(facts, "three_public.reception", "final", 2024).value == Decimal("5400")
    assert find(facts, "expenditure.public", "final", 2024).value == Decimal("4091300")


def test_basic_data_parts_point_at_their_totals():
    facts = facts_of(L.BASIC_DATA)
    total = find(facts, "three_public.total", "final", 2024)
    vehicle = find(facts, "three_public.vehicle", "final", 2024)
    assert vehicle.part_of == total.id
    assert find(facts, "three_public.vehicle_operation", "final", 2024).part_of == vehicle.id
    assert find(facts, "three_public.reception", "final", 2024).part_of == total.id
    assert find(facts, "public.office", "final", 2024).part_of == find(facts, "expenditure.public", "final", 2024).id


def test_project_rows_become_items_of_project_spending_and_filler_rows_give_only_a_template_fact():
    facts = facts_of(L.BASIC_DATA)
    project = find(facts, "expenditure.project", "final", 2024)
    items = [f for f in facts if f.label == "expenditure.project.item" and f.measure == "final" and f.year == 2024]
    assert [(f.subject, f.value, f.order) for f in items] == [
        ("1、住房公积金归集管理", Decimal("7674700"), 0), ("2、信息化建设", Decimal("6743000"), 1)]
    assert all(f.part_of == project.id for f in items) and len({f.group for f in items}) == 1
    filler = [f for f in facts if "……" in f.row_label or "……" in f.raw]
    assert [(f.label, f.value, f.text_value, f.subject) for f in filler] == [
        ("template.filler", None, "……", "经费控制情况")]


def test_nulls_are_none_never_zero_and_minus_dash_is_negative():
    facts = facts_of(L.BASIC_DATA)
    purchase = find(facts, "three_public.vehicle_purchase", "final", 2024)
    assert (purchase.value, purchase.raw, purchase.decimals) == (None, "—", None)
    assert find(facts, "public.meeting_training", "final", 2024).value is None  # "/"
    assert find(facts, "three_public.overseas", "final", 2024).value == Decimal("0")  # a written 0.00 stays 0
    adjustment = find(facts, "budget.basic_adjustment", "final", 2024)
    assert (adjustment.value, adjustment.decimals) == (Decimal("-1782700"), -2)
    assert find(facts, "budget.basic_adjustment", "final", 2023).value is None  # "—" alone


def test_a_cell_with_its_own_unit_wins_over_the_header_unit():
    procurement = find(facts_of(L.BASIC_DATA), "procurement.total", "final", 2024)
    assert (procurement.value, procurement.decimals, procurement.raw) == (Decimal("50000000"), -7, "0.5亿元")
    assert find(facts_of(L.BASIC_DATA), "procurement.total", "budget", 2024).value == Decimal("600000")


def test_building_block_and_notes_rows():
    facts = facts_of(L.BASIC_DATA)
    area = find(facts, "building.approved_area")
    assert (area.value, area.unit, area.kind) == (None, "㎡", Kind.AREA)
    assert find(facts, "building.investment_control_rate").unit == "%"
    assert find(facts, "building.budget_investment", "budget").unit == "元"  # 预算投资 is a budget figure
    assert find(facts, "building.actual_investment", "final").value is None
    assert len([f for f in facts if f.label.startswith("building.")]) == 6  # 厉行节约 / 说明 rows give none


# ---- Hunan 自评表 --------------------------------------------------------------------------
def test_self_eval_funding_total_row_and_its_fields():
    facts = facts_of(L.SELF_EVAL)
    assert find(facts, "funding.total", "initial_budget").value == Decimal("35000000")
    assert find(facts, "funding.total", "adjusted_budget").value == Decimal("37905200")
    executed = find(facts, "funding.total", "executed")
    assert executed.year == 2024 and executed.raw == "3790.52"
    assert find(facts, "budget.points").value == Decimal("10")
    rate = find(facts, "budget.execution_rate")
    assert (rate.value, rate.unit, rate.kind, rate.role) == (Decimal("100.00"), "%", Kind.PERCENT, Role.RATE)
    assert find(facts, "budget.score").kind == Kind.SCORE


def test_self_eval_values_inside_label_cells_after_the_colon():
    facts = facts_of(L.SELF_EVAL)
    income = find(facts, "funding.income_total", "executed")
    general = find(facts, "funding.general_budget", "executed")
    basic = find(facts, "funding.basic", "executed")
    assert (income.value, general.value, basic.value) == (Decimal("37905200"), Decimal("37905200"), Decimal("23487500"))
    assert general.part_of == income.id and basic.part_of == find(facts, "funding.expense_total", "executed").id
    table = L.to_table(L.SELF_EVAL)
    cell = next(c for c in table.cells if c.row == basic.locator.row and c.col == basic.locator.col)
    assert cell.text[basic.locator.char_start:basic.locator.char_end] == "2348.75"
    assert find(facts, "funding.gov_fund", "executed").value is None  # "政府性基金拨款：" left blank
    assert find(facts, "funding.non_tax", "executed").raw == "—"


def test_self_eval_goals_are_text_facts():
    facts = facts_of(L.SELF_EVAL)
    expected = find(facts, "goal.expected")
    assert expected.kind == Kind.TEXT and expected.value is None
    assert expected.text_value == "完成造林1.2万亩，苗木成活率95%以上。"
    assert find(facts, "goal.achieved").text_value.startswith("完成造林1.25万亩")


def test_indicator_rows_fill_down_levels_and_parse_operator_value_unit():
    facts = facts_of(L.SELF_EVAL)
    area = find(facts, "indicator.target", subject="造林面积")
    assert area.row_label == "产出指标（50分）/数量指标/造林面积"
    assert (area.value, area.unit, area.decimals, area.kind, area.role) == (Decimal("12000"), "亩", -3, Kind.AREA, Role.TARGET)
    per_mu = find(facts, "indicator.target", subject="森林抚育补助标准")
    assert per_mu.row_label == "产出指标（50分）/数量指标/森林抚育补助标准"  # 二级 filled down from the merge
    assert (per_mu.value, per_mu.unit) == (Decimal("300"), "元/亩")
    survival = find(facts, "indicator.target", subject="苗木成活率")
    assert (survival.operator, survival.value, survival.unit) == ("≥", Decimal("95"), "%")
    assert find(facts, "indicator.actual", subject="苗木成活率").value == Decimal("96.5")
    assert find(facts, "indicator.target", subject="群众满意度").operator == "="  # written ﹦


def test_qualitative_indicator_values_keep_text_and_no_value():
    facts = facts_of(L.SELF_EVAL)
    target = find(facts, "indicator.target", subject="森林覆盖率提升")
    actual = find(facts, "indicator.actual", subject="森林覆盖率提升")
    assert (target.value, target.kind, target.text_value) == (None, Kind.TEXT, "显著")
    assert actual.text_value == "有效提升" and actual.row_label.startswith("效益指标（30分）/生态效益指标/")
    assert find(facts, "indicator.reason", subject="森林覆盖率提升").text_value.startswith("部分区域")


def test_indicator_cells_of_a_row_share_group_and_order_follows_rows():
    facts = facts_of(L.SELF_EVAL)
    rows = {}
    for fact in facts:
        if fact.label.startswith("indicator."):
            rows.setdefault(fact.group, set()).add((fact.order, fact.subject))
    assert all(len(v) == 1 for v in rows.values())
    ordered = sorted(next(iter(v)) for v in rows.values())
    assert [s for _, s in ordered] == ["造林面积", "森林抚育补助标准", "苗木成活率", "森林覆盖率提升", "群众满意度"]
    assert all(g.startswith("ind:0:") for g in rows)
    labels = {f.label for f in facts if f.group == next(iter(rows))}
    assert labels == {"indicator.target", "indicator.actual", "indicator.points", "indicator.score", "indicator.reason"}


def test_total_row_gives_evaluation_points_and_score():
    facts = facts_of(L.SELF_EVAL)
    assert find(facts, "evaluation.total_points").value == Decimal("100")
    assert find(facts, "evaluation.total_score").value == Decimal("98")


# ---- variants -----------------------------------------------------------------------------
def test_national_project_table_funding_rows_by_column():
    facts = facts_of(L.NATIONAL)
    assert all(f.rule_id.startswith("annex.project_self_eval.") for f in facts)
    own = find(facts, "funding.general_budget", "executed")
    assert own.value == Decimal("1800000") and own.part_of == find(facts, "funding.total", "executed").id
    assert find(facts, "funding.carryover", "adjusted_budget").value == Decimal("200000")
    assert find(facts, "funding.carryover", "initial_budget").value is None
    assert not [f for f in facts if f.label == "budget.points" and f.row_label != "年度资金总额"]
    deadline = find(facts, "indicator.target", subject="完工时间")
    assert (deadline.value, deadline.text_value) == (None, "2024年12月底前")  # a date is not a quantity
    road = find(facts, "indicator.actual", subject="防火通道")
    assert (road.value, road.unit) == (Decimal("19"), "公里")


def test_yunnan_operator_and_unit_columns_apply_to_the_indicator_value():
    facts = facts_of(L.YUNNAN)
    assert all(f.rule_id.startswith("annex.self_eval_yunnan.") for f in facts)
    cost = find(facts, "indicator.target", subject="人均培训成本")
    assert (cost.operator, cost.value, cost.unit, cost.kind) == ("≤", Decimal("1500"), "元", Kind.AMOUNT)
    actual = find(facts, "indicator.actual", subject="人均培训成本")
    assert (actual.operator, actual.value, actual.unit) == (None, Decimal("1450"), "元")
    assert find(facts, "indicator.target", subject="学员满意度").unit == "%"
    assert find(facts, "funding.total", "executed").value == Decimal("4940000")  # block in 万元


def test_sichuan_adjusted_budget_weight_and_rate():
    facts = facts_of(L.SICHUAN)
    assert find(facts, "funding.total", "adjusted_budget").value == Decimal("8500000")
    assert find(facts, "funding.total", "executed").value == Decimal("8075000")
    assert find(facts, "budget.points").value == Decimal("10")  # 权重
    assert find(facts, "budget.execution_rate").value == Decimal("95.00")
    assert find(facts, "indicator.points", subject="检查企业数").value == Decimal("45")
    assert find(facts, "indicator.target", subject="检查企业数").unit == "家"


def test_chongqing_rate_weight_score_and_coefficient():
    facts = facts_of(L.CHONGQING)
    rate = find(facts, "budget.execution_rate")
    assert (rate.value, rate.unit, rate.raw) == (Decimal("90.00"), "%", "90.00")  # % from 执行率(%)
    assert find(facts, "budget.points").value == Decimal("10")
    assert find(facts, "budget.score").value == Decimal("9")
    assert find(facts, "indicator.score_rate", subject="通行条件").value == Decimal("90")
    assert find(facts, "indicator.points", subject="通行条件").value == Decimal("40")
    assert find(facts, "indicator.score", subject="通行条件").value == Decimal("36")


def test_blank_template_gives_nulls_for_known_fields_and_invents_nothing():
    facts = facts_of(L.TEMPLATE)
    assert facts and all(f.value is None for f in facts)
    assert {f.label for f in facts} == {"staff.authorized", "staff.active", "staff.control_rate",
                                        "three_public.total", "expenditure.project", "expenditure.public",
                                        "template.filler"}
    assert [(f.locator.row, f.text_value) for f in facts if f.label == "template.filler"] == [(6, "……")]
    assert not [f for f in facts if f.label == "expenditure.project.item"]  # 1、业务工作经费 left blank
    assert {f.raw for f in facts if f.label == "expenditure.public"} == {"*", "—", "/"}


# ---- the same facts from every format -----------------------------------------------------
@pytest.mark.parametrize("layout", L.ALL, ids=lambda layout: layout.name)
def test_docx_xlsx_and_pdf_read_into_the_same_facts(layout, tmp_path):
    expected = [signature(f) for f in facts_of(layout)]
    docx_facts = extract_annex_facts(read_document(L.to_docx(layout, tmp_path / f"{layout.name}.docx")))
    xlsx_facts = extract_annex_facts(read_document(L.to_xlsx(layout, tmp_path / f"{layout.name}.xlsx")))
    pdf_facts = extract_annex_facts(read_document(FIXTURES / f"{layout.name}.pdf"))
    assert [signature(f) for f in docx_facts] == expected
    assert [signature(f) for f in xlsx_facts] == expected
    assert [signature(f) for f in pdf_facts] == expected
    assert {f.locator.source for f in pdf_facts} == {f"{layout.name}.pdf"}
    assert all(f.locator.page == 1 for f in pdf_facts if f.locator.row is not None and f.locator.row < 5)


def test_table_split_in_two_reads_like_one(tmp_path):
    expected = [signature(f) for f in facts_of(L.SELF_EVAL)]
    for path in (L.to_docx(L.SELF_EVAL, tmp_path / "split.docx", split_at=11), FIXTURES / "self_eval_split.pdf"):
        doc = read_document(path)
        assert len(doc.tables) == 2
        facts = extract_annex_facts(doc)
        assert [signature(f) for f in facts] == expected
        assert {f.locator.table for f in facts if f.label.startswith("indicator.")} == {1}


def test_headerless_continuation_keeps_the_columns_of_the_first_part():
    whole = L.to_table(L.BASIC_DATA, caption="部门整体支出绩效评价基础数据表")
    first = Table(index=0, n_rows=13, n_cols=7, cells=tuple(c for c in whole.cells if c.row < 13),
                  caption=whole.caption)
    rest = tuple(c.__class__(c.row - 13, c.col, c.text, c.row_span, c.col_span) for c in whole.cells if c.row >= 13)
    second = Table(index=1, n_rows=whole.n_rows - 13, n_cols=7, cells=rest)
    split = extract_annex_facts(model_doc(first, second))
    assert [signature(f) for f in split] == [signature(f) for f in facts_of(L.BASIC_DATA)]
    public = find(split, "expenditure.public", "final", 2024)
    assert (public.locator.table, public.locator.row, public.year) == (1, 0, 2024)


def test_other_tables_give_no_facts_and_output_is_deterministic():
    other = Table(index=0, n_rows=2, n_cols=2, cells=(
        *[c for c in L.to_table(L.Layout("x", "", "", 2, [["序号", "金额"], ["1", "300.00"]])).cells],))
    annex = L.to_table(L.SELF_EVAL, index=1, caption="附件2 部门整体支出绩效自评表")
    doc = model_doc(other, annex)
    first, second = extract_annex_facts(doc), extract_annex_facts(doc)
    assert first == second and first
    assert all(f.locator.table == 1 for f in first)
    assert len({f.id for f in first}) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{16}", f.id) for f in first)


def test_damaged_headers_spaces_in_years_and_relative_year_columns():
    rows = [["经费控制情况(万元", "上年决算数", "本 年 预 算 数", "本年决算数"],
            ["三公经费：", "11.81", "8.00", "6.35"]]
    table = L.to_table(L.Layout("d", "", "", 4, rows), caption="附件1 部门整体支出绩效评价基础数据表（2024年度）")
    facts = extract_annex_facts(model_doc(table))
    prior = find(facts, "three_public.total", "final", 2023)
    assert (prior.role, prior.value) == (Role.PRIOR, Decimal("118100"))
    assert find(facts, "three_public.total", "budget", 2024).role == Role.VALUE
    rows = [["经费控制情况（万元）", "2 0 2 3 年决算数", "20 24 年预算数", "2024 年决算数"], ["公用经费", "1", "2", "3"]]
    facts = extract_annex_facts(model_doc(L.to_table(L.Layout("d", "", "", 4, rows), caption="基础数据表")))
    assert [(f.year, f.measure, f.role) for f in facts] == [
        (2023, "final", Role.PRIOR), (2024, "budget", Role.VALUE), (2024, "final", Role.VALUE)]


def test_headcount_written_as_pairs_or_after_a_colon_in_the_header_row():
    pairs = [["财政供养人员情况", "编制数", "25", "实际在职人数", "27", "控制率", "108%"],
             ["经费控制情况（万元）", "2023年决算数", "", "2024年预算数", "", "2024年决算数", ""]]
    facts = extract_annex_facts(model_doc(L.to_table(L.Layout("p", "", "", 7, pairs), caption="基础数据表（2024年度）")))
    assert [(f.label, f.value, f.locator.col) for f in facts] == [
        ("staff.authorized", Decimal("25"), 2), ("staff.active", Decimal("27"), 4),
        ("staff.control_rate", Decimal("108"), 6)]
    colon = [["财政供养人员情况", "编制数：25人", "实际在职人数：27", "控制率：108.00%"]]
    facts = extract_annex_facts(model_doc(L.to_table(L.Layout("c", "", "", 4, colon), caption="基础数据表")))
    assert [(f.label, f.value, f.raw, f.subject) for f in facts] == [
        ("staff.authorized", Decimal("25"), "25人", "编制数"), ("staff.active", Decimal("27"), "27", "实际在职人数"),
        ("staff.control_rate", Decimal("108.00"), "108.00%", "控制率")]


def test_spending_rows_fall_back_to_label_synonyms():
    rows = [["经费控制情况（万元）", "2023年决算数", "2024年预算数", "2024年决算数"],
            ["基本支出", "2500.00", "2400.00", "2348.75"], ["其中：人员经费支出", "2000.00", "1950.00", "1939.62"],
            ["公用经费", "500.00", "450.00", "409.13"]]
    facts = extract_annex_facts(model_doc(L.to_table(L.Layout("s", "", "", 4, rows), caption="基础数据表")))
    assert find(facts, "expenditure.basic", "final", 2024).value == Decimal("23487500")
    assert find(facts, "expenditure.personnel", "final", 2024).raw == "1939.62"
    assert not [f for f in facts if f.label == ""]

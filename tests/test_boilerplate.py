"""Batch level: the same 偏差原因 text in several units' 自评表 (extractor.checks.boilerplate)."""

from __future__ import annotations

from scoring_builders import Row, extraction_from_docx, self_eval, self_eval_docx_parts, standard_rows

from extractor.checks.boilerplate import boilerplate_across_units, boilerplate_per_extraction
from extractor.model import Level, Status

SHARED = "已核实修正数据，下一步将加强管理"


def unit(name: str, reasons: list[str | None], year: str = "2024"):
    rows = [Row(r.path, r.target, r.actual, r.points, r.score, reason)
            for r, reason in zip(standard_rows(), reasons + [None] * 9)]
    extraction = self_eval(rows=rows, unit=name, source=f"{name}/自评表.docx")
    return type(extraction)(extraction.sources, {**extraction.metadata, "year": year}, extraction.facts)


def test_shared_reason_flags_each_unit_with_its_own_facts():
    a = unit("甲局", [SHARED, "甲局特有的原因说明文字"])
    b = unit("乙局", [f" {SHARED}。"])
    c = unit("丙局", ["丙局自己写的偏差原因说明"])
    results = boilerplate_across_units([a, b, c])
    assert [r.status for r in results] == [Status.FAIL, Status.FAIL]
    first, second = results
    a_ids = {f.id for f in a.facts}
    assert set(first.fact_ids) <= a_ids and len(first.fact_ids) == 1
    assert set(second.fact_ids) <= {f.id for f in b.facts}
    assert "乙局" in first.message and "甲局" in second.message and "丙局" not in first.message
    assert first.level is Level.ADVISORY and first.family == "form"


def test_per_extraction_keeps_input_order():
    a, b, c = unit("甲局", [SHARED]), unit("乙局", ["别的原因，写得不一样"]), unit("丙局", [SHARED])
    per = boilerplate_per_extraction([a, b, c])
    assert [len(x) for x in per] == [1, 0, 1]
    assert "丙局" in per[0][0].message and "甲局" in per[2][0].message


def test_same_unit_in_two_years_is_not_boilerplate():
    results = boilerplate_across_units([unit("甲局", [SHARED], "2023"), unit("甲局", [SHARED], "2024"),
                                        unit("乙局", ["乙局的偏差原因另有说明"])])
    assert [r.status for r in results] == [Status.PASS]


def test_short_or_harmless_reasons_are_ignored():
    results = boilerplate_across_units([unit("甲局", ["无", "已完成"]), unit("乙局", ["无", "已完成"])])
    assert [r.status for r in results] == [Status.PASS]


def test_single_unit_batch_is_skipped():
    results = boilerplate_across_units([unit("甲局", [SHARED])])
    assert [r.status for r in results] == [Status.SKIPPED] and results[0].missing == ("other_units",)


def test_result_does_not_depend_on_input_order():
    a, b = unit("甲局", [SHARED]), unit("乙局", [SHARED])
    forward = sorted(r.message for r in boilerplate_across_units([a, b]))
    backward = sorted(r.message for r in boilerplate_across_units([b, a]))
    assert forward == backward and len(forward) == 2


def test_docx_self_evals_of_two_units_share_boilerplate(make_docx):
    extractions = []
    for name, reason in (("甲局", SHARED), ("乙局", SHARED), ("丙局", "丙局根据实际情况调整了工作安排")):
        rows = [Row(r.path, r.target, r.actual, r.points, r.score, reason if i == 0 else None)
                for i, r in enumerate(standard_rows())]
        path = make_docx(self_eval_docx_parts(rows, unit=name), name=f"{name}_自评表.docx")
        extractions.append(extraction_from_docx(path, unit=name))
    per = boilerplate_per_extraction(extractions)
    assert [len(x) for x in per] == [1, 1, 0]
    assert per[0][0].status is Status.FAIL and "乙局" in per[0][0].message
    reason_fact = next(f for f in extractions[0].facts if f.id == per[0][0].fact_ids[0])
    assert reason_fact.label == "indicator.reason" and reason_fact.locator.table is not None

"""Checks on Facts built directly (the Yiyang narrative figures, then broken on purpose)."""

from dataclasses import replace
from decimal import Decimal as D

from extractor.checks import run_checks, summarize
from extractor.model import Direction, Extraction, Fact, Kind, Level, Locator, Role, Severity, Status

WAN = D(10000)
PROJECTS = [
    ("贷款资产管理服务", "320.93", "22.26"),
    ("系统及信息化建设专项", "244.05", "16.93"),
    ("营业部营业用房室内装修", "151.1", "10.48"),
    ("归集和贷款宣传", "134.82", "9.35"),
    ("驻政务中心人员劳务派遣", "96", "6.66"),
    ("食堂管理", "85.6", "5.94"),
    ("12329声讯服务系统运行管理", "78.37", "5.44"),
    ("乡村振兴专项经费", "64.98", "4.51"),
    ("县市区公积金专项工作经费", "62.01", "4.3"),
    ("市直营业部租赁", "55.11", "3.82"),
    ("集中培训", "39.89", "2.77"),
    ("人事招聘专项", "27.67", "1.92"),
    ("档案服务外包", "24.01", "1.67"),
    ("工作服", "17.29", "1.2"),
    ("固定资产购置", "16.37", "1.14"),
    ("其他项目费用合计", "23.57", "1.64"),
]


def places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def wan(fid, label, text, block, **kw):
    """An amount written in 万元: value in 元, XBRL decimals (2348.75万元 -> -2)."""
    return Fact(
        id=fid,
        label=label,
        subject=kw.pop("subject", ""),
        kind=Kind.AMOUNT,
        value=D(text) * WAN,
        unit="元",
        raw=f"{text}万元",
        decimals=places(text) - 4,
        locator=Locator(source="r.docx", block=block, char_start=len(fid)),
        **kw,
    )


def num(fid, label, text, block, unit, kind, **kw):
    return Fact(
        id=fid,
        label=label,
        subject=kw.pop("subject", ""),
        kind=kind,
        value=D(text),
        unit=unit,
        raw=f"{text}{unit}",
        decimals=places(text),
        locator=Locator(source="r.docx", block=block, char_start=len(fid)),
        **kw,
    )


def person(fid, label, text, block, **kw):
    return num(fid, label, text, block, "人", Kind.HEADCOUNT, **kw)


def pct(fid, label, text, block, **kw):
    return num(fid, label, text, block, "%", Kind.PERCENT, **kw)


def yiyang_facts() -> list[Fact]:
    dec, inc = Direction.DECREASE, Direction.INCREASE
    ch = Role.CHANGE
    facts = [
        person("st", "staff.total", "108", 1),
        person("st_c", "staff.total", "3", 1, role=ch, direction=dec, of="st"),
        person("sa", "staff.active", "86", 1, part_of="st"),
        person("sa_c", "staff.active", "5", 1, role=ch, direction=dec, of="sa"),
        person("r1", "", "3", 1, role=ch, of="sa_c"),
        person("r2", "", "2", 1, role=ch, of="sa_c"),
        person("sr", "staff.retired", "22", 1, part_of="st"),
        person("sr_c", "staff.retired", "2", 1, role=ch, direction=inc, of="sr"),
        wan("b", "expenditure.basic", "2348.75", 2),
        wan("bp", "expenditure.personnel", "1939.62", 2, part_of="b"),
        wan("bp_c", "expenditure.personnel", "290.49", 2, role=ch, direction=dec, of="bp"),
        wan("bg", "expenditure.public", "409.13", 2, part_of="b"),
        wan("bg_c", "expenditure.public", "31.05", 2, role=ch, direction=inc, of="bg"),
        wan("t", "three_public.total", "6.35", 3),
        wan("tv", "three_public.vehicle", "5.81", 3, part_of="t"),
        wan("tr", "three_public.reception", "0.54", 3, part_of="t"),
        wan("t_c", "three_public.total", "5.46", 3, role=ch, direction=dec),
        wan("tv_c", "three_public.vehicle", "0.94", 3, role=ch, direction=dec, part_of="t_c"),
        wan("tr_c", "three_public.reception", "4.52", 3, role=ch, direction=dec, part_of="t_c"),
        wan("p", "expenditure.project", "1441.77", 4),
    ]
    for n, (name, amount, share) in enumerate(PROJECTS):
        facts.append(
            wan(
                f"p{n:02d}",
                "expenditure.project.item",
                amount,
                4,
                subject=name,
                part_of="p",
                group="g",
                order=n,
            )
        )
        facts.append(pct(f"s{n:02d}", "", share, 4, role=Role.SHARE, of=f"p{n:02d}", part_of="p"))
    facts += [
        wan("tq", "", "29.81", 5),
        wan("tq1", "", "18.36", 5, part_of="tq"),
        pct("tq1s", "", "61.58", 5, role=Role.SHARE, of="tq1", part_of="tq"),
        wan("tq2", "", "11.45", 5, part_of="tq"),
        pct("tq2s", "", "38.42", 5, role=Role.SHARE, of="tq2", part_of="tq"),
        # 6.23亿元 and 4.90亿元: known to the 100万 (decimals -6)
        replace(wan("ln", "", "62300", 6), raw="6.23亿元", decimals=-6),
        replace(wan("ln1", "", "49000", 6, part_of="ln"), raw="4.90亿元", decimals=-6),
    ]
    facts.append(
        replace(
            facts[-1],
            id="ln1s",
            value=D("78.73"),
            unit="%",
            kind=Kind.PERCENT,
            raw="78.73%",
            decimals=2,
            role=Role.SHARE,
            of="ln1",
            part_of="ln",
        )
    )
    return facts


def extraction(
    facts,
    outline=(
        "单位基本情况",
        "一般公共预算支出情况",
        "部门整体支出绩效情况",
        "七、存在的问题及原因分析",
        "下一步改进措施",
    ),
) -> Extraction:
    return Extraction(
        sources=("r.docx",),
        metadata={"unit": "益阳市住房公积金管理中心", "year": "2024"},
        facts=tuple(facts),
        outline=tuple(outline),
    )


def failures(results):
    return [r for r in results if r.status is Status.FAIL]


def by_rule(results, rule_id):
    return [r for r in results if r.rule_id == rule_id]


def test_yiyang_narrative_is_consistent_within_rounding():
    results = run_checks(extraction(yiyang_facts()))
    assert [
        r.message
        for r in failures(results)
        if r.rule_id != "annex.basic_data" and r.rule_id != "annex.self_eval"
    ] == []
    for rule_id in (
        "sum.basic",
        "sum.three_public",
        "sum.three_public_change",
        "sum.staff",
        "sum.staff_change",
        "sum.projects",
        "generic.share",
        "generic.share_sum",
        "generic.change_reasons",
    ):
        assert any(r.status is Status.PASS for r in by_rule(results, rule_id)), rule_id
    assert len([r for r in by_rule(results, "generic.share") if r.status is Status.PASS]) == 16 + 3


def test_missing_annexes_are_warned_not_hidden():
    results = run_checks(extraction(yiyang_facts()))
    missing = {r.rule_id for r in failures(results)}
    assert missing == {"annex.basic_data", "annex.self_eval"}
    assert all(r.severity is Severity.WARNING for r in failures(results))


def test_a_part_moved_beyond_rounding_fails_and_cites_it():
    facts = [replace(f, value=f.value + 200) if f.id == "bp" else f for f in yiyang_facts()]
    [result] = by_rule(run_checks(extraction(facts)), "sum.basic")
    assert (
        result.status is Status.FAIL and result.severity is Severity.ERROR and result.level is Level.MANDATORY
    )
    assert "bp" in result.fact_ids and result.fact_ids[0] == "b"
    assert result.difference == D(-200)
    assert "2348.75万元" in result.message and "2348.77万元" in result.message


def test_wrong_share_fails_but_recomputed_last_digit_does_not():
    facts = [replace(f, value=D("1.70"), raw="1.70%") if f.id == "s15" else f for f in yiyang_facts()]
    shares = by_rule(run_checks(extraction(facts)), "generic.share")
    failed = [r for r in shares if r.status is Status.FAIL]
    assert [r.fact_ids for r in failed] == [("s15", "p15", "p")]


def test_shares_that_miss_100_beyond_rounding_warn():
    facts = [replace(f, value=f.value + 1) if f.id == "s00" else f for f in yiyang_facts()]
    facts = [
        replace(f, value=f.value + 1440) if f.id == "p00" else f for f in facts
    ]  # keep amount/share consistent-ish
    [result] = by_rule(run_checks(extraction(facts)), "generic.share_sum")
    assert (
        result.status is Status.FAIL
        and result.level is Level.ADVISORY
        and result.severity is Severity.WARNING
    )


def test_headcount_reasons_must_add_to_the_change():
    facts = [replace(f, value=D(4)) if f.id == "r1" else f for f in yiyang_facts()]
    [result] = by_rule(run_checks(extraction(facts)), "generic.change_reasons")
    # the reasons, and the headcount the change is of (written in the same paragraph)
    assert result.status is Status.FAIL and set(result.fact_ids) == {"sa_c", "r1", "r2", "sa"}


def test_missing_part_gives_skipped_with_the_missing_input():
    facts = [f for f in yiyang_facts() if f.id != "sr"]
    [result] = by_rule(run_checks(extraction(facts)), "sum.staff")
    assert result.status is Status.SKIPPED and result.missing == ("退休人员",)


def test_rule_without_any_input_is_skipped_not_dropped():
    results = run_checks(extraction(yiyang_facts()))
    [execution] = by_rule(results, "rate.execution")
    assert execution.status is Status.SKIPPED and execution.missing == ("预算执行率",)
    counts = summarize(results)
    assert counts["run"] == counts["passed"] + counts["failed"]
    assert counts["skipped"] >= 1 and counts["run"] + counts["skipped"] == len(results)


def test_missing_section_is_reported():
    results = run_checks(
        extraction(yiyang_facts(), outline=("单位基本情况", "支出情况", "绩效情况", "存在的问题"))
    )
    [measures] = by_rule(results, "section.measures")
    assert measures.status is Status.FAIL and "改进措施" in measures.message


def test_count_against_items_listed():
    facts = yiyang_facts()
    count = num("cnt", "expenditure.project.count", "15", 4, "个", Kind.COUNT)
    [result] = by_rule(run_checks(extraction(facts + [count])), "count.projects")
    assert result.status is Status.FAIL and "15个" in result.message and "16个" in result.message
    right = replace(count, value=D(16), raw="16个")
    [result] = by_rule(run_checks(extraction(facts + [right])), "count.projects")
    assert result.status is Status.PASS


def indicator_row(target: str, operator, actual: str, points: str, score: str, row=7):
    group = f"ind:1:{row}"
    loc = {"block": None}
    cells = [
        ("indicator.target", target, 3),
        ("indicator.actual", actual, 4),
        ("indicator.points", points, 5),
        ("indicator.score", score, 6),
    ]
    facts = []
    for label, text, col in cells:
        unit, kind = (
            ("分", Kind.SCORE) if label in ("indicator.points", "indicator.score") else ("%", Kind.PERCENT)
        )
        fact = num(f"{label}{row}", label, text, 0, unit, kind, group=group, subject="业务按时办结率")
        facts.append(
            replace(
                fact,
                locator=Locator(source="r.docx", table=1, row=row, col=col, **loc),
                operator=operator if label == "indicator.target" else None,
            )
        )
    return facts


def test_full_score_on_a_missed_target_warns():
    results = run_checks(extraction(indicator_row("95", "≥", "90.5", "10", "10")))
    [result] = by_rule(results, "score.full_score_missed_target")
    assert result.status is Status.FAIL and result.level is Level.ADVISORY and "90.5%" in result.message


def test_target_met_or_docked_score_passes():
    for row in (
        indicator_row("95", "≥", "95", "10", "10"),
        indicator_row("95", "≥", "90.5", "10", "8"),
        indicator_row("5", "≤", "4.9", "10", "10"),
    ):
        [result] = by_rule(run_checks(extraction(row)), "score.full_score_missed_target")
        assert result.status is Status.PASS


def test_changes_with_unclear_reasons_are_not_summed():
    """在职人员44人，与上年持平，原因是新招录3人，1人离职…: several changes for one figure."""
    dec, inc, ch = Direction.DECREASE, Direction.INCREASE, Role.CHANGE
    facts = [
        person("t", "staff.total", "66", 6),
        person("t_c", "staff.total", "1", 6, role=ch, direction=inc, of="t"),
        person("a", "staff.active", "44", 6, part_of="t"),
        person("a1", "staff.active", "3", 6, role=ch, direction=inc, of="a"),
        person("a2", "staff.active", "1", 6, role=ch, direction=dec, of="a"),
        person("r", "staff.retired", "22", 6, part_of="t"),
        person("r_c", "staff.retired", "1", 6, role=ch, direction=inc, of="r"),
    ]
    [result] = by_rule(run_checks(extraction(facts)), "sum.staff_change")
    assert result.status is Status.SKIPPED and result.missing == ("在职人员",)


def test_narrative_items_against_same_named_annex_rows():
    from extractor.checks.items import item_key

    assert item_key("3、执法装备购置经费") == item_key("执法装备购置") == "执法装备购置"
    text = wan("x", "expenditure.project.item", "117.52", 4, subject="执法装备购置经费")
    row = replace(
        wan("y", "expenditure.project.item", "122.52", 0, subject="3、执法装备购置经费"),
        raw="122.52",
        measure="final",
        year=2024,
        locator=Locator(source="附件1.xlsx", table=0, row=12, col=5),
    )
    [result] = by_rule(run_checks(extraction([text, row])), "text_annex.project_items")
    assert result.status is Status.FAIL and result.difference == D(-50000) and "122.52万元" in result.message


def test_partial_narrative_project_list_is_advisory_but_overflow_is_an_error():
    main_only = [f for f in yiyang_facts() if not f.id.startswith(("p1", "s"))]  # 10 of 16 listed, no shares
    [short] = [r for r in by_rule(run_checks(extraction(main_only)), "sum.projects")]
    assert (
        short.status is Status.FAIL and short.level is Level.ADVISORY and short.severity is Severity.WARNING
    )
    bigger = [replace(f, value=f.value + 10**6) if f.id == "p00" else f for f in yiyang_facts()]
    [over] = by_rule(run_checks(extraction(bigger)), "sum.projects")
    assert over.status is Status.FAIL and over.severity is Severity.ERROR


def test_change_without_this_year_in_text_uses_the_annex_columns():
    """ "三公经费较上年减少5.46万元" alone: this year and last year from 基础数据表 决算数 columns."""
    change = wan("c", "three_public.total", "5.46", 3, role=Role.CHANGE, direction=Direction.INCREASE)
    cell = Locator(source="r.docx", table=0, row=3, col=5)
    this = replace(
        wan("a", "three_public.total", "6.35", 0), raw="6.35", measure="final", year=2024, locator=cell
    )
    last = replace(
        this, id="b", value=D(118100), raw="11.81", role=Role.PRIOR, year=2023, locator=replace(cell, col=1)
    )
    [result] = by_rule(run_checks(extraction([change, this, last])), "generic.change")
    assert (
        result.status is Status.FAIL
        and "实为减少" in result.message
        and "报告写作增加5.46万元" in result.message
    )

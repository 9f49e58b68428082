from decimal import Decimal
from pathlib import Path

import pytest
from reference import corpus_docx, load_reference_csv, score

from extractor.model import Block, BlockKind, Direction, Document, Format, Kind, Role
from extractor.narrative.facts import NarrativeExtractor, NarrativeResult
from extractor.readers import read_document
from extractor.serialize import dumps

REFERENCE = Path(__file__).parent / "reference"
CORPUS = Path(__file__).parent.parent / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.txt"
SAMPLE = Path(__file__).parent.parent / "samples" / "yiyang_hpf_2024" / "yiyang_hpf_2024.docx"


@pytest.fixture(scope="module")
def extractor() -> NarrativeExtractor:
    return NarrativeExtractor()


def document(*texts: str, source: str = "r.docx") -> Document:
    blocks = tuple(Block(i, BlockKind.PARAGRAPH, t, section=("二、一般公共预算支出情况",)) for i, t in enumerate(texts))
    return Document(source, Format.DOCX, "0" * 64, blocks=blocks)


def by_raw(result: NarrativeResult, raw: str, nth: int = 0):
    return [f for f in result.facts if f.raw == raw][nth]


@pytest.fixture(scope="module")
def yiyang_doc(tmp_path_factory) -> Document:
    if SAMPLE.exists():
        return read_document(SAMPLE, SAMPLE.parent)
    path = tmp_path_factory.mktemp("yiyang") / "yiyang_hpf_2024.docx"
    corpus_docx(CORPUS.read_text(encoding="utf-8"), path)
    return read_document(path, path.parent)


@pytest.fixture(scope="module")
def yiyang(extractor, yiyang_doc) -> NarrativeResult:
    return extractor.extract(yiyang_doc)


def test_yiyang_accuracy_floor(yiyang):
    rows = load_reference_csv(REFERENCE / "yiyang_facts.csv")
    result = score(yiyang.facts, rows, yiyang.digit_runs, len(yiyang.unaccounted))
    assert result.recall >= 0.98, result.missed
    assert result.precision >= 0.98, result.wrong
    assert result.coverage >= 0.99, yiyang.unaccounted
    assert result.role_agreement >= 0.98


def test_yiyang_metadata(yiyang):
    assert yiyang.metadata == {"unit": "益阳市住房公积金管理中心", "year": "2024",
                               "title": "2024年度益阳市住房公积金管理中心整体支出绩效自评报告"}


def test_locators_point_at_the_raw_text(yiyang, yiyang_doc):
    for fact in yiyang.facts:
        block = yiyang_doc.blocks[fact.locator.block]
        assert block.text[fact.locator.char_start:fact.locator.char_end] == fact.raw
        assert fact.raw in fact.sentence and fact.locator.section == block.section


def test_part_of_and_share(extractor):
    r = extractor.extract(document("项目经费支出1441.77万元，其中：贷款资产管理服务支出320.93万元，占比22.26%；"
                                   "食堂管理支出85.6万元，占比5.94%。"))
    total, item, share = by_raw(r, "1441.77万元"), by_raw(r, "320.93万元"), by_raw(r, "22.26%")
    assert total.label == "expenditure.project" and total.value == Decimal(14417700) and total.decimals == -2
    assert (item.label, item.subject, item.part_of, item.order) == ("expenditure.project.item", "贷款资产管理服务", total.id, 0)
    assert (share.role, share.of, share.part_of, share.kind) == (Role.SHARE, item.id, total.id, Kind.PERCENT)
    second = by_raw(r, "85.6万元")
    assert second.group == item.group and second.order == 1 and second.subject == "食堂管理"


def test_change_attaches_to_the_value_it_modifies(extractor):
    r = extractor.extract(document("2024年基本支出2348.75万元，其中人员经费支出1939.62万元，减少290.49万元。"))
    personnel, change = by_raw(r, "1939.62万元"), by_raw(r, "290.49万元")
    assert personnel.part_of == by_raw(r, "2348.75万元").id
    assert (change.role, change.direction, change.of, change.label) == (
        Role.CHANGE, Direction.DECREASE, personnel.id, "expenditure.personnel")
    assert change.year == 2024 and change.part_of is None


def test_rates_points_and_people(extractor):
    r = extractor.extract(document(
        "期末住房公积金余额134.68亿元,同比增长6.77%。新增住房公积金缴存职工2.35万人。",
        "贷存比为81.90%，同比下降8.03个百分点。12329声讯服务系统运行管理支出78.37万元。"))
    rate = by_raw(r, "6.77%")
    assert (rate.role, rate.direction, rate.of) == (Role.RATE, Direction.INCREASE, by_raw(r, "134.68亿元").id)
    people = by_raw(r, "2.35万人")
    assert (people.kind, people.value, people.unit, people.decimals) == (Kind.HEADCOUNT, Decimal(23500), "人", -2)
    point = by_raw(r, "8.03个百分点")
    assert (point.kind, point.role, point.of) == (Kind.PERCENT_POINT, Role.CHANGE, by_raw(r, "81.90%").id)
    assert [n.raw for n in r.non_quantities if n.reason == "hotline"] == ["12329"]
    assert not any(f.raw.startswith("12329") for f in r.facts)


def test_headcount_change_and_its_reasons(extractor):
    r = extractor.extract(document("2024年年末实有人数108人，较2023年度减少3人。其中：在职人员86人,比2023年减少5人，"
                                   "原因是3人退休，2人离职;退休人员22人,比2023年增加2人。"))
    total, active = by_raw(r, "108人"), by_raw(r, "86人")
    change = by_raw(r, "3人")
    assert (change.label, change.role, change.direction, change.of, change.year) == (
        "staff.total", Role.CHANGE, Direction.DECREASE, total.id, 2024)
    five = by_raw(r, "5人")
    retired, left = by_raw(r, "3人", 1), by_raw(r, "2人")
    assert retired.of == five.id and left.of == five.id and retired.label == "staff.active"
    assert retired.subject == "退休" and left.subject == "离职"
    assert active.part_of == total.id and by_raw(r, "22人").part_of == total.id
    assert by_raw(r, "2人", 1).direction is Direction.INCREASE


def test_count_labelled_by_the_noun_after_it(extractor):
    r = extractor.extract(document("内设办公室、财务科4个职能科室，非独立核算的正科级事业单位9个。"))
    assert by_raw(r, "4个").label == "org.departments"
    assert by_raw(r, "9个").label == "org.subordinate_units"


def test_full_width_text_keeps_offsets(extractor):
    text = "提取率为７７．７３％，同比减少２．３８％。"
    r = extractor.extract(document(text))
    fact = by_raw(r, "７７．７３％")
    assert (fact.value, fact.decimals, fact.label) == (Decimal("77.73"), 2, "hpf.withdrawal_rate")
    assert text[fact.locator.char_start:fact.locator.char_end] == "７７．７３％"


def test_unknown_label_is_empty_not_guessed(extractor):
    r = extractor.extract(document("完成培训5场，覆盖职工300人。"))
    assert {f.raw: f.label for f in r.facts} == {"5场": "", "300人": ""}


def test_deterministic_json_and_stable_ids(extractor):
    doc = document("2024年度“三公”经费支出6.35万元，其中：公务用车购置及运行维护费支出5.81万元，公务接待费支出0.54万元。")
    first = dumps(extractor.extract(doc), "extractor.narrative", "1")
    again = dumps(NarrativeExtractor().extract(doc), "extractor.narrative", "1")
    assert first == again
    ids = [f.id for f in extractor.extract(doc).facts]
    assert len(set(ids)) == 3 and all(len(i) == 16 for i in ids)


def test_reasons_in_brackets_or_after_qizhong(extractor):
    r = extractor.extract(document("在职人员较上年减少5人（3人退休，2人离职）。", "在职人员较上年增加1人，其中2人离职，新招录3人。"))
    five, one = by_raw(r, "5人"), by_raw(r, "1人")
    assert [(f.of, f.direction) for f in (by_raw(r, "3人"), by_raw(r, "2人"))] == [
        (five.id, Direction.DECREASE), (five.id, Direction.DECREASE)]
    hired = by_raw(r, "3人", 1)
    assert (hired.of, hired.direction, hired.label) == (one.id, Direction.INCREASE, "staff.active")
    assert by_raw(r, "2人", 1).direction is Direction.DECREASE


def test_thousands_with_full_width_commas_and_bracketed_parts(extractor):
    r = extractor.extract(document("“三公”经费支出49，567．17元，同比减少4，219．49元。其中，公务用车购置及运行维护费27，202．09元"
                                   "（公务用车购置费0．00元、公务用车运行维护费27，202．09元），公务接待费22，365．08元。"))
    total, vehicle = by_raw(r, "49，567．17元"), by_raw(r, "27，202．09元")
    assert total.value == Decimal("49567.17") and total.label == "three_public.total"
    assert vehicle.part_of == total.id and by_raw(r, "22，365．08元").part_of == total.id
    purchase, operation = by_raw(r, "0．00元"), by_raw(r, "27，202．09元", 1)
    assert (purchase.label, purchase.part_of, purchase.order) == ("three_public.vehicle_purchase", vehicle.id, 0)
    assert (operation.label, operation.part_of, operation.order) == ("three_public.vehicle_operation", vehicle.id, 1)
    assert r.unaccounted == ()


def test_enumeration_continues_in_numbered_blocks(extractor):
    r = extractor.extract(document("2024年项目支出300.00万元，共2个项目。具体如下：",
                                   "1.信息化建设经费：支出200.00万元，占比66.67%；", "2.党建工作经费：支出100.00万元，占比33.33%。",
                                   "三、下一步改进措施，经费50.00万元。"))
    total = by_raw(r, "300.00万元")
    first, second = by_raw(r, "200.00万元"), by_raw(r, "100.00万元")
    assert by_raw(r, "2个").label == "expenditure.project.count"
    assert (first.label, first.subject, first.part_of, first.order) == (
        "expenditure.project.item", "信息化建设经费", total.id, 0)
    assert (second.subject, second.order, second.group) == ("党建工作经费", 1, first.group)
    assert by_raw(r, "33.33%").of == second.id
    assert by_raw(r, "50.00万元").part_of is None


def test_measures_and_grade(extractor):
    r = extractor.extract(document("2024年全年预算数1200.00万元，全年执行数1100.00万元，预算执行率为91.67%，较上年提高2.5个百分点。",
                                   "经自评，部门整体支出绩效自评得分95.5分，评价等级为“优”。"))
    assert (by_raw(r, "1200.00万元").label, by_raw(r, "1200.00万元").measure) == ("funding.total", "adjusted_budget")
    assert by_raw(r, "1100.00万元").measure == "executed"
    point = by_raw(r, "2.5个百分点")
    assert (point.label, point.of) == ("budget.execution_rate", by_raw(r, "91.67%").id)
    assert by_raw(r, "91.67%").role is Role.RATE  # as annex.toml [roles] rate has it
    assert by_raw(r, "95.5分").label == "evaluation.total_score"
    grade = by_raw(r, "优")
    assert (grade.label, grade.kind, grade.value, grade.text_value) == ("evaluation.grade", Kind.TEXT, None, "优")


def test_prior_year_figures(extractor):
    r = extractor.extract(document("2024年度部门整体支出绩效自评报告", "上年人员经费为2230.11万元，2023年度公用经费378.08万元。"))
    personnel, public = by_raw(r, "2230.11万元"), by_raw(r, "378.08万元")
    assert (personnel.role, personnel.year, personnel.label) == (Role.PRIOR, 2023, "expenditure.personnel")
    assert (public.role, public.year, public.label) == (Role.PRIOR, 2023, "expenditure.public")


def test_change_rate_after_change_amount(extractor):
    r = extractor.extract(document("人员经费1939.62万元，较上年减少290.49万元，下降了13.03%；基本支出占总支出的61.96%。"))
    rate = by_raw(r, "13.03%")
    assert (rate.role, rate.label, rate.of, rate.direction) == (
        Role.RATE, "expenditure.personnel", by_raw(r, "1939.62万元").id, Direction.DECREASE)


def test_measure_phrases_follow_their_subject(extractor):
    r = extractor.extract(document("2024年“三公”经费预算数为12.00万元，实际支出10.50万元，比预算节约1.50万元，比上年减少2.30万元，下降17.97%。"))
    budget, actual = by_raw(r, "12.00万元"), by_raw(r, "10.50万元")
    assert (budget.label, budget.measure) == ("three_public.total", "budget")
    assert (actual.label, actual.measure) == ("three_public.total", "executed")
    saving = by_raw(r, "1.50万元")
    assert (saving.label, saving.role, saving.of) == ("", Role.CHANGE, actual.id)  # against budget, not last year
    assert by_raw(r, "2.30万元").label == "three_public.total"
    assert (by_raw(r, "17.97%").label, by_raw(r, "17.97%").of) == ("three_public.total", actual.id)


def test_a_new_total_closes_the_qizhong_scope(extractor):
    r = extractor.extract(document("收入合计1,234.56万元，其中：一般公共预算拨款收入1,100.00万元，其他收入134.56万元。"
                                   "支出合计1,200.00万元，其中：基本支出800.00万元，占66.67%。"))
    income, spending = by_raw(r, "1,234.56万元"), by_raw(r, "1,200.00万元")
    assert by_raw(r, "134.56万元").part_of == income.id
    assert spending.part_of is None and by_raw(r, "800.00万元").part_of == spending.id
    assert by_raw(r, "1,100.00万元").value == Decimal(11000000) and by_raw(r, "1,100.00万元").decimals == -2


def test_an_item_named_with_heji_stays_in_the_enumeration(extractor):
    r = extractor.extract(document("项目经费支出100.00万元，其中：食堂管理支出76.43万元，占比76.43%；其他项目费用合计支出23.57万元，占比23.57%。"))
    other = by_raw(r, "23.57万元")
    assert (other.label, other.subject, other.order) == ("expenditure.project.item", "其他项目费用合计", 1)


def test_people_in_brackets_are_parts_not_changes(extractor):
    r = extractor.extract(document("年末实有人数108人（在职86人，退休22人）。"))
    total = by_raw(r, "108人")
    active, retired = by_raw(r, "86人"), by_raw(r, "22人")
    assert (active.label, active.part_of, retired.part_of) == ("staff.active", total.id, total.id)
    assert retired.role is Role.VALUE and retired.direction is None


def test_approximate_figures_are_classified_not_checked(extractor):
    """约/近/大约 N and N余/N多: no exact value a check could use; counted, with reason "approximate"."""
    r = extractor.extract(document(
        "2024年项目支出约5万元，服务群众近3000人，培训经费100余万元，另有5万余元结转，大约12个项目，"
        "运维费约为12.5万元，节约5.2万元。"))
    approximate = [n.raw for n in r.non_quantities if n.reason == "approximate"]
    assert approximate == ["约5万元", "近3000人", "100余万元", "5万余元", "大约12个", "约为12.5万元"]
    assert [f.raw for f in r.facts] == ["5.2万元"]  # 节约 is a saving, not "about"
    assert r.unaccounted == ()


def test_unit_split_from_its_number_by_a_line_break(extractor, tmp_path):
    import docx

    document_ = docx.Document()
    paragraph = document_.add_paragraph()
    paragraph.add_run("2024年基本支出2348.75").add_break()  # a soft line break inside the paragraph
    paragraph.add_run("万元，其中人员经费支出1939.62万元。")
    document_.save(str(tmp_path / "split.docx"))
    r = extractor.extract(read_document(tmp_path / "split.docx", tmp_path))
    basic = by_raw(r, "2348.75\n万元")
    assert (basic.label, basic.value, basic.decimals) == ("expenditure.basic", Decimal(23487500), -2)
    assert r.unaccounted == ()


def test_bare_numbers_take_the_unit_of_a_header(extractor):
    r = extractor.extract(document(
        "单位：万元",
        "2024年基本支出2348.75，其中人员经费支出1939.62，公用经费支出409.13，较上年增加31.05。",
        "项目支出（万元）：1441.77，占比37.99%。"))
    got = [(f.raw, f.label, f.value, f.decimals, f.role) for f in r.facts]
    assert got == [
        ("2348.75", "expenditure.basic", Decimal(23487500), -2, Role.VALUE),
        ("1939.62", "expenditure.personnel", Decimal(19396200), -2, Role.VALUE),
        ("409.13", "expenditure.public", Decimal(4091300), -2, Role.VALUE),
        ("31.05", "expenditure.public", Decimal(310500), -2, Role.CHANGE),
        ("1441.77", "expenditure.project", Decimal(14417700), -2, Role.VALUE),
        ("37.99%", "expenditure.project", Decimal("37.99"), 2, Role.SHARE),
    ]
    assert all(f.unit == "元" for f in r.facts if f.kind is Kind.AMOUNT)


def test_a_unit_header_holds_only_within_its_section(extractor):
    blocks = (Block(0, BlockKind.PARAGRAPH, "单位：万元", section=("二、支出情况",)),
              Block(1, BlockKind.HEADING, "三、绩效情况", section=("三、绩效情况",), level=1),
              Block(2, BlockKind.PARAGRAPH, "基本支出2348.75，人员经费支出1939.62万元。", section=("三、绩效情况",)))
    r = extractor.extract(Document("r.docx", Format.DOCX, "0" * 64, blocks=blocks))
    assert [f.raw for f in r.facts] == ["1939.62万元"]
    assert [n.raw for n in r.unaccounted] == ["2348.75"]  # no stated unit: reported, not guessed

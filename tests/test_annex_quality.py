"""Annex quality: template rows left in ("……", "（参考提纲）") give template.filler facts that
form.template_left reports; XLSX figures name their sheet; recognised tables that yield
no header or no figures leave a W-coded issue (annex_issues)."""

from __future__ import annotations

from dataclasses import replace

from openpyxl.utils import get_column_letter
from scoring_builders import Row, self_eval_docx_parts, standard_rows

from extractor.annex import annex_facts_and_issues, annex_issues, extract_annex_facts
from extractor.checks.form import run_form_checks
from extractor.model import Cell, Document, Extraction, Format, Level, Severity, Status, Table
from extractor.readers import read_document
from extractor.report.findings import describe_locator, results_to_findings

FILLER_ROWS = [
    Row("产出指标/数量指标/……", "", "", "", ""),
    Row("效益指标/社会效益指标/（参考提纲）请列明效益指标", "", "", "", ""),
]


def template_parts() -> list:
    return self_eval_docx_parts([*standard_rows(), *FILLER_ROWS], paragraphs=["测试单位2024年度部门整体支出绩效自评报告"])


def as_extraction(doc: Document) -> Extraction:
    return Extraction(sources=(doc.source,), metadata={"unit": "测试单位", "year": "2024"},
                      facts=tuple(extract_annex_facts(doc)))


def template_results(extraction: Extraction):
    return [r for r in run_form_checks(extraction) if r.rule_id == "form.template_left"]


def to_xlsx_sheet(parts: list) -> dict:
    """The 自评表 of self_eval_docx_parts as one sheet: a title row, then the grid and merges."""
    table = parts[-1]
    rows = [["部门整体支出绩效自评表"], *table["table"]]
    merges = [f"{get_column_letter(c0 + 1)}{r0 + 2}:{get_column_letter(c1 + 1)}{r1 + 2}"
              for r0, c0, r1, c1 in table["merge"]]
    return {"rows": rows, "merge": merges}


def test_docx_template_rows_give_filler_facts_and_a_warning(make_docx):
    doc = read_document(make_docx(template_parts(), name="自评表.docx"))
    fillers = [f for f in extract_annex_facts(doc) if f.label == "template.filler"]
    assert [(f.value, f.text_value, f.subject) for f in fillers] == [
        (None, "……", "绩效指标"), (None, "（参考提纲）请列明效益指标", "绩效指标")]
    assert all(f.locator.table == 0 and f.locator.row is not None for f in fillers)
    [result] = template_results(as_extraction(doc))
    assert (result.status, result.severity, result.level) == (Status.FAIL, Severity.WARNING, Level.ADVISORY)
    assert result.message == "绩效指标：模板内容“……（共2行）”未删除"
    assert set(result.fact_ids) == {f.id for f in fillers}


def test_filler_rows_do_not_count_as_indicators(make_docx):
    doc = read_document(make_docx(template_parts(), name="自评表.docx"))
    names = {f.subject for f in extract_annex_facts(doc) if f.label.startswith("indicator.")}
    assert not any("……" in n or "参考提纲" in n for n in names)


def test_clean_table_has_no_template_rows(make_docx):
    parts = self_eval_docx_parts(standard_rows())
    doc = read_document(make_docx(parts, name="自评表.docx"))
    assert not [f for f in extract_annex_facts(doc) if f.label == "template.filler"]
    assert [r.status for r in template_results(as_extraction(doc))] == [Status.PASS]


def test_xlsx_template_rows_are_found_and_located_by_sheet(make_xlsx):
    doc = read_document(make_xlsx({"自评表": to_xlsx_sheet(template_parts())}, name="附件2.xlsx"))
    extraction = as_extraction(doc)
    fillers = [f for f in extraction.facts if f.label == "template.filler"]
    assert [f.text_value for f in fillers] == ["……", "（参考提纲）请列明效益指标"]
    [result] = template_results(extraction)
    assert result.status is Status.FAIL and result.level is Level.ADVISORY
    [finding] = [f for f in results_to_findings(extraction, [result], {})]
    first = finding.locations[0]
    assert first.sheet == "自评表"
    assert describe_locator(first) == f"附件2.xlsx 工作表“自评表” 第{first.row + 1}行第{first.col + 1}列"


def test_xlsx_figures_name_their_sheet(make_xlsx):
    doc = read_document(make_xlsx({"自评表": to_xlsx_sheet(self_eval_docx_parts(standard_rows()))}, name="附件2.xlsx"))
    facts = extract_annex_facts(doc)
    assert facts and {f.locator.sheet for f in facts} == {"自评表"}
    rate = next(f for f in facts if f.label == "budget.execution_rate")
    # Excel row 4: the title row, 预算部门, the funding header, then 年度资金总额; column G
    assert describe_locator(rate.locator) == "附件2.xlsx 工作表“自评表” 第4行第7列"


def test_docx_figures_keep_the_table_number(make_docx):
    doc = read_document(make_docx(self_eval_docx_parts(standard_rows()), name="自评表.docx"))
    rate = next(f for f in extract_annex_facts(doc) if f.label == "budget.execution_rate")
    assert rate.locator.sheet is None and describe_locator(rate.locator) == "自评表.docx 表1 第3行第7列"


# ---- recognised tables that cannot be read -------------------------------------------------


def table_doc(rows: list[list[str]], caption: str = "附件2 部门整体支出绩效自评表", sheet: str | None = None) -> Document:
    cells = tuple(Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row))
    table = Table(index=0, n_rows=len(rows), n_cols=max(len(r) for r in rows), cells=cells, caption=caption,
                  annex=True, sheet=sheet)
    return Document(source="附件2.xlsx" if sheet else "附件2.docx", format=Format.XLSX if sheet else Format.DOCX,
                    sha256="0", tables=(table,))


def test_a_recognised_table_without_a_known_header_leaves_w310():
    doc = table_doc([["部门整体支出绩效自评表", ""], ["项目甲", "12.00"], ["项目乙", "8.00"]])
    assert extract_annex_facts(doc) == []
    [issue] = annex_issues(doc)
    assert issue.code == "W310" and issue.source == "附件2.docx"
    assert issue.message == "附件2.docx 表1：识别为部门整体支出绩效自评表，但未找到可识别的表头，表中数字未读取，请人工核对"
    assert issue.locator is not None and issue.locator.table == 0


def test_a_header_with_no_data_rows_leaves_w311_naming_the_sheet():
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    doc = table_doc([header, [""] * 7, ["", "", "……", "", "", "", ""]], sheet="自评表")
    facts = extract_annex_facts(doc)
    assert [f.label for f in facts] == ["template.filler"]  # a filler row is not data
    [issue] = annex_issues(doc)
    assert issue.code == "W311" and issue.locator is not None and issue.locator.sheet == "自评表"
    assert issue.message == "附件2.xlsx 工作表“自评表”：识别为部门整体支出绩效自评表，但未读出任何数据，请人工核对表格内容"


def test_readable_tables_and_other_tables_leave_no_issue(make_docx):
    doc = read_document(make_docx(self_eval_docx_parts(standard_rows()), name="自评表.docx"))
    assert annex_issues(doc) == []
    other = replace(table_doc([["序号", "事项"], ["1", "会议"]], caption="表3 会议安排"), source="报告.docx")
    assert annex_issues(other) == []
    assert annex_issues(replace(doc, tables=())) == []


def test_facts_and_issues_from_one_walk_match_the_separate_calls():
    doc = table_doc([["部门整体支出绩效自评表", ""], ["项目甲", "12.00"]])
    assert annex_facts_and_issues(doc) == (extract_annex_facts(doc), annex_issues(doc))
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    filled = table_doc([header, ["产出指标", "数量指标", "检查企业数", "≥120家", "126家", "45", "45"]])
    facts, issues = annex_facts_and_issues(filled)
    assert facts == extract_annex_facts(filled) and len(facts) == 4 and issues == []

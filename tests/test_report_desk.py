"""The reviewer's desk: places a reviewer can read, excerpts cut around their figures, rows that
print in four lines, the 图表 sheet and the SVG chart in the triage order, the 打印 view."""

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from test_findings import broken_facts
from test_report import consistent_facts, submission

from extractor.model import Family, Finding, Level, Locator, Reach, Severity
from extractor.report import write_reports
from extractor.report.rows import FINDING_WIDTHS, cut_excerpt, excerpts_shown, places, short_file
from extractor.report.xlsx import _lines_needed, _with_link


def finding(locations, excerpts=(), unit="清溪县林业局"):
    return Finding("f1", unit, 2024, "sum.x", Family.SUM, Severity.ERROR, Reach.WITHIN_TABLE,
                   Level.MANDATORY, "合计不等于分项之和", locations=tuple(locations), excerpts=tuple(excerpts))


def test_places_name_the_file_once_and_say_cells_together():
    folder = "清溪县林业局（2024年）/"
    sheet = [Locator(folder + "清溪县林业局附件2.xlsx", table=0, row=r, col=6, sheet="自评表") for r in (5, 10, 11, 12)]
    text = [Locator(folder + "报告.docx", block=6), Locator(folder + "报告.docx", block=7)]
    cells = [Locator(folder + "报告.docx", table=1, row=3, col=c) for c in (1, 4)]
    pdf = [Locator(folder + "附件.pdf", page=3, table=0, row=2, col=1)]
    shown = places(finding([*sheet, *text, *cells, *pdf]))
    assert shown == (
        "附件2.xlsx 工作表“自评表” 第6、11–13行第7列；报告.docx 第7、8段、表2 第4行第2、5列；附件.pdf 第3页 表1 第3行第2列"
    )
    assert folder not in shown


def test_short_file_keeps_a_name_when_only_the_unit_is_left():
    assert short_file("a/清溪县林业局.pdf", "清溪县林业局") == "清溪县林业局.pdf"
    assert short_file("a/自评表-清溪县实验小学-2024.docx", "清溪县实验小学") == "自评表-2024.docx"


def test_excerpt_cut_around_its_figure_and_the_rest_counted():
    sentence = "根据年度工作安排和预算批复情况，全年预算数为2138.33万元，执行数为1711.14万元，执行率为80.00%。"
    cut = cut_excerpt(sentence, ["1711.14万元"], 22)
    assert "1711.14万元" in cut and cut.startswith("…") and len(cut) <= 24
    cell = "产出指标（50分）/数量指标/资助家庭经济困难学生 / 得分：15"
    assert cut_excerpt(cell, [], 22).endswith("得分：15")
    many = finding([], [f"项目{i} / 得分：{i}" for i in range(9)])
    shown = excerpts_shown(many, [])
    assert len(shown) == 2 and shown[-1].endswith("（另 7 处）")


def test_a_finding_with_many_places_prints_in_four_lines():
    locs = [Locator("清溪县林业局/附件2 清溪县林业局自评表.xlsx", table=0, row=r, col=6, sheet="附件2 自评表")
            for r in range(5, 18)] + [Locator("清溪县林业局/关于清溪县林业局2024年度部门整体支出绩效自评的报告.docx", block=b)
                                      for b in (3, 9, 14)]
    long = finding(locs, [f"产出指标（50分）/数量指标/指标{i} / 得分：15" for i in range(12)])
    from extractor.report.rows import finding_row

    row = _with_link(finding_row(long, ["15"]), long)
    assert _lines_needed(row, _with_link(FINDING_WIDTHS, None)) <= 4


def test_xlsx_links_each_place_to_its_file_relative_to_the_workbook(tmp_path):
    source_root = tmp_path / "input"
    write_reports([submission(broken_facts(), "乙单位")], tmp_path / "out", source_root=source_root)
    wb = load_workbook(tmp_path / "out" / "discrepancies.xlsx")
    sheet = wb["问题清单"]
    column = {c.value: c.column for c in sheet[1]}
    link = sheet.cell(2, column["原文件"]).hyperlink
    assert link is not None and link.target == "../input/报告.docx"
    assert (tmp_path / "out" / link.target).resolve() == (source_root / "报告.docx").resolve()
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A3


def test_chart_sheet_has_the_units_in_triage_order(tmp_path):
    write_reports([submission(consistent_facts(), "甲单位"), submission(broken_facts(), "乙单位")], tmp_path)
    wb = load_workbook(tmp_path / "discrepancies.xlsx")
    chart = wb["图表"]
    assert [r[0] for r in chart.iter_rows(min_row=2, values_only=True)] == ["乙单位 2024", "甲单位 2024"]
    assert len(chart._charts) == 2
    summary = [r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)]
    assert summary == ["乙单位", "甲单位"]


def test_html_sections_per_unit_links_to_excerpts_print_view_and_chart(tmp_path):
    write_reports([submission(consistent_facts(), "甲单位"), submission(broken_facts(), "乙单位")], tmp_path)
    html = Path(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "@media print" in html and "section.unit{break-before:page}" in html and 'id="print"' in html
    links = re.findall(r'<a class="place" href="#(x-[0-9a-f]+)"', html)
    assert links and all(f'id="{target}"' in html for target in links)
    bars = re.findall(r'<g class="bar" data-unit="([^"]+)"', html)
    assert bars == ["乙单位", "甲单位"]  # as 汇总 ranks them
    listed = json.loads((tmp_path / "discrepancies.json").read_text(encoding="utf-8"))
    with_findings = [s["unit"] for s in listed["submissions"] if s["findings"]["mandatory"] + s["findings"]["advisory"]]
    assert re.findall(r'<section class="unit" id="u-\d+" data-unit="([^"]+)"', html) == with_findings
    assert "<svg" in html and "http" not in html

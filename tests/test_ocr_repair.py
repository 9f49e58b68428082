"""OCR repairs (readers.ocr_repair): a decimal point read as ':' or ',' is read as '.', and
the figure is always uncertain; an annex header cell misread under a seal (预期目, 级指标,
金年预算：数点, 执行馨) is snapped to the annex column word, and both repairs are reported
(W110). A figure whose clause holds a low-scoring punctuation mark has an uncertain label
(readers.ocr_marks), and a finding on it is a 提示, never a 强制 (report.ocr_findings).

The word list is the real patterns/annex.toml; the drawn scan is OCR'd by RapidOCR."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import numpy as np
import ocr_scans
import pytest

from extractor.extract import extract_files
from extractor.model import CheckResult, Interval, Level, OcrMark, Severity, Status
from extractor.readers import read_document
from extractor.readers.ocr_image import PageImage
from extractor.readers.ocr_layout import OChar, OcrPage, Piece, assemble, clean
from extractor.readers.ocr_marks import clause_doubtful, ocr_mark
from extractor.readers.ocr_repair import (
    REPAIRED,
    header_words,
    looks_like_annex,
    misread_points,
    snap_header,
    snap_short_header,
)
from extractor.readers.ocr_tables import GridCell, GridTable
from extractor.report.findings import results_to_findings

ROOT = Path(__file__).resolve().parent.parent
INDICATOR_ROW = ["二级指标", "三级指标", "年度指标值", "实际完成值"]


def _chars(text: str, score: float = 0.999) -> list[OChar]:
    return [OChar(ch, (i * 10.0, 0.0, i * 10.0 + 9, 12.0), score, 0, 1) for i, ch in enumerate(text)]


@pytest.mark.parametrize("text, read", [
    ("99:44", "99.44"), ("9,42", "9.42"), ("12：94万元", "12.94万元"), ("合计99:44元", "合计99.44元"),
    ("18,73%", "18.73%"), ("1302:81 其中", "1302.81 其中"),
])
def test_a_point_read_as_colon_or_comma_is_a_point_and_uncertain(text, read):
    out, chars = clean(_chars(text))
    assert out == read
    point = out.index(".")
    assert chars[point].score == 0.0 and chars[point].misread in ":,："
    assert all(c.score > 0.99 for i, c in enumerate(chars) if i != point)


@pytest.mark.parametrize("text", ["1,234", "33，639.86", "9:4", "9:425", "10:30开会", "第1,2项", "1:10000"])
def test_other_separators_between_digits_stay(text):
    assert misread_points(text) == [] or text == "33，639.86"
    out, chars = clean(_chars(text))
    assert "." not in out.replace("639.86", "")
    assert min(c.score for c in chars) > 0.99


def test_the_header_words_come_from_the_annex_patterns():
    words = header_words()
    assert {"一级指标", "二级指标", "三级指标", "预期目标", "全年预算", "年度资金总额"} <= set(words)
    assert all(len(w) >= 4 for w in words)


@pytest.mark.parametrize("text, row, snapped", [
    ("级指标", INDICATOR_ROW, ("一级指标", 3)),  # 二级/三级指标 are in the row: only 一级指标 is left
    ("预期目", ["实际完成情况"], ("预期目标", 3)),
    ("金年预算：数点", ["年初预算数", "全年执行数"], ("全年预算", 4)),
    ("年度资金总颖", [], ("年度资金总额", 6)),
    ("按支唐性质分1302.81其中：基本支出：403.22", [], ("按支出性质分", 6)),  # the label before the figures
    ("按支山性质分：1711.14", [], ("按支出性质分", 6)),
])
def test_a_misread_annex_header_is_snapped_to_its_word(text, row, snapped):
    assert snap_header(text, row, header_words()) == snapped


@pytest.mark.parametrize("text, row", [
    ("级指标", []),  # 一级, 二级 or 三级指标: ambiguous, left as read
    ("一级指标", INDICATOR_ROW),  # reads right
    ("产出指标", INDICATOR_ROW), ("数量指标", INDICATOR_ROW), ("满意度指标", []), ("其他资金", []),
    ("预算执行率", []), ("预算执行率90%", []),  # reads as annex.toml's 执行率 column, not 预算执行数
    ("1.开展业务培训≥4次", []), ("一般公共预箅：1302.81", []),
    ("开展业务培训次数达到预期", []),
])
def test_other_cells_are_not_snapped(text, row):
    assert snap_header(text, row, header_words()) is None


def test_only_a_table_that_reads_as_an_annex_table_is_snapped():
    words = header_words()
    assert looks_like_annex(["年度资金总额", "二级指标", "级指标"], words)
    assert not looks_like_annex(["级指标", "合计", "1302.81"], words)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A ruled table drawn with a ':' and a ',' where the decimal points are."""
    rows = [["99:44", "9,42"], ["2348.75", "8.90"]]
    page = ocr_scans.ruled_table_page(rows, widths=[200, 200])
    return read_document(ocr_scans.image_pdf([page], tmp_path_factory.mktemp("ocr") / "points.pdf", 150))


def test_a_scanned_figure_with_a_colon_for_its_point_is_read_and_flagged(drawn):
    cells = {(c.row, c.col): c.text for c in drawn.tables[0].cells}
    marks = {(t.row, t.col): ocr_mark(t, 0, len(cells[(t.row, t.col)])) for t in drawn.ocr_text if t.table == 0}
    assert cells == {(0, 0): "99.44", (0, 1): "9.42", (1, 0): "2348.75", (1, 1): "8.90"}
    assert marks[(0, 0)].uncertain and marks[(0, 0)].confidence == 0.0
    assert marks[(0, 1)].uncertain and marks[(0, 1)].confidence == 0.0
    assert not marks[(1, 0)].uncertain
    repaired = [i.message for i in drawn.issues if i.code == REPAIRED]
    assert len(repaired) == 2 and all("第1页" in m for m in repaired)
    assert any("“99:44”" in m and "“99.44”" in m for m in repaired)
    assert any("“9,42”" in m and "“9.42”" in m for m in repaired)


def _page(rows: list[list[str]]) -> OcrPage:
    """One OCR'd page holding a ruled table with these cell texts (recognised at 0.999)."""
    width, height = 120, 30
    cells, pieces = [], {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            box = (c * width, r * height, (c + 1) * width, (r + 1) * height)
            cells.append(GridCell(r, c, 1, 1, box))
            pieces[(r, c)] = Piece([OChar(ch, (box[0] + 4 + 12 * i, box[1] + 8, box[0] + 15 + 12 * i, box[1] + 22),
                                          0.999, r * 10 + c, 1) for i, ch in enumerate(text)])
    grid = GridTable((0, 0, width * len(rows[0]), height * len(rows)), len(rows), len(rows[0]), tuple(cells))
    image = PageImage(1, np.full((1754, 1240), 255, dtype=np.uint8), 150.0, 0.0)
    return OcrPage(1, image, [], [(grid, pieces)], [])


def test_a_misread_header_of_an_annex_table_is_snapped_and_reported():
    part = assemble([_page([["级指标", "二级指标", "三级指标", "年度指标值"],
                            ["产出指标", "数量指标", "开展业务培训", "≥4次"]])], "scan.pdf")
    (table,) = part.tables
    texts = {(c.row, c.col): c.text for c in table.cells}
    assert texts[(0, 0)] == "一级指标" and texts[(1, 0)] == "产出指标" and texts[(1, 3)] == "≥4次"
    (issue,) = [i for i in part.issues if i.code == REPAIRED]
    assert "第1页" in issue.message and "“级指标”" in issue.message and "“一级指标”" in issue.message
    for text in part.ocr_text:  # scores stay one per character of the cell's text
        assert len(text.scores) == len(texts[(text.row, text.col)])


def test_a_table_that_does_not_read_as_an_annex_table_is_left_as_read():
    part = assemble([_page([["级指标", "合计"], ["产出", "12.5"]])], "scan.pdf")
    assert [c.text for c in part.tables[0].cells] == ["级指标", "合计", "产出", "12.5"]
    assert not [i for i in part.issues if i.code == REPAIRED]


FUNDING_ROW = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "自评得分"]


def test_a_three_character_header_is_snapped_only_where_its_odd_character_scored_low():
    assert snap_short_header("执行馨", [0.999, 0.999, 0.41], FUNDING_ROW) == "执行率"  # 执行数 is in the row
    assert snap_short_header("执行馨", [0.999, 0.999, 0.995], FUNDING_ROW) is None  # read with confidence
    assert snap_short_header("执行馨", [0.999, 0.999, 0.41], ["", "分值"]) is None  # not a header row
    assert snap_short_header("执行馨", [0.999, 0.999, 0.41], ["年初预算数", "分值"]) is None  # 执行率 or 执行数
    assert snap_short_header("完成率", [0.999, 0.999, 0.999], FUNDING_ROW) is None
    assert snap_short_header("执行率", [0.5, 0.5, 0.5], FUNDING_ROW) is None  # reads as it is


SENTENCE = "法律顾问服务费129.92万元，占项目支出的15.65%，安全生产专项经费83.18万元，占项目支出的10.02%。"


def test_a_figure_whose_clause_has_a_low_scoring_punctuation_mark_has_an_uncertain_label():
    scores = [0.999] * len(SENTENCE)
    at = SENTENCE.index("83.18")
    assert not clause_doubtful(SENTENCE, scores, at)
    scores[SENTENCE.index("，安全")] = 0.74  # a ；read as ，: 83.18 may take 项目支出 as its label
    assert clause_doubtful(SENTENCE, scores, at)
    assert not clause_doubtful(SENTENCE.replace("%，安全", "%；安全"), scores, at)  # a clause of its own
    scores = [0.999] * len(SENTENCE)
    scores[SENTENCE.index("安")] = 0.5  # a low-scoring letter is not punctuation
    assert not clause_doubtful(SENTENCE, scores, at)


def test_a_finding_on_a_figure_with_an_uncertain_label_is_a_hint():
    source = ROOT / "samples/batch/清溪县司法局/清溪县司法局2024年度部门整体支出绩效自评报告.pdf"
    extraction = extract_files([source])
    first, second = [f for f in extraction.facts if f.value is not None and f.locator.table is None][:2]
    unsure = dataclasses.replace(first, ocr=OcrMark(0.999, False, 2, "", label_uncertain=True))
    certain = dataclasses.replace(second, ocr=OcrMark(0.999, False, 2, ""))
    marked = dataclasses.replace(extraction, facts=(unsure, certain))
    check = CheckResult("R1", "sum", Status.FAIL, Severity.ERROR, "合计不符", (unsure.id, certain.id),
                        Interval(Decimal(1), Decimal(1)), Interval(Decimal(2), Decimal(2)), Decimal(-1),
                        level=Level.MANDATORY)
    (finding,) = results_to_findings(marked, [check], {})
    assert finding.level is Level.ADVISORY and finding.severity is Severity.WARNING
    assert finding.message == f"OCR 识别存疑，请核对原件第2页（{unsure.raw} 所在句的标点识别存疑，所属项目可能有误）：合计不符"
    plain = dataclasses.replace(marked, facts=(dataclasses.replace(unsure, ocr=certain.ocr), certain))
    (kept,) = results_to_findings(plain, [check], {})
    assert kept.level is Level.MANDATORY and kept.message.startswith("合计不符（数字取自扫描件")

"""`check --annotate` and `batch --annotate`: OUT/返回修改/<单位>_<年度>/ with the marked copies,
the 审核意见 letter (强制 first, places, figures, what to do; reviewer decisions respected), the
summary line's count of exact marks, and report.html linking each finding to its unit's files."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from test_cli_check import make_report

from extractor.annotate import annotate_all
from extractor.annotate.readback import docx_comments
from extractor.cli import main
from extractor.model import Level
from extractor.patterns import load_patterns
from extractor.pipeline import process_submission
from extractor.report import raws_by_place

UNIT_DIR = "返回修改/清溪县测试局_2024"
LETTER = load_patterns().letter


def report_at(path: Path, public: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_report(path, public)


def letter_lines(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_check_annotate_returns_the_marked_report_and_the_letter(tmp_path: Path, capsys) -> None:
    report = report_at(tmp_path / "in" / "清溪县测试局2024年自评报告.docx", "409.23")
    original = report.read_bytes()
    out = tmp_path / "out"
    assert main(["check", str(report), "-o", str(out), "--annotate"]) == 1
    assert report.read_bytes() == original
    printed = capsys.readouterr().out
    findings = json.loads((out / "discrepancies.json").read_text(encoding="utf-8"))["findings"]
    folder = out / UNIT_DIR
    assert sorted(p.name for p in folder.iterdir()) == sorted([report.name, "审核意见.docx"])

    comments, problems = docx_comments(folder / report.name)
    assert problems == []
    basic = next(f for f in findings if f["rule"] == "sum.basic")
    anchored = {c.anchor for c in comments if basic["id"] in c.text}
    assert anchored == {"2348.75万元", "1939.62万元", "409.23万元"}  # the figures the finding cites
    located = sum(len(f["locations"]) for f in findings)
    assert f"精确标注到数字 {located}/{located} 处" in printed

    lines = letter_lines(folder / "审核意见.docx")
    assert lines[0] == "关于清溪县测试局2024年度部门整体支出绩效自评报告的审核意见"
    assert lines[1] == "清溪县测试局："
    items = [line for line in lines if re.match(r"^\d+\. 【", line)]
    assert len(items) == len(findings)
    levels = [line.split("【")[1][:2] for line in items]
    assert levels == sorted(levels, key=lambda lv: lv != "强制")  # 强制 first
    assert f"位置：{report.name} 第5段" in lines
    assert "报告值：2348.75万元；应为：2348.85万元；差额：-0.10万元" in lines
    assert any(line.startswith("处理意见：") for line in lines)
    assert lines[-2].startswith("请你单位对照以上意见修改完善")


def test_report_html_links_each_finding_to_its_returned_files(tmp_path: Path) -> None:
    report = report_at(tmp_path / "in" / "清溪县测试局2024年自评报告.docx", "409.23")
    plain, annotated = tmp_path / "plain", tmp_path / "annotated"
    main(["check", str(report), "-o", str(plain)])
    main(["check", str(report), "-o", str(annotated), "--annotate"])
    assert "返回修改" not in (plain / "report.html").read_text(encoding="utf-8")
    html = (annotated / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', html)
    rows = html.count('<tr class="finding')
    assert rows and len([x for x in links if x.endswith("%E5%AE%A1%E6%A0%B8%E6%84%8F%E8%A7%81.docx")]) == rows
    assert all((annotated / unquote(link)).is_file() for link in links)
    assert all(not link.startswith(("/", "file:")) for link in links)  # relative: the folder can move


def test_reviewer_decisions_are_respected(tmp_path: Path) -> None:
    report = make_report(tmp_path / "清溪县测试局2024年自评报告.docx", "409.23")
    result = process_submission([report], tmp_path)
    dismissed, corrected, *_ = result.findings
    decided = [dataclasses.replace(dismissed, decision="误报"),
               dataclasses.replace(corrected, decision="已更正", remark="已改为409.13"), *result.findings[2:]]
    result = dataclasses.replace(result, findings=tuple(decided))
    counts = annotate_all([result], raws_by_place([result]), tmp_path, tmp_path / "out", letter=LETTER)
    assert counts.findings == len(decided) - 1
    folder = tmp_path / "out" / UNIT_DIR
    text = "\n".join(letter_lines(folder / "审核意见.docx"))
    assert dismissed.id not in text and dismissed.message not in text
    assert corrected.id in text and "审核人已标注：已更正。（已改为409.13）" in text
    comments, _ = docx_comments(folder / report.name)
    assert not any(dismissed.id in c.text for c in comments)
    assert any(corrected.id in c.text and "已更正" in c.text for c in comments)


def test_findings_without_a_place_are_in_the_letter_and_on_the_first_paragraph(tmp_path: Path) -> None:
    """The report lacks both annexes: those findings cite no figure, and are still returned."""
    report = make_report(tmp_path / "清溪县测试局2024年自评报告.docx", "409.13")
    result = process_submission([report], tmp_path)
    placeless = [f for f in result.findings if not f.locations]
    assert placeless
    counts = annotate_all([result], raws_by_place([result]), tmp_path, tmp_path / "out", letter=LETTER)
    assert counts.nearest >= len(placeless)
    folder = tmp_path / "out" / UNIT_DIR
    comments, _ = docx_comments(folder / report.name)
    first = docx.Document(str(report)).paragraphs[0].text
    for f in placeless:
        comment = next(c for c in comments if f.id in c.text)
        assert comment.anchor == first and comment.text.startswith("【文件中无对应位置】")
    text = "\n".join(letter_lines(folder / "审核意见.docx"))
    assert all(f.id in text for f in placeless)
    assert text.count("该问题在文件中无对应位置，已批注在报告的第一段") == len(placeless)
    assert any(f.level is Level.ADVISORY for f in placeless)


def test_batch_annotate_writes_one_folder_per_submission(tmp_path: Path, capsys) -> None:
    root = tmp_path / "in"
    report_at(root / "清溪县测试局" / "清溪县测试局2024年自评报告.docx", "409.23")
    report_at(root / "清溪县乙局" / "清溪县乙局2024年自评报告.docx", "409.13")
    out = tmp_path / "out"
    assert main(["batch", str(root), "-o", str(out), "-q", "-j", "1", "--annotate"]) == 1
    printed = capsys.readouterr().out
    assert "返回修改：2 份报送" in printed
    folders = sorted(p.name for p in (out / "返回修改").iterdir())
    assert folders == ["清溪县乙局_2024", "清溪县测试局_2024"]
    for folder in (out / "返回修改").iterdir():
        assert (folder / "审核意见.docx").is_file() and len(list(folder.glob("*.docx"))) == 2
    with (out / "discrepancies.csv").open(encoding="utf-8-sig") as fh:
        assert sum(1 for _ in csv.reader(fh)) > 1


def test_same_input_same_returned_bytes(tmp_path: Path) -> None:
    report = report_at(tmp_path / "in" / "清溪县测试局2024年自评报告.docx", "409.23")
    result = process_submission([report], report.parent)
    for name in ("a", "b"):
        annotate_all([result], raws_by_place([result]), report.parent, tmp_path / name, letter=LETTER)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 2
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_annotate_sits_above_the_report_and_below_the_batch() -> None:
    from test_pipeline import PACKAGE, room_imports

    assert not {m for m in room_imports("report") if m.startswith("extractor.annotate")}
    above = ("extractor.batch", "extractor.pipeline", "extractor.cli")
    assert not {m for m in room_imports("annotate") if m.startswith(above)}
    assert (PACKAGE / "report" / "returned.py").is_file()


def soffice_converts(path: Path, out: Path) -> bool:
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "pdf",
                           "--outdir", str(out), str(path)], capture_output=True, timeout=180, check=False)
    return done.returncode == 0 and (out / f"{path.stem}.pdf").is_file()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (the XML checks above run always)")
def test_libreoffice_opens_the_returned_files(tmp_path: Path) -> None:
    report = report_at(tmp_path / "in" / "清溪县测试局2024年自评报告.docx", "409.23")
    if not soffice_converts(report, tmp_path / "original"):
        pytest.skip("this LibreOffice cannot convert even the unmarked file")
    main(["check", str(report), "-o", str(tmp_path / "out"), "--annotate"])
    for path in (tmp_path / "out" / UNIT_DIR).glob("*.docx"):
        assert soffice_converts(path, tmp_path / "marked"), path.name


def test_returned_names_keep_files_of_the_same_name_apart() -> None:
    from extractor.report.returned import returned_names

    names = returned_names(["甲局/报告.docx", "甲局/附件/附件1.xlsx", "甲局/旧/附件1.xlsx", "甲局/审核意见.docx"])
    assert names["甲局/报告.docx"] == "报告.docx"
    assert len(set(names.values())) == 4 and "审核意见.docx" not in names.values()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (the XML checks run always)")
def test_libreoffice_keeps_the_xlsx_comments(make_xlsx, tmp_path: Path) -> None:
    from extractor.annotate.marks import Mark
    from extractor.annotate.readback import xlsx_comments
    from extractor.annotate.xlsx_marks import mark_xlsx
    from extractor.model import Finding, Locator, Reach, Severity

    path = make_xlsx({"表": {"rows": [["项目", "金额"], ["合计", 30.5], ["其中", 20]]}})
    finding = Finding(id="x1", unit="甲", year=2024, rule_id="r", family="sum", severity=Severity.ERROR,
                      reach=Reach.TEXT_TABLE, level=Level.MANDATORY, message="合计不符")
    marks = [Mark(finding, Locator(path.name, table=0, row=r, col=1, char_start=0, char_end=len(t), sheet="表"), t)
             for r, t in ((1, "30.5"), (2, "20"))]
    assert all(p.exact for p in mark_xlsx(path, tmp_path / "marked" / "a.xlsx", marks))
    if not soffice_converts(path, tmp_path / "original"):
        pytest.skip("this LibreOffice cannot convert even the unmarked file")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "xlsx", "--outdir", str(tmp_path / "resaved"), str(tmp_path / "marked" / "a.xlsx")],
                          capture_output=True, timeout=180, check=False)
    assert done.returncode == 0
    assert sorted(c.coordinate for c in xlsx_comments(tmp_path / "resaved" / "a.xlsx")) == ["B2", "B3"]

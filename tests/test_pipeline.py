"""One submission pipeline (check and the batch worker), one failed result, the model's small
types, the one reviewer vocabulary, and the layers' one-way imports."""

from __future__ import annotations

import ast
import dataclasses
import shutil
import tomllib
from decimal import Decimal
from enum import Enum
from pathlib import Path

import docx

from extractor.batch.pool import Task
from extractor.batch.progress import summary_text
from extractor.batch.work import PipelineWork
from extractor.model import (
    Extraction,
    Family,
    Finding,
    Level,
    Measure,
    Reach,
    Severity,
    SubmissionResult,
    SubmissionStatus,
    parse_year,
)
from extractor.patterns import load_patterns
from extractor.pipeline import process_submission, shared_narrative
from extractor.report import summarize_submission
from extractor.vocabulary import REVIEWER_WORDS, zh

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "extractor"


def make_report(path: Path, public: str) -> Path:
    document = docx.Document()
    document.add_paragraph("2024年度清溪县测试局整体支出绩效自评报告")
    document.add_paragraph("一、单位基本情况")
    document.add_paragraph(f"2024年基本支出2348.75万元，其中人员经费支出1939.62万元，公用经费支出{public}万元。")
    document.save(path)
    return path


def test_check_and_the_batch_worker_assemble_a_submission_the_same_way(tmp_path: Path) -> None:
    report = make_report(tmp_path / "清溪县测试局2024年自评报告.docx", "400.00")  # 1939.62 + 400.00 != 2348.75
    broken = tmp_path / "附件1.xlsx"
    broken.write_bytes(b"not a workbook")
    files = (report.name, broken.name)
    checked = process_submission([tmp_path / f for f in files], tmp_path, {}, shared_narrative())
    task = Task("k", "", None, files, str(tmp_path), str(tmp_path / "cache"))
    worked = PipelineWork().process(task, lambda step: None)
    assert dataclasses.replace(worked, issues=()) == dataclasses.replace(checked, issues=())
    assert [(i.code, i.source) for i in worked.issues] == [(i.code, i.source) for i in checked.issues]
    assert checked.status is SubmissionStatus.PARTIAL
    assert [i.source for i in checked.issues if i.code.startswith("E")] == ["附件1.xlsx"]
    assert checked.findings and checked.files == files


def test_the_patterns_given_are_the_ones_the_checks_read(tmp_path: Path) -> None:
    report = make_report(tmp_path / "报告.docx", "400.00")
    folder = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", folder)
    rules = folder / "checks.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'id = "sum.basic"\nfamily = "sum"\nkind = "sum"\ntotal = "expenditure.basic"\n'
        'parts = ["expenditure.personnel", "expenditure.public"]\nseverity = "error"',
        'id = "sum.basic"\nfamily = "sum"\nkind = "sum"\ntotal = "expenditure.basic"\n'
        'parts = ["expenditure.personnel", "expenditure.public"]\nseverity = "warning"'), encoding="utf-8")
    installed = process_submission([report], tmp_path, narrative=shared_narrative())
    given = process_submission([report], tmp_path, narrative=shared_narrative(), patterns=load_patterns(folder))
    assert [f.severity for f in installed.findings if f.rule_id == "sum.basic"] == [Severity.ERROR]
    assert [f.severity for f in given.findings if f.rule_id == "sum.basic"] == [Severity.WARNING]


def test_nothing_readable_is_the_one_failed_result_in_check_and_in_the_batch(tmp_path: Path) -> None:
    broken = tmp_path / "报告.docx"
    broken.write_bytes(b"not a document")
    checked = process_submission([broken], tmp_path)
    task = Task("单位|2024", "单位", 2024, ("报告.docx",), str(tmp_path), str(tmp_path / "cache"))
    worked = PipelineWork().process(task, lambda step: None)
    for result, unit, year in ((checked, "", None), (worked, "单位", 2024)):
        assert result == SubmissionResult.failed(("报告.docx",), result.issues, unit, year)
        assert [i.code for i in result.issues] == ["E104"]
        assert result.status is SubmissionStatus.FAILED and not result.checks


def test_the_report_writes_the_platform_score_it_is_given_and_recomputes_nothing() -> None:
    empty = Extraction(sources=("a.docx",), metadata={}, facts=())  # no 自评表: nothing to recompute from
    given = SubmissionResult("单位", 2024, ("a.docx",), empty, platform_score=Decimal("88.50"))
    assert summarize_submission(given).recomputed == "88.50"
    summary = summarize_submission(dataclasses.replace(given, platform_score=None))
    assert summary.recomputed == "" and "未重新计算" in summary.note


def test_one_year_parse() -> None:
    assert parse_year("2024") == 2024 and parse_year(2023) == 2023
    assert parse_year("") is parse_year(None) is parse_year("二〇二四") is None


def test_the_small_types_serialize_as_their_old_strings() -> None:
    assert [m.value for m in Measure] == ["", "budget", "final", "initial_budget", "adjusted_budget", "executed"]
    assert f"{Family.CROSS_YEAR}|{SubmissionStatus.PARTIAL}|{Measure.FINAL}" == "cross_year|partial|final"


def test_every_value_has_one_reviewer_word_and_each_word_one_meaning() -> None:
    for kind in (Severity, Level, Reach, Family, SubmissionStatus):
        assert set(REVIEWER_WORDS[kind]) == set(kind), kind
    words = [(word, kind) for kind, table in REVIEWER_WORDS.items() for word in table.values()]
    assert len({w for w, _ in words}) == len(words), "a word names two things"
    assert zh(Level.ADVISORY) == "提示" and zh(Severity.INFO) == "信息" and zh("sum", Family) == "合计与分项"


def families_in(data: object) -> set[str]:
    if isinstance(data, dict):
        own = {data["family"]} if isinstance(data.get("family"), str) else set()
        return own.union(*(families_in(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(families_in(v) for v in data))
    return set()


def test_every_family_a_rule_file_names_has_a_reviewer_word() -> None:
    data = tomllib.loads((ROOT / "patterns" / "checks.toml").read_text(encoding="utf-8"))
    families = families_in(data)
    assert len(families) >= 5 and families <= set(Family), families - set(Family)


def finding(severity: Severity, level: Level) -> Finding:
    return Finding("id", "单位", 2024, "r", Family.SUM, severity, Reach.WITHIN_TABLE, level, "m")


def test_terminal_summary_says_xinxi_for_info_and_tishi_only_for_advisory() -> None:
    result = SubmissionResult("单位", 2024, ("a.docx",), Extraction((), {}, ()),
                              findings=(finding(Severity.INFO, Level.ADVISORY),))
    text = summary_text([result], [], 1.0, [])
    assert "错误 0，警告 0，信息 1" in text and "按级别：强制 0，提示 1" in text


def imports_of(path: Path) -> set[str]:
    """The extractor modules a file imports, as dotted names relative to the package."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            found.add(".".join([*base, *(node.module.split(".") if node.module else [])]))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("extractor"):
            found.add(node.module)
    return found


def room_imports(room: str) -> set[str]:
    return {name for path in (PACKAGE / room).rglob("*.py") for name in imports_of(path)}


def test_checks_never_import_the_batch_report_or_pipeline() -> None:
    above = ("extractor.batch", "extractor.report", "extractor.pipeline", "extractor.cli")
    assert not {m for m in room_imports("checks") if m.startswith(above)}


def test_the_batch_reaches_readers_extraction_and_checks_only_through_the_pipeline() -> None:
    inner = ("extractor.readers", "extractor.narrative", "extractor.annex", "extractor.checks", "extractor.extract")
    assert not {m for m in room_imports("batch") if m.startswith(inner)}
    report = {m for m in room_imports("batch") if m.startswith("extractor.report")}
    assert report <= {"extractor.report"}, "the batch uses the report's public API only"


def test_the_vocabulary_and_model_import_nothing_above_them() -> None:
    assert imports_of(PACKAGE / "model.py") == set()
    assert imports_of(PACKAGE / "vocabulary.py") == {"extractor.model"}
    assert issubclass(Family, Enum)

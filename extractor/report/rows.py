"""What every output shows, in one place: finding rows and the per-unit triage summary.

Column heads and values are Chinese (what a reviewer reads); keys stay English in JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..checks import summarize
from ..model import (
    CheckResult,
    Extraction,
    Fact,
    Family,
    Finding,
    Level,
    Reach,
    Severity,
    Status,
    SubmissionResult,
    SubmissionStatus,
    SubmissionSummary,
)
from ..numbers import format_quantity
from ..vocabulary import REVIEWER_WORDS, zh
from .findings import describe_locator, largest_difference, sort_findings

# the reviewer's words (vocabulary.REVIEWER_WORDS), by model type, in display order
REACH_ZH = REVIEWER_WORDS[Reach]
LEVEL_ZH = REVIEWER_WORDS[Level]
SEVERITY_ZH = REVIEWER_WORDS[Severity]
NOT_RECOMPUTED = "未重新计算：自评表中缺少执行率或指标得分"

FINDING_COLUMNS = [
    "编号",
    "单位",
    "年度",
    "检查项",
    "类别",
    "级别",
    "严重程度",
    "说明",
    "报告值",
    "应为/附表值",
    "差额",
    "位置",
    "原文摘录",
    "处理意见",
    "备注",
]
FINDING_WIDTHS = [18, 24, 7, 22, 7, 7, 9, 48, 14, 14, 12, 30, 48, 10, 20]
SUMMARY_COLUMNS = [
    "排名",
    "单位",
    "年度",
    "文件",
    "状态",
    *LEVEL_ZH.values(),  # 强制, 提示
    *SEVERITY_ZH.values(),  # 错误, 警告, 信息
    "最大差额",
    "自评得分",
    "重新计算得分",
    "说明",
    "识别数字",
    "已核查数字",
    "检查通过",
    "检查未通过",
    "跳过检查",
]
SUMMARY_WIDTHS = [6, 24, 7, 40, 12, 7, 7, 7, 7, 7, 12, 10, 12, 30, 10, 11, 10, 11, 10]


def check_name(finding: Finding) -> str:
    return f"{zh(finding.family, Family)}（{finding.rule_id}）"


def places(finding: Finding) -> str:
    return "；".join(dict.fromkeys(describe_locator(loc) for loc in finding.locations))


def finding_row(finding: Finding) -> list[str]:
    return [
        finding.id,
        finding.unit,
        str(finding.year or ""),
        check_name(finding),
        zh(finding.reach),
        zh(finding.level),
        zh(finding.severity),
        finding.message,
        finding.reported,
        finding.expected,
        finding.difference,
        places(finding),
        "\n".join(finding.excerpts),
        finding.decision,
        finding.remark,
    ]


def all_findings(summaries: Sequence[SubmissionSummary]) -> list[Finding]:
    return sort_findings([f for s in summaries for f in s.findings])


def largest_shown(summary: SubmissionSummary) -> str:
    """最大差额 as the 汇总 shows it: in 元 to two places, blank when there is none."""
    return format_quantity(summary.largest, "元", -2) if summary.largest else ""


def summary_row(summary: SubmissionSummary, rank: int) -> list[object]:
    """One row of the 汇总 sheet (SUMMARY_COLUMNS)."""
    by_severity = summary.by_severity
    return [
        rank,
        summary.unit,
        summary.year or "",
        "\n".join(summary.files),
        status_name(summary.status),
        summary.mandatory,
        summary.advisory,
        *(by_severity[severity.value] for severity in SEVERITY_ZH),
        largest_shown(summary),
        summary.self_score,
        summary.recomputed,
        summary.note,
        summary.figures,
        summary.checked,
        summary.counts["passed"],
        summary.counts["failed"],
        summary.counts["skipped"],
    ]


def status_name(status: SubmissionStatus | str) -> str:
    return zh(status, SubmissionStatus)


def unit_summaries(summaries: Sequence[SubmissionSummary]) -> list[SubmissionSummary]:
    """Ranked: most 强制, then most 提示, then largest difference."""
    return sorted(summaries, key=lambda s: (-s.mandatory, -s.advisory, -s.largest, s.unit, s.year or 0))


def _own_ids(extraction: Extraction) -> set[str]:
    return {f.id for f in extraction.facts if f.value is not None}


def _skipped(checks: Sequence[CheckResult]) -> set[tuple[str, str]]:
    return {(c.rule_id, "、".join(c.missing)) for c in checks if c.status is Status.SKIPPED}


def _checked(checks: Sequence[CheckResult], own: set[str]) -> set[str]:
    return {i for c in checks if c.status is not Status.SKIPPED for i in c.fact_ids} & own


def summarize_submission(result: SubmissionResult) -> SubmissionSummary:
    recomputed = format(result.platform_score, "f") if result.platform_score is not None else ""
    note = "" if recomputed else NOT_RECOMPUTED
    own = _own_ids(result.extraction)
    checked = _checked(result.checks, own)
    return SubmissionSummary(
        unit=result.unit,
        year=result.year,
        files=result.files,
        status=result.status,
        issues=result.issues,
        largest=largest_difference(result.checks, result.extraction),
        self_score=self_score(result.extraction.facts),
        recomputed=recomputed,
        note="；".join([*(i.message for i in result.issues[:3]), *([note] if note else [])]),
        figures=len(own),
        checked=len(checked),
        counts=summarize(result.checks),
        skipped=tuple(sorted(_skipped(result.checks))),
        fact_count=len(result.extraction.facts),
        checked_ids=tuple(sorted(checked)),
        findings=result.findings,
    )


def with_more_checks(
    summary: SubmissionSummary, checks: Sequence[CheckResult], findings: Sequence[Finding], extraction: Extraction
) -> SubmissionSummary:
    """The summary with checks run later (across the batch) added; `extraction` holds at least the
    facts those checks cite from this submission."""
    counts = summarize([*checks])
    largest = max(summary.largest, largest_difference(list(checks), extraction))
    checked = {*summary.checked_ids, *_checked(checks, _own_ids(extraction))}
    return replace(
        summary,
        largest=largest,
        checked=len(checked),
        checked_ids=tuple(sorted(checked)),
        counts={k: summary.counts[k] + counts[k] for k in summary.counts},
        skipped=tuple(sorted({*summary.skipped, *_skipped(checks)})),
        findings=(*summary.findings, *findings),
    )


def self_score(facts: Sequence[Fact]) -> str:
    scores = [f for f in facts if f.label == "evaluation.total_score" and f.value is not None]
    scores.sort(key=lambda f: f.locator.table is None)  # the table's figure first
    return format(scores[0].value, "f") if scores else ""

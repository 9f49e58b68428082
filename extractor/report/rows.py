"""What every output shows, in one place: finding rows and the per-unit triage summary.

Column heads and values are Chinese (what a reviewer reads); keys stay English in JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ..checks import summarize
from ..model import (
    CheckResult,
    Extraction,
    Fact,
    Finding,
    Issue,
    Level,
    Reach,
    Severity,
    Status,
    SubmissionResult,
)
from ..numbers import format_quantity
from .findings import describe_locator, largest_difference, sort_findings

REACH_ZH = {
    Reach.WITHIN_TABLE: "表内",
    Reach.BETWEEN_TABLES: "表间",
    Reach.TEXT_TABLE: "文表",
    Reach.CROSS_YEAR: "跨年",
}
LEVEL_ZH = {Level.MANDATORY: "强制", Level.ADVISORY: "提示"}
SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "信息"}
FAMILY_ZH = {
    "sum": "合计与分项",
    "share": "占比与比率",
    "change": "增减变动",
    "text_vs_annex": "文表一致",
    "annex_internal": "附表内部",
    "count": "数量",
    "completeness": "完整性",
    "score": "评分规则",
    "cross_year": "跨年一致",
    "form": "表式规范",
}
STATUS_ZH = {
    "ok": "正常",
    "partial": "部分文件未能读取",
    "failed": "读取失败",
    "unassigned": "未归属，未核查",  # the pseudo-row of files that belong to no submission
}

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
    "强制",
    "提示",
    "错误",
    "警告",
    "信息",
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
    return f"{FAMILY_ZH.get(finding.family, finding.family)}（{finding.rule_id}）"


def places(finding: Finding) -> str:
    return "；".join(dict.fromkeys(describe_locator(loc) for loc in finding.locations))


def finding_row(finding: Finding) -> list[str]:
    return [
        finding.id,
        finding.unit,
        str(finding.year or ""),
        check_name(finding),
        REACH_ZH[finding.reach],
        LEVEL_ZH[finding.level],
        SEVERITY_ZH[finding.severity],
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


@dataclass(frozen=True)
class SubmissionSummary:
    """What the reports show of one submission, without its facts: computed where the result is
    (a batch worker) and stored, so the whole-batch reports never hold every extraction."""

    unit: str
    year: int | None
    files: tuple[str, ...]
    status: str
    issues: tuple[Issue, ...]
    largest: Decimal
    self_score: str
    recomputed: str
    note: str
    figures: int
    checked: int  # own figures cited by a check that ran
    counts: dict[str, int]
    skipped: tuple[tuple[str, str], ...]  # (rule, missing) of the skipped checks, sorted
    fact_count: int = 0
    checked_ids: tuple[str, ...] = ()  # the `checked` figures' ids (sorted), while checks may be added
    findings: tuple[Finding, ...] = ()

    @property
    def mandatory(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.MANDATORY)

    @property
    def advisory(self) -> int:
        return sum(1 for f in self.findings if f.level is Level.ADVISORY)

    @property
    def by_severity(self) -> dict[str, int]:
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}

    @property
    def largest_shown(self) -> str:
        """最大差额 as the 汇总 shows it: in 元 to two places, blank when there is none."""
        return format_quantity(self.largest, "元", -2) if self.largest else ""

    def row(self, rank: int) -> list[object]:
        by_severity = self.by_severity
        return [
            rank,
            self.unit,
            self.year or "",
            "\n".join(self.files),
            status_name(self.status),
            self.mandatory,
            self.advisory,
            by_severity["error"],
            by_severity["warning"],
            by_severity["info"],
            self.largest_shown,
            self.self_score,
            self.recomputed,
            self.note,
            self.figures,
            self.checked,
            self.counts["passed"],
            self.counts["failed"],
            self.counts["skipped"],
        ]


def status_name(status: str) -> str:
    return STATUS_ZH.get(status, status)


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
    recomputed, note = recomputed_score(result)
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


def recomputed_score(result: SubmissionResult) -> tuple[str, str]:
    """The platform's score (指标偏离 deductions, 执行率 × 分值, the 执行率 cap), or blank with the reason."""
    from ..checks.scoring import recomputed_score as platform_recomputed

    score = platform_recomputed(result.extraction)
    if score is None:
        return "", "未重新计算：自评表中缺少执行率或指标得分"
    return format(score, "f"), ""

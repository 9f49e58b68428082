"""What every output shows, in one place: finding rows and the per-unit triage summary.

Column heads and values are Chinese (what a reviewer reads); keys stay English in JSON.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ..checks import summarize
from ..model import (
    CheckResult,
    Extraction,
    Fact,
    Family,
    Finding,
    Level,
    Locator,
    Reach,
    Severity,
    Status,
    SubmissionResult,
    SubmissionStatus,
    SubmissionSummary,
)
from ..numbers import format_quantity
from ..vocabulary import REVIEWER_WORDS, zh
from .findings import largest_difference, sort_findings

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
# widths in characters: a finding of the samples wraps to at most four lines at A3 landscape
FINDING_WIDTHS = [17, 14, 5, 27, 5, 5, 5, 64, 13, 13, 11, 40, 56, 9, 12]
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
SUMMARY_WIDTHS = [5, 22, 6, 80, 10, 6, 6, 6, 6, 6, 12, 8, 8, 30, 8, 8, 8, 8, 8]


def check_name(finding: Finding) -> str:
    return f"{zh(finding.family, Family)}（{finding.rule_id}）"


RGX_SEPARATORS = re.compile(r"[-_－—\s]{2,}")


def short_file(source: str, unit: str) -> str:
    """The file's name without its folder, and without the unit's name the row already shows:
    "清溪县林业局/清溪县林业局附件一：基础数据表.docx" -> "附件一：基础数据表.docx"."""
    name = source.rsplit("/", 1)[-1]
    if not unit or unit not in name:
        return name
    rest = RGX_SEPARATORS.sub("-", name.replace(unit, "", 1)).strip("-_ ：:")
    return rest if rest.rsplit(".", 1)[0].strip("-_ ") else name


def folder_of(files: Sequence[str]) -> str:
    """The unit's folder (the part of the paths all its files share), "" when they share none."""
    folders = {f.rsplit("/", 1)[0] if "/" in f else "" for f in files}
    return folders.pop() if len(folders) == 1 else ""


def place_groups(finding: Finding) -> list[tuple[str, list[str]]]:
    """The finding's places by file, in the order cited, cells of one table said together:
    (source, ["工作表“自评表” 第6、11–18行第7列", "第7段", ...])."""
    by_file: dict[str, dict[str, list[Locator]]] = {}
    for loc in finding.locations:
        by_file.setdefault(loc.source, {}).setdefault(_container(loc), []).append(loc)
    return [
        (source, [" ".join(x for x in (head, _cells(locs)) if x) for head, locs in containers.items()])
        for source, containers in by_file.items()
    ]


def _container(loc: Locator) -> str:
    """The page and table a place is in ("第3页 表2"), "" for a paragraph of an unpaged file."""
    parts = [f"第{loc.page}页"] if loc.page is not None else []
    if loc.table is not None:
        parts.append(f"工作表“{loc.sheet}”" if loc.sheet else f"表{loc.table + 1}")
    return " ".join(parts)


def _cells(locs: Sequence[Locator]) -> str:
    """Rows and columns (or paragraphs) of places in one container, one number said once:
    "第6、11–18行第7列", "第4行第2、5列", "第4行第5列、第3行第4列", "第7–9段"."""
    if locs[0].table is None:
        blocks = [loc.block for loc in locs if loc.block is not None]
        return f"第{_ranges(blocks)}段" if blocks else ""
    cells = list(dict.fromkeys((loc.row, loc.col) for loc in locs))
    by_col: dict[int | None, list[int]] = {}
    by_row: dict[int | None, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).extend([r] if r is not None else [])
        by_row.setdefault(r, []).extend([c] if c is not None else [])
    if len(by_row) < len(by_col):
        return "、".join(_cell_text([r] if r is not None else [], cs) for r, cs in by_row.items())
    return "、".join(_cell_text(rs, [c] if c is not None else []) for c, rs in by_col.items())


def _cell_text(rows: Sequence[int], cols: Sequence[int]) -> str:
    return (f"第{_ranges(rows)}行" if rows else "") + (f"第{_ranges(cols)}列" if cols else "")


def _ranges(indexes: Sequence[int]) -> str:
    """0-based indexes as the reviewer counts them: [5, 10, 11, 12] -> "6、11–13"."""
    numbers = sorted({i + 1 for i in indexes})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else "、".join(map(str, run)) for run in runs)


def places(finding: Finding) -> str:
    """位置 as the reviewer reads it: "附件二.docx 表1 第4行第5列、第3行第4列；报告.docx 第7段"."""
    return "；".join(
        f"{short_file(source, finding.unit)} {'、'.join(where)}".strip() for source, where in place_groups(finding)
    )


EXCERPT_LIMIT = 22  # characters of an excerpt shown around its figure: one printed line
REPORTED_LIMIT = 16  # a reported text value (not a figure) cut to fit its column
EXCERPTS_SHOWN = 2  # excerpts in a printed row, then how many more (all are in the page, CSV and JSON)


def cut_excerpt(text: str, marks: Sequence[str] = (), limit: int = EXCERPT_LIMIT) -> str:
    """The excerpt cut to `limit` characters around the first figure it marks (a table cell's
    excerpt ends with its figure, so the end is kept), with … where text was cut."""
    if len(text) <= limit:
        return text
    found = [text.find(m) for m in marks if m and m in text]
    at = min(found) if found else (len(text) - 1 if "：" in text else 0)
    start = max(0, min(at - limit // 3, len(text) - limit))
    piece = text[start : start + limit]
    return ("…" if start else "") + piece + ("…" if start + limit < len(text) else "")


def excerpts_shown(finding: Finding, marks: Sequence[str] = (), most: int = EXCERPTS_SHOWN) -> list[str]:
    """The first `most` excerpts cut around their figures, and how many more there are."""
    shown = [cut_excerpt(e, marks) for e in finding.excerpts[:most]]
    more = len(finding.excerpts) - most
    if more > 0:
        shown[-1] += f"（另 {more} 处）"
    return shown


def finding_row(finding: Finding, marks: Sequence[str] | None = None) -> list[str]:
    """One row of 问题清单 (FINDING_COLUMNS). With `marks` (the figures as written at its places)
    the excerpts are cut to fit the printed list; without, they are whole (CSV)."""
    excerpts = finding.excerpts if marks is None else excerpts_shown(finding, marks)
    reported = finding.reported if marks is None else cut_excerpt(finding.reported, (), REPORTED_LIMIT)
    return [
        finding.id,
        finding.unit,
        str(finding.year or ""),
        check_name(finding),
        zh(finding.reach),
        zh(finding.level),
        zh(finding.severity),
        finding.message,
        reported,
        finding.expected,
        finding.difference,
        places(finding),
        "\n".join(excerpts),
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
        files_shown(summary),
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


def files_shown(summary: SubmissionSummary) -> str:
    """The unit's folder once, then its files by (short) name."""
    folder = folder_of(summary.files)
    if not folder or summary.status is SubmissionStatus.UNASSIGNED:  # no unit: the paths say where
        return "\n".join(summary.files)
    return f"{folder}/ " + "、".join(short_file(f, summary.unit) for f in summary.files)


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
    own_score = self_score(result.extraction.facts)
    note = score_note(own_score, result.platform_score, result.findings) if recomputed else NOT_RECOMPUTED
    own = _own_ids(result.extraction)
    checked = _checked(result.checks, own)
    return SubmissionSummary(
        unit=result.unit,
        year=result.year,
        files=result.files,
        status=result.status,
        issues=result.issues,
        largest=largest_difference(result.checks, result.extraction),
        self_score=own_score,
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


def score_note(own: str, recomputed: Decimal | None, findings: Sequence[Finding]) -> str:
    """Why 自评得分 and 重新计算得分 differ, when they do ("" when they agree or one is missing)."""
    if not own or recomputed is None or Decimal(own) == recomputed:
        return ""
    gap = Decimal(own) - recomputed
    scoring = sum(1 for f in findings if f.family in (Family.SCORE, Family.SCORE.value))
    why = f"见问题清单中评分规则问题 {scoring} 条" if scoring else "检查未指出原因，请核对自评表各项得分"
    return (
        f"自评得分比重新计算得分{'高' if gap > 0 else '低'} {format(abs(gap), 'f')} 分：重新计算按平台规则，"
        f"各指标得分不超过其分值，预算执行得分为执行率×分值，总分不超过总分值；{why}"
    )


def with_more_checks(
    summary: SubmissionSummary, checks: Sequence[CheckResult], findings: Sequence[Finding], extraction: Extraction
) -> SubmissionSummary:
    """The summary with checks run later (across the batch) added; `extraction` holds at least the
    facts those checks cite from this submission."""
    return with_added(summary, checks_added(checks, extraction), findings)


@dataclass(frozen=True)
class Added:
    """What checks run later add to a summary's counts, without the checks themselves."""

    counts: dict[str, int]
    largest: Decimal
    checked_ids: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def checks_added(checks: Sequence[CheckResult], extraction: Extraction) -> Added:
    return Added(summarize([*checks]), largest_difference(list(checks), extraction),
                 tuple(sorted(_checked(checks, _own_ids(extraction)))), tuple(sorted(_skipped(checks))))


def with_added(summary: SubmissionSummary, added: Added, findings: Sequence[Finding]) -> SubmissionSummary:
    checked = {*summary.checked_ids, *added.checked_ids}
    return replace(
        summary,
        largest=max(summary.largest, added.largest),
        checked=len(checked),
        checked_ids=tuple(sorted(checked)),
        counts={k: summary.counts[k] + added.counts[k] for k in summary.counts},
        skipped=tuple(sorted({*summary.skipped, *added.skipped})),
        findings=(*summary.findings, *findings),
    )


def self_score(facts: Sequence[Fact]) -> str:
    scores = [f for f in facts if f.label == "evaluation.total_score" and f.value is not None]
    scores.sort(key=lambda f: f.locator.table is None)  # the table's figure first
    return format(scores[0].value, "f") if scores else ""

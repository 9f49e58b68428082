"""Progress on the terminal and the end-of-batch summary (Chinese, for the reviewer)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..model import Issue, Level, Severity, SubmissionResult, SubmissionSummary
from ..report import SummaryIndex, finding_tally
from ..vocabulary import REVIEWER_WORDS

Checked = SubmissionResult | SubmissionSummary  # a checked submission, whole or as the reports keep it (not grouping.Submission)

OUTPUT_NAMES = {
    "discrepancies.xlsx": "问题清单（Excel）", "report.html": "核查报告（网页）",
    "discrepancies.csv": "问题清单（CSV）", "discrepancies.json": "问题清单（JSON）", "batch.json": "批次概况（JSON）",
}


OPEN_FIRST = {  # the output a reviewer opens first, and why; the next when it is missing
    "report.html": "批次概览图、单位汇总和按单位的问题清单，可筛选、可打印",
    "discrepancies.xlsx": "问题清单和汇总，可筛选、可打印，处理意见填在这里",
}


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass
class Progress:
    """Units and files done / total, rate, failed, findings so far and ETA: redrawn in place on a
    TTY (`tty`), else one plain line per unit (a log, a pipe); nothing when not `enabled`."""

    total_files: int
    stream: TextIO
    enabled: bool
    total_units: int = 0
    tty: bool = True
    done_files: int = 0
    done_units: int = 0
    failed_files: int = 0
    findings: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, files: int, failed: int, findings: int, unit: str = "", units: int = 1) -> None:
        """`units` submissions of `files` files done; `unit` names the one just checked."""
        self.done_files += files
        self.done_units += units
        self.failed_files += failed
        self.findings += findings
        if self.tty:
            self.draw()
        elif self.enabled and units:
            self.stream.write(self.unit_line(unit, files, failed, findings) + "\n")
            self.stream.flush()

    def rate(self) -> str:
        elapsed = time.monotonic() - self.started
        return f"{self.done_files / elapsed:.1f} 个文件/秒" if elapsed > 0 and self.done_files else "-- 个文件/秒"

    def eta(self) -> str:
        elapsed = time.monotonic() - self.started
        remaining = self.total_files - self.done_files
        if not remaining:
            return "00:00"
        return format_seconds(elapsed / self.done_files * remaining) if self.done_files else "--:--"

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        units = f"单位 {self.done_units}/{self.total_units}，" if self.total_units else ""
        return (
            f"{units}已处理 {self.done_files}/{self.total_files} 个文件，{self.rate()}，失败 {self.failed_files}，"
            f"问题 {self.findings}，已用 {format_seconds(elapsed)}，预计剩余 {self.eta()}"
        )

    def unit_line(self, unit: str, files: int, failed: int, findings: int) -> str:
        """One unit done, for a log: "[3/20] 清溪县林业局：文件 3 个，问题 2 条，读取失败 0 个（…）"."""
        name = unit or "已复用上次结果"
        return (
            f"[{self.done_units}/{self.total_units or '?'}] {name}：文件 {files} 个，问题 {findings} 条，"
            f"读取失败 {failed} 个（{self.rate()}，预计剩余 {self.eta()}）"
        )

    def draw(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\x1b[2K" + self.line())
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def file_errors(result: Checked) -> dict[str, Issue]:
    """Each of the submission's files that could not be read -> its first coded error (E…)."""
    errors: dict[str, Issue] = {}
    for issue in result.issues:
        if issue.code.startswith("E") and issue.source in result.files:
            errors.setdefault(issue.source, issue)
    return errors


def count_failed_files(result: Checked) -> int:
    return len(file_errors(result))


def summary_text(
    results: Iterable[Checked],
    unassigned: Sequence[str],
    elapsed: float,
    reports: Sequence[Path],
    stopped: bool = False,
) -> str:
    """The end-of-batch summary: units, files, failed, unassigned, findings by severity and level;
    `results` walked once (of a batch's spool only the heads are read, the findings counted)."""
    units: set[str] = set()
    submissions = files = failed = 0
    severities: Counter[Any] = Counter()
    levels: Counter[Any] = Counter()
    errors = _Failures()
    for r in heads_of(results):
        submissions += 1
        units.update([r.unit] if r.unit else [])
        files += len(r.files)
        failed += count_failed_files(r)
        for severity, level, n in finding_tally(r):
            severities[severity] += n
            levels[level] += n
        errors.add(r)
    lines = [
        "批量核查" + ("已中止（--fail-fast：遇到出错文件）" if stopped else "完成"),
        f"  单位 {len(units)} 个，报送 {submissions} 份，文件 {files} 个，读取失败 {failed} 个，未归属文件 {len(unassigned)} 个",
        f"  问题 {sum(severities.values())} 条：{_counts(REVIEWER_WORDS[Severity], severities)}",
        "  按级别：" + _counts(REVIEWER_WORDS[Level], levels),
        f"  用时 {format_seconds(elapsed)}",
    ]
    lines += [f"  未归属：{path}" for path in unassigned]
    lines += errors.lines()
    lines += [f"  {OUTPUT_NAMES.get(path.name, '输出')}：{path}" for path in reports]
    lines += [f"请先打开：{path}（{OPEN_FIRST[path.name]}）" for path in _open_first(reports)]
    return "\n".join(lines) + "\n"


def heads_of(results: Iterable[Checked]) -> Iterable[Checked]:
    """An index's heads (all but the findings, which are counted), or the results as they are."""
    return results.heads() if isinstance(results, SummaryIndex) else results


def _open_first(reports: Sequence[Path]) -> list[Path]:
    for name in OPEN_FIRST:
        found = [p for p in reports if p.name == name]
        if found:
            return found[:1]
    return []


def _counts(words: dict[Any, str], counts: Counter[Any]) -> str:
    """错误 2，警告 0，信息 1: every value of the table in its order, with its count."""
    return "，".join(f"{word} {counts.get(value, 0)}" for value, word in words.items())


class _Failures:
    """The coded errors, at most `limit` of them kept (all are in batch.json and the database)."""

    def __init__(self, limit: int = 20) -> None:
        self.limit, self.more = limit, 0
        self.shown: list[str] = []

    def add(self, result: Checked) -> None:
        for issue in result.issues:
            if not issue.code.startswith("E"):
                continue
            if len(self.shown) < self.limit:
                self.shown.append(f"  出错：{issue.message}")
            else:
                self.more += 1

    def lines(self) -> list[str]:
        return self.shown + ([f"  ……另有 {self.more} 个出错文件，见 batch.json"] if self.more else [])

"""The reviewer's words: the one table of Chinese names for the model's severities, levels,
reaches, check families and submission statuses. Every writer (XLSX, CSV, HTML, JSON notes)
and the batch's terminal summary take their words from here, so a word means one thing.

    zh(Severity.INFO) -> "信息"; zh(finding.family, Family) -> "合计与分项"
    REVIEWER_WORDS[Level] -> {Level.MANDATORY: "强制", Level.ADVISORY: "提示"} (in display order)
"""

from __future__ import annotations

from enum import Enum

from .model import Family, Level, Reach, Severity, SubmissionStatus

REVIEWER_WORDS: dict[type[Enum], dict[Enum, str]] = {
    Severity: {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "信息"},
    Level: {Level.MANDATORY: "强制", Level.ADVISORY: "提示"},
    Reach: {
        Reach.WITHIN_TABLE: "表内",
        Reach.BETWEEN_TABLES: "表间",
        Reach.TEXT_TABLE: "文表",
        Reach.CROSS_YEAR: "跨年",
    },
    Family: {
        Family.SUM: "合计与分项",
        Family.SHARE: "占比与比率",
        Family.CHANGE: "增减变动",
        Family.TEXT_VS_ANNEX: "文表一致",
        Family.ANNEX_INTERNAL: "附表内部",
        Family.COUNT: "数量",
        Family.COMPLETENESS: "完整性",
        Family.SCORE: "评分规则",
        Family.CROSS_YEAR: "跨年一致",
        Family.FORM: "表式规范",
    },
    SubmissionStatus: {
        SubmissionStatus.OK: "正常",
        SubmissionStatus.PARTIAL: "部分文件未能读取",
        SubmissionStatus.FAILED: "读取失败",
        SubmissionStatus.UNASSIGNED: "未归属，未核查",
    },
}


def zh(member: Enum | str, kind: type[Enum] | None = None) -> str:
    """The reviewer's word for a model value; `kind` when the value may be its plain string
    (a family as a rule file gives it). A value the table does not name is shown as it is."""
    words = REVIEWER_WORDS[kind or type(member)]  # type: ignore[index]
    return words.get(member, str(getattr(member, "value", member)))  # type: ignore[call-overload]

# Message templates a rule kind falls back on when its rule gives none (checks.toml may
# override them per rule).
DEFAULT_MESSAGES = {
    # sum: a bare integer among two-decimal parts passes only at its written precision
    "precision_message": "{subject}{reported}：其中{assumed}按{exact}计，各项合计{expected}，"
    "与{reported}相差{gap}（按书写精度可相符，请核实该数是否为整数）",
}

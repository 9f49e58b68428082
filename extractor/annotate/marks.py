"""What is marked where: one Mark per (finding, cited place), and what became of it."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding, Locator
from ..vocabulary import zh

AUTHOR = "绩效自评报告核查"
INITIALS = "核查"
NOT_EXACT = "【未能精确定位到数字，批注在最近的段落】"
NO_PLACE = "【文件中无对应位置】"


@dataclass(frozen=True)
class Mark:
    finding: Finding
    locator: Locator | None  # None: the finding cites no place in this file
    figure: str  # the figure as written at the locator ("" when unknown)
    context: str = ""  # the finding's excerpt for this place (its sentence, or "行 / 列：数字"), "" when unknown

    @property
    def exact_locator(self) -> bool:
        """The reader located the figure to its characters (a block or a cell, with offsets)."""
        loc = self.locator
        located = loc is not None and (loc.block is not None or loc.table is not None)
        return located and bool(self.figure) and loc.char_end > loc.char_start  # type: ignore[union-attr]


@dataclass(frozen=True)
class Placed:
    mark: Mark
    exact: bool  # anchored on exactly the figure's characters
    written: bool = True  # False: the file could not be marked (copied as it was; the letter has it)


def note_for(mark: Mark, exact: bool) -> str:
    """The comment text for a mark: a mark without a place or not exact says so first."""
    text = comment_text(mark.finding)
    if exact:
        return text
    return (NOT_EXACT if mark.locator is not None else NO_PLACE) + text


def comment_text(finding: Finding) -> str:
    """The finding's message with its level and id (and the reviewer's 已更正 when set)."""
    parts = [f"【{zh(finding.level)}】{finding.message}"]
    if finding.reported and finding.expected:
        parts.append(f"报告值 {finding.reported}，应为 {finding.expected}")
    if finding.decision == "已更正":
        parts.append("（审核人已标注：已更正）")
    parts.append(f"编号 {finding.id}")
    return "；".join(parts)

"""Unit headers in running text: "单位：万元" or "（万元）" gives bare numbers after it a unit."""

from __future__ import annotations

import re

from ..model import Block, BlockKind
from ..patterns import Patterns

TRAILING = " \t\n。：:；;）)"
COLUMN_WORDS = re.compile(r"[^\d]*[^\W\d_]{2}[^\d]*", re.S)  # words and no digit: more column names
HINT = re.compile(r"元|值\s?得分")  # every header names a money unit or closes the indicator columns (分值 得分)


class UnitHeaders:
    """The unit stated for bare numbers, block by block. Inline, a header holds to the end of
    its block; one that ends its block (a caption line) also holds for the following
    paragraphs of the same section, until a heading or another header."""

    def __init__(self, patterns: Patterns) -> None:
        self.pattern = patterns.unit_header
        self.carried = ""
        self.rows_only = False  # carried from a header line followed by column words: table lines only
        self.section: tuple[str, ...] = ()

    def read(self, block: Block, norm: str) -> list[tuple[str, int]]:
        """[(unit, position from which bare numbers take it)] for this block, in text order; a
        later header replaces an earlier one, and one with an empty unit (the header of an
        indicator table: 年度指标值…分值…得分) ends it. [] for none."""
        if block.kind is BlockKind.HEADING or tuple(block.section) != self.section:
            self.carried = ""
            self.section = tuple(block.section)
        stated = [] if self.pattern is None or not HINT.search(norm) else list(self.pattern.finditer(norm))
        segments = [(m.group("unit") or "", m.end()) for m in stated]
        if not segments and self.carried and self.rows_only and "。" in norm:
            self.carried = ""  # prose: the table whose header line carried the unit is over
        if not segments and self.carried:
            segments = [(self.carried, 0)]
        if stated:
            rest = norm[stated[-1].end():]
            if not rest.strip(TRAILING):
                self.carried, self.rows_only = stated[-1].group("unit") or "", False
            elif COLUMN_WORDS.fullmatch(rest):  # "…分值 年度指标值 全年实际值 得分 未完成原因及改进措施": a header line
                self.carried, self.rows_only = stated[-1].group("unit") or "", True
        return segments

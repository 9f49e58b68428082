"""A 自评表 whose indicator columns put 分值 first (分值 年度指标值 全年实际值 得分, the Ningxia
form), flattened by an OCR that ran the cells together: "免费发放原原种8550万粒550万粒8" is
分值 8, 年度指标值 550万粒, 全年实际值 550万粒, 得分 8.

The 分值 is glued to the target only where the reading is certain: the figure's raw is one or
two digits followed by exactly the raw of the next figure (the target met, written twice), at
most one stray character (an OCR'd ≥) between them. Every figure of such a row, and the score
that closes it, is named by the row's own words (the indicator name before its figures).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import regex

from ..model import Fact, Kind, Role
from .subjects import before_subject
from .words import stable_id

HEADER = regex.compile(r"分值\s?(?:年度)?指标值\s?(?:全年)?(?:实际|完成)值?\s?得分")
PROSE_BLOCK = 80  # a longer block with a sentence end and no header closes the table
GAP = regex.compile(r"[^\d\p{Han}]?|\p{Han}(?<=[工了之])")  # at most one stray character between the two
ROW_GLUE = regex.compile(r"[^\p{Han}]*|[^\p{Han}]*[是否工][^\p{Han}]*")  # figures of one row
RULE = "glued.points_first"
ROW_SCORE = "glued.row_score"
MAX_POINTS = 30


class PointsFirstRows:
    """Remembers, block by block, whether a points-first indicator table is open."""

    def __init__(self) -> None:
        self.open = False

    def read(self, text: str, norm: str, facts: list[Fact]) -> list[Fact]:
        header = HEADER.search(norm)
        if header is None and len(norm) > PROSE_BLOCK and "。" in norm:
            self.open = False
        if header is not None:
            self.open = True
        if not self.open:
            return facts
        start = header.end() if header is not None else 0
        head = [f for f in facts if f.locator.char_start < start]
        rows = sorted((f for f in facts if f.locator.char_start >= start), key=lambda f: f.locator.char_start)
        return head + name_rows(text, norm, split_points(text, norm, rows), start)


def split_points(text: str, norm: str, facts: list[Fact]) -> list[Fact]:
    """Each "8550万粒" followed by "550万粒" as a 分值 8 and a target 550万粒."""
    out: list[Fact] = []
    for n, fact in enumerate(facts):
        following = facts[n + 1] if n + 1 < len(facts) else None
        points = glued_points(norm, fact, following)
        if points is None:
            out.append(fact)
            continue
        cut = fact.locator.char_start + len(points)
        score = replace(fact, id=stable_id(fact.id, RULE, "points"), kind=Kind.SCORE, value=Decimal(points),
                        unit="分", raw=text[fact.locator.char_start:cut], decimals=0, role=Role.VALUE,
                        locator=replace(fact.locator, char_end=cut), rule_id=RULE, label="", of=None, part_of=None)
        target = replace(fact, id=stable_id(fact.id, RULE, "target"), value=following.value, unit=following.unit,
                         kind=following.kind, raw=text[cut:fact.locator.char_end], decimals=following.decimals,
                         role=Role.VALUE, locator=replace(fact.locator, char_start=cut), rule_id=RULE,
                         label="", of=None, part_of=None)
        out += [score, target]
    return out


def glued_points(norm: str, fact: Fact, following: Fact | None) -> str | None:
    """The 分值 digits glued before a target that the next figure repeats, or None."""
    if following is None or fact.value is None or following.value is None:
        return None
    raw, again = norm[fact.locator.char_start:fact.locator.char_end], norm[following.locator.char_start:following.locator.char_end]
    points = raw[: len(raw) - len(again)]
    if not (1 <= len(points) <= 2 and points.isdigit() and raw.endswith(again) and again[:1].isdigit()):
        return None
    if int(points) == 0 or int(points) > MAX_POINTS:
        return None
    return points if GAP.fullmatch(norm, fact.locator.char_end, following.locator.char_start) else None


def name_rows(text: str, norm: str, facts: list[Fact], start: int) -> list[Fact]:
    """A row split by split_points, with the figures glued after it, named by the words before it."""
    out: list[Fact] = []
    name = ""
    since = start
    for n, fact in enumerate(facts):
        previous = out[-1] if out else None
        if fact.rule_id == RULE and fact.kind is Kind.SCORE:
            name = before_subject(text, since, fact.locator.char_start) or fact.subject
        elif previous is None or not ROW_GLUE.fullmatch(norm, previous.locator.char_end, fact.locator.char_start):
            name = ""
        elif not name and fact.rule_id == ROW_SCORE and previous.subject:
            name = previous.subject  # "工5%工5%8": the 得分 closing the row of the figures before it
        if name:
            fact = replace(fact, subject=name, subject_reason=None, label="" if fact.subject != name else fact.label)
        out.append(fact)
        since = fact.locator.char_end
    return out

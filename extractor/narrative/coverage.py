"""Coverage: every run of digits in a block is a fact, a classified non-quantity, or reported.

A digit run is one written number: maximal digits with inner separators ("2,348.75" is
one run, "2024年12月" is two). Runs are counted on digit-normalised text, so full-width
digits count the same as ASCII ones.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

import regex

from ..model import Block, Issue, Locator, NonQuantity

DIGIT_RUN = regex.compile(r"\d+(?:[.,]\d+)*")


def digit_runs(norm: str) -> list[tuple[int, int]]:
    """(start, end) of every digit run in digit-normalised text."""
    return [m.span() for m in DIGIT_RUN.finditer(norm)]


def unaccounted_runs(raw: str, runs: list[tuple[int, int]], covered: list[tuple[int, int]],
                     locate: Callable[[int, int], Locator]) -> list[NonQuantity]:
    """The digit runs (digit_runs of the block's normalised text) not inside any covered span,
    as NonQuantity(reason="unaccounted").

    `covered` holds the (start, end) of facts and classified non-quantities; `locate`
    turns (start, end) into a Locator for this block.
    """
    spans = sorted(covered)
    reach = list(accumulate((e for _, e in spans), max))  # furthest end so far, for bisecting
    out: list[NonQuantity] = []
    for start, end in runs:
        if not _inside(spans, bisect_right(reach, start), start, end):
            out.append(NonQuantity(raw=raw[start:end], reason="unaccounted", locator=locate(start, end)))
    return out


def _inside(spans: list[tuple[int, int]], first: int, start: int, end: int) -> bool:
    """True when every digit of the run lies in some covered span (runs may straddle two);
    spans before `first` all end at or before `start`."""
    position = start
    for k in range(first, len(spans)):
        span_start, span_end = spans[k]
        if span_end <= position:
            continue
        if span_start > position:
            return False
        position = span_end
        if position >= end:
            return True
    return position >= end


def coverage_ratio(runs: int, unaccounted: int) -> float:
    """Share of digit runs accounted for (1.0 when there are none)."""
    return 1.0 if runs == 0 else (runs - unaccounted) / runs


def block_locator(source: str, block: Block, start: int, end: int) -> Locator:
    return Locator(source=source, block=block.index, char_start=start, char_end=end,
                   page=block.page, section=tuple(block.section))


UNACCOUNTED = "W320"
SHOWN_PLACES = 5


def unaccounted_issue(source: str, items: list[NonQuantity]) -> Issue | None:
    """One line for the reviewer: how many digit runs of a file were neither read nor classified, and where."""
    if not items:
        return None
    places = "；".join(f"{place_of(n.locator)}“{n.raw}”" for n in items[:SHOWN_PLACES])
    more = f"等{len(items)}处" if len(items) > SHOWN_PLACES else f"共{len(items)}处"
    message = f"{source}：{places}{more}数字未能读作数字事实，也不是年份、编号等非数量，未参与核查，请人工核对"
    return Issue(UNACCOUNTED, message, source, items[0].locator)


def place_of(loc: Locator) -> str:
    if loc.table is not None:
        where = f"工作表“{loc.sheet}”" if loc.sheet else f"表{loc.table + 1}"
        return f"{where}第{(loc.row or 0) + 1}行第{(loc.col or 0) + 1}列"
    return f"第{(loc.block or 0) + 1}段"

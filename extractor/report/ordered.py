"""The summaries and findings in the reports' orders, read a few at a time.

A batch's summaries wait on disk (batch/spool.py): a sized, indexable collection read afresh
each time. The writers walk it in the 汇总 ranking and the findings in the 问题清单 order from
small keys kept per submission, fetching one submission (or one unit and year) when its turn
comes, so no writer holds every finding. A list works the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal

from ..model import Finding, Locator, SubmissionSummary
from .findings import sort_findings

Raws = Mapping[Locator, AbstractSet[str]]  # the figures (as written) at each place a finding cites
RawsAt = Callable[[Iterable[Locator]], Raws]  # the figures at these places, looked up when needed
Summaries = Sequence[SubmissionSummary]  # sized, indexable, re-iterable: a list or a spool


def rank_key(s: SubmissionSummary) -> tuple[int, int, Decimal, str, int]:
    """汇总's ranking: most 强制, then most 提示, then largest difference."""
    return (-s.mandatory, -s.advisory, -s.largest, s.unit, s.year or 0)


def ranked_indexes(summaries: Summaries) -> list[int]:
    """The summaries' indexes in 汇总's order (rows.unit_summaries), from one pass of small keys."""
    keys = [(rank_key(s), index) for index, s in enumerate(summaries)]
    keys.sort()
    return [index for _, index in keys]


def ranked(summaries: Summaries) -> Iterator[SubmissionSummary]:
    """rows.unit_summaries(summaries), one summary read at a time."""
    for index in ranked_indexes(summaries):
        yield summaries[index]


def finding_groups(summaries: Summaries) -> Iterator[list[Finding]]:
    """rows.all_findings(summaries) one unit and year at a time: the findings sort by unit and
    year first, so each (unit, year) is sorted apart from the rest, in the order of those keys."""
    where: dict[tuple[str, int], list[int]] = {}
    for index, s in enumerate(summaries):
        for key in dict.fromkeys((f.unit, f.year or 0) for f in s.findings):
            where.setdefault(key, []).append(index)
    for key in sorted(where):
        found = [f for index in where[key] for f in summaries[index].findings if (f.unit, f.year or 0) == key]
        yield sort_findings(found)


def ordered_findings(summaries: Summaries) -> Iterator[Finding]:
    for group in finding_groups(summaries):
        yield from group


def raws_at(raws: Raws | RawsAt | None) -> RawsAt:
    """A lookup of the figures at some places, from a mapping or a lookup (a batch's database)."""
    if callable(raws):
        return raws
    found: Raws = raws or {}
    return lambda places: found


def places_of(findings: Iterable[Finding]) -> list[Locator]:
    return list(dict.fromkeys(loc for f in findings for loc in f.locations))


def as_summaries(summaries: Iterable[SubmissionSummary]) -> Summaries:
    """A list unless it can be indexed and walked again already (a spool is kept as it is)."""
    if hasattr(summaries, "__getitem__") and hasattr(summaries, "__len__"):
        return summaries  # type: ignore[return-value]
    return list(summaries)

"""The summaries and findings in the reports' orders, from the index's small keys.

The writers walk the summaries in the 汇总 ranking and the findings in the 问题清单 order
from the keys the index keeps per submission (report/index.py), fetching one submission's
head or findings when its turn comes, so no writer holds every finding. A list works the
same way (indexed in memory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal

from ..model import Finding, Locator, SubmissionSummary
from .findings import sort_findings
from .index import Head, Keys, SummaryIndex, as_index

Raws = Mapping[Locator, AbstractSet[str]]  # the figures (as written) at each place a finding cites
RawsAt = Callable[[Iterable[Locator]], Raws]  # the figures at these places, looked up when needed
Summaries = Iterable[SubmissionSummary]  # a list, or an index (a batch's spool)


def rank_key(s: SubmissionSummary | Keys) -> tuple[int, int, Decimal, str, int]:
    """汇总's ranking: most 强制, then most 提示, then largest difference."""
    return (-s.mandatory, -s.advisory, -s.largest, s.unit, s.year or 0)


def ranked_indexes(index: SummaryIndex) -> list[int]:
    """The summaries' indexes in 汇总's order (rows.unit_summaries), from the keys."""
    return sorted(range(len(index)), key=lambda i: (rank_key(index.keys[i]), i))


def ranked_heads(index: SummaryIndex) -> Iterator[Head]:
    """The summaries' heads (all but their findings) in 汇总's order, one read at a time."""
    return (index.head(i) for i in ranked_indexes(index))


def ranked_keys(index: SummaryIndex) -> list[Keys]:
    return [index.keys[i] for i in ranked_indexes(index)]


def ranked(summaries: Summaries) -> Iterator[SubmissionSummary]:
    """rows.unit_summaries(summaries), one whole summary read at a time."""
    index = as_index(summaries)
    return (index[i] for i in ranked_indexes(index))


def finding_groups(summaries: Summaries) -> Iterator[list[Finding]]:
    """rows.all_findings(summaries) one unit and year at a time: the findings sort by unit and
    year first, so each (unit, year) is sorted apart from the rest, in the order of those keys.
    A submission's findings are decoded once (again only if filed under several units or years)."""
    index = as_index(summaries)
    where: dict[tuple[str, int], list[int]] = {}
    for at, keys in enumerate(index.keys):
        for group in keys.groups:
            where.setdefault(group, []).append(at)
    last: tuple[int, tuple[Finding, ...]] = (-1, ())
    for group in sorted(where):
        found = []
        for at in where[group]:
            if last[0] != at:
                last = (at, index.findings(at))
            found += [f for f in last[1] if (f.unit, f.year or 0) == group]
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

"""The summaries as every writer reads them: one small index, the big parts fetched by index.

Read once, when each summary is added, the index keeps in memory only small keys per
submission (unit, year, the 汇总 ranking's counts, the (unit, year) groups of its findings)
and what the page's filters offer. The rest of a summary (its files, issues, scores: the
"head", with its finding counts) and its findings are fetched when a writer's turn comes, so
a writer that only ranks or counts never decodes a finding, and one that lists findings
decodes each submission's once. A list is indexed in memory (ListIndex); a batch's summaries
wait on disk (batch/spool.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from ..model import Finding, Level, Severity, SubmissionSummary, Year
from .rows import LEVEL_ZH, REACH_ZH, SEVERITY_ZH

SUMMARY_FIELDS = tuple(f.name for f in fields(SubmissionSummary) if f.name != "findings")


@dataclass(frozen=True, slots=True)
class Keys:
    """What the orders need of one submission (attribute names as SubmissionSummary's)."""

    unit: str
    year: Year | None
    mandatory: int
    advisory: int
    largest: Decimal
    findings: int  # how many
    groups: tuple[tuple[str, int], ...]  # the (unit, year or 0) its findings are filed under

    @classmethod
    def of(cls, s: SubmissionSummary) -> Keys:
        groups = tuple(dict.fromkeys((f.unit, f.year or 0) for f in s.findings))
        return cls(s.unit, s.year, s.mandatory, s.advisory, s.largest, len(s.findings), groups)


@dataclass(frozen=True)
class Head(SubmissionSummary):
    """A summary without its findings, their counts kept: what 汇总, batch.json and the
    end-of-batch summary show. `tally`: (severity, level, count) over every finding, 误报 too."""

    finding_count: int = 0
    levels: tuple[int, int] = (0, 0)  # not dismissed: 强制, 提示
    severities: tuple[tuple[str, int], ...] = ()  # not dismissed, by Severity value
    tally: tuple[tuple[Severity, Level, int], ...] = ()

    @classmethod
    def of(cls, s: SubmissionSummary) -> Head:
        tally = Counter((f.severity, f.level) for f in s.findings)
        return cls(
            **{name: getattr(s, name) for name in SUMMARY_FIELDS}, finding_count=len(s.findings),
            levels=(s.mandatory, s.advisory), severities=tuple(s.by_severity.items()),
            tally=tuple((severity, level, n) for (severity, level), n in tally.items()),
        )

    @property
    def mandatory(self) -> int:
        return self.levels[0]

    @property
    def advisory(self) -> int:
        return self.levels[1]

    @property
    def by_severity(self) -> dict[str, int]:
        return dict(self.severities)

    def whole(self, findings: Sequence[Finding]) -> SubmissionSummary:
        return SubmissionSummary(**{name: getattr(self, name) for name in SUMMARY_FIELDS}, findings=tuple(findings))


def finding_tally(summary: SubmissionSummary) -> Iterator[tuple[Severity, Level, int]]:
    """(severity, level, count) of every finding, 误报 too, from a Head or a whole summary."""
    if isinstance(summary, Head):
        yield from summary.tally
        return
    for (severity, level), n in Counter((f.severity, f.level) for f in summary.findings).items():
        yield severity, level, n


class FindingKinds:
    """What the page's filters offer (units, severities, reaches, levels found) and how many findings."""

    def __init__(self) -> None:
        self.units: set[str] = set()
        self.kinds: set[tuple[str, str]] = set()
        self.count = 0

    def add(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.count += 1
            self.units.add(f.unit)
            self.kinds.update((("severity", SEVERITY_ZH[f.severity]), ("reach", REACH_ZH[f.reach]),
                               ("level", LEVEL_ZH[f.level])))

    def merge(self, other: FindingKinds) -> None:
        self.units |= other.units
        self.kinds |= other.kinds
        self.count += other.count


class SummaryIndex:
    """Sized and indexable like a list of summaries (index and walk give whole summaries);
    the writers read `keys`, `kinds`, head(i) and findings(i) instead."""

    def __init__(self) -> None:
        self.keys: list[Keys] = []
        self.kinds = FindingKinds()

    def add(self, summary: SubmissionSummary) -> None:
        self.keys.append(Keys.of(summary))
        self.kinds.add(summary.findings)
        self._store(summary)

    def _store(self, summary: SubmissionSummary) -> None:
        raise NotImplementedError

    def head(self, index: int) -> Head:
        raise NotImplementedError

    def findings(self, index: int) -> tuple[Finding, ...]:
        raise NotImplementedError

    def heads(self) -> Iterator[Head]:
        return (self.head(index) for index in range(len(self)))

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> SubmissionSummary:
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.head(index).whole(self.findings(index))

    def __iter__(self) -> Iterator[SubmissionSummary]:
        for index in range(len(self)):  # each iterator keeps its own place: two may run at once
            yield self[index]


class ListIndex(SummaryIndex):
    """Summaries in memory (one report, a few): indexed as they are."""

    def __init__(self, summaries: Iterable[SubmissionSummary] = ()) -> None:
        super().__init__()
        self._summaries: list[SubmissionSummary] = []
        for summary in summaries:
            self.add(summary)

    def _store(self, summary: SubmissionSummary) -> None:
        self._summaries.append(summary)

    def head(self, index: int) -> Head:
        return Head.of(self._summaries[index])

    def findings(self, index: int) -> tuple[Finding, ...]:
        return self._summaries[index].findings

    def __getitem__(self, index: int) -> SubmissionSummary:
        return self._summaries[index]


class Chained(SummaryIndex):
    """Several indexes (or lists) read as one."""

    def __init__(self, *parts: Iterable[SubmissionSummary]) -> None:
        super().__init__()
        self.parts = [as_index(part) for part in parts]
        for part in self.parts:
            self.keys.extend(part.keys)
            self.kinds.merge(part.kinds)

    def _part(self, index: int) -> tuple[SummaryIndex, int]:
        for part in self.parts:
            if index < len(part):
                return part, index
            index -= len(part)
        raise IndexError(index)

    def head(self, index: int) -> Head:
        part, at = self._part(index)
        return part.head(at)

    def findings(self, index: int) -> tuple[Finding, ...]:
        part, at = self._part(index)
        return part.findings(at)

    def __getitem__(self, index: int) -> SubmissionSummary:
        part, at = self._part(index)
        return part[at]


def as_index(summaries: Iterable[SubmissionSummary]) -> SummaryIndex:
    """An index as it is; anything else indexed in memory."""
    return summaries if isinstance(summaries, SummaryIndex) else ListIndex(summaries)

"""The batch's finished summaries on disk, not in memory: written once, read back by index.

Holding them all (with their findings) while the reports are rendered is what made the
parent's memory grow with the batch. A spool is a report.SummaryIndex: the small keys of each
summary in memory, its head (all but the findings) and its findings pickled apart in an
anonymous temporary file (gone when the spool is, so nothing is left in OUT), so a writer
that needs only the heads never decodes a finding. Pickle, because only this process reads it.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from collections.abc import Iterable

from ..model import Finding, SubmissionSummary
from ..report import Chained, Head, SummaryIndex

__all__ = ["Chained", "SummarySpool"]

LENGTH = struct.Struct("<I")


class SummarySpool(SummaryIndex):
    """An append-then-read index of summaries; in memory the keys and two offsets of each."""

    def __init__(self, summaries: Iterable[SubmissionSummary] = ()) -> None:
        super().__init__()
        self._file = tempfile.TemporaryFile(prefix="extractor-summaries-")
        self._offsets: list[tuple[int, int]] = []  # (head, findings)
        self._end = 0
        for summary in summaries:
            self.add(summary)

    def append(self, summary: SubmissionSummary) -> None:
        self.add(summary)

    def _store(self, summary: SubmissionSummary) -> None:
        self._file.seek(self._end)
        at = []
        for part in (Head.of(summary), summary.findings):
            data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
            self._file.write(LENGTH.pack(len(data)) + data)
            at.append(self._end)
            self._end += LENGTH.size + len(data)
        self._offsets.append((at[0], at[1]))

    def _read(self, offset: int) -> object:
        self._file.seek(offset)
        (size,) = LENGTH.unpack(self._file.read(LENGTH.size))
        return pickle.loads(self._file.read(size))

    def head(self, index: int) -> Head:
        head = self._read(self._offsets[index][0])
        assert isinstance(head, Head)
        return head

    def findings(self, index: int) -> tuple[Finding, ...]:
        findings = self._read(self._offsets[index][1])
        assert isinstance(findings, tuple)
        return findings

    def close(self) -> None:
        self._file.close()

"""The batch's finished summaries on disk, not in memory: written once, read back one at a time.

The reports, facts, batch.json and the end-of-batch summary each walk the summaries once or
twice; holding them all (with their findings) while the reports are rendered is what made
the parent's memory grow with the batch. A spool is an anonymous temporary file (gone when
the spool is), so nothing is left in OUT; pickle, because only this process reads it back.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from collections.abc import Iterable, Iterator

from ..model import SubmissionSummary

LENGTH = struct.Struct("<I")


class SummarySpool:
    """An append-then-read sequence of summaries; every iteration starts again from the first."""

    def __init__(self, summaries: Iterable[SubmissionSummary] = ()) -> None:
        self._file = tempfile.TemporaryFile(prefix="extractor-summaries-")
        self._count = 0
        for summary in summaries:
            self.append(summary)

    def append(self, summary: SubmissionSummary) -> None:
        data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        self._file.write(LENGTH.pack(len(data)) + data)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[SubmissionSummary]:
        offset = 0
        for _ in range(self._count):  # each iterator keeps its own place: two may run at once
            self._file.seek(offset)
            (size,) = LENGTH.unpack(self._file.read(LENGTH.size))
            summary: SubmissionSummary = pickle.loads(self._file.read(size))
            offset += LENGTH.size + size
            yield summary

    def close(self) -> None:
        self._file.close()


class Chained:
    """Several re-iterable collections read as one, each iteration from the start."""

    def __init__(self, *parts: Iterable[SubmissionSummary]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[SubmissionSummary]:
        for part in self.parts:
            yield from part

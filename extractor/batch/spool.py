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
from collections.abc import Iterable, Iterator, Sequence

from ..model import SubmissionSummary

LENGTH = struct.Struct("<I")


class SummarySpool:
    """An append-then-read sequence of summaries, read by index or walked (every iteration
    starts again from the first); in memory only the offset of each."""

    def __init__(self, summaries: Iterable[SubmissionSummary] = ()) -> None:
        self._file = tempfile.TemporaryFile(prefix="extractor-summaries-")
        self._offsets: list[int] = []
        self._end = 0
        for summary in summaries:
            self.append(summary)

    def append(self, summary: SubmissionSummary) -> None:
        data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(LENGTH.pack(len(data)) + data)
        self._offsets.append(self._end)
        self._end += LENGTH.size + len(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index: int) -> SubmissionSummary:
        self._file.seek(self._offsets[index])
        (size,) = LENGTH.unpack(self._file.read(LENGTH.size))
        summary: SubmissionSummary = pickle.loads(self._file.read(size))
        return summary

    def __iter__(self) -> Iterator[SubmissionSummary]:
        for index in range(len(self._offsets)):  # each iterator keeps its own place: two may run at once
            yield self[index]

    def close(self) -> None:
        self._file.close()


class Chained:
    """Several sized, indexable collections (lists, spools) read as one, each iteration from the start."""

    def __init__(self, *parts: Sequence[SubmissionSummary]) -> None:
        self.parts = parts

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def __getitem__(self, index: int) -> SubmissionSummary:
        for part in self.parts:
            if index < len(part):
                return part[index]
            index -= len(part)
        raise IndexError(index)

    def __iter__(self) -> Iterator[SubmissionSummary]:
        for part in self.parts:
            yield from part

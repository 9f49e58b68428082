"""One block's reading context: sentences, clauses, parentheses and the resolved spaCy spans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

import regex

from .scan import Match

SENTENCE_ENDS = frozenset("。！？!?；;\n")
CLAUSE_ENDS = SENTENCE_ENDS | frozenset(",，:：")
OPENERS, CLOSERS = "（(", "）)"
CLAUSE_MARK = regex.compile("[" + regex.escape("".join(sorted(CLAUSE_ENDS))) + "]")
LIST_MARKS = frozenset("、，,；;。：:")
PAREN_MARK = regex.compile("[" + regex.escape(OPENERS + CLOSERS) + "]")


class Span(NamedTuple):  # a tuple: one per ruler hit, so cheap to build
    kind: str  # LABEL, LABEL_AFTER, DIRECTION, BASE, SHARE, QIZHONG, REASON, PRIOR, MODIFIER ...
    id: str  # label id, or the context id (increase, decrease, cumulative ...)
    start: int
    end: int


class BlockContext:
    """Positions of sentence and clause breaks (outside numbers) and the usable spans."""

    def __init__(self, norm: str, matches: list[Match], spans: list[Span]) -> None:
        self.norm = norm
        inside = bytearray(len(norm))
        for m in matches:
            inside[m.start:m.end] = b"\x01" * (m.end - m.start)
        clause_marks = [m.start() for m in CLAUSE_MARK.finditer(norm) if not inside[m.start()]]
        self.sentence_breaks = [i for i in clause_marks if norm[i] in SENTENCE_ENDS]
        self.clause_breaks = clause_marks
        self.parens = paren_ranges(norm)
        self.labels, self.context = resolve_spans(spans, matches, len(norm))
        self.context_by_kind: dict[str, list[Span]] = {}
        for span in self.context:
            self.context_by_kind.setdefault(span.kind, []).append(span)
        # start positions for bisecting: the lookups per number were linear scans of every
        # span in the block, quadratic in a long paragraph (64 KiB: 21 s)
        self.label_set = set(self.labels)
        self._plain_labels = [s for s in self.labels if s.kind == "LABEL"]
        self._plain_starts = [s.start for s in self._plain_labels]
        self._after = {}
        for s in self.labels:
            if s.kind == "LABEL_AFTER":
                self._after.setdefault(s.start, s)
        self._starts_by_kind = {kind: [s.start for s in spans] for kind, spans in self.context_by_kind.items()}

    def sentence(self, position: int) -> tuple[int, int]:
        """[start, end) of the sentence holding `position` (the end mark included)."""
        k = bisect_right(self.sentence_breaks, position - 1)
        start = self.sentence_breaks[k - 1] + 1 if k else 0
        end = self.sentence_breaks[k] + 1 if k < len(self.sentence_breaks) else len(self.norm)
        return start, end

    def clause_start(self, position: int) -> int:
        k = bisect_right(self.clause_breaks, position - 1)
        return self.clause_breaks[k - 1] + 1 if k else 0

    def hidden(self, span: Span, position: int) -> bool:
        """A span inside a parenthesis that closes before `position` does not speak for it."""
        return any(o < span.start and span.end <= c < position for o, c in self.parens)

    def bracket_named(self, span: Span, position: int) -> bool:
        """A figure alone in a bracket after other words ("…得分未完成原因产出指标(40分)") is
        named by those words, not by a label before them."""
        opener = next((o for o, c in self.parens if o < position < c and span.end <= o), None)
        return opener is not None and not self.norm[opener + 1:position].strip() and \
            bool(regex.search(r"\p{Han}{2}$", self.norm[span.end:opener]))

    def of_kind(self, kind: str) -> list[Span]:
        """The context spans of one kind, in text order."""
        return self.context_by_kind.get(kind, [])

    def context_between(self, kind: str, start: int, end: int) -> list[Span]:
        spans = self.of_kind(kind)
        return self._between(spans, self._starts_by_kind.get(kind, []), start, end)

    def labels_between(self, start: int, end: int) -> list[Span]:
        return self._between(self._plain_labels, self._plain_starts, start, end)

    def _between(self, spans: list[Span], starts: list[int], start: int, end: int) -> list[Span]:
        """The spans (sorted by start) inside [start, end] not hidden by a parenthesis."""
        found = []
        for k in range(bisect_left(starts, start), bisect_right(starts, end)):
            s = spans[k]
            if s.end <= end and not self.hidden(s, end):
                found.append(s)
        return found

    def label_after(self, end: int) -> Span | None:
        span = self._after.get(end)
        if span is not None:
            return span
        span = self._after.get(end + 1)  # "离休2人、退休75人": 退休 is the next item's
        return span if span is not None and self.norm[end:end + 1] not in LIST_MARKS else None


def paren_ranges(text: str) -> list[tuple[int, int]]:
    stack: list[int] = []
    ranges: list[tuple[int, int]] = []
    for mark in PAREN_MARK.finditer(text):
        if mark.group() in OPENERS:
            stack.append(mark.start())
        elif stack:
            ranges.append((stack.pop(), mark.start()))
    return ranges


def resolve_spans(spans: list[Span], matches: list[Match], size: int) -> tuple[list[Span], list[Span]]:
    """Label spans without overlaps (longest wins); context words outside labels and numbers.
    `size` is the text length: overlaps are read off position masks, not pair by pair."""
    numbers = bytearray(size)
    for m in matches:
        if m.quantity is not None:
            numbers[m.start:m.end] = b"\x01" * (m.end - m.start)
    taken = bytearray(numbers)
    labels: list[Span] = []
    for span in sorted((s for s in spans if s.kind.startswith("LABEL")),
                       key=lambda s: (s.start - s.end, s.start, s.kind)):
        if 1 not in taken[span.start:span.end]:
            labels.append(span)
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
        elif span.kind == "LABEL_AFTER" and labels and (labels[-1].start, labels[-1].end, labels[-1].kind) == \
                (span.start, span.end, "LABEL"):
            labels.append(span)  # 内设机构 names the figure before it (6个内设机构) and after it (内设机构5个)
    label_ranges = sorted((s.start, s.end) for s in labels if s.kind == "LABEL")  # never overlapping
    label_starts = [a for a, _ in label_ranges]
    context: list[Span] = []
    for span in sorted((s for s in spans if not s.kind.startswith("LABEL")), key=lambda s: (s.start, -s.end)):
        if context and span.start < context[-1].end:
            continue  # leftmost-longest: "新增多个" is 新增, not 增多
        k = bisect_right(label_starts, span.start) - 1  # the one label that could hold the span
        if k >= 0 and span.end <= label_ranges[k][1]:
            continue
        if 1 not in numbers[span.start:span.end]:
            context.append(span)
    labels.sort(key=lambda s: s.start)
    return labels, context

"""Narrative extraction: every quantity in a Document's blocks as a labelled, located Fact.

One spaCy pipeline per run: spacy.blank("zh") (one token per character) plus a
span_ruler loaded from patterns/ (label phrases and context words). Quantities are
found by the regex rules of patterns/quantities.toml on the digit-normalised text and
set as doc.ents through char spans; narrative.linking turns them into Facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex
import spacy
from spacy.tokens import Doc
from spacy.util import filter_spans

from .coverage import block_locator, unaccounted_runs
from .metadata import document_metadata
from .model import Document, Fact, NonQuantity
from .narrative.context import BlockContext, Span
from .narrative.linking import Linker
from .narrative.scan import Match, scan
from .numbers import normalize_digits
from .patterns import Patterns, load_patterns

PIPE_BATCH = 256
THOUSANDS = regex.compile(r"\d,\d{3}(?!\d)")  # on the normalised text, at the digit before the comma


@dataclass(frozen=True)
class NarrativeResult:
    facts: tuple[Fact, ...]
    non_quantities: tuple[NonQuantity, ...]
    unaccounted: tuple[NonQuantity, ...]
    digit_runs: int
    metadata: dict[str, str] = field(default_factory=dict)


def build_nlp(patterns: Patterns) -> spacy.language.Language:
    """spacy.blank("zh") with its char segmenter and one span_ruler holding every phrase."""
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "ruler", "validate": True})
    ruler.add_patterns(list(patterns.span_patterns))
    return nlp


class NarrativeExtractor:
    """Build once per run (patterns and the spaCy pipeline), then extract(doc) per document."""

    def __init__(self, patterns_dir: str | Path | None = None) -> None:
        self.patterns = load_patterns(patterns_dir)
        self.nlp = build_nlp(self.patterns)

    def extract(self, doc: Document) -> NarrativeResult:
        metadata = document_metadata(doc)
        year = metadata.get("year")
        linker = Linker(self.patterns, doc.source, int(year) if year else None)
        norms = [scan_text(block.text) for block in doc.blocks]
        facts: list[Fact] = []
        non_quantities: list[NonQuantity] = []
        unaccounted: list[NonQuantity] = []
        runs = 0
        for block, norm, sdoc in zip(doc.blocks, norms, self.nlp.pipe(norms, batch_size=PIPE_BATCH)):
            matches = scan(norm, block.text, self.patterns)
            set_quantity_entities(sdoc, matches)
            ctx = BlockContext(norm, matches, ruler_spans(sdoc))
            facts.extend(linker.link_block(block, matches, ctx))
            locate = lambda s, e, b=block: block_locator(doc.source, b, s, e)  # noqa: E731
            non_quantities.extend(NonQuantity(block.text[m.start:m.end].strip(), m.reason, locate(m.start, m.end))
                                  for m in matches if m.quantity is None)
            missed = unaccounted_runs(norm, block.text, [(m.start, m.end) for m in matches], locate)
            unaccounted.extend(missed)
            runs += count_runs(norm)
        return NarrativeResult(tuple(facts), tuple(non_quantities), tuple(unaccounted), runs, metadata)


def scan_text(text: str) -> str:
    """Digits normalised, but a full-width comma stays a clause break unless it groups
    thousands (5，487，621．72): "编号7，2024年" must not read as the number 7,2024."""
    norm = normalize_digits(text)
    if "，" not in text:
        return norm
    chars = list(norm)
    for i, ch in enumerate(text):
        if ch == "，" and not THOUSANDS.match(norm, i - 1 if i else 0):
            chars[i] = "，"
    return "".join(chars)


def count_runs(norm: str) -> int:
    from .coverage import digit_runs

    return len(digit_runs(norm))


def set_quantity_entities(sdoc: Doc, matches: list[Match]) -> None:
    """Quantities become the Doc's entities (label = kind), aligned outward to tokens."""
    spans = []
    for m in matches:
        if m.quantity is not None:
            span = sdoc.char_span(m.start, m.end, label=m.quantity.kind.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    sdoc.ents = filter_spans(spans)


def ruler_spans(sdoc: Doc) -> list[Span]:
    return [Span(s.label_, s.id_, s.start_char, s.end_char) for s in sdoc.spans.get("ruler", [])]

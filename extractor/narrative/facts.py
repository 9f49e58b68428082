"""Narrative extraction: every quantity in a Document's blocks as a labelled, located Fact.

One spaCy pipeline per pattern set: spacy.blank("zh") (one token per character) plus a
span_ruler loaded from patterns/ (label phrases and context words), kept by
narrative.pipeline_cache as a phrase table in the user's cache (a run that finds it there
does not import spaCy). Quantities are found by the regex rules of
patterns/quantities.toml on the digit-normalised text; narrative.linking turns them into
Facts.

The blocks that hold figures go through spaCy as ONE Doc per document (joined by
newlines): measured 2x faster than nlp.pipe over many short blocks, same spans.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from ..model import Document, Fact, NonQuantity, parse_year
from ..numbers import normalize_digits
from ..patterns import Patterns, active, load_patterns
from .context import BlockContext, Span
from .cell_sections import index_sections
from .cells import (AnnexPlaces, Grid, cell_block, cell_coverage, cell_locator, cells_to_read, grid_fact,
                    label_names, relocate)
from .coverage import block_locator, digit_runs, unaccounted_runs
from .glued import GluedRows
from .linking import Linker
from .metadata import document_metadata
from .pipeline_cache import MatchedText, phrase_matcher
from .points_first import PointsFirstRows
from .scan import scan
from .units import UnitHeaders

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

FIGURE_HINT = regex.compile(r"\d|百分之|[一二两三四五六七八九十][个辆名人所台套座栋家户批大]")  # 二辆小车 too
THOUSANDS = regex.compile(r"\d,\d{3}(?!\d)")  # on the normalised text, at the digit before the comma


@dataclass(frozen=True)
class NarrativeResult:
    facts: tuple[Fact, ...]
    non_quantities: tuple[NonQuantity, ...]
    unaccounted: tuple[NonQuantity, ...]
    digit_runs: int
    metadata: dict[str, str] = field(default_factory=dict)


class CharTokenizer:
    """One token per character, whitespace included: what spacy.blank("zh")'s char
    segmenter gives, without its per-character alignment pass (a third of the run time).
    Token i is character i, so char offsets and token offsets coincide."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))


def build_nlp(patterns: Patterns) -> spacy.language.Language:
    """spacy.blank("zh") with a char tokenizer and one span_ruler holding every phrase."""
    import spacy

    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "ruler", "validate": True})
    ruler.add_patterns(list(patterns.span_patterns))  # type: ignore[attr-defined]
    return nlp


class NarrativeExtractor:
    """Build once per run (patterns and the spaCy pipeline), then extract(doc) per document."""

    def __init__(self, patterns: Patterns | str | Path | None = None) -> None:
        """`patterns`: the run's bundle (default: the process's); a folder loads its own."""
        if not isinstance(patterns, Patterns):
            patterns = load_patterns(patterns) if patterns is not None else active()
        self.patterns = patterns
        self.nlp = phrase_matcher(self.patterns.span_patterns, self.patterns.hash)

    def extract(self, doc: Document) -> NarrativeResult:
        metadata = document_metadata(doc)
        linker = Linker(self.patterns, doc.source, parse_year(metadata.get("year")))
        norms = [scan_text(block.text) for block in doc.blocks]
        work = [i for i, norm in enumerate(norms) if self.has_figures(norm)]
        sdoc, offsets = self.read_spans([norms[i] for i in work])
        spans = dict(zip(work, split_spans(sdoc, offsets)))
        facts: list[Fact] = []
        non_quantities: list[NonQuantity] = []
        unaccounted: list[NonQuantity] = []
        runs = 0
        headers = UnitHeaders(self.patterns)
        glued = GluedRows()
        points = PointsFirstRows()
        for index, block in enumerate(doc.blocks):
            units = headers.read(block, norms[index])
            if index not in spans:  # nothing to read: no digit, no 百分之, no stated grade
                glued.remember(norms[index], block.text, [])
                linker.pass_block()
                continue
            norm = norms[index]
            matches = glued.read(norm, block.text, scan(norm, block.text, self.patterns, units))
            ctx = BlockContext(norm, matches, spans[index])
            facts.extend(points.read(block.text, norm, glued.name(linker.link_block(block, matches, ctx), block.text, norm)))
            locate = lambda s, e, b=block: block_locator(doc.source, b, s, e)
            non_quantities.extend(NonQuantity(block.text[m.start:m.end].strip(), m.reason, locate(m.start, m.end))
                                  for m in matches if m.quantity is None)
            block_runs = digit_runs(norm)
            unaccounted.extend(unaccounted_runs(block.text, block_runs, [(m.start, m.end) for m in matches], locate))
            runs += len(block_runs)
        return NarrativeResult(tuple(facts), tuple(non_quantities), tuple(unaccounted), runs, metadata)

    def read_cells(self, doc: Document, annex_facts: Sequence[Fact]) -> NarrativeResult:
        """Table cells (narrative.cells): prose cells of every table (their figures an annex
        reader took left to it) and every cell of a table of unknown layout read like
        paragraphs, bare numbers there as a generic grid; the digit runs of every cell counted."""
        from ..annex import classify_table
        from ..annex.classify import OTHER

        places = AnnexPlaces.of(annex_facts, doc.source)
        index_sections(doc.tables, self.patterns.headings)  # sections written in a big table's left column
        kinds = {table.index: classify_table(table, doc, self.patterns.annex) for table in doc.tables} if doc.tables else {}
        todo = cells_to_read(doc, lambda t: kinds[t.index] != OTHER, places.covered)
        year = document_metadata(doc).get("year")
        linker = Linker(self.patterns, doc.source, int(year) if year else None)
        names = label_names(self.patterns.labels)
        norms = [scan_text(cell.text) for _, cell in todo]
        sdoc, offsets = self.read_spans(norms)
        facts: list[Fact] = []
        non_quantities: list[NonQuantity] = []
        unaccounted: list[NonQuantity] = []
        runs = 0
        grids: dict[int, Grid] = {}
        for number, ((table, cell), norm, spans) in enumerate(zip(todo, norms, split_spans(sdoc, offsets))):
            grid = grids.setdefault(table.index, Grid(table))
            block = cell_block(table, cell, -1 - number)
            matches = scan(norm, cell.text, self.patterns)
            ctx = BlockContext(norm, matches, spans)
            key = (table.index, cell.row, cell.col)
            facts += places.keep(key, relocate(linker.link_block(block, matches, ctx), doc.source, table, cell, grid))
            linker.pass_block()
            locate = lambda s, e, t=table, c=cell: cell_locator(doc.source, t, c, s, e)
            non_quantities += [NonQuantity(cell.text[m.start:m.end].strip(), m.reason, locate(m.start, m.end))
                               for m in matches if m.quantity is None and not places.took(key, m.start, m.end)]
            taken = [(m.start, m.end) for m in matches] + places.figures.get(key, [])
            if not any(m.quantity for m in matches) and (kinds[table.index] == OTHER or key not in places.covered):
                fact = grid_fact(doc.source, table, cell, grid, names)
                if fact is not None:
                    facts.append(fact)
                    taken.append((fact.locator.char_start, fact.locator.char_end))
            cell_runs = digit_runs(norm)
            runs += len(cell_runs)
            unaccounted += unaccounted_runs(cell.text, cell_runs, taken, locate)
        read = {(t.index, c.row, c.col) for t, c in todo}
        more_runs, more_non, more_unaccounted = cell_coverage(doc.source, doc, places.covered, read, self.scan_reasons)
        return NarrativeResult(tuple(facts), tuple(non_quantities + more_non),
                               tuple(unaccounted + more_unaccounted), runs + more_runs)

    def scan_reasons(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, reason) of the non-quantities of a cell's text (a year in a header)."""
        return [(m.start, m.end, m.reason) for m in scan(scan_text(text), text, self.patterns) if m.quantity is None]

    def has_figures(self, norm: str) -> bool:
        return bool(FIGURE_HINT.search(norm)) or any(r.pattern.search(norm) for r in self.patterns.text_rules)

    def read_spans(self, texts: list[str]) -> tuple[MatchedText, list[int]]:
        """One spaCy call over the blocks joined by newlines (no phrase spans a newline);
        returns the Doc and where each block starts in it."""
        offsets, position = [], 0
        for text in texts:
            offsets.append(position)
            position += len(text) + 1
        return self.nlp("\n".join(texts)), offsets


def split_spans(sdoc: MatchedText | Doc, offsets: list[int]) -> list[list[Span]]:
    """The ruler's spans, per block, with offsets into that block's text (token i is char i,
    so token offsets are char offsets: no per-token lookups)."""
    out: list[list[Span]] = [[] for _ in offsets]
    for span in sdoc.spans.get("ruler", []):
        start, end = span.start, span.end
        k = bisect_right(offsets, start) - 1
        shift = offsets[k]
        out[k].append(Span(span.label_, span.id_, start - shift, end - shift))
    return out


@cache
def traditional_chars() -> dict[int, str]:
    """The traditional -> simplified characters of patterns/annex.toml [normalize] (PDF copies, mirrors)."""
    from ..annex.spec import load_annex_spec

    return load_annex_spec().traditional


@cache
def traditional_pattern() -> regex.Pattern[str]:
    return regex.compile("[" + regex.escape("".join(chr(c) for c in traditional_chars())) + "]")


def scan_text(text: str) -> str:
    """Digits normalised, but a full-width comma stays a clause break unless it groups
    thousands (5，487，621．72): "编号7，2024年" must not read as the number 7,2024."""
    norm = normalize_digits(text)
    if traditional_pattern().search(norm):
        norm = norm.translate(traditional_chars())  # 預算數 reads as 预算数, one char for one
    if "，" not in text:
        return norm
    chars = list(norm)
    for i, ch in enumerate(text):
        if ch == "，" and not THOUSANDS.match(norm, i - 1 if i else 0):
            chars[i] = "，"
    return "".join(chars)



"""Mark each figure read from a scan with its OCR confidence: the lowest score of the
characters it was read from (digits, separators and unit; spaces aside). A figure is
uncertain when any of them scores below UNCERTAIN_BELOW: the recogniser's wrong figures
are well-formed numbers, and only the per-character score gives them away."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model import Document, Extraction, Fact, OcrMark, OcrText

UNCERTAIN_BELOW = 0.99
CLAUSE_ENDS = "；;。"
PUNCTUATION = "，,；;。、：:"

Key = tuple[str, int | None, int | None, int | None, int | None]


def mark_ocr_facts(extraction: Extraction, docs: Sequence[Document]) -> Extraction:
    """The extraction with Fact.ocr set on every figure from an OCR'd block or cell (called
    once, after narrative and annex extraction); unchanged when no document was OCR'd."""
    texts = {_key(doc.source, t): t for doc in docs for t in doc.ocr_text}
    if not texts:
        return extraction
    blocks = {(doc.source, b.index): b.text for doc in docs if doc.ocr_text for b in doc.blocks}
    facts = tuple(_marked(fact, texts, blocks) for fact in extraction.facts)
    return dataclasses.replace(extraction, facts=facts)


def _key(source: str, text: OcrText) -> Key:
    return (source, text.block, text.table, text.row, text.col)


def _marked(fact: Fact, texts: dict[Key, OcrText], blocks: dict[tuple[str, int], str]) -> Fact:
    loc = fact.locator
    if loc.table is not None:
        found = texts.get((loc.source, None, loc.table, loc.row, loc.col))
    else:
        found = texts.get((loc.source, loc.block, None, None, None))
    if found is None:
        return fact
    mark = ocr_mark(found, loc.char_start, loc.char_end)
    text = blocks.get((loc.source, loc.block), "") if loc.table is None and loc.block is not None else ""
    if text and loc.char_end > loc.char_start and clause_doubtful(text, found.scores, loc.char_start):
        mark = dataclasses.replace(mark, label_uncertain=True)
    return dataclasses.replace(fact, ocr=mark)


def clause_doubtful(text: str, scores: Sequence[float], start: int) -> bool:
    """Whether a punctuation mark between the clause's start (after the last ；or 。) and the
    figure at `start` scored low: a ；read as ，joins two clauses, and the figure takes the
    label of the other one (占项目支出的15.65%，安全生产专项经费83.18万元 -> 项目支出 83.18)."""
    begin = max(text.rfind(stop, 0, start) for stop in CLAUSE_ENDS) + 1
    return any(text[i] in PUNCTUATION and i < len(scores) and scores[i] < UNCERTAIN_BELOW
               for i in range(begin, start))


def ocr_mark(text: OcrText, start: int, end: int) -> OcrMark:
    """The mark of characters [start, end) of an OCR'd text (the whole text when the span is empty);
    0 where the text has ink that was not read."""
    if end <= start:
        start, end = 0, len(text.scores)
    scores = text.scores[start:end] or text.scores
    confidence = 0.0 if text.unread_ink else min(scores, default=1.0)  # an empty cell reads as empty
    crop = next((uri for lo, hi, uri in text.crops if lo < end and start < hi), "")
    return OcrMark(confidence=confidence, uncertain=confidence < UNCERTAIN_BELOW, page=text.page, crop=crop)

"""Mark each figure read from a scan with its OCR confidence: the lowest score of the
characters it was read from (digits, separators and unit; spaces aside). A figure is
uncertain when any of them scores below UNCERTAIN_BELOW: the recogniser's wrong figures
are well-formed numbers, and only the per-character score gives them away."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model import Document, Extraction, Fact, OcrMark, OcrText

UNCERTAIN_BELOW = 0.99

Key = tuple[str, int | None, int | None, int | None, int | None]


def mark_ocr_facts(extraction: Extraction, docs: Sequence[Document]) -> Extraction:
    """The extraction with Fact.ocr set on every figure from an OCR'd block or cell (called
    once, after narrative and annex extraction); unchanged when no document was OCR'd."""
    texts = {_key(doc.source, t): t for doc in docs for t in doc.ocr_text}
    if not texts:
        return extraction
    facts = tuple(_marked(fact, texts) for fact in extraction.facts)
    return dataclasses.replace(extraction, facts=facts)


def _key(source: str, text: OcrText) -> Key:
    return (source, text.block, text.table, text.row, text.col)


def _marked(fact: Fact, texts: dict[Key, OcrText]) -> Fact:
    loc = fact.locator
    if loc.table is not None:
        found = texts.get((loc.source, None, loc.table, loc.row, loc.col))
    else:
        found = texts.get((loc.source, loc.block, None, None, None))
    if found is None:
        return fact
    return dataclasses.replace(fact, ocr=ocr_mark(found, loc.char_start, loc.char_end))


def ocr_mark(text: OcrText, start: int, end: int) -> OcrMark:
    """The mark of characters [start, end) of an OCR'd text (the whole text when the span is empty);
    0 where the text has ink that was not read."""
    if end <= start:
        start, end = 0, len(text.scores)
    scores = text.scores[start:end] or text.scores
    confidence = 0.0 if text.unread_ink else min(scores, default=1.0)  # an empty cell reads as empty
    crop = next((uri for lo, hi, uri in text.crops if lo < end and start < hi), "")
    return OcrMark(confidence=confidence, uncertain=confidence < UNCERTAIN_BELOW, page=text.page, crop=crop)

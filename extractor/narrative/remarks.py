"""Report sentences that explain something (原因, 未执行, 由于 ...), for the explanation rules.

The rule "执行率 below 90% without an explanation" used to see only sentences that hold a
figure; an explanation usually has none ("主要原因是部分项目资金年底才下达，未能及时支付。").
extract.py keeps these sentences in Extraction.remarks (selecting report sentences is
extraction's job; checks/scoring.py only reads them). The explanation words are the rule's
own, in patterns/scoring.toml (score.low_execution_unexplained.explanation_words), read from
the bundle's scoring piece.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import BlockKind, Document

if TYPE_CHECKING:
    from ..patterns import Patterns

RULE_ID = "score.low_execution_unexplained"
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


def sentences(text: str) -> list[str]:
    """A paragraph cut after 。！？； (and line breaks), each sentence stripped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def explanation_words(patterns: Patterns | None) -> Sequence[str]:
    """The explanation rule's words, from `patterns` (None: the process's bundle)."""
    if patterns is None:
        from ..patterns import active

        patterns = active()
    assert patterns.scoring is not None
    return patterns.scoring.rules()[RULE_ID].params["explanation_words"]  # type: ignore[no-any-return]


def explanation_sentences(
    docs: Sequence[Document], patterns: Patterns | None = None
) -> tuple[str, ...]:
    """Sentences of the report's paragraphs (not headings, not annex text) that contain an
    explanation word, in reading order, each once. A sentence is given with the sentence
    before it in the same paragraph, because "原因" often follows the sentence naming the rate."""
    words = explanation_words(patterns)
    found: dict[str, None] = {}
    for doc in docs:
        for block in doc.blocks:
            if block.annex or block.kind is not BlockKind.PARAGRAPH:
                continue
            parts = sentences(block.text)
            for i, sentence in enumerate(parts):
                if any(word in sentence for word in words):
                    found.setdefault("".join(parts[max(0, i - 1): i + 1]), None)
    return tuple(found)

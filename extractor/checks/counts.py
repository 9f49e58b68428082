"""Counts of parts in one sentence: "实施项目共15个，年初批复预算8个项目…，年中增加8个项目".

The opening count plus the counts added (less those removed) during the year against the
stated total, when the sentence states all of them with the same counted noun (项目) and
each has its word in its own clause (共 / 年初 / 年中增加: the rule's patterns). Counts
inside a bracket ("（含2023年转列项目5个）") are asides, never parts. A sentence with
two totals, two openings or no addition is not checked (no unique reading).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import regex

from ..model import CheckResult, Fact, Kind
from . import intervals as iv
from .base import CheckContext, compare
from .registry import NUMERIC, register
from .rules import Rule
from .select import is_text

CLAUSE_END = regex.compile(r"[，,；;。：:、（(）)]")
NOUN_AFTER = regex.compile(r"\p{Han}{1,6}")
ROLES = ("total", "opening", "added", "removed")


def located(facts: list[Fact]) -> list[tuple[Fact, int]]:
    """The sentence's figures with their offsets in it, each searched after the one before."""
    out, at = [], 0
    for fact in sorted(facts, key=lambda f: f.locator.char_start or 0):
        found = fact.sentence.find(fact.raw, at)
        if found < 0:
            return []
        out.append((fact, found))
        at = found + len(fact.raw)
    return out


def in_bracket(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


def counted_noun(fact: Fact, sentence: str, end: int) -> str:
    """What is counted: the noun right after the figure (8个项目), else the subject's end (实施项目)."""
    after = NOUN_AFTER.match(sentence, end)
    text = after.group(0) if after else fact.subject
    return text[:2] if after else text[-2:]


def role_of(clause: str, words: dict[str, list[regex.Pattern[str]]]) -> tuple[str, str] | None:
    """The one role the clause's words give, with the word as written (年中增加)."""
    found = []
    for role in ROLES:
        match = next((m for m in (w.search(clause) for w in words[role]) if m), None)
        if match:
            found.append((role, match.group(0)))
    return found[0] if len(found) == 1 else None


def sentence_parts(facts: list[Fact], words: dict[str, list[regex.Pattern[str]]]) \
        -> dict[str, list[tuple[Fact, str]]] | None:
    """role -> (figure, its word), when the sentence reads as one total, one opening and its additions."""
    parts: dict[str, list[tuple[Fact, str]]] = defaultdict(list)
    nouns: set[str] = set()
    for fact, start in located(facts):
        text = fact.sentence
        if fact.kind is not Kind.COUNT or fact.value is None or in_bracket(text, start):
            continue
        clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
        found = role_of(text[clause_start:start], words)
        if found is None:
            continue
        parts[found[0]].append((fact, found[1]))
        nouns.add(counted_noun(fact, text, start + len(fact.raw)))
    if len(parts["total"]) != 1 or len(parts["opening"]) != 1 or not parts["added"] or len(nouns) != 1:
        return None
    return parts


@register("opening_plus_added",
          required={"total_words": "regexes", "opening_words": "regexes", "added_words": "regexes"},
          optional={"removed_words": "regexes"},
          placeholders=NUMERIC | {"parts"})
def check_opening_plus_added(ctx: CheckContext, rule: Rule) -> list[CheckResult]:
    words = {role: [regex.compile(w) for w in rule.param(f"{role}_words", [])] for role in ROLES}
    sentences: dict[tuple[str, int | None, str], list[Fact]] = defaultdict(list)
    for fact in ctx.index.facts:
        if is_text(fact) and fact.kind is Kind.COUNT:
            sentences[(fact.locator.source, fact.locator.block, fact.sentence)].append(fact)
    out = []
    for key in sorted(sentences, key=lambda k: (k[0], k[1] or 0, k[2])):
        parts = sentence_parts(sentences[key], words)
        if parts is None:
            continue
        (total, _), (opening, opened) = parts["total"][0], parts["opening"][0]
        added, removed = [f for f, _ in parts["added"]], [f for f, _ in parts["removed"]]
        computed = iv.fact_interval(opening)
        for fact in added:
            computed = iv.add(computed, iv.fact_interval(fact))
        for fact in removed:
            computed = iv.sub(computed, iv.fact_interval(fact))
        formula = opened + opening.raw + "".join(f"＋{w}{f.raw}" for f, w in parts["added"]) \
            + "".join(f"－{w}{f.raw}" for f, w in parts["removed"])
        point = sum((f.value for f in added if f.value is not None), opening.value or Decimal(0)) \
            - sum((f.value for f in removed if f.value is not None), Decimal(0))
        out.append(compare(rule, total, iv.fact_interval(total), computed, [opening, *added, *removed],
                           {"parts": formula}, ctx.name(total), point=point))
    return out

"""Scoring narrative facts against a hand-written reference (precision, recall, coverage).

A reference row matches a fact with the same raw text (digits normalised, spaces
dropped), the same label and the same value; each fact matches at most one row.
Precision is over facts with a non-empty label, recall over all reference rows.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from extractor.model import Fact
from extractor.narrative.coverage import coverage_ratio
from extractor.numbers import normalize_digits

Key = tuple[str, str, Decimal | None]


@dataclass(frozen=True)
class Score:
    reference: int
    labelled: int  # facts with a label
    matched: int
    precision: float
    recall: float
    coverage: float
    missed: tuple[Key, ...]  # reference rows with no fact
    wrong: tuple[Key, ...]  # labelled facts with no reference row
    role_agreement: float  # among matched pairs, same role


def raw_key(raw: str) -> str:
    return "".join(normalize_digits(raw).split())


def fact_key(fact: Fact) -> Key:
    return raw_key(fact.raw), fact.label, fact.value


def row_key(row: dict) -> Key:
    value = row.get("value")
    return raw_key(str(row["raw"])), str(row.get("label") or ""), None if value in (None, "") else Decimal(str(value))


def load_reference_csv(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def score(facts: Iterable[Fact], rows: list[dict], digit_runs: int, unaccounted: int) -> Score:
    """Strict: a fact matches a row only with the same raw text, label and value."""
    facts = [f for f in facts if f.locator.table is None]
    wanted = Counter(row_key(r) for r in rows)
    roles = Counter((row_key(r), str(r.get("role") or "value")) for r in rows)
    matched, same_role = 0, 0
    wrong: list[Key] = []
    remaining = wanted.copy()
    for fact in facts:
        key = fact_key(fact)
        if remaining[key] > 0:
            remaining[key] -= 1
            matched += 1
            if roles[(key, fact.role.value)] > 0:
                roles[(key, fact.role.value)] -= 1
                same_role += 1
        elif fact.label:
            wrong.append(key)
    labelled = sum(1 for f in facts if f.label)
    labelled_matched = labelled - len(wrong)
    return Score(
        reference=len(rows), labelled=labelled, matched=matched,
        precision=labelled_matched / labelled if labelled else 1.0,
        recall=matched / len(rows) if rows else 1.0,
        coverage=coverage_ratio(digit_runs, unaccounted),
        missed=tuple(k for k, n in remaining.items() for _ in range(n)),
        wrong=tuple(wrong),
        role_agreement=same_role / matched if matched else 1.0,
    )


def corpus_docx(text: str, path: str | Path) -> Path:
    """A plain DOCX with one paragraph per non-empty line of a corpus text (python-docx)."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    path = Path(path)
    document.save(str(path))
    return path

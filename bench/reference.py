"""Scoring narrative facts against a hand-written reference (precision, recall, coverage).

A reference row matches a fact with the same raw text (digits normalised, spaces
dropped), the same label and the same value; each fact matches at most one row.
Precision is over facts with a non-empty label, recall over all reference rows.

The real report texts (tests/reference/real/) are scored by real_score: rows matched by
place (the block or cell built from the row's line), value and raw; see its README.
"""

from __future__ import annotations

import csv
import re
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


# ---- real report texts (tests/reference/real/): keys by line, place-matched ----------------

KEY_COLUMNS = ("line", "raw", "value", "unit", "kind", "subject", "year", "note")
INCONSISTENCY_COLUMNS = ("id", "kind", "raws", "arithmetic", "severity_expected", "note")
KEY_KINDS = frozenset({"amount", "percent", "percent_point", "headcount", "count", "area", "score", "other"})
# written unit -> factor to the fact's base unit (Fact.unit); other units compare as written
UNIT_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000),
              "万亩": Decimal(10000), "万人": Decimal(10000), "万平方米": Decimal(10000)}
_QUOTES = str.maketrans("", "", "“”\"'‘’《》〈〉「」()（） ")


@dataclass(frozen=True)
class RealScore:
    stem: str
    rows: int
    matched: int
    own_subject: int  # matched rows whose fact's subject names the key subject
    labelled: int  # matched facts with a labels.toml label
    label_ok: int  # of those, the label's display/synonyms name the key subject
    prior_rows: int  # matched rows keyed year != this
    prior_ok: int  # of those, the fact says it is not this year's (role prior or another year)
    errors: int  # error-severity findings
    inconsistencies: int
    cited: int  # real inconsistencies cited by an error/warning finding
    missed: tuple[tuple[int, str, str], ...]  # (line, raw, subject) with no fact
    unowned: tuple[tuple[int, str, str, str], ...]  # (line, raw, key subject, fact subject)
    error_messages: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        return self.matched / self.rows if self.rows else 1.0

    @property
    def subject_recall(self) -> float:
        return self.own_subject / self.rows if self.rows else 1.0


def load_csv(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def key_value(row: dict) -> Decimal:
    """The key's value in the fact's base unit (万元 -> 元)."""
    unit = row["unit"]
    counted_in_wan = unit.startswith("万") and len(unit) > 1  # 425万粒 = 4 250 000 粒
    return Decimal(row["value"]) * UNIT_SCALE.get(unit, Decimal(10000) if counted_in_wan else Decimal(1))


def values_agree(row: dict, fact: Fact) -> bool:
    """Equal after scaling to the base unit; or equal as written when the fact kept the
    unit, or when the text wrote no unit (a bare number whose unit the key supplies)."""
    as_written = fact.value == Decimal(row["value"])
    return fact.value == key_value(row) or (as_written and (fact.unit == row["unit"] or is_bare(row["raw"])))


def is_bare(raw: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[0-9.]+", raw_key(raw)))


def raws_agree(key_raw: str, fact_raw: str) -> bool:
    a, b = raw_key(key_raw), raw_key(fact_raw)
    return bool(a and b) and (a == b or a in b or b in a)


def subject_names(subject_alternatives: str, name: str) -> bool:
    """A name names a key subject ("A|B" lists alternatives) when it contains one, or is a
    part of one of at least 2 characters and at least half its length (quotes, brackets
    and spaces ignored): "三公经费" names "三公经费预算", "支出" does not name "人员经费支出"."""
    name = name.translate(_QUOTES)
    for want in subject_alternatives.split("|"):
        want = want.translate(_QUOTES)
        if want and (want in name or (len(name) >= 2 and 2 * len(name) >= len(want) and name in want)):
            return True
    return False


def label_names(label: str, labels: dict) -> list[str]:
    entry = labels.get(label)
    return [entry.display, *entry.synonyms] if entry else []


def owns_subject(fact: Fact, key_subject: str, labels: dict) -> bool:
    """The fact's own subject (not its sentence) names the key subject: its subject as
    written or its label's display/synonyms from patterns/labels.toml."""
    return any(subject_names(key_subject, n) for n in [fact.subject, *label_names(fact.label, labels)] if n)


def not_this_year(fact: Fact, year: int | None) -> bool:
    return fact.role.value == "prior" or (fact.year is not None and year is not None and fact.year != year)


def match_rows(rows: list[dict], facts: list[Fact], places: dict[int, frozenset], place_of) -> list[tuple[dict, Fact | None]]:
    """Each key row -> an unused fact at its line's place with its value and raw: first the
    facts whose raw is equal (normalised), then those whose raw contains or is contained in
    the row's; rows in file order, facts in reading order, each fact used once."""
    used: set[int] = set()
    hits: dict[int, int] = {}
    for exact in (True, False):
        for n, row in enumerate(rows):
            if n in hits:
                continue
            where = places.get(int(row["line"]), frozenset())
            for i, fact in enumerate(facts):
                if i in used or fact.value is None or place_of(fact) not in where:
                    continue
                same = raw_key(row["raw"]) == raw_key(fact.raw)
                if values_agree(row, fact) and (same if exact else raws_agree(row["raw"], fact.raw)):
                    hits[n] = i
                    used.add(i)
                    break
    return [(row, facts[hits[n]] if n in hits else None) for n, row in enumerate(rows)]


# inconsistency kind -> the check families (patterns/checks.toml) whose findings can cite it
CITING_FAMILIES = {
    "sum_mismatch": {"sum", "annex_internal", "change", "share", "text_vs_annex", "count"},
    "count_vs_names": {"count", "sum"},
    "rate_mismatch": {"share", "change", "text_vs_annex"},
    "score_vs_completion": {"score"},
}
ANY_ARITHMETIC = {"sum", "annex_internal", "change", "share", "text_vs_annex", "count", "score", "cross_year"}


def cited(inconsistency: dict, cited_raws: list[tuple[str, set[str]]]) -> bool:
    """An inconsistency is cited when one failing error/warning check of a family that can
    find it (CITING_FAMILIES; completeness and form checks never do) names at least two of
    its raws among its facts (all of them when it lists fewer)."""
    want = {raw_key(r) for r in inconsistency["raws"].split("|") if r.strip()}
    need = min(2, len(want))
    families = CITING_FAMILIES.get(inconsistency["kind"], ANY_ARITHMETIC)
    return any(family in families and sum(1 for w in want if names_raw(w, raws)) >= need
               for family, raws in cited_raws)


def names_raw(key_raw: str, fact_raws: set[str]) -> bool:
    """A key raw is named by a fact raw equal to it, or by the figure of an N个X raw the key
    wrote with its counted noun ("8个" names "8个项目", never "18个项目" nor "8.5个")."""
    return key_raw in fact_raws or any(
        key_raw.startswith(raw) and not re.match(r"[0-9.]", key_raw[len(raw):]) for raw in fact_raws if raw)


def real_score(stem: str, rows: list[dict], inconsistencies: list[dict], facts: list[Fact],
               places: dict[int, frozenset], place_of, labels: dict, year: int | None,
               error_messages: list[str], cited_raws: list[tuple[str, set[str]]]) -> RealScore:
    pairs = match_rows(rows, facts, places, place_of)
    matched = [(r, f) for r, f in pairs if f is not None]
    owned = [(r, f) for r, f in matched if owns_subject(f, r["subject"], labels)]
    labelled = [(r, f) for r, f in matched if f.label]
    prior = [(r, f) for r, f in matched if r["year"] != "this"]
    return RealScore(
        stem=stem, rows=len(rows), matched=len(matched), own_subject=len(owned),
        labelled=len(labelled),
        label_ok=sum(1 for r, f in labelled if any(subject_names(r["subject"], n) for n in label_names(f.label, labels))),
        prior_rows=len(prior), prior_ok=sum(1 for r, f in prior if not_this_year(f, year)),
        errors=len(error_messages), inconsistencies=len(inconsistencies),
        cited=sum(1 for i in inconsistencies if cited(i, cited_raws)),
        missed=tuple((int(r["line"]), r["raw"], r["subject"]) for r, f in pairs if f is None),
        unowned=tuple((int(r["line"]), r["raw"], r["subject"], f.subject or f.label)
                      for r, f in matched if (r, f) not in owned),
        error_messages=tuple(error_messages),
    )

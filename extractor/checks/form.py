"""Form checks on the 自评表 (domain.md §7): 三级指标 under 产出 and 效益, empty or
placeholder targets, template rows and (参考提纲) left in, the same 偏差原因 repeated
across rows. Word lists and thresholds are data in patterns/scoring.toml.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import CheckResult, Extraction, Fact, Status
from .registry import register, register_input
from .scoring_facts import IndicatorRow, indicator_rows, self_eval_facts
from .scoring_rules import ScoringRule, rules_for, run_table_rules
from .select import is_text

if TYPE_CHECKING:
    from ..patterns import Patterns

FILLER_LABEL = "template.filler"  # the annex's fact for a "……" or "（参考提纲）" row
OPERATORS = "≥≤<>=＝﹦"
PUNCTUATION = "。．.；;，,、：:！!　 \t\r\n"


def normalize_text(text: str) -> str:
    """Whitespace removed and trailing punctuation dropped: how repeated text is compared."""
    return re.sub(r"\s+", "", text).strip(PUNCTUATION)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_filler(names: list[str], name: str) -> bool:
    return _compact(name) in names


@dataclass(frozen=True)
class FormInput:
    """What every form rule reads: the extraction and its 自评表 indicator rows."""

    extraction: Extraction
    rows: list[IndicatorRow]
    fillers: list[str]  # 三级指标 names of template filler rows ("……")

    @property
    def real_rows(self) -> list[IndicatorRow]:
        return [r for r in self.rows if _compact(r.name) and not _is_filler(self.fillers, r.name)]


@register("form.indicator_levels", reads="form", required={"required": "strings"},
          placeholders=frozenset({"level1"}))
def check_indicator_levels(rule: ScoringRule, form: FormInput) -> list[CheckResult]:
    if not form.rows:
        return [rule.result(Status.SKIPPED, missing=("indicator.target",))]
    results = []
    for level1 in rule.params["required"]:
        under = [r for r in form.real_rows if level1 in _compact(r.path[0])]
        ids = tuple(i for r in under for i in r.fact_ids)
        if under:
            results.append(rule.result(Status.PASS, fact_ids=ids, subject=level1))
        else:
            message = rule.render(level1=level1)
            results.append(rule.result(Status.FAIL, message, subject=level1))
    return results


def _placeholder(rule: ScoringRule, row: IndicatorRow) -> str | None:
    """The placeholder text of the row's target, '' when it is empty, None when filled."""
    target = row.cells.get("indicator.target")
    if target is None:
        return ""
    if target.value is not None:
        return None
    text = _compact(target.text_value if target.text_value is not None else target.raw)
    bare = text.lstrip(OPERATORS)
    if text in rule.params["texts"] or bare in rule.params["texts"]:
        return text
    if any(re.search(p, bare) for p in rule.params["patterns"]):
        return text
    return None


@register("form.placeholder_target", reads="form", required={"texts": "strings", "patterns": "regexes"},
          placeholders=frozenset({"subject", "target"}))
def check_placeholder_targets(rule: ScoringRule, form: FormInput) -> list[CheckResult]:
    real = form.real_rows
    if not real:
        return [rule.result(Status.SKIPPED, missing=("indicator.target",))]
    results = []
    for row in real:
        text = _placeholder(rule, row)
        if text is not None:
            message = rule.render(subject=row.name, target=text or "（空）")
            results.append(rule.result(Status.FAIL, message, fact_ids=row.fact_ids, subject=row.name))
    return results or [rule.result(Status.PASS, fact_ids=tuple(i for r in real for i in r.fact_ids))]


def _marker_hits(rule: ScoringRule, extraction: Extraction) -> list[tuple[str, str, tuple[str, ...]]]:
    """(subject, marker, fact ids) for every distinct text that still holds a template marker:
    fact text and sentences, then outline lines (headings carry no figures, so no facts)."""
    hits: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    markers = rule.params["markers"]
    for fact in extraction.facts:
        if fact.label == FILLER_LABEL:
            continue  # reported per table by _template_rows
        for text in (fact.raw, fact.text_value or "", fact.sentence):
            marker = next((m for m in markers if m in text), None)
            if marker and text not in hits:
                subject = fact.subject or ("报告正文" if is_text(fact) else "自评表")
                hits[text] = (subject, marker, (fact.id,))
    for line in extraction.outline:
        marker = next((m for m in markers if m in line), None)
        if marker and not any(line in text for text in hits):
            hits[line] = (line.replace(marker, "").strip() or "报告正文", marker, ())
    return list(hits.values())


def _template_rows(rule: ScoringRule, extraction: Extraction) -> list[CheckResult]:
    """One result per annex table part for its template rows (the annex's template.filler facts)."""
    by_part: dict[tuple[str, int | None, str], list[Fact]] = defaultdict(list)
    for fact in extraction.facts:
        if fact.label == FILLER_LABEL:
            by_part[(fact.locator.source, fact.locator.table, fact.subject)].append(fact)
    results = []
    for (_, _, subject), facts in by_part.items():
        first = facts[0].text_value or facts[0].raw
        text = first if len(facts) == 1 else f"{first}（共{len(facts)}行）"
        message = rule.render(subject=subject, text=text)
        results.append(rule.result(Status.FAIL, message, fact_ids=tuple(f.id for f in facts), subject=subject))
    return results


@register("form.template_left", reads="form", required={"markers": "strings", "filler_names": "strings"},
          placeholders=frozenset({"subject", "text"}))
def check_template_left(rule: ScoringRule, form: FormInput) -> list[CheckResult]:
    extraction = form.extraction
    results = _template_rows(rule, extraction)
    filler_rows = [r for r in form.rows if _is_filler(rule.params["filler_names"], r.name)]
    if filler_rows:
        ids = tuple(i for r in filler_rows for i in r.fact_ids)
        text = f"{filler_rows[0].name}（共{len(filler_rows)}行）"
        message = rule.render(subject="绩效指标", text=text)
        results.append(rule.result(Status.FAIL, message, fact_ids=ids, subject="绩效指标"))
    for subject, marker, fact_ids in _marker_hits(rule, extraction):
        message = rule.render(subject=subject, text=marker)
        results.append(rule.result(Status.FAIL, message, fact_ids=fact_ids, subject=subject))
    if not extraction.facts and not extraction.outline:
        return [rule.result(Status.SKIPPED, missing=("facts",))]
    return results or [rule.result(Status.PASS)]


def reason_texts(
    rows: list[IndicatorRow], ignore: list[str], min_length: int
) -> dict[str, list[IndicatorRow]]:
    """Normalised 偏差原因 text -> the rows that give it (ignored and too-short texts left out)."""
    skip = {normalize_text(t) for t in ignore}
    by_text: dict[str, list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        fact = row.cells.get("indicator.reason")
        if fact is None:
            continue
        text = normalize_text(fact.text_value if fact.text_value is not None else fact.raw)
        if len(text) >= min_length and text not in skip:
            by_text[text].append(row)
    return by_text


def first_names(names: Sequence[str], limit: int = 5) -> str:
    """The first `limit` names joined with 、, and 等 when there are more."""
    return "、".join(names[:limit]) + ("等" if len(names) > limit else "")


@register("form.repeated_reason", reads="form", required={"min_rows": "number", "min_length": "number", "ignore": "strings"},
          placeholders=frozenset({"text", "count", "rows"}))
def check_repeated_reason(rule: ScoringRule, form: FormInput) -> list[CheckResult]:
    real = form.real_rows
    if not any("indicator.reason" in r.cells for r in real):
        return [rule.result(Status.SKIPPED, missing=("indicator.reason",))]
    by_text = reason_texts(real, rule.params["ignore"], int(rule.number("min_length")))
    results = []
    for text, same in sorted(by_text.items(), key=lambda kv: (kv[1][0].order, kv[0])):
        if len(same) >= rule.number("min_rows"):
            ids = tuple(r.cells["indicator.reason"].id for r in same)
            message = rule.render(text=text, count=len(same), rows=first_names([r.name for r in same]))
            results.append(rule.result(Status.FAIL, message, fact_ids=ids, subject=text))
    return results or [rule.result(Status.PASS)]


def form_input(extraction: Extraction, rules: dict[str, ScoringRule]) -> FormInput:
    """What the form kinds read: the 自评表 indicator rows, template fillers by name."""
    fillers = list(rules["form.template_left"].params["filler_names"])
    return FormInput(extraction, indicator_rows(self_eval_facts(extraction)), fillers)


register_input("form", form_input)


def run_form_checks(
    extraction: Extraction, province: str | None = None, patterns: Patterns | None = None
) -> list[CheckResult]:
    """Every enabled form rule on one submission's 自评表 and text."""
    return run_table_rules(extraction, rules_for(extraction, province, patterns), "form")

"""Accuracy of the checks on the sample batch (samples/batch/truth.json, helper C).

For every submission: read, extract and check it as `extractor check` does (plus the batch's
cross-year checks when the batch holds last year's report of the same unit), then
- recall: a planted discrepancy is found when a failed check cites one of its planted
  figures (same file, same number as written);
- false findings: error-severity findings that cite no planted figure (on unplanted units
  every error finding is false).
Prints one line per report and the totals. Usage: .venv/bin/python bench/accuracy_checks.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.model import CheckResult, Fact, Severity, Status
from extractor.pipeline import process_submission

BATCH = ROOT / "samples" / "batch"


def number_of(raw: str) -> str:
    digits = raw.translate(str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")).replace(",", "")
    found = re.search(r"\d+(?:\.\d+)?", digits)
    return found.group(0) if found else raw


def fact_key(fact: Fact) -> tuple[str, str]:
    return fact.locator.source, number_of(fact.raw)


def figure_key(figure: dict) -> tuple[str, str]:
    return figure["file"], number_of(figure["raw"])


def cited(check: CheckResult, facts: dict[str, Fact]) -> set[tuple[str, str]]:
    return {fact_key(facts[i]) for i in check.fact_ids if i in facts}


def run_submission(entry: dict, prior: dict | None) -> tuple[list[CheckResult], dict[str, Fact]]:
    paths = sorted({BATCH / f["path"] for f in entry["files"]})
    result = process_submission(paths, BATCH)
    checks = list(result.checks)
    facts = {f.id: f for f in result.extraction.facts}
    if prior is not None and entry["year"]:
        from extractor.checks.crossyear import cross_year_checks

        last = process_submission(sorted({BATCH / f["path"] for f in prior["files"]}), BATCH)
        checks += cross_year_checks(result.extraction, entry["year"], last.extraction)
        facts.update({f.id: f for f in last.extraction.facts})
    return checks, facts


def score_submission(entry: dict, checks: list[CheckResult], facts: dict[str, Fact]) -> dict:
    failed = [c for c in checks if c.status is Status.FAIL]
    planted_keys = set()
    found = []
    for plant in entry["plants"]:
        keys = {figure_key(f) for f in plant["figures"] if f.get("planted")} or {
            figure_key(f) for f in plant["figures"]
        }
        planted_keys |= keys
        found.append(any(cited(c, facts) & keys for c in failed))
    errors = [c for c in failed if c.severity is Severity.ERROR]
    false = [c for c in errors if not cited(c, facts) & planted_keys]
    warnings = [c for c in failed if c.severity is not Severity.ERROR]
    return {"plants": entry["plants"], "found": found, "errors": errors, "false": false, "warnings": warnings}


def main() -> int:
    truth = json.loads((BATCH / "truth.json").read_text(encoding="utf-8"))
    entries = truth["submissions"]
    by_unit_year = {(e["unit"], e["year"]): e for e in entries}
    totals: Counter[str] = Counter()
    missed_families: Counter[str] = Counter()
    for entry in entries:
        prior = by_unit_year.get((entry["unit"], (entry["year"] or 0) - 1))
        checks, facts = run_submission(entry, prior)
        score = score_submission(entry, checks, facts)
        planted, hit = len(score["plants"]), sum(score["found"])
        totals.update(
            plants=planted,
            found=hit,
            errors=len(score["errors"]),
            warnings=len(score["warnings"]),
            false=len(score["false"]),
            units=1,
            clean_units=int(not planted),
            clean_with_error=int(not planted and bool(score["errors"])),
        )
        for plant, ok in zip(score["plants"], score["found"]):
            if not ok:
                missed_families[plant["family"]] += 1
        misses = [p["description"] for p, ok in zip(score["plants"], score["found"]) if not ok]
        falses = [f"{c.rule_id}: {c.message}" for c in score["false"]]
        print(
            f"{entry['unit']} {entry['year']}: plants {planted}, found {hit}, error findings "
            f"{len(score['errors'])}, false {len(score['false'])}"
            + (f"\n    missed: {misses}" if misses else "")
            + (f"\n    false: {falses}" if falses else "")
        )
    recall = totals["found"] / totals["plants"] if totals["plants"] else 1.0
    print(
        f"\nunits {totals['units']}, planted {totals['plants']}, found {totals['found']}, recall {recall:.3f}"
    )
    print(
        f"error findings {totals['errors']}, false error findings {totals['false']}; unplanted units "
        f"{totals['clean_units']}, of which with an error finding {totals['clean_with_error']}"
    )
    print(f"warning/info findings {totals['warnings']} (advisory or platform rules; not counted as false)")
    if missed_families:
        print("missed by family:", dict(missed_families))
    return 0 if totals["found"] == totals["plants"] and totals["false"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The issue-12 shapes of samples/batch, read by the tool: a 部门整体 report written inside one big
table (layout table_prose) and 项目支出 reports (layout project), with plants of their own shape.

Each plant must be found (a failed check cites its planted figure, as bench/accuracy_checks.py
scores it) and no error-severity finding may cite no planted figure, except the tool gaps listed
below with their cause: the test fails when one of them is fixed, so the list stays true."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "samples" / "batch"
sys.path.insert(0, str(ROOT / "bench"))

from accuracy_checks import run_submission, score_submission

SHAPES = ("table_prose", "project")
CODES = ["u33", "u34", "u35", "u36", "u37"]
MISSED: dict[str, str] = {}  # plant id -> why the tool does not find it yet
FALSE_ERRORS: dict[tuple[str, str], str] = {}  # (code, rule id) -> why


@cache
def shaped() -> tuple[dict, ...]:
    truth = json.loads((BATCH / "truth.json").read_text(encoding="utf-8"))
    return tuple(s for s in truth["submissions"] if s["layout"] in SHAPES)


@cache
def scored(code: str) -> dict:
    entry = next(s for s in shaped() if s["code"] == code)
    return score_submission(entry, *run_submission(entry, None))


def test_the_batch_has_both_shapes_planted_and_clean():
    by_layout = {layout: [s for s in shaped() if s["layout"] == layout] for layout in SHAPES}
    for layout, subs in by_layout.items():
        assert any(s["plants"] for s in subs) and any(not s["plants"] for s in subs), layout
    families = {p["family"] for s in shaped() for p in s["plants"]}
    assert {"count", "sum", "share", "text_vs_annex"} <= families
    tables = [f for s in by_layout["table_prose"] for f in s["figures"] if "table" in f["where"]
              and f["where"]["part"] == "narrative"]
    assert len(tables) > 60  # the prose is in the cells of the big table


@pytest.mark.parametrize("code", CODES)
def test_plants_of_the_new_shapes_are_found(code):
    result = scored(code)
    found = {p["id"]: ok for p, ok in zip(result["plants"], result["found"])}
    assert found == {i: i not in MISSED for i in found}


@pytest.mark.parametrize("code", CODES)
def test_no_false_error_findings_on_the_new_shapes(code):
    false = sorted({c.rule_id for c in scored(code)["false"]})
    assert false == sorted(rule for (c, rule) in FALSE_ERRORS if c == code)


def test_the_new_shapes_are_regenerated_byte_for_byte(tmp_path):
    """The committed u33 (table_prose) and u35 (project, Yunnan rows) are what the generator writes."""
    sys.path.insert(0, str(ROOT / "samples"))
    from gen import batch

    seed = json.loads((BATCH / "truth.json").read_text(encoding="utf-8"))["seed"]
    batch.generate(tmp_path, seed=seed, pdf=False, codes={"u33", "u35"})
    files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.docx"))
    assert len(files) == 2
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (BATCH / rel).read_bytes(), f"committed {rel} is stale"

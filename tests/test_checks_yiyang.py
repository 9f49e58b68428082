"""The Yiyang sample against the hand-worked tests/reference/expected_discrepancies.csv:
exactly the findings listed, and every rounding trap listed checked and passed."""

import csv
import re
from pathlib import Path

import pytest

from extractor.model import Status
from extractor.pipeline import process_submission

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "yiyang_hpf_2024"
EXPECTED = ROOT / "tests" / "reference" / "expected_discrepancies.csv"


def expected_rows():
    with EXPECTED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def numbers(raw: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", raw.replace(",", "")))


def cites(result, by_id, figures: str) -> bool:
    found = (
        set().union(*(numbers(by_id[i].raw) for i in result.fact_ids if i in by_id))
        if result.fact_ids
        else set()
    )
    return set(filter(None, figures.split("|"))) <= found  # a template row cites no figure


@pytest.fixture(scope="module", params=["yiyang_hpf_2024.docx", "yiyang_hpf_2024.pdf"])
def checked(request):
    result = process_submission([SAMPLE / request.param], SAMPLE)
    return result, {f.id: f for f in result.extraction.facts}


def test_findings_match_the_hand_worked_list_exactly(checked):
    result, by_id = checked
    wanted = [r for r in expected_rows() if r["expect"] == "finding"]
    failed = [c for c in result.checks if c.status is Status.FAIL]
    assert len(failed) == len(wanted) == len(result.findings), [c.message for c in failed]
    for row in wanted:
        match = [
            c
            for c in failed
            if c.rule_id == row["rule"]
            and c.severity.value == row["severity"]
            and c.level.value == row["level"]
            and cites(c, by_id, row["figures"])
        ]
        assert len(match) == 1, row


def test_rounding_traps_are_checked_and_pass(checked):
    result, by_id = checked
    for row in (r for r in expected_rows() if r["expect"] == "pass"):
        match = [c for c in result.checks if c.rule_id == row["rule"] and cites(c, by_id, row["figures"])]
        assert match and all(c.status is Status.PASS for c in match), row


def edited_yiyang(tmp_path: Path, old: str, new: str) -> Path:
    """The Yiyang DOCX with one narrative figure rewritten (a real file through the real readers)."""
    import docx

    document = docx.Document(str(SAMPLE / "yiyang_hpf_2024.docx"))
    paragraph = next(p for p in document.paragraphs if old in p.text)
    runs = [r for r in paragraph.runs if old in r.text]
    if runs:
        runs[0].text = runs[0].text.replace(old, new)
    else:
        paragraph.text = paragraph.text.replace(old, new)
    path = tmp_path / "yiyang_edited.docx"
    document.save(str(path))
    return path


def test_text_one_unit_off_a_balanced_annex_is_rounding_rebalanced(tmp_path):
    path = edited_yiyang(tmp_path, "公务接待费支出0.54万元", "公务接待费支出0.55万元")
    result = process_submission([path], tmp_path)
    [pair] = [c for c in result.checks if c.rule_id == "text_annex.reception"]
    assert pair.status is Status.FAIL and pair.level.value == "advisory" and pair.severity.value == "warning"
    assert "舍位平衡" in pair.message
    assert all(f.severity.value != "error" for f in result.findings)  # 5.81 + 0.55 still meets 6.35


def test_text_figure_off_beyond_one_unit_is_mandatory(tmp_path):
    path = edited_yiyang(tmp_path, "公务接待费支出0.54万元", "公务接待费支出0.64万元")
    result = process_submission([path], tmp_path)
    failed = {c.rule_id: c for c in result.checks if c.status is Status.FAIL}
    assert failed["text_annex.reception"].level.value == "mandatory"
    assert failed["sum.three_public"].severity.value == "error"  # 5.81 + 0.64 = 6.45 against 6.35

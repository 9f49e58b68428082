import json
import shutil
from pathlib import Path

import pytest

from extractor.datafiles import DEFAULT_PATTERNS_DIR
from extractor.errors import PatternError
from extractor.facts import NarrativeExtractor
from extractor.model import Kind
from extractor.patterns import load_patterns


@pytest.fixture
def patterns_copy(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(DEFAULT_PATTERNS_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_patterns_load():
    patterns = load_patterns()
    names = {rule.name for rule in patterns.rules}
    assert {"quantity.MONEY", "quantity.PERCENT_POINT", "non_quantity.HOTLINE", "non_quantity.YEAR"} <= names
    assert patterns.labels["expenditure.personnel"].kind is Kind.AMOUNT
    assert "人员经费支出" in patterns.labels["expenditure.personnel"].synonyms
    assert all(p["id"] for p in patterns.span_patterns)


def raises(directory: Path, *fragments: str) -> str:
    with pytest.raises(PatternError) as info:
        load_patterns(directory)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    return message


def test_bad_regex_names_file_and_fragment(patterns_copy):
    edit(patterns_copy / "quantities.toml", "SP = '[ \\t]?", "SP = '[ \\t?")
    raises(patterns_copy, "quantities.toml", "fragments.SP", "E201")


def test_unknown_reference(patterns_copy):
    edit(patterns_copy / "quantities.toml", "pattern = '{NUM}{SP}{MONEY_UNIT}'", "pattern = '{NUM}{SP}{MONY}'")
    raises(patterns_copy, "quantities.toml", "quantity.MONEY", "{MONY}")


def test_cycle_between_fragments(patterns_copy):
    edit(patterns_copy / "quantities.toml", "SCALE = '(?:万亿|千|万|亿)'", "SCALE = '{MONEY_UNIT}'")
    raises(patterns_copy, "quantities.toml", "循环引用")


def test_unknown_kind(patterns_copy):
    edit(patterns_copy / "quantities.toml", 'kind = "amount"', 'kind = "money"')
    raises(patterns_copy, "quantities.toml", "quantity.MONEY.kind", "money")


def test_label_with_unknown_kind(patterns_copy):
    edit(patterns_copy / "labels.toml", 'kind = "headcount"', 'kind = "people"')
    raises(patterns_copy, "labels.toml", "labels.staff.total.kind")


def test_duplicate_synonym_across_labels(patterns_copy):
    edit(patterns_copy / "labels.toml", 'synonyms = ["基本支出"]', 'synonyms = ["基本支出", "人员经费"]')
    raises(patterns_copy, "labels.toml", "人员经费", "expenditure.")


def test_jsonl_pattern_without_id(patterns_copy):
    path = patterns_copy / "entities.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"label": "DIRECTION", "pattern": "增补"}, ensure_ascii=False) + "\n")
    raises(patterns_copy, "entities.jsonl", "id")


def test_jsonl_label_pattern_must_name_a_label(patterns_copy):
    path = patterns_copy / "entities.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"label": "LABEL", "id": "no.such", "pattern": "某某"}, ensure_ascii=False) + "\n")
    raises(patterns_copy, "entities.jsonl", "no.such")


def test_edited_patterns_change_extraction(patterns_copy):
    """The domain team adds a synonym without touching code, and the label appears."""
    from extractor.model import Block, BlockKind, Document, Format

    doc = Document("a.docx", Format.DOCX, "0", blocks=(Block(0, BlockKind.PARAGRAPH, "机关运行费120.5万元。"),))
    assert NarrativeExtractor(patterns_copy).extract(doc).facts[0].label == ""
    edit(patterns_copy / "labels.toml", 'synonyms = ["公用经费", ', 'synonyms = ["机关运行费", "公用经费", ')
    assert NarrativeExtractor(patterns_copy).extract(doc).facts[0].label == "expenditure.public"


def test_label_role_must_be_known(patterns_copy):
    edit(patterns_copy / "labels.toml", 'kind = "percent"\nrole = "rate"', 'kind = "percent"\nrole = "ratio"')
    raises(patterns_copy, "labels.toml", ".role", "ratio")


def test_measure_on_a_label_phrase_must_be_known(patterns_copy):
    path = patterns_copy / "entities.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"label": "LABEL", "id": "funding.total#spent", "pattern": "花掉"}, ensure_ascii=False) + "\n")
    raises(patterns_copy, "entities.jsonl", "spent")


def test_unit_header_needs_its_unit_group(patterns_copy):
    edit(patterns_copy / "quantities.toml", "(?P<unit>万元|亿元|千元|元)|", "(?:万元|亿元|千元|元)|")
    edit(patterns_copy / "quantities.toml", "(?P<unit>万元|亿元|千元|元)\\s?[)）]", "(?:万元|亿元|千元|元)\\s?[)）]")
    raises(patterns_copy, "quantities.toml", "unit_header.pattern", "unit")

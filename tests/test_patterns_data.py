import json
import shutil
from pathlib import Path

import pytest

from extractor.datafiles import DEFAULT_PATTERNS_DIR
from extractor.errors import PatternError
from extractor.model import Kind
from extractor.narrative.facts import NarrativeExtractor
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


# (file, old text, new text, what the error must name): one bad edit each
BAD_EDITS = [
    ("quantities.toml", "SP = '[ \\t]?", "SP = '[ \\t?", ("fragments.SP", "E201")),
    ("quantities.toml", "pattern = '{NUM}{SP}{MONEY_UNIT}'", "pattern = '{NUM}{SP}{MONY}'",
     ("quantity.MONEY", "{MONY}")),
    ("quantities.toml", "SCALE = '(?:万亿|千|万|亿)'", "SCALE = '{MONEY_UNIT}'", ("循环引用",)),
    ("quantities.toml", 'kind = "amount"', 'kind = "money"', ("quantity.MONEY.kind", "money")),
    ("labels.toml", 'kind = "headcount"', 'kind = "people"', ("labels.staff.total.kind",)),
    ("labels.toml", 'synonyms = ["基本支出"]', 'synonyms = ["基本支出", "人员经费"]', ("人员经费", "expenditure.")),
    ("labels.toml", 'kind = "percent"\nrole = "rate"', 'kind = "percent"\nrole = "ratio"', (".role", "ratio")),
]
BAD_ROWS = [  # entities.jsonl rows, and what the error must name
    ({"label": "DIRECTION", "pattern": "增补"}, ("id",)),
    ({"label": "LABEL", "id": "no.such", "pattern": "某某"}, ("no.such",)),
    ({"label": "LABEL", "id": "funding.total#spent", "pattern": "花掉"}, ("spent",)),
]


@pytest.mark.parametrize("name, old, new, named", BAD_EDITS, ids=lambda v: str(v)[:20])
def test_bad_edit_names_file_and_key(patterns_copy, name, old, new, named):
    edit(patterns_copy / name, old, new)
    raises(patterns_copy, name, *named)


@pytest.mark.parametrize("row, named", BAD_ROWS, ids=lambda v: str(v)[:30])
def test_bad_jsonl_row_names_file_and_key(patterns_copy, row, named):
    with (patterns_copy / "entities.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    raises(patterns_copy, "entities.jsonl", *named)


def test_unit_header_needs_its_unit_group(patterns_copy):
    edit(patterns_copy / "quantities.toml", "(?P<unit>万元|亿元|千元|元)|[", "(?:万元|亿元|千元|元)|[")
    edit(patterns_copy / "quantities.toml", "(?P<unit>万元|亿元|千元|元)\\s?[)）]", "(?:万元|亿元|千元|元)\\s?[)）]")
    edit(patterns_copy / "quantities.toml", "得(?P<unit>分)", "得分")
    raises(patterns_copy, "quantities.toml", "unit_header.pattern", "unit")


def test_edited_patterns_change_extraction(patterns_copy):
    """The domain team adds a synonym without touching code, and the label appears."""
    from extractor.model import Block, BlockKind, Document, Format

    doc = Document("a.docx", Format.DOCX, "0", blocks=(Block(0, BlockKind.PARAGRAPH, "机关运行费120.5万元。"),))
    assert NarrativeExtractor(patterns_copy).extract(doc).facts[0].label == ""
    edit(patterns_copy / "labels.toml", 'synonyms = ["公用经费", ', 'synonyms = ["机关运行费", "公用经费", ')
    assert NarrativeExtractor(patterns_copy).extract(doc).facts[0].label == "expenditure.public"


def test_needs_hints_hold_on_the_sample_narratives():
    """A rule's `needs` claims every match holds one of its characters; a pattern edited past
    its hint would silently lose matches, so each hint is checked on real text (with the hint
    off: the rule runs on every text)."""
    root = Path(__file__).resolve().parent.parent / "samples"
    texts = [root.joinpath("yiyang_hpf_2024", "yiyang_hpf_2024.txt").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "gen").glob("*.py"))]  # the templates
    texts.append("约5万元，近3000人，100余万元，5万余元，3月，二季度，1.2万亩，300平方米，20名，86人")
    texts.append("局机关公车二辆小车，十二人，五大生态提质工程，每超过一个百分点扣0.5分，收入12. 5万元，局机关内设股室7，"
                 "(编制219)，100%22否，3%0100%，自评总分(分)97.6，路缘石6200米，干管1100m，100吨水塔，收支总计均为1523.26万，洪水标准10年一遇")  # the real-corpus shapes (issue 12)
    hinted = [rule for rule in load_patterns().rules if rule.needs]
    assert {r.name for r in hinted} >= {"quantity.HEADCOUNT", "non_quantity.APPROXIMATE"}
    for rule in hinted:
        matches = [m.group() for text in texts for m in rule.pattern.finditer(text)]
        assert matches, rule.name
        assert all(any(c in m for c in rule.needs) for m in matches), rule.name

"""patterns/checks.toml is validated on load: wrong data fails at start-up, naming file and key."""

import shutil

import pytest

from extractor.checks import load_rules, run_checks
from extractor.checks.registry import kinds_reading
from extractor.datafiles import DEFAULT_PATTERNS_DIR
from extractor.errors import PatternError
from extractor.model import Extraction
from extractor.patterns import load_patterns

GOOD = """
[[rule]]
id = "sum.basic"
family = "sum"
kind = "sum"
total = "expenditure.basic"
parts = ["expenditure.personnel", "expenditure.public"]
severity = "error"
level = "mandatory"
message = "{subject}{reported}与分项之和{expected}不一致，差额{difference}"
"""


def patterns_with(tmp_path, checks: str):
    shutil.copy(DEFAULT_PATTERNS_DIR / "labels.toml", tmp_path / "labels.toml")
    (tmp_path / "checks.toml").write_text(checks, encoding="utf-8")
    return tmp_path


def test_shipped_rules_load_and_every_kind_is_used_or_generic():
    rules = load_rules()
    assert len({r.id for r in rules.rules}) == len(rules.rules) > 40
    assert {r.kind for r in rules.rules} == set(kinds_reading("facts"))


def test_good_file_loads(tmp_path):
    [rule] = load_rules(patterns_with(tmp_path, GOOD)).rules
    assert rule.params["parts"] == ["expenditure.personnel", "expenditure.public"]


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            ('"expenditure.basic"', '"expenditure.basik"'),
            "rule.sum.basic.total",
            "未知的标签 expenditure.basik",
        ),
        (('kind = "sum"', 'kind = "summ"'), "rule.sum.basic.kind", "未知的规则类型 summ"),
        (("{difference}", "{percent}"), "rule.sum.basic.message", "占位符 {percent}"),
        (('level = "mandatory"', 'level = "must"'), "rule.sum.basic.level", "取值 must 无效"),
        (
            ('parts = ["expenditure.personnel", "expenditure.public"]', "parts = 3"),
            "rule.sum.basic.parts",
            "应为 list",
        ),
        (('severity = "error"', 'severity = "error"\nweight = 2'), "rule.sum.basic.weight", "不认识该参数"),
    ],
)
def test_bad_rule_names_file_and_key(tmp_path, change, key, words):
    directory = patterns_with(tmp_path, GOOD.replace(*change))
    with pytest.raises(PatternError) as info:
        load_rules(directory)
    message = str(info.value)
    assert "checks.toml" in message and key in message and words in message


def test_duplicate_id(tmp_path):
    with pytest.raises(PatternError, match="规则编号重复"):
        load_rules(patterns_with(tmp_path, GOOD + GOOD))


def test_disabled_rule_is_not_run(tmp_path):
    directory = tmp_path / "patterns"
    shutil.copytree(DEFAULT_PATTERNS_DIR, directory)
    patterns_with(directory, GOOD.replace('level = "mandatory"', 'level = "mandatory"\nenabled = false'))
    assert load_rules(directory).rules == ()
    extraction = Extraction(sources=("r.docx",), metadata={"year": "2024"}, facts=())
    assert all(r.rule_id != "sum.basic" for r in run_checks(extraction, load_patterns(directory)))

"""patterns/scoring.toml: the scoring and form rules as validated data, per province.

Each rule's id is a kind of the one registry (extractor.checks.registry), registered by
the module that implements it with the parameters it reads and the placeholders its
message may use (besides its own scalar parameters). A rule the code does not know, a kind
with no rule in the file, a bad enum value, a parameter of the wrong shape or a template
naming an unknown placeholder raises PatternError naming the file and the key, when the
file is loaded, not on document #37.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datafiles import load_toml, patterns_dir
from ..model import CheckResult, Extraction, Level, Reach, Severity, Status
from .registry import (
    INPUTS,
    KINDS,
    build_result,
    check_kind,
    check_params,
    check_placeholders,
    enum_value,
    fail,
    kinds_reading,
    to_decimal,
)

if TYPE_CHECKING:
    from ..patterns import Label, Patterns

SCORING_FILE = "scoring.toml"
TABLE_READS = ("extraction", "form", "batch")  # the kinds whose rules live in scoring.toml
RULE_KEYS = frozenset({"enabled", "title", "severity", "reach", "level", "message", "params"})
__all__ = ["ScoringRule", "ScoringRules", "load_scoring", "rules_for", "run_table_rules", "to_decimal"]


@dataclass(frozen=True)
class ScoringRule:
    id: str
    enabled: bool
    title: str
    severity: Severity
    reach: Reach
    level: Level
    message: str
    params: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # label -> display

    @property
    def family(self) -> str:
        return "form" if self.id.startswith("form.") else "score"

    def number(self, name: str) -> Decimal:
        return to_decimal(self.params[name])

    def render(self, **fields: object) -> str:
        values = {k: v for k, v in self.params.items() if isinstance(v, (str, int, float))}
        values.update(fields)
        return self.message.format(**values)

    def result(self, status: Status, message: str = "", **extra: Any) -> CheckResult:
        """A CheckResult of this rule; pass/skip messages are made from the title. `reach`
        may be given to override the declared one (a narrative figure stood in for a cell)."""
        extra.setdefault("reach", self.reach)
        if not message:
            message = _default_message(self.title, status, extra.get("missing", ()), self.names)
            if extra.get("subject"):
                message = f"{extra['subject']}：{message}"
        return build_result(self, status, message, **extra)


INPUT_NAMES = {"report_text": "报告正文", "other_units": "其他单位的自评表", "facts": "提取结果"}


def input_name(key: str, names: dict[str, str]) -> str:
    return INPUT_NAMES.get(key) or names.get(key, key)


def _default_message(title: str, status: Status, missing: tuple[str, ...], names: dict[str, str]) -> str:
    if status is Status.SKIPPED:
        found = "、".join(dict.fromkeys(input_name(m, names) for m in missing))
        return f"{title}：缺少{found or '所需数据'}，未检查"
    return f"{title}：通过"


def _build_rule(rule_id: str, table: Any, path: Path, key: str, names: dict[str, str]) -> ScoringRule:
    spec = check_kind(rule_id, TABLE_READS, path, key)
    if not isinstance(table, dict):
        raise fail(path, key, "应为表（table）")
    unknown = set(table) - RULE_KEYS
    if unknown:
        raise fail(path, f"{key}.{min(unknown)}", "未知字段")
    for name, kind in (("enabled", bool), ("title", str), ("message", str)):
        if not isinstance(table.get(name), kind):
            raise fail(path, f"{key}.{name}", f"缺少此项或类型不是 {kind.__name__}")
    params = table.get("params", {})
    if not isinstance(params, dict):
        raise fail(path, f"{key}.params", "应为表（table）")
    check_params(spec, params, path, f"{key}.params", names)
    check_placeholders(table["message"], spec.placeholders | set(params), path, f"{key}.message")
    return ScoringRule(
        id=rule_id,
        enabled=table["enabled"],
        title=table["title"],
        severity=enum_value(Severity, table.get("severity"), path, f"{key}.severity"),
        reach=enum_value(Reach, table.get("reach"), path, f"{key}.reach"),
        level=enum_value(Level, table.get("level"), path, f"{key}.level"),
        message=table["message"],
        params=dict(params),
        names=names,
    )


def _override(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **{k: v for k, v in patch.items() if k != "params"}}
    merged["params"] = {**base.get("params", {}), **patch.get("params", {})}
    return merged


def _province_tables(data: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    provinces = data.get("province", {})
    if not isinstance(provinces, dict):
        raise fail(path, "province", "应为表（table）")
    for name, table in provinces.items():
        if not isinstance(table, dict) or set(table) - {"rules"}:
            raise fail(path, f"province.{name}", "只能包含 rules 表")
        for rule_id, patch in table.get("rules", {}).items():
            if rule_id not in data.get("rules", {}):
                raise fail(path, f"province.{name}.rules.{rule_id}", "基础规则中没有此规则")
            if not isinstance(patch, dict):
                raise fail(path, f"province.{name}.rules.{rule_id}", "应为表（table）")
    return provinces


@dataclass(frozen=True)
class ScoringRules:
    """scoring.toml: the base rules ("") and each province's variant, every one validated."""

    by_province: dict[str, dict[str, ScoringRule]]

    def rules(self, province: str | None = None) -> dict[str, ScoringRule]:
        """The rules by id for a province (the base rules for an unknown or no province)."""
        return dict(self.by_province.get(province or "", self.by_province[""]))

    @property
    def provinces(self) -> list[str]:
        return sorted(p for p in self.by_province if p)


def load_scoring(directory: str | Path | None = None, labels: dict[str, Label] | None = None) -> ScoringRules:
    """scoring.toml with every province's overrides applied, validated up front. Read once
    into the Patterns bundle; labels (for the names in skip messages) from patterns.load_labels."""
    from ..patterns import load_labels

    root = patterns_dir(directory)
    labels = labels if labels is not None else load_labels(root)
    names = {label.id: label.display for label in labels.values()}
    path, data = root / SCORING_FILE, load_toml(SCORING_FILE, root)
    base = data.get("rules")
    if not isinstance(base, dict) or not base:
        raise fail(path, "rules", "缺少规则表")
    for rule_id in kinds_reading(*TABLE_READS):
        if rule_id not in base:
            raise fail(path, f"rules.{rule_id}", "缺少此规则（不用时写 enabled = false）")
    provinces = _province_tables(data, path)
    return ScoringRules({name: _province_rules(base, provinces, name, path, names)
                         for name in ["", *sorted(provinces)]})


def _province_rules(base: dict[str, Any], provinces: dict[str, Any], province: str, path: Path,
                    names: dict[str, str]) -> dict[str, ScoringRule]:
    patches = provinces.get(province, {}).get("rules", {})
    rules = {}
    for rule_id, table in base.items():
        key = f"rules.{rule_id}"
        if rule_id in patches:
            table, key = _override(table, patches[rule_id]), f"province.{province}.rules.{rule_id}"
        rules[rule_id] = _build_rule(rule_id, table, path, key, names)
    return rules


def load_scoring_rules(
    directory: str | Path | None = None, province: str | None = None
) -> dict[str, ScoringRule]:
    """Every rule of scoring.toml by id, with the province's overrides applied (uncached:
    for tests and tools; the run reads Patterns.scoring)."""
    return load_scoring(directory).rules(province)


def scoring_of(patterns: Patterns | None) -> ScoringRules:
    """The scoring rules of `patterns`, else of the process's bundle."""
    from ..patterns import active

    scoring = (patterns or active()).scoring
    assert scoring is not None
    return scoring


def rules_for(
    extraction: Extraction, province: str | None = None, patterns: Patterns | None = None
) -> dict[str, ScoringRule]:
    """The rules for one submission: the province from the argument, else its metadata."""
    return scoring_of(patterns).rules(province or extraction.metadata.get("province") or None)


def run_table_rules(extraction: Extraction, rules: dict[str, ScoringRule], *reads: str) -> list[CheckResult]:
    """Every enabled scoring.toml rule whose kind reads one of `reads` ("extraction", "form"),
    in the file's order; each kind gets its input (INPUTS), built once per submission."""
    inputs: dict[str, Any] = {"extraction": extraction}
    results: list[CheckResult] = []
    for rule in rules.values():
        spec = KINDS[rule.id]
        if not rule.enabled or spec.reads not in reads:
            continue
        if spec.reads not in inputs:
            inputs[spec.reads] = INPUTS[spec.reads](extraction, rules)
        results.extend(_guarded(spec.fn, rule, inputs[spec.reads]))
    return results


def _guarded(fn: Any, rule: ScoringRule, subject: Any) -> list[CheckResult]:
    """One broken rule must not lose every other check: its failure is recorded, not hidden."""
    try:
        return list(fn(rule, subject))
    except Exception as exc:  # noqa: BLE001
        message = f"未核查：规则 {rule.id} 出错（{type(exc).__name__}: {exc}）"
        return [build_result(rule, Status.SKIPPED, message, severity=Severity.INFO, missing=(rule.id,),
                             reach=rule.reach, level=Level.ADVISORY)]


def validate_scoring_file(directory: str | Path | None = None) -> list[str]:
    """Load the base rules and every province's variant; the provinces found."""
    return load_scoring(directory).provinces


# ---- result helpers shared by the rule modules -------------------------------------------


def skip(rule: ScoringRule, *missing: str) -> list[CheckResult]:
    return [rule.result(Status.SKIPPED, missing=tuple(missing))]


def absent(**inputs: object) -> tuple[str, ...]:
    """The label ids (keyword names with '.' written '__') whose input is None."""
    return tuple(name.replace("__", ".") for name, value in inputs.items() if value is None)


def bracket(rows: list[dict[str, Any]], value: Decimal) -> dict[str, Any] | None:
    """The first row with lo <= value < hi (no hi: no upper bound)."""
    for row in rows:
        lo = to_decimal(row["lo"])
        hi = to_decimal(row["hi"]) if "hi" in row else None
        if lo <= value and (hi is None or value < hi):
            return row
    return None

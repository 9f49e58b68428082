"""Check rules as data: load patterns/checks.toml and validate every rule up front.

Wrong data fails at start-up with a PatternError naming the file and the key: an
unknown kind, an unknown label, a duplicate id, a missing or mistyped parameter, or a
message placeholder the rule's kind cannot fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..datafiles import load_toml, patterns_dir, require
from ..model import Level, Reach, Severity
from .registry import check_kind, check_params, check_placeholders, enum_value, fail

if TYPE_CHECKING:
    from ..patterns import Label

CHECKS_FILE = "checks.toml"
COMMON_KEYS = {"id", "family", "kind", "severity", "reach", "level", "message", "enabled"}
FAMILIES = {
    "sum",
    "share",
    "change",
    "text_vs_annex",
    "annex_internal",
    "count",
    "completeness",
    "score",
    "cross_year",
}


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    kind: str
    severity: Severity
    level: Level
    reach: Reach | None  # None: derived from where the facts sit
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    labels: dict[str, Label]

    def display(self, label: str) -> str:
        found = self.labels.get(label)
        return found.display if found is not None else label

    def by_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def load_rules(directory: str | Path | None = None, labels: dict[str, Label] | None = None) -> RuleSet:
    """checks.toml (validated against labels.toml's labels, read by patterns.load_labels when
    not given) -> RuleSet, or PatternError. Read once into the Patterns bundle."""
    from ..patterns import load_labels

    data = load_toml(CHECKS_FILE, directory)
    labels = labels if labels is not None else load_labels(patterns_dir(directory))
    path = str(patterns_dir(directory) / CHECKS_FILE)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise fail(path, "rule", "应为 [[rule]] 列表")
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, table in enumerate(raw_rules):
        rule = _parse_rule(table, path, f"rule[{position}]", labels)
        if rule.id in seen:
            raise fail(path, f"rule.{rule.id}", "规则编号重复")
        seen.add(rule.id)
        if table.get("enabled", True):
            rules.append(rule)
    return RuleSet(tuple(rules), labels)


def _parse_rule(table: dict[str, Any], path: str, where: str, labels: dict[str, Any]) -> Rule:
    rule_id = require(table, "id", str, path, where)
    where = f"rule.{rule_id}"
    kind = require(table, "kind", str, path, where)
    spec = check_kind(kind, ("facts",), path, f"{where}.kind")
    family = require(table, "family", str, path, where)
    if family not in FAMILIES:
        raise fail(path, f"{where}.family", f"未知的类别 {family}，可选：{'、'.join(sorted(FAMILIES))}")
    params = {k: v for k, v in table.items() if k not in COMMON_KEYS}
    check_params(spec, params, path, where, labels)
    message = require(table, "message", str, path, where)
    check_placeholders(message, spec.placeholders, path, f"{where}.message")
    for key in spec.templates:
        if key in params:
            check_placeholders(params[key], spec.placeholders, path, f"{where}.{key}")
    return Rule(
        id=rule_id,
        family=family,
        kind=kind,
        severity=enum_value(Severity, require(table, "severity", str, path, where), path, f"{where}.severity"),
        level=enum_value(Level, require(table, "level", str, path, where), path, f"{where}.level"),
        reach=_reach(table.get("reach", "auto"), path, f"{where}.reach"),
        message=message,
        params=params,
    )


def _reach(value: Any, path: str, key: str) -> Reach | None:
    if value == "auto":
        return None
    return enum_value(Reach, str(value), path, key)  # type: ignore[no-any-return]

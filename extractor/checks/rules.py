"""Check rules as data: load patterns/checks.toml and validate every rule up front.

Wrong data fails at start-up with a PatternError naming the file and the key: an
unknown kind, an unknown label, a duplicate id, a missing or mistyped parameter, or a
message placeholder the rule's kind cannot fill.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datafiles import load_toml, patterns_dir, require
from ..errors import PatternError
from ..model import Level, Reach, Severity

CHECKS_FILE = "checks.toml"
LABELS_FILE = "labels.toml"
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
    labels: dict[str, dict[str, Any]]

    def display(self, label: str) -> str:
        return str(self.labels.get(label, {}).get("display", label))

    def by_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """checks.toml (+ labels.toml for validation) -> RuleSet, or PatternError."""
    data = load_toml(CHECKS_FILE, directory)
    labels = load_toml(LABELS_FILE, directory).get("labels", {})
    path = str(patterns_dir(directory) / CHECKS_FILE)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise PatternError("E201", path=path, key="rule", detail="应为 [[rule]] 列表")
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, table in enumerate(raw_rules):
        rule = _parse_rule(table, path, f"rule[{position}]", labels)
        if rule.id in seen:
            raise PatternError("E201", path=path, key=f"rule.{rule.id}", detail="规则编号重复")
        seen.add(rule.id)
        if table.get("enabled", True):
            rules.append(rule)
    return RuleSet(tuple(rules), labels)


def _parse_rule(table: dict[str, Any], path: str, where: str, labels: dict[str, Any]) -> Rule:
    from .kinds import KINDS

    rule_id = require(table, "id", str, path, where)
    where = f"rule.{rule_id}"
    kind = require(table, "kind", str, path, where)
    if kind not in KINDS:
        raise _error(path, f"{where}.kind", f"未知的规则类型 {kind}，可选：{'、'.join(sorted(KINDS))}")
    family = require(table, "family", str, path, where)
    if family not in FAMILIES:
        raise _error(path, f"{where}.family", f"未知的类别 {family}，可选：{'、'.join(sorted(FAMILIES))}")
    spec = KINDS[kind]
    params = {k: v for k, v in table.items() if k not in COMMON_KEYS}
    _check_params(spec, params, path, where, labels)
    message = require(table, "message", str, path, where)
    _check_placeholders(message, spec.placeholders, path, f"{where}.message")
    for key in spec.templates:
        if key in params:
            _check_placeholders(params[key], spec.placeholders, path, f"{where}.{key}")
    return Rule(
        id=rule_id,
        family=family,
        kind=kind,
        severity=_enum(Severity, require(table, "severity", str, path, where), path, f"{where}.severity"),
        level=_enum(Level, require(table, "level", str, path, where), path, f"{where}.level"),
        reach=_reach(table.get("reach", "auto"), path, f"{where}.reach"),
        message=message,
        params=params,
    )


def _check_params(spec: Any, params: dict[str, Any], path: str, where: str, labels: dict[str, Any]) -> None:
    for key, kind in spec.required.items():
        require(params, key, kind, path, where)
    allowed = {**spec.required, **spec.optional}
    for key, value in params.items():
        if key not in allowed:
            raise _error(path, f"{where}.{key}", f"此类型不认识该参数，可选：{'、'.join(sorted(allowed))}")
        if not isinstance(value, allowed[key]):
            raise _error(path, f"{where}.{key}", f"应为 {allowed[key].__name__}")
        if key in spec.label_keys:
            for label in value if isinstance(value, list) else [value]:
                if label not in labels:
                    raise _error(path, f"{where}.{key}", f"未知的标签 {label}（见 labels.toml）")


def _check_placeholders(template: str, allowed: frozenset[str], path: str, key: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise _error(path, key, f"消息模板格式错误：{exc}") from None
    unknown = sorted(n for n in names if n not in allowed)
    if unknown:
        raise _error(
            path, key, f"占位符 {{{unknown[0]}}} 无法由此类型填写，可用：{'、'.join(sorted(allowed))}"
        )


def _enum(enum: Any, value: str, path: str, key: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        options = "、".join(e.value for e in enum)
        raise _error(path, key, f"取值 {value} 无效，可选：{options}") from None


def _reach(value: Any, path: str, key: str) -> Reach | None:
    if value == "auto":
        return None
    return _enum(Reach, str(value), path, key)  # type: ignore[no-any-return]


def _error(path: str, key: str, detail: str) -> PatternError:
    return PatternError("E201", path=path, key=key, detail=detail)

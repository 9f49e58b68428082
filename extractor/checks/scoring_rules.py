"""patterns/scoring.toml: the scoring and form rules as validated data, per province.

Each rule the code implements declares the placeholders its message may use
(RULE_PLACEHOLDERS); a rule in the file that the code does not know, a bad enum value, a
parameter of the wrong type or a template naming an unknown placeholder raises
PatternError naming the file and the key, when the file is loaded, not on document #37.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..datafiles import load_toml, patterns_dir
from ..errors import PatternError
from ..model import CheckResult, Extraction, Level, Reach, Severity, Status

SCORING_FILE = "scoring.toml"

RULE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "score.indicator_deviation": frozenset(
        {"subject", "target", "actual", "ratio", "threshold", "penalty", "points", "score"}
    ),
    "score.total_cap": frozenset({"rate", "bracket", "cap", "total"}),
    "score.low_execution_unexplained": frozenset({"rate", "threshold"}),
    "score.execution_points": frozenset({"points", "expected"}),
    "score.indicator_points": frozenset({"points", "expected", "count"}),
    "score.execution_score": frozenset({"rate", "score", "computed", "points"}),
    "score.total_sum": frozenset({"total", "computed", "budget_score", "indicator_score"}),
    "score.grade": frozenset({"total", "grade", "implied"}),
    "score.red_warning": frozenset({"indicator_rate", "execution_rate", "excess", "threshold"}),
    "score.yellow_zero_budget": frozenset({"budget"}),
    "score.yellow_unspent": frozenset({"budget", "executed", "unspent", "threshold"}),
    "form.indicator_levels": frozenset({"level1"}),
    "form.placeholder_target": frozenset({"subject", "target"}),
    "form.template_left": frozenset({"subject", "text"}),
    "form.repeated_reason": frozenset({"text", "count", "rows"}),
    "form.boilerplate_across_units": frozenset({"text", "count", "units"}),
}

# The parameters each rule reads, and their shape: number, strings (list of str),
# mapping (str -> str), brackets ([{lo, hi, cap}]), grades ([{grade, lo, hi}]).
RULE_PARAMS: dict[str, dict[str, str]] = {
    "score.indicator_deviation": {
        "up_ratio": "number", "down_ratio": "number", "up_operators": "strings",
        "down_operators": "strings", "penalty": "number",
    },
    "score.total_cap": {"brackets": "brackets"},
    "score.low_execution_unexplained": {
        "threshold": "number", "topic_words": "strings", "explanation_words": "strings",
        "window": "number",
    },
    "score.execution_points": {"expected": "number", "indicator_expected": "number"},
    "score.indicator_points": {"expected": "number"},
    "score.execution_score": {"points": "number"},
    "score.total_sum": {},
    "score.grade": {"grades": "grades", "synonyms": "mapping", "patterns": "regexes"},
    "score.red_warning": {
        "threshold": "number", "indicator_points": "number",
    },
    "score.yellow_zero_budget": {},
    "score.yellow_unspent": {"threshold": "number"},
    "form.indicator_levels": {"required": "strings"},
    "form.placeholder_target": {"texts": "strings", "patterns": "regexes"},
    "form.template_left": {"markers": "strings", "filler_names": "strings"},
    "form.repeated_reason": {"min_rows": "number", "min_length": "number", "ignore": "strings"},
    "form.boilerplate_across_units": {"min_units": "number", "min_length": "number", "ignore": "strings"},
}

RULE_KEYS = frozenset({"enabled", "title", "severity", "reach", "level", "message", "params"})


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
            message = _default_message(self.title, status, extra.get("missing", ()))
            if extra.get("subject"):
                message = f"{extra['subject']}：{message}"
        return CheckResult(
            rule_id=self.id,
            family=self.family,
            status=status,
            severity=self.severity,
            message=message,
            level=self.level,
            **extra,
        )


INPUT_NAMES = {"report_text": "报告正文", "other_units": "其他单位的自评表", "facts": "提取结果"}


@lru_cache(maxsize=1)
def _label_names() -> dict[str, str]:
    """Label id -> display name from labels.toml, for messages a reviewer reads."""
    try:
        labels = load_toml("labels.toml").get("labels", {})
    except PatternError:
        return {}
    return {key: str(v.get("display", key)) for key, v in labels.items() if isinstance(v, dict)}


def input_name(key: str) -> str:
    return INPUT_NAMES.get(key) or _label_names().get(key, key)


def _default_message(title: str, status: Status, missing: tuple[str, ...]) -> str:
    if status is Status.SKIPPED:
        names = "、".join(dict.fromkeys(input_name(m) for m in missing))
        return f"{title}：缺少{names or '所需数据'}，未检查"
    return f"{title}：通过"


def to_decimal(value: Any) -> Decimal:
    """A TOML number or numeric string as an exact Decimal (1.3 -> Decimal('1.3'))."""
    if isinstance(value, bool):
        raise ValueError("布尔值不是数")
    return Decimal(str(value))


def _fail(path: Path, key: str, detail: str) -> PatternError:
    return PatternError("E201", path=path, key=key, detail=detail)


def _enum(kind: type, value: Any, path: Path, key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = "、".join(m.value for m in kind)  # type: ignore[attr-defined]
        raise _fail(path, key, f"取值“{value}”无效，可选：{allowed}") from None


def _is_number(value: Any) -> bool:
    try:
        to_decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return False
    return isinstance(value, (int, float, str))


def _rows_ok(value: Any, numbers: tuple[str, ...], texts: tuple[str, ...]) -> bool:
    """A non-empty list of tables with these number and text keys; "hi" may be left out."""
    if not isinstance(value, list) or not value:
        return False
    return all(
        isinstance(row, dict)
        and all(_is_number(row.get(n)) for n in numbers)
        and all(isinstance(row.get(t), str) for t in texts)
        and ("hi" not in row or _is_number(row["hi"]))
        for row in value
    )


def _regexes_ok(value: Any) -> bool:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        return False
    try:
        for pattern in value:
            re.compile(pattern)
    except re.error:
        return False
    return True


PARAM_SHAPES = {
    "regexes": _regexes_ok,
    "number": _is_number,
    "strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "mapping": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "brackets": lambda v: _rows_ok(v, ("lo", "cap"), ()),
    "grades": lambda v: _rows_ok(v, ("lo",), ("grade",)),
}
SHAPE_NAMES = {
    "number": "数（或数字字符串）", "strings": "字符串列表", "mapping": "字符串映射表",
    "brackets": "[{lo, hi, cap}] 表数组", "regexes": "可编译的正则表达式列表", "grades": "[{grade, lo, hi}] 表数组",
}


def _check_params(rule_id: str, params: Any, path: Path, key: str) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise _fail(path, key, "应为表（table）")
    spec = RULE_PARAMS[rule_id]
    for name in params:
        if name not in spec:
            raise _fail(path, f"{key}.{name}", f"未知参数，可用：{'、'.join(spec) or '（无）'}")
    for name, shape in spec.items():
        if name not in params:
            raise _fail(path, f"{key}.{name}", "缺少此参数")
        if not PARAM_SHAPES[shape](params[name]):
            raise _fail(path, f"{key}.{name}", f"应为{SHAPE_NAMES[shape]}")
    return dict(params)


def _check_template(rule_id: str, message: str, params: dict[str, Any], path: Path, key: str) -> None:
    allowed = RULE_PLACEHOLDERS[rule_id] | set(params)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
    except ValueError as exc:
        raise _fail(path, key, f"模板格式错误：{exc}") from None
    for name in fields:
        if name not in allowed:
            raise _fail(path, key, f"模板使用了未知占位符 {{{name}}}，可用：{'、'.join(sorted(allowed))}")


def _build_rule(rule_id: str, table: Any, path: Path, key: str) -> ScoringRule:
    if rule_id not in RULE_PLACEHOLDERS:
        raise _fail(path, key, f"未知规则，已实现的规则：{'、'.join(sorted(RULE_PLACEHOLDERS))}")
    if not isinstance(table, dict):
        raise _fail(path, key, "应为表（table）")
    unknown = set(table) - RULE_KEYS
    if unknown:
        raise _fail(path, f"{key}.{min(unknown)}", "未知字段")
    for name, kind in (("enabled", bool), ("title", str), ("message", str)):
        if not isinstance(table.get(name), kind):
            raise _fail(path, f"{key}.{name}", f"缺少此项或类型不是 {kind.__name__}")
    params = _check_params(rule_id, table.get("params", {}), path, f"{key}.params")
    _check_template(rule_id, table["message"], params, path, f"{key}.message")
    return ScoringRule(
        id=rule_id,
        enabled=table["enabled"],
        title=table["title"],
        severity=_enum(Severity, table.get("severity"), path, f"{key}.severity"),
        reach=_enum(Reach, table.get("reach"), path, f"{key}.reach"),
        level=_enum(Level, table.get("level"), path, f"{key}.level"),
        message=table["message"],
        params=params,
    )


def _override(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **{k: v for k, v in patch.items() if k != "params"}}
    merged["params"] = {**base.get("params", {}), **patch.get("params", {})}
    return merged


def _province_tables(data: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    provinces = data.get("province", {})
    if not isinstance(provinces, dict):
        raise _fail(path, "province", "应为表（table）")
    for name, table in provinces.items():
        if not isinstance(table, dict) or set(table) - {"rules"}:
            raise _fail(path, f"province.{name}", "只能包含 rules 表")
        for rule_id, patch in table.get("rules", {}).items():
            if rule_id not in data.get("rules", {}):
                raise _fail(path, f"province.{name}.rules.{rule_id}", "基础规则中没有此规则")
            if not isinstance(patch, dict):
                raise _fail(path, f"province.{name}.rules.{rule_id}", "应为表（table）")
    return provinces


@lru_cache(maxsize=16)
def _load_cached(directory: str, province: str | None) -> dict[str, ScoringRule]:
    path = patterns_dir(directory) / SCORING_FILE
    data = load_toml(SCORING_FILE, directory)
    base = data.get("rules")
    if not isinstance(base, dict) or not base:
        raise _fail(path, "rules", "缺少规则表")
    for rule_id in RULE_PLACEHOLDERS:
        if rule_id not in base:
            raise _fail(path, f"rules.{rule_id}", "缺少此规则（不用时写 enabled = false）")
    patches = _province_tables(data, path).get(province or "", {}).get("rules", {})
    rules = {}
    for rule_id, table in base.items():
        key = f"rules.{rule_id}"
        if rule_id in patches:
            table, key = _override(table, patches[rule_id]), f"province.{province}.rules.{rule_id}"
        rules[rule_id] = _build_rule(rule_id, table, path, key)
    return rules


def load_scoring_rules(
    directory: str | Path | None = None, province: str | None = None
) -> dict[str, ScoringRule]:
    """Every rule of scoring.toml by id, with the province's overrides applied."""
    chosen = str(patterns_dir(directory))
    return dict(_load_cached(chosen, province))


def rules_for(
    extraction: Extraction, province: str | None = None, patterns: str | Path | None = None
) -> dict[str, ScoringRule]:
    """The rules for one submission: the province from the argument, else its metadata."""
    return load_scoring_rules(patterns, province or extraction.metadata.get("province") or None)


Subject = TypeVar("Subject")


def run_enabled(
    checks: dict[str, Callable[[ScoringRule, Subject], list[CheckResult]]],
    rules: dict[str, ScoringRule],
    subject: Subject,
) -> list[CheckResult]:
    """Every enabled rule of `checks`, in the table's order, on the same input."""
    results: list[CheckResult] = []
    for rule_id, check in checks.items():
        if rules[rule_id].enabled:
            results.extend(check(rules[rule_id], subject))
    return results


def validate_scoring_file(directory: str | Path | None = None) -> list[str]:
    """Load the base rules and every province's variant; the provinces found."""
    data = load_toml(SCORING_FILE, directory)
    provinces = sorted(_province_tables(data, patterns_dir(directory) / SCORING_FILE))
    for name in [None, *provinces]:
        load_scoring_rules(directory, name)
    return provinces


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

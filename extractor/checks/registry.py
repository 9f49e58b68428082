"""The one registry of rule kinds, the one validator of a rule's data against its kind, and
the one builder of a rule's CheckResult.

A kind is a function registered with @register(name, ...), declaring the parameters it
reads, which of them name labels, the message placeholders it fills and what it reads:

- "facts": fn(CheckContext, Rule); used by the [[rule]] tables of patterns/checks.toml
  (many rules may share a kind);
- "extraction" / "form": fn(ScoringRule, input) for the rules of patterns/scoring.toml, whose
  id IS the kind; the input is the Extraction, or what an input builder registered with
  register_input makes of it (form.py: the 自评表 indicator rows);
- "batch": a scoring.toml rule run across submissions by the batch (boilerplate.py).

The kind modules register themselves; extractor/checks/__init__.py imports them by one
explicit list (PLUGINS). This module imports none of them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import PatternError
from ..model import CheckResult, Status

NUMERIC = frozenset({"subject", "reported", "expected", "difference"})
READS = ("facts", "extraction", "form", "batch")
Shape = type | str  # a Python type, or a shape name of SHAPES


@dataclass(frozen=True)
class KindSpec:
    fn: Callable[..., list[CheckResult]]
    reads: str = "facts"
    required: dict[str, Shape] = field(default_factory=dict)
    optional: dict[str, Shape] = field(default_factory=dict)
    label_keys: tuple[str, ...] = ()
    placeholders: frozenset[str] = NUMERIC
    templates: tuple[str, ...] = ()  # extra message-template parameters
    generic: bool = False  # runs after the label rules (it skips what they covered)


KINDS: dict[str, KindSpec] = {}
INPUTS: dict[str, Callable[..., Any]] = {}  # reads -> fn(extraction, rules) giving the kind's input


def register(name: str, **spec: Any) -> Callable[[Callable[..., list[CheckResult]]], Callable[..., list[CheckResult]]]:
    """Register the decorated function as the kind `name` (see KindSpec for the keywords)."""
    def wrap(fn: Callable[..., list[CheckResult]]) -> Callable[..., list[CheckResult]]:
        if name in KINDS:
            raise ValueError(f"rule kind {name} registered twice")
        kind = KindSpec(fn=fn, **spec)
        if kind.reads not in READS:
            raise ValueError(f"rule kind {name}: reads must be one of {READS}")
        KINDS[name] = kind
        return fn

    return wrap


def register_input(reads: str, build: Callable[..., Any]) -> None:
    """What the kinds reading `reads` receive: build(extraction, rules by id)."""
    INPUTS[reads] = build


def kinds_reading(*reads: str) -> dict[str, KindSpec]:
    return {name: spec for name, spec in KINDS.items() if spec.reads in reads}


# ---- the one result builder ---------------------------------------------------------------


def build_result(rule: Any, status: Status, message: str, **fields: Any) -> CheckResult:
    """A CheckResult of `rule` (any rule type with id, family, severity and level); severity
    and level may be overridden (an advisory variant), everything else is the kind's."""
    fields.setdefault("severity", rule.severity)
    fields.setdefault("level", rule.level)
    return CheckResult(rule_id=rule.id, family=rule.family, status=status, message=message, **fields)


# ---- the one validator ----------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal:
    """A TOML number or numeric string as an exact Decimal (1.3 -> Decimal('1.3'))."""
    if isinstance(value, bool):
        raise TypeError("布尔值不是数")
    return Decimal(str(value))


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


SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "number": (_is_number, "数（或数字字符串）"),
    "strings": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "字符串列表"),
    "mapping": (lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()), "字符串映射表"),
    "brackets": (lambda v: _rows_ok(v, ("lo", "cap"), ()), "[{lo, hi, cap}] 表数组"),
    "grades": (lambda v: _rows_ok(v, ("lo",), ("grade",)), "[{grade, lo, hi}] 表数组"),
    "regexes": (_regexes_ok, "可编译的正则表达式列表"),
}


def fits(shape: Shape, value: Any) -> bool:
    return isinstance(value, shape) if isinstance(shape, type) else SHAPES[shape][0](value)


def shape_name(shape: Shape) -> str:
    return shape.__name__ if isinstance(shape, type) else SHAPES[shape][1]


def check_params(spec: KindSpec, params: dict[str, Any], path: Any, where: str, labels: Any) -> None:
    """Every required parameter present, none unknown, each of its shape, label ids known."""
    for key in spec.required:
        if key not in params:
            raise fail(path, f"{where}.{key}", "缺少此项")
    allowed = {**spec.required, **spec.optional}
    for key, value in params.items():
        if key not in allowed:
            raise fail(path, f"{where}.{key}", f"此类型不认识该参数，可选：{'、'.join(sorted(allowed)) or '（无）'}")
        if not fits(allowed[key], value):
            raise fail(path, f"{where}.{key}", f"应为 {shape_name(allowed[key])}")
        if key in spec.label_keys:
            for label in value if isinstance(value, list) else [value]:
                if label not in labels:
                    raise fail(path, f"{where}.{key}", f"未知的标签 {label}（见 labels.toml）")


def check_placeholders(template: str, allowed: frozenset[str] | set[str], path: Any, key: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise fail(path, key, f"消息模板格式错误：{exc}") from None
    unknown = sorted(n for n in names if n not in allowed)
    if unknown:
        raise fail(path, key, f"占位符 {{{unknown[0]}}} 无法由此类型填写，可用：{'、'.join(sorted(allowed))}")


def check_kind(name: str, reads: tuple[str, ...], path: Any, key: str) -> KindSpec:
    """The registered kind `name`, if it reads one of `reads`; else PatternError naming the key."""
    spec = KINDS.get(name)
    if spec is None or spec.reads not in reads:
        known = "、".join(sorted(kinds_reading(*reads)))
        raise fail(path, key, f"未知的规则类型 {name}，可选：{known}")
    return spec


def enum_value(enum: Any, value: Any, path: Any, key: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        options = "、".join(e.value for e in enum)
        raise fail(path, key, f"取值 {value} 无效，可选：{options}") from None


def fail(path: Any, key: str, detail: str) -> PatternError:
    return PatternError("E201", path=path, key=key, detail=detail)

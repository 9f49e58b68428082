"""One table cell's text -> a value: null, amount in a unit, indicator value, text.

Offsets: every parse returns where its value sits in the cell text (char_start,
char_end), so a reviewer's locator points at the figure, also when it follows a label
and a colon inside a label cell ("其中：一般公共预算：1234.56").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import Kind
from ..numbers import UNITS, normalize_digits, parse_number, parse_quantity, plain
from .spec import AnnexSpec

# A number as written in a cell, dash-minus included; full-width digits are normalised first.
_NUM = r"[-—－−–]?\s*\d[\d,，]*(?:\.\d+)?|[-—－−–]?\.\d+"
_HEADER_UNIT = re.compile(r"(?:\(|单位:)\s*([^()\s:]{1,3}?)\s*(?:\)|$)")


@dataclass(frozen=True)
class CellValue:
    """A parsed cell value. value None means null (or text); text_value for qualitative cells."""

    value: Decimal | None
    unit: str
    decimals: int | None
    kind: Kind
    raw: str
    start: int
    end: int
    operator: str | None = None
    text_value: str | None = None


def is_null(text: str, spec: AnnexSpec) -> bool:
    return spec.key(text) in spec.nulls


def is_filler(text: str, spec: AnnexSpec) -> bool:
    return spec.key(text) in spec.fillers


def unit_in_text(text: str, spec: AnnexSpec) -> str | None:
    """（万元） / (%) / 单位：万元 in a header, block label or caption; lost brackets tolerated."""
    key = spec.key(text)
    for match in _HEADER_UNIT.finditer(key):
        unit = spec.units.get(match.group(1))
        if unit:
            return unit
    return None


def stripped_span(text: str) -> tuple[int, int]:
    """The stripped extent of a cell text."""
    stripped = text.strip()
    start = text.find(stripped) if stripped else 0
    return start, start + len(stripped)


def parse_amount(text: str, default_unit: str, kind: Kind, spec: AnnexSpec, offset: int = 0) -> CellValue:
    """A numeric cell: its own unit ("4753.66万元", "0.5亿元") or the column's; null markers -> None.

    Text that is not a number keeps value None and its text in text_value (never invented).
    """
    start, end = stripped_span(text)
    raw = text[start:end]
    base_unit = _base_unit(default_unit) or default_unit
    if is_null(raw, spec):
        return CellValue(None, base_unit, None, kind, raw, start + offset, end + offset)
    quantity = parse_quantity(raw, default_unit if default_unit in UNITS else "")
    if quantity is None or (not quantity.unit and kind not in (Kind.COUNT, Kind.TEXT)):
        number = parse_number(raw)
        if number is None:
            return CellValue(None, base_unit, None, kind, raw, start + offset, end + offset, text_value=raw)
        return CellValue(number[0], default_unit, number[1], kind, raw, start + offset, end + offset)
    return CellValue(quantity.value, quantity.unit, quantity.decimals, quantity.kind if quantity.unit else kind,
                     raw, start + offset, end + offset)


def _base_unit(unit: str) -> str:
    spec = UNITS.get(unit)
    return spec[1] if spec else ""


def inline_value(text: str, start: int, default_unit: str, kind: Kind, spec: AnnexSpec) -> CellValue:
    """The value written right after a label's colon, up to the end of its line."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    segment = text[start:line_end]
    whole = parse_amount(segment, default_unit, kind, spec, offset=start)
    if whole.value is not None:
        return whole  # "25人", "108.00%", "3790.52万元": the rest of the line is the value
    match = re.match(r"\s*(" + _NUM + r")\s*(万元|亿元|元)?", normalize_digits(segment))
    if match is None:
        return null_value_at(segment, start, kind, default_unit, spec)
    value_text = segment[match.start(1):match.end()]
    return parse_amount(value_text, default_unit, kind, spec, offset=start + match.start(1))


def null_value_at(segment: str, offset: int, kind: Kind, unit: str, spec: AnnexSpec) -> CellValue:
    start, end = stripped_span(segment)
    raw = segment[start:end]
    text_value = None if is_null(raw, spec) else raw
    return CellValue(None, _base_unit(unit) or unit, None, kind, raw, start + offset, end + offset, text_value=text_value)


def parse_indicator(text: str, spec: AnnexSpec, operator_hint: str = "", unit_hint: str = "") -> CellValue:
    """年度指标值 / 实际完成值: operator, value and unit ("≥95%", "1.2万亩", "每亩300"), or text.

    Anything that is not one quantity with an optional operator stays qualitative:
    value None, kind text, text_value as written (显著, 达标, 2024年12月底前).
    """
    start, end = stripped_span(text)
    raw = text[start:end]
    if is_null(raw, spec):
        return CellValue(None, "", None, Kind.TEXT, raw, start, end)
    compact = normalize_digits(re.sub(r"\s+", "", raw))
    operator, rest = _split_operator(compact, spec)
    operator = operator or _operator_of(operator_hint, spec)
    rest, suffix_operator = _split_operator_suffix(rest, spec)
    operator = operator or suffix_operator
    parsed = _per_unit(rest) or _indicator_quantity(rest, unit_hint, spec)
    if parsed is None:
        return CellValue(None, "", None, Kind.TEXT, raw, start, end, text_value=raw)
    value, unit, decimals, kind = parsed
    return CellValue(value, unit, decimals, kind, raw, start, end, operator=operator)


def _operator_of(text: str, spec: AnnexSpec) -> str | None:
    compact = re.sub(r"\s+", "", text or "")
    return spec.operators.get(compact)


def _split_operator(text: str, spec: AnnexSpec) -> tuple[str | None, str]:
    for written in sorted(spec.operators, key=len, reverse=True):
        if text.startswith(written):
            return spec.operators[written], text[len(written):]
    return None, text


def _split_operator_suffix(text: str, spec: AnnexSpec) -> tuple[str, str | None]:
    for written in sorted(spec.operator_suffixes, key=len, reverse=True):
        if text.endswith(written) and len(text) > len(written):
            return text[: -len(written)], spec.operator_suffixes[written]
    return text, None


_PER = re.compile(r"每(?P<per>[^\d\s]{1,3}?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>元|万元)?")
_PER_AFTER = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>元|万元)/(?P<per>[^\d\s/]{1,3})")


def _per_unit(text: str) -> tuple[Decimal, str, int | None, Kind] | None:
    """每亩300 / 每亩300元 / 300元/亩 -> 300 元/亩 (a money rate per something)."""
    match = _PER.fullmatch(text) or _PER_AFTER.fullmatch(text)
    if match is None:
        return None
    number = parse_number(match.group("num"))
    if number is None:
        return None
    power = 4 if match.group("unit") == "万元" else 0
    decimals = number[1] - power
    return plain(number[0].scaleb(power), decimals), f"元/{match.group('per')}", decimals, Kind.AMOUNT


def _indicator_quantity(text: str, unit_hint: str, spec: AnnexSpec) -> tuple[Decimal, str, int | None, Kind] | None:
    hint = re.sub(r"\s+", "", unit_hint or "")
    quantity = parse_quantity(text, hint if hint in UNITS else "")
    if quantity is not None:
        if not quantity.unit and hint:
            return quantity.value, hint, quantity.decimals, spec.extra_units.get(hint, Kind.COUNT)
        return quantity.value, quantity.unit, quantity.decimals, quantity.kind if quantity.unit else Kind.COUNT
    for unit, kind in sorted(spec.extra_units.items(), key=lambda item: -len(item[0])):
        if text.endswith(unit):
            number = parse_number(text[: -len(unit)])
            if number is not None:
                return number[0], unit, number[1], kind
    return None


def parse_text(text: str, spec: AnnexSpec) -> CellValue:
    """A free-text cell (年度总体目标, 偏差原因): text_value, or None when null."""
    start, end = stripped_span(text)
    raw = text[start:end]
    text_value = None if is_null(raw, spec) else raw
    return CellValue(None, "", None, Kind.TEXT, raw, start, end, text_value=text_value)

"""Small text helpers of narrative linking: ids, subjects, project names, label ids."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import regex

from .context import BlockContext, Span

T = TypeVar("T")
SUBJECT_TRIM = "，,：:；;、。 "
LEADING_WORDS = ("其中", "及", "和", "以及")
NUMBERED = regex.compile(r"^\s*[(（]?\d{1,2}\s?[.、．)）]\s*")


def stable_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def project_name(text: str, ctx: BlockContext, lead: int, position: int) -> str:
    """"其中：贷款资产管理服务支出" or "1.贷款资产管理服务：支出" -> "贷款资产管理服务"."""
    name = strip_spending(trim_subject(text[lead:position]))
    if name:
        return name
    clause_start = ctx.clause_start(max(lead - 1, 0))
    return strip_spending(trim_subject(NUMBERED.sub("", text[clause_start:lead])))


def strip_spending(name: str) -> str:
    for suffix in ("经费支出", "支出", "金额"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def label_of(span: Span | None) -> str:
    return span.id.partition("#")[0] if span is not None else ""


def measure_of(span: Span) -> str:
    return span.id.partition("#")[2]


def trim_subject(text: str) -> str:
    """Without edge punctuation and a leading 其中/及/和."""
    text = text.strip(SUBJECT_TRIM)
    for word in LEADING_WORDS:
        if text.startswith(word):
            return text[len(word):].strip(SUBJECT_TRIM)
    return text


def last(drafts: list[T], wanted: Callable[[T], bool]) -> T | None:
    for draft in reversed(drafts):
        if wanted(draft):
            return draft
    return None

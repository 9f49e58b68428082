"""patterns/grouping.toml: the words and patterns that tell a file name's year, annex and title
from the unit's name. Read once into the Patterns bundle, validated: a bad entry is a PatternError naming file and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..datafiles import load_toml, patterns_dir, require
from ..errors import PatternError

FILE = "grouping.toml"
# pattern name -> capturing groups it must have (the year's digits)
PATTERNS = {
    "year": 1, "zh_year": 1, "annex1": 0, "annex2": 0, "annex_any": 0, "numbering": 0,
    "version": 0, "separators": 0, "about": 0, "latin": 0, "han": 0,
}


@dataclass(frozen=True)
class Vocabulary:
    year: Any  # compiled regex.Pattern objects
    zh_year: Any
    annex1: Any
    annex2: Any
    annex_any: Any
    numbering: Any
    version: Any
    separators: Any
    about: Any
    latin: Any
    han: Any
    titles: tuple[str, ...]  # removed in this order (longest phrases first)
    annex_words: tuple[str, ...]
    zh_digits: dict[int, int]  # str.translate table


def load_vocabulary(directory: str | Path | None = None) -> Vocabulary:
    data = load_toml(FILE, directory)
    path = str(patterns_dir(directory) / FILE)
    patterns = require(data, "patterns", dict, path, "grouping")
    compiled = {name: _compile(patterns, name, groups, path) for name, groups in PATTERNS.items()}
    words = require(data, "words", dict, path, "grouping")
    return Vocabulary(
        **compiled,
        titles=_words(words, "titles", path),
        annex_words=_words(words, "annex", path),
        zh_digits=_digits(require(data, "digits", dict, path, "grouping"), path),
    )


def _compile(patterns: dict[str, Any], name: str, groups: int, path: str) -> Any:
    text = require(patterns, name, str, path, "patterns")
    try:
        pattern = regex.compile(text)
    except regex.error as exc:
        raise PatternError("E201", path=path, key=f"patterns.{name}", detail=f"正则表达式错误：{exc}") from None
    if pattern.groups < groups:
        raise PatternError("E201", path=path, key=f"patterns.{name}", detail=f"须有 {groups} 个捕获组（年份）")
    return pattern


def _words(words: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    found = require(words, key, list, path, "words")
    if not found or not all(isinstance(w, str) and w.strip() for w in found):
        raise PatternError("E201", path=path, key=f"words.{key}", detail="应为非空字符串的列表")
    return tuple(found)


def _digits(digits: dict[str, Any], path: str) -> dict[int, int]:
    chinese = require(digits, "chinese", str, path, "digits")
    ascii_digits = require(digits, "ascii", str, path, "digits")
    if len(chinese) != len(ascii_digits) or not ascii_digits.isdigit():
        raise PatternError("E201", path=path, key="digits.ascii", detail="应与 digits.chinese 逐字对应的数字")
    return str.maketrans(chinese, ascii_digits)


def vocabulary() -> Vocabulary:
    """The grouping vocabulary of the process's Patterns bundle (the one the CLI activated)."""
    from ..patterns import active

    words = active().grouping
    assert words is not None
    return words

"""Spreadsheet cells that can never run as formulas (CSV/formula injection).

A cell's text comes from a submission (原文摘录, 位置, 单位, 说明, file names) or from the
reviewer (备注). Excel and WPS treat a CSV field, and LibreOffice a typed-in cell, that
starts with = + - @ (or a tab / carriage return in front of one) as a formula: such text
gets a leading apostrophe, the mark spreadsheets use for "this is text". A signed figure
with its unit ("-0.02万元", "-2人", "+3.5%") is the tool's own formatted number, which no
spreadsheet can run as code, and is written as it is: the 差额 column keeps its minus signs.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# a sign, digits with separators and decimals, then only a unit word (letters, CJK, %): no
# operator, bracket, quote or reference that a formula needs
SIGNED_FIGURE = re.compile(r"[+-]\d[\d,]*(?:\.\d+)?(?:[%％]|[^\W\d_]{1,6})?")


def guard_formula(text: str) -> str:
    """The text, quoted with an apostrophe when a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_START) and not SIGNED_FIGURE.fullmatch(text):
        return QUOTE + text
    return text


def guard_row(row: list[object]) -> list[object]:
    """guard_formula on every text cell of a row; numbers and empty cells unchanged."""
    return [guard_formula(value) if isinstance(value, str) else value for value in row]

"""Document metadata from the narrative: unit name, report year, title."""

from __future__ import annotations

import regex

from ..model import Document
from ..numbers import normalize_digits

HEAD_BLOCKS = 12  # the cover and title sit in the first few blocks
UNIT_FIELD = regex.compile(
    r"(?:部门[（(]单位[）)]名称|预算部门、?单位名称|单位名称|部门名称|填报单位|评价单位)\s*[:：]\s*(?P<unit>[^\s:：]+)"
)
TITLE_WORDS = regex.compile(r"(?:绩效)?(?:自评|评价)报告|自评报告")
TITLE_UNIT = regex.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<unit>.+?)(?:部门|单位)?(?:整体)?(?:支出)?(?:绩效)?(?:自评|评价)报告"
)
YEAR = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年度")
SPACES = regex.compile(r"\s+")


def document_metadata(doc: Document) -> dict[str, str]:
    """{"unit", "year", "title"} as far as the text states them; missing keys are left out."""
    head = [SPACES.sub(" ", normalize_digits(b.text)).strip() for b in doc.blocks[:HEAD_BLOCKS]]
    head = [text for text in head if text]
    meta: dict[str, str] = {}
    title = find_title(head)
    if title:
        meta["title"] = title
    unit = find_unit(head, title)
    if unit:
        meta["unit"] = unit
    year = find_year(head, title)
    if year:
        meta["year"] = year
    return meta


def find_title(head: list[str]) -> str:
    """The report title, joined when it wraps over two lines ("2024年度X" + "整体支出绩效自评报告")."""
    for position, text in enumerate(head):
        if TITLE_WORDS.search(text) and len(text) <= 80:
            if not YEAR.search(text) and position > 0 and YEAR.search(head[position - 1]):
                return (head[position - 1] + text).replace(" ", "")
            return text.replace(" ", "")
    return ""


def find_unit(head: list[str], title: str) -> str:
    for text in head:
        match = UNIT_FIELD.search(text)
        if match:
            return match.group("unit").strip()
    match = TITLE_UNIT.search(title)
    return match.group("unit").strip() if match else ""


def find_year(head: list[str], title: str) -> str:
    for text in [title, *head]:
        match = YEAR.search(text)
        if match:
            return match.group("year")
    return ""

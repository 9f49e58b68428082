"""Document metadata from the narrative: unit name, report year, title."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
PROJECT, DEPARTMENT = "project", "department"
# matched on text with traditional characters made simplified (annex.toml [normalize])
PROJECT_WORDS = regex.compile(r"项目支出|项目的?绩效|项目自评|专项资金|专项绩效|资金绩效|工程绩效|项目\p{Han}{0,6}(?:自评|评价)报告")
DEPARTMENT_WORDS = regex.compile(r"部门整体|单位整体|整体支出")
PROJECT_BODY = regex.compile(r"项目名称|项目决策|项目概况|项目基本情况|项目资金(?:申报|使用|到位|管理)|项目绩效目标|项目支出绩效自评表")
UNIT_BEFORE_YEAR = regex.compile(r"^(?P<unit>\p{Han}{2,30}?(?:局|中心|办公室|政府|学校|中学|小学|委员会|院|所|站|馆|部|处|队|会))"
                                 r"\s*(?:19|20)\d{2}\s*年")


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
    if report_type(title, head, document_text(doc)) == PROJECT:
        meta["report_type"] = PROJECT  # a 部门整体 report (the default) leaves the key out
    return meta


def report_type(title: str, head: list[str], body: Iterable[str] = ()) -> str:
    """"project" for a 项目支出 / 专项资金 self-evaluation, "department" for a 部门整体支出 one
    ("部门整体和项目支出" reports count as department): by the title, else the opening lines,
    else the body: project headings (项目决策, 项目概况…) and 部门整体 nowhere."""
    for text in map(simplified, [title, *head[:4]]):
        if DEPARTMENT_WORDS.search(text):
            return DEPARTMENT
        if PROJECT_WORDS.search(text):
            return PROJECT
    whole = simplified("\n".join(body))  # read only when the title and opening lines say nothing
    if PROJECT_BODY.search(whole) and not DEPARTMENT_WORDS.search(whole):
        return PROJECT
    return DEPARTMENT


def document_text(doc: Document) -> Iterator[str]:
    """Paragraphs, then table captions and cells: a report may be one table (自评表 only)."""
    yield from (b.text for b in doc.blocks)
    yield from (t.caption or "" for t in doc.tables)
    yield from (c.text for t in doc.tables for c in t.cells)


def simplified(text: str) -> str:
    """Simplified characters, a mirror's pinyin glosses dropped (annex.toml [normalize])."""
    from ..annex.spec import load_annex_spec

    return load_annex_spec().denoised(text)


def find_title(head: list[str]) -> str:
    """The report title, joined when it wraps over two lines ("2024年度X" + "整体支出绩效自评报告")."""
    for position, text in enumerate(head):
        if TITLE_WORDS.search(simplified(text)) and len(text) <= 80:
            if not YEAR.search(text) and position > 0 and YEAR.search(head[position - 1]):
                return (head[position - 1] + text).replace(" ", "")
            return text.replace(" ", "")
    return ""


def find_unit(head: list[str], title: str) -> str:
    for text in head:
        match = UNIT_FIELD.search(text)
        if match:
            return match.group("unit").strip()
    before = UNIT_BEFORE_YEAR.match(title)
    if before:  # "红河州数据发展中心2024年度项目支出绩效单位自评报告"
        return before.group("unit")
    match = TITLE_UNIT.search(title)
    return match.group("unit").strip() if match else ""


def find_year(head: list[str], title: str) -> str:
    for text in [title, *head]:
        match = YEAR.search(text)
        if match:
            return match.group("year")
    return ""

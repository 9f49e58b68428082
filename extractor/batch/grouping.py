"""Group a batch's files into submissions (one unit, one year) by folder and by file name.

File names carry the unit, the year and the part (附件1 / 基础数据表 / 附件2 / 自评表) in any
order, with any separators and sometimes full-width digits. A folder whose files name at
most one unit is one unit's folder: all its files belong to that unit (the folder name can
supply the unit or the year). In a shared folder, loose files group by the unit and year
parsed from their names; a file naming no unit there belongs to no submission.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import regex

REPORT, ANNEX1, ANNEX2, ANNEX = "report", "annex1", "annex2", "annex"

RGX_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(?:年度|年)?")
RGX_ZH_YEAR = regex.compile(r"([〇零一二三四五六七八九]{4})\s*(?=年)")
RGX_ANNEX1 = regex.compile(r"附件\s*[1一](?![0-9])|附表\s*[1一](?![0-9])|基础数据表|基础数据")
RGX_ANNEX2 = regex.compile(r"附件\s*[2二](?![0-9])|附表\s*[2二](?![0-9])|自评表")
RGX_ANNEX_ANY = regex.compile(r"附[件表]\s*[0-9一二三四五六七八九十]+")
RGX_NUMBERING = regex.compile(r"^\(?\d{1,3}\)?[._、\-\s)]+")
RGX_VERSION = regex.compile(r"\((?:\d{1,2}|盖章|定稿|终稿|修改稿|更正|更正版|最终版|副本)\)|[_-]?[vV]\d+$")
RGX_SEPARATORS = regex.compile(r"[\s_\-—–·.,，、:：;；()\[\]【】《》“”\"'‘’+]+")
RGX_HAN = regex.compile(r"\p{Han}")
RGX_ABOUT = regex.compile(r"^关于|的$")  # 关于X单位2024年度…自评的报告
RGX_LATIN = regex.compile(r"[A-Za-z0-9]+")
ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")

# Longest first: what a file name says about the document, never about the unit.
DEFAULT_TITLE_WORDS: tuple[str, ...] = (
    "部门整体支出绩效自评的报告", "整体支出绩效自评的报告", "绩效自评的报告", "自评的报告",
    "部门整体支出绩效评价基础数据表", "部门整体支出绩效自评报告", "部门整体支出绩效自评表",
    "部门整体支出绩效评价报告", "整体支出绩效自评报告", "整体支出绩效自评表", "支出绩效自评报告",
    "绩效评价基础数据表", "部门整体支出", "绩效自评报告", "绩效评价报告", "绩效自评", "自评报告",
    "绩效评价", "基础数据表", "基础数据", "自评表", "附件", "附表", "盖章版", "扫描件", "最终版", "修改稿", "定稿", "终稿", "副本", "更正", "报告",
    "年度",
)


@dataclass(frozen=True, slots=True)
class NameInfo:
    unit: str  # normalised unit name, "" when the name gives none
    year: int | None
    part: str  # report | annex1 | annex2 | annex (附件3, 附件 without a number)
    titled: bool  # the name says it is a report or annex (year, 附件, 自评报告 ...)


@dataclass(frozen=True, slots=True)
class Submission:
    unit: str
    year: int | None
    files: tuple[str, ...]  # report first, then 附件1, 附件2, others; '/'-separated, relative
    report: str | None  # the file that is not an annex

    @property
    def key(self) -> str:
        return f"{self.unit}|{self.year if self.year is not None else ''}"


@dataclass(frozen=True, slots=True)
class Grouping:
    submissions: tuple[Submission, ...]
    unassigned: tuple[str, ...]


def normalize_text(text: str) -> str:
    """Full-width digits and brackets to ASCII (NFKC), Chinese-numeral years to digits."""
    text = unicodedata.normalize("NFKC", text)
    return str(RGX_ZH_YEAR.sub(lambda m: m.group(1).translate(ZH_DIGITS), text))


def normalize_unit(text: str) -> str:
    """The comparable form of a unit name: NFKC, no spaces or separators."""
    return str(RGX_SEPARATORS.sub("", normalize_text(text)))


def part_of(stem: str) -> str:
    if RGX_ANNEX1.search(stem):
        return ANNEX1
    if RGX_ANNEX2.search(stem):
        return ANNEX2
    if RGX_ANNEX_ANY.search(stem) or "附件" in stem:
        return ANNEX
    return REPORT


def parse_name(name: str) -> NameInfo:
    """Unit, year and part from one file or folder name (suffix ignored)."""
    stem = normalize_text(PurePosixPath(name).stem if "." in name else name)
    year_match = RGX_YEAR.search(stem)
    part = part_of(stem)
    rest = RGX_NUMBERING.sub("", stem)
    rest = RGX_VERSION.sub("", RGX_YEAR.sub(" ", rest))
    rest = RGX_ANNEX_ANY.sub(" ", rest)
    titled = year_match is not None or part != REPORT or rest != _strip_titles(rest)
    rest = _strip_titles(rest)
    unit = RGX_LATIN.sub("", RGX_SEPARATORS.sub("", rest))  # "final", "v2", "scan" are not unit names
    unit = RGX_ABOUT.sub("", unit)
    if len(RGX_HAN.findall(unit)) < 2:
        unit = ""
    return NameInfo(unit, int(year_match.group(1)) if year_match else None, part, titled)


def _strip_titles(text: str) -> str:
    for word in DEFAULT_TITLE_WORDS:
        text = text.replace(word, " ")
    return text


def folder_context(directory: PurePosixPath, root_name: str) -> tuple[str, int | None]:
    """Unit and year named by the nearest enclosing folders (the input folder's name last)."""
    unit, year = "", None
    for name in [*reversed(directory.parts), root_name]:
        info = parse_name(name)
        unit = unit or info.unit
        year = year if year is not None else info.year
    return unit, year


def group_files(paths: Iterable[str], root_name: str = "") -> Grouping:
    """Submissions (sorted by unit, year) and the files that belong to none."""
    by_dir: dict[PurePosixPath, list[str]] = defaultdict(list)
    for path in sorted(set(paths)):
        by_dir[PurePosixPath(path).parent].append(path)
    assigned: list[tuple[str, int | None, str]] = []
    unassigned: list[str] = []
    for directory, files in sorted(by_dir.items()):
        found, lost = _assign_folder(files, *folder_context(directory, root_name))
        assigned.extend(found)
        unassigned.extend(lost)
    canonical = canonical_units(unit for unit, _, _ in assigned)
    groups: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for unit, year, path in assigned:
        groups[(canonical[unit], year)].append(path)
    submissions = [_submission(unit, year, files) for (unit, year), files in groups.items()]
    submissions.sort(key=lambda s: (s.unit, s.year if s.year is not None else 0))
    return Grouping(tuple(submissions), tuple(sorted(unassigned)))


def _assign_folder(
    files: list[str], folder_unit: str, folder_year: int | None
) -> tuple[list[tuple[str, int | None, str]], list[str]]:
    infos = {path: parse_name(PurePosixPath(path).name) for path in files}
    same = canonical_units(info.unit for info in infos.values() if info.unit)
    infos = {path: replace(info, unit=same.get(info.unit, "")) for path, info in infos.items()}
    named = {info.unit for info in infos.values() if info.unit and info.titled}
    single_unit = len(named) <= 1
    owner = next(iter(named)) if len(named) == 1 else folder_unit
    pending: list[tuple[str, int | None, str]] = []
    lost: list[str] = []
    for path, info in infos.items():
        unit = owner if single_unit else (info.unit if info.titled else "")
        if not info.titled and info.unit != unit:
            unit = ""  # 填报说明.docx, 目录.pdf: neither a report nor an annex, nor named after the unit
        year = info.year if info.year is not None else folder_year
        if not unit:
            lost.append(path)
        else:
            pending.append((unit, year, path))
    return _fill_years(pending, lost)


def _fill_years(
    pending: list[tuple[str, int | None, str]], lost: list[str]
) -> tuple[list[tuple[str, int | None, str]], list[str]]:
    """A file naming no year joins its unit's only year in the folder; with several, none."""
    years: dict[str, set[int]] = defaultdict(set)
    for unit, year, _ in pending:
        if year is not None:
            years[unit].add(year)
    done: list[tuple[str, int | None, str]] = []
    for unit, year, path in pending:
        if year is None and len(years[unit]) == 1:
            year = next(iter(years[unit]))
        if year is None and len(years[unit]) > 1:
            lost.append(path)
        else:
            done.append((unit, year, path))
    return done, lost


def canonical_units(units: Iterable[str]) -> dict[str, str]:
    """Map each unit to itself, or to the one longer name it is the tail of (市/县 prefix dropped)."""
    distinct = sorted(set(units))
    mapping = {}
    for unit in distinct:
        longer = [u for u in distinct if u != unit and u.endswith(unit) and len(unit) >= 4]
        mapping[unit] = longer[0] if len(longer) == 1 else unit
    return mapping


def _submission(unit: str, year: int | None, files: list[str]) -> Submission:
    order = {REPORT: 0, ANNEX1: 1, ANNEX2: 2, ANNEX: 3}
    ranked = sorted(files, key=lambda p: (order[parse_name(PurePosixPath(p).name).part], p))
    reports = [p for p in ranked if parse_name(PurePosixPath(p).name).part == REPORT]
    return Submission(unit, year, tuple(ranked), reports[0] if reports else None)

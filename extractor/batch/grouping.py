"""Group a batch's files into submissions (one unit, one year) by folder and by file name.

File names carry the unit, the year and the part (附件1 / 基础数据表 / 附件2 / 自评表) in any
order, with any separators and sometimes full-width digits. A folder whose files name at
most one unit is one unit's folder: all its files belong to that unit (the folder name can
supply the unit or the year). In a shared folder, loose files group by the unit and year
parsed from their names; a file naming no unit there belongs to no submission.
The words and patterns that tell a name's year, annex and title from the unit are data:
patterns/grouping.toml (vocabulary.py), the Patterns bundle's `grouping` piece, handed in
as `words` (None: the process's bundle, for library callers and tests).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from ..model import parse_year
from .vocabulary import Vocabulary, vocabulary

REPORT, ANNEX1, ANNEX2, ANNEX = "report", "annex1", "annex2", "annex"

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


def normalize_text(text: str, words: Vocabulary | None = None) -> str:
    """Full-width digits and brackets to ASCII (NFKC), Chinese-numeral years to digits."""
    text = unicodedata.normalize("NFKC", text)
    words = words or vocabulary()
    return str(words.zh_year.sub(lambda m: m.group(1).translate(words.zh_digits), text))


def normalize_unit(text: str, words: Vocabulary | None = None) -> str:
    """The comparable form of a unit name: NFKC, no spaces or separators."""
    words = words or vocabulary()
    return str(words.separators.sub("", normalize_text(text, words)))


def part_of(stem: str, words: Vocabulary | None = None) -> str:
    words = words or vocabulary()
    if words.annex1.search(stem):
        return ANNEX1
    if words.annex2.search(stem):
        return ANNEX2
    if words.annex_any.search(stem) or any(word in stem for word in words.annex_words):
        return ANNEX
    return REPORT


def parse_name(name: str, words: Vocabulary | None = None) -> NameInfo:
    """Unit, year and part from one file or folder name (suffix ignored)."""
    words = words or vocabulary()
    stem = normalize_text(PurePosixPath(name).stem if "." in name else name, words)
    year_match = words.year.search(stem)
    part = part_of(stem, words)
    rest = words.numbering.sub("", stem)
    rest = words.version.sub("", words.year.sub(" ", rest))
    rest = words.annex_any.sub(" ", rest)
    titled = year_match is not None or part != REPORT or rest != _strip_titles(rest, words)
    rest = _strip_titles(rest, words)
    unit = words.latin.sub("", words.separators.sub("", rest))  # "final", "v2", "scan" are not unit names
    unit = words.about.sub("", unit)
    if len(words.han.findall(unit)) < 2:
        unit = ""
    return NameInfo(unit, parse_year(year_match.group(1)) if year_match else None, part, titled)


def _strip_titles(text: str, words: Vocabulary) -> str:
    for word in words.titles:
        text = text.replace(word, " ")
    return text


def folder_context(directory: PurePosixPath, root_name: str, words: Vocabulary | None = None) -> tuple[str, int | None]:
    """Unit and year named by the nearest enclosing folders (the input folder's name last)."""
    unit, year = "", None
    for name in [*reversed(directory.parts), root_name]:
        info = parse_name(name, words)
        unit = unit or info.unit
        year = year if year is not None else info.year
    return unit, year


def group_files(paths: Iterable[str], root_name: str = "", words: Vocabulary | None = None) -> Grouping:
    """Submissions (sorted by unit, year) and the files that belong to none; `words`: the
    run's grouping vocabulary (Patterns.grouping)."""
    words = words or vocabulary()
    by_dir: dict[PurePosixPath, list[str]] = defaultdict(list)
    for path in sorted(set(paths)):
        by_dir[PurePosixPath(path).parent].append(path)
    assigned: list[tuple[str, int | None, str]] = []
    unassigned: list[str] = []
    for directory, files in sorted(by_dir.items()):
        found, lost = _assign_folder(files, *folder_context(directory, root_name, words), words)
        assigned.extend(found)
        unassigned.extend(lost)
    canonical = canonical_units(unit for unit, _, _ in assigned)
    groups: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for unit, year, path in assigned:
        groups[(canonical[unit], year)].append(path)
    submissions = [_submission(unit, year, files, words) for (unit, year), files in groups.items()]
    submissions.sort(key=lambda s: (s.unit, s.year if s.year is not None else 0))
    return Grouping(tuple(submissions), tuple(sorted(unassigned)))


def _assign_folder(
    files: list[str], folder_unit: str, folder_year: int | None, words: Vocabulary
) -> tuple[list[tuple[str, int | None, str]], list[str]]:
    infos = {path: parse_name(PurePosixPath(path).name, words) for path in files}
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


def _submission(unit: str, year: int | None, files: list[str], words: Vocabulary) -> Submission:
    order = {REPORT: 0, ANNEX1: 1, ANNEX2: 2, ANNEX: 3}
    parts = {p: parse_name(PurePosixPath(p).name, words).part for p in files}
    ranked = sorted(files, key=lambda p: (order[parts[p]], p))
    reports = [p for p in ranked if parts[p] == REPORT]
    return Submission(unit, year, tuple(ranked), reports[0] if reports else None)

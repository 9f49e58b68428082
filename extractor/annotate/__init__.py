"""Return for correction: each unit's own files with every finding marked at its place,
and a 审核意见 letter, in OUT/返回修改/<单位>_<年度>/.

Public API: annotate_submission(summary, figures, input_root, out_dir) -> AnnotateCounts for
one submission, annotate_all(...) for several with the summary line. The submitted files are
only read; each copy is written anew. 误报 findings are left out; a finding whose figure
cannot be found exactly is commented on the nearest paragraph (or cell, or page) and said so.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from ..model import Finding, Locator
from ..report.returned import LETTER_NAME, RETURNED_DIR, returned_folder, returned_names
from .marks import Mark, Placed

if TYPE_CHECKING:
    from ..patterns import LetterText

Figures = Mapping[Locator, AbstractSet[str]]  # the figure(s) as written at each cited place
Marker = Callable[[Path, Path, list[Mark]], list[Placed]]
DISMISSED = "误报"

__all__ = ["RETURNED_DIR", "AnnotateCounts", "annotate_all", "annotate_submission", "returned_folder"]


class Submitted(Protocol):
    """What is returned of a submission: a SubmissionSummary or a SubmissionResult."""

    @property
    def unit(self) -> str: ...
    @property
    def year(self) -> int | None: ...
    @property
    def files(self) -> tuple[str, ...]: ...
    @property
    def findings(self) -> tuple[Finding, ...]: ...


@dataclass
class AnnotateCounts:
    units: int = 0
    findings: int = 0  # in the letters (误报 left out)
    marks: int = 0  # comments and annotations written
    exact_locators: int = 0  # marks whose place the reader knew to the character
    exact: int = 0  # of those, anchored on exactly the figure's characters
    nearest: int = 0  # marks put on the nearest paragraph, cell or page instead
    unmarked: int = 0  # marks in files that could not be marked (copied as they were; in the letter)
    problems: list[str] = field(default_factory=list)  # one line per file that could not be marked

    def add(self, other: AnnotateCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary_lines(self, out_dir: Path) -> list[str]:
        line = (f"  返回修改：{self.units} 份报送，问题 {self.findings} 条；精确标注到数字 {self.exact}/"
                f"{self.exact_locators} 处，标注在最近段落 {self.nearest - self.unmarked} 处")
        line += f"，未能标注 {self.unmarked} 处（见审核意见）" if self.unmarked else ""
        return [line + f"：{out_dir / RETURNED_DIR}", *(f"  未能标注：{p}" for p in self.problems)]


def _markers() -> dict[str, Marker]:
    from .docx_marks import mark_docx
    from .pdf_marks import mark_pdf
    from .xlsx_marks import mark_xlsx

    return {".docx": mark_docx, ".pdf": mark_pdf, ".xlsx": mark_xlsx}


def annotate_submission(summary: Submitted, figures: Figures, input_root: Path, out_dir: Path,
                        paths: Mapping[str, Path] | None = None, *, letter: LetterText) -> AnnotateCounts:
    """`paths`: source name -> file, where the sources are not all under `input_root`;
    `letter`: the run's Patterns bundle's letter wording (Patterns.letter)."""
    unit, year, files = summary.unit, summary.year, summary.files
    findings = [f for f in summary.findings if f.decision != DISMISSED]
    folder = out_dir / returned_folder(unit, year)
    folder.mkdir(parents=True, exist_ok=True)
    by_file = plan_marks(findings, files, figures, set(_markers()))
    placed: list[Placed] = []
    problems: list[tuple[str, str]] = []
    names = returned_names(files)
    for source in files:
        original = paths[source] if paths and source in paths else input_root / source
        placed += _return_file(original, folder / names[source], by_file.get(source, []), problems)
    _write_letter(folder / LETTER_NAME, unit, year, findings, placed, letter)
    return _count(findings, placed, [f"{source}：{problem}" for source, problem in problems])


def plan_marks(findings: Sequence[Finding], files: Sequence[str], figures: Figures,
               markable: AbstractSet[str]) -> dict[str, list[Mark]]:
    """Marks per file: one per (finding, cited place in this submission); a finding that cites
    no place in a markable file goes to the first markable file (the report, usually)."""
    own = [f for f in files if PurePosixPath(f).suffix.lower() in markable]
    primary = next((f for f in own if f.lower().endswith(".docx")), own[0] if own else None)
    by_file: dict[str, list[Mark]] = {}
    for finding in findings:
        places = {loc: text for loc, text in _with_excerpts(finding) if loc.source in own}
        for loc, text in places.items():
            by_file.setdefault(loc.source, []).append(Mark(finding, loc, figure_at(loc, figures), text))
        if not places and primary is not None:
            by_file.setdefault(primary, []).append(Mark(finding, None, ""))
    return by_file


def _with_excerpts(finding: Finding) -> list[tuple[Locator, str]]:
    """Each place with its excerpt: findings list one excerpt per fact, in the facts' order,
    unless two facts read the same (then the excerpts no longer line up and are not used)."""
    if len(finding.excerpts) == len(finding.locations):
        return list(zip(finding.locations, finding.excerpts))
    return [(loc, "") for loc in finding.locations]


def figure_at(loc: Locator, figures: Figures) -> str:
    """The figure written at the place: the one as long as the located span, else the first."""
    raws = sorted(figures.get(loc, ()))
    width = loc.char_end - loc.char_start
    return next((r for r in raws if len(r) == width), raws[0] if raws else "")


def _return_file(original: Path, target: Path, marks: list[Mark], problems: list[tuple[str, str]]) -> list[Placed]:
    """The marked copy, or a plain copy when there is nothing to mark or the file cannot be
    marked (unreadable, or an old format converted for reading): its marks stay in the letter."""
    marker = _markers().get(original.suffix.lower())
    if marks and marker is not None:
        try:
            return marker(original, target, marks)
        except Exception as exc:  # noqa: BLE001 - a file the reader could not read either; the run goes on
            problems.append((original.name, f"无法写入标注（{type(exc).__name__}），已原样复制，问题见审核意见"))
    elif marks:
        problems.append((original.name, "此格式不能标注，已原样复制，问题见审核意见"))
    if original.is_file():
        shutil.copyfile(original, target)
    return [Placed(mark, False, written=False) for mark in marks]


def _write_letter(path: Path, unit: str, year: int | None, findings: list[Finding], placed: list[Placed],
                  letter: LetterText) -> None:
    from .letter import write_letter

    exact: dict[str, bool] = {}
    for item in placed:
        exact[item.mark.finding.id] = exact.get(item.mark.finding.id, True) and item.exact
    write_letter(path, unit, year, findings, exact, letter)


def _count(findings: list[Finding], placed: list[Placed], problems: list[str]) -> AnnotateCounts:
    located = [p for p in placed if p.mark.exact_locator]
    return AnnotateCounts(
        units=1, findings=len(findings), marks=len(placed), exact_locators=len(located),
        exact=sum(p.exact for p in located), nearest=sum(not p.exact for p in placed),
        unmarked=sum(not p.written for p in placed), problems=problems,
    )


def annotate_all(summaries: Iterable[Submitted], figures: Figures, input_root: Path, out_dir: Path,
                 paths: Mapping[str, Path] | None = None, workers: int = 1, *,
                 letter: LetterText) -> AnnotateCounts:
    """Every submission with files (the pseudo-row of unassigned files has none of its own);
    with workers > 1, submissions are marked in that many forked processes (each unit's
    folder is its own, so the bytes do not depend on the order)."""
    jobs = [(s, _own_figures(s, figures), input_root, out_dir, paths, letter) for s in summaries if s.files]
    total = AnnotateCounts()
    for counts in _run(jobs, workers):
        total.add(counts)
    return total


def _own_figures(summary: Submitted, figures: Figures) -> dict[Locator, AbstractSet[str]]:
    files = set(summary.files)
    return {loc: raws for loc, raws in figures.items() if loc.source in files}


def _annotate_job(job: tuple) -> AnnotateCounts:
    *args, letter = job
    return annotate_submission(*args, letter=letter)


def _run(jobs: list[tuple], workers: int) -> list[AnnotateCounts]:
    import multiprocessing

    if workers <= 1 or len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_annotate_job(job) for job in jobs]
    with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
        return pool.map(_annotate_job, jobs, chunksize=1)

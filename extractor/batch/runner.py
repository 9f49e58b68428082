"""One batch run: input -> submissions -> workers -> database -> batch checks -> outputs."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..errors import EnvironmentFault, InputError, UsageError, environment_fault
from ..model import Severity, SubmissionSummary
from ..patterns import Patterns, active
from ..pipeline import ocr_worker_cap, sha256_of
from ..report import (
    checks_added,
    files_print,
    read_decisions,
    read_seen,
    resubmitted,
    with_added,
    with_more_checks,
    write_seen,
)
from . import db
from .batchchecks import apply_decisions, cross_year_of, cross_year_pairs, run_boilerplate
from .discover import Skipped, discover
from .encode import EncodedSubmission
from .grouping import Grouping, Submission, group_files
from .outdir import claim_out
from .outputs import encode_and_write_facts, write_outputs
from .pool import KillablePool, Scheduler, Task, WorkFactory, default_workers
from .progress import Progress, count_failed_files, heads_of, summary_text
from .spool import SummarySpool
from .zipsafe import DEFAULT_LIMITS, ZipLimits, extract_zip

DB_NAME = "results.sqlite"


@dataclass(frozen=True)
class BatchSettings:
    input: Path
    out: Path
    workers: int | None = None
    timeout: float = 120.0
    fail_fast: bool = False
    quiet: bool = False
    zip_limits: ZipLimits = DEFAULT_LIMITS
    patterns: Patterns | None = None  # the run's bundle (default: the process's)
    annotate: bool = False  # also OUT/返回修改/: each unit's files marked, and its letter
    scheduler: str | None = None  # a Dask scheduler (tcp://HOST:8786, local:N); None: the local pool


@dataclass
class BatchOutcome:
    results: Iterable[SubmissionSummary]  # per submission, what the reports show, findings included (spooled)
    unassigned: list[str]
    outputs: list[Path]
    processed: int = 0
    reused: int = 0
    stopped: bool = False
    elapsed: float = 0.0
    summary: str = ""
    skipped: int = 0  # entries of the input not read (discover.Skipped), each said on stderr

    @property
    def exit_code(self) -> int:
        """2 stopped by --fail-fast; 1 error findings or unreadable files; 0 otherwise."""
        if self.stopped:
            return 2
        # a spool's heads are read from disk one at a time: the findings are counted there, not decoded
        errors = any(r.by_severity[Severity.ERROR.value] for r in heads_of(self.results))
        failed = any(count_failed_files(r) for r in heads_of(self.results)) or self.skipped > 0
        return 1 if errors or failed else 0


def input_root(settings: BatchSettings) -> Path:
    """The folder to read: the input itself, or a zip extracted safely into OUT/.input/<name>/."""
    if settings.timeout <= 0:
        raise UsageError("E301", detail=f"--timeout 应为正数（秒），而不是 {settings.timeout:g}")
    source = settings.input
    if not source.exists():
        if source.is_symlink():
            raise InputError("E116", path=source, detail="链接目标不存在或形成循环")
        raise InputError("E101", path=source)
    if source.is_file() and source.suffix.lower() == ".zip":
        return extract_zip(source, settings.out / ".input" / source.stem, settings.zip_limits)
    if not source.is_dir():
        raise InputError("E102", path=source, suffix=source.suffix or "(无扩展名)")
    return source


def fingerprint(submission: Submission, hashes: dict[str, str], patterns: str) -> str:
    """A submission is reused when its files, their bytes and the pattern set are unchanged."""
    digest = hashlib.sha256(f"{__version__}|{patterns}|{submission.key}".encode())
    for path in submission.files:
        digest.update(f"|{path}={hashes[path]}".encode())
    return digest.hexdigest()


def plan_tasks(
    grouping: Grouping, root: Path, out: Path, stored: dict[str, str], prints: dict[str, str]
) -> tuple[list[Task], list[Submission]]:
    """Tasks for new or changed submissions, largest first (better packing); reused ones apart."""
    tasks, reused = [], []
    folder, cache = str(root.resolve()), str((out / ".converted").resolve())
    for sub in grouping.submissions:
        if stored.get(sub.key) == prints[sub.key]:
            reused.append(sub)
            continue
        tasks.append(Task(sub.key, sub.unit, sub.year, sub.files, folder, cache))
    size = {t.key: sum(_size(root / f) for f in t.files) for t in tasks}
    tasks.sort(key=lambda t: (-size[t.key], t.key))
    return tasks, reused


@dataclass(frozen=True)
class Inventory:
    """What the input holds: the submissions, their files' hashes and fingerprints."""

    root: Path
    grouping: Grouping
    patterns: str
    hashes: dict[str, str]
    prints: dict[str, str]
    skipped: tuple[Skipped, ...] = ()  # names not valid UTF-8, broken links: listed as unassigned


def take_inventory(settings: BatchSettings) -> Inventory:
    root = input_root(settings)
    exclude = settings.out if settings.out.resolve().is_relative_to(root.resolve()) else None
    files, skipped = discover(root, exclude)
    grouping = group_files(files, root.resolve().name, (settings.patterns or active()).grouping)
    if skipped:
        unassigned = tuple(sorted({*grouping.unassigned, *(s.name for s in skipped)}))
        grouping = dataclasses.replace(grouping, unassigned=unassigned)
    patterns = (settings.patterns or active()).hash
    hashes = _hash_files(root, grouping)
    prints = {s.key: fingerprint(s, hashes, patterns) for s in grouping.submissions}
    return Inventory(root, grouping, patterns, hashes, prints, tuple(skipped))


class BatchRun:
    def __init__(self, settings: BatchSettings, factory: WorkFactory, stderr: TextIO) -> None:
        self.settings = settings
        self.factory = factory
        self.stderr = stderr
        self.failed_seen = False
        self.processed = 0
        self.root: Path | None = None
        self.annotated: list[str] = []  # the summary lines of --annotate
        self.later: set[str] = set()  # submissions whose files changed since last checked into OUT

    def execute(self) -> BatchOutcome:
        """The run, holding OUT's lock; a fault of the machine (disk full, OUT not writable) ends
        it with a coded line: every submission committed before it is kept, and re-run ones
        that failed for such a reason are tried again next time (db.stored_fingerprints)."""
        with claim_out(self.settings.out, "batch"):
            try:
                return self._execute()
            except OSError as exc:
                raise environment_fault(exc, self.settings.out) from exc
            except sqlite3.OperationalError as exc:
                raise database_fault(self.settings.out / DB_NAME, exc) from exc

    def _execute(self) -> BatchOutcome:
        started = time.monotonic()
        inventory = take_inventory(self.settings)
        self.root = inventory.root
        for skipped in inventory.skipped:
            self.stderr.write(skipped.message + "\n")
        scheduler = scheduler_for(self.settings, self.factory)
        conn = db.open_db(self.settings.out / DB_NAME)
        try:
            run_id = db.start_run(conn, str(self.settings.input), inventory.patterns, __version__, scheduler.workers)
            db.prune(conn, inventory.prints, inventory.grouping.unassigned)
            _store_decisions(conn, self.settings.out)
            seen, prints = read_seen(self.settings.out), submission_prints(inventory)
            self.later = {key for key, now in prints.items() if resubmitted(seen, key, now)}
            finished, reused = self._process(conn, inventory, scheduler)
            outcome = self._finish(conn, inventory.grouping.unassigned, not finished, reused)
            write_seen(self.settings.out, {**seen, **prints})
            db.finish_run(conn, run_id, "stopped" if outcome.stopped else "done", self.processed, reused)
        finally:
            conn.close()
        outcome.elapsed = time.monotonic() - started
        outcome.skipped = len(inventory.skipped)
        outcome.summary = summary_text(
            outcome.results, outcome.unassigned, outcome.elapsed, outcome.outputs, outcome.stopped
        ) + "".join(line + "\n" for line in self.annotated)
        return outcome

    def _process(self, conn: sqlite3.Connection, inv: Inventory, scheduler: Scheduler) -> tuple[bool, int]:
        """Run the new or changed submissions; (finished, number reused)."""
        settings = self.settings
        tasks, reused = plan_tasks(inv.grouping, inv.root, settings.out, db.stored_fingerprints(conn), inv.prints)
        total = sum(len(s.files) for s in inv.grouping.submissions)
        progress = Progress(total, self.stderr, enabled=not settings.quiet,
                            total_units=len(inv.grouping.submissions), tty=self.stderr.isatty())
        if reused or progress.tty:
            progress.add(sum(len(s.files) for s in reused), 0, 0, units=len(reused))

        def on_result(task: Task, encoded: EncodedSubmission) -> None:
            db.save_submission(conn, task.key, encoded, inv.prints[task.key], inv.hashes, inv.patterns)
            self.failed_seen = self.failed_seen or encoded.failed_files > 0
            self.processed += 1
            progress.add(len(task.files), encoded.failed_files, encoded.findings, _unit_name(task))

        finished = scheduler.run(tasks, on_result, lambda: settings.fail_fast and self.failed_seen)
        progress.close()
        return finished, len(reused)

    def _finish(self, conn: sqlite3.Connection, unassigned: tuple[str, ...], stopped: bool, reused: int) -> BatchOutcome:
        """Batch-level checks on what is stored, decisions applied, outputs regenerated; one
        submission's facts are decoded only when a check or a missing facts file needs them,
        and the finished summaries wait on disk (a spool), not in memory, while the outputs are
        written; the reports look up the figures they mark a few places at a time."""
        entries = db.load_entries(conn)
        summaries = _finished_summaries(conn, entries, self.later, self.settings.patterns)
        keys = [key for key, *_ in entries]
        outputs = write_outputs(summaries, functools.partial(db.load_raws, conn), list(unassigned),
                                self.settings.out, lambda index: db.load_result(conn, keys[index]),
                                returned=self.settings.annotate, source_root=self.root)
        if self.settings.annotate and self.root is not None:
            from ..annotate import annotate_all

            places = {loc for s in summaries for f in s.findings for loc in f.locations}
            workers = self.settings.workers or default_workers()
            counts = annotate_all(summaries, db.load_raws(conn, places), self.root, self.settings.out, workers=workers,
                                  letter=(self.settings.patterns or active()).letter)
            self.annotated = counts.summary_lines(self.settings.out)
        return BatchOutcome(summaries, list(unassigned), outputs, self.processed, reused, stopped)


def submission_prints(inv: Inventory) -> dict[str, str]:
    """Each submission's files digest (report.decisions.files_print), by submission key."""
    return {s.key: files_print({f: inv.hashes[f] for f in s.files}) for s in inv.grouping.submissions}


def _unit_name(task: Task) -> str:
    return f"{task.unit} {task.year}" if task.unit and task.year else task.unit or task.report_or_key


def _finished_summaries(
    conn: sqlite3.Connection, entries: list[tuple[str, str, int | None, int]], later: set[str],
    patterns: Patterns | None = None,
) -> SummarySpool:
    """Every stored summary with the batch-level checks and the reviewer's decisions, spooled;
    `later`: the keys resubmitted since the reviewer's marks. Each unit's cross-year checks run
    when its summary is spooled and are stored then; the boilerplate checks (which compare a
    year's units with each other) are stored at once and kept only as what they add to the counts."""
    with_facts = [(key, unit, year) for key, unit, year, facts in entries if facts]
    boilerplate = run_boilerplate(with_facts, functools.partial(db.load_boilerplate_inputs, conn), patterns)
    db.save_batch_checks(conn, "batch", boilerplate)
    added = {key: checks_added(checks, cited) for key, (checks, _, cited) in boilerplate.items()}
    del boilerplate
    prior_of = cross_year_pairs(with_facts, patterns)
    load = functools.partial(db.load_extraction, conn)
    decisions = db.load_decisions(conn)

    def finish(key: str, summary: SubmissionSummary) -> SubmissionSummary:
        found = cross_year_of(key, prior_of[key], load) if key in prior_of else None
        if found is not None:
            db.insert_batch_checks(conn, "cross_year", key, *found[:2])
            summary = with_more_checks(summary, *found)
        if key in added:
            summary = with_added(summary, added[key], db.own_findings(conn, key, "batch"))
        return apply_decisions(dataclasses.replace(summary, checked_ids=()), decisions, key in later)

    with db.Transaction(conn):
        db.clear_batch_checks(conn, "cross_year")
        return SummarySpool(db.iter_summaries(conn, finish))


def scheduler_for(settings: BatchSettings, factory: WorkFactory) -> Scheduler:
    """The local killable pool, or a Dask cluster when --scheduler names one (extra `cluster`)."""
    if settings.scheduler is None:
        encode = functools.partial(encode_and_write_facts, settings.out, patterns=settings.patterns)
        return KillablePool(factory, settings.workers or ocr_worker_cap(default_workers()), settings.timeout, encode)
    try:
        from .cluster import DaskPool
    except ImportError as exc:
        raise UsageError("E301", detail=f"--scheduler 需要 Dask：pip install 'extractor[cluster]'（{exc}）") from None
    return DaskPool(settings.scheduler, factory, settings.timeout, settings.out, settings.patterns or active())


def _hash_files(root: Path, grouping: Grouping) -> dict[str, str]:
    # joined as strings: a Path interns each of its parts, for the whole run (a province's file names)
    return {path: _hash_or_error(os.path.join(root, path)) for sub in grouping.submissions for path in sub.files}


def _hash_or_error(path: str) -> str:
    """The file's sha256; a file that cannot be read gets a marker instead (the worker then
    records its coded error for that file alone, and the marker is never reused)."""
    try:
        return sha256_of(path)
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def database_fault(path: Path, exc: sqlite3.OperationalError) -> EnvironmentFault:
    """sqlite's own errors of the machine as coded lines (its transaction is rolled back)."""
    text = str(exc)
    if "full" in text:
        return EnvironmentFault("E114", path=path, detail=text)
    if "readonly" in text or "unable to open" in text:
        return EnvironmentFault("E113", path=path, detail=text)
    return EnvironmentFault("E120", path=path, detail=text)


def _store_decisions(conn: sqlite3.Connection, out: Path) -> None:
    """The reviewer's marks in OUT's previous discrepancy list, kept in the database."""
    decisions = read_decisions(out)
    if decisions:
        db.save_decisions(conn, decisions)


def execute_batch(settings: BatchSettings, factory: WorkFactory, stderr: TextIO = sys.stderr) -> BatchOutcome:
    return BatchRun(settings, factory, stderr).execute()

"""A process pool that can kill: one long-lived worker per slot, one submission per task.

concurrent.futures cannot stop a running task, so each slot owns a multiprocessing.Process
and a Pipe. The worker announces each file before it reads it; when a file runs past the
time limit (or the worker dies), the parent kills the worker, records E109 (or E110) for
that file, starts a fresh worker and re-queues the submission with that file skipped.
The worker-side object (Work) is built once per worker process, so expensive state (the
spaCy pipeline) is built once per process, never per file.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from ..model import Issue, SubmissionResult
from ..pipeline import coded_issue

ANALYSIS_STEP = ""  # the step after reading: extraction and checks
DEFAULT_TASKS_PER_WORKER = 25


@dataclass(frozen=True, slots=True)
class Task:
    key: str
    unit: str
    year: int | None
    files: tuple[str, ...]  # relative to root, report first
    root: str  # the input folder, absolute
    cache: str  # where converted legacy files are kept
    skipped: tuple[Issue, ...] = ()  # files already failed by the parent (timeout, crash)

    @property
    def report_or_key(self) -> str:
        """What a failure of the whole submission names: its first file (the report), else its key."""
        return self.files[0] if self.files else self.key


class Work(Protocol):
    def process(self, task: Task, notify: Callable[[str], None]) -> SubmissionResult: ...


WorkFactory = Callable[[], Work]
Encoder = Callable[[SubmissionResult], Any]  # runs in the worker: the parent's serial work stays small
OnResult = Callable[[Task, Any], None]


class Scheduler(Protocol):
    """What runs a batch's tasks: KillablePool here, or DaskPool (cluster.py) on a Dask cluster.
    on_result(task, encoded) is called in the parent once per task, failed ones included."""

    workers: int

    def run(self, tasks: list[Task], on_result: OnResult, should_stop: Callable[[], bool] = ...) -> bool: ...


def as_is(result: SubmissionResult) -> SubmissionResult:
    return result


def step_issue(task: Task, step: str, code: str, timeout: float) -> Issue:
    """E109 (time limit) or E110 (worker died) naming the file, or the report for the analysis step."""
    source = step or task.report_or_key
    if code == "E109":
        return coded_issue(code, source, path=source, seconds=f"{timeout:g}")
    return coded_issue(code, source, path=source, detail="处理进程异常退出")


def _exit_with_parent(parent: int) -> None:
    """A worker whose batch was killed (kill -9 leaves orphans) exits instead of working on."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _worker_main(conn: Connection, factory: WorkFactory, parent: int, encode: Encoder) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    work = factory()
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            result = work.process(task, lambda step: conn.send(("step", step)))
            conn.send(("done", encode(result)))
        except Exception as exc:  # noqa: BLE001 - a worker must answer, whatever broke
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class Slot:
    process: Any
    conn: Connection
    task: Task | None = None
    step: str | None = None
    deadline: float = 0.0
    done: int = 0  # submissions finished by this worker


class KillablePool:
    """Run tasks on `workers` processes; on_result(task, encode(result)) is called in the parent."""

    def __init__(
        self, factory: WorkFactory, workers: int, timeout: float, encode: Encoder = as_is,
        tasks_per_worker: int = DEFAULT_TASKS_PER_WORKER,
    ) -> None:
        self.factory = factory
        self.encode = encode
        self.tasks_per_worker = tasks_per_worker
        self.workers = max(1, workers)
        self.timeout = timeout
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context: Any = multiprocessing.get_context(method)
        self.slots: list[Slot] = []

    def run(
        self,
        tasks: list[Task],
        on_result: Callable[[Task, Any], None],
        should_stop: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Process every task; False when should_stop() ended the run early."""
        queue = deque(tasks)
        self.slots = [self._start() for _ in range(min(self.workers, len(queue)))]
        try:
            while queue or any(s.task for s in self.slots):
                if should_stop():
                    return False
                self._assign(queue)
                self._poll(queue, on_result)
            return True
        finally:
            self._shutdown()

    def _start(self) -> Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, args=(child, self.factory, os.getpid(), self.encode), daemon=True)
        process.start()
        child.close()
        return Slot(process=process, conn=parent)

    def _assign(self, queue: deque[Task]) -> None:
        for slot in self.slots:
            if slot.task is None and queue:
                slot.task = queue.popleft()
                slot.step, slot.deadline = None, time.monotonic() + self.timeout
                slot.conn.send(slot.task)

    def _poll(self, queue: deque[Task], on_result: Callable[[Task, Any], None]) -> None:
        busy = [s for s in self.slots if s.task is not None]
        now = time.monotonic()
        wait_for = max(0.0, min(s.deadline for s in busy) - now) if busy else 0.0
        handles = [s.conn for s in busy] + [s.process.sentinel for s in busy]
        ready = set(wait(handles, timeout=wait_for))
        for slot in busy:
            if slot.conn in ready:
                self._receive(slot, queue, on_result)
            elif slot.process.sentinel in ready:
                self._replace(slot, queue, "E110", on_result)
            elif time.monotonic() >= slot.deadline:
                self._replace(slot, queue, "E109", on_result)

    def _receive(self, slot: Slot, queue: deque[Task], on_result: Callable[[Task, Any], None]) -> None:
        try:
            kind, payload = slot.conn.recv()
        except (EOFError, OSError):
            self._replace(slot, queue, "E110", on_result)
            return
        task = slot.task
        assert task is not None
        if kind == "step":
            slot.step, slot.deadline = payload, time.monotonic() + self.timeout
            return
        slot.task = None
        slot.done += 1
        if slot.done >= self.tasks_per_worker:
            self._retire(slot)
        self._assign(queue)  # the worker starts its next submission while the parent stores this one
        if kind == "done":
            on_result(task, payload)
        else:
            self._fail(task, coded_issue("E110", task.key, path=task.report_or_key, detail=payload), on_result)

    def _replace(
        self, slot: Slot, queue: deque[Task], code: str, on_result: Callable[[Task, Any], None]
    ) -> None:
        """Kill the slot's worker, record the failing step, start a fresh worker in its place."""
        task, step = slot.task, slot.step
        assert task is not None
        self._restart(slot)
        issue = step_issue(task, step or ANALYSIS_STEP, code, self.timeout)
        if step:  # a file: try the submission again without it
            queue.appendleft(replace(task, skipped=(*task.skipped, issue)))
        else:
            self._fail(task, issue, on_result)

    def _fail(self, task: Task, issue: Issue, on_result: Callable[[Task, Any], None]) -> None:
        """The submission ends failed: the files skipped before and this issue are why."""
        failed = SubmissionResult.failed(task.files, (*task.skipped, issue), task.unit, task.year)
        on_result(task, self.encode(failed))

    def _retire(self, slot: Slot) -> None:
        """A fresh worker after every `tasks_per_worker` submissions: a worker's memory stays flat
        however long the batch (parsers and caches never hand memory back to the system)."""
        self._ask_to_exit(slot, 5)
        self._restart(slot)

    def _restart(self, slot: Slot) -> None:
        """The slot's worker killed if still alive, a fresh one in its place."""
        self._kill(slot)
        self.slots[self.slots.index(slot)] = self._start()

    @staticmethod
    def _ask_to_exit(slot: Slot, grace: float) -> None:
        """Tell an idle worker to return, and give it `grace` seconds to do so."""
        try:
            slot.conn.send(None)
        except OSError:
            pass
        slot.process.join(timeout=grace)

    @staticmethod
    def _kill(slot: Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()

    def _shutdown(self) -> None:
        for slot in self.slots:
            if slot.task is None and slot.process.is_alive():
                self._ask_to_exit(slot, 2)
            self._kill(slot)
        self.slots = []


def default_workers() -> int:
    """One worker per core this process may run on (a container's CPU set, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1

"""The batch on a Dask cluster: `extractor batch --scheduler tcp://HOST:8786` or `local:N`.

The parent keeps its job (discover, group, decide what the cache holds, be the only writer
of results.sqlite and OUT); only the work moves. A task carries one submission's file bytes
(no shared filesystem; with `local:N` the workers read the input where it is, as the local
pool's do) and comes back as the facts file's text and the database rows. A
worker plugin brings the run's patterns bundle and --ocr mode, and builds the Work, and with it the spaCy
pipeline, once per worker process.

The local pool's guarantees, kept the same way: a worker announces each file before it
reads it (a synchronous event through the scheduler), so the parent knows which file ran
past the time limit (it drops the task and ends that worker process, whose nanny starts a
fresh one: E109) or which file a dead worker was reading (E110); the submission is tried
again without that file. At most `in_flight` submissions are out at once (back-pressure).
Needs workers of one thread each (`dask worker --nthreads 1`): ending a process must not
end someone else's task. Set-up and measurements: docs/cluster.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import dask
from distributed import Client, Future, LocalCluster, get_client, get_worker, wait
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import UsageError
from ..model import SubmissionResult
from ..patterns import Patterns, activate
from ..pipeline import coded_issue, ocr_mode, set_ocr_mode
from ..serialize import write_atomic
from .cluster_settings import DASK_SETTINGS, quiet_scheduler, quiet_worker
from .outputs import encode_with_facts
from .pool import ANALYSIS_STEP, OnResult, Task, WorkFactory, step_issue
from .work import PipelineWork, warm_up

PLUGIN = "extractor"
TOPIC = "extractor-step"
IN_FLIGHT_PER_THREAD = 2  # one running, one waiting with its bytes, per worker thread
RETRIES = 3  # an attempt lost with another task's worker before it began is sent again
POLL = 0.2  # seconds: how often the parent looks at the events when no task completes


def parse_scheduler(spec: str) -> tuple[str, int]:
    """`tcp://HOST:PORT` -> (address, 0); `local:N` -> ("local", N)."""
    if spec.startswith("local:") and spec[6:].isdigit() and int(spec[6:]) > 0:
        return "local", int(spec[6:])
    if spec.startswith(("tcp://", "tls://")):
        return spec, 0
    raise UsageError("E301", detail=f"--scheduler 应为 tcp://主机:8786 或 local:进程数，而不是 {spec}")


class ExtractorPlugin(WorkerPlugin):
    """On each worker process, once: the parent's patterns bundle made the process's, the Work
    built, and with the real pipeline the parsers imported and the spaCy pipeline built. The
    bundle travels here, so a worker needs no patterns folder of its own."""

    name = PLUGIN

    def __init__(self, factory: WorkFactory, patterns: Patterns) -> None:
        self.factory = factory
        self.patterns = patterns
        self.ocr = ocr_mode()  # the parent's --ocr, which local workers would read from the environment
        self.work: Any = None
        self.cache = ""

    def setup(self, worker: Any) -> None:
        quiet_worker(worker)
        set_ocr_mode(self.ocr)
        activate(self.patterns)
        self.work = self.factory()
        if isinstance(self.work, PipelineWork):
            warm_up(self.patterns)
        self.cache = str(Path(tempfile.gettempdir()) / f"extractor-converted-{os.getuid()}")


def run_on_worker(task: Task, token: str, files: dict[str, bytes] | None) -> tuple[str, str, Any]:
    """One submission on a worker: its files written to a private folder, processed, encoded.
    `files` None (local:N, this machine): the input read where it is, as a local pool worker does."""
    worker = get_worker()
    plugin: ExtractorPlugin = worker.plugins[PLUGIN]
    client = get_client()

    def announce(step: str) -> None:  # synchronous: the parent knows it before the worker goes on
        client.log_event(TOPIC, {"token": token, "worker": worker.address, "step": step})

    if files is None:
        return encode_with_facts(plugin.work.process(task, announce))
    with tempfile.TemporaryDirectory(prefix="extractor-task-") as folder:
        for name, data in files.items():
            path = Path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        result = plugin.work.process(replace(task, root=folder, cache=plugin.cache), announce)
    return encode_with_facts(as_if_read_from(result, folder, task.root))


def as_if_read_from(result: SubmissionResult, folder: str, root: str) -> SubmissionResult:
    """A parser's own message may quote the path it opened: the parent's, as the local pool has it."""
    if not any(folder in issue.message for issue in result.issues):
        return result
    issues = tuple(replace(i, message=i.message.replace(folder, root)) for i in result.issues)
    return replace(result, issues=issues)


async def _end_this_worker_process() -> None:  # a coroutine: Client.run(wait=False) wants one
    await asyncio.sleep(0.2)  # the worker's "OK" to the run goes out first, most times
    os._exit(1)  # its nanny starts a fresh worker process


def end_worker_processes(client: Client, workers: list[str]) -> None:
    """Those worker processes ended. A process may die before its answer leaves (a loaded
    machine): the scheduler then reports CommClosedError, which is what was asked for, so ignored."""
    client.run(_end_this_worker_process, workers=workers, wait=False, on_error="ignore")


def _one_try_per_task(dask_scheduler: Any) -> None:
    """A task whose worker dies fails at once (the parent decides what to retry) and a worker
    holds only the task it runs (so a process ended for a timeout takes no other task along)."""
    dask_scheduler.allowed_failures = 0
    dask_scheduler.WORKER_SATURATION = 1.0
    quiet_scheduler(dask_scheduler)  # a tcp:// one: its logs held every submission's bytes (cluster_settings)


@dataclass
class Attempt:
    task: Task
    token: str
    begun: bool = False  # a worker has announced its first step (a file, or the analysis)
    step: str | None = None  # the file being read, ANALYSIS_STEP after reading, None before
    worker: str = ""
    deadline: float = float("inf")
    retries: int = 0


class DaskPool:
    """A Scheduler (pool.py) on a Dask cluster: on_result(task, encoded) in the parent."""

    def __init__(
        self, spec: str, factory: WorkFactory, timeout: float, out: Path, patterns: Patterns, in_flight: int | None = None,
    ) -> None:
        self.address, self.workers = parse_scheduler(spec)
        self.factory = factory
        self.timeout = timeout
        self.out = out
        self.patterns = patterns
        self.in_flight = in_flight

    def run(self, tasks: list[Task], on_result: OnResult, should_stop: Callable[[], bool] = lambda: False) -> bool:
        """Process every task; False when should_stop() ended the run early."""
        if not tasks:
            return True
        with self._client() as client:
            client.run_on_scheduler(_one_try_per_task)
            threads = _check_workers(client)
            client.register_plugin(ExtractorPlugin(self.factory, self.patterns), name=PLUGIN)
            events: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
            client.subscribe_topic(TOPIC, lambda event: events.put(event[1]))
            limit = self.in_flight or IN_FLIGHT_PER_THREAD * threads
            run = _Run(client, self, on_result, events, limit)
            try:
                return run.loop(deque(tasks), should_stop)
            finally:
                run.cancel_all()
                client.unsubscribe_topic(TOPIC)

    @contextlib.contextmanager
    def _client(self) -> Iterator[Client]:
        with dask.config.set(DASK_SETTINGS):  # no message logs (they held the file bytes), no profiler
            yield from self._connect()

    def _connect(self) -> Iterator[Client]:
        if self.address == "local":
            with LocalCluster(  # the scheduler's HTTP server on a free port: no warning when 8787 is taken
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.CRITICAL,
            ) as cluster, Client(cluster, direct_to_workers=True) as client:  # results not through the scheduler
                yield client
            return
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            client = Client(self.address, timeout=15)
        except (OSError, TimeoutError) as exc:
            raise UsageError("E301", detail=f"无法连接调度器 {self.address}（{exc}）：请先启动 dask scheduler") from None
        with client:
            yield client


def _check_workers(client: Client) -> int:
    """The cluster's worker threads; one per worker process, or a timeout would end others' tasks."""
    client.wait_for_workers(1, timeout=120)
    threads = client.nthreads()
    if any(n != 1 for n in threads.values()):
        raise UsageError("E301", detail="每个 dask worker 进程只能有 1 个线程：请用 dask worker --nthreads 1 启动")
    return len(threads)


class _Run:
    """One batch's tasks through the cluster: submit up to the limit, follow the events, collect."""

    def __init__(
        self, client: Client, pool: DaskPool, on_result: OnResult, events: queue.SimpleQueue[dict[str, Any]],
        limit: int,
    ) -> None:
        self.client, self.pool, self.on_result, self.events = client, pool, on_result, events
        self.limit = max(1, limit)
        self.live: dict[Future, Attempt] = {}
        self.by_token: dict[str, Attempt] = {}

    def loop(self, waiting: deque[Task], should_stop: Callable[[], bool]) -> bool:
        retry: deque[Attempt] = deque()
        while waiting or retry or self.live:
            if should_stop():
                return False
            while (waiting or retry) and len(self.live) < self.limit:
                self._submit(retry.popleft() if retry else Attempt(waiting.popleft(), ""))
            done = self._wait()
            self._follow_events()
            finished = [f for f in done if f.status == "finished"]
            results = dict(zip(finished, self.client.gather(finished))) if finished else {}  # one round trip
            for future in done:
                self._collect(future, results.get(future), waiting, retry)
            self._end_overdue(waiting)
        return True

    def _submit(self, attempt: Attempt) -> None:
        task = attempt.task
        files = None if self.pool.address == "local" else {n: (Path(task.root) / n).read_bytes() for n in task.files}
        token = uuid.uuid4().hex
        future = self.client.submit(run_on_worker, task, token, files, key=f"extractor-{token}", pure=False)
        fresh = Attempt(task, token, retries=attempt.retries)
        self.live[future] = fresh
        self.by_token[token] = fresh

    def _wait(self) -> list[Future]:
        now = time.monotonic()
        soonest = min((a.deadline for a in self.live.values()), default=now + POLL)
        try:
            finished = wait(list(self.live), timeout=max(0.01, min(POLL, soonest - now)), return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        return list(finished.done)

    def _follow_events(self) -> None:
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return
            attempt = self.by_token.get(event["token"])
            if attempt is None:
                continue
            attempt.worker, attempt.begun, attempt.step = event["worker"], True, event["step"]
            attempt.deadline = time.monotonic() + self.pool.timeout

    def _collect(self, future: Future, result: Any, waiting: deque[Task], retry: deque[Attempt]) -> None:
        attempt = self._forget(future)
        if result is not None:
            name, text, encoded = result
            write_atomic(self.pool.out / "facts" / name, text)
            self.on_result(attempt.task, encoded)
            return
        error = future.exception()
        if type(error).__name__ != "KilledWorker":
            detail = f"{type(error).__name__}: {error}"
            self._fail(attempt.task, coded_issue("E110", attempt.task.key, path=attempt.task.report_or_key, detail=detail))
        elif not attempt.begun and attempt.retries < RETRIES:
            retry.append(replace(attempt, retries=attempt.retries + 1))  # lost with another task's worker
        else:
            self._lost(attempt, "E110", waiting)

    def _end_overdue(self, waiting: deque[Task]) -> None:
        now = time.monotonic()
        for future, attempt in list(self.live.items()):
            if attempt.begun and now >= attempt.deadline:
                self._forget(future)
                future.cancel()
                end_worker_processes(self.client, [attempt.worker])
                self._lost(attempt, "E109", waiting)

    def _lost(self, attempt: Attempt, code: str, waiting: deque[Task]) -> None:
        """As the local pool: a file's failure re-queues the submission without it; a failure
        after reading fails the submission."""
        task, step = attempt.task, attempt.step
        issue = step_issue(task, step or ANALYSIS_STEP, code, self.pool.timeout)
        if step:
            waiting.appendleft(replace(task, skipped=(*task.skipped, issue)))
        else:
            self._fail(task, issue)

    def _fail(self, task: Task, issue: Any) -> None:
        failed = SubmissionResult.failed(task.files, (*task.skipped, issue), task.unit, task.year)
        name, text, encoded = encode_with_facts(failed)
        write_atomic(self.pool.out / "facts" / name, text)
        self.on_result(task, encoded)

    def _forget(self, future: Future) -> Attempt:
        attempt = self.live.pop(future)
        self.by_token.pop(attempt.token, None)
        return attempt

    def cancel_all(self) -> None:
        """Stopped early (Ctrl-C, --fail-fast): the tasks dropped, and the worker processes that
        run them ended, since a worker cannot close while a task of ours (maybe a hanging file) runs."""
        self._follow_events()
        running = sorted({a.worker for a in self.live.values() if a.begun and a.worker})
        if running:
            end_worker_processes(self.client, running)
        if self.live:
            self.client.cancel(list(self.live))
        self.live.clear()
        self.by_token.clear()

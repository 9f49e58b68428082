"""The Dask settings the batch runs with: no developer logs, no profiler, no work stealing.

Logs. Dask keeps the last `distributed.admin.low-level-log-length` (1000) messages of every
connection (BatchedSend.recent_message_log), and the scheduler's and workers' transition
and stimulus logs, for its developers. A message that submits one of our tasks carries that
submission's file bytes, so the parent (the client, and with `local:N` the scheduler) grew
by about the bytes of each submission sent until the 1000th: +28 MiB over 550 tasks of 20 kB
files with `local:2`, flat with none kept (bench/cluster_trace.py, docs/cluster.md).

Profiler. A worker samples its task thread's stack every 10 ms (distributed.worker.profile):
12 % of a worker's CPU on samples/batch ×3 (bench/cluster_bench.py --child, docs/cluster.md).
Work stealing moves queued tasks between workers; the batch queues none on a worker
(worker-saturation 1.0, its own in-flight limit), so it is only the parent's CPU.

With `local:N` the settings reach everything (the nannies pass their config on to the
worker processes they start); with a `tcp://` scheduler the parent's client takes them, and
the scheduler and the workers are trimmed when the batch connects (docs/cluster.md: the
environment to start them with, for what cannot be changed on a running one).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import dask

LOG_LENGTH = "distributed.admin.low-level-log-length"
DASK_SETTINGS = {
    LOG_LENGTH: 0,
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
}


def quiet_scheduler(dask_scheduler: Any) -> None:
    """On a running scheduler: its message and transition logs emptied and kept empty."""
    dask.config.set({LOG_LENGTH: 0})  # the connections it opens from now on
    for stream in (*dask_scheduler.stream_comms.values(), *dask_scheduler.client_comms.values()):
        stream.recent_message_log = deque(maxlen=0)
    dask_scheduler.transition_log = deque(maxlen=0)


def quiet_worker(worker: Any) -> None:
    """On a worker process: its stream's message log and its state machine's logs emptied
    (a compute-task stimulus holds the task's arguments, the file bytes), its profiler stopped."""
    dask.config.set({LOG_LENGTH: 0})
    if getattr(worker, "batched_stream", None) is not None:
        worker.batched_stream.recent_message_log = deque(maxlen=0)
    state = getattr(worker, "state", None)
    if state is not None:
        state.log = deque(maxlen=0)
        state.stimulus_log = deque(maxlen=0)
    for name in ("profile", "profile-cycle"):
        callback = getattr(worker, "periodic_callbacks", {}).pop(name, None)
        if callback is not None:
            callback.stop()

"""Dask's developer logs, kept empty for the batch: they held every submission's file bytes.

Dask keeps the last `distributed.admin.low-level-log-length` (1000) messages of every
connection (BatchedSend.recent_message_log), and the scheduler's and workers' transition
and stimulus logs, for its developers. A message that submits one of our tasks carries that
submission's file bytes, so the parent (the client, and with `local:N` the scheduler) grew
by about the bytes of each submission sent until the 1000th: +28 MiB over 550 tasks of 20 kB
files with `local:2` (bench/cluster_trace.py), flat with none kept (docs/cluster.md).

With `local:N` the setting reaches everything (the nannies pass their config to the worker
processes they start); with a `tcp://` scheduler the parent's client takes it, and the
scheduler and the workers are trimmed when the batch connects (their next connections, a
replaced worker's included, are created empty).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import dask

LOG_LENGTH = "distributed.admin.low-level-log-length"
QUIET_LOGS = {LOG_LENGTH: 0}


def quiet_scheduler(dask_scheduler: Any) -> None:
    """On a running scheduler: its message and transition logs emptied and kept empty."""
    dask.config.set(QUIET_LOGS)  # the connections it opens from now on
    for stream in (*dask_scheduler.stream_comms.values(), *dask_scheduler.client_comms.values()):
        stream.recent_message_log = deque(maxlen=0)
    dask_scheduler.transition_log = deque(maxlen=0)


def quiet_worker(worker: Any) -> None:
    """On a worker process: its stream's message log and its state machine's logs emptied
    (a compute-task stimulus holds the task's arguments, the file bytes)."""
    dask.config.set(QUIET_LOGS)
    if getattr(worker, "batched_stream", None) is not None:
        worker.batched_stream.recent_message_log = deque(maxlen=0)
    state = getattr(worker, "state", None)
    if state is not None:
        state.log = deque(maxlen=0)
        state.stimulus_log = deque(maxlen=0)

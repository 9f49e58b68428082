"""OUT: made or refused with a coded line, owned by one kind of run, locked by one run at a time.

- OUT that is a file, lies under a file or cannot be written: E112/E113 before any work.
- One kind of run: a batch's OUT holds results.sqlite; `check` into it would replace the
  batch's lists with one unit's, and a batch into a `check` OUT (its lists, no database)
  would replace that unit's. Both are refused (E119): use another folder.
- One run at a time: OUT/.extractor.lock is held with flock (released by the kernel when
  the holder dies, even by kill -9) and names the holder's pid; a second run on the same
  OUT is refused at once (E118) rather than made to wait for a batch of unknown length.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from ..errors import EnvironmentFault, UsageError, environment_fault

LOCK_NAME = ".extractor.lock"
DB_NAME = "results.sqlite"
CHECK_MARKER = "discrepancies.json"
KINDS = {"batch": "batch（批量核查）", "check": "check（单份核查）"}


def prepare_out(out: Path) -> None:
    """Create OUT (and its parents); E112 when it is or lies under a file, E113 when not writable."""
    if out.exists() and not out.is_dir():
        raise EnvironmentFault("E112", path=out, detail="是一个已有的文件")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_fault(exc, out) from None


def check_kind(out: Path, kind: str) -> None:
    """E119 when OUT holds the results of the other kind of run."""
    batch_out = (out / DB_NAME).exists()
    check_out = (out / CHECK_MARKER).exists() and not batch_out
    if kind == "check" and batch_out:
        raise UsageError("E119", path=out, kind=KINDS["batch"], marker=DB_NAME)
    if kind == "batch" and check_out:
        raise UsageError("E119", path=out, kind=KINDS["check"], marker=f"{CHECK_MARKER} 而没有 {DB_NAME}")


class OutLock:
    """Held for the whole run; `with OutLock(out):` refuses (E118) when another run holds it."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self.handle: IO[str] | None = None

    def __enter__(self) -> OutLock:
        try:
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise environment_fault(exc, self.path.parent) from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise EnvironmentFault("E118", path=self.path.parent, pid=holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *_: object) -> None:
        if self.handle is not None:
            try:  # emptied before the flock is released: OUT's bytes never depend on a pid
                self.handle.seek(0)
                self.handle.truncate()
            finally:
                self.handle.close()
                self.handle = None


def claim_out(out: Path, kind: str) -> OutLock:
    """prepare_out, check_kind and the lock, in that order; use as a context manager."""
    prepare_out(out)
    check_kind(out, kind)
    return OutLock(out)

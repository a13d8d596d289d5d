"""One writer per run directory: an flock on `writer.lock`, which holds the writer's pid.

The kernel drops the lock when the process ends however it ends (SIGKILL included), so a stale
file never blocks a new run, and a reader can ask whether a writer is still alive.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_FILE = "writer.lock"


class Locked(RuntimeError):
    """Another live process writes this directory; args[0] is its pid (None if unreadable)."""


def _held(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip() or "x")
    except (OSError, ValueError):
        return None


def live_writer(run_dir: Path) -> int | None:
    """The pid of the process writing run_dir now (0 if its pid is unreadable), or None."""
    path = run_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if not _held(fd, fcntl.LOCK_SH):
            return None
    finally:
        os.close(fd)
    return _pid(path) or 0


class WriterLock:
    """Taken by the writer for the whole run; released by release() or by the process ending."""

    def __init__(self, run_dir: Path):
        self.path = run_dir / LOCK_FILE
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise Locked(_pid(self.path)) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode("ascii"))

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1

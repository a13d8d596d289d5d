"""stdout and stderr that can fail without taking the run down.

stdout: JSON Lines written by a thread from a bounded queue straight to the file descriptor, so
a reader that stops reading (a full pipe) blocks that thread only and a signal is still answered
at once; nothing is left in Python's buffers to block or fail at exit. stderr: each write goes
to the descriptor too; a write that fails (/dev/full, closed) turns the stream off silently.
"""

from __future__ import annotations

import errno
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

QUEUE_BLOCKS = 256  # blocks of lines (one per snapshot) waiting for a slow reader; then the run waits
_CLOSED = (errno.EPIPE, errno.EBADF, errno.EINVAL)  # the reader left, or there is no stdout


def _descriptor(stream: Any) -> int | None:
    try:
        fd = stream.fileno()
        os.fstat(fd)
        return fd
    except (AttributeError, OSError, ValueError):
        return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # a non-blocking descriptor inherited from the caller
            time.sleep(0.01)


class StdoutPipe:
    """Lines to stdout in order, from a writer thread. state: open, closed (the reader left or
    stdout was closed to begin with) or failed (error holds the OSError, e.g. /dev/full)."""

    def __init__(self, stream: TextIO | None):
        self.state, self.error = "open", None  # type: str, OSError | None
        self._stream = stream
        self._fd = _descriptor(stream) if stream is not None else None
        if stream is None:
            self.state = "closed"
            return
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._thread = threading.Thread(target=self._drain, name="stdout", daemon=True)
        self._thread.start()

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def _drain(self) -> None:
        while (line := self._queue.get()) is not None:
            try:
                if self._fd is not None:
                    _write_all(self._fd, line.encode("utf-8"))
                elif self._stream is not None:  # an in-memory stream (tests, embedding)
                    self._stream.write(line)
                    self._stream.flush()
            except OSError as err:
                self.state = "closed" if err.errno in _CLOSED or isinstance(err, BrokenPipeError) else "failed"
                self.error = err
                return
            except ValueError:  # a closed Python stream
                self.state = "closed"
                return

    def put(self, line: str, give_up: Callable[[], bool]) -> bool:
        """Queue one line; waits while the queue is full until give_up() says so. False: not queued."""
        wait = 0.0  # first without waiting: a run that must stop does not wait for a full queue
        while self.is_open:
            try:
                self._queue.put(line + "\n", timeout=wait) if wait else self._queue.put_nowait(line + "\n")
                return True
            except queue.Full:
                if give_up():
                    return False
                wait = 0.05
        return False

    def close(self, give_up: Callable[[], bool]) -> None:
        """Let the writer finish what is queued, however long a slow reader takes, until
        give_up() says so (a reader that never reads again must not hold the exit)."""
        if not hasattr(self, "_thread"):
            return
        if self.put_end(give_up):
            while self._thread.is_alive() and not give_up():
                self._thread.join(0.05)

    def put_end(self, give_up: Callable[[], bool]) -> bool:
        while self._thread.is_alive():
            try:
                self._queue.put_nowait(None)
                return True
            except queue.Full:
                if give_up():
                    return False
                self._thread.join(0.05)
        return False


class SafeStderr:
    """A text stream for messages and the progress bar; OSError turns it into a sink."""

    def __init__(self, stream: TextIO | None):
        self._stream = stream
        self._fd = _descriptor(stream) if stream is not None else None
        self.broken = stream is None

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                if self._fd is not None:
                    _write_all(self._fd, text.encode("utf-8", "replace"))
                elif self._stream is not None:
                    self._stream.write(text)
                    self._stream.flush()
            except (OSError, ValueError):
                self.broken = True
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        try:
            return self._stream is not None and not self.broken and bool(self._stream.isatty())
        except (AttributeError, OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:  # encoding, errors, ... for Rich
        return getattr(self._stream, name)

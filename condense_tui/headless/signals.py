"""SIGINT, SIGTERM and SIGHUP set a flag the main loop reads (a second one stops at once); the
previous handlers come back on exit."""

from __future__ import annotations

import signal
import threading
from typing import Any, Self

CAUGHT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Signals:
    def __init__(self) -> None:
        self.caught: int | None = None
        self._previous: dict[int, Any] = {}

    @property
    def name(self) -> str | None:
        return signal.Signals(self.caught).name if self.caught is not None else None

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():
            for sig in CAUGHT:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.caught is not None:  # asked twice: stop now, without the summary
            raise KeyboardInterrupt
        self.caught = signum

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

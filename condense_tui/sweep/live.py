"""A sweep running on its own thread, watched by a view that may come and go.

The sweep thread never waits for a view: each row is kept here and handed to the listener (the
view posts it to its own message queue). A view opened later reads every row kept so far.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .runner import run_sweep
from .store import read_rows

if TYPE_CHECKING:
    from .runner import SweepPlan
    from .spec import SweepSpec

Row = dict[str, Any]


class LiveSweep:
    """`run_sweep` in a daemon thread; rows, progress, and a stop flag for the view's `q`."""

    def __init__(self, spec: SweepSpec | None, *, workers: int | None = None, scheduler: str | None = None,
                 out: Path | None = None, resume: bool = False, force: bool = False,
                 stop: Callable[[], bool] = lambda: False, runner: Callable[..., Any] = run_sweep) -> None:
        self._runner = runner  # run_sweep, or a wrapper around it (tests hold rows back with one)
        self._args = {"workers": workers, "scheduler": scheduler, "out": out, "resume": resume, "force": force}
        self.out = out
        self.spec = spec
        self.plan: SweepPlan | None = None
        self.rows: list[Row] = []  # earlier rows from the store first, then this sweep's in finish order
        self.earlier = 0  # rows that were in the store before this sweep started
        self.error: BaseException | None = None
        self.finished = False
        self.started_at = time.monotonic()
        self.ended_at: float | None = None
        self.listener: Callable[[Row | None], None] | None = None  # None = the sweep ended
        self._stop_requested = False
        self._outside_stop = stop
        self._planned = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sweep", daemon=True)

    # -- the sweep thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._runner(self.spec, **self._args, on_row=self._on_row, on_plan=self._on_plan,
                         stop=self.should_stop)
        except BaseException as err:  # noqa: BLE001 - handed to the main thread, which reports it
            self.error = err
        finally:
            self.finished = True
            self.ended_at = time.monotonic()
            self._planned.set()
            self._tell(None)

    def _on_plan(self, plan: SweepPlan) -> None:
        self.plan, self.spec = plan, plan.spec
        if plan.done and self.out is not None:
            done = {p.key for p in plan.points}
            self.rows = [r for r in read_rows(self.out) if r.get("point") in done]
            self.earlier = len(self.rows)
        self.started_at = time.monotonic()
        self._planned.set()

    def _on_row(self, row: Row) -> None:
        self.rows.append(row)  # list.append is atomic; the view only reads
        self._tell(row)

    def _tell(self, row: Row | None) -> None:
        listener = self.listener
        if listener is not None:
            listener(row)

    # -- the main thread ----------------------------------------------------------------------------
    def start(self) -> SweepPlan | None:
        """Start the sweep; return its plan once made (None when it failed before: see `error`)."""
        self._thread.start()
        self._planned.wait()
        return self.plan

    def should_stop(self) -> bool:
        return self._stop_requested or self._outside_stop()

    def request_stop(self) -> None:
        self._stop_requested = True

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def total(self) -> int:
        return len(self.plan.points) if self.plan else 0

    @property
    def new_rows(self) -> int:
        return len(self.rows) - self.earlier

    def elapsed(self) -> float:
        return (self.ended_at or time.monotonic()) - self.started_at

    def eta(self) -> float | None:
        """Seconds left at this sweep's pace so far (None before its first row or once ended)."""
        left = self.total - len(self.rows)
        if self.finished or left <= 0 or self.new_rows <= 0:
            return None
        return self.elapsed() / self.new_rows * left

"""Analyses snapshots off the UI thread, newest snapshot first, one at a time.

Snapshots that arrive while one is being analysed replace each other: only the newest is worth
drawing. The analysis is delivered with its snapshot; the frame loop keeps it for the charts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .meter import RenderMeter

if TYPE_CHECKING:
    from ..analysis.report import Analysis
    from ..engine.snapshot import Snapshot

Deliver = Callable[["Snapshot", "Analysis | None", "BaseException | None"], object]


class Analyst:
    def __init__(self, deliver: Deliver, meter: RenderMeter | None = None) -> None:
        self._deliver = deliver
        self._meter = meter
        self._cond = threading.Condition()
        self._job: Snapshot | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="condense-analyst", daemon=True)
        self._thread.start()

    def submit(self, snapshot: Snapshot) -> None:
        with self._cond:
            self._job = snapshot
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._job is not None or self._closed)
                if self._closed:
                    return
                job, self._job = self._job, None
            assert job is not None
            error: BaseException | None = None
            analysis: Analysis | None = None
            started = time.thread_time()
            try:
                # imported on this thread when the first job comes (then a dict lookup): the app's
                # start does not wait for the analysis modules
                from ..analysis.report import analysis_of

                analysis = analysis_of(job)
            except Exception as err:  # noqa: BLE001 - shown in the UI, never fatal
                error = err
            if self._meter is not None:
                self._meter.add(time.thread_time() - started)
            self._deliver(job, analysis, error)

"""Where batches train: this process, a local process pool, or a Dask cluster.

Each executor yields the rows of one batch at a time, as batches finish (any order), and stops
early when `stop()` turns true: finished rows are already out; unfinished batches are dropped.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from .rows import run_batch
from .spec import SweepError

if TYPE_CHECKING:
    from .plan import Batch

Rows = list[dict[str, Any]]
POLL_S = 0.1  # how often a waiting executor looks at the stop flag


def run_in_process(batches: list[Batch], stop: Callable[[], bool]) -> Iterator[Rows]:
    for batch in batches:
        if stop():
            return
        rows = run_batch(batch, stop)
        if rows:
            yield rows


_worker_stop: Any = None  # in a pool worker: the parent's stop Event


def _start_worker(stop_event: Any) -> None:
    """Workers leave Ctrl-C to the parent, which tells them to stop through the shared event."""
    global _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_stop = stop_event


def _run_in_worker(batch: Batch) -> Rows:
    return run_batch(batch, _worker_stop.is_set)


def run_in_pool(batches: list[Batch], workers: int, stop: Callable[[], bool]) -> Iterator[Rows]:
    # forkserver/spawn, not fork: the parent has used torch (activation multiplicities), and a forked
    # child of an initialised OpenMP runtime can crash or hang
    context = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    stop_event = context.Event()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(stop_event,))
    try:
        pending = {pool.submit(_run_in_worker, batch) for batch in batches}
        while pending and not stop():
            done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()  # a worker that died raises BrokenProcessPool here
    finally:
        stop_event.set()  # running batches end at their next snapshot; queued ones never start
        pool.shutdown(wait=True, cancel_futures=True)


def run_on_dask(batches: list[Batch], address: str, stop: Callable[[], bool]) -> Iterator[Rows]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise SweepError("--scheduler needs dask.distributed (pip install 'condense-tui[cluster]')") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as err:
        raise SweepError(f"cannot reach the Dask scheduler at {address!r} ({' '.join(str(err).split())}); "
                         "check the address and that the scheduler runs") from None
    futures = client.map(run_batch, batches, pure=False)
    pending = set(futures)
    try:
        while pending and not stop():
            ready = [future for future in pending if future.done()]
            if not ready:
                time.sleep(POLL_S)
                continue
            for future in ready:
                pending.discard(future)
                yield future.result()
    finally:
        client.cancel(list(pending))
        client.close()


def execute(batches: list[Batch], workers: int, scheduler: str | None,
            stop: Callable[[], bool]) -> Iterator[Rows]:
    if scheduler:
        return run_on_dask(batches, scheduler, stop)
    if workers <= 1 or len(batches) <= 1:
        return run_in_process(batches, stop)
    return run_in_pool(batches, min(workers, len(batches)), stop)

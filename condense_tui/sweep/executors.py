"""Where batches train: this process, a local process pool, or a Dask cluster.

Each executor yields the rows of one batch at a time, as batches finish (any order), and stops
early when `stop()` turns true: finished rows are already out; unfinished batches are dropped.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator

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


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which ends the pool itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_in_pool(batches: list[Batch], workers: int, stop: Callable[[], bool]) -> Iterator[Rows]:
    # fork starts workers at once (no re-import of the engine); spawn where fork does not exist
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    pool = multiprocessing.get_context(method).Pool(workers, initializer=_ignore_sigint)
    try:
        results = pool.imap_unordered(run_batch, batches)
        remaining = len(batches)
        while remaining and not stop():
            try:
                rows = results.next(timeout=POLL_S)
            except multiprocessing.TimeoutError:
                continue
            remaining -= 1
            yield rows
    finally:
        pool.terminate()
        pool.join()


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

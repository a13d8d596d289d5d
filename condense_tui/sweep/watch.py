"""`condense-tui sweep` on a terminal: the sweep trains on a thread while the live view shows it.

Enter on a cell leaves the view for that run in the TUI; quitting the run comes back to the view,
the sweep having trained on meanwhile. `q` in the view stops the sweep (finished rows are kept).
Exit codes as headless: 0 done, 1 a run failed, 2 bad input, 130 stopped before the end.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .live import LiveSweep
from .spec import SweepError

if TYPE_CHECKING:
    from .spec import SweepSpec

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _failure(error: BaseException, report: Callable[[str], None]) -> int:
    if isinstance(error, SweepError):
        report(str(error))
        return EXIT_BAD_INPUT
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    report(f"a sweep run failed: {error} (finished rows are kept)")
    return EXIT_FAILED


def watch_sweep(spec: SweepSpec | None, *, workers: int | None, scheduler: str | None, out: Path | None,
                resume: bool, force: bool, quiet: bool, stop: Callable[[], bool],
                report: Callable[[str], None]) -> int:
    """Run the sweep under the live view; `report` prints one error line. Returns the exit code."""
    from .opening import open_run
    from .view import SweepView

    live = LiveSweep(spec, workers=workers, scheduler=scheduler, out=out, resume=resume, force=force, stop=stop)
    if live.start() is None:  # a bad definition or store: nothing trained, no screen opened
        live.join()
        return _failure(live.error or RuntimeError("the sweep did not start"), report)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a diverging run shows in its row
            view = SweepView(live)
            while (target := view.run()) is not None:
                open_run(target)
                view = SweepView(live, after=view)
        if not live.finished:
            sys.stderr.write("condense-tui: stopping the sweep at the next snapshot (finished rows are kept)\n")
            sys.stderr.flush()
        live.request_stop()
        live.join()
    except KeyboardInterrupt:  # a second Ctrl-C while stopping
        live.request_stop()
    if live.error is not None:
        return _failure(live.error, report)
    if len(live.rows) < live.total:
        kept = f"; rows are in {out}, continue with --resume" if out is not None else ""
        sys.stderr.write(f"condense-tui: stopped after {live.new_rows} new runs{kept}\n")
        return EXIT_INTERRUPTED
    if not quiet:
        from rich.console import Console

        from .table import rich_table, summarize

        assert live.spec is not None
        Console(stderr=True).print(rich_table(summarize(live.rows, live.spec.axes)))
    return EXIT_OK

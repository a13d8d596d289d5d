"""condense-tui: watch and measure the condensation of small-init neural networks.

In a notebook: `condense_tui.load_run(DIR)` opens a stored run and `condense_tui.run(preset,
**overrides)` trains one here; both return a LoadedRun (see condense_tui.viewer.api). They load on
first use, so `import condense_tui` stays light.
"""

from __future__ import annotations

from __future__ import annotations

import os
from typing import Any

# NumPy's OpenBLAS starts one worker per core, and its workers spin after each product. On the
# 2-core machines this tool targets that steals the core the other thread (training or UI)
# needs: a step-0 analysis at m = 1000 took 31 ms instead of 7 ms, and training right after it
# slowed too. The products here are small, so one BLAS thread loses nothing. This only takes
# effect when NumPy is not loaded yet (as under the condense-tui command); a user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_API = ("load_run", "run", "LoadedRun", "RunFailed")
__all__ = list(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        from .viewer import api

        return getattr(api, name)
    raise AttributeError(f"module 'condense_tui' has no attribute {name!r}")

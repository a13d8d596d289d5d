"""condense-tui: watch and measure the condensation of small-init neural networks."""

from __future__ import annotations

import os

# NumPy's OpenBLAS starts one worker per core, and its workers spin after each product. On the
# 2-core machines this tool targets that steals the core the other thread (training or UI)
# needs: a step-0 analysis at m = 1000 took 31 ms instead of 7 ms, and training right after it
# slowed too. The products here are small, so one BLAS thread loses nothing. This only takes
# effect when NumPy is not loaded yet (as under the condense-tui command); a user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

"""A sweep sent to a Dask cluster gives the rows of the local run."""

from __future__ import annotations

import pytest

from condense_tui.sweep.runner import run_sweep
from condense_tui.sweep.spec import SweepSpec, with_flags

distributed = pytest.importorskip("dask.distributed", reason="the cluster extra (dask[distributed]) is not installed")

SPEC = with_flags(SweepSpec(name="t"), "fig6-tanh", ["lr=0.0005,0.001"], "0-1",
                  ["steps=30", "watch_step=30", "dtype=float64"])


def _comparable(rows: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in row.items() if k != "wall_s"} for row in rows), key=lambda r: r["point"])


def test_dask_local_cluster_gives_the_local_rows():
    local = run_sweep(SPEC, workers=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = run_sweep(SPEC, workers=1, scheduler=cluster.scheduler_address)
    assert len(local) == 4
    assert _comparable(remote) == _comparable(local)



def test_without_the_extra_scheduler_says_what_to_install(monkeypatch):
    from condense_tui.sweep.spec import SweepError

    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)  # import fails
    with pytest.raises(SweepError, match=r"pip install 'condense-tui\[cluster\]'"):
        run_sweep(SPEC, scheduler="tcp://127.0.0.1:8786")

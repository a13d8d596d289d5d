"""Sweeps: a grid of runs over settings, batched where shapes agree, on local cores or Dask.

The package imports nothing at load time, so registering the sweep command keeps the CLI light."""

"""Shared helpers for the TUI tests: small fast configs and polling waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from condense_tui.config import RunConfig, validate
from condense_tui.engine.activations import get_activation

if TYPE_CHECKING:
    from textual.pilot import Pilot


def one_d(**changes: object) -> RunConfig:
    """Fig 5/6 data, a small 1-D net: quick to train and to analyse."""
    values = dict(activation="tanh", width=30, data="fig5", sampling="grid", init_std=0.005, lr=5e-4,
                  steps=200, watch_step=200, name="test-1d")
    values.update(changes)
    return validate(RunConfig(**values))


def five_d(**changes: object) -> RunConfig:
    values = dict(activation="tanh", width=20, data="fig2", init_std=0.005, lr=1e-3, steps=100,
                  watch_step=100, name="test-5d")
    values.update(changes)
    return validate(RunConfig(**values))


def write_preset(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def warm_activations(*names: str) -> None:
    """Measuring an activation imports torch and takes seconds once per process; pay it up front
    so each app test only waits for its own work."""
    for name in names:
        get_activation(name).multiplicity  # noqa: B018


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)


async def made(pilot: Pilot, selector: str, timeout: float = 15.0) -> Any:
    """The widget at `selector` once the app has made it (the charts come after the first paint)."""
    app = pilot.app
    await wait_for(pilot, lambda: bool(app.query(selector)), timeout, what=f"{selector} to be made")
    return app.query_one(selector)


async def diverged(pilot: Pilot) -> Any:
    """The divergence banner, once the app has drawn a diverged snapshot and shown the banner."""
    loop = pilot.app.frame_loop  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: loop.shown is not None and loop.shown.diverged_at is not None, what="divergence")
    banner = pilot.app.query_one("#banner")
    await wait_for(pilot, lambda: banner.has_class("-shown"), what="the banner")
    return banner


async def settle(pilot: Pilot, seconds: float) -> None:
    """Let the app run (timers, training) for a while."""
    await pilot.pause(seconds)
    await asyncio.sleep(0)

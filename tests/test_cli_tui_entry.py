"""Bare `condense-tui` opens the TUI through condense_tui.tui.app.run_tui, with the TUI flags."""

from __future__ import annotations

import sys
import time
import types
from typing import TYPE_CHECKING

from clihelp import assert_one_line_error, invoke
from condense_tui.cli import DEFAULT_PRESET

if TYPE_CHECKING:
    from concurrent.futures import Future

    from condense_tui.config import RunConfig
    from condense_tui.tui.run_build import BuiltRun


def test_tui_missing_is_one_line_and_exit_2(monkeypatch):
    monkeypatch.setitem(sys.modules, "condense_tui.tui.app", None)  # makes the import fail
    assert_one_line_error(invoke(), "the TUI is not available", "--no-tui")


def test_tui_gets_the_config_and_flags(monkeypatch):
    calls = []

    def run_tui(config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd",
                first_build: Future[BuiltRun] | None = None) -> int:
        assert first_build is not None  # the first run trains while the TUI loads
        run = first_build.result(timeout=60)
        try:
            assert run.trainer.config == config and run.trainer.max_steps is None  # the TUI trains on
            assert run.trainer.running and run.trainer.paused == paused
            deadline = time.monotonic() + 30
            while run.feed.drain()[0] is None:  # its step-0 snapshot reaches the feed the app reads
                assert time.monotonic() < deadline, "no snapshot in the first run's feed"
                time.sleep(0.01)
        finally:
            run.trainer.stop(timeout=5)
        calls.append((config, paused, fps, marker))
        return 0

    fake = types.ModuleType("condense_tui.tui.app")
    fake.run_tui = run_tui
    monkeypatch.setitem(sys.modules, "condense_tui.tui.app", fake)

    assert invoke().exit_code == 0
    config, paused, fps, marker = calls[-1]
    assert (config.name, paused, fps, marker) == (DEFAULT_PRESET, False, 4.0, "hd")

    assert invoke("-p", "fig2-xtanh", "--lr", "0.002", "--paused", "--fps", "2.5",
                  "--marker", "braille").exit_code == 0
    config, paused, fps, marker = calls[-1]
    assert (config.name, config.lr, config.activations, paused, fps, marker) == (
        "fig2-xtanh", 0.002, ("xtanh",), True, 2.5, "braille")


def test_tui_exit_code_is_passed_on(monkeypatch):
    fake = types.ModuleType("condense_tui.tui.app")
    fake.run_tui = lambda config, **kwargs: 7
    monkeypatch.setitem(sys.modules, "condense_tui.tui.app", fake)
    assert invoke().exit_code == 7


def test_default_preset_is_a_fast_one_dimensional_preset():
    from condense_tui.config import load_preset

    config = load_preset(DEFAULT_PRESET)
    assert config.resolved_data()["input_dim"] == 1
    assert config.steps <= 1000

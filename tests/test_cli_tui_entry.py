"""Bare `condense-tui` opens the TUI through condense_tui.tui.app.run_tui, with the TUI flags."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from clihelp import assert_one_line_error, invoke
from condense_tui.cli import DEFAULT_PRESET

if TYPE_CHECKING:
    from concurrent.futures import Future

    from condense_tui.config import RunConfig
    from condense_tui.engine.controller import RunController


def test_tui_missing_is_one_line_and_exit_2(monkeypatch):
    monkeypatch.setitem(sys.modules, "condense_tui.tui.app", None)  # makes the import fail
    assert_one_line_error(invoke(), "the TUI is not available", "--no-tui")


def test_tui_gets_the_config_and_flags(monkeypatch):
    calls = []

    def run_tui(config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd",
                first_build: Future[RunController] | None = None) -> int:
        assert first_build is not None  # the first run is built while the TUI loads
        built = first_build.result(timeout=60)
        assert built.config == config and built.max_steps is None and not built.running
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

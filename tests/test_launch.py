"""The console script keeps the cyclic GC off while it starts, and on for the work (launch.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest
from clihelp import invoke

import condense_tui.cli as cli
from condense_tui import launch


@pytest.fixture
def gc_restored() -> Iterator[None]:
    yield
    gc.enable()


def test_the_console_script_starts_with_the_collector_off(monkeypatch, gc_restored) -> None:
    seen = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.isenabled()))
    launch.main()
    assert seen == [False]


@pytest.mark.parametrize("args", [("--no-tui", "--steps", "2", "-q"), ("presets",)])
def test_headless_runs_and_subcommands_turn_it_back_on(args, gc_restored) -> None:
    gc.disable()  # as launch.main leaves it
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert gc.isenabled()


def test_the_tui_turns_it_back_on_after_its_first_paint(gc_restored) -> None:
    # a real app in a real process: the collector is on once the screen has been painted
    code = ("import asyncio, gc; gc.disable()\n"
            "from condense_tui.config import load_preset\n"
            "from condense_tui.tui.app import CondenseApp\n"
            "async def main():\n"
            "    app = CondenseApp(load_preset('fig6-tanh'), paused=True)\n"
            "    async with app.run_test(size=(80, 24)) as pilot:\n"
            "        while not app.query('#loss'):\n"
            "            await pilot.pause(0.05)\n"
            "        print(gc.isenabled())\n"
            "        app.exit()\n"
            "asyncio.run(main())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True"

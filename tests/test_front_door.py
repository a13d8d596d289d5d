"""The conventions at the front door: `python -m condense_tui`, `--version`, NO_COLOR per no-color.org."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import types
from importlib.metadata import version

import pytest

from condense_tui import cli

ANSI_ESCAPE = "\x1b["


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True, timeout=60,
                          env=env, cwd="/")


def test_python_dash_m_is_the_same_command():
    result = _run("-m", "condense_tui", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: condense-tui" in result.stdout
    bad = _run("-m", "condense_tui", "--lr", "abc")
    assert bad.returncode == 2
    assert bad.stderr.startswith("condense-tui: error: ") and len(bad.stderr.splitlines()) == 1


def test_version_prints_the_installed_version_and_loads_nothing_heavy():
    code = ("import sys; from condense_tui.cli import main\n"
            "try:\n    main(['--version'])\n"
            "except SystemExit as done:\n"
            "    heavy = [m for m in ('numpy', 'torch', 'textual') if m in sys.modules]\n"
            "    print(done.code, heavy)\n")
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"condense-tui {version('condense-tui')}", "0 []"]
    as_module = _run("-m", "condense_tui", "--version")
    assert (as_module.returncode, as_module.stdout) == (0, f"condense-tui {version('condense-tui')}\n")


@pytest.mark.parametrize(("value", "kept"), [("", False), ("1", True), ("0", True), (None, False)])
def test_only_a_non_empty_no_color_is_kept(value, kept):
    env = {"TERM": "xterm"} if value is None else {"NO_COLOR": value}
    cli.normalise_no_color(env)
    assert ("NO_COLOR" in env) == kept


def _seen_by_the_tui(monkeypatch, value: str) -> object:
    """What the TUI finds in NO_COLOR when `condense-tui` starts with NO_COLOR=value."""
    seen: list[object] = []

    def run_tui(config, **kwargs):
        seen.append(os.environ.get("NO_COLOR"))
        return 0

    def leave(code: int) -> None:  # the real one ends the process (os._exit) after the app
        raise SystemExit(code)

    fake = types.ModuleType("condense_tui.tui.app")
    fake.run_tui = run_tui
    monkeypatch.setitem(sys.modules, "condense_tui.tui.app", fake)
    monkeypatch.setattr("condense_tui.tui.__main__.exit_now", leave)
    monkeypatch.setattr(cli, "_TUI_OPENED", False)  # main() sets it; restored after the test
    monkeypatch.setenv("NO_COLOR", value)
    with pytest.raises(SystemExit) as done:
        cli.main([])
    assert done.value.code == 0
    return seen[-1]


def test_the_command_removes_an_empty_no_color_before_the_app_reads_it(monkeypatch):
    assert _seen_by_the_tui(monkeypatch, "") is None
    assert _seen_by_the_tui(monkeypatch, "1") == "1"


def test_textual_sees_colour_after_an_empty_no_color(monkeypatch, make_config):
    from condense_tui.tui.app import CondenseApp

    config = make_config(activation="tanh", width=8, steps=5)
    monkeypatch.setenv("NO_COLOR", "")
    cli.normalise_no_color()
    assert CondenseApp(config).no_color is False
    monkeypatch.setenv("NO_COLOR", "yes")
    cli.normalise_no_color()
    assert CondenseApp(config).no_color is True


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _headless_plot(monkeypatch, make_config, value: str) -> str:
    from condense_tui.headless.runner import HeadlessRun, prepare

    monkeypatch.setenv("NO_COLOR", value)
    config = make_config(activation="tanh", width=8, steps=5, snapshot_every=5, watch_step=5)
    trainer, store = prepare(config, None, False)
    stderr = _Terminal()
    HeadlessRun(config, trainer, store, quiet=True, plot=True, stdout=io.StringIO(), stderr=stderr).run()
    return stderr.getvalue()


def test_headless_charts_follow_no_color(monkeypatch, make_config):
    assert ANSI_ESCAPE in _headless_plot(monkeypatch, make_config, "")
    plain = _headless_plot(monkeypatch, make_config, "1")
    assert plain and ANSI_ESCAPE not in plain

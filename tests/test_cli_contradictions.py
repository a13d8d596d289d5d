"""Flags that contradict each other, empty or over-long paths, hostile preset text: one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from clihelp import assert_one_line_error, invoke

FAST = ("--no-tui", "-q", "--steps", "3")


@pytest.mark.parametrize("args,first,second", [
    (("--activation", "tanh", "--multiplicity", "3"), "--activation", "--multiplicity"),
    (("--init-std", "0.1", "--init-gamma", "1"), "--init-std", "--init-gamma"),
    (("--epochs", "2"), "--steps", "--epochs"),  # FAST gives --steps
    (("--backend", "numpy", "--device", "cuda"), "--backend numpy", "--device cuda"),
])
def test_contradictory_flags_are_refused_naming_both(args, first, second):
    assert_one_line_error(invoke(*FAST, *args), first, second)


def test_empty_preset_and_out_are_refused(tmp_path):
    assert_one_line_error(invoke(*FAST, "--preset", ""), "preset is empty")
    assert_one_line_error(invoke(*FAST, "--out", ""), "--out is empty")


def test_path_components_over_255_characters_are_one_line(tmp_path):
    long = "a" * 300
    assert_one_line_error(invoke(*FAST, "--preset", f"{tmp_path}/{long}.toml"), "305 characters",
                          "limit of 255")
    assert_one_line_error(invoke(*FAST, "--out", str(tmp_path / long)), "--out", "300 characters")
    assert not any(tmp_path.iterdir())


def test_deeply_nested_preset_file_is_one_line(tmp_path):
    preset = tmp_path / "deep.toml"
    preset.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert_one_line_error(invoke(*FAST, "--preset", str(preset)), str(preset), "too deeply")


def test_a_domain_wider_than_a_float_is_one_line():
    assert_one_line_error(invoke(*FAST, "--low", "-1e308", "--high", "1e308"), "wider than a float")


@pytest.mark.parametrize("args,fragment", [
    (("--marker", "foo"), "'--marker': 'foo' is not one of 'hd', 'braille', 'dot'"),
    (("--fps", "100"), "fps = 100.0 is out of range; allowed 0.1 to 30"),
])
def test_tui_flags_are_checked_with_the_same_prefix(monkeypatch, args, fragment):
    opened = []
    monkeypatch.setattr("condense_tui.tui.app.run_tui", lambda *a, **k: opened.append(a) or 0)
    assert_one_line_error(invoke("--steps", "3", *args), fragment)
    assert not opened


def test_bad_max_memory_is_one_line():
    assert_one_line_error(invoke(*FAST, "--max-memory", "lots"), "max_memory = 'lots' is not a size")


def test_max_memory_and_a_5d_data_switch_reach_the_config():
    from condense_tui.cli import _build_config

    config, overrides = _build_config("fig6-x2tanh", {"data": "fig2", "max_memory": "8G"})
    assert (config.data, config.sampling, config.max_memory_bytes) == ("fig2", "uniform", 8 * 2**30)
    assert overrides == {"data": "fig2", "max_memory": "8G"}
    config, overrides = _build_config(None, {"activation": "relu", "init_std": 0.01})
    assert (config.activations, config.multiplicity, config.init_gamma) == (("relu",), None, None)


def test_preset_text_is_never_read_as_markup(tmp_path, monkeypatch):
    (tmp_path / "marked.toml").write_text('name = "[/italic]"\nfigure = "[bold]Fig[/]"\n'
                                          'description = "a [/italic] b"\n')
    monkeypatch.setattr("condense_tui.config.presets_dir", lambda: tmp_path)
    result = invoke("presets")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Fig[/]" in result.stdout and "a [/italic] b" in result.stdout


def test_the_shell_completes_choice_values():
    env = {**os.environ, "_CONDENSE_TUI_COMPLETE": "complete_bash", "COMP_WORDS": "condense-tui --marker b",
           "COMP_CWORD": "2"}
    out = subprocess.run([sys.executable, "-c", "from condense_tui.cli import main; main()"], env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["braille"], out.stderr

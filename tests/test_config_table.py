"""The field table: one declaration per setting, from which validation, flags and the panel derive."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest
import typer
from typer.testing import CliRunner

from condense_tui.cli_flags import flag_names, flag_parameters, with_parameters
from condense_tui.config import (
    ConfigError,
    RunConfig,
    config_to_toml,
    contradictions,
    field_table,
    load_preset,
    parse_memory,
    parse_toml_values,
    preset_names,
    settle,
)
from condense_tui.config.fields import MODEL, setting


@dataclass(frozen=True)
class WithExtraKnob(RunConfig):
    """RunConfig plus one setting declared the way every setting is: one line."""

    extra_knob: int = setting(3, "An extra knob for the test.", group=MODEL, range=(1, 5), panel="extra knob")


def test_run_config_is_validated_on_construction():
    with pytest.raises(ConfigError, match="width = 0 is out of range"):
        RunConfig(width=0)
    with pytest.raises(ConfigError, match="optimizer = 'sgd' is not one of adam, flow, gd"):
        RunConfig().replace(optimizer="sgd")
    assert RunConfig(activation=["tanh", "relu"], depth=2).activation == ("tanh", "relu")  # type: ignore[arg-type]


def test_a_field_added_to_the_table_is_validated_a_flag_and_a_panel_field():
    table = field_table(WithExtraKnob)
    assert WithExtraKnob(extra_knob=4).extra_knob == 4
    with pytest.raises(ConfigError, match="extra_knob = 9 is out of range; allowed 1 to 5"):
        WithExtraKnob(extra_knob=9)
    seen: dict[str, object] = {}

    def command(**values: object) -> None:
        seen.update(values)

    app = typer.Typer()
    app.command()(with_parameters(command, flag_parameters(table)))
    runner = CliRunner()
    help_text = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    assert "--extra-knob" in help_text and "An extra knob for the test." in help_text
    assert runner.invoke(app, ["--extra-knob", "2"]).exit_code == 0 and seen["extra_knob"] == 2
    assert "extra_knob" in flag_names(table) and "extra_knob" not in flag_names(field_table(RunConfig))
    from condense_tui.tui.widgets.controls import panel_fields

    assert "extra_knob" in [row.name for row in panel_fields(table)]


def _completions(*words: str) -> list[str]:
    """What bash completion offers after `condense-tui WORDS` (Typer's own completion protocol)."""
    env = {**os.environ, "_CONDENSE_TUI_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(["condense-tui", *words]),
           "COMP_CWORD": str(len(words))}
    out = subprocess.run([sys.executable, "-c", "from condense_tui.cli import main; main()"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    return out.stdout.split()


def test_choice_flags_are_enums_that_complete_their_choices():
    from condense_tui.cli_flags import completer

    assert _completions("--optimizer", "") == ["adam", "flow", "gd"]
    assert _completions("--sampling", "g") == ["grid"]
    assert _completions("--marker", "b") == ["braille"]
    table = field_table(RunConfig)
    assert completer(table["optimizer"]) is None  # a choice flag: its enum completes
    assert "fig2" in completer(table["data"])("fig")  # type: ignore[misc]  # open fields: known names
    assert completer(table["activation"])("relu,tan") == ["relu,tanh"]  # type: ignore[misc]
    assert completer(table["width"]) is None


def test_choice_flags_hold_the_config_s_plain_strings():
    from enum import Enum

    from condense_tui.cli_flags import choice_enum, plain_values

    optimizer = choice_enum(field_table(RunConfig)["optimizer"])
    assert [member.value for member in optimizer] == ["adam", "flow", "gd"]
    values = plain_values({"optimizer": optimizer("gd"), "width": 3, "activation": None})
    assert values == {"optimizer": "gd", "width": 3, "activation": None}
    assert not any(isinstance(value, Enum) for value in values.values())


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_round_trips_through_its_written_config(tmp_path, name):
    config = load_preset(name)
    (tmp_path / "config.toml").write_text(config_to_toml(config), encoding="utf-8")
    assert load_preset(str(tmp_path / "config.toml")) == config


def test_text_that_a_hand_written_toml_would_break_round_trips(tmp_path):
    config = RunConfig(name="[/italic] \"q\" \\ x", description="two\nlines\twith \"quotes\" and \\",
                       figure="Fig. 5 [bold]")
    (tmp_path / "config.toml").write_text(config_to_toml(config), encoding="utf-8")
    assert load_preset(str(tmp_path / "config.toml")) == config


def test_deeply_nested_toml_is_one_config_error():
    with pytest.raises(ConfigError, match="too deeply"):
        parse_toml_values("x = " + "[" * 100_000 + "]" * 100_000, "deep.toml")


@pytest.mark.parametrize("text,size", [("512M", 512 * 2**20), ("8G", 8 * 2**30), ("1.5GiB", 3 * 2**29),
                                       ("1000", 1000), (2048, 2048)])
def test_memory_sizes(text, size):
    assert parse_memory(text) == size
    assert RunConfig(max_memory=text).max_memory_bytes == size


@pytest.mark.parametrize("bad", ["lots", "8X", "-1", 0, "", True])
def test_bad_memory_sizes_are_refused(bad):
    with pytest.raises(ConfigError, match="max_memory"):
        RunConfig(max_memory=bad)


def test_contradictions_name_both_settings():
    assert "--activation and --multiplicity" in contradictions({"activation": "tanh", "multiplicity": 3})
    assert "--init-std and --init-gamma" in contradictions({"init_std": 0.1, "init_gamma": 1.0})
    assert "--steps and --epochs" in contradictions({"steps": 3, "epochs": 1})
    assert "--fc-init glorot_normal and --init-std" in contradictions({"fc_init": "glorot_normal",
                                                                        "init_std": 0.1})
    assert contradictions({"fc_init": "std", "init_std": 0.1, "activation": "relu"}) is None


def test_settle_clears_partners_and_fits_sampling_to_the_data():
    base = load_preset("fig6-x2tanh")  # 1-D, grid sampling
    assert settle(base, {"init_std": 0.1}) == {"init_std": 0.1, "init_gamma": None}
    assert settle(base, {"activation": "relu"}) == {"activation": "relu", "multiplicity": None}
    assert settle(base, {"data": "fig2"}) == {"data": "fig2", "sampling": "uniform"}
    assert settle(base, {"data": "fig5"}) == {"data": "fig5"}
    assert base.replace(**settle(base, {"data": "fig2"})).resolved_data()["input_dim"] == 5
    with pytest.raises(ConfigError, match="--init-std and --init-gamma"):
        settle(base, {"init_std": 0.1, "init_gamma": 1.0})


def test_a_domain_wider_than_a_float_is_refused():
    with pytest.raises(ConfigError, match="wider than a float"):
        RunConfig(low=-1e308, high=1e308)


def test_gamma_of_std_one_is_zero_not_minus_zero():
    from condense_tui.tui.widgets.controls import std_line

    assert "(gamma 0)" in std_line(RunConfig(init_std=1.0))


def test_the_cli_and_the_table_load_without_numpy():
    code = ("import sys, condense_tui.cli, condense_tui.config\n"
            "condense_tui.config.FIELDS\n"
            "print(','.join(m for m in ('numpy', 'torch', 'textual') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

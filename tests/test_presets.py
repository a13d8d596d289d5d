"""Every preset loads, validates and states its figure, expectation and unstated values."""

from __future__ import annotations

import pytest

from condense_tui.analysis.expectation import EXPECT_KEYS, required_steps
from condense_tui.config import load_preset, preset_names, presets_dir

REQUIRED = {
    "fig2-tanh", "fig2-xtanh", "fig2-x2tanh", "fig2-sigmoid", "fig2-softplus", "fig2-relu", "fig3",
    "fig4a", "fig5-tanh", "fig5-xtanh", "fig5-x2tanh", "fig5-relu", "fig6-tanh", "fig6-xtanh",
    "fig6-x2tanh", "fig6-relu",
}


def test_every_paper_figure_has_its_preset():
    assert REQUIRED <= set(preset_names())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_preset_states_what_the_paper_shows(name):
    config = load_preset(name)
    assert config.name == name == (presets_dir() / f"{name}.toml").stem
    assert config.figure.startswith("Fig. ") and config.description
    assert "\n" not in config.description
    assert config.expect and set(config.expect) <= set(EXPECT_KEYS)
    assert config.watch_step is not None and config.watch_step <= config.steps
    assert "seed" in config.unstated
    assert config.loss == "paper" and config.optimizer == "adam"
    # every step the expectation looks at is a snapshot step
    for step in required_steps(config.expect, config.watch_step):
        assert step % config.snapshot_every == 0 and step <= config.steps


@pytest.mark.parametrize("name", sorted(n for n in REQUIRED if n[:4] in ("fig5", "fig6")))
def test_one_dimensional_presets_use_a_grid_and_say_the_paper_does_not(name):
    config = load_preset(name)
    assert config.sampling == "grid" and "sampling" in config.unstated
    assert (config.width, config.depth, config.init_std, config.lr) == (100, 1, 0.005, 5e-4)
    assert config.steps == (1000 if name.startswith("fig5") else 200)


def test_fig2_setups_follow_the_paper():
    lrs = {}
    for name in sorted(n for n in REQUIRED if n.startswith("fig2")):
        config = load_preset(name)
        assert (config.data, config.width, config.init_std, config.steps) == ("fig2", 50, 0.005, 100)
        lrs[name] = config.lr
    assert lrs == {"fig2-tanh": 1e-3, "fig2-xtanh": 1e-3, "fig2-x2tanh": 1e-3, "fig2-sigmoid": 1e-3,
                   "fig2-softplus": 8e-4, "fig2-relu": 2.5e-4}


def test_fig3_is_the_residual_net_with_one_activation_per_layer():
    config = load_preset("fig3")
    assert config.activations == ("x2tanh", "xtanh", "sigmoid", "tanh", "softplus")
    assert (config.width, config.depth, config.residual, config.init_std, config.lr, config.steps) == (
        18, 5, True, 0.01, 4e-5, 1400)
    assert config.expect == {"lines_per_layer": [3, 2, 1, 1, 1], "watch_steps": [1000, 900, 900, 1400, 1400]}


def test_presets_command_lists_them_all():
    from clihelp import invoke

    result = invoke("presets")
    assert result.exit_code == 0
    for name in REQUIRED:
        assert name in result.stdout
    assert "Fig. 3" in result.stdout
    fig3 = next(line for line in result.stdout.splitlines() if line.strip().startswith("fig3 "))
    assert "4 lines" in fig3  # the theory for the preset's data, beside the paper's figure


def test_preset_names_complete_in_the_shell():
    from condense_tui.cli import _complete_presets

    fig2 = sorted(n for n in preset_names() if n.startswith("fig2-"))  # the paper-literal ones and their variants
    assert _complete_presets("fig2-") == fig2 and {n for n in REQUIRED if n.startswith("fig2-")} <= set(fig2)
    assert _complete_presets("zzz") == []

import pytest

from condense_tui.config import (ConfigError, RunConfig, config_to_toml, load_preset, parse_toml_values,
                                 validate, values_to_config)


def test_defaults_are_valid():
    assert validate(RunConfig()).activations == ("tanh",)


def test_multiplicity_picks_the_power_tanh_family():
    assert validate(RunConfig(multiplicity=3, depth=2)).activations == ("x2tanh", "x2tanh")


def test_gamma_sets_the_std():
    cfg = validate(RunConfig(width=100, init_gamma=1.5))
    assert cfg.std == pytest.approx(100 ** -1.5)
    assert cfg.gamma == pytest.approx(1.5)


@pytest.mark.parametrize("changes,message", [
    ({"width": 0}, "width = 0 is out of range"),
    ({"lr": -1.0}, "lr = -1.0 is out of range"),
    ({"activation": "tahn"}, "did you mean 'tanh'"),
    ({"optimizer": "sgd"}, "optimizer = 'sgd' is not one of adam, flow, gd"),
    ({"data": "fig9"}, "unknown data preset 'fig9'"),
    ({"data": "custom", "target": "x1 + x4", "input_dim": 2, "n": 10, "low": 0.0, "high": 1.0},
     "target uses x4 but input_dim is 2"),
    ({"data": "custom", "target": "__import__('os')", "input_dim": 1, "n": 10, "low": 0.0, "high": 1.0},
     "target expression may only call"),
    ({"activation": ("tanh", "relu"), "depth": 3}, "one per hidden layer"),
    ({"data": "fig2", "sampling": "grid"}, "grid"),
])
def test_bad_values_name_the_key_and_the_way_out(changes, message):
    with pytest.raises(ConfigError, match=message):
        validate(RunConfig(**changes))


def test_unknown_key_in_a_file_suggests_the_closest():
    with pytest.raises(ConfigError, match=r"p.toml: unknown key 'widht' \(did you mean 'width'\?\)"):
        values_to_config({"widht": 3}, "p.toml")


def test_wrong_type_names_the_file_and_key():
    with pytest.raises(ConfigError, match=r"p\.toml: steps must be a whole number"):
        values_to_config({"steps": "many"}, "p.toml")


def test_toml_syntax_error_names_the_line():
    with pytest.raises(ConfigError, match=r"bad.toml: TOML syntax error: .*line 2"):
        parse_toml_values("width = 3\nlr = = 1\n", "bad.toml")


def test_resolved_toml_round_trips(tmp_path):
    cfg = validate(RunConfig(activation=("x2tanh", "tanh"), depth=2, residual=True, init_gamma=0.7,
                             data="custom", target="sin(x1) * x2", input_dim=2, n=17, low=-1.0,
                             high=2.5, expect={"lines": 1}, unstated=("seed",), name="t"))
    path = tmp_path / "config.toml"
    path.write_text(config_to_toml(cfg))
    assert load_preset(str(path)) == cfg


def test_missing_preset_suggests_a_path_or_name(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_preset(str(tmp_path / "nope.toml"))

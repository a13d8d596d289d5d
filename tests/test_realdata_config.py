import math

import numpy as np
import pytest

from condense_tui.config import (FIELDS, ConfigError, RunConfig, config_to_toml, load_preset, preset_names,
                                 validate)
from condense_tui.engine.deep.inits import FC_INITS, fc_std

REAL_PRESETS = ["fig4b", "fig1a", "fig1b-relu", "fig1c-xtanh"]


def cifar(**changes) -> RunConfig:
    values = dict(data="cifar10", batch_size=8, width=16, depth=2, activation="relu")
    values.update(changes)
    return validate(RunConfig(**values))


@pytest.mark.parametrize("name", REAL_PRESETS)
def test_real_data_presets_are_valid_and_mark_their_unknowns(name):
    assert name in preset_names()
    cfg = load_preset(name)
    assert cfg.name == name and cfg.figure and cfg.description
    assert bool(cfg.expect) is (name != "fig1b-relu")  # "a few directions" states no number
    assert set(cfg.unstated) <= set(FIELDS)  # every unstated entry names a real key
    assert cfg.wants_gpu is (cfg.data == "cifar10")


def test_paper_settings_of_the_real_presets():
    b = load_preset("fig4b")
    assert (b.data, b.width, b.activations, b.std, b.lr, b.steps, b.n) == ("mnist", 30, ("x2tanh",), 0.001,
                                                                        5e-5, 100, None)
    assert "mnist_target" in b.unstated and b.expect == {"lines": 1}
    a = load_preset("fig1a")
    assert (a.width, a.depth, a.batch_size, a.epochs, a.lr, a.lr_drop_epoch, a.lr_drop_to) == \
        (1024, 2, 128, 100, 1e-3, 60, 1e-4)
    for name, act, epochs in (("fig1b-relu", "relu", 8), ("fig1c-xtanh", "xtanh", 61)):
        cfg = load_preset(name)
        assert (cfg.activations, cfg.epochs, cfg.lr, cfg.batch_size, cfg.fc_init, cfg.fc_layer) == \
            ((act, act), epochs, 5e-6, 128, "inv_mout3", 1)


def test_real_data_config_round_trips_through_toml(tmp_path):
    cfg = cifar(data_dir=str(tmp_path), epochs=3, lr_drop_epoch=2, lr_drop_to=1e-5, fc_init="glorot_normal",
                backbone_width=8, fc_layer=0, n_test=100, augment=True, wants_gpu=True, n=64)
    path = tmp_path / "config.toml"
    path.write_text(config_to_toml(cfg))
    assert load_preset(str(path)) == cfg
    mnist = validate(RunConfig(data="mnist", mnist_target="digit/9", width=30))
    path.write_text(config_to_toml(mnist))
    assert load_preset(str(path)) == mnist


@pytest.mark.parametrize("changes,message", [
    (dict(data="cifar10", depth=2), "data 'cifar10' trains in mini-batches: set batch_size"),
    (dict(data="fig2", batch_size=8), "batch_size applies to data 'cifar10' only"),
    (dict(data="mnist", epochs=3), "epochs applies to data 'cifar10' only"),
    (dict(data="fig5", fc_init="inv_m"), "fc_init applies to data 'cifar10' only"),
    (dict(data="mnist", target="x"), "target does not apply to data 'mnist'"),
    (dict(data="cifar10", batch_size=8, input_dim=3), "input_dim does not apply"),
    (dict(data="fig2", mnist_target="digit/9"), "mnist_target applies to data 'mnist' only"),
    (dict(data="cifar10", batch_size=8, mnist_target="digit/9"), "mnist_target applies to data 'mnist'"),
    (dict(data="cifar10", batch_size=8, fc_init="he"), "fc_init = 'he' is not one of std, glorot_uniform"),
    (dict(data="cifar10", batch_size=8, depth=2, fc_layer=3), "fc_layer = 3 but the FC head has 2"),
    (dict(data="cifar10", batch_size=8, lr_drop_epoch=3), "set lr_drop_epoch and lr_drop_to together"),
    (dict(data="cifar10", batch_size=8, residual=True), "residual does not apply"),
    (dict(data="cifar10", batch_size=0), "batch_size = 0 is out of range"),
    (dict(data="mnst"), "did you mean 'mnist'"),
    (dict(data="cifar"), "choose fig2, fig3, fig4a, fig5, mnist, cifar10"),
])
def test_bad_real_data_values_say_what_to_do(changes, message):
    with pytest.raises(ConfigError, match=message):
        validate(RunConfig(**changes))


@pytest.mark.parametrize("scheme,fan_in,fan_out,expected", [
    ("glorot_uniform", 512, 1024, math.sqrt(2 / 1536)),
    ("glorot_normal", 512, 1024, math.sqrt(2 / 1536)),
    ("inv_m", 512, 1024, 512 ** -0.5),
    ("inv_m2", 512, 1024, 1 / 512),
    ("inv_mout3", 512, 1024, 1024 ** -1.5),
    ("inv_mout4", 512, 1024, 1024 ** -2),
    ("std", 512, 1024, 0.003),
])
def test_fc_init_scales(scheme, fan_in, fan_out, expected):
    assert fc_std(scheme, fan_in, fan_out, 0.003) == pytest.approx(expected)


@pytest.mark.parametrize("scheme", sorted(FC_INITS))
def test_fc_init_draws_match_their_law(scheme):
    import torch

    from condense_tui.engine.deep.inits import init_linear_

    layer = torch.nn.Linear(300, 400)
    torch.manual_seed(0)
    init_linear_(layer, scheme, 0.02)
    w = layer.weight.detach().numpy()
    sigma = fc_std(scheme, 300, 400, 0.02)
    assert np.std(w) == pytest.approx(sigma, rel=0.02)
    assert abs(np.mean(w)) < 0.02 * sigma * 10
    assert np.std(layer.bias.detach().numpy()) == pytest.approx(sigma, rel=0.2)
    if scheme == "glorot_uniform":
        assert np.abs(w).max() <= sigma * math.sqrt(3) + 1e-9


def test_config_stays_light():
    """The CLI's --help imports the config; the real-data additions must not pull in torch."""
    import subprocess
    import sys

    code = "import sys, condense_tui.config\nprint('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

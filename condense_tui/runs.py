"""The one place a RunConfig becomes a run: data set, model and the controller that drives it.

Faces call build_controller; the engine below never sees a RunConfig (it gets plain values and
small specs), and the config is attached to the controller only as an opaque label that every
snapshot's context carries back to the faces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .engine.activations import get_activation
from .engine.backend import Backend, resolve_backend
from .engine.controller import RunController
from .engine.data import Dataset, make_dataset
from .engine.flow import FLOW_DTYPE
from .engine.mlp.model import MlpModel
from .engine.network import Architecture

if TYPE_CHECKING:
    from .config import RunConfig
    from .engine.model import TrainableModel


def build_controller(config: RunConfig, *, seeds: Sequence[int] | None = None,
                     stds: Sequence[float] | None = None, max_steps: int | None = -1,
                     backend: Backend | None = None) -> RunController:
    """A controller ready to start, for config.data: the MLP model, or for cifar10 the conv
    backbone + FC head. seeds/stds: K replicas trained side by side (MLP only; default one,
    config.seed and config.std); max_steps: -1 = the config's budget (for cifar10 with epochs,
    epochs x steps per epoch), None = no limit (the TUI trains on past it); backend: default
    from config.device and config.dtype. Raises ValueError (DeviceUnavailable, DataFilesError,
    a target not finite on its domain) before any training."""
    from .resources import (
        check_run_memory,  # refuses before anything large is allocated
    )

    check_run_memory(config, replicas=len(seeds) if seeds is not None else 1, limit=config.max_memory_bytes)
    model: TrainableModel
    if config.data == "cifar10":
        model, budget = _cifar_model(config, seeds, stds, backend)
    else:
        model, budget = _mlp_model(config, seeds, stds, backend), config.steps
    return RunController(model, max_steps=budget if max_steps == -1 else max_steps,
                         snapshot_every=config.snapshot_every, config=config)


def build_dataset(config: RunConfig) -> Dataset:
    if config.data == "mnist":  # real files (issue 6); DataFilesError says which and where
        from .engine.datasets import mnist_dataset, resolve_data_dir

        return mnist_dataset(resolve_data_dir(config.data_dir), config.n, config.mnist_target)
    d = config.resolved_data()
    return make_dataset(d["target"], d["input_dim"], d["n"], d["low"], d["high"], config.sampling,
                        config.data_seed)


def build_architecture(config: RunConfig, input_dim: int) -> Architecture:
    acts = tuple(get_activation(name) for name in config.activations)
    return Architecture(input_dim, (config.width,) * config.depth, acts, config.residual)


def _mlp_model(config: RunConfig, seeds: Sequence[int] | None, stds: Sequence[float] | None,
               backend: Backend | None) -> MlpModel:
    seeds = tuple(seeds) if seeds is not None else (config.seed,)
    stds = tuple(stds) if stds is not None else (config.std,) * len(seeds)
    if len(stds) != len(seeds):
        raise ValueError("give one init std per seed")
    # gradient flow integrates in float64 whatever --dtype says (engine.flow.FLOW_DTYPE)
    dtype = FLOW_DTYPE if config.optimizer == "flow" else config.dtype
    backend = backend or resolve_backend(config.device, dtype, config.backend)
    dataset = build_dataset(config)
    return MlpModel(dataset, build_architecture(config, dataset.input_dim), backend,
                    optimizer=config.optimizer, lr=config.lr, loss_scale=config.loss_scale,
                    seeds=seeds, stds=stds)


def _cifar_model(config: RunConfig, seeds: Sequence[int] | None, stds: Sequence[float] | None,
                 backend: Backend | None) -> tuple[TrainableModel, int]:
    """The model and its budget: epochs x steps per epoch, or config.steps."""
    if seeds is not None and len(seeds) != 1:
        raise ValueError("the CIFAR-10 trainer trains one network: give one seed")
    if stds is not None:
        raise ValueError("the CIFAR-10 trainer takes its FC init from fc_init; stds do not apply")
    if config.optimizer == "flow":
        raise ValueError("the CIFAR-10 trainer has no gradient-flow integrator; use --optimizer adam or gd")
    from .engine.deep.model import (  # torch loads only for a CIFAR-10 run
        CifarModel,
        CifarSpec,
    )

    backend = backend or resolve_backend(config.device, config.dtype, config.backend)
    assert config.batch_size is not None  # validate() requires it for cifar10
    spec = CifarSpec(data_dir=config.data_dir, n=config.n, n_test=config.n_test,
                     batch_size=config.batch_size, backbone_width=config.backbone_width,
                     width=config.width, activations=config.activations, fc_layer=config.fc_layer,
                     fc_init=config.fc_init, std=config.std, optimizer=config.optimizer, lr=config.lr,
                     lr_drop_epoch=config.lr_drop_epoch, lr_drop_to=config.lr_drop_to,
                     augment=config.augment, device=backend.device, dtype=config.dtype)
    model = CifarModel(spec, seeds[0] if seeds is not None else config.seed)
    budget = config.steps if config.epochs is None else config.epochs * model.steps_per_epoch
    return model, budget

from __future__ import annotations

import pytest

from condense_tui.config import RunConfig, validate


@pytest.fixture
def make_config():
    """A validated RunConfig from keyword overrides."""

    def build(**changes) -> RunConfig:
        return validate(RunConfig(**changes))

    return build


@pytest.fixture
def one_torch_thread():
    """Tiny convolutions: one torch thread is faster than two fighting over two shared cores."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

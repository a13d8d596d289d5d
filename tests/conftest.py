from __future__ import annotations

import pytest

from condense_tui.config import RunConfig, validate


@pytest.fixture
def make_config():
    """A validated RunConfig from keyword overrides."""

    def build(**changes) -> RunConfig:
        return validate(RunConfig(**changes))

    return build

"""Adam's eps warning reaches the records: a frozen x^2*tanh run at gamma 4 says so, a normal one does not."""

from __future__ import annotations

from condense_tui.analysis.report import analyze
from condense_tui.config import load_preset
from condense_tui.runs import build_controller


def _final(**changes: object):
    controller = build_controller(load_preset("fig2-x2tanh").replace(steps=20, snapshot_every=20, **changes))
    return analyze(controller.run())


def test_eps_dominates_when_the_gradients_are_tiny() -> None:
    frozen = _final(init_std=None, init_gamma=4.0)
    assert frozen.adam_eps_dominates is True
    assert frozen.summary()["adam_eps_dominates"] is True


def test_eps_does_not_dominate_at_the_presets_init() -> None:
    normal = _final()
    assert normal.adam_eps_dominates is False
    assert 0.5 < normal.summary()["adam_step_fraction"] <= 1.0


def test_no_warning_for_gradient_descent() -> None:
    assert "adam_eps_dominates" not in _final(optimizer="gd").summary()


def test_the_status_line_warns_only_when_eps_dominates() -> None:
    from condense_tui.tui.widgets.status_text import counts_parts

    def text(analysis) -> str:
        return "".join(part.text.plain for part in counts_parts(analysis, 0))

    assert "eps>grad" in text(_final(init_std=None, init_gamma=4.0))
    assert "eps>grad" not in text(_final())

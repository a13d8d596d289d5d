"""Figures: every kind writes a valid PNG/SVG/PDF for a 1-D and a 5-D run, the heatmap draws the
analysis' block order, 1-D figures are skipped with a reason elsewhere, faults are one line."""

from __future__ import annotations

import dataclasses
import errno
import sys
from importlib.util import find_spec
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from condense_tui.analysis.geometry import cosine_matrix
from condense_tui.analysis.report import analyze
from condense_tui.config import RunConfig, validate
from condense_tui.engine.snapshot import Snapshot
from condense_tui.figures import (
    KINDS,
    MISSING_MATPLOTLIB,
    FigureError,
    build_figure,
    loss_history,
    make_source,
    save_figure,
    write_figures,
)

needs_matplotlib = pytest.mark.skipif(find_spec("matplotlib") is None,
                                      reason="matplotlib is not installed (the figures extra)")

MAGIC = {"png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
         "pdf": lambda b: b.startswith(b"%PDF-"),
         "svg": lambda b: (b.lstrip().startswith(b"<?xml") and b"<svg" in b[:2000]
                           and b.rstrip().endswith(b"</svg>"))}


def train(steps: int, **changes: Any) -> list[Snapshot]:
    """Every snapshot of a tiny run (the one place that builds a trainer)."""
    from condense_tui.runs import build_controller

    trainer = build_controller(validate(RunConfig(steps=steps, snapshot_every=10, **changes)), max_steps=steps)
    published: list[Snapshot] = []
    trainer.subscribe(published.append)
    trainer.run()
    return published


@pytest.fixture(scope="module")
def run_1d() -> list[Snapshot]:
    return train(30, data="fig5", activation="x2tanh", width=12, name="tiny-1d")


@pytest.fixture(scope="module")
def run_5d() -> list[Snapshot]:
    return train(20, data="fig2", activation="tanh", width=10, depth=2, name="tiny-5d")


def assert_valid(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) > 500, path
    assert MAGIC[path.suffix[1:]](data), f"{path} does not look like a {path.suffix} file"


@needs_matplotlib
def test_every_kind_for_a_1d_run_and_every_format(run_1d: list[Snapshot], tmp_path: Path) -> None:
    snap = run_1d[-1]
    out = tmp_path / "new" / "figs"  # created, parents too
    formats = ["png", "svg", "pdf"] * 2  # one format per kind: each format twice keeps this fast
    written = []
    for kind, fmt in zip(KINDS, formats, strict=True):
        files = write_figures(snap, out, kinds=[kind], formats=[fmt], loss_history=loss_history(run_1d))
        assert files.skipped == {}
        assert [p.name for p in files] == [f"fig-{kind}-step30.{fmt}"]
        assert_valid(files[0])
        written.append(files[0].name)
    assert sorted(p.name for p in out.iterdir()) == sorted(written)  # no partial files left


@needs_matplotlib
def test_a_5d_run_gets_its_figures_and_reasons_for_the_1d_ones(run_5d: list[Snapshot],
                                                               tmp_path: Path) -> None:
    snap = run_5d[-1]
    files = write_figures(snap, tmp_path, kinds=None, formats=["png"])  # None: every kind
    assert [p.name for p in files] == ["fig-cosine-step20.png", "fig-scatter-step20.png",
                                       "fig-loss-step20.png"]
    for path in files:
        assert_valid(path)
    assert set(files.skipped) == {"histogram", "fit", "field"}
    for reason in files.skipped.values():
        assert "1-D synthetic data" in reason and "\n" not in reason
    assert "d = 5" in files.skipped["fit"]
    second = write_figures(snap, tmp_path, kinds=["cosine"], formats=[".SVG"], layer=1)
    assert [p.name for p in second] == ["fig-cosine-layer2-step20.svg"]
    assert_valid(second[0])


@needs_matplotlib
@pytest.mark.parametrize("layer", [0, 1])
def test_the_heatmap_draws_the_analysis_block_order(run_5d: list[Snapshot], layer: int) -> None:
    snap = run_5d[-1]
    la = analyze(snap, replica=0).layers[layer]
    fig = build_figure("cosine", make_source(snap, layer=layer))
    drawn = np.asarray(fig.axes[0].images[0].get_array())
    expected = cosine_matrix(la.directions[la.order])
    np.testing.assert_allclose(drawn, expected)
    assert not np.allclose(drawn, cosine_matrix(la.directions))  # the order matters for this layer
    assert fig.axes[0].images[0].get_clim() == (-1.0, 1.0)  # +1 and -1 at the two ends of the map
    assert "tiny-5d" in fig.axes[0].get_title() and "step 20" in fig.axes[0].get_title()


@needs_matplotlib
def test_the_loss_curve_spans_the_history_it_is_given(run_1d: list[Snapshot]) -> None:
    snap = run_1d[-1]
    whole = build_figure("loss", make_source(snap, loss_history=loss_history(run_1d)))
    steps = np.asarray(whole.axes[0].lines[0].get_xdata())
    assert steps[0] <= 1 and steps[-1] == 30 and len(steps) >= 29
    own = np.asarray(build_figure("loss", make_source(snap)).axes[0].lines[0].get_xdata())
    assert own[0] > 1 and own[-1] == 30  # a snapshot alone has only the steps since the last one
    assert "steps" in build_figure("loss", make_source(snap)).axes[0].get_title()


@needs_matplotlib
def test_a_run_without_input_points_skips_the_data_figures(run_5d: list[Snapshot], tmp_path: Path) -> None:
    """A CIFAR-10 snapshot carries no x, y: its layers still get the heatmap."""
    snap = run_5d[-1]
    ctx = dataclasses.replace(snap.context, x=np.zeros((0, 5)), y=np.zeros(0),
                              config=SimpleNamespace(name="fig1b-relu", data="cifar10", loss_scale=0.5))
    deep = dataclasses.replace(snap, context=ctx)
    files = write_figures(deep, tmp_path, kinds=["cosine", "fit", "field"], formats=["svg"])
    assert [p.name for p in files] == ["fig-cosine-step20.svg"]
    assert "cifar10 run has no input points" in files.skipped["fit"]
    assert "cifar10 run has no input points" in files.skipped["field"]


@needs_matplotlib
def test_the_scatter_tells_the_signs_of_a_apart_by_shape(run_1d: list[Snapshot],
                                                          run_5d: list[Snapshot]) -> None:
    snap = run_1d[-1]
    ax = build_figure("scatter", make_source(snap)).axes[0]
    assert ax.get_yscale() == "log"
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert "initial" in labels and any("a > 0" in t for t in labels) and any("a < 0" in t for t in labels)
    shapes = {str(c.get_label()): np.asarray(c.get_paths()[0].vertices).round(3).tobytes()
              for c in ax.collections}
    ups = [v for k, v in shapes.items() if "a > 0" in k]
    downs = [v for k, v in shapes.items() if "a < 0" in k]
    assert ups and downs and ups[0] != downs[0]
    inner = build_figure("scatter", make_source(run_5d[-1], layer=0)).axes[0]  # no output weight a
    assert [c.get_label() for c in inner.collections] == ["initial", "step 20"]


@needs_matplotlib
@pytest.mark.parametrize("kwargs, message", [
    ({"kinds": ["heatmap"]}, "unknown figure kind 'heatmap' (choose from cosine, scatter, histogram"),
    ({"formats": ["jpg"]}, "unknown figure format 'jpg' (choose from png, svg, pdf)"),
    ({"layer": 3}, "layer 4 does not exist (this run has 1 hidden layer: choose 1..1)"),
])
def test_bad_choices_are_one_line_errors(run_1d: list[Snapshot], tmp_path: Path, kwargs: dict,
                                         message: str) -> None:
    with pytest.raises(FigureError) as err:
        write_figures(run_1d[-1], tmp_path / "out", **kwargs)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


@needs_matplotlib
def test_save_figure_picks_the_type_from_the_extension(run_1d: list[Snapshot], tmp_path: Path) -> None:
    fig = build_figure("histogram", make_source(run_1d[-1]))
    assert_valid(save_figure(fig, tmp_path / "hist.pdf"))
    with pytest.raises(FigureError, match=r"unknown figure format '.jpg' \(choose from png, svg, pdf\)"):
        save_figure(fig, tmp_path / "hist.jpg")
    assert [p.name for p in tmp_path.iterdir()] == ["hist.pdf"]


@needs_matplotlib
def test_a_folder_that_cannot_be_made_is_one_line(run_1d: list[Snapshot], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(FigureError) as err:
        write_figures(run_1d[-1], blocker / "figs", kinds=["loss"])
    text = str(err.value)
    assert text.startswith(f"cannot create the figure folder {blocker / 'figs'}: ") and "\n" not in text
    assert text.endswith("(choose a folder you can write to)")


@needs_matplotlib
def test_a_full_disk_leaves_no_truncated_file(run_1d: list[Snapshot], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    def full_disk(self: Figure, target: Path, **kwargs: object) -> None:
        Path(target).write_bytes(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", full_disk)
    with pytest.raises(FigureError) as err:
        write_figures(run_1d[-1], tmp_path, kinds=["loss"])
    text = str(err.value)
    assert text == (f"cannot write {tmp_path / 'fig-loss-step30.png'}: No space left on device "
                    "(free some disk space)")
    assert list(tmp_path.iterdir()) == []


def test_missing_matplotlib_says_how_to_install(run_5d: list[Snapshot], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    with pytest.raises(FigureError) as err:
        write_figures(run_5d[-1], tmp_path / "figs")
    assert str(err.value) == MISSING_MATPLOTLIB
    assert MISSING_MATPLOTLIB == "figures need matplotlib: pip install 'condense-tui[figures]'"
    assert not (tmp_path / "figs").exists()


def test_importing_the_package_does_not_import_matplotlib() -> None:
    import subprocess

    code = "import sys, condense_tui.figures; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"

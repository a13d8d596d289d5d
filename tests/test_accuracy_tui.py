"""The TUI on a CIFAR-10 run (tiny generated files): the accuracy curve and the status line's test
accuracy, the 1024-neuron FC layer's heatmap, and fit/field tabs that say why they have nothing to draw."""

from __future__ import annotations

import re

import pytest
from realdata_files import write_cifar
from tui_support import made, one_d, wait_for, warm_activations, write_preset

from condense_tui.config import load_preset
from condense_tui.tui.app import CondenseApp
from condense_tui.tui.widgets.status import StatusLine

ACCURACY = re.compile(r"epoch (\d+\.\d\d) test acc (\d\.\d{3})")


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def tiny_cifar(tmp_path):
    """fig1b-relu as it is (FC 1024-1024-10, ReLU) on 20 training and 6 test images, a narrow
    backbone and batch 8: 3 steps an epoch."""
    warm_activations("relu")
    write_cifar(tmp_path, per_batch=4, n_test=6)
    return load_preset("fig1b-relu").replace(data_dir=str(tmp_path), backbone_width=4, batch_size=8)


def status(app: CondenseApp) -> str:
    return app.query_one(StatusLine).plain


def chart_text(app: CondenseApp, selector: str) -> str:
    return app.query_one(selector).text


async def test_cifar_run_shows_accuracy_heatmap_and_plain_notices(tiny_cifar) -> None:
    # paused, stepped by key: a trainer running flat out would make each pilot key press wait
    app = CondenseApp(tiny_cifar, paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        accuracy = await made(pilot, "#accuracy")
        await wait_for(pilot, lambda: app.frame_loop.shown is not None and accuracy.display,
                       what="a CIFAR snapshot drawn")
        head = status(app).splitlines()[0]
        assert "relu conv-1024-1024-10 cifar10 init inv_mout3" in head and "None" not in head
        assert head.endswith("… cap 208.5/s") and len(head) <= 78  # cut to fit 80 columns, cap kept
        # the FC layers' init comes from the preset's Table 1 scheme, not from std/gamma (in the
        # panel, hidden at 80 columns until `c`: its fields are built when it is first shown)
        await pilot.press("c")
        shown = app.query_one("#std-shown").render()
        assert "FC init inv_mout3 (std/gamma unused)" in str(shown)
        await pilot.press("escape", "c")  # keys back from the panel, and the panel hidden again
        assert not app.query_one("#controls").display
        # step 0: no epoch done, nothing measured yet
        assert "step 0 loss - " in status(app) and "epoch 0.00 test acc -" in status(app)
        await wait_for(pilot, lambda: "end of each epoch (3 steps); the first is still to come"
                       in " ".join(chart_text(app, "#accuracy").split()), what="the empty accuracy chart")
        await pilot.press("n", "n", "n")  # one epoch: 3 steps of 8 of the 20 images
        await wait_for(pilot, lambda: ACCURACY.search(status(app)) is not None,
                       what="test accuracy on the status line")
        epoch, test = (float(v) for v in ACCURACY.search(status(app)).groups())
        assert epoch >= 1.0 and 0.0 <= test <= 1.0 and round(test * 6) == pytest.approx(test * 6, abs=0.01)
        await wait_for(pilot, lambda: "accuracy | test 0." in chart_text(app, "#accuracy"),
                       what="the accuracy curve")
        assert "waiting" not in chart_text(app, "#loss")
        # the first FC layer: 1024 neurons, sampled down to the cells available
        heatmap = app.query_one("#heatmap-1")
        assert heatmap.display and not app.query_one("#histogram").display
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0, what="the heatmap")
        assert re.search(r"cos sim L1, \d+/1024 neurons", heatmap.render_line(0).text)
        assert 0 < heatmap.shown_neurons < 1024
        await pilot.press("2")
        heatmap_2 = app.query_one("#heatmap-2")
        await wait_for(pilot, lambda: heatmap_2.shown_neurons > 0 and app.query_one("#scatter").builds > 0,
                       what="the neurons tab")
        await pilot.press("3")
        await wait_for(pilot, lambda: "needs the synthetic data" in chart_text(app, "#function"),
                       what="fit notice")
        assert "cifar10 run has no input points" in " ".join(chart_text(app, "#function").split())
        await pilot.press("4")
        await wait_for(pilot, lambda: "needs the synthetic data" in chart_text(app, "#field"),
                       what="field notice")
        await pilot.press("l")  # one analysed layer: stays on it, counts stay on the status line
        await pilot.press("1")
        # counts, or "not condensed" while the layer has not grown from its start (issue 11)
        await wait_for(pilot, lambda: re.search(r"(orient|not condensed) \(2p=n/a\)", status(app)) is not None,
                       what="counts of the FC layer")
        for selector in ("#loss", "#accuracy", "#scatter", "#function", "#field"):
            assert "chart unavailable" not in chart_text(app, selector), selector
        trainer = app.trainer
        app.action_toggle_pause()  # trains on, then quits while training (a key press would wait for idle)
        await wait_for(pilot, lambda: app.frame_loop.latest.step > 4, what="training on")
        assert trainer.running
        await pilot.press("q")
    assert not trainer.running and app.return_code == 0


async def test_synthetic_run_has_no_accuracy_chart() -> None:
    warm_activations("tanh")
    app = CondenseApp(one_d())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.shown is not None and app.frames >= 1, what="first frame")
        assert not app.query_one("#accuracy").display and app.query_one("#histogram").display
        assert "test acc" not in status(app) and "1-30-1 fig5 std 0.005" in status(app)


async def test_a_preset_picked_in_the_app_keeps_the_data_folder(tiny_cifar, tmp_path) -> None:
    """--data-dir says where the files are on this machine: a CIFAR preset picked later, which
    names no folder, still finds them."""
    preset = write_preset(tmp_path, "tiny-cifar",
                          'name = "tiny-cifar"\ndata = "cifar10"\nactivation = "tanh"\n'
                          'width = 16\ndepth = 2\nbackbone_width = 4\nbatch_size = 8\nfc_init = "inv_mout3"\n')
    warm_activations("tanh")
    app = CondenseApp(tiny_cifar, paused=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.shown is not None, what="the first run")
        app.load_preset(str(preset))
        await wait_for(pilot, lambda: app.frame_loop.shown is not None
                       and app.frame_loop.shown.context.config.name == "tiny-cifar", what="the picked preset to run")
        assert app.config.data_dir == tiny_cifar.data_dir and app.frame_loop.shown.layers[0].shape == (1, 16, 33)


async def test_resizing_keeps_the_curves_beside_the_heatmap(tiny_cifar) -> None:
    app = CondenseApp(tiny_cifar, paused=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.shown is not None and app.query_one("#accuracy").display,
                       what="a CIFAR snapshot drawn")
        panel, loss, heatmap = app.query_one("#controls"), app.query_one("#loss"), app.query_one("#heatmap-1")
        assert panel.display and loss.size.width >= 40
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: not panel.display and heatmap.size.width < 40, what="relayout at 60x20")
        assert loss.size.width >= 20 and app.query_one("#accuracy").size.width == loss.size.width
        await wait_for(pilot, lambda: heatmap.shown_neurons > 0
                       and "/1024 neurons" in heatmap.render_line(0).text, what="the heatmap at 60x20")
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: panel.display and loss.size.width >= 40, what="back to 120x40")

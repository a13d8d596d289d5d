"""The Textual app: a Trainer in a background thread, charts redrawn on a UI timer.

Data flows one way. The Trainer publishes Snapshots on its own thread into a SnapshotFeed (a
slot and the loss history, nothing else happens there). A UI timer (fps) drains the feed, hands
the newest snapshot to the Analyst thread, and when its analysis is ready every chart is given
that snapshot and redraws itself from it. The UI never touches live arrays and never waits for
the training thread; the training thread never waits for the UI.
"""

from __future__ import annotations

import sys
import threading
import time
import warnings
from collections import deque
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, TabbedContent, TabPane

from .. import config as run_config
from ..analysis.accuracy import accuracy_history
from ..analysis.report import analysis_of
from ..config import ConfigError, RunConfig
from ..engine.controller import RunController
from ..engine.snapshot import Snapshot
from ..runs import build_controller
from .analyst import Analyst
from .commands import PresetCommands
from .feed import LossHistory, SnapshotFeed
from .meter import FrameGate, RenderMeter
from .pace import Pace, watch_step
from .view import ChartData
from .widgets.accuracy_chart import AccuracyChart
from .widgets.banner import DivergedBanner
from .widgets.chart import SnapshotChart
from .widgets.controls import ControlPanel
from .widgets.field_chart import FieldChart
from .widgets.function_chart import FunctionChart
from .widgets.heatmap import CosineHeatmap
from .widgets.help_screen import HelpScreen
from .widgets.histogram import OrientationHistogram
from .widgets.loss_chart import LossChart
from .widgets.preset_picker import PresetPicker
from .widgets.scatter import OrientationScatter
from .widgets.status import RunState, StatusLine

MARKERS = ("hd", "braille", "dot")
WIDE = 110  # columns from which the control panel shows by default
RATE_WINDOW = 2.0  # seconds of snapshot arrivals behind the steps/s shown


class Built(Message):
    def __init__(self, generation: int, config: RunConfig, trainer: RunController | None, feed: SnapshotFeed | None,
                 error: BaseException | None = None) -> None:
        super().__init__()
        self.generation, self.config, self.trainer, self.feed, self.error = generation, config, trainer, feed, error


class Analysed(Message):
    def __init__(self, snapshot: Snapshot, error: BaseException | None) -> None:
        super().__init__()
        self.snapshot, self.error = snapshot, error


class CondenseApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "condense-tui"
    AUTO_FOCUS = None  # keys drive the run until the user tabs into the controls
    COMMANDS = App.COMMANDS | {PresetCommands}
    BINDINGS = [
        Binding("space", "toggle_pause", "play"),
        Binding("n", "one_step", "step"),
        Binding("r", "reset", "reset"),
        Binding("R", "reseed", "reseed"),
        Binding("plus", "faster", "fast", key_display="+"),
        Binding("minus", "slower", "slow", key_display="-"),
        Binding("l", "next_layer", "layer"),
        Binding("p", "pick_preset", "preset"),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
        Binding("c", "toggle_controls", "panel"),
        *(Binding(str(k), f"tab({k})", f"tab {k}", show=False) for k in range(1, 5)),
    ]

    def __init__(self, config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd") -> None:
        super().__init__()
        self.config = config
        self.fps = fps
        self.marker = marker
        self.pace = Pace.for_config(config)
        self.trainer: RunController | None = None
        self.history = LossHistory()
        self.layer = 0
        self.error_line: str | None = None  # printed on stderr after the app closes
        self._feed: SnapshotFeed | None = None
        self._want_paused = paused
        self._generation = 0
        self._building: str | None = None
        self._latest: Snapshot | None = None  # newest drained
        self._shown: Snapshot | None = None  # newest analysed and drawn
        self._waiting: Snapshot | None = None  # drained, not yet handed to the analyst
        self._analysing = False
        self._rate_marks: deque[tuple[float, int]] = deque()
        self._controls_choice: bool | None = None
        self._previous_config: RunConfig | None = None
        self.render_meter = RenderMeter()  # charts add their CPU time; the analyst too
        self._gate = FrameGate(self.render_meter)
        self._analyst = Analyst(lambda snap, err: self.post_message(Analysed(snap, err)), self.render_meter)
        self.frames = 0  # charts handed a new snapshot (tests and benchmarks read it)

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield DivergedBanner(id="banner")
        with Horizontal(id="body"):
            yield ControlPanel(self.config, self.pace, id="controls")
            with TabbedContent(id="charts", initial="tab-1"):
                with TabPane("1 Loss+orient", id="tab-1"):
                    with Vertical(classes="pane"):
                        with Horizontal(classes="row"):
                            with Vertical(id="curves"):
                                yield LossChart(id="loss")
                                yield AccuracyChart(id="accuracy")
                            yield CosineHeatmap(id="heatmap-1", classes="heatmap")
                        yield OrientationHistogram(id="histogram")
                with TabPane("2 Neurons", id="tab-2"):
                    with Horizontal(classes="pane"):
                        yield OrientationScatter(id="scatter")
                        yield CosineHeatmap(id="heatmap-2", classes="heatmap")
                with TabPane("3 Fit", id="tab-3"):
                    yield FunctionChart(id="function")
                with TabPane("4 Field", id="tab-4"):
                    yield FieldChart(id="field")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Held once: app.query_one searches the active screen, which is a modal one while the
        # help, the picker or the palette is open, and the timer keeps ticking under them.
        main = self.screen
        self._status = main.query_one(StatusLine)
        self._banner = main.query_one(DivergedBanner)
        self._panel = main.query_one(ControlPanel)
        self._tabs = main.query_one(TabbedContent)
        self._charts = list(main.query(SnapshotChart))
        self._heatmaps = list(main.query(CosineHeatmap))
        self._histogram = main.query_one("#histogram")
        self._heatmap_1 = main.query_one("#heatmap-1")
        self._accuracy = main.query_one("#accuracy")
        self._accuracy.display = False  # until a snapshot says the run measures accuracy
        self._place_panes(self.config.resolved_data()["input_dim"] == 1)
        self._place_controls()
        self._update_status()
        self.set_interval(1.0 / self.fps, self._tick)
        self._launch(self.config)

    def on_resize(self, event: events.Resize) -> None:
        if not hasattr(self, "_panel"):
            return  # before on_mount
        self._place_controls(event.size.width)  # self.size still holds the old size here

    def _place_controls(self, width: int | None = None) -> None:
        wide = (self.size.width if width is None else width) >= WIDE
        show = self._controls_choice if self._controls_choice is not None else wide
        if self._panel.display != show:
            self._panel.display = show

    def _place_panes(self, one_d: bool, accuracy: bool | None = None) -> None:
        """A layer fed by one input: loss over the orientation histogram on tab 1. Wider inputs
        have no angle to histogram: the loss shares tab 1 with the heatmap instead. A run that
        measures accuracy gets its accuracy curve under the loss (None: keep as it is)."""
        accuracy = self._accuracy.display if accuracy is None else accuracy
        if (self._histogram.display == one_d and self._heatmap_1.display != one_d
                and self._accuracy.display == accuracy):
            return  # unchanged: touching styles would relayout the screen every frame
        self._histogram.display = one_d
        self._heatmap_1.display = not one_d
        self._accuracy.display = accuracy

    # -- run lifecycle -----------------------------------------------------------------------------
    def _launch(self, config: RunConfig) -> None:
        """Build a Trainer for `config` on a worker thread (measuring the activation can take
        seconds the first time) and switch to it when ready; the old run stops at once."""
        self._generation += 1
        generation = self._generation
        old, self.trainer, self._feed = self.trainer, None, None
        if old is not None:
            old.stop(timeout=0.0)  # the thread is a daemon and ends within a chunk
        self._previous_config = self.config if old is not None else self._previous_config
        self.config = config
        self._building = config.name or "run"
        self._update_status()

        def build() -> None:
            try:
                trainer = build_controller(config, max_steps=None)
                feed = SnapshotFeed()
                trainer.subscribe(feed)
            except Exception as err:  # noqa: BLE001 - reported in the UI
                self.post_message(Built(generation, config, None, None, err))
                return
            self.post_message(Built(generation, config, trainer, feed))

        threading.Thread(target=build, name="condense-build", daemon=True).start()

    def on_built(self, message: Built) -> None:
        if message.generation != self._generation:
            return  # superseded by a later choice; this trainer never started
        self._building = None
        if message.trainer is None:
            text = f"cannot start {message.config.name or 'this run'}: {message.error}"
            if self.trainer is None and self._previous_config is None:
                self.error_line = text  # nothing ran yet: leave with the reason
                self.exit(2, return_code=2)
                return
            self.notify(text, severity="error", timeout=8)
            self._panel.show_error(str(message.error))
            if self._previous_config is not None:
                previous, self._previous_config = self._previous_config, None
                self._launch(previous)
            return
        trainer, feed = message.trainer, message.feed
        self._apply_pace(trainer)
        trainer.start(paused=self._want_paused)
        self.trainer, self._feed = trainer, feed
        self.history.clear()
        self._latest = self._shown = self._waiting = None
        self._rate_marks.clear()
        self.layer = min(self.layer, message.config.depth - 1)
        self._place_panes(message.config.resolved_data()["input_dim"] == 1 and self.layer == 0)
        self._update_status()

    def _apply_pace(self, trainer: RunController) -> None:
        trainer.set_max_rate(self.pace.rate)
        trainer.set_snapshot_every(self.pace.snapshot_every(self.fps, trainer.config.snapshot_every))

    def load_preset(self, name: str) -> None:
        try:
            config = run_config.load_preset(name)
        except (ConfigError, OSError, ImportError) as err:  # ImportError: no presets package installed
            self.notify(str(err), severity="error", timeout=8)
            return
        if config.data_dir is None and self.config.data_dir is not None:
            # --data-dir says where this machine keeps the files, for every preset picked here
            config = config.replace(data_dir=self.config.data_dir)
        self.pace = Pace.for_config(config)
        self._panel.load(config, self.pace)
        self._launch(config)

    def apply_changes(self, changes: dict[str, Any]) -> None:
        panel = self._panel
        try:
            config = self.config.replace(**changes)
        except ConfigError as err:
            panel.show_error(str(err))
            return
        panel.show_error(None)
        if config == self.config:
            return
        panel.load(config)
        self._launch(config)

    # -- the frame loop ----------------------------------------------------------------------------
    def _tick(self) -> None:
        feed = self._feed
        if feed is None or not self.is_running:
            return
        snapshot, chunks, restarted = feed.drain()
        if restarted:
            self.history.clear()
            self._rate_marks.clear()
        self.history.extend_chunks(chunks)
        if snapshot is not None:
            self._latest = self._waiting = snapshot
            self._mark_rate(snapshot)
        if self._waiting is not None and not self._analysing and self._gate.due(self.pace.unthrottled):
            self._gate.opened()
            self._analysing = True
            self._analyst.submit(self._waiting)
            self._waiting = None
        self._update_status()

    def on_analysed(self, message: Analysed) -> None:
        self._analysing = False
        if message.error is not None:
            self.notify(f"analysis failed: {message.error}", severity="error", timeout=5)
            return
        snap = message.snapshot
        if self._feed is None or snap.context is not (self._latest.context if self._latest else None):
            return  # from a run that has been replaced
        self._show(snap)

    def _show(self, snap: Snapshot) -> None:
        self._shown = snap
        layer = self.layer = min(self.layer, len(snap.layers) - 1)
        data = ChartData(snap, layer, self.history, self.history.version, watch_step(self.config),
                         self.marker, self.no_color)
        self._place_panes(snap.layers[layer].shape[2] == 2, accuracy_history(snap.extras) is not None)
        for chart in self._charts:
            chart.show(data)
        for heatmap in self._heatmaps:
            heatmap.show(data)
        self._banner.show_divergence(snap.diverged_at)
        self.frames += 1
        self._update_status()

    def _mark_rate(self, snap: Snapshot) -> None:
        now = time.monotonic()
        self._rate_marks.append((now, snap.step))
        while len(self._rate_marks) > 2 and now - self._rate_marks[1][0] > RATE_WINDOW:
            self._rate_marks.popleft()

    def steps_per_second(self) -> float | None:
        if len(self._rate_marks) < 2:
            return None
        (t0, s0), (t1, s1) = self._rate_marks[0], self._rate_marks[-1]
        if self.paused and time.monotonic() - t1 > 1.0 / self.fps:
            return 0.0
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None

    @property
    def paused(self) -> bool:
        return self.trainer.paused if self.trainer is not None else self._want_paused

    def _update_status(self) -> None:
        state = RunState(self.paused, self.pace.label, self.steps_per_second(), self.layer,
                         watch_step(self.config), self._building)
        shown = self._shown
        analysis = analysis_of(shown) if shown is not None else None
        self._status.show(self.config, self._latest, analysis, state)

    # -- actions -------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        if self.trainer is not None:
            self.trainer.toggle_pause()
            self._want_paused = self.trainer.paused
        else:
            self._want_paused = not self._want_paused
        self._update_status()

    def action_one_step(self) -> None:
        if self.trainer is None:
            return
        if not self.trainer.paused:
            self.trainer.pause()
            self._want_paused = True
        self.trainer.step(1)
        self._update_status()

    def action_reset(self) -> None:
        if self.trainer is not None:
            self.trainer.reset()

    def action_reseed(self) -> None:
        if self.trainer is None:
            return
        new_seed = self.trainer.seeds[0] + self.trainer.replicas
        self.trainer.reseed((new_seed,))
        self.config = self.config.replace(seed=new_seed)
        self._panel.load(self.config)
        self._update_status()

    def _set_pace(self, pace: Pace) -> None:
        self.pace = pace
        if self.trainer is not None:
            self._apply_pace(self.trainer)
        self._panel.show_pace(pace)
        self._update_status()

    def action_faster(self) -> None:
        self._set_pace(self.pace.faster())

    def action_slower(self) -> None:
        self._set_pace(self.pace.slower())

    def action_next_layer(self) -> None:
        # the snapshot's layers, not config.depth: a CIFAR-10 run holds only its analysed FC layer(s)
        count = len(self._shown.layers) if self._shown is not None else self.config.depth
        self.layer = (self.layer + 1) % count
        if self._shown is not None:
            self._show(self._shown)
        self._update_status()

    def action_tab(self, number: int) -> None:
        self._tabs.active = f"tab-{number}"

    def action_toggle_controls(self) -> None:
        panel = self._panel
        self._controls_choice = not panel.display
        panel.display = self._controls_choice
        if self._controls_choice:
            self.set_focus(panel.query_one("#activation"))
        else:
            self.set_focus(None)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_pick_preset(self) -> None:
        try:
            names = run_config.preset_names()
        except Exception:  # noqa: BLE001 - no presets dir: an empty picker says so
            names = []

        def picked(name: str | None) -> None:
            if name:
                self.load_preset(name)

        self.push_screen(PresetPicker(names, self.config.name), picked)

    async def action_quit(self) -> None:
        self.shutdown()
        self.exit(0)

    def shutdown(self) -> None:
        """Stop training and analysis; returns within about a second."""
        self._generation += 1  # a trainer still being built is dropped when it arrives
        if self.trainer is not None:
            self.trainer.stop(timeout=1.0)
        self._analyst.close()

    def on_unmount(self) -> None:
        self.shutdown()

    # -- messages from the control panel -----------------------------------------------------------
    @on(ControlPanel.Changed)
    def _changed(self, message: ControlPanel.Changed) -> None:
        self.apply_changes(message.changes)

    @on(ControlPanel.SpeedChosen)
    def _speed(self, message: ControlPanel.SpeedChosen) -> None:
        self._set_pace(self.pace.at(message.index))


def run_tui(config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd") -> int:
    """Open the app on `config`; training starts at once unless `paused`. Returns the exit code."""
    if marker not in MARKERS:
        print(f"condense-tui: --marker {marker!r} is not one of {', '.join(MARKERS)}", file=sys.stderr)
        return 2
    if not 0.1 <= fps <= 30:
        print(f"condense-tui: --fps {fps:g} is out of range; allowed 0.1 to 30", file=sys.stderr)
        return 2
    app = CondenseApp(config, paused=paused, fps=fps, marker=marker)
    with warnings.catch_warnings():
        # a diverging run overflows on the training thread; the banner says so, not stderr
        warnings.simplefilter("ignore", RuntimeWarning)
        app.run()
    if app.error_line:
        print(f"condense-tui: {app.error_line}", file=sys.stderr)
        return 2
    return int(app.return_code or 0)

"""The Textual app: composes the layout and binds keys to actions.

Data flows one way. The run (session.py) trains on its own thread and publishes Snapshots into a
SnapshotFeed. A UI timer (fps) runs the frame loop (frames.py): it drains the feed, hands the
newest snapshot to the Analyst thread, and when its analysis is ready the app gives every chart
that snapshot. The UI never touches live arrays and never waits for the training thread; the
training thread never waits for the UI.
"""

from __future__ import annotations

import gc
import sys
import time
import warnings
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, TabbedContent

from ..config import ConfigError, RunConfig
from .board import ChartBoard, compose_tabs
from .commands import PresetCommands
from .frames import Analysed, FrameLoop
from .meter import RenderMeter
from .pace import Pace, layer_watch_steps, watch_step
from .screenshot import SCREENSHOT_BINDING
from .session import RunBuilt, RunSession
from .run_keys import RunActions
from .timeline_keys import TIMELINE_BINDINGS, TimelineActions
from .view import ChartData
from .widgets.banner import DivergedBanner
from .widgets.controls import AUTO_CHOICE, ControlPanel
from .widgets.status import RunState, StatusLine

if TYPE_CHECKING:
    from concurrent.futures import Future

    from textual.timer import Timer

    from ..engine.controller import RunController
    from .run_build import BuiltRun

MARKERS = ("hd", "braille", "dot")
WIDE = 110  # columns from which the control panel shows by default


class CondenseApp(TimelineActions, RunActions, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "condense-tui"
    AUTO_FOCUS = None  # keys drive the run until the user tabs into the controls
    COMMANDS = App.COMMANDS | {PresetCommands}
    STATUS_LINE: ClassVar[type[StatusLine]] = StatusLine  # the stored-run view shows its own
    # help, quit and the panel first: the footer cuts from the right, and these must show at 60 columns
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
        Binding("c", "toggle_controls", "panel"),
        Binding("space", "toggle_pause", "play"),
        Binding("n", "one_step", "step"),
        Binding("r", "reset", "reset"),
        Binding("R", "reseed", "reseed"),
        Binding("o", "next_optimizer", "optimizer"),
        Binding("plus", "faster", "fast", key_display="+"),
        Binding("minus", "slower", "slow", key_display="-"),
        Binding("a", "auto_pace", "auto pace", show=False),
        Binding("l", "next_layer", "layer"),
        Binding("p", "pick_preset", "preset"),
        *(Binding(str(k), f"tab({k})", f"tab {k}", show=False) for k in range(1, 6)),
        *TIMELINE_BINDINGS,
        SCREENSHOT_BINDING,
    ]


    def __init__(self, config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd",
                 auto_pace: bool = False, first_build: Future[BuiltRun] | None = None) -> None:
        """auto_pace: start at the automatic pace (what `condense-tui` does), else at the preset's
        watch rung (tests and benchmarks that need steps quickly). first_build: `config`'s run, already
        being built and started at the automatic pace (run_build.start_first_run)."""
        super().__init__()
        self.fps = fps
        self.marker = marker
        self.error_line: str | None = None  # printed on stderr after the app closes
        self.session = RunSession(self, config, paused=paused, fps=fps, auto_pace=auto_pace,
                                  first_build=first_build)
        self.render_meter = RenderMeter()  # charts add their CPU time; the analyst too
        self.frame_loop = FrameLoop(self, self.render_meter, marker=marker, no_color=self.no_color)
        self._controls_choice: bool | None = None
        self._first_poll: Timer | None = None

    # what tests, benchmarks and widgets read, by their old names
    @property
    def config(self) -> RunConfig:
        return self.session.config

    @property
    def pace(self) -> Pace:
        return self.session.pace

    @property
    def trainer(self) -> RunController | None:
        return self.session.trainer

    @property
    def frames(self) -> int:
        return self.frame_loop.frames

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield self.STATUS_LINE(id="status")
        yield DivergedBanner(id="banner")
        with Horizontal(id="body"):
            panel = ControlPanel(self.config, self.pace, id="controls")
            panel.display = self._controls_wanted(self.size.width)  # hidden: its fields wait (see reveal)
            yield panel
            yield from compose_tabs()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Held once: app.query_one searches the active screen, which is a modal one while the
        # help, the picker or the palette is open, and the timer keeps ticking under them.
        main = self.screen
        self._status = main.query_one(StatusLine)
        self._panel = main.query_one(ControlPanel)
        self._board = ChartBoard(main)
        self._board.place_panes(self.config.resolved_data()["input_dim"] == 1)
        self._place_controls()
        self._update_status()
        self.set_interval(1.0 / self.fps, self._tick)
        self._launch(self.config)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        gc.enable()  # `condense-tui` keeps the collector off while it starts (launch.py)
        self._board.fill("tab-1")  # the charts come now, after the screen with the run's step N

    def on_resize(self, event: events.Resize) -> None:
        if not hasattr(self, "_panel"):
            return  # before on_mount
        self._place_controls(event.size.width)  # self.size still holds the old size here

    def _controls_wanted(self, width: int) -> bool:
        return self._controls_choice if self._controls_choice is not None else width >= WIDE

    def _place_controls(self, width: int | None = None) -> None:
        self._panel.reveal(self._controls_wanted(self.size.width if width is None else width))

    # -- the run: built on a worker, swapped in by the session -------------------------------------
    def _launch(self, config: RunConfig, pace: Pace | None = None) -> None:
        self.session.launch(config, pace)
        self.frame_loop.detach()
        self._update_status()

    def on_run_built(self, message: RunBuilt) -> None:
        session = self.session
        outcome = session.built(message)
        if outcome is None:
            return
        if outcome is False:
            text = f"cannot start {message.config.name or 'this run'}: {message.error}"
            if not session.ran:
                self.error_line = text  # nothing ran yet: leave with the reason
                self.exit(2, return_code=2)
                return
            self.notify(text, severity="error", timeout=8)
            self._panel.load(session.config, session.pace)  # the run that goes on, as it was
            self._panel.show_error(str(message.error))
            if session.feed is not None:
                self.frame_loop.attach(session.feed, fresh=False)
            self._update_status()
            return
        assert session.feed is not None
        self.frame_loop.attach(session.feed)
        self.frame_loop.watch_step = watch_step(message.config)
        self.frame_loop.watch_steps = layer_watch_steps(message.config)
        self.frame_loop.layer = min(self.frame_loop.layer, message.config.depth - 1)
        self._board.place_panes(message.config.resolved_data()["input_dim"] == 1 and self.frame_loop.layer == 0)
        self._tick()  # a run started before the app opened has its first snapshot waiting
        self._poll_first_snapshot()

    def _poll_first_snapshot(self, every: float = 0.02, limit: float = 2.0) -> None:
        """Drain the new run's feed every `every` s until its first snapshot is in (at most `limit` s),
        so `step N` shows as soon as the trainer publishes, not on the next frame tick."""
        if self._first_poll is not None:
            self._first_poll.stop()
        loop, deadline = self.frame_loop, time.monotonic() + limit

        def poll() -> None:
            if loop.latest is not None or time.monotonic() > deadline or not self.is_running:
                timer.stop()
                return
            self._tick()

        timer = self._first_poll = self.set_interval(every, poll)

    def load_preset(self, name: str) -> None:
        try:
            config = self.session.preset_config(name)
        except (ConfigError, OSError, ImportError) as err:  # ImportError: no presets package installed
            self.notify(str(err), severity="error", timeout=8)
            return
        pace = Pace.default_for(config) if self.pace.auto else Pace.for_config(config)  # keep the mode
        self._panel.load(config, pace)
        self._launch(config, pace)

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

    # -- frames ------------------------------------------------------------------------------------
    def _tick(self) -> None:
        if not self.is_running:
            return
        self.frame_loop.tick(self.pace.unthrottled)
        self.session.follow(self.frame_loop.live_step or 0)
        self._update_status()

    def on_analysed(self, message: Analysed) -> None:
        error = self.frame_loop.analysed(message)
        if error is not None:
            self.notify(f"analysis failed: {error}", severity="error", timeout=5)

    def draw_frame(self, data: ChartData) -> None:
        """Give every chart the frame's snapshot (the frame loop calls this)."""
        self._board.draw(data)
        self._update_status()

    def steps_per_second(self) -> float | None:
        return self.frame_loop.rate.per_second(self.session.paused, 1.0 / self.fps)

    def _update_status(self) -> None:
        loop = self.frame_loop
        viewing = loop.viewing() and loop.shown is not None
        state = RunState(self.session.paused, self.pace.label_at(loop.live_step or 0), self.steps_per_second(),
                         loop.layer, loop.layer_watch_step(loop.layer), self.session.building,
                         loop.live_step if viewing else None)
        self._status.show(self.config, loop.shown if viewing else loop.latest, loop.analysis, state)

    async def action_quit(self) -> None:
        self.shutdown()
        self.exit(0)

    def shutdown(self) -> None:
        """Stop training and analysis; returns within about a second."""
        self.session.stop()
        self.frame_loop.close()

    def on_unmount(self) -> None:
        self.shutdown()

    # -- messages from the control panel -----------------------------------------------------------
    @on(TabbedContent.TabActivated)
    def _tab_shown(self, message: TabbedContent.TabActivated) -> None:
        pane_id = message.pane.id or ""
        if pane_id != "tab-1" and hasattr(self, "_board"):  # tab 1 fills after the first paint (on_mount)
            self._board.fill(pane_id)  # a tab clicked, not keyed: its charts come now

    @on(ControlPanel.Changed)
    def _changed(self, message: ControlPanel.Changed) -> None:
        self.apply_changes(message.changes)

    @on(ControlPanel.SpeedChosen)
    def _speed(self, message: ControlPanel.SpeedChosen) -> None:
        self._set_pace(self.pace.automatic() if message.index == AUTO_CHOICE else self.pace.at(message.index))


def run_tui(config: RunConfig, *, paused: bool = False, fps: float = 4.0, marker: str = "hd",
            first_build: Future[BuiltRun] | None = None) -> int:
    """Open the app on `config`; training starts at once unless `paused`. Returns the exit code.
    first_build: `config`'s run, already started (see CondenseApp)."""
    if marker not in MARKERS:
        print(f"condense-tui: error: --marker {marker!r} is not one of {', '.join(MARKERS)}", file=sys.stderr)
        return 2
    if not 0.1 <= fps <= 30:
        print(f"condense-tui: error: --fps {fps:g} is out of range; allowed 0.1 to 30", file=sys.stderr)
        return 2
    app = CondenseApp(config, paused=paused, fps=fps, marker=marker, auto_pace=True, first_build=first_build)
    with warnings.catch_warnings():
        # a diverging run overflows on the training thread; the banner says so, not stderr
        warnings.simplefilter("ignore", RuntimeWarning)
        app.run()
    if app.error_line:
        print(f"condense-tui: error: {app.error_line}", file=sys.stderr)
        return 2
    return int(app.return_code or 0)

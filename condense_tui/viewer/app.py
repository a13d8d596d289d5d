"""`condense-tui view DIR`: the live TUI's charts and timeline on a stored run, read-only.

The stored snapshots go through the same frame loop, recorder and timeline as a live run's (the
source is a StoreSource instead of the trainer's feed), so every chart and the history tab draw as
they do live. Nothing trains: space plays the stored snapshots at a pace (+/- change it), n steps
one forward, r replays from the start; the settings panel and the preset picker say read-only.
With --follow the store is re-read every second and new snapshots land as they are written; the
status line says when the writer finished, was interrupted, diverged or was killed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from ..tui import app as tui_app
from ..tui.app import CondenseApp
from ..tui.pace import layer_watch_steps, watch_step
from ..tui.widgets.status import RunState
from .rebuild import config_of
from .source import StoreSource
from .status import ViewStatus, status_words

if TYPE_CHECKING:

    from ..config import RunConfig
    from ..tui.pace import Pace
    from .compare_parts import StoredSide

REFRESH_S = 1.0  # how often --follow re-reads the store
RATES = (0.5, 1, 2, 4, 8, 16, 32, 64)  # replay paces, kept snapshots per second
READ_ONLY = "read-only view of a stored run: train with condense-tui --preset DIR/config.toml"


class ViewApp(CondenseApp):
    CSS_PATH = str(Path(tui_app.__file__).with_name("app.tcss"))  # relative paths resolve from here
    STATUS_LINE = ViewStatus
    BINDINGS: ClassVar[list[BindingType]] = [  # the live keys that drive the replay, relabelled
        Binding("space", "toggle_pause", "play"),
        Binding("r", "reset", "start"),
        Binding("plus", "faster", "faster", key_display="+"),
        Binding("minus", "slower", "slower", key_display="-"),
        Binding("o", "compare_prompt", "compare"),
        Binding("S", "save_svg", "svg"),
        *(Binding(key, action, label, show=False) for key, action, label in (
            ("R", "reseed", "reseed"), ("p", "pick_preset", "preset"), ("c", "toggle_controls", "panel"))),
    ]

    def __init__(self, path: Path, *, follow: bool = False, fps: float = 4.0, marker: str = "hd",
                 compare: Path | None = None) -> None:
        config = config_of(path)
        super().__init__(config, paused=True, fps=fps, marker=marker)
        self.path, self.follow = Path(path), follow
        self.source = StoreSource(self.path, config)
        self.compare_path = compare
        self._controls_choice = False  # nothing to edit in a stored run
        self.refresh_s = REFRESH_S
        self.playing = False
        self.rate_index = 3
        self._next_refresh = 0.0
        self._play_due = 0.0

    def on_mount(self) -> None:
        # Textual runs CondenseApp.on_mount after this one (handlers run down the class tree)
        if self.compare_path is not None:
            self.call_after_refresh(self.open_compare, self.compare_path)

    def screenshot_folder(self) -> Path:
        return self.path

    # -- the source instead of a trainer ---------------------------------------------------------
    def _launch(self, config: RunConfig, pace: Pace | None = None) -> None:
        loop = self.frame_loop
        loop.attach(self.source)
        loop.watch_step, loop.watch_steps = watch_step(config), layer_watch_steps(config)
        self._update_status()

    def load_preset(self, name: str) -> None:
        self.notify(READ_ONLY, timeout=4)

    def apply_changes(self, changes: dict[str, Any]) -> None:
        self._panel.load(self.config)
        self.notify(READ_ONLY, timeout=4)

    def _tick(self) -> None:
        if not self.is_running:
            return
        now = time.monotonic()
        refresh = self.follow and now >= self._next_refresh
        if refresh:
            self._next_refresh = now + self.refresh_s
        if self.source.poll(refresh=refresh, room=self.frame_loop.recorder.idle(), wants=self._wants):
            self.notify(f"the run {status_words(self.source.status)}", timeout=6)
        self._advance_play(now)
        super()._tick()

    def _wants(self, step: int) -> bool:
        kept = self.frame_loop.kept
        with kept.lock:
            return kept.wants(step)

    # -- replay ------------------------------------------------------------------------------------
    @property
    def rate(self) -> float:
        return RATES[self.rate_index]

    def _advance_play(self, now: float) -> None:
        if not self.playing or now < self._play_due:
            return
        self._play_due = now + 1.0 / self.rate
        if not self.frame_loop.move(1):
            self.playing = False  # at the newest stored snapshot

    def action_toggle_pause(self) -> None:
        loop = self.frame_loop
        self.playing = not self.playing
        if self.playing and not loop.viewing():
            loop.go_to(0)  # at the newest snapshot: play from the start
        self._play_due = time.monotonic() + 1.0 / self.rate
        self._update_status()

    def action_one_step(self) -> None:
        self.playing = False
        self.frame_loop.move(1)
        self._update_status()

    def action_reset(self) -> None:
        self.frame_loop.go_to(0)
        self._update_status()

    def action_reseed(self) -> None:
        self.notify(READ_ONLY, timeout=4)

    def action_faster(self) -> None:
        self.rate_index = min(self.rate_index + 1, len(RATES) - 1)
        self._update_status()

    def action_slower(self) -> None:
        self.rate_index = max(self.rate_index - 1, 0)
        self._update_status()

    def action_auto_pace(self) -> None:
        self.notify(READ_ONLY, timeout=4)

    def action_pick_preset(self) -> None:
        self.notify("read-only view: o compares with another stored run", timeout=4)

    # -- compare -----------------------------------------------------------------------------------
    def action_compare_prompt(self) -> None:
        from .prompt import PathPrompt

        def chosen(text: str | None) -> None:
            if text:
                self.open_compare(Path(text).expanduser())

        self.push_screen(PathPrompt(), chosen)

    def open_compare(self, other: Path) -> None:
        """Read the other run on a worker thread (a long run's records take seconds), then show
        both side by side; this run's store is not read again."""
        from .compare_parts import StoredSide
        from .rebuild import StoreError

        self._status.say(f"opening {other} ...", seconds=30)
        first = self.source

        def load() -> None:
            try:
                sides = (StoredSide(self.path, first.reader, first.run), StoredSide(other))
            except (StoreError, OSError, ValueError) as err:
                self.call_from_thread(self._compare_failed, str(err))
                return
            self.call_from_thread(self._show_compare, sides)

        self.run_worker(load, name="condense-compare", group="compare", thread=True, exit_on_error=False)

    def _compare_failed(self, error: str) -> None:
        self._status.say(error)
        self.notify(error, severity="error", timeout=8)

    def _show_compare(self, sides: tuple[StoredSide, StoredSide]) -> None:
        from .compare import CompareScreen

        self._status.message = None
        self.push_screen(CompareScreen(sides))

    # -- status ------------------------------------------------------------------------------------
    def steps_per_second(self) -> float | None:
        return None

    def _update_status(self) -> None:
        loop = self.frame_loop
        viewing = loop.viewing() and loop.shown is not None
        source = self.source
        note = (f"{self.path.name}: {status_words(source.status)}, {source.stored} stored"
                f"{' (following)' if self.follow and source.status == 'running' else ''}"
                f" | {'playing' if self.playing else 'replay'} {self.rate:g}/s")
        state = RunState(not self.playing, note, None, loop.layer, loop.layer_watch_step(loop.layer),
                         None, loop.live_step if viewing else None)
        self._status.show(self.config, loop.shown if viewing else loop.latest, loop.analysis, state)

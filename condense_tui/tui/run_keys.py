"""The run's keys: pause, step, reset, reseed, optimizer, pace, layer, tabs, panel, SVG, help, preset
picker. The app mixes these actions in; the session (session.py) and the frame loop do the work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config as run_config
from .pace import Pace
from .screenshot import save_svg

if TYPE_CHECKING:
    from textual.app import App

    from ..config import RunConfig
    from .board import ChartBoard
    from .frames import FrameLoop
    from .session import RunSession
    from .widgets.controls import ControlPanel
    from .widgets.status import StatusLine

    _AppBase = App[Any]  # the checker sees the App's methods; at run time the app itself is the App
else:
    _AppBase = object


class RunActions(_AppBase):
    """Actions behind the run's key bindings (also reachable from the command palette)."""

    session: RunSession
    frame_loop: FrameLoop
    _panel: ControlPanel
    _status: StatusLine
    _board: ChartBoard
    _controls_choice: bool | None

    if TYPE_CHECKING:  # the app's own; declared for the checker only, so they never shadow the App's
        @property
        def config(self) -> RunConfig: ...

        @property
        def pace(self) -> Pace: ...

        def _update_status(self) -> None: ...

        def apply_changes(self, changes: dict[str, Any]) -> None: ...

        def load_preset(self, name: str) -> None: ...

    def action_toggle_pause(self) -> None:
        self.session.toggle_pause()
        self._update_status()

    def action_one_step(self) -> None:
        self.session.one_step()
        self._update_status()

    def action_reset(self) -> None:
        self.session.reset()

    def action_reseed(self) -> None:
        if self.session.reseed():
            self._panel.load(self.config)
            self._update_status()

    def action_next_optimizer(self) -> None:
        """Restart from the same initial weights under the next optimizer (adam -> flow -> gd)."""
        self.apply_changes({"optimizer": self.session.next_optimizer()})

    def _set_pace(self, pace: Pace) -> None:
        self.session.set_pace(pace, self.frame_loop.live_step or 0)
        self._panel.show_pace(pace)
        self._update_status()

    def action_faster(self) -> None:
        self._set_pace(self.pace.faster(self.frame_loop.live_step or 0))

    def action_slower(self) -> None:
        self._set_pace(self.pace.slower(self.frame_loop.live_step or 0))

    def action_auto_pace(self) -> None:
        self._set_pace(self.pace.automatic())

    def action_next_layer(self) -> None:
        self.frame_loop.next_layer(self.config.depth)
        self._update_status()

    def action_tab(self, number: int) -> None:
        self._board.show_tab(f"tab-{number}")

    def action_toggle_controls(self) -> None:
        panel = self._panel
        self._controls_choice = not panel.display
        panel.reveal(self._controls_choice)
        if self._controls_choice:
            self.call_after_refresh(lambda: self.set_focus(panel.query_one("#activation")))
        else:
            self.set_focus(None)

    def screenshot_folder(self) -> Path:
        """Where S saves the view: the current directory (a stored run's view: its folder)."""
        return Path.cwd()

    def action_save_svg(self) -> None:
        saved, line = save_svg(self, self.screenshot_folder(), self.config.name or "run")
        self._status.say(line)
        self._update_status()
        if not saved:
            self.notify(line, severity="warning", timeout=6)

    def action_help(self) -> None:
        from .widgets.help_screen import HelpScreen  # loaded when first asked for

        self.push_screen(HelpScreen())

    def action_pick_preset(self) -> None:
        try:
            names = run_config.preset_names()
        except Exception:  # noqa: BLE001 - no presets dir: an empty picker says so
            names = []

        def picked(name: str | None) -> None:
            if name:
                self.load_preset(name)

        from .widgets.preset_picker import PresetPicker  # loaded when first asked for

        self.push_screen(PresetPicker(names, self.config.name), picked)


"""The timeline's keys: step back and forward through the kept snapshots, jump to the start, to
the layer's watch step, back to live. The app mixes these actions in; the frame loop does the work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from .timeline import BIG_JUMP

if TYPE_CHECKING:
    from .frames import FrameLoop

TIMELINE_BINDINGS = (
    Binding("left_square_bracket", "history_move(-1)", "back", key_display="["),
    Binding("right_square_bracket", "history_move(1)", "fwd", key_display="]"),
    Binding("left_curly_bracket", f"history_move(-{BIG_JUMP})", f"back {BIG_JUMP}", key_display="{", show=False),
    Binding("right_curly_bracket", f"history_move({BIG_JUMP})", f"fwd {BIG_JUMP}", key_display="}", show=False),
    Binding("home,0", "history_start", "start", show=False),
    Binding("w", "history_watch", "watch step", show=False),
    Binding("end,L", "history_live", "live", show=False),
)


class TimelineActions:
    """Actions behind TIMELINE_BINDINGS (also callable from the command palette)."""

    frame_loop: FrameLoop

    if TYPE_CHECKING:  # the app's own; declared for the checker only, so they never shadow App.notify
        def notify(self, message: str, **kwargs: object) -> None: ...

        def _update_status(self) -> None: ...

    def action_history_move(self, by: int) -> None:
        loop = self.frame_loop
        if not loop.move(by) and by < 0 and not len(loop.kept):
            self.notify("no snapshot kept yet", timeout=2)
        self._update_status()

    def action_history_start(self) -> None:
        if not self.frame_loop.go_to(0):
            self.notify("no snapshot kept yet", timeout=2)
        self._update_status()

    def action_history_watch(self) -> None:
        loop = self.frame_loop
        watch = loop.layer_watch_step(loop.layer)
        if loop.live_step is None or loop.live_step < watch:
            self.notify(f"watch step {watch} not reached yet (live: {loop.live_step or 0})", timeout=3)
            return
        loop.go_to(watch)
        self._update_status()

    def action_history_live(self) -> None:
        self.frame_loop.go_live()
        self._update_status()

"""A cell holds several runs (seeds, other axes): pick the one to open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from .plan import Point


def point_label(point: Point, axes: list[str], rows: dict[str, dict[str, Any]]) -> str:
    settings = " ".join(f"{a}={point.settings.get(a)}" for a in axes) or point.key
    row = rows.get(point.key)
    if row is None:
        return f"{settings}  (not run yet)"
    counts = row.get("watch_orientations") or row.get("orientations") or []
    rd = row.get("rd")
    return f"{settings}  orientations {counts[0] if counts else '-'}" + (f"  RD {rd:.2f}" if rd is not None else "")


class PointPicker(ModalScreen["Point | None"]):
    DEFAULT_CSS = """
    PointPicker { align: center middle; }
    PointPicker > #box { width: 90%; max-width: 80; height: auto; max-height: 90%;
                         border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "back"),
                                             Binding("q", "dismiss_none", "back", show=False)]

    def __init__(self, points: list[Point], axes: list[str], rows: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.points = points
        self.labels = [point_label(p, axes, rows) for p in points]

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="box"):
            yield Static("Open which run? (Enter: re-run it live in the TUI, Esc: back)")
            yield OptionList(*self.labels, id="points")

    def on_mount(self) -> None:
        options = self.query_one("#points", OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.points[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

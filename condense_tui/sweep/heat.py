"""Heat levels for grid cells: a colour per level, and a bar glyph per level for NO_COLOR terminals."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

    from .grid import Cell, Measure

PALETTE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")  # viridis: ordered in grey too
INK = ("#ffffff", "#ffffff", "#ffffff", "#000000", "#000000")
GLYPHS = ("▁", "▃", "▅", "▆", "█")  # the level without colour, low to high
LEVELS = len(PALETTE)


def level(value: float, low: float, high: float) -> int:
    if high <= low:
        return LEVELS // 2
    share = (min(max(value, low), high) - low) / (high - low)
    return min(LEVELS - 1, int(share * LEVELS))


def cell_text(cell: Cell, low: float, high: float, no_color: bool, width: int, cursor: bool = False) -> Text:
    """The cell as shown, centred in `width` columns: its number, a trailing … while runs of it are
    still to come, and its level as the background colour (without colour: a leading bar glyph).
    The cursor's cell is drawn reversed (its own colours would hide the table's cursor)."""
    from rich.text import Text

    more = "…" if 0 < cell.finished < cell.total else ""
    mark = " reverse bold" if cursor else ""
    if cell.value is None:
        return Text(f"{cell.text}{more}".center(width), style=("" if no_color else "dim") + mark)
    at = level(cell.value, low, high)
    if no_color:
        return Text(f"{GLYPHS[at]}{cell.text}{more}".center(width), style=mark)
    return Text(f"{cell.text}{more}".center(width), style=f"{INK[at]} on {PALETTE[at]}{mark}")


def _number(value: float, measure: Measure) -> str:
    return format(value, measure.spec if measure.spec.endswith(("f", "g")) else ".1f")


def legend(measure: Measure, how: str, low: float, high: float, no_color: bool) -> Text:
    """One line: each level's lower edge, then what the marks in a cell mean."""
    from rich.text import Text

    line = Text("scale ")
    step = (high - low) / LEVELS
    for at in range(LEVELS):
        edge = "≥" + _number(low + at * step, measure) if at else "<" + _number(low + step, measure)
        if no_color:
            line.append(f"{GLYPHS[at]}{edge} ")
        else:
            line.append(f" {edge} ", style=f"{INK[at]} on {PALETTE[at]}")
            line.append(" ")
    line.append(" · not run  … partial  n/a none")
    return line

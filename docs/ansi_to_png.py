"""Render a terminal capture (`tmux capture-pane -p -e`) to a PNG, for the README's screenshots.

    python docs/ansi_to_png.py CAPTURE.ansi OUT.png

A documentation tool only: it needs Pillow (`pip install pillow`), which condense-tui itself does
not. Each cell is drawn with DejaVu Sans Mono in its own foreground and background colour, so
half blocks and braille come out as the terminal showed them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.console import Console
from rich.style import Style
from rich.terminal_theme import MONOKAI
from rich.text import Text

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIZE = 16
THEME = MONOKAI
DEFAULT_FG = THEME.foreground_color
DEFAULT_BG = THEME.background_color
# block elements drawn as rectangles (fonts leave gaps between cells): quadrants tl, tr, bl, br
QUADRANTS = {
    "▀": (1, 1, 0, 0), "▄": (0, 0, 1, 1), "█": (1, 1, 1, 1), "▌": (1, 0, 1, 0), "▐": (0, 1, 0, 1),
    "▖": (0, 0, 1, 0), "▗": (0, 0, 0, 1), "▘": (1, 0, 0, 0), "▝": (0, 1, 0, 0), "▙": (1, 0, 1, 1),
    "▛": (1, 1, 1, 0), "▜": (1, 1, 0, 1), "▟": (0, 1, 1, 1), "▚": (1, 0, 0, 1), "▞": (0, 1, 1, 0),
}


def rgb(color: Color | None, default: ColorTriplet) -> tuple[int, int, int]:
    if color is None or color.type == ColorType.DEFAULT:
        return default.red, default.green, default.blue
    red, green, blue = color.get_truecolor(THEME)
    return red, green, blue


def cells(line: Text) -> list[tuple[str, Style]]:
    out: list[tuple[str, Style]] = []
    for segment in line.render(_console()):
        out.extend((ch, segment.style or Style()) for ch in segment.text)
    return out


_CONSOLE: Console | None = None


def _console() -> Console:
    global _CONSOLE
    if _CONSOLE is None:
        _CONSOLE = Console(color_system="truecolor", width=1000)
    return _CONSOLE


def render(capture: str) -> Image.Image:
    regular, bold = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(BOLD, SIZE)
    _, top, _, bottom = regular.getbbox("M")
    width = round(regular.getlength("M"))
    height = round(SIZE * 1.25)
    lines = [Text.from_ansi(raw) for raw in capture.rstrip("\n").split("\n")]
    rows = [cells(line) for line in lines]
    columns = max(len(r) for r in rows)
    image = Image.new("RGB", (columns * width, len(rows) * height), tuple(DEFAULT_BG))
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (ch, style) in enumerate(row):
            fg, bg = rgb(style.color, DEFAULT_FG), rgb(style.bgcolor, DEFAULT_BG)
            if style.reverse:
                fg, bg = bg, fg
            box = (x * width, y * height, (x + 1) * width, (y + 1) * height)
            draw.rectangle(box, fill=bg)
            if ch in QUADRANTS:
                x0, y0, x1, y1 = box
                xm, ym = x0 + width // 2, y0 + height // 2
                for on, (a, b, c, d) in zip(QUADRANTS[ch], ((x0, y0, xm, ym), (xm, y0, x1, ym),
                                                          (x0, ym, xm, y1), (xm, ym, x1, y1))):
                    if on:
                        draw.rectangle((a, b, c - 1, d - 1), fill=fg)
            elif ch != " ":
                draw.text((box[0], box[1] + (height - (bottom - top)) // 2 - top), ch,
                          font=bold if style.bold else regular, fill=fg)
    return image


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    render(Path(argv[0]).read_text(encoding="utf-8")).save(argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

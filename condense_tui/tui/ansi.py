"""plotext's ANSI output straight to Textual Strips.

Going through rich's Text.from_ansi and Textual's content pipeline cost more than building the plot
itself (12 ms for a 124x44 chart, then as much again in the compositor). plotext only writes SGR
colour codes, so a small parser with cached styles does the job in a fraction of that.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

PLAIN = Style()  # every segment carries a style: Textual's NO_COLOR filter reads it
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_State = tuple[str | None, str | None, bool]  # foreground, background, bold
_RESET: _State = (None, None, False)


@lru_cache(maxsize=4096)
def style_for(state: _State) -> Style:
    fg, bg, bold = state
    return Style(color=fg, bgcolor=bg, bold=bold or None)


def _extended(codes: list[int], i: int) -> tuple[str | None, int]:
    """38/48 ; 5 ; n  or  38/48 ; 2 ; r ; g ; b -> (colour, index after it)."""
    if i + 1 < len(codes) and codes[i + 1] == 5 and i + 2 < len(codes):
        return f"color({codes[i + 2]})", i + 3
    if i + 1 < len(codes) and codes[i + 1] == 2 and i + 4 < len(codes):
        r, g, b = codes[i + 2:i + 5]
        return f"rgb({r},{g},{b})", i + 5
    return None, len(codes)


@lru_cache(maxsize=4096)
def apply_sgr(state: _State, params: str) -> _State:
    fg, bg, bold = state
    codes = [int(c) if c else 0 for c in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            fg, bg, bold = _RESET
        elif code == 1:
            bold = True
        elif code == 22:
            bold = False
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif 30 <= code <= 37:
            fg = f"color({code - 30})"
        elif 90 <= code <= 97:
            fg = f"color({code - 90 + 8})"
        elif 40 <= code <= 47:
            bg = f"color({code - 40})"
        elif 100 <= code <= 107:
            bg = f"color({code - 100 + 8})"
        elif code in (38, 48):
            colour, i = _extended(codes, i)
            if code == 38:
                fg = colour
            else:
                bg = colour
            continue
        i += 1
    return fg, bg, bold


def ansi_to_strips(text: str) -> list[Strip]:
    """One Strip per line; colour state carries across lines as on a terminal."""
    strips: list[Strip] = []
    state = _RESET
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # a final newline ends the last line, it does not start another
    for line in lines:
        segments: list[Segment] = []
        pos = 0
        for match in _SGR.finditer(line):
            if match.start() > pos:
                segments.append(Segment(line[pos:match.start()], style_for(state)))
            state = apply_sgr(state, match.group(1))
            pos = match.end()
        if pos < len(line):
            segments.append(Segment(line[pos:], style_for(state)))
        strips.append(Strip(segments).simplify())
    return strips


def line_of(strips: list[Strip], y: int, width: int) -> Strip:
    """Row y of pre-built strips, cut or padded to width (blank below the last one)."""
    if y < len(strips):
        return strips[y].crop_extend(0, width, PLAIN)
    return Strip.blank(width, PLAIN)

"""Cosine-similarity heatmap: a diverging palette (-1 blue, 0 white, +1 red) in LEVELS steps, the
half-block cell that holds two entries, and the glyphs used when colour is off."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

LEVELS = 33  # colour steps from -1 to +1
NEGATIVE = (33, 102, 172)  # blue
ZERO = (247, 247, 247)  # white
POSITIVE = (178, 24, 43)  # red
HALF = "\u2580"  # upper half block: top entry in the foreground, bottom one in the background
# no colour: |cos| as a strength 0..4 drawn by a glyph whose family carries the sign. Two sets
# with the same steps: block shades, and plain ASCII for consoles without block glyphs.


class GlyphSet(NamedTuple):
    faint: str
    positive: tuple[str, str, str, str]  # strength 1..4
    negative: tuple[str, str, str, str]


BLOCKS = GlyphSet(" ", ("\u2591", "\u2592", "\u2593", "\u2588"), ("\u00b7", "-", "=", "\u2261"))
ASCII = GlyphSet(" ", (".", ":", "+", "#"), (",", "~", "-", "="))
FAINT = 0.15  # |cos| below this is strength 0
COLOR_LEGEND = "blue -1  white 0  red +1"

RGB = tuple[int, int, int]


def levels(values: np.ndarray) -> np.ndarray:
    """Cosines in [-1, 1] to palette levels 0..LEVELS-1."""
    return np.clip(np.round((np.asarray(values) + 1.0) / 2.0 * (LEVELS - 1)), 0, LEVELS - 1).astype(int)


@cache
def level_rgb(level: int) -> RGB:
    """The colour of one level: white at the middle, fading to blue below and red above."""
    v = 2.0 * level / (LEVELS - 1) - 1.0
    end = POSITIVE if v >= 0 else NEGATIVE
    t = abs(v)
    r, g, b = (round(x + (y - x) * t) for x, y in zip(ZERO, end))
    return (r, g, b)


def strength(value: float) -> int:
    """|cos| in five steps: 0 below FAINT, then 1..4 in equal parts up to 1."""
    size = abs(value)
    return 0 if size < FAINT else 1 + min(3, int((size - FAINT) / (1 - FAINT) * 4))


def glyph(value: float, glyphs: GlyphSet = BLOCKS) -> str:
    """One cosine as a glyph of `glyphs` (BLOCKS or ASCII)."""
    level = strength(value)
    if level == 0:
        return glyphs.faint
    return (glyphs.positive if value > 0 else glyphs.negative)[level - 1]


def glyph_row(values: np.ndarray, glyphs: GlyphSet = BLOCKS) -> str:
    return "".join(glyph(float(v), glyphs) for v in values)


def glyph_legend(glyphs: GlyphSet = BLOCKS) -> str:
    """Strongest to weakest of each sign, e.g. "+1 █▓▒░ 0 ·-=≡ -1"."""
    return f"+1 {''.join(reversed(glyphs.positive))} 0 {''.join(glyphs.negative)} -1"


def half_block_pairs(matrix: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Rows two at a time as palette levels: (top, bottom); bottom is None for an odd last row."""
    lv = levels(matrix)
    k = len(lv)
    return [(lv[r], lv[r + 1] if r + 1 < k else None) for r in range(0, k, 2)]

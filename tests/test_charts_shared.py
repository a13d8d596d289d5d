"""One palette, one glyph scale, one sampling and one set of histogram bins for both faces: the
TUI widgets and the headless `--plot` charts draw from condense_tui.charts."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np

from condense_tui.analysis.geometry import orientation_histogram
from condense_tui.analysis.report import HISTOGRAM_BINS
from condense_tui.charts.histogram import (
    bar_outline,
    bin_edges,
    histogram_title,
    shares,
)
from condense_tui.charts.palette import (
    ASCII,
    BLOCKS,
    LEVELS,
    GlyphSet,
    glyph,
    level_rgb,
    levels,
    strength,
)
from condense_tui.charts.sampling import heatmap_cells
from condense_tui.headless.charts import heatmap_chart, histogram_chart
from condense_tui.tui.widgets.heatmap import level_colour

RGB_CODE = re.compile(r"\x1b\[38;2;(\d+);(\d+);(\d+)m")


def layer_of(m: int, seed: int = 0) -> SimpleNamespace:
    """What the heatmap reads of a LayerAnalysis: unit directions and a neuron order."""
    rng = np.random.default_rng(seed)
    d = rng.standard_normal((m, 3))
    return SimpleNamespace(directions=d / np.linalg.norm(d, axis=1, keepdims=True), order=np.arange(m)[::-1])


def test_bins_are_the_analysis_bins() -> None:
    angles = np.array([-3.0, -0.1, 0.2, 2.5, 3.1])
    counts, edges = orientation_histogram(angles, np.ones(5), HISTOGRAM_BINS)
    assert np.array_equal(bin_edges(len(counts)), edges)


def test_each_bar_spans_exactly_its_bin_as_a_share() -> None:
    counts = np.zeros(8)
    counts[2], counts[3], counts[6] = 2.0, 1.0, 1.0
    bars = bar_outline(counts)
    edges = bin_edges(8)
    assert len(bars.runs) == 2  # bins 2-3 and bin 6; empty bins draw nothing
    (xs, ys), (xs6, ys6) = bars.runs
    assert xs == [edges[2], edges[3], edges[3], edges[4]] and ys == [0.5, 0.5, 0.25, 0.25]
    assert xs6 == [edges[6], edges[7]] and ys6 == [0.25, 0.25]
    assert bars.y_top > 0.5 and np.isclose(sum(shares(counts)), 1.0)
    assert not shares(np.zeros(4)).any() and bar_outline(np.zeros(4)).runs == ()


def test_plot_histogram_bar_is_as_narrow_as_its_bin() -> None:
    counts = np.zeros(HISTOGRAM_BINS)
    counts[HISTOGRAM_BINS // 4] = 50.0  # one full bin: share 1
    text = histogram_chart(counts, None, "one bin", width=72, height=12)
    rows = text.splitlines()
    body = [r for r in rows if "┤" in r][:-1]  # y-labelled rows above the floor row
    filled = {i for r in body for i, ch in enumerate(r) if ch in "█▌▐▄▀▖▗▘▝▙▛▜▟"}
    assert filled and max(filled) - min(filled) <= 1  # one or two columns, not a 7-column bar
    labels = [float(r.split("┤")[0]) for r in body if r.split("┤")[0].strip()]
    assert max(labels) <= 1.1  # shares, as in the TUI, not raw amplitude (50)
    assert "share" in text and "-pi/2" in text
    floor = [r for r in rows if "┤" in r][-1]
    assert sum(ch in "▄█" for ch in floor) <= 2  # empty bins leave the floor blank


def test_one_palette_in_both_faces() -> None:
    for level in range(LEVELS):
        assert level_colour(level) == "rgb({},{},{})".format(*level_rgb(level))
    assert level_rgb(0) == (33, 102, 172) and level_rgb(LEVELS - 1) == (178, 24, 43)
    layer = layer_of(6)
    text = heatmap_chart(layer, "L1", color=True, max_cells=6)  # type: ignore[arg-type]
    matrix, _ = heatmap_cells(layer, 6)  # type: ignore[arg-type]
    drawn = [tuple(int(c) for c in m) for m in RGB_CODE.findall(text)]
    top_rows = levels(matrix)[0::2].ravel()  # the foreground of each half block: the upper entry
    assert drawn == [level_rgb(int(v)) for v in top_rows]


def test_plot_heatmap_samples_like_the_tui() -> None:
    layer = layer_of(500, seed=1)
    text = heatmap_chart(layer, "L1", color=False, max_cells=40)  # type: ignore[arg-type]
    lines = text.splitlines()
    assert lines[0] == "L1 (40 neurons shown)"
    matrix, picked = heatmap_cells(layer, 40)  # type: ignore[arg-type]
    assert len(picked) == 40 and picked[0] == 499 and picked[-1] == 0  # evenly along the order
    rows = lines[1:41]
    assert [[strength(v) for v in row] for row in matrix] == \
        [[_strength_of(ch, ASCII) for ch in row] for row in rows]


def _strength_of(ch: str, glyphs: GlyphSet) -> int:
    """Where a glyph sits on the shared 0..4 scale."""
    for family in (glyphs.positive, glyphs.negative):
        if ch in family:
            return family.index(ch) + 1
    assert ch == glyphs.faint
    return 0


def test_glyph_sets_share_one_scale_and_keep_the_sign() -> None:
    for value in np.linspace(-1, 1, 81):
        level = strength(value)
        for glyphs in (BLOCKS, ASCII):
            g = glyph(value, glyphs)
            if level == 0:
                assert g == glyphs.faint
            else:
                assert g == (glyphs.positive if value > 0 else glyphs.negative)[level - 1]
    assert glyph(1.0, BLOCKS) == "█" and glyph(-1.0, ASCII) == "=" and glyph(1.0, ASCII) == "#"


def test_histogram_title_says_only_what_is_drawn() -> None:
    assert "theory" not in histogram_title(0, has_theory=False, no_color=False)
    assert histogram_title(1, has_theory=True, no_color=True).startswith("L2 orientation")

"""What each shipped preset shows and whether our runs agree with the paper, for pickers and lists.

The agreement is measured, not derived: `python benchmarks/preset_table.py --seeds 5` runs every
synthetic preset on five seeds and README's "Presets" section records the outcome. The sets below
copy that outcome (tests/test_preset_notes.py checks them against README's table), so a preset
measured anew means updating both. A preset in neither set, such as the real-data ones (their files
are not on every machine) or a preset added since, is "not measured", never presumed to agree.
"""

from __future__ import annotations

from dataclasses import dataclass

MEASURED_BY = "benchmarks/preset_table.py --seeds 5"

# met on every seed of the measurement
AGREES = frozenset({
    "fig2-sigmoid", "fig2-tanh", "fig2-x2tanh-paper", "fig2-xtanh-paper", "fig5-relu", "fig5-tanh",
    "fig5-x2tanh", "fig5-xtanh", "fig6-relu", "fig6-tanh",
})

# missed on at least one seed: what the runs showed instead (README "What the presets show")
DIFFERS: dict[str, str] = {
    "fig2-relu": "5-6 lines, each orientation on its own line (the paper: 3 directions, 2 opposite)",
    "fig2-softplus": "1 line on 2 of 5 seeds; 2 lines on the others (Adam leaves the sides not opposite)",
    "fig2-x2tanh": ("4-6 lines and 7-9 orientations (the paper: 3 lines; the theory for this data draw: 2); "
                    "fig2-x2tanh-paper shows 3"),
    "fig2-xtanh": ("3-4 lines and 6-7 orientations (the paper and the theory: 2 lines); "
                   "fig2-xtanh-paper shows 2"),
    "fig2-xtanh-flow": ("gradient flow: 2 lines on 4 of 5 seeds, 3 on one (the paper: 2); one orientation per "
                        "line, not two"),
    "fig2-x2tanh-flow": ("gradient flow: 1 line on 4 of 5 seeds (one neuron's blow-up takes the amplitude; the "
                         "paper under Adam: 3); seed 4 has not condensed by step 50"),
    "fig3": "layer 1 has 5 lines on 4 of 5 seeds (the paper: 3; the theory for this data draw: 4); layers 2-5 agree",
    "fig4a": "3-5 lines and 6-8 orientations (the paper: 3 directions, 2 opposite; the theory for this draw: 1 line)",
    "fig6-x2tanh": "3 lines on every seed as the paper shows; the worst peak is 0.13-0.16 rad from the theory "
                   "(over 0.15 on 1 of 5 seeds)",
    "fig6-xtanh": "2 lines on every seed as the paper shows, but the a > 0 line sits 0.56-0.61 rad from the "
                  "theory at step 200 (within 0.10 up to step 120)",
}

# The theory's line count for the first layer on each synthetic preset's own data draw: the summary's
# `predicted_lines` (analysis.report.run_predicted_counts). Stored because computing it for every
# preset takes seconds and `condense-tui presets` must answer at once; tests/test_preset_notes.py
# recomputes each one. Missing: no theory for that preset (ReLU, real data).
PREDICTED_LINES: dict[str, int] = {
    "fig2-sigmoid": 1, "fig2-softplus": 1, "fig2-tanh": 1, "fig2-x2tanh": 2, "fig2-x2tanh-flow": 2,
    "fig2-x2tanh-paper": 3, "fig2-xtanh": 2, "fig2-xtanh-flow": 2, "fig2-xtanh-paper": 2, "fig3": 4,
    "fig4a": 1, "fig5-tanh": 1, "fig5-x2tanh": 3, "fig5-xtanh": 2, "fig6-tanh": 1, "fig6-x2tanh": 3,
    "fig6-xtanh": 2,
}


def predicted_lines_text(name: str) -> str:
    """The theory's count for a shipped preset's data, as a listing shows it ("-": no theory)."""
    lines = PREDICTED_LINES.get(name)
    return "-" if lines is None else f"{lines} line" + ("s" if lines != 1 else "")


AGREES_TEXT = "agrees with the paper on every seed measured"
NOT_MEASURED_TEXT = "agreement with the paper not measured"


@dataclass(frozen=True)
class PresetNote:
    """One preset as a picker shows it: which figure, what the paper shows there, how our runs compare."""

    name: str
    figure: str
    description: str  # the preset's own line: setup and the paper's observation
    agreement: str  # AGREES_TEXT, "differs from the paper: ...", or NOT_MEASURED_TEXT
    agrees: bool | None  # None: not measured

    @property
    def line(self) -> str:
        """One line for a palette's help text."""
        figure = f"{self.figure}: " if self.figure else ""
        return f"{figure}{self.description} [{self.agreement}]"


def agreement(name: str) -> tuple[bool | None, str]:
    if name in AGREES:
        return True, AGREES_TEXT
    if name in DIFFERS:
        return False, f"differs from the paper: {DIFFERS[name]}"
    return None, NOT_MEASURED_TEXT


def preset_note(name: str) -> PresetNote:
    """The note for a preset name; a preset that does not load says why in its description."""
    from .config import ConfigError, load_preset

    try:
        config = load_preset(name)
    except (ConfigError, OSError) as err:
        return PresetNote(name, "", f"cannot load: {err}", NOT_MEASURED_TEXT, None)
    agrees, text = agreement(name)
    return PresetNote(name, config.figure, config.description, text, agrees)


def preset_notes() -> list[PresetNote]:
    """Every shipped preset's note, in name order (empty when no presets are installed)."""
    from .config import preset_names

    try:
        names = preset_names()
    except (ImportError, OSError):  # the presets package is missing from this install
        return []
    return [preset_note(name) for name in names]

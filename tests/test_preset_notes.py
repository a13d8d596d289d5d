"""Preset notes: each preset's figure, description and measured agreement, consistent with README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from condense_tui.config import load_preset, preset_names
from condense_tui.preset_notes import (
    AGREES,
    DIFFERS,
    NOT_MEASURED_TEXT,
    preset_note,
    preset_notes,
)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DRAFT = ROOT / "docs" / "readme" / "presets.md"  # the re-measured table, until README carries it
ROW = re.compile(r"^\| (fig[\w-]+) \|.*\| (\d+)/(\d+) \|$", re.MULTILINE)


def _readme_met() -> dict[str, tuple[int, int]]:
    """preset -> (seeds met, seeds run) from the measured presets table: README's once it has the
    re-measured table (its `condensed` column), else the draft beside it."""
    readme = README.read_text(encoding="utf-8") if README.is_file() else ""
    if "| condensed |" not in readme and DRAFT.is_file():
        readme = DRAFT.read_text(encoding="utf-8")
    if not readme:
        pytest.skip("README.md is not beside the tests (an installed copy)")
    return {name: (int(met), int(runs)) for name, met, runs in ROW.findall(readme)}


def test_the_notes_copy_readmes_measured_table():
    measured = _readme_met()
    assert measured, "README's Presets table was not found"
    agrees = {name for name, (met, runs) in measured.items() if met == runs}
    assert AGREES == agrees
    assert set(DIFFERS) == set(measured) - agrees


def test_every_named_preset_exists_and_sets_are_disjoint():
    names = set(preset_names())
    assert AGREES <= names and set(DIFFERS) <= names
    assert not AGREES & set(DIFFERS)


def test_a_note_carries_figure_description_and_agreement():
    note = preset_note("fig2-x2tanh")
    config = load_preset("fig2-x2tanh")
    assert (note.figure, note.description, note.agrees) == (config.figure, config.description, False)
    assert note.line.startswith("Fig. 2c: ") and "4-6 lines" in note.line
    assert preset_note("fig6-tanh").agrees is True
    assert preset_note("fig2-x2tanh-paper").agrees is True and "fig2-x2tanh-paper" in note.line
    unmeasured = preset_note("fig1a")  # real data: not in the measured table
    assert (unmeasured.agrees, unmeasured.agreement) == (None, NOT_MEASURED_TEXT)
    assert [note.name for note in preset_notes()] == preset_names()


def test_a_broken_or_new_preset_is_not_presumed_to_agree(tmp_path, monkeypatch):
    from condense_tui import config

    (tmp_path / "fig6-tanh.toml").write_text("width = 'wide'\n", encoding="utf-8")  # a known name, broken
    (tmp_path / "mine.toml").write_text('activation = "tanh"\nfigure = "none"\n', encoding="utf-8")
    monkeypatch.setattr(config, "presets_dir", lambda: tmp_path)
    broken, mine = preset_notes()
    assert broken.name == "fig6-tanh" and broken.description.startswith("cannot load") and broken.agrees is None
    assert (mine.figure, mine.agrees) == ("none", None)


def test_stored_theory_counts_match_the_theory_on_each_presets_data():
    """PREDICTED_LINES (read by `condense-tui presets`) recomputed from every synthetic preset's data."""
    from condense_tui.analysis.report import run_predicted_counts
    from condense_tui.preset_notes import PREDICTED_LINES, predicted_lines_text
    from condense_tui.runs import build_controller

    computed = {}
    for name in preset_names():
        config = load_preset(name)
        if config.data in ("mnist", "cifar10"):
            continue
        lines = run_predicted_counts(build_controller(config).context)["predicted_lines"]
        if lines is not None:
            computed[name] = lines
    assert computed == PREDICTED_LINES
    assert predicted_lines_text("fig3") == "4 lines" and predicted_lines_text("fig6-tanh") == "1 line"
    assert predicted_lines_text("fig2-relu") == "-"

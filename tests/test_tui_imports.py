"""Import hygiene: the TUI package's entry point and the new analysis helpers stay light."""

from __future__ import annotations

import subprocess
import sys

UI = ("textual", "textual_plotext", "plotext", "rich", "typer")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_the_tui_package_loads_no_ui() -> None:
    modules = loaded_after("import condense_tui.tui")
    assert not [m for m in UI if m in modules]


def test_chart_helpers_in_analysis_load_no_ui() -> None:
    modules = loaded_after("import condense_tui.analysis.function, condense_tui.analysis.field, "
                           "condense_tui.analysis.neurons, condense_tui.analysis.accuracy")
    assert not [m for m in UI if m in modules]

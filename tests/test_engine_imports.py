import subprocess
import sys

UI = ("textual", "textual_plotext", "plotext", "typer", "rich")


def test_engine_and_analysis_import_no_ui():
    code = (
        "import sys\n"
        "import condense_tui.config, condense_tui.runs, condense_tui.analysis.report\n"
        "import condense_tui.analysis.theory, condense_tui.analysis.counting\n"
        f"print(','.join(m for m in {UI!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

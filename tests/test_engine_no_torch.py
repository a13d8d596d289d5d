"""Start-up stays light: activations, their multiplicities and the listing commands never import torch."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_activations_and_their_multiplicities_import_no_torch():
    modules = _modules_after(
        "from condense_tui.engine.activations import activation_names, get_activation\n"
        "for name in activation_names() + ['x8tanh', 'z**2*sin(z)']:\n"
        "    get_activation(name).multiplicity\n"
        "import condense_tui.engine.expressions, condense_tui.engine.denormals\n"
        "from condense_tui.engine.denormals import flush_denormals\n"
        "flush_denormals()\n"
    )
    assert "torch" not in modules


@pytest.mark.parametrize("argv", [["--help"], ["presets"], ["activations"]])
def test_listing_commands_import_no_torch(argv):
    modules = _modules_after(
        "import contextlib, io\n"
        "from condense_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit as done:\n"
        "        assert not done.code, done.code\n"
    )
    assert "torch" not in modules

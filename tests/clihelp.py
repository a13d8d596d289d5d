"""Shared helpers for the CLI tests (not a conftest: the engine's tests own that file)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from condense_tui.cli import app

runner = CliRunner()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def records(stdout: str) -> list[dict]:
    """Every stdout line parsed as JSON (fails the test on any line that is not)."""
    return [json.loads(line) for line in stdout.splitlines()]


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("condense-tui: error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""


def losses(path_or_text: str | Path) -> list[tuple[int, float]]:
    text = Path(path_or_text).read_text() if isinstance(path_or_text, Path) else path_or_text
    return [(r["step"], r["loss"]) for r in records(text) if "event" not in r]

"""Errors for real-data files: one line each, naming the files, where they were looked for, and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FIX = "point --data-dir (or CONDENSE_TUI_DATA_DIR) at the folder that holds them"


class DataFilesError(ValueError):
    """Real-data files missing or unreadable; str(err) is one line a user can act on."""


class DataFilesMissing(DataFilesError):
    pass


class DataFileMalformed(DataFilesError):
    pass


class NotEnoughData(DataFilesError):
    pass


def missing(what: str, expected: Sequence[str], looked_in: Sequence[Path]) -> DataFilesMissing:
    places = " or ".join(str(p) for p in looked_in)
    return DataFilesMissing(f"{what} files not found: expected {', '.join(expected)} in {places}; {FIX}")


def malformed(what: str, path: Path, problem: str) -> DataFileMalformed:
    return DataFileMalformed(
        f"{what} file {path} is malformed: {problem}; replace it with the original file, or point "
        "--data-dir (or CONDENSE_TUI_DATA_DIR) at a folder with good copies"
    )

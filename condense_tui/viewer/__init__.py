"""Faces on stored runs: `condense-tui view` (replay, follow, compare), `condense-tui export`, and the
notebook API (condense_tui.load_run / condense_tui.run). Nothing heavy loads at import time."""

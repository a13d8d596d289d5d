"""`python -m condense_tui`: the same command as `condense-tui`."""

from __future__ import annotations

from .launch import main

if __name__ == "__main__":
    main()

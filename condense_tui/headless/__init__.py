"""The headless face: JSON Lines on stdout, a run store on disk, progress and charts on stderr."""

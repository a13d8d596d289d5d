"""Chart pieces both faces draw from: the heatmap's palette, glyphs and sampling, the orientation
histogram's bins and bars, and the one function that reads a snapshot's analysis. Pure NumPy (no
Textual, no plotext), so the TUI widgets and the headless `--plot` charts cannot drift apart."""

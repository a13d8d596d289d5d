"""The presets, one TOML file per paper figure (a regular package so editable installs find it)."""

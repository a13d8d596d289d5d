"""Presets in the command palette (ctrl+p): type a name, Enter loads it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .. import config as run_config


class PresetCommands(Provider):
    def _names(self) -> list[str]:
        try:
            return run_config.preset_names()
        except Exception:  # noqa: BLE001 - a broken presets dir must not break the palette
            return []

    async def discover(self) -> Hits:
        for name in self._names():
            yield DiscoveryHit(f"preset {name}", partial(self.app.load_preset, name),
                               help="load this preset and start it")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self._names():
            text = f"preset {name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.app.load_preset, name),
                          help="load this preset and start it")

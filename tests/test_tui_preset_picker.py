"""The preset picker at 80x24: figure, verdict on the paper and description per row, fitting the width."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Label, OptionList
from tui_support import wait_for

from condense_tui.config import preset_names
from condense_tui.preset_notes import AGREES_TEXT, preset_note
from condense_tui.tui.widgets.preset_picker import ROW_WIDTH, PresetPicker, clip


class PickerOnly(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.picked: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(PresetPicker(preset_names(), "fig2-tanh"), self.picked.append)


def prompts(app: App) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def detail(app: App) -> str:
    return str(app.screen.query_one("#detail", Label).render())


def test_clip_cuts_with_an_ellipsis():
    assert clip("short", 10) == "short"
    assert clip("a   b\nc", 10) == "a b c"
    assert clip("x" * 20, 10) == "x" * 9 + "…"


async def test_rows_show_figure_and_verdict_and_fit_80_columns() -> None:
    app = PickerOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "\n" in prompts(app)[0], what="notes read")
        options = app.screen.query_one(OptionList)
        assert options.scrollable_content_region.width >= ROW_WIDTH
        assert options.virtual_size.height == 2 * options.option_count  # no row wraps
        assert app.screen.query_one("Vertical").region.right <= 80
        rows = dict(zip(preset_names(), prompts(app), strict=True))
        tanh, xtanh = rows["fig2-tanh"].splitlines(), rows["fig2-xtanh"].splitlines()
        assert "Fig. 2a" in tanh[0] and tanh[0].endswith("agrees")
        assert "Fig. 2b" in xtanh[0] and xtanh[0].endswith("differs")
        assert all(len(line) <= ROW_WIDTH for row in rows.values() for line in row.splitlines())
        assert tanh[1].endswith("…") and tanh[1][:-1] in " ".join(preset_note("fig2-tanh").description.split())
        # the highlighted preset (the current one) has its verdict in full under the list
        assert detail(app) == AGREES_TEXT
        await pilot.press("down")
        assert detail(app) == preset_note(preset_names()[options.highlighted]).agreement


async def test_typing_filters_and_enter_loads_the_highlighted_preset() -> None:
    app = PickerOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "\n" in prompts(app)[0], what="notes read")
        await pilot.press(*"xtanh-p")
        assert [row.split()[0] for row in prompts(app)] == ["fig2-xtanh-paper"]
        assert detail(app) == AGREES_TEXT
        await pilot.press("backspace", "backspace")  # "xtanh": several rows, arrows move
        assert len(prompts(app)) > 2
        await pilot.press("down", "enter")
        await pilot.pause()
    xtanh = [name for name in preset_names() if "xtanh" in name]
    assert app.picked == [xtanh[1]]

"""`condense-tui view`: a stored run in the TUI (replay, follow, a killed run, compare), by pilot."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tui_support import wait_for, warm_activations
from view_support import (
    five_d_config,
    killed_store,
    one_d_config,
    stored_run,
    wait_for_file,
    write_slowly,
)

from condense_tui.store import read_run
from condense_tui.viewer.app import ViewApp
from condense_tui.viewer.compare import CompareScreen

FIXTURE = Path(__file__).parent / "fixtures" / "store_v1"


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_activations("tanh")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("views")
    return stored_run(base / "one", one_d_config()), stored_run(base / "five", five_d_config())


def status(app: ViewApp) -> str:
    return app._status.plain


async def test_a_stored_run_replays_read_only(runs):
    (folder, published), _ = runs
    app = ViewApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        loop = app.frame_loop
        await wait_for(pilot, lambda: loop.kept.steps == [s.step for s in published], what="every snapshot kept")
        await wait_for(pilot, lambda: "step 60" in status(app) and "finished, 7 stored" in status(app),
                       what="the newest stored step")
        assert " orient (2p=" in status(app) and app.trainer is None
        await pilot.press("space")  # play from the start
        await wait_for(pilot, lambda: "viewing step 0 (live: 60)" in status(app), what="replay from 0")
        await pilot.press("space", "n", "n")  # pause, two steps forward
        await wait_for(pilot, lambda: "viewing step 20 (live: 60)" in status(app) or
                       "viewing step 30 (live: 60)" in status(app), what="stepping")
        await pilot.press("r")
        await wait_for(pilot, lambda: "viewing step 0 (live: 60)" in status(app), what="replay reset")
        await pilot.press("R")  # reseed: nothing trains here
        assert app.trainer is None
        await pilot.press("5")  # the history tab draws the stored run's history
        await wait_for(pilot, lambda: "kept" in app.query_one("#history-map").text, what="history tab")


async def test_save_svg_goes_to_the_run_folder_and_an_unwritable_one_is_a_notice(runs, tmp_path):
    (folder, _), _ = runs
    app = ViewApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "step 60" in status(app), what="the run")
        await pilot.press("S")
        saved = list(folder.glob("condense-*.svg"))
        assert len(saved) == 1 and saved[0].stat().st_size > 1000 and "saved" in status(app)
        saved[0].unlink()
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        app.screenshot_folder = lambda: blocker / "sub"  # type: ignore[method-assign]  # unwritable even for root
        await pilot.press("S")
        assert "cannot save the view" in status(app) and app.is_running


async def test_a_run_killed_mid_run_opens(tmp_path):
    out = killed_store(tmp_path / "killed")
    stored = read_run(out).snapshots.steps.tolist()
    app = ViewApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.frame_loop.kept.steps == stored, what="every snapshot before the kill")
        await wait_for(pilot, lambda: "killed (no summary)" in status(app) and f"step {stored[-1]}" in status(app),
                       what="the killed status")


async def test_follow_shows_snapshots_arriving_and_the_end(runs, tmp_path):
    (_, published), _ = runs
    go = threading.Semaphore(0)
    writer = threading.Thread(target=write_slowly, args=(tmp_path / "live", one_d_config(), published, go.acquire),
                              daemon=True)
    writer.start()
    go.release()  # the store opens and its first snapshot lands
    wait_for_file(tmp_path / "live" / "snapshots" / "steps.npy")
    app = ViewApp(tmp_path / "live", follow=True)
    app.refresh_s = 0.1
    async with app.run_test(size=(100, 30)) as pilot:
        loop = app.frame_loop
        await wait_for(pilot, lambda: loop.kept.steps == [0], what="the first snapshot")
        assert "being written" in status(app) and "following" in status(app)
        for count in range(2, len(published) + 1):
            go.release()
            await wait_for(pilot, lambda count=count: len(loop.kept.steps) == count, what=f"snapshot {count}")
        assert f"step {published[-1].step}" in status(app)
        go.release()  # the summary: the writer has finished
        await wait_for(pilot, lambda: "finished," in status(app), what="the finished status")
    writer.join(5)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_two_runs_side_by_side(runs, size):
    (one, _), (five, _) = runs
    app = ViewApp(one, compare=five)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="the compare screen")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await wait_for(pilot, lambda: screen.status_plain != "", what="the first draw")
        lines = screen.status_plain.splitlines()
        assert lines[0].startswith("fig6-tanh step 60") and lines[1].startswith("test-5d step 40")
        assert all("orient (2p=" in line for line in lines)
        await pilot.pause(0.2)
        lines = screen.status_plain.splitlines()  # cut to the width, never wrapped
        assert len(lines) == 2 and all(len(line) <= size[0] - 2 for line in lines)
        loss = screen.query_one("#compare-loss").text
        assert "fig6-tanh" in loss and "test-5d" in loss  # the two named series
        histogram, heatmap = screen.query_one("#histogram-0"), screen.query_one("#heatmap-1")
        assert histogram.display and heatmap.display and not screen.query_one("#heatmap-0").display
        assert histogram.size.height >= 6 and heatmap.size.height >= 6 and histogram.size.width >= 38
        await pilot.press("home")  # one timeline moves both, each to its nearest stored step
        lines = screen.status_plain.splitlines()
        assert "step 0 " in lines[0] and "step 0 " in lines[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        lines = screen.status_plain.splitlines()
        assert "step 20 " in lines[0] and "step 20 " in lines[1]
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_compare_picked_from_inside_and_the_v1_store_opens(runs):
    (one, _), _ = runs
    app = ViewApp(FIXTURE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "step 30" in status(app), what="the earlier layout's run")
        await pilot.press("o")
        for ch in str(one):
            await pilot.press(ch if ch != "/" else "slash")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="the compare screen")

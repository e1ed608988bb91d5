"""The start-up paint hold (:mod:`inspector.tui.paint_hold`): an id sent before the panes
are painted is painted with its answer, not after three frames nobody reads; a slow answer
still shows the loading state once the hold's limit has passed; a dialog is never held."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen
from tui_shell_support import make_app, settle, until

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.app import InspectorApp
from inspector.tui.paint_hold import LIMIT, PaintHold
from inspector.tui.screens.key_prompt import KeyPromptScreen

Frame = tuple[bool, str | None]  # (panes mounted, the detail pane's state)


def log_frames(app: InspectorApp) -> list[Frame]:
    """Every frame the app paints from now on, as what its detail pane shows."""
    frames: list[Frame] = []
    paint = app._display

    def display(screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None and not app._batch_count:
            frames.append((app.panes_mounted, app.detail.state if app.panes_mounted else None))
        paint(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    return frames


def with_panes(frames: list[Frame]) -> list[str | None]:
    return [state for mounted, state in frames if mounted]


async def test_an_id_given_at_start_paints_with_its_record(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, ids=[catalog.CHAT_ID])
    # A limit no answer from the local server reaches, even on a loaded machine (the
    # limit itself is the next test's): this one is about what the hold paints.
    app.paint_hold = PaintHold(app, limit=10.0)
    frames = log_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.state.phase == "record")
        await pilot.pause()
        assert not app.paint_hold.active
    shown = with_panes(frames)
    assert shown, frames
    assert shown[0] == "record", frames  # no empty pane, no loading state before it


async def test_a_slow_answer_shows_the_loading_state_after_the_limit(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, ids=[catalog.SLOW_ID])
    frames = log_frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "loading" in with_panes(frames), timeout=LIMIT + 2)
        assert not app.paint_hold.active
        # Sent from a thread: it may reach the server a moment after the frame.
        await until(pilot, lambda: fake_server.count(catalog.SLOW_ID) == 1)
        assert app.state.phase == "loading"  # the answer is still on its way (3 s)
    assert "record" not in with_panes(frames)


async def test_the_key_prompt_is_never_held(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=None, ids=[catalog.CHAT_ID])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, KeyPromptScreen))
        assert not app.paint_hold.active
        assert fake_server.count(catalog.CHAT_ID) == 0  # no key: nothing was sent

"""The collector at start-up (inspector.tui.collector): paused by the launcher, frozen and
resumed once the first frame is painted; never left off."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_shell_support import make_app, started

from inspector.cli.main import COMMANDS, build_parser, with_command
from inspector.testserver import TEST_KEY, FakeOpenRouter
from inspector.tui import collector
from inspector.tui.app import InspectorApp
from inspector.tui.launch import FAILURE, run_tui


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does, the suite's process collects again afterwards and keeps
    nothing frozen (frozen objects would never be collected)."""
    try:
        yield
    finally:
        collector.resume(freeze=False)
        gc.unfreeze()
        gc.enable()


def test_resume_without_pause_changes_nothing(collector_restored: None) -> None:
    frozen = gc.get_freeze_count()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == frozen and not collector.paused()


def test_pause_stops_collecting_until_resumed(collector_restored: None) -> None:
    collector.pause()
    assert not gc.isenabled() and collector.paused()
    collector.pause()  # already off: still one pause to undo
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() > 0 and not collector.paused()


async def test_the_app_freezes_start_up_and_collects_again_after_its_first_frame(
    fake_server: FakeOpenRouter, data_dir: Path, collector_restored: None
) -> None:
    collector.pause()  # as the launcher does
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)  # the panes are up
        assert gc.isenabled() and not collector.paused()
        assert gc.get_freeze_count() > 0


def test_an_app_that_fails_before_its_first_frame_leaves_the_collector_on(
    collector_restored: None, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failure before the first frame (here: the app's run raising at once, which a
    # real terminal gives no way to provoke on demand) ends the launcher with the
    # collector on again.
    def fails(self: InspectorApp, *args: object, **kwargs: object) -> None:
        assert not gc.isenabled()  # paused by the launcher up to here
        raise RuntimeError("the terminal went away")

    monkeypatch.setattr(InspectorApp, "run", fails)
    monkeypatch.setenv("OPENROUTER_API_KEY", TEST_KEY)
    args = build_parser().parse_args(with_command(["--no-history"], set(COMMANDS)))
    assert run_tui(args) == FAILURE
    assert gc.isenabled() and not collector.paused()

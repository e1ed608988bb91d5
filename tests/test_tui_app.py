"""The app shell, driven with Pilot against the local server: lookups, states, keys, focus."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Static
from textual.worker import WorkerState
from tui_shell_support import (
    look_up,
    make_app,
    screen_text,
    settle,
    started,
    until,
)

from inspector.app.lookup import Failed, Succeeded
from inspector.cli.main import COMMANDS, build_parser, main, with_command
from inspector.core.errors import AuthError, LookupCancelled
from inspector.core.ids import parse_id
from inspector.core.retry import RetryPolicy
from inspector.infra.client import FetchResult
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.app import InspectorApp
from inspector.tui.commands import InspectorCommands
from inspector.tui.launch import build_app
from inspector.tui.lookups import LookupRunner
from inspector.tui.messages import LookupFailed, LookupSucceeded
from inspector.tui.screens.help import HelpScreen
from inspector.tui.widgets.id_input import IdField
from inspector.tui.widgets.key_footer import KeyFooter

REQUEST_ID = "req-1792505262-Yd4LwQ8sNf2KbT7mXe1R"


def generation_requests(server: FakeOpenRouter) -> list[Any]:
    return [r for r in server.requests if r.path.endswith("/generation")]


def shown_id(app: InspectorApp) -> str | None:
    current = app.detail.current
    return current[0].id if current else None


async def test_first_frame_has_the_input_focused_and_the_key_resolved_after(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test() as pilot:
        assert isinstance(app.focused, IdField)
        app = await started(pilot)
        assert app.resolved_key is not None and app.resolved_key.source == "environment"
        text = screen_text(app)
        assert "environment" in text and "sk-or-v1-…a1b2" in text
        assert TEST_KEY not in text
        assert generation_requests(fake_server) == []


async def test_a_record_renders_its_key_figures(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.REASONING_CACHED_ID)
        await settle(pilot)
        assert app.phase == "record"
        assert shown_id(app) == catalog.REASONING_CACHED_ID
        text = screen_text(app)
        for figure in ("claude-4.5-haiku", "$0.0097364", "18,432", "Amazon Bedrock"):
            assert figure in text, figure
        # Enter moved focus out of the id field, so the letter keys work.
        assert not isinstance(app.focused, IdField)


async def test_429_shows_a_countdown_then_the_record(make_fake_server: Any, data_dir: Path) -> None:
    # The 2 s Retry-After becomes 1 s: long enough to see the countdown on a loaded machine.
    server = make_fake_server(time_scale=0.5)
    app = make_app(server, data_dir, key=TEST_KEY)
    waits: list[Any] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.RATE_LIMITED_ID)
        await until(pilot, lambda: app.phase == "waiting")
        text = screen_text(app)
        assert "429" in text
        assert "attempt 2" in text
        waits.append(text)
        await until(pilot, lambda: app.phase == "record")
        assert shown_id(app) == catalog.RATE_LIMITED_ID
        assert server.count(catalog.RATE_LIMITED_ID) == 2


async def test_a_pending_id_resolves(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    gen_id = catalog.pending_id(fake_server, polls=2)
    policy = RetryPolicy(pending_schedule=(0.2,), jitter=0.0)  # two polls 0.2 s apart
    app = make_app(fake_server, data_dir, key=TEST_KEY, retry_policy=policy)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, gen_id)
        await until(pilot, lambda: app.phase == "waiting")
        assert "not indexed" in screen_text(app).lower()
        await until(pilot, lambda: app.phase == "record")
        await settle(pilot)
        assert shown_id(app) == gen_id
        assert fake_server.count(gen_id) == 3


async def test_escape_cancels_and_the_pane_says_so(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.SLOW_ID)  # answers after 3 s
        await until(pilot, lambda: fake_server.count(catalog.SLOW_ID) == 1)
        assert app.phase == "loading"
        await pilot.press("escape")
        await settle(pilot)
        assert app.phase == "error"
        assert "cancelled" in screen_text(app).lower()
        assert app._lookup is not None and app._lookup.state is WorkerState.CANCELLED
        # r tries again.
        assert app.check_action("retry_now", ()) is True


async def test_a_second_lookup_cancels_the_first_and_only_the_latest_paints(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.SLOW_ID)
        await until(pilot, lambda: fake_server.count(catalog.SLOW_ID) == 1)
        first = app._lookup
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert first is not None and first.state is WorkerState.CANCELLED
        assert shown_id(app) == catalog.CHAT_ID
        # A stale answer (an older sequence number) arriving late never paints.
        stale = FetchResult(raw=catalog.sample_record(catalog.FALLBACK_ID))
        old = parse_id(catalog.FALLBACK_ID)
        app.post_message(LookupSucceeded(app.state.seq - 1, Succeeded(old, stale, 1)))
        app.post_message(LookupFailed(app.state.seq - 1, Failed(old, AuthError("x"), 1)))
        await settle(pilot)
        assert shown_id(app) == catalog.CHAT_ID
        assert app.phase == "record"


async def test_request_id_gets_an_explanation_and_no_request(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, REQUEST_ID)
        await settle(pilot)
        text = screen_text(app)
        assert "request id, not a generation id" in text
        assert generation_requests(fake_server) == []
        assert app.phase == "empty"
        assert isinstance(app.focused, IdField)  # still there to fix the text


async def test_text_without_an_id_gets_an_explanation(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, "hello world")
        await settle(pilot)
        assert "not a generation id" in screen_text(app)
        assert generation_requests(fake_server) == []


async def test_an_odd_id_is_looked_up_with_a_warning(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    odd = "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG"
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, odd)
        await settle(pilot)
        assert "no timestamp" in screen_text(app)
        assert fake_server.count(odd) == 1


async def test_pasting_several_ids_looks_them_all_up_at_once(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    pasted = (
        f"2026-10-20 16:07 INFO done id={catalog.CHAT_ID}\n"
        f'{{"id": "{catalog.FALLBACK_ID}"}}\n'
        f"https://openrouter.ai/activity?generation_id={catalog.BYOK_ID}\n"
        f"request {REQUEST_ID}\n"
    )
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        field = app.query_one(IdField)
        app.post_message(events.Paste(pasted))  # no Enter: a paste is looked up at once
        await until(pilot, lambda: field.value.split()[:1] == [catalog.CHAT_ID])
        assert field.value.split() == [catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.BYOK_ID]
        hint = str(app.query_one("#id-hint").content)  # type: ignore[attr-defined]
        assert "3 ids found" in hint and "1 request id (req-…) left out" in hint, hint
        await settle(pilot)
        for gen_id in (catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.BYOK_ID):
            await until(pilot, lambda gen_id=gen_id: fake_server.count(gen_id) == 1)
        assert fake_server.count(REQUEST_ID) == 0


async def test_ids_on_the_command_line_are_looked_up_at_start(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, ids=[catalog.FALLBACK_ID])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await settle(pilot)
        assert shown_id(app) == catalog.FALLBACK_ID


async def test_refresh_fetches_the_shown_id_again(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert fake_server.count(catalog.CHAT_ID) == 2
        assert shown_id(app) == catalog.CHAT_ID


async def test_an_error_state_for_a_server_error(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.NOT_FOUND_ID)
        await settle(pilot)
        assert app.phase == "error"
        assert "404" in screen_text(app)
        assert "Traceback" not in screen_text(app)


class _BrokenRunner(LookupRunner):
    async def run(self, parsed: Any, seq: int, post: Any, *, background: bool = False) -> None:
        raise RuntimeError("boom")


async def test_a_crashed_worker_becomes_an_error_state_not_a_traceback(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.runner = _BrokenRunner(app.session)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert app.phase == "error"
        assert "boom" in (app.detail.error_text() or "")
        assert app.is_running


async def test_letter_keys_show_only_where_they_work(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        in_field = set(app.screen.active_bindings)
        letters = {"c", "y", "C", "m", "r", "v", "H", "K", "q", "j", "k", "g", "G"}
        assert not in_field & letters  # the id field takes them as text
        assert {"f1", "f2", "ctrl+q"} <= in_field
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        after = app.screen.active_bindings
        assert letters <= set(after)
        assert after["r"].binding.description == "refresh"
        assert after["j"].binding.id == "list.down" and after["v"].binding.id == "app.raw_json"


async def test_the_palette_offers_only_commands_that_make_sense(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)

    async def titles() -> set[str]:
        provider = InspectorCommands(app.screen)
        return {str(hit.text) async for hit in provider.discover()}

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        before = await titles()
        assert "Replace API key" in before
        assert "Copy raw JSON" not in before and "Cancel lookup" not in before
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        after = await titles()
        assert {"Copy raw JSON", "Copy Markdown summary", "Copy generation id"} <= after
        assert "Refresh" in after


async def test_help_lists_every_key(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(static.content) for static in app.screen.query(Static))
        for words in ("copy field", "copy JSON", "history", "clear all", "look up", "gen-"):
            assert words in text, words
        for key in ("↓ / j", "home / g", "end / G", "H / f2", "v", "K", "q"):
            assert f"\n  {key} " in text, key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_80_columns_fold_the_sidebar_and_h_brings_it_back(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert app.sidebar.display is False or app.sidebar.region.width == 0
        await pilot.press("f2")
        await pilot.pause()
        assert app.sidebar.region.width > 0
        assert app.detail.region.width >= 70  # an overlay: the detail keeps its width
        await pilot.press("f2")
        await pilot.pause()
        assert app.sidebar.region.width == 0


async def test_at_80_columns_the_footer_keeps_the_essential_keys(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for words in ("c copy field", "y copy id", "? help", "q quit", "^p palette"):
            assert words in footer, footer
        assert footer.rstrip().endswith("? help  q quit  ^p palette"), footer
        await pilot.click(KeyFooter, offset=(footer.index("? help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_footer_drops_whole_hints_and_keeps_quit_help_and_palette(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        for width in (120, 100, 80, 60, 40):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1].strip()
            assert footer.endswith("^p palette"), (width, footer)
            if width >= 60:
                assert "help  q quit  ^p palette" in footer, (width, footer)
            known = {
                "v raw JSON", "c copy field", "y copy id", "r refresh", "H history",
                "? help", "K API key", "C copy JSON", "m copy summary", "q quit", "^p palette",
            }  # fmt: skip
            hints = [hint.strip() for hint in footer.split("  ") if hint.strip()]
            assert set(hints) <= known, (width, hints)  # nothing cut in half or run together


def test_the_demo_flag_builds_an_app_on_the_local_demo_server() -> None:
    with ExitStack() as stack:
        parser = build_parser()
        argv = with_command(["--demo", "--no-history"], set(COMMANDS))
        app = build_app(parser.parse_args(argv), stack)
        assert app.demo and app.demo_ids
        assert app.base_url.startswith("http://127.0.0.1:")
        assert not app.history.enabled


async def test_quit_is_clean(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test() as pilot:
        await started(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def test_launch_rejects_bad_arguments_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--bogus"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "orinspect: error: unrecognized arguments: --bogus" in err
    assert "Traceback" not in err


def test_cancelled_lookups_are_not_errors_of_the_api() -> None:
    error = LookupCancelled(catalog.CHAT_ID)
    assert error.title == "Cancelled" and catalog.CHAT_ID in error.summary


async def test_down_from_the_id_field_moves_into_the_demo_list(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    from inspector.tui.widgets.empty_state import DemoList

    demo_ids = catalog.DEMO_IDS[:3]
    app = make_app(fake_server, data_dir, key=TEST_KEY, demo=True, demo_ids=demo_ids)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await settle(pilot)
        assert "key: demo ✓" in screen_text(app)
        assert "environment" not in screen_text(app).splitlines()[0]
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.focused, DemoList)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.current_id == demo_ids[1][1]


async def test_a_401_marks_the_key_rejected_and_is_not_recorded(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key="sk-or-v1-not-the-right-key-for-this-server-0000")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert "key: environment ✓" in screen_text(app)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await pilot.press("escape")  # the key prompt opened: decline it
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "✕ rejected" in top and "✓" not in top, top
        assert app.history.get(catalog.CHAT_ID) is None
        assert app.sidebar.total == 0


async def test_payment_and_network_failures_are_not_history(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        for gen_id in (catalog.PAYMENT_REQUIRED_ID, catalog.RESET_ID, catalog.NOT_FOUND_ID):
            await look_up(pilot, gen_id)
            await settle(pilot)
            assert app.phase == "error"
        await settle(pilot)
        assert app.history.get(catalog.PAYMENT_REQUIRED_ID) is None
        assert app.history.get(catalog.RESET_ID) is None
        entry = app.history.get(catalog.NOT_FOUND_ID)  # about the id: kept
        assert entry is not None and entry.outcome == "not_found"

"""The history sidebar against a real SQLite file: reopen offline, filter, delete, clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui_shell_support import look_up, make_app, screen_text, settle, started, until

from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.screens.confirm import ConfirmScreen
from inspector.tui.services.history_service import WINDOW
from inspector.tui.widgets.history_sidebar import HistorySidebar, short_model


def seed_history(data_dir: Path, count: int, model: str = "openai/gpt-4.1-mini") -> list[str]:
    """``count`` successful lookups written straight into the store, oldest first."""
    store = HistoryStore(data_dir / "history.sqlite3")
    start = datetime(2026, 10, 1, tzinfo=UTC)
    ids = []
    for n in range(count):
        gen_id = f"gen-1792500000-seed{n:016d}"
        raw = {"id": gen_id, "model": model, "provider_name": "OpenAI", "total_cost": 0.001}
        store.record_success(gen_id, raw, when=start + timedelta(seconds=n))
        ids.append(gen_id)
    store.close()
    return ids


async def test_lookups_appear_newest_first_with_outcome_badges(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await look_up(pilot, catalog.NOT_FOUND_ID)
        await settle(pilot)
        await until(pilot, lambda: len(app.sidebar.entries) == 2)
        entries = app.sidebar.entries
        assert [e.gen_id for e in entries] == [catalog.NOT_FOUND_ID, catalog.CHAT_ID]
        assert [e.outcome for e in entries] == ["not_found", "ok"]
        text = screen_text(app)
        assert "✕ pPW5tz…" in text and "✓ h7KpQ2…" in text
        assert "History  2" in text


async def test_an_entry_reopens_with_the_server_stopped(
    make_fake_server: object, data_dir: Path
) -> None:
    server = make_fake_server()  # type: ignore[operator]
    app = make_app(server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.FALLBACK_ID)
        await settle(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        server.stop()
        before = len(server.requests)
        await until(pilot, lambda: len(app.sidebar.entries) == 2)
        app.sidebar.option_list.focus()
        await pilot.pause()
        await pilot.press("down", "enter")  # the second entry: FALLBACK_ID
        await settle(pilot)
        current = app.detail.current
        assert current is not None and current[0].id == catalog.FALLBACK_ID
        assert app.phase == "record"
        assert len(server.requests) == before


async def test_the_filter_searches_the_whole_store(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    seed_history(data_dir, 5, model="openai/gpt-4.1-mini")
    seed_history_other = HistoryStore(data_dir / "history.sqlite3")
    seed_history_other.record_success(
        "gen-1792500001-haikuhaikuhaikuhaiku",
        {"id": "x", "model": "anthropic/claude-4.5-haiku-20251001", "total_cost": 0.01},
    )
    seed_history_other.close()
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.sidebar.total == 6
        app.action_filter_history()
        await pilot.press(*"haiku")
        await until(pilot, lambda: app.sidebar.total == 1)
        assert [e.gen_id for e in app.sidebar.entries] == ["gen-1792500001-haikuhaikuhaikuhaiku"]
        await pilot.press(*"zzz")
        await until(pilot, lambda: app.sidebar.total == 0)
        assert "nothing matches" in screen_text(app)


async def test_the_list_is_a_bounded_window_that_says_how_many_more_match(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    seed_history(data_dir, WINDOW + 30)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.sidebar.total == WINDOW + 30
        assert app.sidebar.option_list.option_count == WINDOW
        assert "30 more match" in screen_text(app)


async def test_delete_asks_first_and_removes_one_entry(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = seed_history(data_dir, 3)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.sidebar.option_list.focus()
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert app.sidebar.total == 3
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: app.sidebar.total == 2)
        assert ids[-1] not in {e.gen_id for e in app.sidebar.entries}  # the newest went
        assert HistoryStore(data_dir / "history.sqlite3").get(ids[-1]) is None


async def test_clear_all_asks_first(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    seed_history(data_dir, 4)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.sidebar.option_list.focus()
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Clear all history?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: app.sidebar.total == 0)
        assert HistoryStore(data_dir / "history.sqlite3").count() == 0


async def test_a_damaged_history_file_is_reported_in_a_notification(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await until(pilot, lambda: any("History" in n.title for n in app._notifications))
        messages = " ".join(n.message for n in app._notifications)
        assert "moved" in messages or "damaged" in messages


async def test_history_off_says_so_and_records_nothing(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    off = HistoryStore(data_dir / "history.sqlite3", enabled=False)
    app = make_app(fake_server, data_dir, key=TEST_KEY, history=off)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert "History is off" in screen_text(app)
        assert not (data_dir / "history.sqlite3").exists()


def test_short_model_names() -> None:
    assert short_model("anthropic/claude-4.5-haiku-20251001") == "claude-4.5-haiku"
    assert short_model("openai/gpt-4.1-mini") == "gpt-4.1-mini"
    assert short_model("openai/gpt-4.1-mini-2025-04-14") == "gpt-4.1-mini"
    assert short_model("moonshotai/kimi-k2-0905") == "kimi-k2-0905"
    assert short_model(None) == ""
    assert HistorySidebar.BINDINGS  # delete / clear / filter keys exist

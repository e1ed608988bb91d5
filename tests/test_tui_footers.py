"""Keys, hints and dialogs say what they do: each footer claim of the main loop, the palette
with its keys, the record's hint line, the sidebar's times, and what copy puts on the
clipboard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.command import CommandPalette
from tui_shell_support import look_up, make_app, screen_text, settle, started, until

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.app import InspectorApp
from inspector.tui.commands import InspectorCommands
from inspector.tui.screens.confirm import ConfirmScreen
from inspector.tui.screens.help import HelpScreen
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.history_sidebar import tick_after
from inspector.tui.widgets.record_view import RecordView, field_hint


def footer(app: InspectorApp) -> str:
    return screen_text(app).splitlines()[-1]


def notes(app: InspectorApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_demos_404_offers_no_key_entry(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.NOT_FOUND_ID)
        await settle(pilot)
        assert app.phase == "error"
        text = screen_text(app)
        assert "r try again" in text and "c copy this message" in text
        assert "enter a key" not in text and "API key" not in footer(app), text
        assert not app.check_action("enter_key", ())


async def test_the_raw_json_footer_says_c_copies_the_json_and_it_does(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        assert "c copy field" in footer(app) and "v raw JSON" in footer(app)
        await pilot.press("v")
        await pilot.pause()
        assert app.detail.showing_raw
        line = footer(app)
        assert "c copy JSON" in line and "v fields" in line, line
        assert "copy field" not in line, line
        assert "c copies all of it" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        import json

        assert json.loads(app.clipboard) == catalog.sample_record(catalog.CHAT_ID)
        await pilot.press("v")
        await pilot.pause()
        assert not app.detail.showing_raw and "c copy field" in footer(app)


async def test_no_delete_key_when_the_filter_matches_nothing(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await until(pilot, lambda: app.sidebar.total == 1)
        app.sidebar.option_list.focus()
        await pilot.pause()
        assert "d delete" in footer(app)
        await app.run_action("filter_history")
        await pilot.press(*"zzz", "enter")  # Enter: from the filter to the (empty) list
        await until(pilot, lambda: app.sidebar.filter_text == "zzz" and not app.sidebar.entries)
        await pilot.pause()
        assert app.focused is app.sidebar.option_list
        assert "delete" not in footer(app), footer(app)
        assert not app.check_action("delete_history_entry", ())


async def test_dialogs_have_their_own_footer(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await until(pilot, lambda: app.sidebar.total == 1)
        app.sidebar.option_list.focus()
        for key in ("d", "D"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            line = footer(app)
            assert "y yes" in line and "n no" in line and "⏎ cancel" in line, line
            for main in ("copy", "history", "refresh", "palette"):
                assert main not in line, line
            await pilot.press("q")  # q closes a dialog (as "no")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        line = footer(app)
        assert "esc close" in line and "copy" not in line, line
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_q_quits_from_the_main_screen_but_types_in_the_id_field(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("q")
        assert app.is_running and app.query_one("#id-field").value == "q"  # type: ignore[attr-defined]
        assert "^q quit" in footer(app)
        app.set_focus(None)
        await pilot.pause()
        assert "q quit" in footer(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_palette_shows_each_commands_key_and_no_generic_entries(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        provider = InspectorCommands(app.screen)
        hits = {str(hit.text): hit async for hit in provider.discover()}
        shown = {title: str(hit.prompt) for title, hit in hits.items()}
        assert shown["Copy raw JSON"].endswith("  C"), shown
        assert shown["Copy field"].endswith("  c") and shown["Refresh"].endswith("  r")
        assert shown["Keys and help"].endswith("  ?"), shown
        system = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert "Keys" not in system and "Maximize" not in system, system
        assert "Theme" in system and "Quit" in system
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_hint_line_shows_the_start_of_a_long_value_name_first(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    raw = catalog.sample_record(catalog.CHAT_ID)
    raw["user_agent"] = "START-" + "x" * 600 + "-END"
    fake_server.add_record(raw)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        view = app.query_one(RecordView)
        assert view.fields.move_to_field("user_agent") or view.side.move_to_field("user_agent")
        await pilot.pause()
        hint = str(app.query_one("#record-hint").content)  # type: ignore[attr-defined]
        first, *rest = hint.splitlines()
        assert first.startswith("user_agent  START-x"), hint
        assert hint.endswith("…") and "-END" not in hint and len(rest) == 2
        shown = [line for line in screen_text(app).splitlines() if "user_agent  START-" in line]
        assert shown, screen_text(app)


def test_field_hint_cuts_by_cells_from_the_start() -> None:
    assert field_hint("a", "short", 40).plain == "a  short"
    cut = field_hint("name", "0123456789" * 3, 10, rows=2).plain.splitlines()
    assert cut == ["name  0123", "456789012…"]
    wide = field_hint("k", "漢字" * 20, 9, rows=2).plain.splitlines()
    assert wide[0] == "k  漢字漢" and wide[1].endswith("…")


async def test_the_sidebars_relative_times_keep_up_with_the_clock(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await until(pilot, lambda: app.sidebar.total == 1)
        assert "just now" in screen_text(app)
        # Forty seconds after the entry was seen (not after now: on a loaded machine the
        # lookup may have been seen a second or more before this line runs).
        seen = app.sidebar.entries[0].last_seen
        app.sidebar.clock = lambda: seen + timedelta(seconds=40)
        await until(pilot, lambda: "40 s ago" in screen_text(app), timeout=3)
    assert tick_after(3) == 1.0 and tick_after(300) == 10.0 and tick_after(7200) == 60.0
    assert tick_after(None) == 60.0


async def test_copy_never_puts_control_characters_on_the_clipboard(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    raw = catalog.sample_record(catalog.CHAT_ID)
    raw["external_user"] = "gen-1\x1b[201~\nrm -rf ~\n\x1b[200~"
    fake_server.add_record(raw)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.focused, FieldList))
        view = app.query_one(RecordView)
        assert view.fields.move_to_field("external_user") or view.side.move_to_field(
            "external_user"
        )
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "gen-1\\x1b[201~\nrm -rf ~\n\\x1b[200~"
        assert "\x1b" not in app.clipboard
        assert "Copied external_user (control characters shown escaped)" in notes(app)
        await pilot.press("y")  # nothing to escape: the toast says just what was copied
        await pilot.pause()
        assert "Copied generation id" in notes(app)

"""The keymap and the main loop through Pilot: typing an id runs no command, a paste anywhere
is looked up at once, the list keys move, and the config file remaps keys by id."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input
from tui_shell_support import look_up, make_app, settle, started, until

from inspector.app.user_config import UserConfig
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.app import InspectorApp
from inspector.tui.keymap import KEYS
from inspector.tui.screens.help import HelpScreen
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.id_input import IdField
from inspector.tui.widgets.record_view import RecordView


async def record_shown(pilot: object, gen_id: str) -> InspectorApp:
    """Look ``gen_id`` up and wait until its record has the focus."""
    app = pilot.app  # type: ignore[attr-defined]
    await look_up(pilot, gen_id)  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]
    await until(pilot, lambda: isinstance(app.focused, FieldList))  # type: ignore[arg-type]
    assert app.state.gen_id == gen_id
    return app  # type: ignore[no-any-return]


def paste(app: InspectorApp, text: str) -> None:
    """A bracketed paste, as the terminal driver delivers it."""
    app.post_message(events.Paste(text))


async def test_typing_an_id_while_a_record_is_shown_runs_no_command(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await record_shown(pilot, catalog.CHAT_ID)
        clipboard, requests = app.clipboard, fake_server.count(catalog.CHAT_ID)
        # Letters of commands (c y r m v C K H q …) all come up in ids; none may act.
        gen_id = catalog.FALLBACK_ID
        assert set(gen_id) & {"c", "y", "r", "m", "v", "C", "K", "H", "q", "j", "k"}
        await pilot.press(*gen_id)
        field = app.query_one(IdField)
        assert app.focused is field and field.value == gen_id
        assert app.clipboard == clipboard and app.is_running
        assert fake_server.count(catalog.CHAT_ID) == requests  # no refresh
        assert not app.detail.showing_raw
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.gen_id == gen_id and app.phase == "record"


async def test_a_g_that_acted_is_undone_when_an_e_follows(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await record_shown(pilot, catalog.CHAT_ID)
        fields = app.query_one(RecordView).fields
        await pilot.press("j", "j", "j")
        where = fields.cursor
        assert where is not None and where[0] > 0
        await pilot.press("g")
        # Nothing followed: after the hold, "g" goes to the first field (a few hops later).
        await until(pilot, lambda: fields.cursor != where)
        await pilot.press("e")  # … and turned out to start an id: undone
        assert fields.cursor == where
        field = app.query_one(IdField)
        assert app.focused is field and field.value == "ge"


async def test_g_and_shift_g_go_to_the_ends_and_j_k_move(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await record_shown(pilot, catalog.CHAT_ID)
        fields = app.query_one(RecordView).fields
        first = fields.cursor
        await pilot.press("j")
        assert fields.cursor != first
        await pilot.press("k")
        assert fields.cursor == first
        await pilot.press("G")
        last = fields.cursor
        assert last is not None and first is not None and last[0] > first[0]
        await pilot.press("g")
        await until(pilot, lambda: fields.cursor == first)  # after the hold: no "e" came


async def test_a_paste_while_a_record_is_focused_is_looked_up_at_once(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await record_shown(pilot, catalog.CHAT_ID)
        paste(app, f"2026-10-20 INFO completion done id={catalog.FALLBACK_ID} in 1.2s\n")
        await settle(pilot)
        assert app.state.gen_id == catalog.FALLBACK_ID and app.phase == "record"
        assert app.query_one(IdField).value == catalog.FALLBACK_ID
        assert fake_server.count(catalog.FALLBACK_ID) == 1
        # The focus stays in the record: the next paste works the same way.
        await until(pilot, lambda: isinstance(app.focused, FieldList))
        paste(app, catalog.CHAT_ID)
        await settle(pilot)
        assert app.state.gen_id == catalog.CHAT_ID


async def test_a_paste_into_the_id_field_is_looked_up_at_once(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert isinstance(app.focused, IdField)
        paste(app, catalog.CHAT_ID)
        await settle(pilot)
        assert app.state.gen_id == catalog.CHAT_ID and app.phase == "record"


async def test_a_paste_in_the_filter_box_or_a_dialog_is_no_lookup(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await app.run_action("filter_history")
        await pilot.pause()
        box = app.query_one("#history-filter", Input)
        assert app.focused is box
        paste(app, catalog.CHAT_ID)
        await settle(pilot)
        assert box.value == catalog.CHAT_ID and app.phase == "empty"
        app.set_focus(None)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        paste(app, catalog.FALLBACK_ID)
        await settle(pilot)
        assert app.phase == "empty" and fake_server.count(catalog.FALLBACK_ID) == 0


async def test_a_paste_without_an_id_starts_the_field_and_explains(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await record_shown(pilot, catalog.CHAT_ID)
        paste(app, "no id in here")
        await pilot.pause()
        field = app.query_one(IdField)
        assert app.focused is field and field.value == "no id in here"
        assert app.state.gen_id == catalog.CHAT_ID  # nothing was looked up


async def test_the_config_file_remaps_keys_by_id_and_names_what_it_left_out(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    user = UserConfig(keymap={"app.raw_json": "x", "app.no_such_thing": "z"}, theme="nord")
    app = make_app(fake_server, data_dir, key=TEST_KEY, user_config=user)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.theme == "nord"
        notes = [n.message for n in app._notifications]
        assert any("app.no_such_thing" in note for note in notes), notes
        await record_shown(pilot, catalog.CHAT_ID)
        assert "x" in app.screen.active_bindings and "v" not in app.screen.active_bindings
        await pilot.press("x")
        await pilot.pause()
        assert app.detail.showing_raw
        footer = app.screen.query_one("KeyFooter").render().plain  # type: ignore[attr-defined]
        assert "x fields" in footer and "c copy JSON" in footer, footer
        await pilot.press("x")
        await pilot.pause()
        assert not app.detail.showing_raw
        # The hint under the record names the key as it is now.
        app.query_one(RecordView).fields.action_edge(-1)
        hint = str(app.query_one("#record-hint").content)  # type: ignore[attr-defined]
        assert "x raw JSON" in hint or hint.startswith("model"), hint


async def test_an_unknown_theme_is_left_out_with_one_line(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY, user_config=UserConfig(theme="plaid"))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.theme != "plaid"
        notes = [n.message for n in app._notifications]
        assert any("plaid" in note and "\n" not in note for note in notes), notes


def test_every_binding_id_is_in_the_keymap_table() -> None:
    from inspector.tui.help_sections import help_sections

    app = InspectorApp()
    ids = {
        binding.id
        for _, bindings in help_sections(app)
        for binding in bindings
        if binding.id is not None
    }
    assert ids <= set(KEYS), ids - set(KEYS)
    assert {"app.copy", "list.down", "list.first", "app.raw_json", "app.quit"} <= ids

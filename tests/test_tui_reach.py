"""Every field in reach: at 176 columns the record has two columns, and each of the keys
that move the cursor reaches the second (Attribution, Fields, Raw JSON), so ``c`` copies
the request id; after a resize the focus never stays in the hidden filter box; the id
field says the id of what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from tui_shell_support import look_up, make_app, screen_text, settle, started, until

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.id_input import IdField, IdInput
from inspector.tui.widgets.record_view import RecordView

WIDE = (176, 50)


async def wide_record(pilot: object) -> RecordView:
    app = pilot.app  # type: ignore[attr-defined]
    await started(pilot)  # type: ignore[arg-type]
    await look_up(pilot, catalog.CHAT_ID)  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]
    view = app.query_one(RecordView)
    await until(pilot, lambda: isinstance(app.focused, FieldList))  # type: ignore[arg-type]
    assert view.wide and view.side.display and view.side.rows
    assert app.focused is view.fields
    return view  # type: ignore[no-any-return]


def _on(view: RecordView) -> tuple[str, str | None]:
    """Which column the cursor counts in, and the field under it."""
    cell = view.active.focused_cell()
    return (view.active.id or "", cell.field if cell else None)


@pytest.mark.parametrize("key", ["down", "j", "pagedown", "right_square_bracket", "right", "l"])
async def test_each_moving_key_reaches_the_second_column(
    key: str, fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=WIDE) as pilot:
        view = await wide_record(pilot)
        seen: list[tuple[str, str | None]] = []
        for _ in range(120):
            await pilot.press(key)
            seen.append(_on(view))
            cursor = view.side.cursor
            if view.active is view.side and cursor and cursor[0] == _last_row(view.side):
                break
        assert app.focused is view.side
        fields = {field for column, field in seen if column == "record-side"}
        if key not in ("pagedown", "right_square_bracket"):  # these skip rows on purpose
            assert "request_id" in fields and "origin" in fields, seen
        row = view.side.rows[view.side.cursor[0]]  # type: ignore[index]
        assert row.section == "Raw JSON" or row.kind == "more"  # the very last: Raw JSON


def _last_row(field_list: FieldList) -> int:
    """The index of the last row the cursor can rest on."""
    return max(i for i, row in enumerate(field_list.rows) if row.cursorable)


async def test_end_and_shift_g_reach_the_very_last_field_and_home_comes_back(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=WIDE) as pilot:
        view = await wide_record(pilot)
        first = view.fields.cursor
        for end, home in (("end", "home"), ("G", "g")):
            await pilot.press(end)
            assert app.focused is view.side
            last = view.side.cursor
            assert last is not None and last[0] == _last_row(view.side)
            await pilot.press(home)
            # A "g" waits a moment for an "e"; Home does not.
            await until(pilot, lambda: app.focused is view.fields and view.fields.cursor == first)


async def test_up_from_the_second_column_goes_back_and_c_copies_the_request_id(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=WIDE) as pilot:
        view = await wide_record(pilot)
        await pilot.press("right_square_bracket")
        while view.active is view.fields:
            await pilot.press("right_square_bracket")
        assert app.focused is view.side
        await pilot.press("up")  # from the side's first field: back to the first column
        assert app.focused is view.fields
        cursor = view.fields.cursor
        assert cursor is not None and cursor[0] == _last_row(view.fields)
        while _on(view)[1] != "request_id":
            await pilot.press("down")
        await pilot.press("c")
        await pilot.pause()
        request_id = catalog.sample_record(catalog.CHAT_ID)["request_id"]
        assert app.clipboard == request_id


async def test_after_shrinking_the_focus_is_not_left_in_the_hidden_filter_box(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        await app.run_action("filter_history")
        await pilot.pause()
        box = app.query_one("#history-filter", Input)
        assert app.focused is box
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await until(pilot, lambda: isinstance(app.focused, FieldList))
        assert not app.sidebar.display or app.sidebar.region.width == 0
        app.post_message(_paste(catalog.FALLBACK_ID))  # the next paste is a lookup, not a filter
        await settle(pilot)
        assert app.state.gen_id == catalog.FALLBACK_ID and box.value == ""


def _paste(text: str) -> object:
    from textual import events

    return events.Paste(text)


async def test_opening_a_history_entry_puts_its_id_in_the_id_field(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.FALLBACK_ID)
        await settle(pilot)
        await look_up(pilot, catalog.CHAT_ID)
        await settle(pilot)
        field = app.query_one(IdField)
        assert field.value == catalog.CHAT_ID
        await until(pilot, lambda: len(app.sidebar.entries) == 2)
        app.sidebar.option_list.focus()
        await pilot.press("down", "enter")  # the older entry: FALLBACK_ID
        await until(pilot, lambda: app.state.gen_id == catalog.FALLBACK_ID)
        assert field.value == catalog.FALLBACK_ID
        # i then Enter looks up what is shown, not the id that was in the field before.
        await pilot.press("i", "enter")
        await settle(pilot)
        assert app.state.gen_id == catalog.FALLBACK_ID
        assert fake_server.count(catalog.FALLBACK_ID) == 2


async def test_the_hint_under_the_id_field_goes_when_the_text_changes(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        hint = app.query_one("#id-hint")
        app.query_one(IdInput).submit_text("gen-1 nothing")
        await pilot.pause()
        assert hint.display and "gen-1" in screen_text(app)  # a problem is explained
        app.action_focus_input()
        await pilot.press("x")
        await pilot.pause()
        assert not hint.display, screen_text(app)

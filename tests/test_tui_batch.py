"""The batch view, driven with Pilot against the local server: several ids fill a table in
input order whatever order they finish in, the totals are the sum of the raw records,
sorting, filtering, a record opened and Esc back, stopping, retrying, the key rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from batch_support import add_records
from textual import events
from tui_shell_support import make_app, screen_text, settle, started, until

from inspector.core import formatting as fmt
from inspector.infra.history import HistoryStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog
from inspector.tui.app import InspectorApp
from inspector.tui.batch_commands import BatchCommands
from inspector.tui.commands import InspectorCommands
from inspector.tui.help_sections import help_sections
from inspector.tui.screens.batch import BatchScreen
from inspector.tui.screens.help import HelpScreen
from inspector.tui.screens.key_prompt import KeyPromptScreen
from inspector.tui.widgets.id_input import IdField


def batch_of(app: InspectorApp) -> BatchScreen:
    screen = app.batch_screen
    assert isinstance(screen, BatchScreen)
    return screen


def finished(app: InspectorApp) -> bool:
    """The batch's end is drawn."""
    screen = app.batch_screen
    return screen is not None and screen.ended


def spent(raw: dict[str, Any]) -> Decimal:
    """What one raw record cost: the fee, plus (BYOK) the upstream cost, as one figure."""
    cost: float = raw["total_cost"]
    if raw.get("is_byok"):
        cost += raw["upstream_inference_cost"]
    return Decimal(repr(cost))


def billed(raw: dict[str, Any]) -> Decimal:
    return Decimal(repr(raw["total_cost"]))


def shown_ids(screen: BatchScreen) -> list[str]:
    return [row.gen_id for row in screen.rows.view]


async def paste(app: InspectorApp, ids: list[str]) -> None:
    """The ids pasted as a log would hold them (one a line, with other words)."""
    text = "\n".join(f"12:00:0{i % 10} INFO done id={gen_id}" for i, gen_id in enumerate(ids))
    app.query_one(IdField).post_message(events.Paste(text))


async def test_pasted_ids_fill_the_table_in_input_order_with_the_sums_of_the_records(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 10)
    # The second id answers last (the first runs alone: the key is tried once first).
    fake_server.set_scenario(ids[1], Scenario(then=Step(delay=0.8)))
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await paste(app, ids)
        await until(pilot, lambda: isinstance(app.screen, BatchScreen))
        screen = batch_of(app)
        rows = screen.rows.rows
        await until(pilot, lambda: len(rows) == 10)
        # Later ids finish while the second still runs: their rows fill in meanwhile.
        await until(pilot, lambda: all(row.outcome for row in rows[2:]), 10)
        assert rows[1].outcome is None and rows[1].status == "looking up"
        assert "looking up" in screen_text(app)
        await until(pilot, lambda: finished(app), 10)
        await pilot.pause()
        assert shown_ids(screen) == ids  # input order, not completion order
        raws = [fake_server.record(gen_id) for gen_id in ids]
        for row, raw in zip(rows, raws, strict=True):
            assert raw is not None
            assert row.status == "ok"
            assert row.cells["model"] == raw["model"]
            assert row.cells["provider"] == raw["provider_name"]
            assert row.cells["cost"] == fmt.money(float(spent(raw)))
        totals = screen.rows.totals
        expected = sum((spent(raw) for raw in raws if raw), Decimal(0))
        assert totals.true_spend == expected
        assert totals.billed == sum((billed(raw) for raw in raws if raw), Decimal(0))
        prompt = sum(raw["native_tokens_prompt"] for raw in raws if raw)
        completion = sum(raw["native_tokens_completion"] for raw in raws if raw)
        assert (totals.prompt_tokens, totals.completion_tokens) == (prompt, completion)
        text = screen_text(app)
        totals_line = next(line for line in text.splitlines() if "totals of 10" in line)
        assert "10 ok" in totals_line
        assert fmt.money(float(expected)) in totals_line
        assert f"{prompt:,} → {completion:,}" in totals_line
        assert "Batch · 10 done · ok 10 · failed 0" in text
        # Each id was sent once, and every outcome is in the history.
        assert all(fake_server.count(gen_id) == 1 for gen_id in ids)
        await until(pilot, lambda: app.sidebar.total == 10)


async def test_sorting_and_filtering_the_rows(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    ids = add_records(fake_server, 9)
    raws = {gen_id: fake_server.record(gen_id) or {} for gen_id in ids}
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: finished(app), 10)
        screen = batch_of(app)
        await pilot.press(*"sssss")  # id, status, model, provider, cost
        assert screen.rows.sort_column == "cost" and screen.rows.descending
        by_cost = sorted(ids, key=lambda gen_id: spent(raws[gen_id]), reverse=True)
        assert shown_ids(screen) == by_cost
        lines = screen_text(app).splitlines()
        assert "cost ▼" in lines[1]
        assert lines[2].split()[0] == by_cost[0]  # the dearest first on screen
        await pilot.press("S")
        assert shown_ids(screen) == by_cost[::-1]
        await pilot.press("s", "s", "s")  # tokens, latency, input order again
        assert screen.rows.sort_column is None and shown_ids(screen) == ids

        start, _ = screen.table.body.layout_.columns[5][1:]  # the tokens column
        await pilot.click("#batch-header", offset=(1 + start, 0))  # a click on its title
        assert screen.rows.sort_column == "tokens" and "tokens ▼" in screen_text(app)
        await pilot.press("s", "s")  # latency, input order again

        await pilot.press("slash", *"gemini")
        gemini = [gen_id for gen_id in ids if "gemini" in raws[gen_id]["model"]]
        assert sorted(shown_ids(screen)) == sorted(gemini) and gemini
        expected = sum((spent(raws[gen_id]) for gen_id in gemini), Decimal(0))
        assert screen.rows.totals.true_spend == expected
        text = screen_text(app)
        assert f"totals of {len(gemini)} of 9" in text and fmt.money(float(expected)) in text
        await pilot.press("enter")  # back to the rows, the filter kept
        assert not isinstance(app.focused, IdField) and len(shown_ids(screen)) == len(gemini)
        await pilot.press("slash", "escape")  # Esc in the filter clears it
        assert len(shown_ids(screen)) == 9
        await pilot.press("slash", *"not there")
        assert shown_ids(screen) == [] and "no row matches 'not there'" in screen_text(app)


async def test_enter_opens_a_record_and_escape_comes_back_to_the_table(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = [catalog.CHAT_ID, catalog.BYOK_ID, catalog.NOT_FOUND_ID, catalog.FALLBACK_ID]
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: finished(app), 10)
        screen = batch_of(app)
        await pilot.press("down", "enter")  # the BYOK record
        await until(pilot, lambda: app.screen is app.default_screen and app.phase == "record")
        assert app.state.gen_id == catalog.BYOK_ID
        text = screen_text(app)
        assert "BYOK" in text and "esc back to batch" in text
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        highlighted = screen.table.body.highlighted
        assert highlighted is not None and highlighted.gen_id == catalog.BYOK_ID
        await pilot.press("down", "enter")  # the 404: its error, explained
        await until(pilot, lambda: app.screen is app.default_screen and app.phase == "error")
        assert app.state.gen_id == catalog.NOT_FOUND_ID and "404" in screen_text(app)
        assert fake_server.count(catalog.NOT_FOUND_ID) == 1  # opened, not looked up again
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("q")  # closes the view
        await until(pilot, lambda: app.screen is app.default_screen)
        assert app.batch_screen is None and not screen.is_attached


async def test_ids_on_the_command_line_open_the_batch_view(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 3)
    app = make_app(fake_server, data_dir, key=TEST_KEY, ids=ids)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: finished(app))
        assert shown_ids(batch_of(app)) == ids and app.screen is app.batch_screen


async def test_one_id_keeps_the_normal_lookup(fake_server: FakeOpenRouter, data_dir: Path) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.id_input.submit_text(f"see {catalog.CHAT_ID} and {catalog.CHAT_ID} again")
        await until(pilot, lambda: app.phase == "record")
        assert app.batch_screen is None and app.screen is app.default_screen
        await settle(pilot)  # the record's bill is explained in a worker: let it end


async def test_stopping_keeps_what_finished_and_r_looks_the_rest_up(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 6)
    slow = ids[3:]
    for gen_id in slow:
        fake_server.set_scenario(gen_id, Scenario(then=Step(delay=5.0)))
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: app.batch_screen is not None)
        screen = batch_of(app)
        await until(pilot, lambda: len(screen.rows.rows) == 6)
        await until(pilot, lambda: all(row.outcome for row in screen.rows.rows[:3]))
        assert screen.running
        await pilot.press("ctrl+c")
        await until(pilot, lambda: finished(app))
        assert [row.status for row in screen.rows.rows] == ["ok"] * 3 + ["stopped"] * 3
        assert "stopped after 3 of 6" in screen_text(app)
        store = HistoryStore(data_dir / "history.sqlite3")
        assert {entry.gen_id for entry in store.recent(limit=10)} == set(ids[:3])
        store.close()
        for gen_id in slow:
            fake_server.clear_scenario(gen_id)
        await pilot.press("r")
        await until(pilot, lambda: finished(app) and screen.rows.totals.records == 6, 10)
        assert all(fake_server.count(gen_id) == 1 for gen_id in ids[:3])  # not sent again
        assert shown_ids(screen) == ids


async def test_without_a_key_nothing_is_sent_and_the_view_says_so(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 4)
    app = make_app(fake_server, data_dir, env={})
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: isinstance(app.screen, KeyPromptScreen))
        await pilot.press("escape")  # no key now
        await until(pilot, lambda: app.screen is app.default_screen)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: finished(app))
        screen = batch_of(app)
        assert fake_server.requests == []
        assert "stopped: no API key" in screen_text(app)
        assert "K API key" in screen_text(app)
        assert {row.status for row in screen.rows.rows[1:]} == {"stopped"}


async def test_help_and_palette_offer_the_views_own_keys(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 3)
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: finished(app))
        screen = batch_of(app)
        titles = {str(hit.text) async for hit in BatchCommands(screen).discover()}
        assert {"Open the record", "Sort by the next column", "Filter rows"} <= titles
        assert "Stop the batch" not in titles  # it has finished
        assert [hit async for hit in InspectorCommands(screen).discover()] == []
        # The footer follows the bindings on its next refresh after the batch ends.
        await until(pilot, lambda: "esc close" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        for words in ("⏎ open", "esc close", "/ filter", "s sort", "? help", "^p palette"):
            assert words in footer, footer
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        sections = dict(help_sections(app))
        batch_keys = next(keys for title, keys in sections.items() if "Batch view" in title)
        ids_listed = {binding.id for binding in batch_keys}
        assert {
            "list.open",
            "batch.stop",
            "batch.sort",
            "batch.filter",
            "batch.retry",
        } <= ids_listed


async def test_quitting_mid_batch_keeps_what_finished(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    ids = add_records(fake_server, 5)
    for gen_id in ids[2:]:
        fake_server.set_scenario(gen_id, Scenario(then=Step(delay=5.0)))
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.id_input.submit_text(" ".join(ids))
        await until(pilot, lambda: app.batch_screen is not None)
        screen = batch_of(app)
        await until(pilot, lambda: len(screen.rows.rows) == 5)
        await until(pilot, lambda: all(row.outcome for row in screen.rows.rows[:2]))
        await pilot.press("ctrl+q")
    store = HistoryStore(data_dir / "history.sqlite3")
    assert {entry.gen_id for entry in store.recent(limit=10)} == set(ids[:2])
    store.close()

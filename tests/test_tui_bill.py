"""The Bill section of the TUI: it fills in after the record paints, its rows are selectable
and copy exact values, the header shows the badges, the summary the verdict; and it shows
the same facts as ``orinspect explain``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_bill_app import explained, session_on
from tui_shell_support import look_up, make_app, screen_text, settle, started, until

from inspector.app.bill_report import BillReport
from inspector.app.summary import markdown_summary
from inspector.cli.explain import bill_text
from inspector.core.ids import parse_id
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.tui.record.bill import bill_rows, exact
from inspector.tui.record.build import join_sections, record_sections
from inspector.tui.record.rows import Row, layout_row
from inspector.tui.state import LookupState
from inspector.tui.widgets.field_list import FieldList

DEMO_BILLS = [gen_id for _, gen_id in catalog.BILL_DEMO_IDS]


def plain(rows: list[Row] | tuple[Row, ...], width: int = 200) -> list[str]:
    return [layout_row(row, width, 12).content.plain.rstrip() for row in rows]


def shown_bill(app: object) -> BillReport | None:
    record = app.state.record  # type: ignore[attr-defined]
    return None if record is None else record.bill


async def test_the_record_paints_first_and_the_bill_fills_in(
    make_fake_server: object, data_dir: Path
) -> None:
    server = make_fake_server(latency=0.4)  # type: ignore[operator]
    app = make_app(server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.UNEXPLAINED_ID)
        await until(pilot, lambda: app.state.phase == "record", timeout=10)
        assert shown_bill(app) is None  # the prices are still on their way
        await pilot.pause(0.05)
        assert "working out the bill" in screen_text(app)
        fields = app.query_one("#record-fields", FieldList)
        assert fields.move_to_field("total_cost")  # the person moves on meanwhile
        await until(pilot, lambda: shown_bill(app) is not None, timeout=10)
        await pilot.pause()
        assert app.detail.focused_field() == ("total_cost", "0.007925")  # cursor kept
        text = screen_text(app)
        assert "bill unexplained" in text  # the header's chip
        assert "dearer than list by $0.001585 (25 %) — unexplained" in text


async def test_rows_are_selectable_and_c_copies_a_line_items_amount(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.CACHE_READ_ID)
        await settle(pilot)
        report = shown_bill(app)
        assert report is not None
        fields = app.query_one("#record-fields", FieldList)
        cached = next(i for i in report.items if i.code == "prompt_cached")
        assert fields.move_to_field("bill.item.prompt_cached")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "0.0016384" == exact(cached.amount)
        assert fields.move_to_field("bill.verdict")
        await pilot.press("down")  # the next row: the first line item's amount
        await pilot.pause()
        assert app.detail.focused_field() == ("bill.item.prompt_uncached", "0.002048")
        assert fields.move_to_field("bill.reason.cache_read_savings")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard.startswith("16,384 cached prompt tokens were read at the cache")
        assert fields.move_to_field("bill.list_price")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "0.0097364"
        await pilot.press("m")
        await pilot.pause()
        assert "| Bill | matches list price \\(cache reads saved $0.0147456\\) ·" in app.clipboard


async def test_in_two_columns_the_bill_heads_the_second(
    fake_server: FakeOpenRouter, data_dir: Path
) -> None:
    app = make_app(fake_server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(200, 50)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.BYOK_FEE_ID)
        await settle(pilot)
        side = app.query_one("#record-side", FieldList)
        assert side.display and side.rows[0].label == "Bill"
        main = app.query_one("#record-fields", FieldList)
        assert main.rows[0].section == "Record"  # the figures stay first
        assert side.move_to_field("bill.true_spend")
        side.focus()
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "0.00315"


async def test_a_record_opened_from_history_is_billed_from_its_snapshot(
    make_fake_server: object, data_dir: Path
) -> None:
    server = make_fake_server()  # type: ignore[operator]
    app = make_app(server, data_dir, key=TEST_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await look_up(pilot, catalog.MATCHES_LIST_ID)
        await settle(pilot)
        first = shown_bill(app)
        assert first is not None and first.pricing.source == "live"
    gone = SimpleNamespace(base_url=server.base_url)  # the same address, nothing listening
    server.stop()
    app = make_app(gone, data_dir, key=TEST_KEY)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.history_service.open(catalog.MATCHES_LIST_ID)
        await until(pilot, lambda: shown_bill(app) is not None, timeout=10)
        offline = shown_bill(app)
        assert offline is not None and offline.pricing.source == "snapshot"
        assert offline.verdict_text == first.verdict_text
        assert "kept beside the record" in screen_text(app)


def test_a_bill_for_another_lookup_never_paints(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from inspector.app.facts import record_facts
    from inspector.core.models import Generation
    from inspector.tui.state import ShownRecord

    raw = catalog.sample_record(catalog.CHAT_ID)
    gen = Generation.from_api(raw)
    shown = ShownRecord(gen, raw, record_facts(gen, raw), "network", datetime.now(UTC))
    state = LookupState().started(parse_id(catalog.CHAT_ID)).showing(shown)
    report = object()
    assert state.billed(state.seq - 1, catalog.CHAT_ID, report).record.bill is None  # type: ignore[arg-type, union-attr]
    assert state.billed(state.seq, catalog.FALLBACK_ID, report) is state  # type: ignore[arg-type]
    billed = state.billed(state.seq, catalog.CHAT_ID, report)  # type: ignore[arg-type]
    assert billed.record == replace(shown, bill=report) and billed.seq == state.seq


def test_while_the_report_is_on_its_way_the_section_says_so() -> None:
    rows = bill_rows(None)
    assert [row.section for row in rows] == ["Bill"] and not any(r.cursorable for r in rows)
    assert "fetching the provider's prices" in plain(rows)[0]


@pytest.mark.parametrize("gen_id", DEMO_BILLS)
async def test_the_cli_and_the_tui_show_the_same_bill(
    gen_id: str, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, gen_id)
        result = await session.lookup_once(parse_id(gen_id))
    cli = bill_text(report)
    tui = "\n".join(plain(bill_rows(report)))
    for text in (cli, tui):
        assert report.verdict_text in text
        for item in report.items:
            line = next(ln for ln in text.splitlines() if item.name in ln)
            for part in (item.quantity_text, item.unit_price_text, item.amount_text):
                assert part in line, (part, line)
        for total in report.totals:
            assert total.text in text
        for reason in report.reasons:
            assert reason.text[:60] in text
    # the section sits in the record's rows, and the header names the verdict
    gen, raw = result.result.generation, result.result.raw  # type: ignore[union-attr]
    facts = session.facts(result.result)  # type: ignore[union-attr]
    figures, listings = record_sections(gen, raw, facts, bill=report)
    header = plain(figures[0])
    assert report.verdict_label in header[2]
    assert listings[0][0].section == "Bill"
    every = join_sections([*figures, *listings]).rows
    assert [r.label for r in every].count("Verdict") == 1


def test_amounts_line_up_on_the_point_in_the_tui() -> None:
    from inspector.app.bill_report import align_on_point

    assert align_on_point(["$0.002048", "$0.0016384", "$0.00605", "$12"]) == [
        " $0.002048 ",
        " $0.0016384",
        " $0.00605  ",
        "$12        ",
    ]


def test_the_summary_names_the_verdict_as_markdown_text() -> None:
    from inspector.app.bill_report import bill_report
    from inspector.core.bill import explain, from_generation
    from inspector.core.models import Generation
    from inspector.core.usual import compare, current_from

    raw = catalog.records()[catalog.CACHE_HIT_ID]
    raw["response_cache_source_id"] = "gen-[x](y)*|`z`"
    gen = Generation.from_api(raw)
    assert "| Bill |" not in markdown_summary(gen, raw)
    bill = explain(from_generation(raw), "offline")
    report = bill_report(gen.id or "", bill, compare(current_from(gen)), provider="OpenAI")
    summary = markdown_summary(gen, raw, bill=report)
    row = next(line for line in summary.splitlines() if line.startswith("| Bill |"))
    assert row == "| Bill | not billed: a response-cache hit of gen-\\[x\\]\\(y\\)\\*\\|\\`z\\` |"

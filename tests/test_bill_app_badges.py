"""How it compares, through the application layer: every badge from the person's own history
(a real SQLite file), the record's session, and the provider's live figures; and no badge
without enough history, saying how much there is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_bill_app import explained, session_on

from inspector.core.usual import BADGE_CODES, MIN_HISTORY
from inspector.infra.history import HistoryStore
from inspector.testserver import FakeOpenRouter, catalog
from inspector.testserver.catalog import attempt, bill_record, new_id

KIMI = catalog.bill_records.KIMI


def kimi_record(unix: int, **changes: Any) -> dict[str, Any]:
    """A Kimi generation at Fireworks: 1,000 prompt and 100 completion tokens, 500 ms."""
    fields: dict[str, Any] = {"latency": 500, "generation_time": 1000, **changes}
    return bill_record(
        new_id(unix), KIMI, "Fireworks", prompt=1000, completion=100, billed="0.000825", **fields
    )


def past(store: HistoryStore, count: int, **changes: Any) -> None:
    """``count`` earlier generations in the person's history (their own lookups)."""
    for index in range(count):
        raw = kimi_record(1_795_000_000 + index * 600, **changes)
        store.record_success(raw["id"], raw)


def badges(report: Any) -> dict[str, Any]:
    return {badge.code: badge for badge in report.badges}


async def test_slow_against_usual_needs_and_names_the_history(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    past(HistoryStore(path, enabled=True), MIN_HISTORY)
    gen_id = fake_server.add_record(kimi_record(1_795_100_000, latency=9000))
    async with session_on(fake_server, path) as session:
        report = await explained(session, gen_id)
    slow = badges(report)["slow"]
    assert slow.label == "slow" and slow.samples == MIN_HISTORY
    assert f"your {MIN_HISTORY} past generations of {KIMI} at Fireworks" in slow.compared_with
    assert "9.00 s to first token; usual 500 ms (median)" in slow.text


async def test_costly_against_usual(fake_server: FakeOpenRouter, tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    past(HistoryStore(path, enabled=True), 8)
    dear = kimi_record(1_795_100_000, total_cost=0.0025, usage=0.0025)
    async with session_on(fake_server, path) as session:
        report = await explained(session, fake_server.add_record(dear))
    costly = badges(report)["costly"]
    assert costly.samples == 8 and costly.text.startswith("costly against usual: $2.27 / M tok")
    assert "slow" not in badges(report)


async def test_no_badge_without_enough_history_and_the_note_says_how_much(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    past(HistoryStore(path, enabled=True), MIN_HISTORY - 1)
    gen_id = fake_server.add_record(kimi_record(1_795_100_000, latency=9000, total_cost=0.01))
    async with session_on(fake_server, path) as session:
        report = await explained(session, gen_id)
    assert not {"slow", "costly"} & set(badges(report))
    note = next(n for n in report.notes if "badges need" in n)
    assert f"latency {MIN_HISTORY - 1}" in note and f"price {MIN_HISTORY - 1}" in note


async def test_other_providers_and_models_are_not_the_usual(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", enabled=True)
    for index in range(10):
        other = kimi_record(1_795_000_000 + index, provider_name="Groq")
        store.record_success(other["id"], other)
    gen_id = fake_server.add_record(kimi_record(1_795_100_000, latency=9000))
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, gen_id)
    assert "slow" not in badges(report)


async def test_slow_right_now_against_the_providers_live_figures(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, catalog.CHAT_ID)
    slow_now = badges(report)["slow_now"]
    assert slow_now.samples is None and "OpenAI over the last 30 minutes" in slow_now.compared_with


async def test_fell_back_and_other_tier_from_the_record_itself(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    tiered = kimi_record(
        1_795_100_000,
        service_tier="default",
        provider_responses=[
            attempt("Chutes", KIMI, status=429),
            attempt("Fireworks", KIMI, routed_service_tier="flex"),
        ],
    )
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        fallback = await explained(session, catalog.FALLBACK_ID)
        report = await explained(session, fake_server.add_record(tiered))
    assert badges(fallback)["fell_back"].text.startswith("fell back: 2 providers failed")
    assert badges(report)["fell_back"].label == "fell back"
    assert badges(report)["other_tier"].text == (
        "routed to another service tier: flex (the record says default)"
    )


async def test_cache_never_hit_within_the_session(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    past(HistoryStore(path, enabled=True), 2, session_id="agent-run-1")
    gen_id = fake_server.add_record(kimi_record(1_795_100_000, session_id="agent-run-1"))
    hit_id = fake_server.add_record(
        kimi_record(1_795_100_100, session_id="agent-run-2", native_tokens_cached=600)
    )
    async with session_on(fake_server, path) as session:
        report = await explained(session, gen_id)
        past(session.history, 2, session_id="agent-run-2")
        warm = await explained(session, hit_id)
    never = badges(report)["cache_never_hit"]
    assert never.samples == 3 and "session agent-run-1" in never.compared_with
    assert "cache_never_hit" not in badges(warm)


async def test_a_short_session_says_how_many_generations_it_has(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    gen_id = fake_server.add_record(kimi_record(1_795_100_000, session_id="short-run"))
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, gen_id)
    assert "cache_never_hit" not in badges(report)
    assert any("needs 3 generations in session short-run; so far: 1" in n for n in report.notes)


def test_the_badge_tests_cover_every_badge() -> None:
    covered = {"slow", "costly", "slow_now", "fell_back", "other_tier", "cache_never_hit"}
    assert covered == set(BADGE_CODES)

"""The bill through the application layer against the local server: every reason code, the
snapshot kept beside the record, an offline reopen, a price change, pricing unavailable."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from inspector.app.bill import explain_bill
from inspector.app.bill_report import BillReport
from inspector.app.lookup import Succeeded
from inspector.app.session import Session
from inspector.app.settings import Settings
from inspector.core.bill import REASON_CODES, usd
from inspector.core.ids import parse_id
from inspector.infra.client import FetchResult
from inspector.infra.config import ENV_API_KEY
from inspector.infra.history import HistoryStore
from inspector.infra.keystore import KeyStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog
from inspector.testserver.catalog import bill_record, new_id


def make_session(server: FakeOpenRouter | str, path: Path | None) -> Session:
    """A session on ``server`` (or that base URL) with its history at ``path`` (None: off)."""
    history = HistoryStore(path, enabled=True) if path is not None else None
    url = server if isinstance(server, str) else server.base_url
    return Session(
        Settings(base_url=url, history=path is not None),
        keystore=KeyStore(env={ENV_API_KEY: TEST_KEY}),
        history=history,
    )


@contextlib.asynccontextmanager
async def session_on(server: FakeOpenRouter | str, path: Path | None) -> AsyncIterator[Session]:
    session = make_session(server, path)
    try:
        yield session
    finally:
        await session.aclose()


async def looked_up(session: Session, gen_id: str) -> FetchResult:
    outcome = await session.lookup_once(parse_id(gen_id))
    assert isinstance(outcome, Succeeded), outcome
    session.record(outcome)
    return outcome.result


async def explained(session: Session, gen_id: str, *, live: bool = True) -> BillReport:
    return await explain_bill(session, await looked_up(session, gen_id), live=live)


def money(text: str) -> Decimal:
    """A shown amount back as a number: ``−$0.0147`` is ``-0.0147``."""
    return Decimal(text.replace("−", "-").replace("+", "").replace("$", "").replace(",", ""))


def endpoint_requests(server: FakeOpenRouter) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/endpoints"))


# ---- records made for one reason each ---------------------------------------------------------


def _undetermined() -> dict[str, Any]:
    """DeepSeek's own endpoint prices by the hour: without created_at no window can be told."""
    gen_id = new_id(1_795_650_100)
    return bill_record(
        gen_id, catalog.bill_records.DEEPSEEK, "DeepSeek", prompt=10_000, completion=2000,
        billed="0.00364", created_at=None,
    )  # fmt: skip


def _data_sharing() -> dict[str, Any]:
    """The chat record billed 1 % below list: the data-sharing discount fits."""
    return bill_record(
        new_id(1_795_650_200), catalog.bill_records.GPT41_MINI, "OpenAI", prompt=812,
        completion=146, billed=str(catalog.CHAT_LIST_PRICE * Decimal("0.99")),
    )  # fmt: skip


def _tool_fees() -> dict[str, Any]:
    """Two web fetches, which no price covers: what is left is taken to be their fees."""
    return bill_record(
        new_id(1_795_650_300), catalog.bill_records.GPT41_MINI, "OpenAI", prompt=812,
        completion=146, billed=str(catalog.CHAT_LIST_PRICE + Decimal("0.002")), num_fetches=2,
    )  # fmt: skip


MADE: dict[str, Callable[[], dict[str, Any]]] = {
    "override_undetermined": _undetermined,
    "data_sharing_discount": _data_sharing,
    "tool_fees_not_derivable": _tool_fees,
}
SEEDED = {
    "pricing_unavailable": catalog.DELISTED_ID,
    "endpoint_ambiguous": catalog.TURBO_TAG_ID,
    "override_applied": catalog.LONG_CONTEXT_ID,
    "discount_applied": catalog.DISCOUNTED_ID,
    "cache_read_savings": catalog.CACHE_READ_ID,
    "cache_write_premium": catalog.CACHE_WRITE_ID,
    "response_cache_hit": catalog.CACHE_HIT_ID,
    "insured_zero_completion": catalog.INSURED_ID,
    "byok_fee": catalog.BYOK_FEE_ID,
    "batch_discount": catalog.BATCH_ID,
    "unexplained": catalog.UNEXPLAINED_ID,
}


def test_the_scenarios_cover_every_reason_code() -> None:
    assert {*SEEDED, *MADE, "price_changed"} == set(REASON_CODES)


@pytest.mark.parametrize("code", sorted({*SEEDED, *MADE}))
async def test_each_reason_code_end_to_end(
    code: str, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    gen_id = SEEDED.get(code) or fake_server.add_record(MADE[code]())
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, gen_id)
    codes = [reason.code for reason in report.reasons]
    assert code in codes, (codes, report.verdict_text)
    reason = next(r for r in report.reasons if r.code == code)
    assert reason.text and "\x1b" not in reason.text
    assert report.verdict_text and report.verdict_code == report.bill.verdict.code
    assert report.to_json()["reasons"][codes.index(code)]["code"] == code


@pytest.mark.parametrize("gen_id", sorted(catalog.BILLS))
async def test_every_bill_record_reconciles_as_the_catalog_says(
    gen_id: str, fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    expected = catalog.BILLS[gen_id]
    async with session_on(fake_server, tmp_path / "h.sqlite3") as session:
        report = await explained(session, gen_id)
    assert report.bill.billed == expected.billed
    if expected.list_price is None:
        assert report.pricing.source == "none" and report.items == ()
        assert report.reasons[0].code == "pricing_unavailable"
        return
    assert report.pricing.source == "live" and report.provider == expected.provider
    shown = [money(item.amount_text) for item in report.items]
    list_total = report.total("list_price")
    assert list_total is not None
    assert sum(shown, Decimal(0)) == money(list_total.text)  # to the fraction shown
    assert money(list_total.text) == money(usd(report.bill.list_price))


async def test_the_first_explain_keeps_a_snapshot_and_the_session_asks_once(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    async with session_on(fake_server, path) as session:
        first = await explained(session, catalog.CHAT_ID)
        await explained(session, catalog.CACHE_HIT_ID)  # the same model: no second fetch
        assert endpoint_requests(fake_server) == 1
        assert first.pricing.source == "live" and first.pricing.model_id == catalog.CHAT_MODEL
    kept = HistoryStore(path, enabled=True).snapshot(catalog.CHAT_ID)
    assert kept is not None and kept.provider == "OpenAI" and kept.model == catalog.CHAT_MODEL
    assert [e["provider_name"] for e in kept.body["endpoints"]] == ["OpenAI"]  # not Azure
    assert first.pricing.fetched_at == kept.fetched_at


async def test_a_record_reopened_offline_is_explained_from_its_snapshot(
    make_fake_server: Callable[..., FakeOpenRouter], tmp_path: Path
) -> None:
    server = make_fake_server()
    path = tmp_path / "h.sqlite3"
    async with session_on(server, path) as session:
        online = await explained(session, catalog.UNEXPLAINED_ID)
    url = server.base_url
    server.stop()
    entry = HistoryStore(path, enabled=True).get(catalog.UNEXPLAINED_ID)
    assert entry is not None and entry.raw is not None
    async with session_on(url, path) as session:
        offline = await explain_bill(session, FetchResult(raw=entry.raw))
        again = await explain_bill(session, FetchResult(raw=entry.raw), live=False)
    for report in (offline, again):
        assert report.pricing.source == "snapshot"
        assert report.pricing.fetched_at == online.pricing.fetched_at
        assert [i.amount_text for i in report.items] == [i.amount_text for i in online.items]
        assert report.verdict_text == online.verdict_text
    assert any("could not be compared" in note and "fetch" in note for note in offline.notes)
    assert not any("could not be compared" in note for note in again.notes)


async def test_a_model_removed_since_is_explained_from_its_snapshot(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    async with session_on(fake_server, path) as session:
        before = await explained(session, catalog.DISCOUNTED_ID)
    fake_server.remove_model(catalog.DEEPSEEK_MODEL)
    async with session_on(fake_server, path) as session:
        after = await explained(session, catalog.DISCOUNTED_ID)
    assert after.pricing.source == "snapshot" and after.bill.list_price == before.bill.list_price
    assert "discount_applied" in [r.code for r in after.reasons]
    assert any("no longer listed" in note for note in after.notes)


async def test_a_price_change_since_the_snapshot_is_a_reason(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    async with session_on(fake_server, path) as session:
        before = await explained(session, catalog.CHAT_ID)
    assert "price_changed" not in [r.code for r in before.reasons]
    listing = fake_server.model(catalog.CHAT_MODEL)
    assert listing is not None
    served = next(e for e in listing["endpoints"] if e["provider_name"] == "OpenAI")
    served["pricing"]["prompt"] = "0.0000008"  # $0.40/M -> $0.80/M
    fake_server.add_model(listing)
    async with session_on(fake_server, path) as session:
        after = await explained(session, catalog.CHAT_ID)
    changed = next(r for r in after.reasons if r.code == "price_changed")
    assert "prompt $0.40 / M tok → $0.80 / M tok" in changed.text
    assert "would list at $0.0008832" in changed.text  # 812 × $0.80/M + 146 × $1.60/M
    assert after.pricing.source == "snapshot" and after.verdict_code == "matches"
    assert after.bill.list_price == before.bill.list_price == catalog.CHAT_LIST_PRICE


async def test_pricing_unavailable_is_an_answer_never_an_error(
    make_fake_server: Callable[..., FakeOpenRouter], tmp_path: Path
) -> None:
    server = make_fake_server()
    async with session_on(server, tmp_path / "h.sqlite3") as session:
        provider = await explained(session, catalog.FUTURE_FIELDS_ID)
        result = await looked_up(session, catalog.CHAT_ID)
        server.stop()
        down = await explain_bill(session, result)
        asked = len(server.requests)
        again = await explain_bill(session, result)  # the failure is remembered a while
        assert len(server.requests) == asked
    assert provider.reasons[0].text.startswith("pricing unavailable: Aurora Compute no longer")
    assert provider.pricing.source == "none" and provider.verdict_code == "unavailable"
    for report in (down, again):
        assert report.reasons[0].code == "pricing_unavailable"
        assert "prices could not be fetched: could not connect" in report.reasons[0].text
        assert report.total("billed") is not None and report.items == ()
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        kept = [row[0] for row in conn.execute("SELECT gen_id FROM pricing_snapshots")]
    assert kept == []  # nothing priced, nothing kept


async def test_without_history_nothing_is_kept_and_nothing_compared(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    async with session_on(fake_server, None) as session:
        report = await explained(session, catalog.CACHE_READ_ID)
    assert report.pricing.source == "live" and report.verdict_code == "matches"
    assert not any("session" in note for note in report.notes)  # no session to look at
    assert list(tmp_path.iterdir()) == []


async def test_a_miss_or_a_failure_is_asked_again_after_a_while(
    make_fake_server: Callable[..., FakeOpenRouter], tmp_path: Path
) -> None:
    from inspector.app.bill_prices import FAILURE_TTL, MODELS_TTL, PricingService
    from inspector.core.endpoints import FetchFailed, ModelNotListed

    server = make_fake_server()
    listing = server.model(catalog.CHAT_MODEL)
    assert listing is not None
    server.remove_model(catalog.CHAT_MODEL)
    model = "openai/gpt-4.1-mini-2025-04-14"
    now = [0.0]
    async with session_on(server, None) as session:
        prices = PricingService(session, clock=lambda: now[0])
        assert isinstance(await prices.listing(model), ModelNotListed)
        server.add_model(listing)  # listed a moment later
        asked = len(server.requests)
        assert isinstance(await prices.listing(model), ModelNotListed)  # remembered
        assert len(server.requests) == asked
        now[0] += MODELS_TTL + 1
        found = await prices.listing(model)
        assert not isinstance(found, ModelNotListed | FetchFailed)
        assert found.model_id == catalog.CHAT_MODEL
        now[0] += 10 * MODELS_TTL
        assert await prices.listing(model) is found  # prices stand for the session
        url = server.base_url
        server.stop()
    async with session_on(url, None) as session:
        prices = PricingService(session, clock=lambda: now[0])
        failed = await prices.listing(model)
        assert isinstance(failed, FetchFailed) and "could not connect" in failed.why
        assert await prices.listing(model) is failed
        now[0] += FAILURE_TTL + 1
        assert await prices.listing(model) is not failed  # asked again (and failed again)

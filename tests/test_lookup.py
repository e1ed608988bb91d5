"""The lookup orchestration on a fake clock, against the real local server: no real sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from inspector.app.lookup import (
    Attempting,
    Failed,
    Lookup,
    LookupEvent,
    Succeeded,
    Waiting,
    lookup_once,
)
from inspector.core.errors import (
    AuthError,
    BadRequestError,
    ForbiddenError,
    FutureIdError,
    InspectorError,
    MalformedIdError,
    NetworkError,
    NotFoundError,
    PaymentError,
    PendingError,
    UpstreamError,
)
from inspector.core.ids import RequestIdError, make_id, parse_id
from inspector.core.pending import MAX_POLLING, YOUNG_FOR
from inspector.core.retry import RetryPolicy
from inspector.infra.client import GenerationClient
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog


class FakeClock:
    """``now()`` and ``sleep()`` that record waits and advance time without waiting."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime.now(UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.current += timedelta(seconds=seconds)
        await asyncio.sleep(0)


class StuckClock(FakeClock):
    """A clock whose sleeps never end by themselves: only skip or cancel ends them."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()
        self.cancelled = 0

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


@pytest.fixture
async def client(fake_server: FakeOpenRouter) -> AsyncIterator[GenerationClient]:
    async with GenerationClient(TEST_KEY, fake_server.base_url) as made:
        yield made


def make_lookup(client: GenerationClient, clock: FakeClock, **policy: object) -> Lookup:
    return Lookup(
        client,
        RetryPolicy(jitter=0.0, **policy),  # type: ignore[arg-type]
        sleep=clock.sleep,
        now=clock.now,
    )


async def collect(lookup: Lookup, gen_id: str) -> list[LookupEvent]:
    """Parse at the edge (as the front-ends do), then run the lookup on the parsed id."""
    return [event async for event in lookup.run(parse_id(gen_id))]


def kinds(events: list[LookupEvent]) -> list[str]:
    return [type(e).__name__ for e in events]


async def test_success_at_first_attempt(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), catalog.CHAT_ID)
    assert events[0] == Attempting(parse_id(catalog.CHAT_ID), 1)
    assert isinstance(events[1], Succeeded) and events[1].attempts == 1
    assert events[1].result.raw["id"] == catalog.CHAT_ID
    assert len(events) == 2 and clock.sleeps == []
    assert fake_server.count(catalog.CHAT_ID) == 1


async def test_the_id_is_cleaned_before_sending(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    events = await collect(make_lookup(client, FakeClock()), f'  "{catalog.CHAT_ID}"\n')
    assert all(e.gen_id == catalog.CHAT_ID for e in events)
    assert fake_server.requests[-1].query == {"id": catalog.CHAT_ID}


async def test_429_waits_what_the_server_asked_then_succeeds(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), catalog.RATE_LIMITED_ID)
    assert kinds(events) == ["Attempting", "Waiting", "Attempting", "Succeeded"]
    waiting = events[1]
    assert isinstance(waiting, Waiting)
    assert waiting.decision.delay == catalog.RATE_LIMIT_WAIT
    assert waiting.decision.source == "Retry-After" and waiting.decision.attempt == 2
    assert waiting.error.status == 429
    assert clock.sleeps == [catalog.RATE_LIMIT_WAIT]
    assert events[2] == Attempting(parse_id(catalog.RATE_LIMITED_ID), 2)
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 2


async def test_429_with_rate_limit_reset(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), catalog.RATE_LIMITED_RESET_ID)
    assert isinstance(events[-1], Succeeded) and events[-1].attempts == 2
    assert clock.sleeps == [pytest.approx(catalog.RATE_LIMIT_WAIT, abs=0.5)]
    waiting = events[1]
    assert isinstance(waiting, Waiting) and waiting.decision.source == "X-RateLimit-Reset"


async def test_upstream_down_gives_up_after_backoff(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), catalog.BAD_GATEWAY_HTML_ID)
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    final = events[-1]
    assert isinstance(final, Failed) and isinstance(final.error, UpstreamError)
    assert final.attempts == 5 and final.error.status == 502
    waits = [e for e in events if isinstance(e, Waiting)]
    assert [w.decision.attempt for w in waits] == [2, 3, 4, 5]
    assert all(w.decision.max_attempts == 5 for w in waits)
    assert fake_server.count(catalog.BAD_GATEWAY_HTML_ID) == 5


@pytest.mark.parametrize(
    ("gen_id", "first_error"),
    [(catalog.UNAVAILABLE_ONCE_ID, UpstreamError), (catalog.RESET_ONCE_ID, NetworkError)],
)
async def test_transient_failure_then_success(
    client: GenerationClient,
    fake_server: FakeOpenRouter,
    gen_id: str,
    first_error: type[InspectorError],
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), gen_id)
    assert kinds(events) == ["Attempting", "Waiting", "Attempting", "Succeeded"]
    waiting = events[1]
    assert isinstance(waiting, Waiting) and isinstance(waiting.error, first_error)
    assert clock.sleeps == [0.5]
    assert fake_server.count(gen_id) == 2


async def test_pending_id_is_polled_until_it_appears(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    gen_id = fake_server.pending_id(polls=3)
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), gen_id)
    assert clock.sleeps == [1.0, 2.0, 4.0]
    waits = [e for e in events if isinstance(e, Waiting)]
    assert all(isinstance(w.error, PendingError) for w in waits)
    assert all(w.decision.kind == "pending" and w.decision.max_attempts is None for w in waits)
    assert isinstance(events[-1], Succeeded) and events[-1].attempts == 4
    assert fake_server.count(gen_id) == 4


async def test_pending_id_that_never_appears_stops_when_it_is_no_longer_young(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    gen_id = fake_server.pending_id(polls=10_000)
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), gen_id)
    final = events[-1]
    # By the last answer the id is 15 minutes old: its 404 now means "not found".
    assert isinstance(final, Failed) and type(final.error) is NotFoundError
    assert all(isinstance(e.error, PendingError) for e in events if isinstance(e, Waiting))
    assert clock.sleeps[:7] == [1, 2, 4, 8, 15, 30, 30]
    assert max(clock.sleeps) == 30
    assert sum(clock.sleeps) == pytest.approx(YOUNG_FOR, abs=5)
    assert final.attempts == len(clock.sleeps) + 1 == fake_server.count(gen_id)


async def test_an_id_twelve_minutes_old_is_polled_not_called_missing(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    """One rule for "young": the client no longer says 900 s while the policy says 600."""
    clock = FakeClock()
    gen_id = make_id(clock.now() - timedelta(minutes=12))
    events = await collect(make_lookup(client, clock), gen_id)
    waits = [e for e in events if isinstance(e, Waiting)]
    assert waits and all(isinstance(w.error, PendingError) for w in waits)
    assert sum(clock.sleeps) == pytest.approx(3 * 60, abs=5)  # until it is 15 minutes old
    assert isinstance(events[-1], Failed) and isinstance(events[-1].error, NotFoundError)


async def test_an_id_stamped_in_the_future_is_explained_not_polled(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    gen_id = make_id(clock.now() + timedelta(days=3))
    events = await collect(make_lookup(client, clock), gen_id)
    assert kinds(events) == ["Attempting", "Failed"]
    final = events[-1]
    assert isinstance(final, Failed) and isinstance(final.error, FutureIdError)
    assert final.error.age == pytest.approx(-3 * 86400, abs=5)
    assert clock.sleeps == [] and fake_server.count(gen_id) == 1


async def test_pending_polling_is_bounded_by_wall_clock_time(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    """Polling stops after ``pending_max_wait`` of the lookup's own time, whatever the id's
    age says (the default is :data:`MAX_POLLING`)."""
    assert RetryPolicy().pending_max_wait == MAX_POLLING
    gen_id = fake_server.pending_id(polls=10_000)
    clock = FakeClock()
    events = await collect(make_lookup(client, clock, pending_max_wait=60.0), gen_id)
    assert isinstance(events[-1], Failed) and isinstance(events[-1].error, PendingError)
    assert sum(clock.sleeps) == pytest.approx(60, abs=0.5)


@pytest.mark.parametrize(
    ("gen_id", "error_type"),
    [
        (catalog.NOT_FOUND_ID, NotFoundError),
        (catalog.BAD_REQUEST_ID, BadRequestError),
        (catalog.PAYMENT_REQUIRED_ID, PaymentError),
        (catalog.FORBIDDEN_ID, ForbiddenError),
    ],
)
async def test_final_errors_are_not_retried(
    client: GenerationClient,
    fake_server: FakeOpenRouter,
    gen_id: str,
    error_type: type[InspectorError],
) -> None:
    clock = FakeClock()
    events = await collect(make_lookup(client, clock), gen_id)
    assert kinds(events) == ["Attempting", "Failed"]
    final = events[-1]
    assert isinstance(final, Failed) and isinstance(final.error, error_type)
    assert final.attempts == 1 and clock.sleeps == [] and fake_server.count(gen_id) == 1


async def test_rejected_key_is_final(fake_server: FakeOpenRouter) -> None:
    async with GenerationClient("sk-or-v1-wrong", fake_server.base_url) as bad:
        events = await collect(make_lookup(bad, FakeClock()), catalog.CHAT_ID)
    assert kinds(events) == ["Attempting", "Failed"]
    assert isinstance(events[-1], Failed) and isinstance(events[-1].error, AuthError)


async def test_ids_that_are_not_generation_ids_are_refused_at_the_edge(
    fake_server: FakeOpenRouter,
) -> None:
    with pytest.raises(RequestIdError):
        parse_id("req-1792505729-Gv2XpN7kQe4RbW9tLc1Z")
    with pytest.raises(MalformedIdError):
        parse_id("hello world")
    assert fake_server.requests == []


async def test_skip_wait_before_the_wait_starts(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = StuckClock()
    lookup = make_lookup(client, clock)
    events: list[LookupEvent] = []
    async for event in lookup.run(parse_id(catalog.RATE_LIMITED_ID)):
        events.append(event)
        if isinstance(event, Waiting):
            lookup.skip_wait()  # pressed as soon as the wait is announced
    assert kinds(events) == ["Attempting", "Waiting", "Attempting", "Succeeded"]
    assert clock.sleeps == []  # the wait never began
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 2


async def test_skip_wait_during_the_wait(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = StuckClock()
    lookup = make_lookup(client, clock)
    task = asyncio.create_task(collect(lookup, catalog.RATE_LIMITED_ID))
    await asyncio.wait_for(clock.started.wait(), timeout=10)
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 1
    lookup.skip_wait()
    events = await asyncio.wait_for(task, timeout=10)
    assert kinds(events)[-1] == "Succeeded"
    assert clock.sleeps == [catalog.RATE_LIMIT_WAIT] and clock.cancelled == 1
    assert fake_server.count(catalog.RATE_LIMITED_ID) == 2


async def test_a_stale_skip_does_not_cut_a_later_wait(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = FakeClock()
    lookup = make_lookup(client, clock)
    lookup.skip_wait()  # pressed while nothing was waiting
    events = await collect(lookup, catalog.RATE_LIMITED_ID)
    assert isinstance(events[-1], Succeeded)
    assert clock.sleeps == [catalog.RATE_LIMIT_WAIT]


async def test_cancel_ends_the_wait_at_once(
    client: GenerationClient, fake_server: FakeOpenRouter
) -> None:
    clock = StuckClock()
    lookup = make_lookup(client, clock)
    task = asyncio.create_task(collect(lookup, catalog.BAD_GATEWAY_HTML_ID))
    await asyncio.wait_for(clock.started.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=10)
    assert clock.cancelled == 1
    assert fake_server.count(catalog.BAD_GATEWAY_HTML_ID) == 1


async def test_lookup_once(client: GenerationClient) -> None:
    outcome = await lookup_once(client, parse_id(catalog.IMAGE_ID))
    assert isinstance(outcome, Succeeded) and outcome.result.generation.api_type == "image"

"""The batch (``inspector.app.batch``) against the local server: real HTTP, real SQLite.

What the server saw (request arrival times, its storm windows) is the evidence for the
concurrency and the rate-limit gate; the history file for what was recorded.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_support import (
    add_records,
    delay_each,
    generation_times,
    most_in_flight,
    parsed,
    run_batch,
    session_for,
)

from inspector.app.batch import Batch, InputOrder
from inspector.app.lookup import Failed, Succeeded
from inspector.core.errors import AuthError
from inspector.infra.history import HistoryStore
from inspector.testserver import FakeOpenRouter

MakeServer = Callable[..., FakeOpenRouter]


async def test_outcomes_keep_the_input_order_under_concurrency(
    fake_server: FakeOpenRouter,
) -> None:
    ids = add_records(fake_server, 40)
    delays = [random.Random(i).uniform(0.0, 0.12) for i in range(len(ids))]
    delay_each(fake_server, ids, delays)
    session = session_for(fake_server)
    batch = Batch(session, jobs=8)
    batch.add_all(parsed(ids))
    batch.finish_input()
    started = time.monotonic()
    try:
        events, released = await run_batch(batch)
    finally:
        await session.aclose()
    took = time.monotonic() - started
    finished = [e.event.gen_id for e in events if e.outcome is not None]
    assert released == ids  # input order, whatever order they finished in
    assert finished != ids and sorted(finished) == sorted(ids)  # they did finish out of order
    assert all(isinstance(e.outcome, Succeeded) for e in events if e.outcome is not None)
    # The server's view: each request in flight from its arrival for its id's delay.
    spans = [(generation_times(fake_server, g)[0], 0.0) for g in ids]
    spans = [(start, start + delay) for (start, _), delay in zip(spans, delays, strict=True)]
    assert 2 <= most_in_flight(spans) <= 8
    assert took < sum(delays)  # one after another would take at least the sum
    assert [fake_server.count(g) for g in ids] == [1] * len(ids)


async def test_repeats_are_looked_up_once(fake_server: FakeOpenRouter) -> None:
    ids = add_records(fake_server, 3)
    session = session_for(fake_server)
    batch = Batch(session, jobs=4)
    assert batch.add_all(parsed([ids[0], ids[1], ids[0], ids[2], ids[1]])) == [0, 1, 2]
    assert batch.add(parsed(ids[:1])[0]) is None
    batch.finish_input()
    try:
        _, released = await run_batch(batch)
    finally:
        await session.aclose()
    assert released == ids and [fake_server.count(g) for g in ids] == [1, 1, 1]


@pytest.mark.parametrize("style", ["seconds", "reset-ms"])
async def test_a_429_storm_pauses_every_worker(make_fake_server: MakeServer, style: str) -> None:
    """No request leaves inside a Retry-After window once the client knows of it. The only
    ones the server sees in a window arrive right after it opened (``grace``): they were on
    the wire before the first 429 came back, at most one or two per worker. Without the
    shared gate, new lookups keep arriving all through the window."""
    server = make_fake_server(latency=0.02)
    ids = add_records(server, 60)
    jobs = 6
    grace = 0.25  # generous: the machine may be busy
    storm = server.rate_limit_storm(0.8, after=0.15, bursts=2, style=style, grace=grace)
    session = session_for(server)
    batch = Batch(session, jobs=jobs)
    batch.add_all(parsed(ids))
    batch.finish_input()
    try:
        events, released = await run_batch(batch)
    finally:
        await session.aclose()
    assert released == ids
    assert all(isinstance(e.outcome, Succeeded) for e in events if e.outcome is not None)
    # Two bursts; when both open at the same instant (two requests in flight), the gate
    # sees one pause: what matters is that it paused, and that nothing went out inside.
    assert len(storm.windows) == 2 and batch.gate.pauses >= 1
    times = generation_times(server)
    for opened, closes in storm.windows:
        late = [round(t - opened, 3) for t in times if opened + grace <= t < closes]
        assert late == []  # the server's own times: nothing sent into a known window
    assert storm.inside == 0 and storm.in_flight <= 2 * jobs * len(storm.windows)


async def test_pending_ids_are_polled_without_holding_a_worker(
    make_fake_server: MakeServer,
) -> None:
    server = make_fake_server(latency=0.01)
    pending = [server.pending_id(polls=3), server.pending_id(polls=3)]
    others = add_records(server, 20)
    session = session_for(server, retry_scale=0.5)  # polls after 0.5, 1 and 2 s
    batch = Batch(session, jobs=2)  # both places would be taken if a poll held one
    batch.add_all(parsed([*pending, *others]))
    batch.finish_input()
    seen_pending = 0
    finished: list[str] = []
    order = InputOrder()
    released: list[str] = []
    try:
        async for item in batch.events():
            seen_pending = max(seen_pending, batch.progress().pending)
            if item.outcome is not None:
                finished.append(item.outcome.gen_id)
            released += [o.gen_id for o in order.add(item)]
    finally:
        await session.aclose()
    assert set(finished[:20]) == set(others)  # every other id resolved while they waited
    assert set(finished[20:]) == set(pending)
    assert released == [*pending, *others]  # still in input order
    assert seen_pending == 2
    assert all(batch.items[i].outcome is not None for i in range(len(batch.items)))
    assert [server.count(g) for g in pending] == [4, 4]


async def test_a_rejected_key_stops_the_batch_after_one_request(
    fake_server: FakeOpenRouter,
) -> None:
    ids = add_records(fake_server, 10)
    session = session_for(fake_server, key="sk-or-v1-not-the-right-key-0000")
    batch = Batch(session, jobs=8)
    batch.add_all(parsed(ids))
    batch.finish_input()
    try:
        events, released = await run_batch(batch)
    finally:
        await session.aclose()
    outcomes = [e.outcome for e in events if e.outcome is not None]
    assert len(outcomes) == 1 and isinstance(outcomes[0], Failed)
    assert isinstance(outcomes[0].error, AuthError)
    assert batch.stopped_by is outcomes[0] and released == ids[:1]
    assert len(fake_server.requests) == 1  # the key was tried once, not once per worker


async def test_history_is_written_in_batches_while_lookups_run(
    make_fake_server: MakeServer, tmp_path: Path
) -> None:
    server = make_fake_server(latency=0.01)
    slow = server.pending_id(polls=2)
    ids = add_records(server, 12)
    path = tmp_path / "history.sqlite3"
    session = session_for(server, history=path, retry_scale=1.0)  # polls after 1 and 2 s
    batch = Batch(session, jobs=4, record_every=5, record_seconds=0.3)
    batch.add_all(parsed([slow, *ids]))
    batch.finish_input()
    reader = HistoryStore(path, enabled=True)
    counts_while_running: list[int] = []

    async def watch_the_file() -> None:
        while True:
            counts_while_running.append(reader.count())
            await asyncio.sleep(0.1)

    watcher = asyncio.ensure_future(watch_the_file())
    try:
        _, released = await run_batch(batch)
    finally:
        watcher.cancel()
        await session.aclose()
    assert released == [slow, *ids]
    assert 12 in counts_while_running  # all twelve were kept before the slow one resolved
    assert reader.count() == 13
    entry = reader.get(slow)
    assert entry is not None and entry.outcome == "ok"
    reader.close()


async def test_closing_a_batch_early_records_what_finished(
    make_fake_server: MakeServer, tmp_path: Path
) -> None:
    """Leaving the loop (as a cancellation or Ctrl+C does) records every finished outcome,
    even far from a batch boundary, and cancels the rest."""
    server = make_fake_server(latency=0.05)
    ids = add_records(server, 30)
    path = tmp_path / "history.sqlite3"
    session = session_for(server, history=path)
    batch = Batch(session, jobs=3, record_every=1000, record_seconds=3600)
    batch.add_all(parsed(ids))
    batch.finish_input()
    done: list[str] = []
    try:
        async for item in batch.events():
            if item.outcome is not None:
                done.append(item.outcome.gen_id)
            if len(done) == 7:
                break
    finally:
        await session.aclose()
    with HistoryStore(path, enabled=True) as reader:
        kept = {entry.gen_id for entry in reader.recent(limit=100)}
    finished = {item.gen_id for item in batch.items if item.outcome is not None}
    assert set(done) <= kept and kept == finished
    assert len(kept) < len(ids)  # the rest were cancelled, not looked up
    assert math.isclose(batch.progress().done, len(finished))


async def test_a_long_follow_keeps_no_record_in_memory(
    fake_server: FakeOpenRouter, tmp_path: Path
) -> None:
    ids = add_records(fake_server, 5)
    path = tmp_path / "history.sqlite3"
    session = session_for(fake_server, history=path)
    batch = Batch(session, jobs=2, keep_outcomes=False)
    batch.add_all(parsed(ids))
    batch.finish_input()
    try:
        _, released = await run_batch(batch)
    finally:
        await session.aclose()
    assert released == ids  # the events carried every outcome …
    assert [item.status for item in batch.items] == ["ok"] * 5
    assert all(item.outcome is None for item in batch.items)  # … the items kept none
    with HistoryStore(path, enabled=True) as reader:
        assert reader.count() == 5

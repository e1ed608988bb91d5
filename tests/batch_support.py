"""Helpers for the batch tests: records on the local server, a session pointed at it, and
what the server saw (request arrival times, requests in flight)."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspector.app.batch import Batch, BatchEvent, InputOrder
from inspector.app.session import Session
from inspector.app.settings import Settings
from inspector.core.ids import ParsedId, parse_id
from inspector.infra.history import HistoryStore
from inspector.infra.keystore import KeyStore
from inspector.testserver import TEST_KEY, FakeOpenRouter, Scenario, Step, catalog

MODELS = ("openai/gpt-4.1-mini", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash")
PROVIDERS = ("OpenAI", "Amazon Bedrock", "Google AI Studio", "Groq")


def add_records(server: FakeOpenRouter, count: int, *, seed: int = 1) -> list[str]:
    """``count`` chat-like records with varied models, providers, costs and tokens (some
    BYOK, some cached), created an hour ago; their ids in order."""
    rng = random.Random(seed)
    base = time.time() - 3600
    ids = []
    for index in range(count):
        gen_id = catalog.new_id(base + index)
        raw: dict[str, Any] = catalog.chat_like(gen_id)
        prompt = rng.randint(10, 5000)
        raw.update(
            model=MODELS[index % len(MODELS)],
            provider_name=PROVIDERS[index % len(PROVIDERS)],
            total_cost=round(rng.uniform(0, 0.02), 7),
            native_tokens_prompt=prompt,
            native_tokens_cached=rng.randint(0, prompt) if index % 3 else 0,
            native_tokens_completion=rng.randint(1, 900),
            latency=rng.randint(100, 4000),
            generation_time=rng.randint(100, 9000),
        )
        if index % 5 == 0:
            raw.update(is_byok=True, upstream_inference_cost=round(rng.uniform(0, 0.05), 7))
        server.add_record(raw)
        ids.append(gen_id)
    return ids


def delay_each(server: FakeOpenRouter, ids: Sequence[str], delays: Sequence[float]) -> None:
    """Answer each id after its own delay (the server's latency, jittered per id)."""
    for gen_id, delay in zip(ids, delays, strict=True):
        server.set_scenario(gen_id, Scenario(then=Step(delay=delay)))


def session_for(
    server: FakeOpenRouter,
    *,
    key: str = TEST_KEY,
    history: Path | None = None,
    retry_scale: float = 1.0,
) -> Session:
    """A session on the local server with the async transport (as a batch uses)."""
    settings = Settings(
        base_url=server.base_url, history=history is not None, retry_scale=retry_scale
    )
    store = HistoryStore(history, enabled=True) if history is not None else None
    return Session(settings, keystore=KeyStore(env={"OPENROUTER_API_KEY": key}), history=store)


def parsed(ids: Sequence[str]) -> list[ParsedId]:
    return [parse_id(gen_id) for gen_id in ids]


async def run_batch(batch: Batch) -> tuple[list[BatchEvent], list[str]]:
    """Every event (completion order) and the ids as released in input order."""
    events: list[BatchEvent] = []
    order = InputOrder()
    released: list[str] = []
    async for item in batch.events():
        events.append(item)
        released += [outcome.gen_id for outcome in order.add(item)]
    return events, released


def generation_times(server: FakeOpenRouter, gen_id: str | None = None) -> list[float]:
    """Arrival times (monotonic) of the /generation requests, of one id or all."""
    return [
        r.at
        for r in server.requests
        if r.path.endswith("/generation") and (gen_id is None or r.query.get("id") == gen_id)
    ]


def most_in_flight(spans: Sequence[tuple[float, float]]) -> int:
    """The largest number of (start, end) spans open at one moment."""
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    most = current = 0
    for _, step in edges:
        current += step
        most = max(most, current)
    return most

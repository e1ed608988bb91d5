"""Demo mode's environment: the in-process server, the throwaway key and the temp history."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.app.lookup import Failed, Lookup, Succeeded, Waiting
from inspector.core.errors import AuthError, NotFoundError, UpstreamError
from inspector.core.ids import parse_id
from inspector.demo import DEMO_KEY, DemoEnvironment, start_demo
from inspector.infra.client import GenerationClient
from inspector.testserver import TEST_KEY, catalog

SCALE = 0.01  # announced waits and poll intervals x 0.01: the demo runs in milliseconds


@pytest.fixture
def demo() -> Iterator[DemoEnvironment]:
    env = start_demo(time_scale=SCALE)
    yield env
    env.close()


def _label(demo: DemoEnvironment, gen_id: str) -> str:
    return next(label for label, known in demo.demo_ids if known == gen_id)


async def _run(demo: DemoEnvironment, gen_id: str, key: str | None = None) -> list[object]:
    async with GenerationClient(key or demo.api_key, demo.base_url) as client:
        lookup = Lookup(client, demo.retry_policy())
        return [event async for event in lookup.run(parse_id(gen_id))]


def test_demo_key_is_throwaway_and_not_shaped_like_a_real_key(demo: DemoEnvironment) -> None:
    assert demo.api_key == DEMO_KEY
    tail = DEMO_KEY.removeprefix("sk-or-v1-")
    assert not (len(tail) == 64 and all(c in "0123456789abcdef" for c in tail))


def test_server_is_local_and_history_is_temporary(demo: DemoEnvironment) -> None:
    assert demo.base_url.startswith("http://127.0.0.1:")
    assert demo.base_url.endswith("/api/v1")
    assert demo.history_path.parent == demo.data_dir
    assert "orinspect-demo-" in str(demo.data_dir)
    # created lazily by the history store, not by the demo
    assert not demo.data_dir.exists()
    assert demo.env()["INSPECTOR_DATA_DIR"] == str(demo.data_dir)
    assert demo.env()["OPENROUTER_BASE_URL"] == demo.base_url


def test_demo_leaves_the_process_environment_alone() -> None:
    before = dict(os.environ)
    with start_demo(time_scale=SCALE):
        assert dict(os.environ) == before
    assert dict(os.environ) == before


def test_keystore_resolves_the_demo_key_without_a_keyring(demo: DemoEnvironment) -> None:
    resolved = demo.keystore().resolve()
    assert resolved.key == DEMO_KEY
    assert resolved.source == "environment"


def test_demo_ids_cover_every_kind_of_state(demo: DemoEnvironment) -> None:
    ids = [gen_id for _, gen_id in demo.demo_ids]
    assert len(ids) == len(set(ids))
    for wanted in (
        catalog.CHAT_ID,
        catalog.FALLBACK_ID,
        catalog.BYOK_ID,
        catalog.RATE_LIMITED_ID,
        catalog.NOT_FOUND_ID,
        demo.pending_id,
    ):
        assert wanted in ids
    for label, gen_id in demo.demo_ids:
        assert label and label == label.strip()
        parse_id(gen_id)


def test_pending_id_is_young(demo: DemoEnvironment) -> None:
    age = parse_id(demo.pending_id).age_seconds()
    assert age is not None and 0 <= age < 30
    assert _label(demo, demo.pending_id).startswith("Pending")


async def test_normal_fallback_and_byok_records_resolve_at_once(demo: DemoEnvironment) -> None:
    for gen_id in (catalog.CHAT_ID, catalog.FALLBACK_ID, catalog.BYOK_ID):
        events = await _run(demo, gen_id)
        assert isinstance(events[-1], Succeeded), events[-1]
        assert events[-1].attempts == 1
    fallback = (await _run(demo, catalog.FALLBACK_ID))[-1]
    assert isinstance(fallback, Succeeded)
    assert fallback.result.generation.fallback_count >= 1
    byok = (await _run(demo, catalog.BYOK_ID))[-1]
    assert isinstance(byok, Succeeded)
    assert byok.result.generation.is_byok is True


async def test_pending_id_polls_then_resolves(demo: DemoEnvironment) -> None:
    events = await _run(demo, demo.pending_id)
    waits = [e for e in events if isinstance(e, Waiting)]
    assert [w.decision.kind for w in waits] == ["pending", "pending"]
    assert waits[0].decision.delay == pytest.approx(1.0 * SCALE)
    assert isinstance(events[-1], Succeeded)
    assert demo.server.count(demo.pending_id) == 3


async def test_rate_limited_id_shows_a_countdown_then_the_record(demo: DemoEnvironment) -> None:
    events = await _run(demo, catalog.RATE_LIMITED_ID)
    waits = [e for e in events if isinstance(e, Waiting)]
    assert len(waits) == 1
    assert waits[0].decision.kind == "retry"
    assert waits[0].decision.status == 429
    assert waits[0].decision.source == "Retry-After"
    assert waits[0].decision.delay == pytest.approx(6.0 * SCALE, abs=0.01)
    assert isinstance(events[-1], Succeeded)


async def test_error_ids_fail_with_their_error(demo: DemoEnvironment) -> None:
    missing = (await _run(demo, catalog.NOT_FOUND_ID))[-1]
    assert isinstance(missing, Failed)
    assert isinstance(missing.error, NotFoundError)
    upstream = (await _run(demo, catalog.BAD_GATEWAY_HTML_ID))[-1]
    assert isinstance(upstream, Failed)
    assert isinstance(upstream.error, UpstreamError)
    assert upstream.error.status == 502


async def test_only_the_demo_key_is_accepted(demo: DemoEnvironment) -> None:
    outcome = (await _run(demo, catalog.CHAT_ID, key=TEST_KEY))[-1]
    assert isinstance(outcome, Failed)
    assert isinstance(outcome.error, AuthError)


def test_history_lives_in_the_temp_dir_and_close_removes_it() -> None:
    env = start_demo(time_scale=SCALE)
    store = env.history()
    store.record_failure(catalog.NOT_FOUND_ID, "not_found", 404, "Generation not found")
    assert store.get(catalog.NOT_FOUND_ID) is not None
    store.close()
    assert env.history_path.exists()
    root = env.data_dir.parent
    env.close()
    assert not root.exists()
    assert not env.server.running
    env.close()  # twice is fine


def test_start_and_close_without_use(tmp_path: Path) -> None:
    env = start_demo()
    root = env.data_dir.parent
    assert root.is_dir()
    env.close()
    assert not root.exists()

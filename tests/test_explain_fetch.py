"""The client's model listings against the real local server: ``/models`` and ``/endpoints``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from inspector.core.endpoints import parse_endpoints
from inspector.core.errors import AuthError, InvalidResponseError, NetworkError, NotFoundError
from inspector.infra.client import GenerationClient, ThreadedTransport
from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

Transport = Callable[[], httpx.AsyncBaseTransport | None]
TRANSPORTS: dict[str, Transport] = {"async": lambda: None, "threaded": ThreadedTransport}


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> Transport:
    return TRANSPORTS[request.param]


def run(make: Callable[[GenerationClient], Awaitable[Any]], client: GenerationClient) -> Any:
    async def go() -> Any:
        async with client:
            return await make(client)

    return asyncio.run(go())


def test_every_listed_model_is_in_models_with_its_slug(
    fake_server: FakeOpenRouter, transport: Transport
) -> None:
    client = GenerationClient(TEST_KEY, fake_server.base_url, transport=transport())
    models = run(lambda c: c.list_models(), client)
    pairs = {m["id"]: m["canonical_slug"] for m in models}
    assert set(pairs) == set(fake_server.model_ids())  # the image model too (all modalities)
    assert pairs[catalog.CHAT_MODEL] == "openai/gpt-4.1-mini-2025-04-14"
    assert catalog.DELISTED_MODEL not in pairs
    query = fake_server.requests[-1]
    assert query.path.endswith("/models") and query.query["output_modalities"] == "all"


@pytest.mark.parametrize("model_id", [catalog.KIMI_MODEL, catalog.SONNET_MODEL])
def test_endpoints_are_the_listing_with_live_figures(
    fake_server: FakeOpenRouter, transport: Transport, model_id: str
) -> None:
    client = GenerationClient(TEST_KEY, fake_server.base_url, transport=transport())
    data = run(lambda c: c.get_model_endpoints(model_id), client)
    listing = parse_endpoints(data)
    assert listing.model_id == model_id
    served = {e.provider_name for e in listing.endpoints}
    stored = fake_server.model(model_id)
    assert stored is not None
    assert served == {e["provider_name"] for e in stored["endpoints"]}
    assert any(e.latency_last_30m for e in listing.endpoints)  # with a key: live figures


def test_without_a_key_the_listing_comes_without_live_figures(
    fake_server: FakeOpenRouter,
) -> None:
    client = GenerationClient(None, fake_server.base_url)
    data = run(lambda c: c.get_model_endpoints(catalog.CHAT_MODEL), client)
    assert all(e.latency_last_30m is None for e in parse_endpoints(data).endpoints)


def test_a_model_no_longer_listed_is_not_found(fake_server: FakeOpenRouter) -> None:
    client = GenerationClient(TEST_KEY, fake_server.base_url)
    with pytest.raises(NotFoundError, match="Model not found"):
        run(lambda c: c.get_model_endpoints(catalog.DELISTED_MODEL), client)


@pytest.mark.parametrize("bad", ["../key", "a/b/c", "openai/", "/x", "a/.."])
def test_a_text_that_is_no_model_id_is_never_sent(fake_server: FakeOpenRouter, bad: str) -> None:
    client = GenerationClient(TEST_KEY, fake_server.base_url)
    with pytest.raises(InvalidResponseError, match="not a model id"):
        run(lambda c: c.get_model_endpoints(bad), client)
    assert fake_server.requests == []


def test_odd_characters_in_a_slug_are_quoted(fake_server: FakeOpenRouter) -> None:
    client = GenerationClient(TEST_KEY, fake_server.base_url)
    with pytest.raises(NotFoundError):
        run(lambda c: c.get_model_endpoints("odd/na?me#x"), client)
    assert fake_server.requests[-1].path.endswith("/models/odd/na%3Fme%23x/endpoints")


def test_a_rejected_key_and_a_server_down_are_typed(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> None:
    server = make_fake_server()
    with pytest.raises(AuthError):
        run(lambda c: c.list_models(), GenerationClient("sk-or-v1-unknown", server.base_url))
    url = server.base_url
    server.stop()
    with pytest.raises(NetworkError):
        run(lambda c: c.get_model_endpoints(catalog.CHAT_MODEL), GenerationClient(TEST_KEY, url))


def test_a_models_answer_without_a_data_list_is_an_invalid_response(
    fake_server: FakeOpenRouter,
) -> None:
    from inspector.infra.http.client import read_data_list
    from inspector.infra.http.errors import Answer

    answer = Answer(200, "OK", httpx.Headers({"content-type": "application/json"}), b'{"data":{}}')
    with pytest.raises(InvalidResponseError, match="without a `data` list"):
        read_data_list(answer)

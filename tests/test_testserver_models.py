"""The local server's /models and /endpoints: shapes (validated), prices, overrides, listings."""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

SPEC_PATH = Path(__file__).parent / "data" / "openapi-related.json"
SAMPLES = Path(__file__).resolve().parent.parent / "inspector" / "testserver" / "data"
DAY = calendar.timegm((2026, 11, 25, 10, 0, 0))  # 10:00 UTC: DeepSeek's day price
NIGHT = calendar.timegm((2026, 11, 25, 23, 40, 0))  # 23:40 UTC: its night window
AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SPEC_PATH.read_text())
    return loaded


def ok_schema(spec: dict[str, Any], path: str) -> Draft202012Validator:
    """A validator for the 200 body of ``GET path`` with every $ref resolvable."""
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return Draft202012Validator({**schema["schema"], "components": spec["components"]})


def component(spec: dict[str, Any], name: str) -> Draft202012Validator:
    ref = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return Draft202012Validator(ref)


def problems(validator: Draft202012Validator, body: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


@pytest.fixture
def clocked(
    make_fake_server: Callable[..., FakeOpenRouter],
) -> Iterator[Callable[[float], httpx.Client]]:
    """A client of a server whose clock is fixed at the given unix time (closed afterwards)."""
    clients: list[httpx.Client] = []

    def make(unix: float) -> httpx.Client:
        server = make_fake_server(clock=lambda: unix)
        client = httpx.Client(base_url=server.base_url, headers=AUTH, timeout=10)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(fake_server: FakeOpenRouter) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake_server.base_url, headers=AUTH, timeout=10) as c:
        yield c


def endpoints_of(client: httpx.Client, model_id: str) -> dict[str, Any]:
    answer = client.get(f"/models/{model_id}/endpoints")
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


# -- shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize("unix", [DAY, NIGHT], ids=["day", "night"])
@pytest.mark.parametrize("keyed", [True, False], ids=["key", "no-key"])
def test_every_models_and_endpoints_body_validates(
    clocked: Callable[[float], httpx.Client], spec: dict[str, Any], unix: float, keyed: bool
) -> None:
    client = clocked(unix)
    if not keyed:
        del client.headers["Authorization"]
    models = client.get("/models", params={"output_modalities": "all"})
    assert models.status_code == 200
    assert problems(ok_schema(spec, "/models"), models.json()) == []
    page = client.get("/models", params={"limit": 3, "offset": 2})
    assert problems(ok_schema(spec, "/models"), page.json()) == []
    endpoints = ok_schema(spec, "/models/{author}/{slug}/endpoints")
    listed = [entry["id"] for entry in models.json()["data"]]
    assert set(listed) == set(catalog.listings())
    for model_id in listed:
        body = client.get(f"/models/{model_id}/endpoints").json()
        assert problems(endpoints, body) == [], model_id
    gone = client.get(f"/models/{catalog.DELISTED_MODEL}/endpoints")
    assert gone.status_code == 404
    assert problems(component(spec, "NotFoundResponse"), gone.json()) == []


def test_shared_samples_are_served_exactly(clocked: Callable[[float], httpx.Client]) -> None:
    client = clocked(DAY)
    for model_id, name in catalog.LISTING_SAMPLES.items():
        sample = json.loads((SAMPLES / name).read_text())
        assert client.get(f"/models/{model_id}/endpoints").json() == sample


def test_without_a_key_stats_are_null_and_a_bad_key_is_refused(
    fake_server: FakeOpenRouter,
) -> None:
    url = f"{fake_server.base_url}/models/{catalog.KIMI_MODEL}/endpoints"
    public = httpx.get(url).json()["data"]["endpoints"]
    assert all(e["latency_last_30m"] is None and e["throughput_last_30m"] is None for e in public)
    keyed = httpx.get(url, headers=AUTH).json()["data"]["endpoints"]
    assert all(e["latency_last_30m"]["p50"] > 0 for e in keyed)
    assert all(e["throughput_last_30m"]["p90"] > 0 for e in keyed)
    bad = httpx.get(url, headers={"Authorization": "Bearer sk-or-v1-wrong"})
    assert (bad.status_code, bad.json()["error"]["message"]) == (401, "User not found.")
    assert httpx.get(f"{fake_server.base_url}/models").status_code == 200


def test_pagination_and_modality_filter(client: httpx.Client) -> None:
    every = client.get("/models", params={"output_modalities": "all"}).json()
    assert every["links"]["next"] is None and every["total_count"] == len(every["data"])
    first = client.get("/models", params={"limit": 3}).json()
    assert len(first["data"]) == 3
    assert first["links"]["next"] == "/api/v1/models?offset=3&limit=3"
    text = [m["id"] for m in client.get("/models").json()["data"]]
    image = [
        m["id"] for m in client.get("/models", params={"output_modalities": "image"}).json()["data"]
    ]
    assert image == [catalog.IMAGE_MODEL] and catalog.IMAGE_MODEL in text  # image+text
    assert client.get("/models", params={"limit": 0}).status_code == 400
    assert client.get("/models", params={"offset": "x"}).status_code == 400


# -- what the listings hold ---------------------------------------------------------------


def test_every_record_model_is_listed_except_the_delisted_one(
    fake_server: FakeOpenRouter, client: httpx.Client
) -> None:
    by_slug = {m["canonical_slug"]: m["id"] for m in client.get("/models").json()["data"]}
    models = {(fake_server.record(i) or {}).get("model") for i in fake_server.ids()}
    assert catalog.DELISTED_MODEL in models
    assert models - {catalog.DELISTED_MODEL} <= set(by_slug)
    assert catalog.DELISTED_MODEL not in by_slug
    for model_id in set(by_slug.values()):
        for endpoint in endpoints_of(client, model_id)["endpoints"]:
            assert endpoint["model_id"] in by_slug  # every endpoint names the permaslug


def test_models_shows_the_top_providers_price_only(client: httpx.Client) -> None:
    for entry in client.get("/models", params={"output_modalities": "all"}).json()["data"]:
        top = endpoints_of(client, entry["id"])["endpoints"][0]
        assert entry["pricing"] == top["pricing"], entry["id"]
        assert entry["canonical_slug"] == top["model_id"]
        assert entry["links"]["details"] == f"/api/v1/models/{entry['id']}/endpoints"
    chat = endpoints_of(client, catalog.CHAT_MODEL)["endpoints"]
    serving = next(e for e in chat if e["provider_name"] == "OpenAI")
    assert chat[0]["provider_name"] == "Azure"
    assert serving["pricing"]["prompt"] != chat[0]["pricing"]["prompt"]


def test_several_providers_prices_tags_discount_and_overrides(client: httpx.Client) -> None:
    for model_id in catalog.listings():
        endpoints = endpoints_of(client, model_id)["endpoints"]
        if model_id != catalog.AURORA_MODEL:
            assert len({e["pricing"]["prompt"] for e in endpoints}) >= 2, model_id
    kimi = endpoints_of(client, catalog.KIMI_MODEL)["endpoints"]
    assert [e["tag"] for e in kimi if e["provider_name"] == "Moonshot AI"] == [
        "moonshotai",
        "moonshotai/turbo",
    ]
    sonnet = endpoints_of(client, catalog.SONNET_MODEL)["endpoints"]
    assert [e["tag"] for e in sonnet if e["provider_name"] == "Google"] == [
        "google-vertex",
        "google-vertex/us-east5",
    ]
    tier = sonnet[0]["pricing"]["overrides"]
    assert tier[0]["min_prompt_tokens"] == 200_000 and tier[0]["prompt"] == "0.000006"
    deepseek = {
        e["provider_name"]: e for e in endpoints_of(client, catalog.DEEPSEEK_MODEL)["endpoints"]
    }
    windows = deepseek["DeepSeek"]["pricing"]["overrides"]
    assert [(w["utc_start"], w["utc_end"]) for w in windows] == [(30, 1630), (1630, 30)]
    assert deepseek["SiliconFlow"]["pricing"]["discount"] == 0.1


@pytest.mark.parametrize(("unix", "prompt"), [(DAY, "0.00000028"), (NIGHT, "0.00000014")])
def test_top_level_prices_show_the_window_current_when_fetched(
    clocked: Callable[[float], httpx.Client], unix: float, prompt: str
) -> None:
    client = clocked(unix)
    deepseek = endpoints_of(client, catalog.DEEPSEEK_MODEL)["endpoints"]
    served = next(e for e in deepseek if e["provider_name"] == "DeepSeek")
    assert served["pricing"]["prompt"] == prompt
    assert len(served["pricing"]["overrides"]) == 2  # the windows themselves unchanged
    sonnet = endpoints_of(client, catalog.SONNET_MODEL)["endpoints"][0]
    assert sonnet["pricing"]["prompt"] == "0.000003"  # a token tier never shows at top level


def test_the_url_takes_the_models_id_not_the_permaslug(client: httpx.Client) -> None:
    answer = client.get("/models/openai/gpt-4.1-mini-2025-04-14/endpoints")
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": 404, "message": catalog.MODEL_NOT_FOUND}}
    assert client.get("/models/openai/endpoints").status_code == 404
    assert (
        client.get("/models/openai/gpt-4.1-mini/endpoints/x")
        .headers["content-type"]
        .startswith("text/html")
    )


def test_prices_can_change_and_models_can_go(
    fake_server: FakeOpenRouter, client: httpx.Client
) -> None:
    listing = fake_server.model(catalog.CHAT_MODEL)
    assert listing is not None
    listing["endpoints"][1]["pricing"]["prompt"] = "0.0000005"
    fake_server.add_model(listing)
    assert endpoints_of(client, catalog.CHAT_MODEL)["endpoints"][1]["pricing"]["prompt"] == (
        "0.0000005"
    )
    assert fake_server.remove_model(catalog.CHAT_MODEL)
    assert client.get(f"/models/{catalog.CHAT_MODEL}/endpoints").status_code == 404
    assert catalog.CHAT_MODEL not in [m["id"] for m in client.get("/models").json()["data"]]
    assert fake_server.model_ids() and not fake_server.remove_model(catalog.CHAT_MODEL)

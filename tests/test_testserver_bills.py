"""The bill records reconcile with the served /endpoints prices, as catalog.BILLS says.

The reconciliation here is the test's own oracle of API.md's formula (the application has
its own implementation, tested elsewhere): it checks that records, listings and the
documented constants agree over real HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from inspector.testserver import TEST_KEY, FakeOpenRouter, catalog

CONDITIONS = ("min_prompt_tokens", "utc_start", "utc_end")
PRICED = [bill for bill in catalog.BILLS.values() if bill.list_price is not None]


@pytest.fixture
def client(fake_server: FakeOpenRouter) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TEST_KEY}"}
    with httpx.Client(base_url=fake_server.base_url, headers=headers, timeout=10) as c:
        yield c


def record_of(client: httpx.Client, gen_id: str) -> dict[str, Any]:
    answer = client.get("/generation", params={"id": gen_id})
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()["data"]
    return data


def unix_of(created_at: str) -> float:
    return datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp()


def applicable(pricing: dict[str, Any], unix: float, prompt_tokens: int) -> dict[str, Any]:
    """API.md: every override whose conditions hold, later entries winning per key."""
    moment = time.gmtime(unix)
    clock = moment.tm_hour * 100 + moment.tm_min
    prices = {k: v for k, v in pricing.items() if k != "overrides"}
    for override in pricing.get("overrides") or ():
        holds = True
        if "min_prompt_tokens" in override:
            holds = holds and prompt_tokens > override["min_prompt_tokens"]
        if "utc_start" in override:
            start, end = override["utc_start"], override["utc_end"]
            inside = start <= clock < end if start <= end else clock >= start or clock < end
            holds = holds and inside
        if holds:
            prices.update({k: v for k, v in override.items() if k not in CONDITIONS})
    return prices


def list_price(record: dict[str, Any], prices: dict[str, Any]) -> Decimal:
    """``P·p.prompt + O·p.completion + p.request + num_media_prompt·p.image``."""

    def price(key: str) -> Decimal:
        return Decimal(prices.get(key) or "0")

    prompt = Decimal(record["native_tokens_prompt"])
    completion = Decimal(record["native_tokens_completion"])
    media = Decimal(record.get("num_media_prompt") or 0)
    return (
        prompt * price("prompt")
        + completion * price("completion")
        + price("request")
        + media * price("image")
    )


def serving_endpoint(client: httpx.Client, model: str, provider: str, tag: str) -> dict[str, Any]:
    endpoints = client.get(f"/models/{model}/endpoints").json()["data"]["endpoints"]
    matches = [e for e in endpoints if e["provider_name"] == provider and e["tag"] == tag]
    assert len(matches) == 1, (model, provider, tag)
    found: dict[str, Any] = matches[0]
    return found


@pytest.mark.parametrize("bill", PRICED, ids=lambda bill: f"{bill.case}-{bill.gen_id[-6:]}")
def test_list_price_and_bill_agree_with_the_served_prices(
    client: httpx.Client, bill: catalog.ExpectedBill
) -> None:
    assert bill.model is not None and bill.tag is not None
    record = record_of(client, bill.gen_id)
    assert record["provider_name"] == bill.provider
    canonical = {m["id"]: m["canonical_slug"] for m in client.get("/models").json()["data"]}
    assert canonical[bill.model] == record["model"]
    endpoint = serving_endpoint(client, bill.model, bill.provider, bill.tag)
    created = unix_of(record["created_at"])
    prices = applicable(endpoint["pricing"], created, record["native_tokens_prompt"])
    assert list_price(record, prices) == bill.list_price
    assert Decimal(str(record["total_cost"])) == bill.billed
    assert Decimal(str(prices.get("discount", 0))) == bill.discount
    assert Decimal(str(record["cache_discount"] or 0)) == bill.cache_discount
    assert Decimal(str(record["upstream_inference_cost"] or 0)) == bill.upstream


EXPLAINED = ("matches", "cache_read", "override_tier", "override_time", "discount")


@pytest.mark.parametrize(
    "bill", [b for b in PRICED if b.case in EXPLAINED], ids=lambda bill: bill.case
)
def test_explained_bills_leave_no_residual(bill: catalog.ExpectedBill) -> None:
    assert bill.residual == 0


def test_the_cases_that_differ_from_list_price(client: httpx.Client) -> None:
    bills = catalog.BILLS
    byok = bills[catalog.BYOK_FEE_ID]
    assert byok.billed == catalog.BYOK_FEE_LIST_PRICE * Decimal("0.05") == Decimal("0.00015")
    assert byok.true_spend == Decimal("0.00315") and byok.upstream == byok.list_price
    assert record_of(client, catalog.BYOK_FEE_ID)["is_byok"] is True
    insured = record_of(client, catalog.INSURED_ID)
    assert (insured["finish_reason"], insured["native_tokens_completion"]) == ("error", 0)
    assert bills[catalog.INSURED_ID].billed == 0 < (bills[catalog.INSURED_ID].list_price or 0)
    batch = bills[catalog.BATCH_ID]
    assert batch.gen_id.startswith("gen-batch-") and batch.billed * 2 == batch.list_price
    unexplained = bills[catalog.UNEXPLAINED_ID]
    assert unexplained.residual == Decimal("0.001585")
    assert unexplained.expected is not None
    assert unexplained.residual / unexplained.expected == Decimal("0.25")
    hit = record_of(client, catalog.CACHE_HIT_ID)
    assert hit["response_cache_source_id"] == catalog.CHAT_ID and hit["total_cost"] == 0
    priority = record_of(client, catalog.PRIORITY_TIER_ID)
    assert priority["service_tier"] == "priority"
    assert priority["provider_responses"][0]["routed_service_tier"] == "priority"
    assert bills[catalog.PRIORITY_TIER_ID].tag == "openai/priority"
    assert catalog.MATCHES_LIST_ID == catalog.CHAT_ID
    assert catalog.CACHE_READ_ID == catalog.REASONING_CACHED_ID


def test_tag_and_tier_candidates_have_other_prices(client: httpx.Client) -> None:
    turbo = record_of(client, catalog.TURBO_TAG_ID)
    other = serving_endpoint(client, catalog.KIMI_MODEL, "Moonshot AI", "moonshotai")
    assert list_price(turbo, other["pricing"]) == catalog.TURBO_TAG_OTHER_LIST_PRICE
    priority = record_of(client, catalog.PRIORITY_TIER_ID)
    default = serving_endpoint(client, catalog.GPT5_MINI_MODEL, "OpenAI", "openai")
    assert list_price(priority, default["pricing"]) == catalog.PRIORITY_TIER_DEFAULT_LIST_PRICE
    night = record_of(client, catalog.OFF_PEAK_ID)
    deepseek = serving_endpoint(client, catalog.DEEPSEEK_MODEL, "DeepSeek", "deepseek")
    day = applicable(deepseek["pricing"], unix_of(night["created_at"]) - 12 * 3600, 0)
    assert list_price(night, day) == catalog.OFF_PEAK_DAY_LIST_PRICE


def test_cache_writes_are_inferred_from_the_net_discount(client: httpx.Client) -> None:
    record = record_of(client, catalog.CACHE_WRITE_ID)
    p = serving_endpoint(client, catalog.SONNET_MODEL, "Anthropic", "anthropic")["pricing"]
    read_saving = record["native_tokens_cached"] * (
        Decimal(p["prompt"]) - Decimal(p["input_cache_read"])
    )
    premium = Decimal(p["input_cache_write"]) - Decimal(p["prompt"])
    written = (read_saving - Decimal(str(record["cache_discount"]))) / premium
    assert written == 8000


def test_image_tokens_reconcile_at_the_image_output_price(client: httpx.Client) -> None:
    record = record_of(client, catalog.IMAGE_ID)
    p = serving_endpoint(client, catalog.IMAGE_MODEL, "Google AI Studio", "google-ai-studio")
    pricing = p["pricing"]
    images = Decimal(record["native_tokens_completion_images"])
    text = Decimal(record["native_tokens_prompt"]) * Decimal(pricing["prompt"])
    assert text + images * Decimal(pricing["image_output"]) == catalog.IMAGE_OUTPUT_PRICE
    assert Decimal(str(record["total_cost"])) == catalog.IMAGE_OUTPUT_PRICE


def test_unpriced_bills_have_no_listing_for_their_model_or_provider(
    client: httpx.Client,
) -> None:
    for bill in catalog.BILLS.values():
        if bill.list_price is not None:
            continue
        record = record_of(client, bill.gen_id)
        if bill.case == "model_unlisted":
            assert record["model"] == catalog.DELISTED_MODEL
            assert client.get(f"/models/{record['model']}/endpoints").status_code == 404
        else:
            assert bill.case == "provider_unlisted" and bill.model is not None
            endpoints = client.get(f"/models/{bill.model}/endpoints").json()["data"]["endpoints"]
            assert record["provider_name"] not in {e["provider_name"] for e in endpoints}
        assert bill.expected is None and bill.residual is None

"""The records of the bill cases (figures and cases in :mod:`.bills`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from inspector.testserver.catalog import ids
from inspector.testserver.catalog.basics import attempt, derive, id_time, iso, sample_record

__all__ = [
    "BILL_BUILDERS",
    "bill_record",
    "byok_fee_record",
    "cache_write_record",
    "insured_record",
    "priority_tier_record",
]


GPT41_MINI = "openai/gpt-4.1-mini-2025-04-14"
GPT5_MINI = "openai/gpt-5-mini-2025-08-07"
SONNET = "anthropic/claude-4.5-sonnet-20250929"
DEEPSEEK = "deepseek/deepseek-v3.2-20251201"
KIMI = "moonshotai/kimi-k2-0905"
MISTRAL = "mistralai/mistral-7b-instruct-v0.3"


def bill_record(
    gen_id: str,
    model: str,
    provider: str,
    *,
    prompt: int,
    completion: int,
    billed: Decimal | str,
    cached: int = 0,
    **changes: Any,
) -> dict[str, Any]:
    """A chat-like record for ``gen_id`` with these native token counts and ``total_cost``."""
    unix = id_time(gen_id)
    tail = gen_id.rsplit("-", 1)[-1]
    cost = float(Decimal(billed))
    upstream_id = f"up-{tail[:16]}"
    record = derive(
        sample_record(ids.CHAT_ID),
        id=gen_id,
        created_at=iso(unix + 0.318),
        model=model,
        provider_name=provider,
        tokens_prompt=prompt,
        tokens_completion=completion,
        native_tokens_prompt=prompt,
        native_tokens_completion=completion,
        native_tokens_cached=cached,
        total_cost=cost,
        usage=cost,
        request_id=f"req-{unix}-{tail[::-1][:20]}",
        upstream_id=upstream_id,
        provider_responses=[attempt(provider, model, id=upstream_id)],
    )
    record.update(derive({}, **changes))
    return record


def byok_fee_record() -> dict[str, Any]:
    """BYOK on pay-as-you-go: the provider billed 0.003 to the user's key, OpenRouter 5 %."""
    return bill_record(
        ids.BYOK_FEE_ID,
        GPT5_MINI,
        "OpenAI",
        prompt=4000,
        completion=1000,
        billed="0.00015",
        is_byok=True,
        upstream_inference_cost=0.003,
        provider_responses=[attempt("OpenAI", GPT5_MINI, is_byok=True, id="up-HPmT37GvoEbovAzF")],
    )


def insured_record() -> dict[str, Any]:
    """The provider failed with nothing generated: zero-completion insurance, billed 0."""
    return bill_record(
        ids.INSURED_ID,
        KIMI,
        "Chutes",
        prompt=1200,
        completion=0,
        billed="0",
        finish_reason="error",
        native_finish_reason="error",
        generation_time=0,
        provider_responses=[attempt("Chutes", KIMI, status=502, latency=30_112)],
    )


def _simple(
    gen_id: str, model: str, provider: str, prompt: int, completion: int, billed: str
) -> Callable[[], dict[str, Any]]:
    """A builder of a plain bill record (no field but the figures changed)."""
    return partial(
        bill_record, gen_id, model, provider, prompt=prompt, completion=completion, billed=billed
    )


def priority_tier_record() -> dict[str, Any]:
    """Served on OpenAI's priority tier, billed at the ``openai/priority`` endpoint's price."""
    return bill_record(
        ids.PRIORITY_TIER_ID,
        GPT5_MINI,
        "OpenAI",
        prompt=4000,
        completion=1000,
        billed="0.0054",
        service_tier="priority",
        provider_responses=[
            attempt("OpenAI", GPT5_MINI, routed_service_tier="priority", id="up-Anref2UgkmvEwDkE")
        ],
    )


def cache_write_record() -> dict[str, Any]:
    """20,000 prompt tokens read from the cache and 8,000 written: a net positive discount."""
    return bill_record(
        ids.CACHE_WRITE_ID,
        SONNET,
        "Anthropic",
        prompt=30_000,
        completion=500,
        cached=20_000,
        billed="0.0495",
        cache_discount=0.048,
    )


# The bill records by id (all eager and small).
BILL_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    ids.BYOK_FEE_ID: byok_fee_record,
    ids.INSURED_ID: insured_record,
    ids.UNEXPLAINED_ID: _simple(
        ids.UNEXPLAINED_ID, DEEPSEEK, "DeepInfra", 20_000, 3000, "0.007925"
    ),
    ids.BATCH_ID: _simple(ids.BATCH_ID, GPT41_MINI, "OpenAI", 10_000, 2000, "0.0036"),
    ids.LONG_CONTEXT_ID: _simple(ids.LONG_CONTEXT_ID, SONNET, "Anthropic", 250_000, 1000, "1.5225"),
    ids.DISCOUNTED_ID: _simple(
        ids.DISCOUNTED_ID, DEEPSEEK, "SiliconFlow", 10_000, 1000, "0.002808"
    ),
    ids.TURBO_TAG_ID: _simple(ids.TURBO_TAG_ID, KIMI, "Moonshot AI", 5000, 1000, "0.022"),
    ids.PRIORITY_TIER_ID: priority_tier_record,
    ids.CACHE_WRITE_ID: cache_write_record,
    ids.DELISTED_ID: _simple(ids.DELISTED_ID, MISTRAL, "Together", 500, 300, "0.0000224"),
    ids.OFF_PEAK_ID: _simple(ids.OFF_PEAK_ID, DEEPSEEK, "DeepSeek", 10_000, 2000, "0.00182"),
}

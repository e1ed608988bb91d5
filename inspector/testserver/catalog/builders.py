"""Builders of the seeded records that are not shared samples (see the catalog docstring)."""

from __future__ import annotations

from typing import Any

from inspector.testserver.catalog.basics import derive, id_time, iso, sample_record
from inspector.testserver.catalog.ids import (
    BYOK_ID,
    CACHE_HIT_ID,
    CHAT_ID,
    FALLBACK_ID,
    FUTURE_FIELDS_ID,
    HOSTILE_TEXT_ID,
    HUGE_FALLBACK_COUNT,
    HUGE_FALLBACK_ID,
    IMAGE_ID,
    NEGATIVE_DISCOUNT_ID,
    OLD_RECORD_ID,
    REASONING_CACHED_ID,
)
from inspector.testserver.catalog.odd_records import (
    future_fields_record,
    hostile_text_record,
    old_record,
)

__all__ = [
    "BUILDERS",
    "byok_record",
    "cache_hit_record",
    "huge_fallback_record",
    "image_record",
    "negative_discount_record",
]


def image_record() -> dict[str, Any]:
    """An image generation: ``gen-img-…``, one image out, ``finish_reason`` ``complete``."""
    unix = id_time(IMAGE_ID)
    return derive(
        sample_record(CHAT_ID),
        id=IMAGE_ID,
        created_at=iso(unix + 0.127),
        model="google/gemini-2.5-flash-image-20251002",
        api_type="image",
        provider_name="Google AI Studio",
        finish_reason="complete",
        native_finish_reason="STOP",
        streamed=False,
        latency=6120,
        generation_time=6098,
        tokens_prompt=38,
        tokens_completion=1290,
        native_tokens_prompt=41,
        native_tokens_completion=1290,
        native_tokens_completion_images=1290,
        native_tokens_reasoning=0,
        num_media_completion=1,
        total_cost=0.0387123,
        usage=0.0387123,
        upstream_id="img-PK3p1yfFcTXm",
        request_id=f"req-{unix}-xua5WQdIPK3p1yfFcTXm",
        provider_responses=[
            {
                "endpoint_id": "5b0e2d8a-61c4-4f93-b7a2-0d9e3c1f8a46",
                "id": "img-PK3p1yfFcTXm",
                "is_byok": False,
                "latency": 6120,
                "model_permaslug": "google/gemini-2.5-flash-image-20251002",
                "provider_name": "Google AI Studio",
                "status": 200,
            }
        ],
    )


def byok_record() -> dict[str, Any]:
    """Bring your own key: the provider billed the user's key, OpenRouter charged a fee."""
    unix = id_time(BYOK_ID)
    return derive(
        sample_record(CHAT_ID),
        id=BYOK_ID,
        created_at=iso(unix + 0.913),
        model="openai/gpt-5-mini-2025-08-07",
        is_byok=True,
        tokens_prompt=2048,
        tokens_completion=512,
        native_tokens_prompt=2048,
        native_tokens_completion=512,
        latency=812,
        generation_time=4207,
        total_cost=0.0002048,
        usage=0.0002048,
        upstream_inference_cost=0.001536,
        request_id=f"req-{unix}-QToE5jXYuEWdc7O526wz",
        upstream_id="chatcmpl-CT1aWdc7O526wzQToE5jXYuE",
        provider_responses=[
            {
                "endpoint_id": "9b1f3c2e-7d4a-4e61-8f0b-2a6c5d1e9f37",
                "id": "chatcmpl-CT1aWdc7O526wzQToE5jXYuE",
                "is_byok": True,
                "latency": 812,
                "model_permaslug": "openai/gpt-5-mini-2025-08-07",
                "provider_name": "OpenAI",
                "status": 200,
            }
        ],
    )


def cache_hit_record() -> dict[str, Any]:
    """Served from the response cache: no provider called, nothing charged."""
    unix = id_time(CACHE_HIT_ID)
    return derive(
        sample_record(CHAT_ID),
        id=CACHE_HIT_ID,
        created_at=iso(unix + 0.066),
        response_cache_source_id=CHAT_ID,
        latency=14,
        generation_time=0,
        total_cost=0,
        usage=0,
        upstream_inference_cost=None,
        provider_responses=[],
        request_id=f"req-{unix}-kZUXJPNJgH3jGLVtCQLo",
    )


_HUGE_FAILURES = (429, 502, 503, 500, 408, None)
_HUGE_PROVIDERS = ("Chutes", "Together", "DeepInfra", "Novita", "Parasail", "Fireworks")


def huge_fallback_record() -> dict[str, Any]:
    """20,000 provider attempts: 19,999 failures, the last one served (built on demand)."""
    unix = id_time(HUGE_FALLBACK_ID)
    attempts: list[dict[str, Any]] = []
    for i in range(HUGE_FALLBACK_COUNT - 1):
        attempts.append(
            {
                "endpoint_id": f"00000000-0000-4000-8000-{i:012d}",
                "is_byok": False,
                "latency": 50 + (i * 37) % 900,
                "model_permaslug": "moonshotai/kimi-k2-0905",
                "provider_name": _HUGE_PROVIDERS[i % len(_HUGE_PROVIDERS)],
                "status": _HUGE_FAILURES[i % len(_HUGE_FAILURES)],
            }
        )
    served = sample_record(FALLBACK_ID)["provider_responses"][-1]
    attempts.append(served)
    return derive(
        sample_record(FALLBACK_ID),
        id=HUGE_FALLBACK_ID,
        created_at=iso(unix + 0.42),
        request_id=f"req-{unix}-ARmr45OOmmNdjzvxm865",
        latency=912_000,
        provider_responses=attempts,
    )


def negative_discount_record() -> dict[str, Any]:
    """A prompt-cache write: Anthropic charges extra, so ``cache_discount`` is negative."""
    unix = id_time(NEGATIVE_DISCOUNT_ID)
    return derive(
        sample_record(REASONING_CACHED_ID),
        id=NEGATIVE_DISCOUNT_ID,
        created_at=iso(unix + 0.731),
        model="anthropic/claude-4.5-sonnet-20250929",
        provider_name="Anthropic",
        tokens_prompt=24310,
        tokens_completion=388,
        native_tokens_prompt=26102,
        native_tokens_completion=402,
        native_tokens_reasoning=0,
        native_tokens_cached=0,
        total_cost=0.1038125,
        usage=0.1038125,
        cache_discount=-0.0195765,
        latency=2210,
        generation_time=7842,
        request_id=f"req-{unix}-op61KiYUCzbGHYndjnLc",
        provider_responses=[
            {
                "endpoint_id": "f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "id": "msg_01CLjndnYHGbzCUYiK16po",
                "is_byok": False,
                "latency": 2210,
                "model_permaslug": "anthropic/claude-4.5-sonnet-20250929",
                "provider_name": "Anthropic",
                "status": 200,
            }
        ],
    )


# The eager records above, by id (the huge one is built lazily: see catalog.wiring).
BUILDERS = {
    IMAGE_ID: image_record,
    BYOK_ID: byok_record,
    CACHE_HIT_ID: cache_hit_record,
    OLD_RECORD_ID: old_record,
    FUTURE_FIELDS_ID: future_fields_record,
    HOSTILE_TEXT_ID: hostile_text_record,
    NEGATIVE_DISCOUNT_ID: negative_discount_record,
}

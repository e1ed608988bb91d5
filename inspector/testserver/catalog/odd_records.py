"""Records of unusual shape: an old 32-field record, one from a newer API, hostile text."""

from __future__ import annotations

from typing import Any

from inspector.testserver.catalog.basics import derive, id_time, iso, sample_record
from inspector.testserver.catalog.ids import (
    CHAT_ID,
    FUTURE_FIELDS_ID,
    HOSTILE_TEXT_ID,
    OLD_RECORD_ID,
)

__all__ = [
    "FUTURE_API_TYPE",
    "FUTURE_EXTRA_KEYS",
    "FUTURE_PROVIDER",
    "HOSTILE_STRINGS",
    "NEWER_FIELDS",
    "future_fields_record",
    "hostile_text_record",
    "old_record",
]
# Keys a record had before the schema grew from 32 to 45 fields (OLD_RECORD_ID omits them).
NEWER_FIELDS = (
    "request_id",
    "session_id",
    "response_cache_source_id",
    "router",
    "service_tier",
    "data_region",
    "workspace_id",
    "preset_id",
    "api_type",
    "web_search_engine",
    "num_fetches",
    "native_tokens_completion_images",
    "num_input_audio_prompt",
)

# Unknown to the published schema, present in FUTURE_FIELDS_ID.
FUTURE_PROVIDER = "Aurora Compute"
FUTURE_API_TYPE = "responses"
FUTURE_EXTRA_KEYS = ("native_tokens_audio", "carbon_grams", "routing_strategy", "moderation")

HOSTILE_STRINGS = {
    "external_user": "[@click=app.quit]x[/]",
    "user_agent": "[bold]boom[/bold] \x1b[31mred\x1b[0m",
    "origin": "\x1b]0;pwned\x07https://evil.example/",
    "http_referer": "https://evil.example/[link=https://evil.example]x[/link]\x9b2J\x07",
    "session_id": "line one\nline two\r\x08\x08[/]",
}


def old_record() -> dict[str, Any]:
    """An early-2025 record: only the 32 older fields, the ``+00:00`` timestamp form."""
    unix = id_time(OLD_RECORD_ID)
    record = derive(
        sample_record(CHAT_ID),
        id=OLD_RECORD_ID,
        created_at=iso(unix + 0.249238, style="+00:00"),
        model="mistralai/mistral-7b-instruct-v0.3",
        app_id=None,
        provider_name="Together",
        latency=402,
        generation_time=1630,
        tokens_prompt=311,
        tokens_completion=207,
        native_tokens_prompt=344,
        native_tokens_completion=221,
        native_tokens_reasoning=None,
        native_tokens_cached=None,
        num_media_completion=None,
        total_cost=0.0000293,
        usage=0.0000293,
        upstream_inference_cost=None,
        upstream_id="8f2a9c41d7e3b605",
        origin="",
        user_agent="python-requests/2.32.3",
        http_referer=None,
        provider_responses=None,
    )
    for key in NEWER_FIELDS:
        record.pop(key, None)
    return record


def future_fields_record() -> dict[str, Any]:
    """A record from a newer API: unknown keys and values, ``total_cost`` as a string."""
    unix = id_time(FUTURE_FIELDS_ID)
    record = derive(
        sample_record(CHAT_ID),
        id=FUTURE_FIELDS_ID,
        created_at=iso(unix + 0.5, style="+00:00"),
        model="aurora/aurora-1-mini-20261101",
        api_type=FUTURE_API_TYPE,
        provider_name=FUTURE_PROVIDER,
        data_region="europe",
        total_cost="1.8e-05",
        usage=1.8e-05,
        upstream_inference_cost=1.2e-05,
        tokens_prompt=96,
        tokens_completion=48,
        native_tokens_prompt=96,
        native_tokens_completion=48,
        request_id=f"req-{unix}-7S5dMPWZby5nne8UgeXX",
        provider_responses=[
            {
                "endpoint_id": "0c9d7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
                "is_byok": False,
                "latency": 377,
                "model_permaslug": "aurora/aurora-1-mini-20261101",
                "provider_name": FUTURE_PROVIDER,
                "routed_service_tier": "flex",
                "region": "eu-north-1",
                "status": 200,
            }
        ],
        native_tokens_audio=0,
        carbon_grams=0.0031,
        routing_strategy={"mode": "price", "fallbacks_allowed": 2},
        moderation=None,
    )
    return record


def hostile_text_record() -> dict[str, Any]:
    """User-controlled strings full of markup and terminal escape sequences."""
    unix = id_time(HOSTILE_TEXT_ID)
    return derive(
        sample_record(CHAT_ID),
        id=HOSTILE_TEXT_ID,
        created_at=iso(unix + 0.001),
        request_id=f"req-{unix}-LfgOZZqyY4G42LF2xzQw",
        **HOSTILE_STRINGS,
    )

"""The permissive generation model and its derived values, on the real sample bodies."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from inspector.core.models import Generation, TokenCount, parse_error_body, parse_timestamp

DATA = Path(__file__).resolve().parent.parent / "inspector" / "testserver" / "data"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())["data"]
    return data


def test_all_documented_fields_are_modelled() -> None:
    schema = json.loads((Path(__file__).parent / "data" / "openapi-generation.json").read_text())
    documented = set(
        schema["components"]["schemas"]["GenerationResponse"]["properties"]["data"]["properties"]
    )
    assert len(documented) == 45
    assert documented == set(Generation.FIELDS)


def test_reasoning_cached_sample_derived_values() -> None:
    g = Generation.from_api(sample("generation-streamed-reasoning-cached"))
    assert g.prompt_cached == 16384
    assert g.prompt_uncached == 18432 - 16384
    assert g.completion_reasoning == 745
    assert g.completion_visible == 1210 - 745
    # The chosen completion count (native, billed) over the generation time: the same count
    # every front-end shows (issue 9: it used to take the normalized one here).
    assert g.completion_tokens == TokenCount(1210, "native", "native_tokens_completion")
    assert g.throughput == pytest.approx(1210 / 14.21)
    assert g.cost_per_million_tokens == pytest.approx(0.0097364 / (18432 + 1210) * 1e6)
    assert g.cache_hit_ratio == pytest.approx(16384 / 18432)
    assert g.fallback_count == 0
    assert g.served_by is not None and g.served_by.provider_name == "Amazon Bedrock"
    assert g.total_time_ms == 1874 + 14210
    assert g.other_fields == {}


def test_fallback_count_counts_failed_attempts_before_the_one_that_served() -> None:
    g = Generation.from_api(sample("generation-fallback"))
    assert [p.status for p in g.provider_responses] == [429, 502, 200]
    assert g.fallback_count == 2
    assert g.served_by is not None and g.served_by.provider_name == "Fireworks"


def test_cancelled_record_has_no_server_and_no_throughput() -> None:
    g = Generation.from_api(sample("generation-cancelled"))
    assert g.cancelled is True
    assert g.served_by is None
    assert g.fallback_count == 1  # the one attempt never served
    assert g.throughput is None
    assert g.prompt_uncached is None
    # Only normalized counts: they stand for the prompt, said so, and the price per million
    # is reckoned on them (nothing was charged).
    assert g.prompt_tokens == TokenCount(2231, "normalized", "tokens_prompt")
    assert g.completion_tokens == TokenCount(None, "none", None)
    assert g.cost_per_million_tokens == 0.0


def test_age_from_created_at() -> None:
    g = Generation.from_api(sample("generation-chat"))
    later = datetime(2026, 10, 20, 14, 3, 21, 482000, tzinfo=UTC)
    assert g.age_seconds(later) == pytest.approx(10.0)


def test_permissive_parsing_keeps_unknown_and_coerces_strings() -> None:
    raw = {
        "id": "gen-1",
        "total_cost": "1.5e-3",
        "tokens_prompt": "12",
        "cache_discount": -0.25,
        "finish_reason": "brand_new_reason",
        "provider_name": "A Provider Nobody Listed",
        "brand_new_field": {"nested": [1, 2]},
        "provider_responses": [{"status": "200", "provider_name": "X", "new_key": True}, "junk"],
        "streamed": "true",
    }
    g = Generation.from_api(raw)
    assert g.total_cost == pytest.approx(0.0015)
    assert g.tokens_prompt == 12
    assert g.cache_discount == -0.25
    assert g.finish_reason == "brand_new_reason"
    assert g.other_fields == {"brand_new_field": {"nested": [1, 2]}}
    assert g.provider_responses[0].status == 200
    assert g.provider_responses[0].other_fields == {"new_key": True}
    assert len(g.provider_responses) == 1
    assert g.streamed is True
    # Missing keys are None, not errors.
    assert g.session_id is None and g.created_at is None and g.age_seconds() is None


def test_junk_values_become_missing_instead_of_failing() -> None:
    g = Generation.from_api({"total_cost": "n/a", "latency": [], "provider_responses": 3})
    assert g.total_cost is None
    assert g.latency is None
    assert g.provider_responses == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-25T21:58:42.249238+00:00", datetime(2025, 1, 25, 21, 58, 42, 249238, UTC)),
        ("2026-10-02T23:28:05.87Z", datetime(2026, 10, 2, 23, 28, 5, 870000, UTC)),
        ("2026-10-02T23:28:05Z", datetime(2026, 10, 2, 23, 28, 5, tzinfo=UTC)),
        ("2026-10-02T23:28:05.123456789Z", datetime(2026, 10, 2, 23, 28, 5, 123456, UTC)),
        (
            "2026-10-02T23:28:05.5+02:00",
            datetime(2026, 10, 2, 21, 28, 5, 500000, UTC),
        ),
    ],
)
def test_both_timestamp_forms(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None


def test_bad_timestamp_is_none() -> None:
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(12) is None
    assert parse_timestamp(None) is None
    assert parse_timestamp(datetime(2026, 1, 1)) == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_timestamp(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=1)) is not None


def test_error_envelope_drops_user_id() -> None:
    body = (DATA / "error-402.json").read_bytes()
    info = parse_error_body(402, "application/json", body)
    assert info.message.startswith("Insufficient credits")
    assert info.code == 402
    assert "user_2wS3opoyh10074KWHFdTRcPkvos" not in repr(dataclasses.asdict(info))


def test_non_json_error_keeps_status_type_and_start_of_body() -> None:
    html = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title>" + b"x" * 5000
    info = parse_error_body(502, "text/html; charset=utf-8", html)
    assert not info.is_json
    assert info.status == 502
    assert info.content_type.startswith("text/html")
    assert info.body_start.startswith("<!DOCTYPE html>")
    assert len(info.body_start) == 2048


def test_zod_shape_is_read() -> None:
    body = b'{"success": false, "error": {"name": "ZodError", "message": "id: Required"}}'
    info = parse_error_body(400, "application/json", body)
    assert info.is_json
    assert "ZodError" in info.message and "id: Required" in info.message


def test_a_field_without_a_coercer_is_refused_when_the_model_is_defined() -> None:
    from inspector.core.models import ProviderResponse

    with pytest.raises(TypeError, match="no coercer for when"):

        class Odd(ProviderResponse):
            when: list[int] | None = None


def test_a_record_reads_back_as_the_object_it_came_from() -> None:
    raw = sample("generation-fallback")
    gen = Generation.from_api(raw)
    written = gen.to_api()
    assert Generation.from_api(written) == gen  # the round trip keeps every value
    assert written["created_at"].endswith("Z") and parse_timestamp(written["created_at"]) == (
        gen.created_at
    )
    assert written["provider_responses"][0]["provider_name"] == "Chutes"
    assert json.loads(json.dumps(written)) == written  # plain JSON

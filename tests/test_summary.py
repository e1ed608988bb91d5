"""markdown_summary: the figures people share, personal fields masked, Markdown-safe."""

from __future__ import annotations

from typing import Any

from inspector.app.summary import markdown_summary, mask
from inspector.core.models import Generation
from inspector.testserver import catalog


def summary_of(raw: dict[str, Any]) -> str:
    return markdown_summary(Generation.from_api(raw), raw)


def test_summary_has_the_key_figures_and_masks_personal_fields() -> None:
    raw = catalog.sample_record(catalog.REASONING_CACHED_ID)
    text = summary_of(raw)
    for phrase in [
        "`gen-1792505262-pZ3nW8cQ1vTj6LxR0sKe`",
        "`anthropic/claude-4.5-haiku-20251001`",
        "Amazon Bedrock (no fallback)",
        "2026-10-20 14:07:42 UTC",
        "stop (end\\_turn) · streamed",
        "$0.0097364 · cache discount −$0.0147456",
        "prompt 18,432 (16,384 cached)",
        "completion 1,210 (745 reasoning)",
        "latency 1.87 s · generation 14.21 s",
        "origin _masked_",
        "external user _masked_",
        "http referer _masked_",
        "session id _masked_",
    ]:
        assert phrase in text, phrase
    for secret in ("user-8841", "OpenRouter/TS-SDK", "agent-run-7f3a9c", "41", "9c"):
        assert secret not in text.split("| Attribution")[1], secret
    # The origin is often the referer's URL: masking one and not the other would tell it.
    assert "agent.example.com" not in text
    assert "••••" not in text  # a masked value says so, it leaves no fragment


def test_summary_of_a_fallback_chain_and_a_cache_write() -> None:
    text = summary_of(catalog.sample_record(catalog.FALLBACK_ID))
    assert "Fireworks (after 2 fallbacks: Chutes 429, Together 502)" in text
    negative = summary_of(catalog.records()[catalog.NEGATIVE_DISCOUNT_ID])
    assert "cache write +$0.0195765" in negative


def test_summary_lists_unknown_keys_and_survives_hostile_text() -> None:
    future = summary_of(catalog.records()[catalog.FUTURE_FIELDS_ID])
    for key in catalog.FUTURE_EXTRA_KEYS:
        assert f"`{key}`" in future
    hostile = summary_of(catalog.hostile_text_record())
    assert "\x1b" not in hostile and "\x07" not in hostile and "\x9b" not in hostile
    assert "[@click" not in hostile  # external_user is masked
    for line in hostile.splitlines():
        if line.startswith("| Attribution"):
            assert line.count(" | ") == 1  # no stray cell separators


def test_mask_keeps_nothing_of_the_value() -> None:
    for value in ("agent-run-7f3a9c", "abc", "line\x1b[31m", ""):
        assert mask(value) == "_masked_"

"""Model listings: what ``/models`` and ``/models/{author}/{slug}/endpoints`` answer.

One listing per model the seeded records use, except ``DELISTED_MODEL`` (no longer listed:
its ``/endpoints`` answers 404). A listing is the ``data`` of the ``/endpoints`` answer;
the first endpoint is the top provider, whose price ``/models`` shows. The DeepSeek and
Kimi listings are the shared samples, served exactly.

=====================  ====================================  ==================================
``/models`` id         ``canonical_slug`` (= record model)    endpoints (provider ``tag``)
=====================  ====================================  ==================================
``CHAT_MODEL``         openai/gpt-4.1-mini-2025-04-14          Azure (top, dearer), OpenAI
``GPT5_MINI_MODEL``    openai/gpt-5-mini-2025-08-07            OpenAI ``openai`` (top),
                                                               OpenAI ``openai/priority``, Azure
``HAIKU_MODEL``        anthropic/claude-4.5-haiku-20251001     Anthropic (top), Amazon Bedrock,
                                                               Google ``google-vertex`` (dearer)
``SONNET_MODEL``       anthropic/claude-4.5-sonnet-20250929    Anthropic (top) and Amazon
                                                               Bedrock with a ``min_prompt_tokens``
                                                               200,000 tier; Google
                                                               ``google-vertex`` and
                                                               ``google-vertex/us-east5``
``DEEPSEEK_MODEL``     deepseek/deepseek-v3.2-20251201         sample: DeepInfra (top), DeepSeek
                                                               (``utc_start``/``utc_end`` night
                                                               price), Novita, SiliconFlow
                                                               (``discount`` 0.1), Alibaba
``KIMI_MODEL``         moonshotai/kimi-k2-0905                 sample: Chutes (top), Fireworks,
                                                               Together, Groq, Moonshot AI
                                                               ``moonshotai`` and
                                                               ``moonshotai/turbo``
``IMAGE_MODEL``        google/gemini-2.5-flash-image-20251002  Google AI Studio (top), Google
``AURORA_MODEL``       aurora/aurora-1-mini-20261101           Nebius only: FUTURE_FIELDS_ID's
                                                               provider is not listed
=====================  ====================================  ==================================
"""

from __future__ import annotations

from typing import Any

from inspector.testserver.catalog.basics import sample
from inspector.testserver.catalog.ids import (
    AURORA_MODEL,
    CHAT_MODEL,
    DEEPSEEK_MODEL,
    GPT5_MINI_MODEL,
    HAIKU_MODEL,
    IMAGE_MODEL,
    KIMI_MODEL,
    SONNET_MODEL,
)
from inspector.testserver.catalog.listing_shapes import REASONING_PARAMS, endpoint, listing, prices

__all__ = ["LISTING_SAMPLES", "MODEL_FIELDS", "listings"]


LISTING_SAMPLES = {
    DEEPSEEK_MODEL: "models-endpoints-deepseek-deepseek-v3.2.json",
    KIMI_MODEL: "models-endpoints-moonshotai-kimi-k2-0905.json",
}
# /models fields that differ from the defaults (models_route.model_entry), by model.
MODEL_FIELDS: dict[str, dict[str, Any]] = {
    CHAT_MODEL: {"knowledge_cutoff": "2024-06-01"},
    SONNET_MODEL: {"knowledge_cutoff": "2025-07-31"},
    AURORA_MODEL: {"expiration_date": "2027-06-01"},
}


def _openai_listings() -> list[dict[str, Any]]:
    mini, mini_name = "openai/gpt-4.1-mini-2025-04-14", "OpenAI: GPT-4.1 Mini"
    five, five_name = "openai/gpt-5-mini-2025-08-07", "OpenAI: GPT-5 Mini"
    five_price = prices("0.00000025", "0.000002", input_cache_read="0.000000025")
    return [
        listing(
            CHAT_MODEL,
            mini_name,
            1744651385,
            "GPT-4.1 Mini: a mid-sized model with GPT-4o-level quality at lower latency.",
            "GPT",
            [
                endpoint(
                    "Azure",
                    "azure",
                    mini,
                    mini_name,
                    prices("0.00000044", "0.00000176", input_cache_read="0.00000011"),
                    context=1_047_576,
                    max_completion=32_768,
                    latency=(690, 910, 1320, 3050),
                    throughput=(88.1, 74.0, 59.6, 31.2),
                ),
                endpoint(
                    "OpenAI",
                    "openai",
                    mini,
                    mini_name,
                    prices("0.0000004", "0.0000016", input_cache_read="0.0000001"),
                    context=1_047_576,
                    max_completion=32_768,
                    latency=(412, 566, 840, 1980),
                    throughput=(97.3, 84.8, 66.1, 35.4),
                ),
            ],
            inputs=("text", "image", "file"),
        ),
        listing(
            GPT5_MINI_MODEL,
            five_name,
            1754587413,
            "GPT-5 Mini: a compact GPT-5 for lighter reasoning tasks.",
            "GPT",
            [
                endpoint("OpenAI", "openai", five, five_name, five_price, context=400_000),
                endpoint(
                    "OpenAI",
                    "openai/priority",
                    five,
                    five_name,
                    prices("0.00000045", "0.0000036", input_cache_read="0.000000045"),
                    context=400_000,
                    latency=(505, 690, 1010, 2240),
                    throughput=(141.0, 122.6, 97.9, 52.3),
                ),
                endpoint("Azure", "azure", five, five_name, five_price, context=400_000),
            ],
            inputs=("text", "image", "file"),
        ),
    ]


def _anthropic_listings() -> list[dict[str, Any]]:
    haiku, haiku_name = "anthropic/claude-4.5-haiku-20251001", "Anthropic: Claude Haiku 4.5"
    sonnet, sonnet_name = "anthropic/claude-4.5-sonnet-20250929", "Anthropic: Claude Sonnet 4.5"
    haiku_price = prices(
        "0.000001",
        "0.000005",
        input_cache_read="0.0000001",
        input_cache_write="0.00000125",
        input_cache_write_1h="0.000002",
    )
    long_tier = {
        "min_prompt_tokens": 200_000,
        "prompt": "0.000006",
        "completion": "0.0000225",
        "input_cache_read": "0.0000006",
        "input_cache_write": "0.0000075",
        "input_cache_write_1h": "0.000012",
    }
    sonnet_price = prices(
        "0.000003",
        "0.000015",
        input_cache_read="0.0000003",
        input_cache_write="0.00000375",
        input_cache_write_1h="0.000006",
        overrides=[long_tier],
    )
    regional = prices("0.0000033", "0.0000165", input_cache_read="0.00000033")
    sonnet_kw: dict[str, Any] = {"context": 1_000_000, "max_completion": 64_000}
    return [
        listing(
            HAIKU_MODEL,
            haiku_name,
            1760547638,
            "Claude Haiku 4.5: Anthropic's fastest model, near-frontier coding and agents.",
            "Claude",
            [
                endpoint("Anthropic", "anthropic", haiku, haiku_name, haiku_price, context=200_000),
                endpoint(
                    "Amazon Bedrock",
                    "amazon-bedrock",
                    haiku,
                    haiku_name,
                    haiku_price,
                    context=200_000,
                    params=REASONING_PARAMS,
                    latency=(930, 1240, 1870, 4410),
                ),
                endpoint(
                    "Google",
                    "google-vertex",
                    haiku,
                    haiku_name,
                    prices("0.0000011", "0.0000055", input_cache_read="0.00000011"),
                    context=200_000,
                ),
            ],
            inputs=("text", "image"),
        ),
        listing(
            SONNET_MODEL,
            sonnet_name,
            1759161676,
            "Claude Sonnet 4.5: Anthropic's most capable Sonnet, for agents and coding.",
            "Claude",
            [
                endpoint("Anthropic", "anthropic", sonnet, sonnet_name, sonnet_price, **sonnet_kw),
                endpoint("Amazon Bedrock", "amazon-bedrock", sonnet, sonnet_name, sonnet_price),
                endpoint("Google", "google-vertex", sonnet, sonnet_name, sonnet_price),
                endpoint("Google", "google-vertex/us-east5", sonnet, sonnet_name, regional),
            ],
            inputs=("text", "image", "file"),
        ),
    ]


def _other_listings() -> list[dict[str, Any]]:
    image, image_name = "google/gemini-2.5-flash-image-20251002", "Google: Gemini 2.5 Flash Image"
    image_price = prices("0.0000003", "0.0000025", image="0.001238", image_output="0.00003")
    aurora, aurora_name = "aurora/aurora-1-mini-20261101", "Aurora: Aurora 1 Mini"
    return [
        listing(
            IMAGE_MODEL,
            image_name,
            1759420800,
            "Gemini 2.5 Flash Image: image generation and editing with conversational prompts.",
            "Gemini",
            [
                endpoint("Google AI Studio", "google-ai-studio", image, image_name, image_price),
                endpoint(
                    "Google",
                    "google-vertex",
                    image,
                    image_name,
                    prices("0.00000033", "0.00000275", image="0.001362", image_output="0.000033"),
                ),
            ],
            inputs=("image", "text"),
            outputs=("image", "text"),
        ),
        listing(
            AURORA_MODEL,
            aurora_name,
            1793000000,
            "Aurora 1 Mini: a small multilingual model.",
            "Other",
            [endpoint("Nebius", "nebius", aurora, aurora_name, prices("0.0000001", "0.0000004"))],
        ),
    ]


def listings() -> dict[str, dict[str, Any]]:
    """Every seeded listing by ``/models`` id (fresh copies)."""
    built = {model_id: sample(name)["data"] for model_id, name in LISTING_SAMPLES.items()}
    for item in (*_openai_listings(), *_anthropic_listings(), *_other_listings()):
        built[item["id"]] = item
    return built

"""Bills that reconcile (issue 12): records priced by the seeded listings, and the figures.

Every figure follows API.md "Pricing and reconciling a bill", with the serving endpoint's
prices ``p`` after overrides at ``created_at``, ``d = p.discount``, ``D = cache_discount``::

    list     = P·p.prompt + O·p.completion + p.request + num_media_prompt·p.image
    expected = (1 − d)·list − D;   residual = total_cost − expected

Money is ``Decimal`` (compare ``Decimal(str(x))`` or ``pytest.approx``). ``BILLS`` maps each
id to its :class:`ExpectedBill`; ``*_LIST_PRICE`` are the list prices alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from inspector.testserver.catalog import ids
from inspector.testserver.catalog.ids import (
    CHAT_MODEL,
    DEEPSEEK_MODEL,
    GPT5_MINI_MODEL,
    HAIKU_MODEL,
    IMAGE_MODEL,
    KIMI_MODEL,
    SONNET_MODEL,
)

__all__ = [
    "BATCH_LIST_PRICE",
    "BILLS",
    "BILL_DEMO_IDS",
    "BYOK_FEE_LIST_PRICE",
    "BYOK_LIST_PRICE",
    "CACHE_WRITE_LIST_PRICE",
    "CHAT_LIST_PRICE",
    "DISCOUNTED_LIST_PRICE",
    "FALLBACK_LIST_PRICE",
    "IMAGE_LIST_PRICE",
    "IMAGE_OUTPUT_PRICE",
    "INSURED_LIST_PRICE",
    "LONG_CONTEXT_LIST_PRICE",
    "NEGATIVE_DISCOUNT_LIST_PRICE",
    "OFF_PEAK_DAY_LIST_PRICE",
    "OFF_PEAK_LIST_PRICE",
    "PRIORITY_TIER_DEFAULT_LIST_PRICE",
    "PRIORITY_TIER_LIST_PRICE",
    "REASONING_CACHED_LIST_PRICE",
    "TURBO_TAG_LIST_PRICE",
    "TURBO_TAG_OTHER_LIST_PRICE",
    "UNEXPLAINED_LIST_PRICE",
    "ExpectedBill",
]


CHAT_LIST_PRICE = Decimal("0.0005584")  # CHAT_ID = MATCHES_LIST_ID, CACHE_HIT_ID, OpenAI
REASONING_CACHED_LIST_PRICE = Decimal("0.024482")  # CACHE_READ_ID: D 0.0147456 -> 0.0097364
FALLBACK_LIST_PRICE = Decimal("0.0040726")  # FALLBACK_ID, HUGE_FALLBACK_ID at Fireworks
BYOK_LIST_PRICE = Decimal("0.001536")  # BYOK_ID: fee 0.0002048 is 13.3 %, not 5 %
NEGATIVE_DISCOUNT_LIST_PRICE = Decimal("0.084336")  # D −0.0195765; residual −0.0001
IMAGE_LIST_PRICE = Decimal("0.0032373")  # the formula; billed 0.0387123 = image tokens at
IMAGE_OUTPUT_PRICE = Decimal("0.0387123")  # image_output: 41·0.3e-6 + 1290·30e-6
BYOK_FEE_LIST_PRICE = Decimal("0.003")  # billed 5 % = 0.00015; true spend 0.00315
INSURED_LIST_PRICE = Decimal("0.000456")  # billed 0 (finish_reason error, no completion)
UNEXPLAINED_LIST_PRICE = Decimal("0.00634")  # billed 0.007925: dearer by 0.001585 (25 %)
BATCH_LIST_PRICE = Decimal("0.0072")  # billed 0.0036 (50 %)
LONG_CONTEXT_LIST_PRICE = Decimal("1.5225")  # tier over 200,000 prompt tokens (base: 0.765)
DISCOUNTED_LIST_PRICE = Decimal("0.00312")  # discount 0.1 -> expected 0.002808
TURBO_TAG_LIST_PRICE = Decimal("0.022")  # moonshotai/turbo; the moonshotai tag: 0.0055
TURBO_TAG_OTHER_LIST_PRICE = Decimal("0.0055")
PRIORITY_TIER_LIST_PRICE = Decimal("0.0054")  # openai/priority; the openai tag: 0.003
PRIORITY_TIER_DEFAULT_LIST_PRICE = Decimal("0.003")
CACHE_WRITE_LIST_PRICE = Decimal("0.0975")  # D 0.048 (20,000 read, 8,000 written) -> 0.0495
OFF_PEAK_LIST_PRICE = Decimal("0.00182")  # the 1630-0030 window; at the day price: 0.00364
OFF_PEAK_DAY_LIST_PRICE = Decimal("0.00364")


@dataclass(frozen=True)
class ExpectedBill:
    """How one record's charge compares with list price.

    ``case`` is one of: ``matches``, ``cache_read``, ``cache_write``, ``byok``, ``insured``,
    ``response_cache_hit``, ``batch``, ``override_tier``, ``override_time``, ``discount``,
    ``tag_candidates`` (the provider lists several tags; ``tag`` is the one billed),
    ``service_tier``, ``image_output``, ``unexplained``, ``model_unlisted``,
    ``provider_unlisted``. ``list_price`` is None when no listed price applies.
    """

    gen_id: str
    case: str
    model: str | None  # the /models id (URL form); None: the model is not listed
    provider: str
    tag: str | None
    list_price: Decimal | None
    billed: Decimal
    discount: Decimal = Decimal(0)
    cache_discount: Decimal = Decimal(0)
    upstream: Decimal = Decimal(0)  # upstream_inference_cost (BYOK)

    @property
    def expected(self) -> Decimal | None:
        if self.list_price is None:
            return None
        return (1 - self.discount) * self.list_price - self.cache_discount

    @property
    def residual(self) -> Decimal | None:
        expected = self.expected
        return None if expected is None else self.billed - expected

    @property
    def true_spend(self) -> Decimal:
        """What the user paid in all: ``billed + upstream`` (only BYOK has an upstream)."""
        return self.billed + self.upstream


def _bill(
    gen_id: str,
    case: str,
    model: str | None,
    provider: str,
    tag: str | None,
    list_price: Decimal | None,
    billed: str,
    **more: Decimal,
) -> ExpectedBill:
    return ExpectedBill(gen_id, case, model, provider, tag, list_price, Decimal(billed), **more)


BILLS: dict[str, ExpectedBill] = {
    bill.gen_id: bill
    for bill in (
        _bill(ids.CHAT_ID, "matches", CHAT_MODEL, "OpenAI", "openai", CHAT_LIST_PRICE, "0.0005584"),
        _bill(
            ids.REASONING_CACHED_ID,
            "cache_read",
            HAIKU_MODEL,
            "Amazon Bedrock",
            "amazon-bedrock",
            REASONING_CACHED_LIST_PRICE,
            "0.0097364",
            cache_discount=Decimal("0.0147456"),
        ),
        _bill(
            ids.FALLBACK_ID,
            "matches",
            KIMI_MODEL,
            "Fireworks",
            "fireworks",
            FALLBACK_LIST_PRICE,
            "0.0040726",
        ),
        _bill(
            ids.CACHE_HIT_ID,
            "response_cache_hit",
            CHAT_MODEL,
            "OpenAI",
            "openai",
            CHAT_LIST_PRICE,
            "0",
        ),
        _bill(
            ids.BYOK_ID,
            "byok",
            GPT5_MINI_MODEL,
            "OpenAI",
            "openai",
            BYOK_LIST_PRICE,
            "0.0002048",
            upstream=Decimal("0.001536"),
        ),
        _bill(
            ids.NEGATIVE_DISCOUNT_ID,
            "cache_write",
            SONNET_MODEL,
            "Anthropic",
            "anthropic",
            NEGATIVE_DISCOUNT_LIST_PRICE,
            "0.1038125",
            cache_discount=Decimal("-0.0195765"),
        ),
        _bill(
            ids.IMAGE_ID,
            "image_output",
            IMAGE_MODEL,
            "Google AI Studio",
            "google-ai-studio",
            IMAGE_LIST_PRICE,
            "0.0387123",
        ),
        _bill(
            ids.BYOK_FEE_ID,
            "byok",
            GPT5_MINI_MODEL,
            "OpenAI",
            "openai",
            BYOK_FEE_LIST_PRICE,
            "0.00015",
            upstream=Decimal("0.003"),
        ),
        _bill(ids.INSURED_ID, "insured", KIMI_MODEL, "Chutes", "chutes", INSURED_LIST_PRICE, "0"),
        _bill(
            ids.UNEXPLAINED_ID,
            "unexplained",
            DEEPSEEK_MODEL,
            "DeepInfra",
            "deepinfra",
            UNEXPLAINED_LIST_PRICE,
            "0.007925",
        ),
        _bill(ids.BATCH_ID, "batch", CHAT_MODEL, "OpenAI", "openai", BATCH_LIST_PRICE, "0.0036"),
        _bill(
            ids.LONG_CONTEXT_ID,
            "override_tier",
            SONNET_MODEL,
            "Anthropic",
            "anthropic",
            LONG_CONTEXT_LIST_PRICE,
            "1.5225",
        ),
        _bill(
            ids.DISCOUNTED_ID,
            "discount",
            DEEPSEEK_MODEL,
            "SiliconFlow",
            "siliconflow",
            DISCOUNTED_LIST_PRICE,
            "0.002808",
            discount=Decimal("0.1"),
        ),
        _bill(
            ids.TURBO_TAG_ID,
            "tag_candidates",
            KIMI_MODEL,
            "Moonshot AI",
            "moonshotai/turbo",
            TURBO_TAG_LIST_PRICE,
            "0.022",
        ),
        _bill(
            ids.PRIORITY_TIER_ID,
            "service_tier",
            GPT5_MINI_MODEL,
            "OpenAI",
            "openai/priority",
            PRIORITY_TIER_LIST_PRICE,
            "0.0054",
        ),
        _bill(
            ids.CACHE_WRITE_ID,
            "cache_write",
            SONNET_MODEL,
            "Anthropic",
            "anthropic",
            CACHE_WRITE_LIST_PRICE,
            "0.0495",
            cache_discount=Decimal("0.048"),
        ),
        _bill(
            ids.OFF_PEAK_ID,
            "override_time",
            DEEPSEEK_MODEL,
            "DeepSeek",
            "deepseek",
            OFF_PEAK_LIST_PRICE,
            "0.00182",
        ),
        _bill(ids.DELISTED_ID, "model_unlisted", None, "Together", None, None, "0.0000224"),
        _bill(ids.OLD_RECORD_ID, "model_unlisted", None, "Together", None, None, "0.0000293"),
        _bill(
            ids.FUTURE_FIELDS_ID,
            "provider_unlisted",
            "aurora/aurora-1-mini",
            "Aurora Compute",
            None,
            None,
            "0.000018",
        ),
    )
}

# Demo picks: (label, id) for a bill of each kind the demo shows.
BILL_DEMO_IDS: list[tuple[str, str]] = [
    ("Bill matches list price", ids.MATCHES_LIST_ID),
    ("Cheaper: cache reads", ids.CACHE_READ_ID),
    ("BYOK: 5 % fee", ids.BYOK_FEE_ID),
    ("Insured: failed, not billed", ids.INSURED_ID),
    ("Dearer than list: unexplained", ids.UNEXPLAINED_ID),
]

"""One scenario per reason code of the bill explainer: its code, its text and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from bill_support import (
    CACHED,
    DEEPSEEK_OWN,
    FALLBACK,
    HAIKU,
    KIMI,
    PLAIN,
    SILICON,
    SIMPLE,
    byok,
    check,
)

from inspector.core.bill import (
    REASON_CODES,
    Figures,
    PricingSource,
    explain,
)
from inspector.core.endpoints import (
    ModelNotListed,
    choose_endpoint,
)
from inspector.core.pricing import parse_pricing

# ---- one scenario per reason code -----------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    code: str
    figures: Figures
    pricing: Any
    verdict: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # a part of the reason's text


_NIGHT = datetime(2026, 10, 20, 17, 0, tzinfo=UTC)
_TODAY = parse_pricing({"prompt": "0.0000012", "completion": "0.000002"})

SCENARIOS = [
    Scenario(
        "pricing_unavailable",
        PLAIN,
        ModelNotListed("old/model"),
        "unavailable",
        text="old/model is no longer listed",
    ),
    Scenario(
        "endpoint_ambiguous",
        replace(
            FALLBACK,
            provider_name="Moonshot AI",
            total_cost=Decimal(3921) * Decimal("0.0000024") + 688 * Decimal("0.00001"),
        ),
        choose_endpoint(KIMI, model="moonshotai/kimi-k2-0905", provider_name="Moonshot AI"),
        "matches",
        text="priced with Moonshot AI (moonshotai/turbo) (whose price fits",
    ),
    Scenario(
        "override_applied",
        replace(PLAIN, created_at=_NIGHT, total_cost=Decimal("0.000161")),
        DEEPSEEK_OWN,  # 1000 × $0.14/M + 100 × $0.21/M at the 16:30–00:30 price
        "matches",
        text="price override #2 applied (16:30–00:30 UTC, at 17:00 UTC): prompt $0.14 / M tok, "
        "completion $0.21 / M tok",
    ),
    Scenario(
        "override_undetermined",
        replace(PLAIN, created_at=None, total_cost=Decimal("0.000322")),
        DEEPSEEK_OWN,
        "matches",
        text="price overrides #1 (no creation time), #2 (no creation time) could not be "
        "evaluated: base price used (estimate)",
    ),
    Scenario(
        "price_changed",
        PLAIN,
        SIMPLE,
        "matches",
        {"today": _TODAY, "source": PricingSource("snapshot", datetime(2026, 10, 21, tzinfo=UTC))},
        text="(fetched 21 Oct 2026 00:00 UTC): prompt $1.00 / M tok → $1.20 / M tok; "
        "at today's prices this generation would list at $0.0014",
    ),
    Scenario(
        "discount_applied",
        replace(PLAIN, total_cost=Decimal("0.0002808")),  # (1000 × 0.27 + 100 × 0.42)/M × 0.9
        SILICON,
        "cheaper",
        text="provider discount of 10 % applied: −$0.0000312",
    ),
    Scenario(
        "cache_read_savings",  # no read price listed, yet cache_discount says reads were cheaper
        replace(
            PLAIN,
            native_tokens_cached=800,
            cache_discount=Decimal("0.00072"),
            total_cost=Decimal("0.00048"),
        ),
        SIMPLE,
        "cheaper",
        text="cache_discount $0.00072 while the endpoint lists no read price for the 800 cached",
    ),
    Scenario(
        "cache_write_premium",  # 1,000 tokens written at $1.25/M: D is $0.00025 short
        replace(CACHED, cache_discount=Decimal("0.0144956"), total_cost=Decimal("0.0099864")),
        HAIKU,
        "dearer",
        text="about 1,000 prompt tokens were written to the cache at $1.25 / M tok",
    ),
    Scenario(
        "response_cache_hit",
        replace(
            PLAIN,
            total_cost=Decimal(0),
            response_cache_source_id="gen-1792500000-SourceSourceSource12",
        ),
        SIMPLE,
        "cache_hit",
        text="served from gen-1792500000-SourceSourceSource12 and not billed",
    ),
    Scenario(
        "insured_zero_completion",
        replace(PLAIN, finish_reason="error", native_tokens_completion=0, total_cost=Decimal(0)),
        SIMPLE,
        "insured",
        text="zero-completion insurance (finish_reason error): not billed",
    ),
    Scenario(
        "byok_fee",
        byok("0.00006"),
        SIMPLE,
        "byok",
        text="BYOK: OpenRouter's 5 % fee on the $0.0012 list price is $0.00006",
    ),
    Scenario(
        "batch_discount",
        replace(PLAIN, id="gen-batch-0f3a9c2b7d", total_cost=Decimal("0.0006")),
        SIMPLE,
        "cheaper",
        text="billed at batch prices, typically 50 % of token prices (estimate)",
    ),
    Scenario(
        "data_sharing_discount",
        replace(PLAIN, total_cost=Decimal("0.001188")),
        SIMPLE,
        "cheaper",
        text="data-sharing",
    ),
    Scenario(
        "tool_fees_not_derivable",
        replace(PLAIN, num_fetches=2, total_cost=Decimal("0.0112")),
        SIMPLE,
        "dearer",
        text="(2 web fetches; GET /tools prices engines): the remaining $0.01 is probably",
    ),
    Scenario(
        "unexplained",
        replace(PLAIN, total_cost=Decimal("0.00144")),
        SIMPLE,
        "dearer_unexplained",
        text="billed $0.00024 more than expected (20 %) — unexplained",
    ),
]


def test_every_reason_code_has_a_scenario() -> None:
    assert sorted(s.code for s in SCENARIOS) == sorted(REASON_CODES)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.code for s in SCENARIOS])
def test_reason_codes(scenario: Scenario) -> None:
    bill = check(explain(scenario.figures, scenario.pricing, **scenario.kwargs))
    reason = bill.reason(scenario.code)
    assert reason is not None, bill.reasons
    assert scenario.text in reason.text
    assert bill.verdict.code == scenario.verdict, bill.verdict
    if scenario.verdict not in ("unavailable",) and not bill.codes.count("unexplained"):
        # whatever is explained adds up: list + every accounted part = billed
        parts = sum((r.amount for r in bill.reasons if r.amount is not None), Decimal(0))
        assert bill.billed is not None and bill.list_price is not None
        assert abs(bill.list_price + parts - bill.billed) <= Decimal(
            "0.005"
        ) * bill.billed + Decimal("1e-9")

"""Shared by the bill tests: the samples, prices and figures they use, and the bill invariants."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from inspector.core.bill import (
    REASON_CODES,
    VERDICT_CODES,
    Bill,
    Figures,
    from_generation,
    usd,
)
from inspector.core.endpoints import (
    parse_endpoints,
)
from inspector.core.pricing import parse_pricing

DATA = Path(__file__).parent / "data"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    return data


CACHED = from_generation(sample("generation-streamed-reasoning-cached"))
FALLBACK = from_generation(sample("generation-fallback"))
KIMI = parse_endpoints(sample("models-endpoints-moonshotai-kimi-k2-0905"))
DEEPSEEK = parse_endpoints(sample("models-endpoints-deepseek-deepseek-v3.2"))
# API.md's check: $1/$5 per M, cache reads $0.10/M (and a $1.25/M cache write)
HAIKU = parse_pricing(
    {
        "prompt": "0.000001",
        "completion": "0.000005",
        "input_cache_read": "0.0000001",
        "input_cache_write": "0.00000125",
        "request": "0",
    }
)
SIMPLE = parse_pricing({"prompt": "0.000001", "completion": "0.000002"})  # lists at $0.0012
PLAIN = Figures(
    id="gen-1792505262-aaaaaaaaaaaaaaaaaaaa",
    created_at=datetime(2026, 10, 20, 14, 7, tzinfo=UTC),
    provider_name="Fireworks",
    native_tokens_prompt=1000,
    native_tokens_completion=100,
    total_cost=Decimal("0.0012"),
    finish_reason="stop",
)


def check(bill: Bill) -> Bill:
    """The invariants every bill keeps, whatever it was made from."""
    assert bill.reasons is not None and bill.verdict.code in VERDICT_CODES
    assert bill.verdict.text
    for reason in bill.reasons:
        assert reason.code in REASON_CODES
        assert reason.text
        if reason.estimate:
            assert "estimate" in reason.text, reason
    for item in bill.items:
        assert item.quantity >= 0 and item.unit_price >= 0
        assert item.amount == item.quantity * item.unit_price
        if item.estimate:
            assert "estimate" in item.note
    if bill.list_price is not None:
        assert sum((i.amount for i in bill.items), Decimal(0)) == bill.list_price
        assert bill.expected is not None and bill.discount is not None
        assert bill.expected == bill.list_price - bill.discount
    else:
        assert bill.items == () and bill.codes[0] == "pricing_unavailable"
    if bill.billed is not None and bill.expected is not None:
        assert bill.difference == bill.billed - bill.expected
    assert bill.estimate == (
        any(r.estimate for r in bill.reasons) or any(i.estimate for i in bill.items)
    )
    text = json.dumps(bill.to_json(), allow_nan=False)
    assert json.loads(text).keys() == {
        "billed",
        "list_price",
        "difference",
        "true_spend",
        "items",
        "reasons",
    }
    return bill


def shown(amount: Decimal) -> Decimal:
    return Decimal(usd(amount).replace("$", "").replace("−", "-").replace(",", ""))


def byok(billed: str) -> Figures:
    """A BYOK call of PLAIN: OpenRouter billed ``billed``; the provider charged the list price."""
    return replace(
        PLAIN,
        is_byok=True,
        total_cost=Decimal(billed),
        upstream_inference_cost=Decimal("0.0012"),
    )


DEEPSEEK_OWN = next(e for e in DEEPSEEK.endpoints if e.provider_name == "DeepSeek").pricing
SILICON = next(
    e for e in DEEPSEEK.endpoints if e.provider_name == "SiliconFlow"
).pricing  # 10 % off

"""The result types of a bill explanation (see :mod:`inspector.core.bill` for how it is made).

Tolerance: two amounts *match* when they differ by less than ``ABS_TOLERANCE`` ($1e-9) or by at
most ``REL_TOLERANCE`` (0.5 %) of the larger; the API reports costs to about 7 significant
digits. Display: amounts are shown with :func:`inspector.core.formatting.money` (up to 10
decimal places, trailing zeros trimmed, through a float: exact up to ~$100,000); every real
price has at most 10 decimal places, so the shown item amounts add up to the shown list price
exactly (tests/test_bill_properties.py proves it for counts up to 10 M tokens).

JSON (:meth:`Bill.to_json`): money and unit prices are JSON **numbers** (``float`` of the
Decimal, which round-trips the API's own figures such as ``0.0097364``), quantities are
integers, missing figures are ``null``; never NaN or Infinity (every Decimal here is finite).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext
from typing import Any

from inspector.core.bill_figures import Figures
from inspector.core.formatting import money

__all__ = [
    "ABS_TOLERANCE",
    "REASON_CODES",
    "REL_TOLERANCE",
    "VERDICT_CODES",
    "Bill",
    "LineItem",
    "PricingSource",
    "Reason",
    "Verdict",
    "matches",
    "percent_text",
    "usd",
]

ABS_TOLERANCE = Decimal("1e-9")
REL_TOLERANCE = Decimal("0.005")

REASON_CODES = (
    "pricing_unavailable",
    "endpoint_ambiguous",
    "override_applied",
    "override_undetermined",
    "price_changed",
    "discount_applied",
    "cache_read_savings",
    "cache_write_premium",
    "response_cache_hit",
    "insured_zero_completion",
    "byok_fee",
    "batch_discount",
    "data_sharing_discount",
    "tool_fees_not_derivable",
    "unexplained",
)
VERDICT_CODES = (
    "matches",
    "cheaper",
    "dearer",
    "cheaper_unexplained",
    "dearer_unexplained",
    "byok",
    "insured",
    "cache_hit",
    "unavailable",
    "no_bill",
)


def matches(a: Decimal, b: Decimal) -> bool:
    """Whether two amounts agree within the tolerance (absolute $1e-9, or 0.5 % of the larger)."""
    gap = abs(a - b)
    return gap < ABS_TOLERANCE or gap <= REL_TOLERANCE * max(abs(a), abs(b))


def usd(amount: Decimal | None) -> str:
    """An amount as text, the way every front-end shows money (``$0.0097364``)."""
    return money(None if amount is None else float(amount))


def percent_text(part: Decimal, whole: Decimal) -> str:
    """``part`` as a share of ``whole``: ``2.5 %``, ``50 %``; empty when ``whole`` is 0."""
    if not whole:
        return ""
    with localcontext(prec=100):
        share = (part / whole * 100).quantize(Decimal("0.1"))
    return f"{share:f}".removesuffix(".0") + " %"


@dataclass(frozen=True)
class LineItem:
    code: str  # prompt_uncached, prompt_cached, completion, request, images, web_search
    name: str
    quantity: int
    unit: str  # token, request, image, search
    unit_price: Decimal  # USD per unit
    amount: Decimal  # quantity × unit_price, exactly
    estimate: bool = False
    note: str = ""  # says "estimate" when ``estimate``


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASON_CODES
    text: str
    amount: Decimal | None = None  # the part of billed − list_price it accounts for, if known
    estimate: bool = False


@dataclass(frozen=True)
class Verdict:
    code: str  # one of VERDICT_CODES
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PricingSource:
    kind: str  # "live" (fetched for this view) or "snapshot" (stored beside the record)
    fetched_at: datetime | None = None
    endpoint: str | None = None  # the endpoint's label, e.g. "Moonshot AI (moonshotai/turbo)"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Bill:
    items: tuple[LineItem, ...]
    list_price: Decimal | None  # None when there is no price to compare with
    discount: Decimal | None  # the amount the provider discount takes off list_price
    expected: Decimal | None
    billed: Decimal | None  # total_cost
    true_spend: Decimal | None  # BYOK only: total_cost + upstream_inference_cost
    difference: Decimal | None  # billed − expected
    difference_pct: Decimal | None  # difference / expected × 100, two decimals
    reasons: tuple[Reason, ...]
    verdict: Verdict
    estimate: bool  # any item or reason is an estimate
    pricing_source: PricingSource | None = None
    discount_rate: Decimal = Decimal(0)
    figures: Figures | None = None

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON parts: ``billed``, ``list_price``, ``difference``, ``true_spend``,
        ``items`` and ``reasons`` (numbers as JSON numbers; see the module docstring)."""
        return {
            "billed": _number(self.billed),
            "list_price": _number(self.list_price),
            "difference": _number(self.difference),
            "true_spend": _number(self.true_spend),
            "items": [
                {
                    "name": item.name,
                    "quantity": item.quantity,
                    "unit": item.unit,
                    "unit_price": float(item.unit_price),
                    "amount": float(item.amount),
                }
                for item in self.items
            ],
            "reasons": [{"code": r.code, "text": r.text} for r in self.reasons],
        }

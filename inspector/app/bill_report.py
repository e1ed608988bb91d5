"""A bill explained, as the front-ends show it: line items, totals, verdict, reasons, badges.

:func:`bill_report` turns the domain's :class:`~inspector.core.bill.Bill` and
:class:`~inspector.core.usual.Comparison` into a :class:`BillReport` of texts and values
that both front-ends render as they are: the CLI as a table, the TUI as selectable rows.
Nothing here computes a figure (the domain did); this module only words it. Every text is
terminal-safe (:func:`inspector.core.textsafe.clean`).

Money reads as :func:`inspector.core.bill.usd` shows it (up to 10 decimals, exact for every
real price), so the shown item amounts add up to the shown list price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from inspector.core import formatting as fmt
from inspector.core.bill import Bill, LineItem, usd
from inspector.core.bill_types import percent_text
from inspector.core.formatting import align_on_point
from inspector.core.textsafe import clean
from inspector.core.usual import Comparison

__all__ = [
    "BADGE_LABELS",
    "VERDICT_LABELS",
    "BillBadge",
    "BillItem",
    "BillReason",
    "BillReport",
    "BillTotal",
    "PricingInfo",
    "Tone",
    "align_on_point",
    "bill_report",
    "signed_usd",
]

Tone = Literal["ok", "warn", "alert", "unknown"]
SourceKind = Literal["live", "snapshot", "none"]

# How each verdict should catch the eye: fine, worth a look, worrying, not known.
_TONES: dict[str, Tone] = {
    "matches": "ok",
    "cheaper": "ok",
    "byok": "ok",
    "insured": "ok",
    "cache_hit": "ok",
    "dearer": "warn",
    "cheaper_unexplained": "alert",
    "dearer_unexplained": "alert",
    "unavailable": "unknown",
    "no_bill": "unknown",
}
# A verdict's few words, for the header.
VERDICT_LABELS = {
    "matches": "bill matches list",
    "cheaper": "cheaper than list",
    "dearer": "dearer than list",
    "cheaper_unexplained": "bill unexplained",
    "dearer_unexplained": "bill unexplained",
    "byok": "BYOK fee",
    "insured": "insured: not billed",
    "cache_hit": "cache hit: not billed",
    "unavailable": "no list price",
    "no_bill": "no bill",
}
# A badge's few words, for the header.
BADGE_LABELS = {
    "slow": "slow",
    "slow_now": "slow now",
    "costly": "costly",
    "fell_back": "fell back",
    "cache_never_hit": "cache never hit",
    "other_tier": "other tier",
}
_UNITS = {"token": "tokens", "request": "request", "image": "images", "search": "search"}


def signed_usd(amount: Decimal | None) -> str:
    """``+$0.001585``, ``−$0.0147456``, ``$0``: a difference, its sign always shown."""
    if amount is None:
        return fmt.MISSING
    return f"+{usd(amount)}" if amount > 0 else usd(amount)


@dataclass(frozen=True)
class BillItem:
    """One line item: ``quantity`` × ``unit_price`` = ``amount`` (values and their texts)."""

    code: str
    name: str
    quantity: int
    unit: str
    unit_price: Decimal
    amount: Decimal
    quantity_text: str
    unit_price_text: str
    amount_text: str
    note: str = ""


@dataclass(frozen=True)
class BillTotal:
    """A total under the items: ``list_price``, ``discount``, ``expected``, ``billed``,
    ``true_spend`` or ``difference``."""

    code: str
    label: str
    value: Decimal
    text: str
    note: str = ""


@dataclass(frozen=True)
class BillReason:
    code: str
    text: str
    amount: Decimal | None = None
    amount_text: str = ""  # signed, empty when the reason accounts for no known amount


@dataclass(frozen=True)
class BillBadge:
    code: str
    label: str  # a few words for the header ("slow", "fell back")
    text: str  # what was compared and how it came out
    compared_with: str
    samples: int | None


@dataclass(frozen=True)
class PricingInfo:
    """Where the prices came from: ``live`` (fetched now), ``snapshot`` (kept beside the
    record), or ``none``."""

    source: SourceKind
    fetched_at: datetime | None
    endpoint: str | None
    model_id: str | None
    text: str


@dataclass(frozen=True)
class BillReport:
    """Everything a front-end shows of one bill."""

    gen_id: str
    bill: Bill
    comparison: Comparison
    provider: str | None
    items: tuple[BillItem, ...]
    totals: tuple[BillTotal, ...]
    verdict_code: str
    verdict_text: str
    tone: Tone
    reasons: tuple[BillReason, ...]
    badges: tuple[BillBadge, ...]
    notes: tuple[str, ...]
    pricing: PricingInfo

    @property
    def estimate(self) -> bool:
        return self.bill.estimate

    @property
    def verdict_label(self) -> str:
        """The verdict in a few words (``bill unexplained``)."""
        return VERDICT_LABELS.get(self.verdict_code, self.verdict_code)

    def total(self, code: str) -> BillTotal | None:
        return next((t for t in self.totals if t.code == code), None)

    def to_json(self) -> dict[str, Any]:
        """One object per id (``orinspect explain --json``; the README documents it)."""
        pricing = self.pricing
        return {
            "id": self.gen_id,
            **self.bill.to_json(),
            "verdict": {"code": self.verdict_code, "text": self.verdict_text},
            "estimate": self.estimate,
            "badges": [
                {
                    "code": b.code,
                    "label": b.label,
                    "text": b.text,
                    "compared_with": b.compared_with,
                    "samples": b.samples,
                }
                for b in self.badges
            ],
            "provider": self.provider,
            "pricing": {
                "source": pricing.source,
                "fetched_at": pricing.fetched_at.isoformat() if pricing.fetched_at else None,
                "endpoint": pricing.endpoint,
                "model": pricing.model_id,
            },
        }


def _unit_price(item: LineItem) -> str:
    """``$0.40 / M tok`` for tokens, ``$0.01 / request`` for the rest."""
    if item.unit == "token":
        return fmt.per_million(float(item.unit_price * 1_000_000))
    return f"{usd(item.unit_price)} / {item.unit}"


def _item(item: LineItem) -> BillItem:
    return BillItem(
        code=item.code,
        name=clean(item.name),
        quantity=item.quantity,
        unit=_UNITS.get(item.unit, clean(item.unit)),
        unit_price=item.unit_price,
        amount=item.amount,
        quantity_text=fmt.tokens(item.quantity),
        unit_price_text=_unit_price(item),
        amount_text=usd(item.amount),
        note=clean(item.note),
    )


def _totals(bill: Bill) -> tuple[BillTotal, ...]:
    totals: list[BillTotal] = []
    if bill.list_price is not None:
        totals.append(BillTotal("list_price", "list price", bill.list_price, usd(bill.list_price)))
    if bill.discount:
        note = f"the provider's {percent_text(bill.discount_rate, Decimal(1))} discount"
        totals.append(BillTotal("discount", "discount", -bill.discount, usd(-bill.discount), note))
    if bill.expected is not None and bill.expected != bill.list_price:
        totals.append(BillTotal("expected", "expected", bill.expected, usd(bill.expected)))
    if bill.billed is not None:
        totals.append(BillTotal("billed", "billed", bill.billed, usd(bill.billed), "total_cost"))
    if bill.true_spend is not None:
        note = "BYOK: total_cost + upstream_inference_cost"
        totals.append(
            BillTotal("true_spend", "true spend", bill.true_spend, usd(bill.true_spend), note)
        )
    if bill.difference is not None:
        pct = f"{bill.difference_pct:+f} %" if bill.difference_pct else ""
        than = "list" if bill.expected == bill.list_price else "expected"
        note = f"billed − {than}" + (f" ({pct.replace('-', fmt.MINUS)})" if pct else "")
        text = signed_usd(bill.difference)
        totals.append(BillTotal("difference", "difference", bill.difference, text, note))
    return tuple(totals)


def _reason(code: str, text: str, amount: Decimal | None) -> BillReason:
    return BillReason(code, clean(text), amount, signed_usd(amount) if amount else "")


def _pricing(bill: Bill, model_id: str | None) -> PricingInfo:
    source = bill.pricing_source
    if bill.list_price is None or source is None:
        return PricingInfo("none", None, None, model_id, "no list price")
    kind: SourceKind = "snapshot" if source.kind == "snapshot" else "live"
    endpoint = clean(source.endpoint) if source.endpoint else None
    when = (
        source.fetched_at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
        if source.fetched_at
        else "an unknown time"
    )
    how = "fetched now" if kind == "live" else "kept beside the record"
    text = f"{endpoint or 'the provider'}'s prices, {how} ({when})"
    return PricingInfo(kind, source.fetched_at, endpoint, model_id, text)


def bill_report(
    gen_id: str,
    bill: Bill,
    comparison: Comparison,
    *,
    provider: str | None,
    model_id: str | None = None,
    notes: tuple[str, ...] = (),
) -> BillReport:
    """The report of one bill (``notes``: what the prices' source had to say)."""
    verdict = bill.verdict
    badges = tuple(
        BillBadge(
            b.code, BADGE_LABELS.get(b.code, b.code), clean(b.text), b.compared_with, b.samples
        )
        for b in comparison.badges
    )
    said = (*(clean(n) for n in notes), *(clean(n.text) for n in comparison.notes))
    return BillReport(
        gen_id=clean(gen_id),
        bill=bill,
        comparison=comparison,
        provider=clean(provider) if provider else None,
        items=tuple(_item(item) for item in bill.items),
        totals=_totals(bill),
        verdict_code=verdict.code,
        verdict_text=clean(verdict.text),
        tone=_TONES.get(verdict.code, "unknown"),
        reasons=tuple(_reason(r.code, r.text, r.amount) for r in bill.reasons),
        badges=badges,
        notes=said,
        pricing=_pricing(bill, model_id),
    )

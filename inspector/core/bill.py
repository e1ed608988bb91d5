"""A generation's charge explained: line items at list price, what was billed, and why they differ.

Pure and presentation-neutral: :func:`explain` takes the record's :class:`Figures` (see
:func:`from_generation`) and the serving endpoint's prices, or why there are none, and returns
a frozen :class:`Bill`. Money is exact :class:`~decimal.Decimal`: prices are decimal strings and
counts integers, so each line amount is an exact product and the items add up to
``list_price`` exactly.

The reconciliation (API.md "Pricing and reconciling a bill"; the formula is **inferred**)::

    items       uncached prompt (P − C) × prompt, cached prompt C × input_cache_read,
                completion O (reasoning included) × completion, request fee, images, web search
    list_price  the sum of the items
    expected    list_price × (1 − discount)        (that the discount covers every line: inferred)
    difference  billed − expected; difference_pct against expected

Known causes of a difference become :class:`Reason` s with stable codes (``REASON_CODES``):
the cache netting (``cache_discount`` D against the reads' savings S = C × (prompt − read):
a smaller D means cache writes, W ≈ (S − D) / (input_cache_write − prompt)), a
response-cache hit or zero-completion insurance (billed 0), BYOK (OpenRouter's 5 % fee on list,
or 0 within the allowance), batch ids (typically 50 % of token prices), the 1 % data-sharing
discount (when it fits), unpriced tool fees; what is left is ``unexplained``. Inferred figures
have ``estimate=True`` and say "estimate". Tolerance and JSON: see :mod:`bill_types`.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from inspector.core.bill_figures import Figures, from_generation
from inspector.core.bill_lines import (
    discount_reason,
    line_items,
    override_reasons,
    price_changed_reason,
)
from inspector.core.bill_settle import Settlement, settle, unavailable_reasons
from inspector.core.bill_types import (
    ABS_TOLERANCE,
    REASON_CODES,
    REL_TOLERANCE,
    VERDICT_CODES,
    Bill,
    LineItem,
    PricingSource,
    Reason,
    Verdict,
    matches,
    usd,
)
from inspector.core.bill_verdict import verdict_for, verdict_unavailable
from inspector.core.endpoints import Ambiguous, Served, Unavailable
from inspector.core.pricing import Pricing, apply_overrides
from inspector.core.textsafe import clean

__all__ = [
    "ABS_TOLERANCE",
    "REASON_CODES",
    "REL_TOLERANCE",
    "VERDICT_CODES",
    "Bill",
    "Figures",
    "LineItem",
    "PricingSource",
    "Reason",
    "Verdict",
    "explain",
    "from_generation",
    "matches",
    "usd",
]

PriceInput = Pricing | Served | Ambiguous | Unavailable | str | None


def _true_spend(f: Figures) -> Decimal | None:
    if not f.is_byok or f.total_cost is None or f.upstream_inference_cost is None:
        return None
    return f.total_cost + f.upstream_inference_cost


def explain(
    figures: Figures,
    pricing: PriceInput,
    *,
    today: Pricing | Served | None = None,
    source: PricingSource | None = None,
) -> Bill:
    """Explain one generation's charge.

    ``pricing``: the serving endpoint's :class:`Pricing` (overrides are applied here at
    ``created_at``), a :class:`Served` or :class:`Ambiguous` from ``choose_endpoint``, or why
    there is no price: an ``Unavailable`` result or a plain text (e.g. "network down").
    ``today``: today's prices when ``pricing`` is a stored snapshot, to report a change.
    """
    with localcontext(prec=100):
        if isinstance(pricing, Ambiguous):
            return _explain_ambiguous(figures, pricing, today=today, source=source)
        if isinstance(pricing, Served):
            if source is not None and source.endpoint is None:
                source = PricingSource(source.kind, source.fetched_at, pricing.endpoint.label)
            pricing = pricing.endpoint.pricing
        if isinstance(pricing, Pricing) and pricing.usable:
            return _explain_priced(figures, pricing, today=today, source=source)
        if isinstance(pricing, Pricing):
            why = "the endpoint lists no readable prompt and completion price"
        elif isinstance(pricing, str):
            why = clean(pricing) or "no price was given"
        elif pricing is None:
            why = "no price was given"
        else:
            why = pricing.why
        return _explain_unavailable(figures, why, source)


def _explain_unavailable(f: Figures, why: str, source: PricingSource | None) -> Bill:
    reasons = unavailable_reasons(f, why)
    return Bill(
        items=(),
        list_price=None,
        discount=None,
        expected=None,
        billed=f.total_cost,
        true_spend=_true_spend(f),
        difference=None,
        difference_pct=None,
        reasons=tuple(reasons),
        verdict=verdict_unavailable(f, why, reasons),
        estimate=any(r.estimate for r in reasons),
        pricing_source=source,
        figures=f,
    )


def _explain_priced(
    f: Figures,
    base: Pricing,
    *,
    today: Pricing | Served | None,
    source: PricingSource | None,
    extra: tuple[Reason, ...] = (),
) -> Bill:
    effective = apply_overrides(base, at=f.created_at, prompt_tokens=f.native_tokens_prompt)
    p = effective.pricing
    priced = line_items(f, p)
    discount = priced.list_price * p.discount
    expected = priced.list_price - discount
    reasons: list[Reason] = [*extra, *override_reasons(effective, f)]
    if isinstance(today, Served):
        today = today.endpoint.pricing
    if today is not None:
        fetched = source.fetched_at if source else None
        changed = price_changed_reason(f, effective, today, priced.list_price, fetched)
        reasons += [changed] if changed else []
    discounted = discount_reason(p, discount)
    reasons += [discounted] if discounted else []
    settlement: Settlement | None = None
    difference = difference_pct = None
    if f.total_cost is not None:
        difference = f.total_cost - expected
        if expected:
            difference_pct = (difference / expected * 100).quantize(Decimal("0.01"))
        settlement = settle(f, p, priced, expected, source)
        reasons += settlement.reasons
    items = priced.items
    return Bill(
        items=items,
        list_price=priced.list_price,
        discount=discount,
        expected=expected,
        billed=f.total_cost,
        true_spend=_true_spend(f),
        difference=difference,
        difference_pct=difference_pct,
        reasons=tuple(reasons),
        verdict=verdict_for(f, priced.list_price, expected, settlement, tuple(reasons), p.discount),
        estimate=any(i.estimate for i in items) or any(r.estimate for r in reasons),
        pricing_source=source,
        discount_rate=p.discount,
        figures=f,
    )


def _explain_ambiguous(
    f: Figures,
    ambiguous: Ambiguous,
    *,
    today: Pricing | Served | None,
    source: PricingSource | None,
) -> Bill:
    """Price with each candidate; keep the first whose price fits the bill (an estimate)."""
    bills = [
        _explain_priced(f, e.pricing, today=today, source=source) for e in ambiguous.candidates
    ]
    fitting = [i for i, bill in enumerate(bills) if bill.reason("unexplained") is None]
    chosen = fitting[0] if fitting else 0
    label = ambiguous.candidates[chosen].label
    others = [
        f"{e.label} {usd(bills[i].list_price)}"
        for i, e in enumerate(ambiguous.candidates)
        if i != chosen
    ]
    how = "whose price fits the bill" if fitting else "none fits the bill"
    text = (
        f"{ambiguous.why}; priced with {label} ({how}; estimate); "
        f"the others would list at: {', '.join(others)}"
    )
    note = Reason("endpoint_ambiguous", text, None, True)
    if source is not None:
        source = PricingSource(source.kind, source.fetched_at, label)
    pricing = ambiguous.candidates[chosen].pricing
    return _explain_priced(f, pricing, today=today, source=source, extra=(note,))

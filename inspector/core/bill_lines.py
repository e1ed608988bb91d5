"""The line items of a bill at list price, and the reasons that only describe the prices used.

Inferred (API.md): reasoning tokens are billed inside the completion count at the
``completion`` price; a price the endpoint does not list counts as 0, except the cache-read
price, whose absence is taken to mean cached tokens cost the prompt price (the formula's
``P × prompt − cache_discount`` with no discount), marked "estimate"; images are
``num_media_prompt × image``; a web search line is one search per request when the record
counts search results and the endpoint prices ``web_search``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, localcontext

from inspector.core.bill_figures import Figures
from inspector.core.bill_types import LineItem, Reason, usd
from inspector.core.formatting import per_million
from inspector.core.pricing import ZERO, EffectivePricing, Pricing, apply_overrides
from inspector.core.textsafe import clean

__all__ = [
    "Priced",
    "discount_reason",
    "line_items",
    "override_reasons",
    "price_changed_reason",
    "price_text",
]

_PER_UNIT = {
    "request": "request",
    "web_search": "search",
    "image": "image",
    "image_output": "image",
}


def price_text(key: str, price: Decimal | None) -> str:
    """``$1.00 / M tok`` for a token price, ``$0.01 / request`` for the others."""
    if price is None:
        return "not listed"
    if key == "discount":
        return f"{price * 100:f}".rstrip("0").rstrip(".") + " %"
    unit = _PER_UNIT.get(key)
    if unit:
        return f"{usd(price)} / {unit}"
    return per_million(float(price * 1_000_000))


@dataclass(frozen=True)
class Priced:
    items: tuple[LineItem, ...]
    list_price: Decimal
    read_savings: Decimal  # S = C × (prompt − the cached line's unit price)
    token_amount: Decimal  # the token lines' sum (what batch pricing halves)
    unpriced_tools: tuple[str, ...]  # tool use the record shows and no price covers


def _item(
    code: str, name: str, quantity: int, unit: str, price: Decimal, note: str = ""
) -> LineItem:
    return LineItem(code, name, quantity, unit, price, quantity * price, bool(note), note)


def _unlisted(p: Pricing, key: str, counted: str) -> str:
    state = "an unreadable" if key in p.unknown else "no"
    return f"the endpoint lists {state} {key} price: counted {counted} (estimate)"


def line_items(f: Figures, p: Pricing) -> Priced:
    """The items at list price; exact (a 100-digit context, far beyond any real product)."""
    with localcontext(prec=100):
        return _line_items(f, p)


def _line_items(f: Figures, p: Pricing) -> Priced:
    prompt = p.price("prompt")
    items = [
        _item("prompt_uncached", "uncached prompt tokens", f.prompt - f.cached, "token", prompt)
    ]
    savings = ZERO
    if f.cached:
        read = p.price("input_cache_read") if p.listed("input_cache_read") else prompt
        note = "" if p.listed("input_cache_read") else _unlisted(p, "input_cache_read", "at prompt")
        name = "cached prompt tokens (cache read)"
        items.append(_item("prompt_cached", name, f.cached, "token", read, note))
        savings = f.cached * (prompt - read)
    reasoning = f.native_tokens_reasoning or 0
    name = (
        f"completion tokens (incl. {reasoning:,} reasoning)" if reasoning else "completion tokens"
    )
    note = ""
    other = p.prices.get("internal_reasoning")
    if reasoning and other and other != p.price("completion"):
        note = f"reasoning counted at the completion price, not {price_text('x', other)} (estimate)"
    items.append(_item("completion", name, f.completion, "token", p.price("completion"), note))
    tokens = sum((item.amount for item in items), ZERO)
    if p.price("request") > 0:
        items.append(_item("request", "per-request fee", 1, "request", p.price("request")))
    if f.num_media_prompt:
        note = "" if p.listed("image") else _unlisted(p, "image", "as $0")
        count = f.num_media_prompt
        items.append(_item("images", "prompt images", count, "image", p.price("image"), note))
    unpriced: list[str] = []
    engine = f" via {clean(f.web_search_engine)}" if f.web_search_engine else ""
    if f.num_search_results:
        results = f"{f.num_search_results:,} results{engine}"
        if p.price("web_search") > 0:
            note = f"one search per request assumed; the record counts {results} (estimate)"
            items.append(
                _item("web_search", "web search", 1, "search", p.price("web_search"), note)
            )
        else:
            unpriced.append(f"web search ({results})")
    if f.num_fetches:
        unpriced.append(f"{f.num_fetches:,} web fetch{'es' if f.num_fetches > 1 else ''}")
    total = sum((item.amount for item in items), ZERO)
    return Priced(tuple(items), total, savings, tokens, tuple(unpriced))


def _utc_clock(at: datetime | None) -> str:
    return "" if at is None else f", at {at.astimezone(UTC):%H:%M} UTC"


def override_reasons(effective: EffectivePricing, f: Figures) -> list[Reason]:
    reasons = []
    for applied in effective.applied:
        sets = [f"{key} {price_text(key, price)}" for key, price in applied.prices.items()]
        sets += [f"{key} (unreadable)" for key in sorted(applied.unknown)]
        text = f"price override #{applied.index + 1} applied ({applied.condition}"
        text += f"{_utc_clock(f.created_at)}): " + (", ".join(sets) or "no price")
        if applied.inferred:
            text += " (prompt tokens compared with native_tokens_prompt: estimate)"
        reasons.append(Reason("override_applied", text, None, applied.inferred))
    if effective.undetermined:
        which = ", ".join(f"#{u.index + 1} ({u.cause})" for u in effective.undetermined)
        plural = "s" if len(effective.undetermined) > 1 else ""
        text = f"price override{plural} {which} could not be evaluated: base price used (estimate)"
        reasons.append(Reason("override_undetermined", text, None, True))
    return reasons


def discount_reason(p: Pricing, discount: Decimal) -> Reason | None:
    if "discount" in p.unknown:
        text = "the endpoint's discount is unreadable: taken as 0 (estimate)"
        return Reason("discount_applied", text, None, True)
    if p.discount <= 0:
        return None
    text = (
        f"provider discount of {price_text('discount', p.discount)} applied: −{usd(discount)} "
        "(price × (1 − discount); that it covers every line is an estimate)"
    )
    return Reason("discount_applied", text, -discount, True)


def price_changed_reason(
    f: Figures,
    used: EffectivePricing,
    today: Pricing,
    list_price: Decimal,
    fetched_at: datetime | None,
) -> Reason | None:
    """Compare the prices used (a snapshot) with today's, both as they applied at created_at."""
    now = apply_overrides(today, at=f.created_at, prompt_tokens=f.native_tokens_prompt)
    changed = used.pricing.differences(now.pricing)
    if not changed:
        return None
    parts = [f"{key} {price_text(key, old)} → {price_text(key, new)}" for key, old, new in changed]
    when = f" (fetched {fetched_at.astimezone(UTC):%d %b %Y %H:%M} UTC)" if fetched_at else ""
    text = f"prices changed since the snapshot{when}: " + "; ".join(parts)
    if now.pricing.usable:
        today_list = line_items(f, now.pricing).list_price
        text += f"; at today's prices this generation would list at {usd(today_list)}"
        return Reason("price_changed", text, None, False)
    return Reason("price_changed", text + "; today's prices cannot price it", None, False)

"""The one line a person reads first: does the charge match the list price, and if not, why."""

from __future__ import annotations

from decimal import Decimal

from inspector.core.bill_figures import Figures
from inspector.core.bill_settle import Settlement
from inspector.core.bill_types import Reason, Verdict, matches, percent_text, usd
from inspector.core.pricing import ZERO
from inspector.core.textsafe import clean

__all__ = ["verdict_for", "verdict_unavailable"]

# How a reason that accounts for part of the gap reads after "because".
_BECAUSE = {
    "discount_applied": "of the provider's {rate} discount",
    "cache_read_savings": "cache reads cost less than listed (estimate)",
    "cache_write_premium": "of cache writes (estimate)",
    "batch_discount": "of batch pricing (estimate)",
    "data_sharing_discount": "of the 1 % data-sharing discount (estimate)",
    "tool_fees_not_derivable": "of tool fees (estimate)",
}


def _by(amount: Decimal, whole: Decimal) -> str:
    share = percent_text(abs(amount), whole)
    return f"by {usd(abs(amount))}" + (f" ({share})" if share else "")


def _zeroed(f: Figures, s: Settlement, list_price: Decimal) -> Verdict | None:
    billed = f.total_cost or ZERO
    if s.zeroed == "cache_hit":
        source = clean(f.response_cache_source_id)
        return Verdict("cache_hit", f"not billed: a response-cache hit of {source}")
    if s.zeroed == "insured":
        if matches(billed, ZERO):
            text = f"not billed: zero-completion insurance covered the {usd(list_price)} list price"
        else:
            text = f"zero-completion insurance covered the tokens; {usd(billed)} of tool fees"
            text += " (estimate)"
        return Verdict("insured", text)
    return None


def _byok(f: Figures, s: Settlement) -> Verdict | None:
    spend = (
        f.total_cost
        if f.upstream_inference_cost is None or f.total_cost is None
        else (f.total_cost + f.upstream_inference_cost)
    )
    spent = (
        f"true spend {usd(spend)}"
        if f.upstream_inference_cost is not None
        else ("the provider's charge is not in the record")
    )
    if s.byok == "fee":
        return Verdict(
            "byok", f"BYOK: OpenRouter charged its 5 % fee ({usd(f.total_cost)}); {spent}"
        )
    if s.byok == "allowance":
        text = f"BYOK: no OpenRouter fee (within the free allowance, estimate); {spent}"
        return Verdict("byok", text)
    return None


def verdict_for(
    f: Figures,
    list_price: Decimal,
    expected: Decimal,
    s: Settlement | None,
    reasons: tuple[Reason, ...],
    rate: Decimal = ZERO,
) -> Verdict:
    if f.total_cost is None or s is None:
        return Verdict("no_bill", f"no billed figure in the record; lists at {usd(list_price)}")
    found = _zeroed(f, s, list_price) or _byok(f, s)
    if found:
        return found
    billed = f.total_cost
    if s.unexplained is not None:
        direction = "dearer" if s.unexplained > 0 else "cheaper"
        than = "list" if expected == list_price else "the discounted list"
        text = f"{direction} than {than} {_by(s.unexplained, expected)} — unexplained"
        if s.byok == "unfit":
            text = f"BYOK: {text}"
        return Verdict(f"{direction}_unexplained", text)
    if matches(billed, list_price):
        saved = f.cached and f.cache_discount and f.cache_discount > 0
        tail = f" (cache reads saved {usd(f.cache_discount)})" if saved else ""
        return Verdict("matches", f"matches list price{tail}")
    because = [
        _BECAUSE[r.code].format(rate=percent_text(rate, Decimal(1)))
        for r in reasons
        if r.code in _BECAUSE and r.amount
    ]
    direction = "cheaper" if billed < list_price else "dearer"
    text = f"{direction} than list {_by(billed - list_price, list_price)}"
    if because:
        text += " because " + " and ".join(dict.fromkeys(because))
    return Verdict(direction, text)


def verdict_unavailable(f: Figures, why: str, reasons: list[Reason]) -> Verdict:
    billed = f.total_cost
    if billed is None:
        return Verdict("no_bill", f"no billed figure and no list price ({why})")
    free = matches(billed, ZERO)
    if free and f.response_cache_source_id:
        source = clean(f.response_cache_source_id)
        return Verdict("cache_hit", f"not billed: a response-cache hit of {source}")
    if free and any(r.code == "insured_zero_completion" for r in reasons):
        return Verdict("insured", "not billed: zero-completion insurance")
    return Verdict("unavailable", f"billed {usd(billed)}; no list price to compare: {why}")

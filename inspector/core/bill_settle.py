"""Account for the difference between what a generation listed at and what was billed.

The difference ``billed − expected`` is taken apart by the known causes in a fixed order,
each a :class:`Reason` whose ``amount`` is the part it accounts for: a response-cache hit or
zero-completion insurance (billed 0), BYOK (OpenRouter's 5 % fee on list, or 0 within the
allowance), the cache netting (``cache_discount`` against the listed read price: writes or
extra savings), batch pricing, the 1 % data-sharing discount, unpriced tool fees. Whatever
is left beyond the tolerance is ``unexplained``. All of it follows API.md; the rates and the
netting are inferred, so those reasons are estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from inspector.core.bill_figures import Figures
from inspector.core.bill_lines import Priced, price_text
from inspector.core.bill_types import (
    ABS_TOLERANCE,
    REL_TOLERANCE,
    PricingSource,
    Reason,
    matches,
    percent_text,
    usd,
)
from inspector.core.formatting import age
from inspector.core.pricing import ZERO, Pricing
from inspector.core.textsafe import clean

__all__ = ["BATCH_SHARE", "BYOK_FEE", "DATA_SHARING", "Settlement", "settle", "unavailable_reasons"]

BYOK_FEE = Decimal("0.05")  # OpenRouter's fee on list for BYOK requests (docs: byok.mdx)
BATCH_SHARE = Decimal("0.5")  # batch requests: typically 50 % of token prices off
DATA_SHARING = Decimal("0.01")  # input/output logging opt-in: 1 % off
FIT_TOLERANCE = Decimal("0.001")  # how closely a guessed rate must fit the difference
STALE_PRICES = timedelta(days=1)  # prices fetched this long after a generation may have moved


@dataclass
class Settlement:
    reasons: list[Reason] = field(default_factory=list)
    left: Decimal = ZERO  # what no reason accounts for
    scale: Decimal = ZERO
    zeroed: str | None = None  # "cache_hit" or "insured" when that made the bill 0
    byok: str | None = None  # "fee", "allowance" or "unfit"
    unexplained: Decimal | None = None  # what was left when nothing else accounted for it

    def take(self, reason: Reason) -> None:
        self.reasons.append(reason)
        if reason.amount is not None:
            self.left -= reason.amount

    def small(self, amount: Decimal) -> bool:
        return abs(amount) < ABS_TOLERANCE or abs(amount) <= REL_TOLERANCE * self.scale

    def fits(self, amount: Decimal) -> bool:
        """Tighter than :meth:`small`: a known rate (batch, data sharing) must fit to 0.1 %."""
        return abs(amount) < ABS_TOLERANCE or abs(amount) <= FIT_TOLERANCE * self.scale

    @property
    def settled(self) -> bool:
        return self.small(self.left)


def insured(f: Figures) -> bool:
    """Zero-completion insurance applies: an error, or no finish reason and no completion."""
    finish = (f.finish_reason or "").strip().lower()
    return finish == "error" or (not finish and f.completion == 0 and not f.tokens_completion)


def _cache_hit(f: Figures, s: Settlement, expected: Decimal) -> None:
    source = clean(f.response_cache_source_id)
    if matches(f.total_cost or ZERO, ZERO):
        text = f"response-cache hit: served from {source} and not billed"
        s.take(Reason("response_cache_hit", text, -expected))
        s.zeroed = "cache_hit"
    else:
        text = f"response-cache hit of {source}, yet billed (cache hits are normally free)"
        s.take(Reason("response_cache_hit", text))


def _insurance(f: Figures, s: Settlement, priced: Priced, expected: Decimal) -> None:
    billed = f.total_cost or ZERO
    why = f"finish_reason {clean(f.finish_reason)}" if f.finish_reason else "no completion"
    tools = priced.unpriced_tools or tuple(i.name for i in priced.items if i.code == "web_search")
    if matches(billed, ZERO):
        text = f"zero-completion insurance ({why}): not billed"
        s.take(Reason("insured_zero_completion", text, -expected))
        s.zeroed = "insured"
    elif tools and billed > 0 and not matches(billed, expected):
        text = (
            f"zero-completion insurance ({why}) covered the tokens; the {usd(billed)} billed is "
            f"taken to be tool fees ({', '.join(tools)}), which still bill (estimate)"
        )
        s.take(Reason("insured_zero_completion", text, billed - expected, True))
        s.zeroed = "insured"
    elif not matches(billed, expected):
        text = f"{why} with no completion, yet billed: zero-completion insurance did not apply"
        s.take(Reason("insured_zero_completion", text))


def _spent(f: Figures) -> str:
    upstream = f.upstream_inference_cost
    if upstream is None:
        return "; the provider's own charge is not in the record"
    spend = "" if f.total_cost is None else f" (true spend {usd(f.total_cost + upstream)})"
    return f"; your provider charged {usd(upstream)} directly{spend}"


def _byok(f: Figures, s: Settlement, list_price: Decimal, expected: Decimal) -> None:
    billed = f.total_cost or ZERO
    fee = BYOK_FEE * list_price
    if matches(billed, ZERO) and list_price > 0:
        text = "BYOK: no OpenRouter fee (within the monthly free allowance, estimate)" + _spent(f)
        s.take(Reason("byok_fee", text, -expected, True))
        s.byok = "allowance"
    elif matches(billed, fee):
        text = f"BYOK: OpenRouter's 5 % fee on the {usd(list_price)} list price is {usd(fee)}"
        s.take(Reason("byok_fee", text + _spent(f), fee - expected))
        s.byok = "fee"
    else:
        share = percent_text(billed, list_price) or "all"
        text = (
            f"BYOK: OpenRouter billed {usd(billed)} ({share} of list); its fee is 5 % ({usd(fee)})"
        )
        s.take(Reason("byok_fee", text + _spent(f)))
        s.byok = "unfit"


def _written(p: Pricing, gap: Decimal) -> str:
    write, prompt = p.prices.get("input_cache_write"), p.price("prompt")
    if write is None or write <= prompt:
        return "; with no cache-write premium listed, how many tokens were written is unknown"
    tokens = (gap / (write - prompt)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return (
        f"; about {tokens:,} prompt tokens were written to the cache at "
        f"{price_text('input_cache_write', write)} instead of {price_text('prompt', prompt)}"
    )


def _cache(f: Figures, s: Settlement, p: Pricing, priced: Priced) -> None:
    d, read_savings = f.cache_discount, priced.read_savings
    net = ZERO if d is None else (1 - p.discount) * read_savings - d
    if d is not None and not s.small(net) and net > 0:
        text = (
            f"cache-write premium: cache_discount {usd(d)} is {usd(net)} below the listed "
            f"reads' savings of {usd(read_savings)}{_written(p, read_savings - d)} (estimate)"
        )
        s.take(Reason("cache_write_premium", text, net, True))
    if d is not None and not s.small(net) and net < 0:
        if p.listed("input_cache_read"):
            listed = f"against {usd(read_savings)} at the listed read price"
        else:
            listed = f"while the endpoint lists no read price for the {f.cached:,} cached tokens"
        text = f"cache reads saved more than listed: cache_discount {usd(d)} {listed} (estimate)"
        s.take(Reason("cache_read_savings", text, net, True))
    elif read_savings > 0:
        text = (
            f"{f.cached:,} cached prompt tokens were read at the cache price: "
            f"{usd(read_savings)} less than at the prompt price"
        )
        text += f"; cache_discount reports {usd(d)}" if d is not None else ""
        s.reasons.append(Reason("cache_read_savings", text))


def _batch(f: Figures, s: Settlement, p: Pricing, priced: Priced) -> None:
    cut = -BATCH_SHARE * (1 - p.discount) * priced.token_amount
    if not s.settled and s.fits(s.left - cut):
        text = "batch id: billed at batch prices, typically 50 % of token prices (estimate)"
        s.take(Reason("batch_discount", text, cut, True))
        return
    fit = "billed at full price here" if s.settled else "that does not fit this bill"
    text = f"batch id: batch prices are typically 50 % of token prices; {fit} (estimate)"
    s.take(Reason("batch_discount", text, None, True))


def _data_sharing(f: Figures, s: Settlement) -> None:
    predicted = (f.total_cost or ZERO) - s.left
    cut = -DATA_SHARING * predicted
    if cut and s.fits(s.left - cut):
        text = "1 % below list fits the data-sharing (input/output logging) discount (estimate)"
        s.take(Reason("data_sharing_discount", text, cut, True))


def _tools(s: Settlement, priced: Priced) -> None:
    tools = ", ".join(priced.unpriced_tools)
    text = f"tool fees are not derivable from the record ({tools}; GET /tools prices engines)"
    if not s.settled and s.left > 0:
        text += f": the remaining {usd(s.left)} is probably these fees (estimate)"
        s.take(Reason("tool_fees_not_derivable", text, s.left, True))
    else:
        s.take(Reason("tool_fees_not_derivable", text + " (estimate)", None, True))


def _unexplained(f: Figures, s: Settlement, expected: Decimal, src: PricingSource | None) -> None:
    more = "more" if s.left > 0 else "less"
    share = percent_text(abs(s.left), expected)
    text = f"billed {usd(abs(s.left))} {more} than expected" + (f" ({share})" if share else "")
    text += " — unexplained"
    if src and src.fetched_at and f.created_at and src.fetched_at - f.created_at > STALE_PRICES:
        late = age((src.fetched_at - f.created_at).total_seconds())
        text += f"; the prices were fetched {late} after the generation and may have changed"
    s.unexplained = s.left
    s.take(Reason("unexplained", text, s.left))


def settle(
    f: Figures, p: Pricing, priced: Priced, expected: Decimal, src: PricingSource | None
) -> Settlement:
    """Take ``billed − expected`` apart (``f.total_cost`` must be known)."""
    billed = f.total_cost or ZERO
    s = Settlement(left=billed - expected, scale=max(abs(billed), abs(expected)))
    if f.response_cache_source_id:
        _cache_hit(f, s, expected)
    if s.zeroed is None and insured(f):
        _insurance(f, s, priced, expected)
    if s.zeroed is None and f.is_byok:
        _byok(f, s, priced.list_price, expected)
    if s.zeroed is None and s.byok is None:
        _cache(f, s, p, priced)
        if f.is_batch:
            _batch(f, s, p, priced)
        if not s.settled:
            _data_sharing(f, s)
    if s.zeroed is None and priced.unpriced_tools:
        _tools(s, priced)
    if not s.settled:
        _unexplained(f, s, expected, src)
    return s


def unavailable_reasons(f: Figures, why: str) -> list[Reason]:
    """With no price to compare: say why, and what the record alone still tells."""
    reasons = [Reason("pricing_unavailable", f"pricing unavailable: {why}")]
    billed = f.total_cost
    free = billed is not None and matches(billed, ZERO)
    if f.response_cache_source_id:
        state = "not billed" if free else "yet billed"
        text = f"response-cache hit of {clean(f.response_cache_source_id)}: {state}"
        reasons.append(Reason("response_cache_hit", text))
    elif insured(f):
        state = "not billed" if free else "billed anyway"
        reasons.append(Reason("insured_zero_completion", f"zero-completion insurance: {state}"))
    if f.is_byok:
        text = f"BYOK: OpenRouter billed {usd(billed)} as its fee" + _spent(f)
        reasons.append(Reason("byok_fee", text))
    if f.is_batch:
        text = "batch id: batch prices are typically 50 % of token prices (estimate)"
        reasons.append(Reason("batch_discount", text, None, True))
    if f.num_fetches or f.num_search_results:
        text = "tool fees (web search, fetches) are not derivable from the record (estimate)"
        reasons.append(Reason("tool_fees_not_derivable", text, None, True))
    return reasons

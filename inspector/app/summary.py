"""A Markdown summary of a generation, for pasting into an issue, a chat or a ticket.

Fields that identify people or their machines (``external_user``, ``user_agent``,
``http_referer``, ``session_id``, and ``origin``, which is often the referer's URL) are
masked: the summary says *masked* where they were, and keeps no part of them. Every value
is cleaned of control characters and escaped so it cannot break the Markdown around it.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import TYPE_CHECKING, Any

from inspector.core import formatting as fmt
from inspector.core.models import Generation, ProviderResponse
from inspector.core.textsafe import clean

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport

__all__ = ["MASKED", "MASKED_FIELDS", "markdown_summary", "mask"]

MASKED_FIELDS = ("origin", "external_user", "user_agent", "http_referer", "session_id")
MASKED = "_masked_"  # what stands for a masked value (Markdown: *masked*, in italics)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def mask(value: object) -> str:
    """What a masked value becomes: the word *masked*, nothing of the value itself (a tail
    like ``••••9c`` told too little to be useful and too much to be safe)."""
    return MASKED


def _md(value: object) -> str:
    """A value as literal Markdown text: cleaned, specials backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value))


def _code(value: object) -> str:
    """A value as an inline code span that no backtick inside it can end early."""
    text = clean(value).replace("|", "\\|")  # GFM tables split cells even in code spans
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _attempt(response: ProviderResponse) -> str:
    name = _md(response.provider_name) if response.provider_name else "unknown provider"
    status = response.status if response.status is not None else "no status"
    return f"{name} {status}"


def _provider_line(gen: Generation) -> str:
    served = gen.provider_name or (gen.served_by.provider_name if gen.served_by else None)
    head = _md(served) if served else fmt.MISSING
    responses = gen.provider_responses
    if not responses:
        return head
    fallbacks = gen.fallback_count
    if gen.served_by is None:
        return f"{head} (no provider answered; {len(responses)} attempted)"
    if fallbacks == 0:
        return f"{head} (no fallback)"
    failed = ", ".join(_attempt(r) for r in responses[: min(fallbacks, 5)])
    more = f", … {fallbacks - 5} more" if fallbacks > 5 else ""
    noun = "fallback" if fallbacks == 1 else "fallbacks"
    return f"{head} (after {fallbacks} {noun}: {failed}{more})"


def _outcome_line(gen: Generation) -> str:
    parts = [_md(gen.finish_reason) if gen.finish_reason else "no finish reason"]
    if gen.native_finish_reason and gen.native_finish_reason != gen.finish_reason:
        parts[0] += f" ({_md(gen.native_finish_reason)})"
    if gen.streamed:
        parts.append("streamed")
    if gen.cancelled:
        parts.append("cancelled")
    if gen.is_byok:
        parts.append("BYOK")
    if gen.response_cache_hit:
        parts.append(f"response cache hit of {_code(gen.response_cache_source_id)}")
    return " · ".join(parts)


def cost_line(gen: Generation) -> str:
    """Total, cache discount or write, BYOK upstream cost, price per million tokens."""
    parts = [fmt.money(gen.total_cost)]
    discount = gen.cache_discount
    if discount is not None and discount > 0:
        parts.append(f"cache discount {fmt.MINUS}{fmt.money(discount)}")
    elif discount is not None and discount < 0:
        parts.append(f"cache write +{fmt.money(-discount)}")
    if gen.is_byok and gen.upstream_inference_cost is not None:
        parts.append(f"upstream (BYOK) {fmt.money(gen.upstream_inference_cost)}")
    if gen.cost_per_million_tokens is not None:
        parts.append(fmt.per_million(gen.cost_per_million_tokens))
    return " · ".join(parts)


def token_line(gen: Generation) -> str:
    """Prompt (cached) and completion (reasoning) tokens, images when any."""
    prompt = f"prompt {fmt.tokens(gen.native_tokens_prompt)}"
    if gen.prompt_cached:
        prompt += f" ({fmt.tokens(gen.prompt_cached)} cached)"
    completion = f"completion {fmt.tokens(gen.native_tokens_completion)}"
    if gen.completion_reasoning:
        completion += f" ({fmt.tokens(gen.completion_reasoning)} reasoning)"
    parts = [prompt, completion]
    if gen.native_tokens_completion_images:
        parts.append(f"images {fmt.tokens(gen.native_tokens_completion_images)}")
    return " · ".join(parts)


def _timing_line(gen: Generation) -> str:
    parts = [
        f"latency {fmt.duration_ms(gen.latency)}",
        f"generation {fmt.duration_ms(gen.generation_time)}",
    ]
    if gen.moderation_latency is not None:
        parts.append(f"moderation {fmt.duration_ms(gen.moderation_latency)}")
    if gen.throughput is not None:
        parts.append(fmt.throughput(gen.throughput))
    return " · ".join(parts)


def _attribution_line(gen: Generation) -> str | None:
    parts = []
    if gen.app_id:
        parts.append(f"app {_md(gen.app_id)}")
    for name in MASKED_FIELDS:
        value = getattr(gen, name)
        if value:
            parts.append(f"{name.replace('_', ' ')} {mask(value)}")
    if gen.request_id:
        parts.append(f"request {_code(gen.request_id)}")
    return " · ".join(parts) if parts else None


def _bill_line(bill: BillReport) -> str:
    """The verdict, and the list price and difference when there is one."""
    parts = [_md(bill.verdict_text)]
    for code in ("list_price", "difference"):
        total = bill.total(code)
        if total is not None:
            parts.append(f"{total.label} {_md(total.text)}")
    return " · ".join(parts)


def markdown_summary(
    generation: Generation, raw: dict[str, Any], *, bill: BillReport | None = None
) -> str:
    """A short Markdown table of the figures people ask about, with personal data masked.

    ``raw`` is the ``data`` object as received; its unknown keys are counted, not shown.
    ``bill``: the bill explained, when it is known (its verdict is a row).
    """
    gen = generation
    created = (
        gen.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if gen.created_at
        else fmt.MISSING
    )
    rows = [
        ("Model", _code(gen.model) if gen.model else fmt.MISSING),
        ("Provider", _provider_line(gen)),
        ("Created", created),
        ("Outcome", _outcome_line(gen)),
        ("Cost", cost_line(gen)),
        *([("Bill", _bill_line(bill))] if bill is not None else []),
        ("Tokens", token_line(gen)),
        ("Timing", _timing_line(gen)),
    ]
    attribution = _attribution_line(gen)
    if attribution:
        rows.append(("Attribution", attribution))
    unknown = sorted(set(raw) - set(Generation.FIELDS))
    if unknown:
        rows.append(("Other fields", ", ".join(_code(k) for k in unknown)))
    title = f"**OpenRouter generation** {_code(gen.id or raw.get('id') or '?')}"
    table = ["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    return "\n".join([title, "", *table, ""])

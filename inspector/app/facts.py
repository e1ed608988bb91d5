"""The facts of a record, presentation-neutral: what both front-ends show, computed once.

A :class:`Fact` is a label, a machine value, its text as people read it, a unit and a note
(where a figure came from, what it means). The CLI prints facts as lines; the TUI draws the
same facts as rows with bars. Neither front-end decides a figure of its own: which token
count stands for the prompt, when the BYOK upstream cost shows, what a price per million
counts, how many fallbacks there were — all of it is decided here, from the figures the
domain's :class:`~inspector.core.models.Generation` chooses.

Every text is terminal-safe (:func:`inspector.core.textsafe.clean`): API strings never
carry control characters or markup meaning out of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inspector.core import formatting as fmt
from inspector.core.models import Generation, TokenCount
from inspector.core.textsafe import clean

__all__ = [
    "STATUS_WORDS",
    "Fact",
    "RecordFacts",
    "record_facts",
    "routing_text",
    "status_words",
]


@dataclass(frozen=True)
class Fact:
    """One figure: ``label`` ("cost"), ``value`` (machine form, e.g. ``0.0097364``),
    ``text`` (``$0.0097364``), ``unit`` ("USD"), ``note`` (e.g. "normalized count") and
    ``field``, the record's key it comes from (what "copy" copies), if any."""

    label: str
    value: Any
    text: str
    unit: str = ""
    note: str = ""
    field: str | None = None
    name: str | None = None  # a derived figure's stable name (e.g. "true_spend")

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def key(self) -> str:
        """The record field it shows, or the derived figure's name."""
        return self.field or self.name or self.label.replace(" ", "_")


STATUS_WORDS = {
    400: "bad request",
    401: "key refused",
    402: "no credits",
    403: "refused",
    404: "not found",
    408: "timed out",
    413: "too large",
    422: "rejected",
    429: "rate limited",
    499: "client gave up",
    500: "provider error",
    502: "upstream error",
    503: "unavailable",
    504: "timed out",
    524: "timed out",
    529: "overloaded",
}


def status_words(status: int | None) -> str:
    """What a provider attempt's status means, in two or three words."""
    if status is None:
        return "no answer"
    if 200 <= status < 300:
        return "ok"
    if status in STATUS_WORDS:
        return STATUS_WORDS[status]
    return "client error" if 400 <= status < 500 else "failed"


def _tokens(label: str, count: TokenCount) -> Fact:
    note = {
        "native": "",
        "normalized": "normalized count; no billed count",
        "none": "not reported",
    }[count.source]
    return Fact(label, count.value, fmt.tokens(count.value), "tokens", note, count.field)


def _count(
    label: str, value: int | None, field: str | None, note: str = "", name: str | None = None
) -> Fact:
    return Fact(label, value, fmt.tokens(value), "tokens", note, field, name)


def _money(
    label: str, value: float | None, field: str | None, note: str = "", name: str | None = None
) -> Fact:
    return Fact(label, value, fmt.money(value), "USD", note, field, name)


def _duration(label: str, value: float | None, field: str | None) -> Fact:
    return Fact(label, value, fmt.duration_ms(value), "ms", "", field)


def routing_text(gen: Generation, *, limit: int = 5) -> str:
    """``after 2 fallbacks: Chutes 429, Together 502``, ``no fallback``, or
    ``no provider answered (3 attempted)``; empty when no attempt is listed."""
    responses = gen.provider_responses
    if not responses:
        return ""
    if gen.served_by is None:
        return f"no provider answered ({len(responses):,} attempted)"
    fallbacks = gen.fallback_count
    if fallbacks == 0:
        return "no fallback"
    failed = ", ".join(
        f"{clean(r.provider_name or '?')} {r.status if r.status is not None else fmt.MISSING}"
        for r in responses[: min(fallbacks, limit)]
    )
    more = f", … {fallbacks - limit:,} more" if fallbacks > limit else ""
    noun = "fallback" if fallbacks == 1 else "fallbacks"
    return f"after {fallbacks:,} {noun}: {failed}{more}"


@dataclass(frozen=True)
class RecordFacts:
    """Everything the front-ends show of one record, as facts."""

    gen_id: str
    model: Fact
    api_type: Fact
    provider: Fact
    created: Fact
    finish: Fact
    flags: tuple[str, ...]
    cost: Fact
    cache: Fact | None
    upstream: Fact | None
    true_spend: Fact | None
    per_million: Fact | None
    true_per_million: Fact | None
    usage: Fact | None
    prompt: Fact
    prompt_cached: Fact | None
    prompt_new: Fact | None
    completion: Fact
    reasoning: Fact | None
    visible: Fact | None
    images: Fact | None
    latency: Fact
    generation_time: Fact
    moderation: Fact | None
    throughput: Fact | None
    total_time: Fact | None
    fallbacks: Fact
    cached_from: Fact | None
    other_fields: tuple[str, ...]

    @property
    def figures(self) -> dict[str, Fact]:
        """The facts by name (for tests and for front-ends that list them all)."""
        return {name: value for name, value in self.__dict__.items() if isinstance(value, Fact)}


def _created(gen: Generation, now: datetime | None) -> Fact:
    if gen.created_at is None:
        return Fact("created", None, fmt.MISSING, field="created_at")
    when = fmt.local_time(gen.created_at, seconds=True, zone=True)
    age = fmt.relative_age(gen.age_seconds(now))
    return Fact("created", gen.created_at.isoformat(), when, "", age, "created_at")


def _finish(gen: Generation) -> Fact:
    reason = gen.finish_reason
    native = gen.native_finish_reason
    note = f"provider: {clean(native)}" if native and native != reason else ""
    text = clean(reason) if reason else "no finish reason"
    return Fact("finish", reason, text, "", note, "finish_reason")


def _flags(gen: Generation) -> tuple[str, ...]:
    flags = [
        label
        for label, on in (
            ("streamed", gen.streamed),
            ("cancelled", gen.cancelled),
            ("BYOK", gen.is_byok),
            ("response cache hit", gen.response_cache_hit),
        )
        if on
    ]
    return tuple(flags)


def _cache(gen: Generation) -> Fact | None:
    """The net cache figure: a discount (reads) or a premium (writes cost more)."""
    discount = gen.cache_discount
    if discount is None or discount == 0:
        return None
    if discount > 0:
        text = f"{fmt.MINUS}{fmt.money(discount)}"
        return Fact(
            "cache discount", discount, text, "USD", "saved by cache reads", "cache_discount"
        )
    text = f"+{fmt.money(-discount)}"
    return Fact("cache write", discount, text, "USD", "paid to write the cache", "cache_discount")


def _upstream(gen: Generation) -> Fact | None:
    """BYOK: what the provider charged on the person's own key. A non-BYOK record that
    reports one anyway is shown, and said not to count."""
    if gen.is_byok:
        return _money(
            "upstream (BYOK)",
            gen.upstream_cost,
            "upstream_inference_cost",
            "charged by the provider to your own key",
        )
    if gen.upstream_inference_cost:
        return _money(
            "upstream",
            gen.upstream_inference_cost,
            "upstream_inference_cost",
            "reported for a call that is not BYOK; not part of the spend",
        )
    return None


def _per_million(label: str, value: float | None, note: str, name: str) -> Fact | None:
    if value is None:
        return None
    return Fact(label, value, fmt.per_million(value), "USD/M tokens", note, name=name)


def _usage(gen: Generation) -> Fact | None:
    """``usage`` is a dollar amount; shown only when it differs from ``total_cost``."""
    if gen.usage is None or gen.usage == gen.total_cost:
        return None
    return _money("usage", gen.usage, "usage", "differs from the total")


def _throughput(gen: Generation) -> Fact | None:
    speed = gen.throughput
    if speed is None:
        return None
    source = gen.completion_tokens.source
    note = "completion tokens per second of generation"
    if source == "normalized":
        note += " (normalized count)"
    return Fact("throughput", speed, fmt.throughput(speed), "tok/s", note, name="throughput")


def _total_time(gen: Generation) -> Fact | None:
    if gen.latency is None or gen.generation_time is None:
        return None
    total = gen.total_time_ms
    return Fact("total", total, fmt.duration_ms(total), "ms", name="total_time")


def _fallbacks(gen: Generation) -> Fact:
    count = gen.fallback_count if gen.provider_responses else None
    text = routing_text(gen) or "no attempts listed"
    return Fact("fallbacks", count, text, "", "", "provider_responses")


def record_facts(gen: Generation, raw: dict[str, Any], now: datetime | None = None) -> RecordFacts:
    """The facts of one record (``raw``: its ``data`` object as received)."""
    provider = gen.serving_provider
    byok = bool(gen.is_byok)
    native_prompt = gen.native_tokens_prompt is not None
    native_completion = gen.native_tokens_completion is not None
    return RecordFacts(
        gen_id=clean(gen.id or raw.get("id") or "?"),
        model=Fact(
            "model", gen.model, clean(gen.model) if gen.model else fmt.MISSING, field="model"
        ),
        api_type=Fact(
            "api type", gen.api_type, clean(gen.api_type or fmt.MISSING), field="api_type"
        ),
        provider=Fact(
            "provider",
            provider,
            clean(provider) if provider else fmt.MISSING,
            field="provider_name",
        ),
        created=_created(gen, now),
        finish=_finish(gen),
        flags=_flags(gen),
        cost=_money(
            "cost",
            gen.total_cost,
            "total_cost",
            "OpenRouter's fee only" if byok else "",
        ),
        cache=_cache(gen),
        upstream=_upstream(gen),
        true_spend=_money(
            "true spend",
            gen.true_spend,
            None,
            "OpenRouter's fee plus the upstream cost",
            "true_spend",
        )
        if byok
        else None,
        per_million=_per_million(
            "per M tokens (billed)" if byok else "per M tokens",
            gen.cost_per_million_tokens,
            "what was billed per million tokens",
            "cost_per_million_tokens",
        ),
        true_per_million=_per_million(
            "per M tokens (true spend)",
            gen.true_spend_per_million_tokens,
            "fee plus upstream cost per million tokens",
            "true_spend_per_million_tokens",
        )
        if byok
        else None,
        usage=_usage(gen),
        prompt=_tokens("prompt", gen.prompt_tokens),
        prompt_cached=_count("cached", gen.prompt_cached, "native_tokens_cached")
        if native_prompt
        else None,
        prompt_new=_count(
            "new",
            gen.prompt_uncached,
            None,
            "prompt tokens not read from the cache",
            "prompt_uncached",
        )
        if native_prompt
        else None,
        completion=_tokens("completion", gen.completion_tokens),
        reasoning=_count("reasoning", gen.completion_reasoning, "native_tokens_reasoning")
        if native_completion
        else None,
        visible=_count(
            "visible",
            gen.completion_visible,
            None,
            "completion tokens not reasoning",
            "completion_visible",
        )
        if native_completion
        else None,
        images=_count(
            "images", gen.native_tokens_completion_images, "native_tokens_completion_images"
        )
        if gen.native_tokens_completion_images
        else None,
        latency=_duration("latency", gen.latency, "latency"),
        generation_time=_duration("generation", gen.generation_time, "generation_time"),
        moderation=_duration("moderation", gen.moderation_latency, "moderation_latency")
        if gen.moderation_latency is not None
        else None,
        throughput=_throughput(gen),
        total_time=_total_time(gen),
        fallbacks=_fallbacks(gen),
        cached_from=Fact(
            "cached from",
            gen.response_cache_source_id,
            clean(gen.response_cache_source_id),
            field="response_cache_source_id",
        )
        if gen.response_cache_source_id
        else None,
        other_fields=tuple(clean(k) for k in sorted(gen.other_fields)),
    )

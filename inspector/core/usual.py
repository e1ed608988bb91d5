"""How a generation compares: with the person's own history, the provider's last 30 minutes,
its session, and its own routing. Pure; badges say what they compared against and how much.

* ``slow`` — latency above the p90 of past generations of the same model at the same provider,
  or throughput below their p10;
* ``slow_now`` — latency above the provider's live p90 (``latency_last_30m``), or throughput
  below its live slow tail (``throughput_last_30m.p90``);
* ``costly`` — price per million native tokens above the p90 of past generations;
* ``fell_back`` — providers failed before the one that served;
* ``cache_never_hit`` — no generation of the session read anything from the prompt cache;
* ``other_tier`` — the serving attempt's ``routed_service_tier`` is not the record's
  ``service_tier``.

History badges need ``MIN_HISTORY`` (5) past values of that figure; session badges need
``MIN_SESSION`` (3) generations. Short of that there is no badge, and a ``needs_more_history``
note says how many there are. Percentiles interpolate linearly between ranks (``p90`` of
``[1..10]`` is 9.1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from inspector.core.coerce import to_float, to_int, to_str
from inspector.core.endpoints import Endpoint
from inspector.core.formatting import duration_ms, per_million, throughput
from inspector.core.textsafe import clean

__all__ = [
    "BADGE_CODES",
    "MIN_HISTORY",
    "MIN_SESSION",
    "Attempt",
    "Badge",
    "Comparison",
    "Current",
    "Note",
    "Sample",
    "Stats",
    "Usual",
    "compare",
    "current_from",
    "quantile",
    "sample_from",
    "stats",
    "usual",
]

MIN_HISTORY = 5
MIN_SESSION = 3
BADGE_CODES = ("slow", "slow_now", "costly", "fell_back", "cache_never_hit", "other_tier")


@dataclass(frozen=True)
class Sample:
    """The figures of one generation that comparisons use."""

    id: str | None = None
    latency_ms: float | None = None
    throughput: float | None = None  # completion tokens per second
    price_per_million: float | None = None  # USD per million native tokens
    prompt_tokens: int | None = None
    cached_tokens: int | None = None


@dataclass(frozen=True)
class Attempt:
    provider_name: str | None = None
    status: int | None = None
    routed_service_tier: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Current:
    sample: Sample
    model: str | None = None
    provider_name: str | None = None
    service_tier: str | None = None
    session_id: str | None = None
    attempts: tuple[Attempt, ...] = ()
    fallbacks: int = 0  # failed attempts before the one that served


def _finite(value: Any) -> float | None:
    number = to_float(value)
    return number if number is not None and number >= 0 else None


def sample_from(gen: Any) -> Sample:
    """Read a sample off a ``Generation`` (its derived ``throughput`` and
    ``cost_per_million_tokens``) or anything with those attributes."""
    return Sample(
        id=to_str(getattr(gen, "id", None)),
        latency_ms=_finite(getattr(gen, "latency", None)),
        throughput=_finite(getattr(gen, "throughput", None)),
        price_per_million=_finite(getattr(gen, "cost_per_million_tokens", None)),
        prompt_tokens=to_int(getattr(gen, "native_tokens_prompt", None)),
        cached_tokens=to_int(getattr(gen, "native_tokens_cached", None)),
    )


def current_from(gen: Any) -> Current:
    attempts = tuple(
        Attempt(
            to_str(getattr(a, "provider_name", None)),
            to_int(getattr(a, "status", None)),
            to_str(getattr(a, "routed_service_tier", None)),
        )
        for a in getattr(gen, "provider_responses", None) or ()
    )
    return Current(
        sample=sample_from(gen),
        model=to_str(getattr(gen, "model", None)),
        provider_name=to_str(getattr(gen, "provider_name", None)),
        service_tier=to_str(getattr(gen, "service_tier", None)),
        session_id=to_str(getattr(gen, "session_id", None)),
        attempts=attempts,
        fallbacks=to_int(getattr(gen, "fallback_count", None)) or 0,
    )


def quantile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0–1), linear between closest ranks; ``None`` for no values."""
    ordered = sorted(v for v in values if math.isfinite(v))
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Stats:
    count: int = 0
    median: float | None = None
    p90: float | None = None
    p10: float | None = None


def stats(values: Iterable[float | None]) -> Stats:
    known = [v for v in values if v is not None and math.isfinite(v)]
    return Stats(len(known), quantile(known, 0.5), quantile(known, 0.9), quantile(known, 0.1))


@dataclass(frozen=True)
class Usual:
    samples: int
    latency: Stats
    throughput: Stats
    price: Stats


def usual(history: Iterable[Sample], *, exclude_id: str | None = None) -> Usual:
    """Median, p90 and p10 of past samples (the current one left out by id)."""
    past = [s for s in history if exclude_id is None or s.id != exclude_id]
    return Usual(
        len(past),
        stats(s.latency_ms for s in past),
        stats(s.throughput for s in past),
        stats(s.price_per_million for s in past),
    )


@dataclass(frozen=True)
class Badge:
    code: str  # one of BADGE_CODES
    text: str
    compared_with: str  # what it was measured against, in words
    samples: int | None  # how many values that was (None for the provider's live figures)


@dataclass(frozen=True)
class Note:
    code: str  # "needs_more_history"
    text: str


@dataclass(frozen=True)
class Comparison:
    badges: tuple[Badge, ...]
    notes: tuple[Note, ...]
    usual: Usual

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.badges)

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"code": b.code, "text": b.text, "compared_with": b.compared_with, "samples": b.samples}
            for b in self.badges
        ]


def _history_label(current: Current, count: int) -> str:
    model = clean(current.model) if current.model else "this model"
    provider = clean(current.provider_name) if current.provider_name else "this provider"
    noun = "generation" if count == 1 else "generations"
    return f"your {count} past {noun} of {model} at {provider}"


def _above(value: float | None, limit: float | None) -> bool:
    return value is not None and limit is not None and value > limit


def _history_badges(current: Current, found: Usual, min_history: int) -> list[Badge | Note]:
    now = current.sample
    out: list[Badge | Note] = []
    short: list[str] = []

    def enough(name: str, figure: Stats, value: float | None) -> bool:
        if value is not None and figure.count < min_history:
            short.append(f"{name} {figure.count}")
        return value is not None and figure.count >= min_history

    def badge(code: str, text: str, figure: Stats) -> Badge:
        label = _history_label(current, figure.count)
        return Badge(code, f"{text} over {label}", label, figure.count)

    lat, speed, price = found.latency, found.throughput, found.price
    lat_ok = enough("latency", lat, now.latency_ms)
    speed_ok = enough("throughput", speed, now.throughput)
    price_ok = enough("price", price, now.price_per_million)
    if lat_ok and _above(now.latency_ms, lat.p90):
        text = (
            f"slow against usual: {duration_ms(now.latency_ms)} to first token; usual "
            f"{duration_ms(lat.median)} (median), p90 {duration_ms(lat.p90)}"
        )
        out.append(badge("slow", text, lat))
    elif speed_ok and _above(speed.p10, now.throughput):
        text = (
            f"slow against usual: {throughput(now.throughput)}; usual "
            f"{throughput(speed.median)} (median), p10 {throughput(speed.p10)}"
        )
        out.append(badge("slow", text, speed))
    if price_ok and _above(now.price_per_million, price.p90):
        text = (
            f"costly against usual: {per_million(now.price_per_million)}; usual "
            f"{per_million(price.median)} (median), p90 {per_million(price.p90)}"
        )
        out.append(badge("costly", text, price))
    if short:
        text = (
            f"slow and costly badges need {min_history} past generations of the same model at "
            f"the same provider; so far: {', '.join(short)}"
        )
        out.append(Note("needs_more_history", text))
    return out


def _live_badge(current: Current, live: Endpoint) -> Badge | None:
    now = current.sample
    label = f"{live.label} over the last 30 minutes (OpenRouter's p90)"
    latency, speed = live.latency_last_30m, live.throughput_last_30m
    if latency and _above(now.latency_ms, latency.p90):
        text = (
            f"slow right now: {duration_ms(now.latency_ms)} to first token against "
            f"{duration_ms(latency.p90)} at p90 for {label}"
        )
        return Badge("slow_now", text, label, None)
    if speed and _above(speed.p90, now.throughput):
        text = (
            f"slow right now: {throughput(now.throughput)} against {throughput(speed.p90)} "
            f"at p90 for {label}"
        )
        return Badge("slow_now", text, label, None)
    return None


def _fell_back(current: Current) -> Badge | None:
    if current.fallbacks <= 0:
        return None
    failed = current.attempts[: current.fallbacks]
    listed = ", ".join(
        f"{clean(a.provider_name or 'unnamed')} {a.status if a.status is not None else '?'}"
        for a in failed
    )
    served = next((a for a in current.attempts if a.succeeded), None)
    who = clean(served.provider_name or "another provider") if served else "no provider"
    plural = "providers" if current.fallbacks > 1 else "provider"
    text = f"fell back: {current.fallbacks} {plural} failed before {who} served ({listed})"
    return Badge("fell_back", text, "this record's provider attempts", len(current.attempts))


def _session_badge(
    current: Current, session: Sequence[Sample], minimum: int
) -> Badge | Note | None:
    records = {s.id or str(i): s for i, s in enumerate(session)}
    records.setdefault(current.sample.id or "current", current.sample)
    prompted = [s for s in records.values() if s.prompt_tokens]
    name = clean(current.session_id or "")
    if len(prompted) < minimum:
        text = (
            f"the cache badge needs {minimum} generations in session {name}; so far: "
            f"{len(prompted)}"
        )
        return Note("needs_more_history", text)
    if any(s.cached_tokens for s in prompted):
        return None
    label = f"the {len(prompted)} generations of session {name}"
    text = f"cache never hit within this session: no cached prompt tokens in {label}"
    return Badge("cache_never_hit", text, label, len(prompted))


def _other_tier(current: Current) -> Badge | None:
    served = next((a for a in current.attempts if a.succeeded), None)
    routed = served.routed_service_tier if served else None
    asked = current.service_tier
    if not routed or not asked or routed.strip().casefold() == asked.strip().casefold():
        return None
    text = f"routed to another service tier: {clean(routed)} (the record says {clean(asked)})"
    return Badge("other_tier", text, "the serving attempt's routed_service_tier", None)


def compare(
    current: Current,
    history: Iterable[Sample] = (),
    *,
    session: Sequence[Sample] | None = None,
    live: Endpoint | None = None,
    min_history: int = MIN_HISTORY,
    min_session: int = MIN_SESSION,
) -> Comparison:
    """Badges for ``current``: ``history`` is past samples of the same model and provider,
    ``session`` the samples of its session (when it has a ``session_id``), ``live`` its
    endpoint from the ``/endpoints`` answer."""
    found = usual(history, exclude_id=current.sample.id)
    parts: list[Badge | Note | None] = [*_history_badges(current, found, min_history)]
    if live is not None:
        parts.append(_live_badge(current, live))
    parts += [_fell_back(current), _other_tier(current)]
    if current.session_id and session is not None:
        parts.append(_session_badge(current, session, min_session))
    badges = tuple(p for p in parts if isinstance(p, Badge))
    notes = tuple(p for p in parts if isinstance(p, Note))
    return Comparison(badges, notes, found)

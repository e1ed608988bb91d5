"""The ``GET /models/{author}/{slug}/endpoints`` answer, and which endpoint served a generation.

Endpoints carry no id a generation names, so the join is (API.md "Which price"): the
generation's ``model`` = ``model_id``, then ``provider_name``; where a provider lists
several endpoints, the ``tag`` (``deepinfra/turbo``) when the caller knows it, and the
service tier (tag ``openai/priority`` at the tier price, matched on ``service_tier``). When
that still leaves several endpoints with different prices, every candidate is returned.
The join is inferred; reading is lenient (a malformed endpoint is skipped, junk fields are
``None``), and :func:`choose_endpoint` answers with one of a few typed results, never raises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspector.core.coerce import to_float, to_int, to_str
from inspector.core.pricing import Pricing, parse_pricing
from inspector.core.textsafe import clean

__all__ = [
    "Ambiguous",
    "Choice",
    "Endpoint",
    "EndpointList",
    "FetchFailed",
    "ModelNotListed",
    "NoPricing",
    "Percentiles",
    "ProviderNotListed",
    "Served",
    "Unavailable",
    "Uptime",
    "choose_endpoint",
    "parse_endpoints",
]

# Tag suffixes that name a service tier rather than a variant or region (inferred).
TIER_SUFFIXES = frozenset({"priority", "flex", "scale", "standard", "default"})
_DEFAULT_TIERS = frozenset({"standard", "default", "auto"})


@dataclass(frozen=True)
class Percentiles:
    p50: float | None = None
    p75: float | None = None
    p90: float | None = None
    p99: float | None = None


@dataclass(frozen=True)
class Uptime:
    """Percent of successful requests (rate-limited ones excluded); ``None`` = too little data."""

    last_5m: float | None = None
    last_30m: float | None = None
    last_1d: float | None = None


@dataclass(frozen=True)
class Endpoint:
    provider_name: str | None
    tag: str | None
    model_id: str | None
    pricing: Pricing
    name: str | None = None
    latency_last_30m: Percentiles | None = None  # time to first token, ms (null without a key)
    throughput_last_30m: Percentiles | None = None  # tokens/s; p90 is the slow tail
    uptime: Uptime = Uptime()
    status: int | None = None  # 0 = up; negative values are degraded states
    service_tier: str | None = None

    @property
    def overrides(self) -> tuple[Any, ...]:
        return self.pricing.overrides

    @property
    def label(self) -> str:
        """``Fireworks``, or ``Moonshot AI (moonshotai/turbo)`` for a variant, made safe."""
        name = clean(self.provider_name or "unnamed provider")
        return f"{name} ({clean(self.tag)})" if self.tag and "/" in self.tag else name


@dataclass(frozen=True)
class EndpointList:
    model_id: str | None  # the /models ``id`` the answer is for (``data.id``)
    endpoints: tuple[Endpoint, ...] = ()


def _percentiles(raw: Any) -> Percentiles | None:
    if not isinstance(raw, Mapping):
        return None
    return Percentiles(*(to_float(raw.get(key)) for key in ("p50", "p75", "p90", "p99")))


def _tier(raw: Mapping[str, Any], tag: str | None) -> str | None:
    explicit = to_str(raw.get("service_tier"))
    if explicit:
        return explicit.strip().lower()
    if tag and "/" in tag:
        suffix = tag.rsplit("/", 1)[1].strip().lower()
        if suffix in TIER_SUFFIXES:
            return suffix
    return None


def _endpoint(raw: Any) -> Endpoint | None:
    if not isinstance(raw, Mapping):
        return None
    tag = to_str(raw.get("tag"))
    return Endpoint(
        provider_name=to_str(raw.get("provider_name")),
        tag=tag,
        model_id=to_str(raw.get("model_id")),
        pricing=parse_pricing(raw.get("pricing")),
        name=to_str(raw.get("name")),
        latency_last_30m=_percentiles(raw.get("latency_last_30m")),
        throughput_last_30m=_percentiles(raw.get("throughput_last_30m")),
        uptime=Uptime(
            to_float(raw.get("uptime_last_5m")),
            to_float(raw.get("uptime_last_30m")),
            to_float(raw.get("uptime_last_1d")),
        ),
        status=to_int(raw.get("status")),
        service_tier=_tier(raw, tag),
    )


def parse_endpoints(payload: Any) -> EndpointList:
    """Read ``{"data": {...}}``, the ``data`` object, or a bare list of endpoints."""
    data = payload.get("data", payload) if isinstance(payload, Mapping) else payload
    model_id = to_str(data.get("id")) if isinstance(data, Mapping) else None
    raw = data.get("endpoints") if isinstance(data, Mapping) else data
    items = raw if isinstance(raw, list) else []
    found = (_endpoint(item) for item in items)
    return EndpointList(model_id, tuple(e for e in found if e is not None))


# ---- the join's results ---------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    endpoint: Endpoint
    basis: str  # how it was chosen, for text: "provider", "provider and tag", …


@dataclass(frozen=True)
class Ambiguous:
    """Several endpoints of the provider fit and their prices differ."""

    candidates: tuple[Endpoint, ...]

    code = "ambiguous"

    @property
    def why(self) -> str:
        labels = ", ".join(e.label for e in self.candidates)
        return f"the provider lists {len(self.candidates)} endpoints at different prices: {labels}"


@dataclass(frozen=True)
class ModelNotListed:
    model: str | None
    listed: tuple[str, ...] = ()

    code = "model_not_listed"

    @property
    def why(self) -> str:
        name = clean(self.model) if self.model else "the model"
        return f"{name} is no longer listed (no endpoint prices it)"


@dataclass(frozen=True)
class ProviderNotListed:
    provider: str | None
    listed: tuple[str, ...] = ()

    code = "provider_not_listed"

    @property
    def why(self) -> str:
        if not self.provider:
            return "the record names no provider to look its price up"
        others = ", ".join(clean(p) for p in self.listed) or "none"
        return f"{clean(self.provider)} no longer lists this model (listed: {others})"


@dataclass(frozen=True)
class NoPricing:
    provider: str | None
    unknown: tuple[str, ...] = ()

    code = "no_pricing"

    @property
    def why(self) -> str:
        name = clean(self.provider) if self.provider else "the endpoint"
        return f"{name} lists no readable prompt and completion price"


@dataclass(frozen=True)
class FetchFailed:
    """The caller could not get the endpoints at all (network down, error status, bad body)."""

    detail: str

    code = "fetch_failed"

    @property
    def why(self) -> str:
        return f"prices could not be fetched: {clean(self.detail)}"


Unavailable = ModelNotListed | ProviderNotListed | NoPricing | FetchFailed
Choice = Served | Ambiguous | ModelNotListed | ProviderNotListed | NoPricing


def _norm(text: str | None) -> str:
    return (text or "").strip().casefold()


def _narrow(candidates: list[Endpoint], keep: list[Endpoint]) -> list[Endpoint]:
    return keep if keep else candidates


def choose_endpoint(
    listing: EndpointList | Sequence[Endpoint],
    *,
    model: str | None,
    provider_name: str | None,
    service_tier: str | None = None,
    tag: str | None = None,
) -> Choice:
    """The endpoint that served a generation of ``model`` by ``provider_name``."""
    endpoints = list(listing.endpoints if isinstance(listing, EndpointList) else listing)
    wanted = _norm(model)
    same = [e for e in endpoints if not wanted or not e.model_id or _norm(e.model_id) == wanted]
    if not same:
        return ModelNotListed(model, tuple(sorted({e.model_id for e in endpoints if e.model_id})))
    providers = tuple(dict.fromkeys(e.provider_name for e in same if e.provider_name))
    if not _norm(provider_name):
        return ProviderNotListed(provider_name, providers)
    ours = [e for e in same if _norm(e.provider_name) == _norm(provider_name)]
    if not ours:
        return ProviderNotListed(provider_name, providers)
    basis = "provider"
    if len(ours) > 1 and tag:
        by_tag = [e for e in ours if _norm(e.tag) == _norm(tag)]
        basis = "provider and tag" if by_tag else basis
        ours = _narrow(ours, by_tag)
    if len(ours) > 1:
        wanted = _norm(service_tier)
        if wanted and wanted not in _DEFAULT_TIERS:
            by_tier = [e for e in ours if e.service_tier == wanted]
        else:
            by_tier = [e for e in ours if e.service_tier in (None, *_DEFAULT_TIERS)]
        if by_tier and len(by_tier) < len(ours):
            basis = f"{basis} and service tier"
        ours = _narrow(ours, by_tier)
    priced = [e for e in ours if e.pricing.usable]
    if not priced:
        unknown = sorted({key for e in ours for key in e.pricing.unknown})
        return NoPricing(provider_name, tuple(unknown))
    if len(priced) == 1:
        return Served(priced[0], basis)
    first = priced[0].pricing
    if all(e.pricing == first for e in priced[1:]):
        return Served(priced[0], f"{basis} (its {len(priced)} endpoints price alike)")
    return Ambiguous(tuple(priced))

"""Permissive models of what `GET /generation` returns.

The record grows every month and older records lack newer keys, so parsing is lenient:
unknown keys are kept (``Generation.other_fields``), missing keys are ``None``, numbers
may arrive as strings or in exponent notation, enum-like values stay free strings.

Plain frozen dataclasses, each field read by one coercer of :mod:`inspector.core.coerce`
(:meth:`Generation.from_api`). They were pydantic models whose every field was such a
coercer in a ``BeforeValidator``: pydantic added no check, and its import and model build
(~120 ms) stood between a typed id and its record (``tests/benchmarks/bench_tui.py``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from inspector.core.coerce import parse_timestamp, to_bool, to_float, to_int, to_str
from inspector.core.error_body import ErrorInfo, parse_error_body

__all__ = [
    "COMPLETION_TOKEN_KEYS",
    "PROMPT_TOKEN_KEYS",
    "ErrorInfo",
    "Generation",
    "ProviderResponse",
    "TokenCount",
    "parse_error_body",
    "parse_timestamp",
]


PROMPT_TOKEN_KEYS = ("native_tokens_prompt", "tokens_prompt")
COMPLETION_TOKEN_KEYS = ("native_tokens_completion", "tokens_completion")
"""Which count stands for the prompt / completion: the billed (native) one first. The
history store reads its columns with these same keys (without building the model)."""

TokenSource = Literal["native", "normalized", "none"]


@dataclass(frozen=True)
class TokenCount:
    """A token count and where it came from: ``native`` (billed by the provider),
    ``normalized`` (OpenRouter's own count, when no native one was sent) or ``none``."""

    value: int | None
    source: TokenSource
    field: str | None


Coercer = Callable[[Any], Any]

# The coercer of each kind of field: each returns its type or None, and never raises.
_KINDS: dict[str, Coercer] = {
    "str | None": to_str,
    "int | None": to_int,
    "float | None": to_float,
    "bool | None": to_bool,
    "datetime | None": parse_timestamp,
}


class _Lenient:
    """A record read leniently from a JSON object (see :meth:`from_api`)."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    """The documented keys, in schema order (the dataclass fields but ``extra``)."""
    _COERCERS: ClassVar[dict[str, Coercer]] = {}

    extra: Mapping[str, Any]

    if TYPE_CHECKING:  # each subclass is a dataclass: its own __init__ takes its fields

        def __init__(self, *, extra: Mapping[str, Any], **fields: Any) -> None: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        annotations = inspect.get_annotations(cls)  # this class's own, as strings
        coercers = {name: _KINDS[kind] for name, kind in annotations.items() if kind in _KINDS}
        coercers.update(cls._special_coercers())
        unread = [name for name in annotations if name not in coercers and name != "extra"]
        if unread:  # a field no coercer reads would silently stay None: refuse it here
            raise TypeError(f"{cls.__name__}: no coercer for {', '.join(unread)}")
        cls._COERCERS = coercers
        cls.FIELDS = tuple(name for name in annotations if name in coercers)

    @classmethod
    def _special_coercers(cls) -> dict[str, Coercer]:
        return {}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """The record of a JSON object: each known key through its coercer (missing or
        unreadable: None), every other key kept as received in :attr:`other_fields`."""
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__} is read from a JSON object, not {type(data)!r}")
        coercers = cls._COERCERS
        known = {name: coerce(data.get(name)) for name, coerce in coercers.items()}
        extra = {key: value for key, value in data.items() if key not in coercers}
        return cls(**known, extra=extra)

    @property
    def other_fields(self) -> dict[str, Any]:
        """Keys the model does not know, exactly as received."""
        return dict(self.extra)

    def to_api(self) -> dict[str, Any]:
        """The JSON object this record reads as: known keys (times in ISO 8601, UTC as
        ``Z``), then the other keys as received."""
        out: dict[str, Any] = {name: _json_value(getattr(self, name)) for name in self.FIELDS}
        out.update(self.extra)
        return out


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, list):
        return [item.to_api() if isinstance(item, _Lenient) else item for item in value]
    return value


@dataclass(frozen=True, eq=True)
class ProviderResponse(_Lenient):
    """One provider attempted while routing the request, in order, fallbacks included."""

    status: int | None = None
    provider_name: str | None = None
    latency: float | None = None
    id: str | None = None
    endpoint_id: str | None = None
    model_permaslug: str | None = None
    is_byok: bool | None = None
    routed_service_tier: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _to_provider_list(value: Any) -> list[ProviderResponse]:
    if not isinstance(value, list):
        return []
    return [ProviderResponse.from_api(item) for item in value if isinstance(item, dict)]


@dataclass(frozen=True, eq=True)
class Generation(_Lenient):
    """The ``data`` object of a ``GET /generation`` answer: 45 documented fields."""

    # identity
    id: str | None = None
    upstream_id: str | None = None
    request_id: str | None = None
    session_id: str | None = None
    response_cache_source_id: str | None = None
    # when
    created_at: datetime | None = None
    # what
    model: str | None = None
    api_type: str | None = None
    router: str | None = None
    provider_name: str | None = None
    service_tier: str | None = None
    data_region: str | None = None
    # outcome
    finish_reason: str | None = None
    native_finish_reason: str | None = None
    streamed: bool | None = None
    cancelled: bool | None = None
    # money (USD)
    total_cost: float | None = None
    usage: float | None = None
    cache_discount: float | None = None
    upstream_inference_cost: float | None = None
    is_byok: bool | None = None
    # tokens
    tokens_prompt: int | None = None
    tokens_completion: int | None = None
    native_tokens_prompt: int | None = None
    native_tokens_completion: int | None = None
    native_tokens_reasoning: int | None = None
    native_tokens_cached: int | None = None
    native_tokens_completion_images: int | None = None
    # media & tools
    num_media_prompt: int | None = None
    num_input_audio_prompt: int | None = None
    num_media_completion: int | None = None
    num_search_results: int | None = None
    num_fetches: int | None = None
    web_search_engine: str | None = None
    # timing (ms)
    latency: float | None = None
    generation_time: float | None = None
    moderation_latency: float | None = None
    # attribution
    origin: str | None = None
    app_id: str | None = None
    external_user: str | None = None
    user_agent: str | None = None
    http_referer: str | None = None
    preset_id: str | None = None
    workspace_id: str | None = None
    # routing
    provider_responses: list[ProviderResponse] = field(default_factory=list)
    # keys this version does not know
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def _special_coercers(cls) -> dict[str, Coercer]:
        return {"provider_responses": _to_provider_list}

    # ---- derived values: each figure is chosen here, once ---------------------------------

    def age_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since ``created_at`` (None when the record has no time)."""
        if self.created_at is None:
            return None
        now = now or datetime.now(UTC)
        return (now - self.created_at).total_seconds()

    @property
    def prompt_tokens(self) -> TokenCount:
        """The prompt's token count: the billed (native) one, else OpenRouter's normalized."""
        return _chosen(self, PROMPT_TOKEN_KEYS)

    @property
    def completion_tokens(self) -> TokenCount:
        """The completion's token count (reasoning included): native, else normalized."""
        return _chosen(self, COMPLETION_TOKEN_KEYS)

    @property
    def throughput(self) -> float | None:
        """Completion tokens per second of generation (the chosen completion count)."""
        tokens = self.completion_tokens.value
        if not tokens or not self.generation_time or self.generation_time <= 0:
            return None
        return tokens / (self.generation_time / 1000.0)

    @property
    def prompt_cached(self) -> int:
        return max(self.native_tokens_cached or 0, 0)

    @property
    def prompt_uncached(self) -> int | None:
        """Billed prompt tokens that were not read from the cache (native counts only)."""
        if self.native_tokens_prompt is None:
            return None
        return max(self.native_tokens_prompt - self.prompt_cached, 0)

    @property
    def completion_reasoning(self) -> int:
        return max(self.native_tokens_reasoning or 0, 0)

    @property
    def completion_visible(self) -> int | None:
        """Completion tokens that were not reasoning (native counts include reasoning)."""
        if self.native_tokens_completion is None:
            return None
        return max(self.native_tokens_completion - self.completion_reasoning, 0)

    @property
    def total_tokens(self) -> int | None:
        """Prompt plus completion, each as chosen by :attr:`prompt_tokens` and co."""
        prompt, completion = self.prompt_tokens.value, self.completion_tokens.value
        if prompt is None and completion is None:
            return None
        return (prompt or 0) + (completion or 0)

    @property
    def upstream_cost(self) -> float | None:
        """What the provider charged on the person's own key: BYOK only (API.md: 0 or null
        otherwise, and never to be added to the total for a non-BYOK call)."""
        return self.upstream_inference_cost if self.is_byok else None

    @property
    def true_spend(self) -> float | None:
        """What the call really cost: ``total_cost``, plus the upstream cost for BYOK."""
        if self.total_cost is None:
            return None
        return self.total_cost + (self.upstream_cost or 0.0)

    @property
    def cost_per_million_tokens(self) -> float | None:
        """What was billed (``total_cost``) per million tokens."""
        return _per_million(self.total_cost, self.total_tokens)

    @property
    def true_spend_per_million_tokens(self) -> float | None:
        """True spend per million tokens (differs from the billed one for BYOK only)."""
        return _per_million(self.true_spend, self.total_tokens)

    @property
    def cache_hit_ratio(self) -> float | None:
        """Share of the billed prompt read from the cache."""
        if not self.native_tokens_prompt or self.native_tokens_prompt <= 0:
            return None
        return min(self.prompt_cached / self.native_tokens_prompt, 1.0)

    @property
    def fallback_count(self) -> int:
        """Failed provider attempts before the one that served (all of them if none did)."""
        for index, attempt in enumerate(self.provider_responses):
            if attempt.succeeded:
                return index
        return len(self.provider_responses)

    @property
    def served_by(self) -> ProviderResponse | None:
        for attempt in self.provider_responses:
            if attempt.succeeded:
                return attempt
        return None

    @property
    def serving_provider(self) -> str | None:
        """The provider that served: ``provider_name``, else the attempt that succeeded."""
        if self.provider_name:
            return self.provider_name
        served = self.served_by
        return served.provider_name if served is not None else None

    @property
    def total_time_ms(self) -> float | None:
        if self.latency is None and self.generation_time is None:
            return None
        return (self.latency or 0) + (self.generation_time or 0)

    @property
    def response_cache_hit(self) -> bool:
        return bool(self.response_cache_source_id)


def _chosen(gen: Generation, keys: tuple[str, str]) -> TokenCount:
    native, normalized = keys
    value = getattr(gen, native)
    if value is not None:
        return TokenCount(value, "native", native)
    value = getattr(gen, normalized)
    if value is not None:
        return TokenCount(value, "normalized", normalized)
    return TokenCount(None, "none", None)


def _per_million(amount: float | None, tokens: int | None) -> float | None:
    if amount is None or not tokens or tokens <= 0:
        return None
    return amount / tokens * 1_000_000

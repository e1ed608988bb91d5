"""The figures of one generation that a bill is explained from.

A plain frozen dataclass so the bill can be computed from a live
``inspector.core.models.Generation``, from a history row, or from a raw ``data`` dict:
:func:`from_generation` reads the attributes (or keys) off any of them, leniently. Money is
kept as :class:`~decimal.Decimal`; floats are read through ``repr`` so ``0.0097364`` is
exactly ``0.0097364``. A negative token count or a junk value reads as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from inspector.core.coerce import parse_timestamp, to_bool, to_int, to_str
from inspector.core.pricing import to_decimal

__all__ = ["MAX_COUNT", "Figures", "from_generation"]

MAX_COUNT = 10**12  # a token or item count above this is junk, not a figure


@dataclass(frozen=True)
class Figures:
    id: str | None = None
    created_at: datetime | None = None
    model: str | None = None  # the dated permaslug (= the endpoints' model_id)
    provider_name: str | None = None
    service_tier: str | None = None
    native_tokens_prompt: int | None = None  # P, includes cached
    native_tokens_cached: int | None = None  # C, cache reads
    native_tokens_completion: int | None = None  # O, includes reasoning
    native_tokens_reasoning: int | None = None
    tokens_completion: int | None = None
    num_media_prompt: int | None = None
    num_search_results: int | None = None
    num_fetches: int | None = None
    web_search_engine: str | None = None
    total_cost: Decimal | None = None
    cache_discount: Decimal | None = None  # D, net: reads positive, writes negative
    upstream_inference_cost: Decimal | None = None
    is_byok: bool | None = None
    finish_reason: str | None = None
    response_cache_source_id: str | None = None

    @property
    def prompt(self) -> int:
        """P; without a prompt count, the cached count (P includes the cached tokens)."""
        if self.native_tokens_prompt is not None:
            return self.native_tokens_prompt
        return self.native_tokens_cached or 0

    @property
    def cached(self) -> int:
        """C, never more than P."""
        return min(self.native_tokens_cached or 0, self.prompt)

    @property
    def completion(self) -> int:
        return self.native_tokens_completion or 0

    @property
    def is_batch(self) -> bool:
        return (self.id or "").startswith("gen-batch-")


def _count(value: Any) -> int | None:
    number = to_int(value)
    if number is None or number < 0 or number > MAX_COUNT:
        return None
    return number


def _money(value: Any) -> Decimal | None:
    return to_decimal(value, allow_negative=True)


def _text(value: Any) -> str | None:
    text = to_str(value)
    return text if text and text.strip() else None


_COUNTS = (
    "native_tokens_prompt",
    "native_tokens_cached",
    "native_tokens_completion",
    "native_tokens_reasoning",
    "tokens_completion",
    "num_media_prompt",
    "num_search_results",
    "num_fetches",
)
_MONEY = ("total_cost", "cache_discount", "upstream_inference_cost")
_TEXTS = (
    "id",
    "model",
    "provider_name",
    "service_tier",
    "web_search_engine",
    "finish_reason",
    "response_cache_source_id",
)


def from_generation(gen: Any) -> Figures:
    """Read the figures off a ``Generation``, any object with those attributes, or a dict."""
    read: Callable[[str], Any]
    if isinstance(gen, Mapping):
        inner = gen.get("data")
        data: Mapping[str, Any] = inner if isinstance(inner, Mapping) else gen
        read = data.get
    else:

        def read(name: str) -> Any:
            return getattr(gen, name, None)

    values: dict[str, Any] = {}
    values.update({name: _count(read(name)) for name in _COUNTS})
    values.update({name: _money(read(name)) for name in _MONEY})
    values.update({name: _text(read(name)) for name in _TEXTS})
    values["created_at"] = parse_timestamp(read("created_at"))
    values["is_byok"] = to_bool(read("is_byok"))
    return Figures(**values)

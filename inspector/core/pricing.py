"""One endpoint's price list (spec ``PublicPricing``) and its conditional overrides.

Prices arrive as USD decimal strings (``"0.0000006"`` = $0.60 per million tokens) and are
kept as exact :class:`~decimal.Decimal` values; ``discount`` and override conditions are
numbers. Reading is lenient: a value that is not a usable price (junk text, a negative such
as the ``"-1"`` of router models, an absurd magnitude) is recorded as *unknown* instead of
raising, so one bad key never hides the rest of a bill.

Documented (API.md, spec ``PricingOverride``): an override applies when all its conditions
hold; ``utc_start``/``utc_end`` are HHMM clock numbers of a half-open window [start, end)
that may wrap midnight; later entries win per key; keys absent from an entry keep the base.
**Inferred**: a price key the endpoint does not list costs 0 (:meth:`Pricing.price`), and
``min_prompt_tokens`` is compared with ``native_tokens_prompt`` (strictly above).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "PRICE_KEYS",
    "ZERO",
    "AppliedOverride",
    "EffectivePricing",
    "PriceOverride",
    "Pricing",
    "Undetermined",
    "apply_overrides",
    "parse_pricing",
    "to_decimal",
]

ZERO = Decimal(0)

# USD per …: token (prompt, completion, internal_reasoning, image_token, audio*,
# input_cache_*), request, web search, input image, output image.
PRICE_KEYS = (
    "prompt",
    "completion",
    "internal_reasoning",
    "request",
    "web_search",
    "image",
    "image_output",
    "image_token",
    "audio",
    "audio_output",
    "input_audio_cache",
    "input_cache_read",
    "input_cache_write",
    "input_cache_write_1h",
)
REQUIRED_KEYS = ("prompt", "completion")

_MAX_TEXT = 64  # longer "numbers" are junk, and keep Decimal work bounded
_MAX_DIGITS = 30
_MIN_EXPONENT, _MAX_EXPONENT = -30, 6  # a price per unit between 1e-30 and ~$10 million


def to_decimal(value: Any, *, allow_negative: bool = False) -> Decimal | None:
    """A finite, sane decimal from a string or number; ``None`` for anything else.

    Floats go through ``repr`` so ``0.0097364`` stays ``0.0097364`` (not its binary value).
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            text = value.strip()
            if not text or len(text) > _MAX_TEXT:
                return None
            number = Decimal(text)
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or (number < 0 and not allow_negative):
        return None
    if number.is_zero():
        return ZERO
    digits = number.as_tuple().digits
    if len(digits) > _MAX_DIGITS or not _MIN_EXPONENT <= number.adjusted() <= _MAX_EXPONENT:
        return None
    return number


def _read_prices(raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], frozenset[str]]:
    prices: dict[str, Decimal] = {}
    unknown: set[str] = set()
    for key in PRICE_KEYS:
        if key not in raw or raw[key] is None:
            continue
        price = to_decimal(raw[key])
        if price is None:
            unknown.add(key)
        else:
            prices[key] = price
    return prices, frozenset(unknown)


def _hhmm(value: Any) -> int | None:
    """Minutes after midnight of an HHMM clock number (``30`` = 00:30, ``1630`` = 16:30)."""
    number = to_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    clock = int(number)
    hours, minutes = divmod(clock, 100)
    if minutes >= 60 or not 0 <= clock <= 2400 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class PriceOverride:
    """One ``overrides[]`` entry: its conditions and the price keys it sets."""

    index: int
    prices: Mapping[str, Decimal] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()
    min_prompt_tokens: Decimal | None = None
    start_minute: int | None = None  # utc_start as minutes after midnight
    end_minute: int | None = None  # utc_end as minutes after midnight
    readable: bool = True  # False when a condition was junk: the entry is never applied

    @property
    def has_window(self) -> bool:
        return self.start_minute is not None or self.end_minute is not None

    def condition_text(self) -> str:
        parts = []
        if self.min_prompt_tokens is not None:
            parts.append(f"prompt tokens above {self.min_prompt_tokens.normalize():,f}")
        if self.has_window:
            start = _clock(self.start_minute or 0)
            end = _clock(self.end_minute if self.end_minute is not None else 24 * 60)
            parts.append(f"{start}–{end} UTC")
        return " and ".join(parts) or "always"

    def in_window(self, at: datetime) -> bool:
        """Whether ``at`` (converted to UTC) falls in [start, end), wrapping past midnight.

        A missing bound is the start or end of the day; start == end is an empty window.
        """
        utc = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
        now = utc.hour * 60 + utc.minute + (utc.second + utc.microsecond / 1e6) / 60
        start = self.start_minute if self.start_minute is not None else 0
        end = self.end_minute if self.end_minute is not None else 24 * 60
        if start <= end:
            return start <= now < end
        return now >= start or now < end


def _parse_override(index: int, raw: Any) -> PriceOverride:
    if not isinstance(raw, Mapping):
        return PriceOverride(index=index, readable=False)
    prices, unknown = _read_prices(raw)
    readable = True
    minimum: Decimal | None = None
    if raw.get("min_prompt_tokens") is not None:
        minimum = to_decimal(raw["min_prompt_tokens"])
        readable = readable and minimum is not None
    bounds: list[int | None] = []
    for key in ("utc_start", "utc_end"):
        bound = None if raw.get(key) is None else _hhmm(raw[key])
        readable = readable and (raw.get(key) is None or bound is not None)
        bounds.append(bound)
    return PriceOverride(
        index=index,
        prices=prices,
        unknown=unknown,
        min_prompt_tokens=minimum,
        start_minute=bounds[0],
        end_minute=bounds[1],
        readable=readable,
    )


@dataclass(frozen=True)
class Pricing:
    """An endpoint's prices. ``prices`` holds only the keys that were listed and readable."""

    prices: Mapping[str, Decimal] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()  # listed but unreadable ("unknown")
    discount: Decimal = ZERO  # fraction in [0, 1]; an unreadable one is 0 and "unknown"
    overrides: tuple[PriceOverride, ...] = ()

    def price(self, key: str) -> Decimal:
        """USD per unit; a key the endpoint does not list counts as 0 (inferred)."""
        return self.prices.get(key, ZERO)

    def listed(self, key: str) -> bool:
        return key in self.prices

    @property
    def usable(self) -> bool:
        """Both required prices (``prompt``, ``completion``) were listed and readable."""
        return all(key in self.prices for key in REQUIRED_KEYS)

    def differences(self, other: Pricing) -> tuple[tuple[str, Decimal | None, Decimal | None], ...]:
        """``(key, mine, theirs)`` for every price key or ``discount`` that differs."""
        changed = []
        for key in (*PRICE_KEYS, "discount"):
            mine = self.discount if key == "discount" else self.prices.get(key)
            theirs = other.discount if key == "discount" else other.prices.get(key)
            if mine != theirs:
                changed.append((key, mine, theirs))
        return tuple(changed)


def parse_pricing(raw: Any) -> Pricing:
    """Read a ``pricing`` object; never raises (junk values become "unknown")."""
    if not isinstance(raw, Mapping):
        return Pricing(unknown=frozenset(REQUIRED_KEYS))
    prices, unknown = _read_prices(raw)
    discount = ZERO
    if raw.get("discount") is not None:
        read = to_decimal(raw["discount"])
        if read is None or read > 1:
            unknown = unknown | {"discount"}
        else:
            discount = read
    entries = raw.get("overrides")
    overrides = (
        tuple(_parse_override(i, entry) for i, entry in enumerate(entries))
        if isinstance(entries, list)
        else ()
    )
    return Pricing(prices=prices, unknown=unknown, discount=discount, overrides=overrides)


@dataclass(frozen=True)
class AppliedOverride:
    index: int
    condition: str
    prices: Mapping[str, Decimal]  # what it set (later entries may set a key again)
    unknown: frozenset[str]  # keys it listed with an unreadable price
    inferred: bool  # its condition compared min_prompt_tokens with P (an inference)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(sorted({*self.prices, *self.unknown}))


@dataclass(frozen=True)
class Undetermined:
    """An override that could not be evaluated; the base price was kept for it."""

    index: int
    cause: str  # "an unreadable condition", "no prompt token count", "no creation time"


@dataclass(frozen=True)
class EffectivePricing:
    """The prices that applied to one generation, and which overrides made them."""

    pricing: Pricing  # base prices with the applicable overrides laid over, no overrides left
    applied: tuple[AppliedOverride, ...] = ()
    undetermined: tuple[Undetermined, ...] = ()


def apply_overrides(
    pricing: Pricing, *, at: datetime | None, prompt_tokens: int | None
) -> EffectivePricing:
    """Lay every applicable override over the base prices, in order (later entries win).

    ``at`` is the generation's ``created_at`` (compared in UTC); ``prompt_tokens`` is P. An
    entry whose condition cannot be evaluated (no time, no token count, junk condition) is
    left out and listed in ``undetermined``: the base price is used for it.
    """
    prices = dict(pricing.prices)
    unknown = set(pricing.unknown)
    applied: list[AppliedOverride] = []
    undetermined: list[Undetermined] = []
    for entry in pricing.overrides:
        if not entry.readable:
            undetermined.append(Undetermined(entry.index, "an unreadable condition"))
            continue
        holds = True
        if entry.min_prompt_tokens is not None:
            if prompt_tokens is None:
                undetermined.append(Undetermined(entry.index, "no prompt token count"))
                continue
            holds = prompt_tokens > entry.min_prompt_tokens
        if holds and entry.has_window:
            if at is None:
                undetermined.append(Undetermined(entry.index, "no creation time"))
                continue
            holds = entry.in_window(at)
        if not holds:
            continue
        prices.update(entry.prices)
        unknown.difference_update(entry.prices)
        unknown.update(entry.unknown)
        for key in entry.unknown:
            prices.pop(key, None)
        inferred = entry.min_prompt_tokens is not None
        condition = entry.condition_text()
        applied.append(
            AppliedOverride(entry.index, condition, entry.prices, entry.unknown, inferred)
        )
    effective = Pricing(prices=prices, unknown=frozenset(unknown), discount=pricing.discount)
    return EffectivePricing(effective, tuple(applied), tuple(undetermined))

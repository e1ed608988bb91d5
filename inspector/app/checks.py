"""Assertions on generations, for CI: each limit checked on every record, once, here.

What each assertion reads (always the domain's figure, :class:`~inspector.core.models.Generation`):

- ``max-cost`` (USD, per generation): :attr:`Generation.true_spend` — what the call cost:
  ``total_cost``, plus the upstream cost for BYOK;
- ``max-total-cost`` (USD): the sum of the same figure over every record
  (:attr:`inspector.app.totals.Totals.true_spend`);
- ``max-latency`` (seconds, per generation): the record's ``latency`` as OpenRouter reports
  it (close to the time to the first token; generation time is not included);
- ``no-fallback``: :attr:`Generation.fallback_count` is 0 (the first provider served);
- ``min-cache-rate`` (a fraction, per generation): :attr:`Generation.cache_hit_ratio`, the
  share of the billed prompt tokens read from the cache.

A figure the record does not report cannot be shown to hold, so it fails (its value is
``None``). Money is compared exactly, as decimals (a limit equal to the cost holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from inspector.core import formatting as fmt
from inspector.core.pricing import to_decimal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from inspector.app.totals import Totals
    from inspector.core.models import Generation

__all__ = ["Checked", "Limits", "Result", "Verdict", "evaluate"]

Name = Literal["max-cost", "max-total-cost", "max-latency", "no-fallback", "min-cache-rate"]
Value = Decimal | float | int | None


@dataclass(frozen=True)
class Limits:
    """The limits asked for; None (False) for an assertion not asked for."""

    max_cost: Decimal | None = None
    max_total_cost: Decimal | None = None
    max_latency: float | None = None  # seconds
    no_fallback: bool = False
    min_cache_rate: float | None = None  # 0 … 1


@dataclass(frozen=True)
class Verdict:
    """One generation's value for one assertion, and whether it holds."""

    gen_id: str
    value: Value
    text: str
    holds: bool


@dataclass(frozen=True)
class Result:
    """One assertion over the batch: its limit, the worst value (or the total), the result
    and, for a per-generation assertion, each generation's verdict."""

    name: Name
    limit: Decimal | float | int
    limit_text: str
    unit: str
    value: Value
    value_text: str
    holds: bool
    verdicts: tuple[Verdict, ...] = field(default=())

    @property
    def failures(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if not v.holds)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "name": self.name,
            "limit": _number(self.limit),
            "unit": self.unit,
            "value": _number(self.value),
            "result": "pass" if self.holds else "fail",
        }
        if self.name != "max-total-cost":
            found["generations"] = [
                {"id": v.gen_id, "value": _number(v.value), "result": "pass" if v.holds else "fail"}
                for v in self.verdicts
            ]
        return found


def _number(value: Value) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


Checked = tuple[str, "Generation"]  # (id, record)


@dataclass(frozen=True)
class _Rule:
    name: Name
    unit: str
    read: Callable[[Generation], Value]
    text: Callable[[Value], str]
    holds: Callable[[Value, Any], bool]
    worst: Callable[[Sequence[Any]], Value]


def _money_text(value: Value) -> str:
    return fmt.money(float(value)) if value is not None else "not reported"


def _seconds_text(value: Value) -> str:
    return fmt.duration_ms(float(value) * 1000) if value is not None else "not reported"


def _rate_text(value: Value) -> str:
    return fmt.percent(float(value)) if value is not None else "not reported"


def _count_text(value: Value) -> str:
    if value is None:
        return "not reported"
    return "no fallback" if value == 0 else f"{value:,} fallback{'s' if value != 1 else ''}"


def _latency_seconds(gen: Generation) -> float | None:
    return gen.latency / 1000 if gen.latency is not None else None


_RULES: dict[Name, _Rule] = {
    "max-cost": _Rule(
        "max-cost",
        "USD",
        lambda gen: to_decimal(gen.true_spend, allow_negative=True),
        _money_text,
        lambda value, limit: value <= limit,
        max,
    ),
    "max-latency": _Rule(
        "max-latency",
        "s",
        _latency_seconds,
        _seconds_text,
        lambda value, limit: value <= limit,
        max,
    ),
    "no-fallback": _Rule(
        "no-fallback",
        "fallbacks",
        lambda gen: gen.fallback_count,
        _count_text,
        lambda value, limit: value <= limit,
        max,
    ),
    "min-cache-rate": _Rule(
        "min-cache-rate",
        "fraction",
        lambda gen: gen.cache_hit_ratio,
        _rate_text,
        lambda value, limit: value >= limit,
        min,
    ),
}


def _per_generation(rule: _Rule, limit: Any, records: Sequence[Checked]) -> Result:
    verdicts = []
    for gen_id, gen in records:
        value = rule.read(gen)
        holds = value is not None and rule.holds(value, limit)
        verdicts.append(Verdict(gen_id, value, rule.text(value), holds))
    known = [v.value for v in verdicts if v.value is not None]
    worst = rule.worst(known) if known else None
    missing = len(known) < len(verdicts)
    limit_text = rule.text(limit) if rule.name != "no-fallback" else "no fallback"
    return Result(
        name=rule.name,
        limit=limit,
        limit_text=limit_text,
        unit=rule.unit,
        value=worst,
        value_text=rule.text(worst) + (" (some not reported)" if missing else ""),
        holds=all(v.holds for v in verdicts),
        verdicts=tuple(verdicts),
    )


def evaluate(limits: Limits, records: Sequence[Checked], totals: Totals) -> list[Result]:
    """Every assertion asked for, over ``records`` (the successful lookups, in input order);
    ``totals`` holds their sums (the total cost)."""
    results: list[Result] = []
    if limits.max_cost is not None:
        results.append(_per_generation(_RULES["max-cost"], limits.max_cost, records))
    if limits.max_total_cost is not None:
        total = totals.true_spend
        unknown = totals.without_cost > 0
        results.append(
            Result(
                name="max-total-cost",
                limit=limits.max_total_cost,
                limit_text=_money_text(limits.max_total_cost),
                unit="USD",
                value=total,
                value_text=_money_text(total)
                + (f" ({totals.without_cost:,} without a cost)" if unknown else ""),
                holds=not unknown and total <= limits.max_total_cost,
            )
        )
    if limits.max_latency is not None:
        results.append(_per_generation(_RULES["max-latency"], limits.max_latency, records))
    if limits.no_fallback:
        results.append(_per_generation(_RULES["no-fallback"], 0, records))
    if limits.min_cache_rate is not None:
        results.append(_per_generation(_RULES["min-cache-rate"], limits.min_cache_rate, records))
    return results

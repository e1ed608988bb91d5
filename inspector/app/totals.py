"""Totals over many lookups: what a batch, a follow session or a CI check adds up.

Every figure summed is the one the domain's :class:`~inspector.core.models.Generation`
chooses for a single record (``total_cost``, :attr:`~Generation.true_spend`,
:attr:`~Generation.prompt_tokens` …); nothing here decides a figure of its own. Money is
summed exactly, as decimals of the figures as parsed (``Decimal(repr(x))``), so the total
does not depend on the order lookups finish in.

- counts by outcome: ``ok``, ``pending``, ``not_found``, ``error`` (the history's outcome
  names, :func:`inspector.app.recording.outcome_name`);
- ``billed``: the sum of ``total_cost`` (for BYOK, OpenRouter's fee only);
- ``true_spend``: the sum of :attr:`Generation.true_spend` (the fee plus the upstream cost
  for BYOK; the same as billed otherwise); ``byok``: how many records were BYOK;
- tokens: prompt and completion as chosen (billed native counts first), cache reads and
  reasoning (native counts);
- the models and providers that cost most (by true spend), and the slowest generation (by
  :attr:`Generation.total_time_ms`: latency plus generation time).

Only successes are parsed (the models are loaded by the first one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from inspector.app.lookup import Failed, Succeeded
from inspector.app.recording import outcome_name
from inspector.core.pricing import to_decimal

if TYPE_CHECKING:
    from inspector.core.models import Generation

__all__ = ["OUTCOMES", "Share", "Slowest", "Totals"]

OUTCOMES = ("ok", "pending", "not_found", "error")
TOP = 3  # how many models / providers the totals name

_ZERO = Decimal(0)


def _decimal(value: float | None) -> Decimal | None:
    return to_decimal(value, allow_negative=True)


@dataclass
class Share:
    """One model's (or provider's) part: how many records, billed and true spend."""

    name: str
    count: int = 0
    billed: Decimal = _ZERO
    true_spend: Decimal = _ZERO

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "billed": float(self.billed),
            "true_spend": float(self.true_spend),
        }


@dataclass(frozen=True)
class Slowest:
    """The generation that took longest: latency plus generation time, in ms."""

    gen_id: str
    total_time_ms: float


@dataclass
class Totals:
    """Running totals; :meth:`add` each outcome once (any order)."""

    counts: Counter[str] = field(default_factory=Counter)
    billed: Decimal = _ZERO
    true_spend: Decimal = _ZERO
    without_cost: int = 0  # records that report no total_cost
    byok: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    models: dict[str, Share] = field(default_factory=dict)
    providers: dict[str, Share] = field(default_factory=dict)
    slowest: Slowest | None = None

    @property
    def lookups(self) -> int:
        """Outcomes added."""
        return sum(self.counts.values())

    @property
    def records(self) -> int:
        """Successful lookups (records read)."""
        return self.counts["ok"]

    @property
    def failed(self) -> int:
        return self.lookups - self.records

    def add(self, outcome: Succeeded | Failed) -> None:
        """Count one outcome; a success adds its record's figures."""
        if isinstance(outcome, Failed):
            self.counts[outcome_name(outcome.error)] += 1
            return
        self.counts["ok"] += 1
        self.add_generation(outcome.result.generation, outcome.gen_id)

    def add_generation(self, gen: Generation, gen_id: str) -> None:
        billed = _decimal(gen.total_cost)
        spend = _decimal(gen.true_spend)
        if billed is None:
            self.without_cost += 1
        self.billed += billed or _ZERO
        self.true_spend += spend or _ZERO
        self.byok += bool(gen.is_byok)
        self.prompt_tokens += gen.prompt_tokens.value or 0
        self.completion_tokens += gen.completion_tokens.value or 0
        self.cached_tokens += gen.prompt_cached
        self.reasoning_tokens += gen.completion_reasoning
        for shares, name in ((self.models, gen.model), (self.providers, gen.serving_provider)):
            share = shares.setdefault(name or "", Share(name or ""))
            share.count += 1
            share.billed += billed or _ZERO
            share.true_spend += spend or _ZERO
        took = gen.total_time_ms
        if took is not None and (self.slowest is None or took > self.slowest.total_time_ms):
            self.slowest = Slowest(gen.id or gen_id, took)

    def top_models(self, limit: int = TOP) -> list[Share]:
        """The models that cost most (true spend), then the most used; unnamed ones last."""
        return _top(self.models, limit)

    def top_providers(self, limit: int = TOP) -> list[Share]:
        return _top(self.providers, limit)

    def as_dict(self) -> dict[str, Any]:
        """The totals as JSON-ready values (money as numbers of US dollars)."""
        slowest = self.slowest
        return {
            "lookups": self.lookups,
            "outcomes": {name: self.counts[name] for name in OUTCOMES},
            "billed": float(self.billed),
            "true_spend": float(self.true_spend),
            "without_cost": self.without_cost,
            "byok": self.byok,
            "tokens": {
                "prompt": self.prompt_tokens,
                "completion": self.completion_tokens,
                "cached": self.cached_tokens,
                "reasoning": self.reasoning_tokens,
            },
            "top_models": [share.as_dict() for share in self.top_models()],
            "top_providers": [share.as_dict() for share in self.top_providers()],
            "slowest": {"id": slowest.gen_id, "total_time_ms": slowest.total_time_ms}
            if slowest is not None
            else None,
        }


def _top(shares: dict[str, Share], limit: int) -> list[Share]:
    ranked = sorted(shares.values(), key=lambda s: (s.name == "", -s.true_spend, -s.count, s.name))
    return ranked[:limit]

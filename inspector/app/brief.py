"""A generation in brief: the few facts one line of ``watch`` (or a row of a batch table)
shows, taken from the record's facts (:mod:`inspector.app.facts`), never recomputed.

- ``time``: when the generation was created (local time);
- ``cost``: what the call cost — the true spend for BYOK (fee plus upstream cost, with the
  ``BYOK`` badge), the billed cost otherwise;
- ``tokens``: prompt → completion, as the facts chose them (billed counts first);
- ``latency``: the record's latency;
- badges: ``fell back`` (a provider failed before one served), ``cache missed`` (the
  record reports its prompt tokens and none was read from the cache:
  :attr:`~inspector.core.models.Generation.cache_hit_ratio` is 0), ``BYOK``.

Every text is terminal-safe (it comes from the facts, which are).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.core import formatting as fmt

if TYPE_CHECKING:
    from inspector.app.facts import Fact, RecordFacts
    from inspector.core.models import Generation

__all__ = ["Brief", "badges", "brief", "cost_fact"]


@dataclass(frozen=True)
class Brief:
    gen_id: str
    time: str
    model: str
    provider: str
    cost: str
    tokens: str
    latency: str
    badges: tuple[str, ...]


def badges(facts: RecordFacts, gen: Generation) -> tuple[str, ...]:
    """``fell back``, ``cache missed``, ``BYOK``: those that apply, in that order."""
    found = []
    if facts.fallbacks.value:  # failed provider attempts before the one that served
        found.append("fell back")
    if gen.cache_hit_ratio == 0:
        found.append("cache missed")
    if gen.is_byok:
        found.append("BYOK")
    return tuple(found)


def cost_fact(facts: RecordFacts) -> Fact:
    """What the call cost: the true spend for BYOK, the billed cost otherwise."""
    return facts.true_spend if facts.true_spend is not None else facts.cost


def brief(facts: RecordFacts, gen: Generation) -> Brief:
    """The brief of one record (``facts`` are :func:`~inspector.app.facts.record_facts`
    of ``gen``)."""
    cost = cost_fact(facts)
    return Brief(
        gen_id=facts.gen_id,
        time=fmt.local_time(gen.created_at, seconds=True),
        model=facts.model.text,
        provider=facts.provider.text,
        cost=cost.text,
        tokens=f"{facts.prompt.text} → {facts.completion.text}",
        latency=facts.latency.text,
        badges=badges(facts, gen),
    )

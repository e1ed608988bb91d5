"""Cost: what was charged, what the cache saved (or cost to write), the BYOK upstream cost
and true spend, and the price per million tokens — the application layer's cost facts,
drawn (nothing is decided here: :mod:`inspector.app.facts` chose every figure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.tui.record import palette
from inspector.tui.record.rows import Cell, Row
from inspector.tui.record.values import dim, fact_cell

if TYPE_CHECKING:
    from inspector.app.facts import Fact, RecordFacts

__all__ = ["COST_FIELDS", "cost_rows"]

COST_FIELDS = ("total_cost", "cache_discount", "upstream_inference_cost")


def _cache_cell(fact: Fact | None, raw: dict[str, Any]) -> Cell | None:
    """``cache discount −$0.0147`` (saved) or ``cache write +$0.0012`` (paid to write)."""
    if fact is None:
        return None
    style = palette.SUCCESS if fact.value > 0 else palette.WARNING
    content = Content.assemble((f"{fact.label} ", palette.MUTED), (fact.text, style))
    return fact_cell(fact, content, raw)


def _per_million_cell(fact: Fact | None, raw: dict[str, Any]) -> Cell | None:
    if fact is None:
        return None
    words = " billed" if "billed" in fact.label else (" true spend" if "true" in fact.label else "")
    content = Content.assemble((fact.text, palette.MUTED), (words, palette.MUTED))
    return fact_cell(fact, content, raw)


def _noted_row(fact: Fact | None, label: str, raw: dict[str, Any]) -> Row | None:
    """One figure with its note: the BYOK upstream cost, the true spend, a differing usage."""
    if fact is None:
        return None
    content = Content.assemble(fact.text, (f"  {fact.note}", palette.MUTED))
    return Row((fact_cell(fact, content, raw),), label=label)


def cost_rows(facts: RecordFacts, raw: dict[str, Any]) -> list[Row]:
    """``Cost  $0.0097364  cache discount −$0.0147456  $0.50 / M tok`` and, when they apply,
    the BYOK upstream cost and true spend, and a ``usage`` that differs from the total."""
    cost = facts.cost
    total = Content.styled(cost.text, palette.BOLD) if cost.known else dim("not reported")
    if cost.note:
        total = Content.assemble(total, (f"  {cost.note}", palette.MUTED))
    cells = [fact_cell(cost, total, raw)]
    extra = (
        _cache_cell(facts.cache, raw),
        _per_million_cell(facts.per_million, raw),
        _per_million_cell(facts.true_per_million, raw),
    )
    cells += [c for c in extra if c is not None]
    rows = [Row(tuple(cells), label="Cost", section="Cost")]
    noted = (
        _noted_row(facts.upstream, "Upstream", raw),
        _noted_row(facts.true_spend, "True spend", raw),
        _noted_row(facts.usage, "Usage", raw),
    )
    rows += [row for row in noted if row is not None]
    return rows

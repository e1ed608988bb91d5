"""Cost: what was charged, what the cache saved (or cost to write), BYOK upstream cost,
and the price per million tokens. ``upstream_inference_cost`` is never added to the total."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.tui.record import palette
from inspector.tui.record.rows import Cell, Row
from inspector.tui.record.values import cell, dim

if TYPE_CHECKING:
    from inspector.core.models import Generation

__all__ = ["COST_FIELDS", "cost_rows"]

COST_FIELDS = ("total_cost", "cache_discount", "upstream_inference_cost")


def _discount_cell(gen: Generation, raw: dict[str, Any]) -> Cell | None:
    """``cache discount −$0.0147`` (saved) or ``cache write +$0.0012`` (paid to write)."""
    discount = gen.cache_discount
    if discount is None or discount == 0:
        return None
    if discount > 0:
        saved = f"{fmt.MINUS}{fmt.money(discount)}"
        content = Content.assemble(("cache discount ", palette.MUTED), (saved, palette.SUCCESS))
    else:
        content = Content.assemble(
            ("cache write ", palette.MUTED), (f"+{fmt.money(-discount)}", palette.WARNING)
        )
    return cell(raw, "cache_discount", content)


def _per_million_cell(gen: Generation) -> Cell | None:
    value = gen.cost_per_million_tokens
    if value is None:
        return None
    return Cell(
        Content.styled(fmt.per_million(value), palette.MUTED),
        field="cost_per_million_tokens",
        raw=fmt.number(value),
    )


def _upstream_row(gen: Generation, raw: dict[str, Any]) -> Row | None:
    """BYOK: what the provider charged on the person's own key (not in the total)."""
    upstream = gen.upstream_inference_cost
    if not gen.is_byok and not upstream:
        return None
    words = " charged by the provider to your own key" if gen.is_byok else " upstream provider cost"
    content = Content.assemble(fmt.money(upstream), (words, palette.MUTED))
    return Row((cell(raw, "upstream_inference_cost", content),), label="Upstream")


def _usage_row(gen: Generation, raw: dict[str, Any]) -> Row | None:
    """``usage`` is a dollar amount; shown only when it differs from ``total_cost``."""
    if gen.usage is None or gen.usage == gen.total_cost:
        return None
    content = Content.assemble(fmt.money(gen.usage), ("  differs from the total", palette.MUTED))
    return Row((cell(raw, "usage", content),), label="Usage")


def cost_rows(gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """``Cost  $0.0097364  cache discount −$0.0147456  $0.50 / M tok`` and, when they apply,
    the BYOK upstream cost and a ``usage`` that differs from the total."""
    total = (
        Content.styled(fmt.money(gen.total_cost), palette.BOLD)
        if gen.total_cost is not None
        else dim("not reported")
    )
    cells = [cell(raw, "total_cost", total)]
    cells += [c for c in (_discount_cell(gen, raw), _per_million_cell(gen)) if c is not None]
    rows = [Row(tuple(cells), label="Cost", section="Cost")]
    rows += [r for r in (_upstream_row(gen, raw), _usage_row(gen, raw)) if r is not None]
    return rows

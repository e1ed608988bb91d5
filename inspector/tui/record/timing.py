"""Timing: latency then generation on one time axis (a waterfall, like the dashboard's bar),
throughput (completion tokens per second of generation) and moderation when it ran.

``latency`` is documented as total latency but in practice is closer to the time to the
first token; ``generation_time`` follows it. ``moderation_latency`` of ``0`` and ``null``
differ (ran instantly vs did not run), so ``0`` is shown and ``null`` is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.tui.record import palette
from inspector.tui.record.bars import span_bar
from inspector.tui.record.rows import Cell, Row, align_columns
from inspector.tui.record.tokens import BAR_MAX, NUMBER_WIDTH
from inspector.tui.record.values import dim, fact_cell

if TYPE_CHECKING:
    from inspector.app.facts import Fact, RecordFacts

__all__ = ["TIMING_FIELDS", "timing_rows"]

TIMING_FIELDS = ("latency", "generation_time", "moderation_latency")
LATENCY_STYLE = palette.WARNING
GENERATION_STYLE = palette.PRIMARY


def _duration(raw: dict[str, Any], fact: Fact) -> Cell:
    return fact_cell(fact, Content(fact.text), raw, width=NUMBER_WIDTH, align="right")


def _span(start: float, length: float | None, total: float, style: str) -> Cell:
    def draw(width: int) -> Content:
        return span_bar(start, length or 0.0, total, width, style)

    return Cell(bar=draw, min_width=8, max_width=BAR_MAX)


def _figure(fact: Fact | None, raw: dict[str, Any], lead: str = "") -> Cell | None:
    if fact is None:
        return None
    content = Content.assemble((lead, palette.MUTED), fact.text) if lead else Content(fact.text)
    return fact_cell(fact, content, raw)


def timing_rows(facts: RecordFacts, raw: dict[str, Any]) -> list[Row]:
    """Latency and generation on a shared axis; moderation only when it ran."""
    latency, generation = facts.latency, facts.generation_time
    if latency.value is None and generation.value is None:
        return [
            Row(
                (_duration(raw, latency), Cell(dim("no timing in the record"))),
                label="Latency",
                section="Timing",
            ),
            Row((_duration(raw, generation),), label="Generation"),
            *_moderation_rows(facts, raw),
        ]
    start = latency.value or 0.0
    axis = start + (generation.value or 0.0)
    generation_cells = [
        _duration(raw, generation),
        _span(start, generation.value, axis, GENERATION_STYLE),
    ]
    extra = (_figure(facts.throughput, raw), _figure(facts.total_time, raw, "total "))
    generation_cells += [c for c in extra if c is not None]
    latency_cells = (_duration(raw, latency), _span(0.0, latency.value, axis, LATENCY_STYLE))
    rows = align_columns(
        [
            Row(latency_cells, label="Latency", section="Timing"),
            Row(tuple(generation_cells), label="Generation"),
        ]
    )
    return rows + _moderation_rows(facts, raw)


def _moderation_rows(facts: RecordFacts, raw: dict[str, Any]) -> list[Row]:
    """Moderation, only when it ran (``0`` is shown, ``null`` is not)."""
    if facts.moderation is None:
        return []
    return [Row((_duration(raw, facts.moderation),), label="Moderation")]

"""Timing: latency then generation on one time axis (a waterfall, like the dashboard's bar),
throughput (completion tokens per second of generation) and moderation when it ran.

``latency`` is documented as total latency but in practice is closer to the time to the
first token; ``generation_time`` follows it. ``moderation_latency`` of ``0`` and ``null``
differ (ran instantly vs did not run), so ``0`` is shown and ``null`` is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.tui.record import palette
from inspector.tui.record.bars import span_bar
from inspector.tui.record.rows import Cell, Row, align_columns
from inspector.tui.record.tokens import BAR_MAX, NUMBER_WIDTH
from inspector.tui.record.values import cell, dim

if TYPE_CHECKING:
    from inspector.core.models import Generation

__all__ = ["TIMING_FIELDS", "timing_rows"]

TIMING_FIELDS = ("latency", "generation_time", "moderation_latency")
LATENCY_STYLE = palette.WARNING
GENERATION_STYLE = palette.PRIMARY


def _duration(raw: dict[str, Any], key: str, value: float | None) -> Cell:
    return cell(raw, key, Content(fmt.duration_ms(value)), width=NUMBER_WIDTH, align="right")


def _span(start: float, length: float | None, total: float, style: str) -> Cell:
    def draw(width: int) -> Content:
        return span_bar(start, length or 0.0, total, width, style)

    return Cell(bar=draw, min_width=8, max_width=BAR_MAX)


def _throughput_cell(gen: Generation) -> Cell | None:
    speed = gen.throughput
    if speed is None:
        return None
    return Cell(Content(fmt.throughput(speed)), field="throughput", raw=fmt.number(speed))


def _total_cell(gen: Generation) -> Cell | None:
    total = gen.total_time_ms
    if total is None or gen.latency is None or gen.generation_time is None:
        return None
    content = Content.assemble(("total ", palette.MUTED), fmt.duration_ms(total))
    return Cell(content, field="total_time", raw=fmt.number(total))


def timing_rows(gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """Latency and generation on a shared axis; moderation only when it ran."""
    if gen.total_time_ms is None:
        return [
            Row(
                (_duration(raw, "latency", None), Cell(dim("no timing in the record"))),
                label="Latency",
                section="Timing",
            ),
            Row((_duration(raw, "generation_time", None),), label="Generation"),
            *_moderation_rows(gen, raw),
        ]
    latency = gen.latency or 0.0
    axis = gen.total_time_ms
    generation_cells = [
        _duration(raw, "generation_time", gen.generation_time),
        _span(latency, gen.generation_time, axis, GENERATION_STYLE),
    ]
    generation_cells += [c for c in (_throughput_cell(gen), _total_cell(gen)) if c is not None]
    latency_cells = (
        _duration(raw, "latency", gen.latency),
        _span(0.0, gen.latency, axis, LATENCY_STYLE),
    )
    rows = align_columns(
        [
            Row(latency_cells, label="Latency", section="Timing"),
            Row(tuple(generation_cells), label="Generation"),
        ]
    )
    return rows + _moderation_rows(gen, raw)


def _moderation_rows(gen: Generation, raw: dict[str, Any]) -> list[Row]:
    """Moderation, only when it ran (``0`` is shown, ``null`` is not)."""
    if gen.moderation_latency is None:
        return []
    cell = _duration(raw, "moderation_latency", gen.moderation_latency)
    return [Row((cell,), label="Moderation")]

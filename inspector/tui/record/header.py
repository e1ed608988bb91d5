"""The header: id, model and provider, when it was created, and badges for the outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from inspector.core import formatting as fmt
from inspector.core.textsafe import clean
from inspector.tui.record import palette
from inspector.tui.record.bill import BILL_FIELD, TONE_BADGES
from inspector.tui.record.rows import Cell, Row
from inspector.tui.record.values import cell, dim, shown

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.facts import RecordFacts
    from inspector.core.models import Generation

__all__ = ["FINISH_STYLES", "HEADER_FIELDS", "badge", "header_rows"]

HEADER_FIELDS = (
    "model",
    "provider_name",
    "created_at",
    "finish_reason",
    "native_finish_reason",
    "streamed",
    "cancelled",
    "is_byok",
    "response_cache_source_id",
    "api_type",
    "router",
)

FINISH_STYLES = {
    "stop": palette.BADGE_SUCCESS,
    "complete": palette.BADGE_SUCCESS,
    "end_turn": palette.BADGE_SUCCESS,
    "length": palette.BADGE_WARNING,
    "tool_calls": palette.BADGE_ACCENT,
    "content_filter": palette.BADGE_ERROR,
    "error": palette.BADGE_ERROR,
}


def badge(text: str, style: str) -> Content:
    """A short label on a tinted background: `` stop ``."""
    return Content.styled(f" {clean(text)} ", style)


def _model_row(facts: RecordFacts, raw: dict[str, Any]) -> Row:
    model = shown(facts.model.value, palette.BOLD) if facts.model.known else dim("model unknown")
    provider = shown(facts.provider.value) if facts.provider.known else dim("no provider")
    return Row(
        (cell(raw, "model", model), Cell(dim("via")), cell(raw, "provider_name", provider)),
        gutter=False,
        section="Record",
    )


def _created_row(facts: RecordFacts, raw: dict[str, Any]) -> Row:
    created = facts.created
    if not created.known:
        content = dim("creation time unknown")
    else:
        content = Content.assemble(created.text, ("  ·  ", palette.MUTED), created.note)
    return Row((cell(raw, "created_at", content),), gutter=False)


def _finish_badges(gen: Generation, raw: dict[str, Any]) -> list[Cell]:
    cells: list[Cell] = []
    reason = gen.finish_reason
    if reason:
        style = FINISH_STYLES.get(reason.lower(), palette.BADGE_MUTED)
        cells.append(cell(raw, "finish_reason", badge(reason, style)))
    else:
        cells.append(cell(raw, "finish_reason", badge("no finish reason", palette.BADGE_MUTED)))
    native = gen.native_finish_reason
    if native and native != reason:
        cells.append(cell(raw, "native_finish_reason", dim(f"provider: {clean(native)}")))
    return cells


def _flag_badges(gen: Generation, raw: dict[str, Any]) -> list[Cell]:
    cells: list[Cell] = []
    if gen.streamed:
        cells.append(cell(raw, "streamed", badge("streamed", palette.BADGE_PRIMARY)))
    if gen.cancelled:
        cells.append(cell(raw, "cancelled", badge("cancelled", palette.BADGE_ERROR)))
    if gen.is_byok:
        cells.append(cell(raw, "is_byok", badge("BYOK", palette.BADGE_ACCENT)))
    if gen.response_cache_hit:
        hit = badge("response cache hit", palette.BADGE_SUCCESS)
        cells.append(cell(raw, "response_cache_source_id", hit))
    if gen.api_type and gen.api_type != "completions":
        cells.append(cell(raw, "api_type", badge(gen.api_type, palette.BADGE_PRIMARY)))
    if gen.router:
        cells.append(cell(raw, "router", badge(f"router {gen.router}", palette.BADGE_MUTED)))
    ratio = gen.cache_hit_ratio
    if ratio:
        cells.append(
            Cell(
                badge(f"cache {fmt.percent(ratio)}", palette.BADGE_SUCCESS),
                field="cache_hit_ratio",
                raw=fmt.number(ratio),
            )
        )
    return cells


def _bill_badges(bill: BillReport | None) -> list[Cell]:
    """The bill's verdict in a few words, then how it compares (each copies its sentence)."""
    if bill is None:
        return []
    verdict = badge(bill.verdict_label, TONE_BADGES[bill.tone])
    cells = [Cell(verdict, field=f"{BILL_FIELD}.badge.verdict", raw=bill.verdict_text)]
    for item in bill.badges:
        chip = badge(item.label, palette.BADGE_WARNING)
        cells.append(Cell(chip, field=f"{BILL_FIELD}.badge.{item.code}", raw=item.text))
    return cells


def header_rows(
    facts: RecordFacts, gen: Generation, raw: dict[str, Any], bill: BillReport | None = None
) -> list[Row]:
    """Three rows: model via provider; created (local time and zone · age); badges, the
    bill's among them once it is explained. (The id is the pane's title, and a field of the
    "Fields" section.)"""
    badges = tuple(_finish_badges(gen, raw) + _flag_badges(gen, raw) + _bill_badges(bill))
    return [
        _model_row(facts, raw),
        _created_row(facts, raw),
        Row(badges, gutter=False),
    ]

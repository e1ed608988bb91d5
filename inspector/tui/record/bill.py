"""The Bill section: the application layer's bill report, drawn as selectable rows.

Verdict first (coloured by its tone), then the line items (quantity × unit price = amount,
the amounts lined up on the decimal point), the totals, the reasons, how it compares and
where the prices came from. Every figure row is selectable: "copy field" copies the exact
value (an amount as a plain decimal, ``0.0003248``; a reason or a verdict as its text).
Nothing is decided here (:mod:`inspector.app.bill_report` wrote every text). Until the
report comes (its prices are fetched in a worker), the section says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from textual.content import Content

from inspector.core.formatting import align_on_point
from inspector.tui.record import palette
from inspector.tui.record.rows import GAP, Cell, Row
from inspector.tui.record.values import dim

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport

__all__ = ["BILL_FIELD", "TONE_BADGES", "TONE_STYLES", "bill_rows", "exact"]

BILL_FIELD = "bill"  # the prefix of every selectable field of the section
TONE_STYLES = {
    "ok": palette.SUCCESS,
    "warn": palette.WARNING,
    "alert": palette.ERROR,
    "unknown": palette.MUTED,
}
TONE_BADGES = {
    "ok": palette.BADGE_SUCCESS,
    "warn": palette.BADGE_WARNING,
    "alert": palette.BADGE_ERROR,
    "unknown": palette.BADGE_MUTED,
}
WAITING = "working out the bill: fetching the provider's prices…"


def exact(amount: Decimal) -> str:
    """An amount as plain decimal text, every digit and no exponent: ``0.0003248``."""
    text = format(amount.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _heading(note: str) -> Row:
    return Row((Cell(dim(note)),), label="Bill", kind="heading", section="Bill")


def _text_rows(label: str, name: str, texts: list[tuple[str, str]], style: str = "") -> list[Row]:
    """One selectable row per ``(key, text)``; the gutter names the group on the first."""
    rows = []
    for index, (key, text) in enumerate(texts):
        content = Content.styled(text, style) if style else Content(text)
        cell = Cell(content, field=f"{BILL_FIELD}.{name}.{key}", raw=text)
        rows.append(Row((cell,), label=label if index == 0 else ""))
    return rows


def _figure_rows(report: BillReport) -> list[Row]:
    """The items and the totals on one grid, the amounts in one column."""
    items, totals = report.items, report.totals
    amounts = align_on_point([i.amount_text for i in items] + [t.text for t in totals])
    name_w = max([*(len(i.name) for i in items), *(len(t.label) for t in totals)], default=0)
    qty_w = max((len(i.quantity_text) for i in items), default=0)
    price_w = max((len(i.unit_price_text) for i in items), default=0)
    lead = name_w + (qty_w + price_w + 2 * GAP if items else 0)
    rows: list[Row] = []
    for index, (item, amount) in enumerate(zip(items, amounts, strict=False)):
        item_cells = (
            Cell(Content(item.name), width=name_w),
            Cell(Content(item.quantity_text), width=qty_w, align="right"),
            Cell(dim(item.unit_price_text), width=price_w, align="right"),
            Cell(
                Content(amount),
                field=f"{BILL_FIELD}.item.{item.code}",
                raw=exact(item.amount),
            ),
        )
        rows.append(Row(item_cells, label="Items" if index == 0 else ""))
        if item.note:
            rows.append(Row((Cell(dim(item.note)),), kind="note"))
    for index, (total, amount) in enumerate(zip(totals, amounts[len(items) :], strict=True)):
        style = palette.BOLD if total.code in ("list_price", "billed") else ""
        cells = [
            Cell(dim(total.label), width=lead),
            Cell(
                Content.styled(amount, style) if style else Content(amount),
                field=f"{BILL_FIELD}.{total.code}",
                raw=exact(total.value),
            ),
        ]
        if total.note:
            cells.append(Cell(dim(total.note)))
        rows.append(Row(tuple(cells), label="Totals" if index == 0 else ""))
    return rows


def bill_rows(report: BillReport | None) -> list[Row]:
    """The Bill section (a line saying it is on its way while ``report`` is None)."""
    if report is None:
        return [_heading(WAITING)]
    estimate = " · some figures are estimates" if report.estimate else ""
    rows = [_heading(report.pricing.text + estimate)]
    verdict = Content.styled(report.verdict_text, f"bold {TONE_STYLES[report.tone]}")
    field = f"{BILL_FIELD}.verdict"
    rows.append(Row((Cell(verdict, field=field, raw=report.verdict_text),), label="Verdict"))
    rows += _figure_rows(report)
    rows += _text_rows("Reasons", "reason", [(r.code, r.text) for r in report.reasons])
    compared = [(b.code, b.text) for b in report.badges]
    compared += [(f"note{i + 1}", note) for i, note in enumerate(report.notes)]
    rows += _text_rows("Compared", "compared", compared)
    return rows

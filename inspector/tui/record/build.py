"""All rows of a record, section after section, with a blank row between sections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from inspector.tui.record.bill import bill_rows
from inspector.tui.record.cost import COST_FIELDS, cost_rows
from inspector.tui.record.header import HEADER_FIELDS, header_rows
from inspector.tui.record.listing import (
    ATTRIBUTION,
    attribution_rows,
    details_rows,
    other_rows,
    raw_json_row,
)
from inspector.tui.record.providers import provider_rows
from inspector.tui.record.rows import ChainedRows, Row
from inspector.tui.record.timing import TIMING_FIELDS, timing_rows
from inspector.tui.record.tokens import TOKEN_FIELDS, token_rows

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.facts import RecordFacts
    from inspector.core.models import Generation

__all__ = [
    "SHOWN_IN_SECTIONS",
    "RecordRows",
    "join_sections",
    "record_rows",
    "record_sections",
]

BLANK = Row(kind="blank")
# Fields that have a place in a section above "Fields" (which lists all the others).
SHOWN_IN_SECTIONS = frozenset(
    (*HEADER_FIELDS, *COST_FIELDS, *TOKEN_FIELDS, *TIMING_FIELDS, *(k for k, _ in ATTRIBUTION))
)


@dataclass(frozen=True)
class RecordRows:
    """Rows of one record and the indexes where its sections start."""

    rows: Sequence[Row]
    sections: list[int]


def join_sections(sections: Sequence[Sequence[Row]]) -> RecordRows:
    """Sections one after another, a blank row between them."""
    parts: list[Sequence[Row]] = []
    starts: list[int] = []
    offset = 0
    for section in sections:
        if parts:
            parts.append([BLANK])
            offset += 1
        starts.append(offset)
        parts.append(section)
        offset += len(section)
    return RecordRows(ChainedRows(parts), starts)


def record_sections(
    gen: Generation,
    raw: dict[str, Any],
    facts: RecordFacts,
    *,
    all_providers: bool = False,
    bill: BillReport | None = None,
) -> tuple[list[Sequence[Row]], list[Sequence[Row]]]:
    """The figures (header, cost, tokens, timing, providers) and the listings (the bill,
    attribution, fields, other fields, raw JSON), as two lists of sections. The figures
    are the application layer's ``facts``, drawn; the bill its ``bill`` report (None: on
    its way)."""
    figures: list[Sequence[Row]] = [
        header_rows(facts, gen, raw, bill),
        cost_rows(facts, raw),
        token_rows(facts, gen, raw),
        timing_rows(facts, raw),
        provider_rows(gen, raw, show_all=all_providers),
    ]
    listings: list[Sequence[Row]] = [
        bill_rows(bill),
        attribution_rows(gen, raw),
        details_rows(raw, SHOWN_IN_SECTIONS),
        other_rows(gen),
        raw_json_row(),
    ]
    return figures, listings


def record_rows(
    gen: Generation,
    raw: dict[str, Any],
    facts: RecordFacts | None = None,
    *,
    all_providers: bool = False,
    now: datetime | None = None,
) -> RecordRows:
    """Every section in one list: the layout for a narrow pane."""
    if facts is None:
        from inspector.app.facts import record_facts

        facts = record_facts(gen, raw, now)
    figures, listings = record_sections(gen, raw, facts, all_providers=all_providers)
    return join_sections([*figures, *listings])

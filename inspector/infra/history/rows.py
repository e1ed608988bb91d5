"""One outcome turned into the values a write stores, all of them safe for SQLite.

Preparing happens before the write lock is taken (JSON encoding, figures, scrubbing), so a
batch holds the lock only for the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inspector.infra.history.entry import FAILURE_OUTCOMES, HistoryFailure, HistoryItem
from inspector.infra.history.figures import stored_figures
from inspector.infra.history.scrub import scrub_message
from inspector.infra.history.values import clean_id, dump_raw, sqlite_int, timestamp

# Kept as the message of a success whose record cannot be written as JSON (say, nested
# deeper than the encoder goes): the lookup is recorded, the reason is visible.
UNKEPT_RECORD = "the record could not be kept (it cannot be written as JSON)"


@dataclass(frozen=True)
class SuccessRow:
    gen_id: str
    raw_json: str | None  # None: the record could not be encoded (see UNKEPT_RECORD)
    figures: dict[str, Any]
    seen: float


@dataclass(frozen=True)
class FailureRow:
    gen_id: str
    outcome: str
    status: int | None
    message: str | None
    seen: float


Row = SuccessRow | FailureRow


def success_row(gen_id: str, raw: dict[str, Any], when: datetime | None) -> SuccessRow | None:
    """The row of a successful lookup; None for an empty id (nothing to record)."""
    cleaned = clean_id(gen_id)
    if not cleaned:
        return None
    raw_json = dump_raw(raw) if isinstance(raw, dict) else None
    figures = stored_figures(raw) if raw_json is not None else {}
    return SuccessRow(cleaned, raw_json, figures, timestamp(when))


def failure_row(
    gen_id: str, outcome: str, status: int | None, message: str | None, when: datetime | None
) -> FailureRow | None:
    """The row of a failed lookup (unknown outcomes count as ``error``); None for no id."""
    cleaned = clean_id(gen_id)
    if not cleaned:
        return None
    kept = outcome if outcome in FAILURE_OUTCOMES else "error"
    return FailureRow(cleaned, kept, sqlite_int(status), scrub_message(message), timestamp(when))


def item_row(item: HistoryItem) -> Row | None:
    if isinstance(item, HistoryFailure):
        return failure_row(item.gen_id, item.outcome, item.status, item.message, item.when)
    return success_row(item.gen_id, item.raw, item.when)

"""What the history holds for one generation id, and the outcomes callers hand to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Outcome = Literal["ok", "pending", "not_found", "error"]
ExportFormat = Literal["jsonl", "csv"]
FAILURE_OUTCOMES = ("pending", "not_found", "error")


@dataclass(frozen=True)
class HistoryEntry:
    """One generation id as the history knows it.

    ``raw`` is the last good record (set when any lookup of the id succeeded), so it may be
    present while ``outcome`` reports a later failure.
    """

    gen_id: str
    first_seen: datetime
    last_seen: datetime
    lookup_count: int
    outcome: str
    status: int | None
    message: str | None
    model: str | None
    provider: str | None
    total_cost: float | None
    tokens_prompt: int | None
    tokens_completion: int | None
    created_at: datetime | None
    raw: dict[str, Any] | None
    # True when a successful lookup's record is stored (it opens offline), also in lists
    # read with ``with_raw=False``, where ``raw`` is None to save parsing it.
    has_record: bool = False

    def __post_init__(self) -> None:
        if self.raw is not None and not self.has_record:
            object.__setattr__(self, "has_record", True)


@dataclass(frozen=True)
class HistorySuccess:
    """A successful lookup for :meth:`HistoryStore.record_many` (as ``record_success``)."""

    gen_id: str
    raw: dict[str, Any]
    when: datetime | None = None


@dataclass(frozen=True)
class HistoryFailure:
    """A failed lookup for :meth:`HistoryStore.record_many` (as ``record_failure``)."""

    gen_id: str
    outcome: str
    status: int | None = None
    message: str | None = None
    when: datetime | None = None


HistoryItem = HistorySuccess | HistoryFailure

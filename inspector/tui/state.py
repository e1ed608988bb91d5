"""The app's lookup state: one frozen value, held in one reactive of the app.

What the detail pane shows, which keys work (the footer, the palette), what "copy" copies
and which answer may still paint are all read from :class:`LookupState`; nothing else
keeps a second copy of it. Every change makes a new value (``replace``), so a watcher sees
the old and the new state side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.explain import Explanation
    from inspector.app.facts import RecordFacts
    from inspector.app.lookup import Waiting
    from inspector.core.errors import InspectorError
    from inspector.core.ids import ParsedId
    from inspector.core.models import Generation

__all__ = ["LookupState", "Phase", "ShownFailure", "ShownRecord"]

Phase = Literal["empty", "loading", "waiting", "record", "error"]
Source = Literal["network", "history"]


@dataclass(frozen=True)
class ShownRecord:
    """A record on screen: its model, the data object as received, its facts, and its bill
    explained (None until the report comes: its prices are fetched in a worker)."""

    generation: Generation
    raw: dict[str, object]
    facts: RecordFacts
    source: Source
    looked_up_at: datetime
    bill: BillReport | None = None


@dataclass(frozen=True)
class ShownFailure:
    """A failure on screen, explained."""

    error: InspectorError
    explanation: Explanation
    attempts: int


@dataclass(frozen=True)
class LookupState:
    """``phase`` and what goes with it. ``seq`` numbers lookups: only messages of the
    latest may change the state."""

    phase: Phase = "empty"
    seq: int = 0
    parsed: ParsedId | None = None
    waiting: Waiting | None = None
    record: ShownRecord | None = None
    failure: ShownFailure | None = None

    @property
    def gen_id(self) -> str | None:
        return self.parsed.id if self.parsed is not None else None

    @property
    def busy(self) -> bool:
        return self.phase in ("loading", "waiting")

    def started(self, parsed: ParsedId) -> LookupState:
        """A new lookup: a new sequence number; the old one can no longer paint."""
        return LookupState("loading", self.seq + 1, parsed)

    def checking(self) -> LookupState:
        """An attempt of the current lookup is on its way (after a wait)."""
        return replace(self, phase="loading", waiting=None)

    def waiting_for(self, event: Waiting) -> LookupState:
        return replace(self, phase="waiting", waiting=event)

    def showing(self, record: ShownRecord, parsed: ParsedId | None = None) -> LookupState:
        return replace(
            self, phase="record", parsed=parsed or self.parsed, waiting=None, record=record
        )

    def failed(self, failure: ShownFailure) -> LookupState:
        return replace(self, phase="error", waiting=None, record=None, failure=failure)

    def billed(self, seq: int, gen_id: str, bill: BillReport) -> LookupState:
        """The shown record with its bill, when ``bill`` is for it (else unchanged)."""
        record = self.record
        if seq != self.seq or record is None or record.facts.gen_id != gen_id:
            return self
        return replace(self, record=replace(record, bill=bill))

    def opened(self, parsed: ParsedId, record: ShownRecord) -> LookupState:
        """A record read back from history (a lookup in flight can no longer paint)."""
        return LookupState("record", self.seq + 1, parsed, record=record)

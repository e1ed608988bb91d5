"""Typed messages that workers and services post back to the app.

Every lookup message carries the sequence number of the lookup that produced it: the app
changes its state only for messages of the latest lookup, so a stale answer never paints.
Several ids are the batch view's (its messages are at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from inspector.app.batch import Batch
    from inspector.app.bill_report import BillReport
    from inspector.app.lookup import Failed, Succeeded, Waiting
    from inspector.core.errors import InspectorError
    from inspector.core.ids import ParsedId
    from inspector.core.models import Generation
    from inspector.infra.client import FetchResult
    from inspector.infra.history import HistoryEntry
    from inspector.infra.keystore import ResolvedKey


class LookupMessage(Message):
    """Base of the lookup messages: which lookup, which id."""

    def __init__(self, seq: int, parsed: ParsedId) -> None:
        super().__init__()
        self.seq = seq
        self.parsed = parsed

    @property
    def gen_id(self) -> str:
        return self.parsed.id


class LookupStarted(LookupMessage):
    """An attempt is about to be sent."""

    def __init__(self, seq: int, parsed: ParsedId, attempt: int) -> None:
        super().__init__(seq, parsed)
        self.attempt = attempt


class LookupWaiting(LookupMessage):
    """The lookup waits before its next attempt (pending id, rate limit, server error)."""

    def __init__(self, seq: int, event: Waiting) -> None:
        super().__init__(seq, event.parsed)
        self.event = event


class LookupSucceeded(LookupMessage):
    """The record arrived."""

    def __init__(self, seq: int, outcome: Succeeded) -> None:
        super().__init__(seq, outcome.parsed)
        self.outcome = outcome

    @property
    def result(self) -> FetchResult:
        return self.outcome.result


class LookupFailed(LookupMessage):
    """The lookup ended without the record."""

    def __init__(self, seq: int, outcome: Failed) -> None:
        super().__init__(seq, outcome.parsed)
        self.outcome = outcome

    @property
    def error(self) -> InspectorError:
        return self.outcome.error

    @property
    def attempts(self) -> int:
        return self.outcome.attempts


class KeyResolved(Message):
    """The key store answered (environment, keyring, session or none)."""

    def __init__(self, resolved: ResolvedKey) -> None:
        super().__init__()
        self.resolved = resolved


@dataclass(frozen=True)
class HistoryPage:
    """A window of history entries and how many match in all."""

    query: str
    entries: list[HistoryEntry]
    total: int
    notices: tuple[str, ...] = ()
    enabled: bool = True


class HistoryLoaded(Message):
    """A history query finished (the list, its total and any store notices)."""

    def __init__(self, page: HistoryPage, seq: int) -> None:
        super().__init__()
        self.page = page
        self.seq = seq


class HistoryChanged(Message):
    """The history was written (a lookup recorded, an entry deleted, all cleared)."""

    def __init__(self, note: str | None = None) -> None:
        super().__init__()
        self.note = note


class StoredRecordLoaded(Message):
    """A history entry was read back for display, without the network (``entry`` is None
    when the id is no longer in the history; ``generation`` when no record was kept)."""

    def __init__(
        self,
        gen_id: str,
        entry: HistoryEntry | None,
        generation: Generation | None,
        raw: dict[str, Any] | None,
    ) -> None:
        super().__init__()
        self.gen_id = gen_id
        self.entry = entry
        self.generation = generation
        self.raw = raw


class BillExplained(Message):
    """The bill of a shown record is explained (posted by the bill worker; ``seq`` is the
    lookup's, so a report for a record no longer shown never paints)."""

    def __init__(self, seq: int, gen_id: str, report: BillReport) -> None:
        super().__init__()
        self.seq = seq
        self.gen_id = gen_id
        self.report = report


# -- the batch view (inspector.tui.batch_worker) ---------------------------------------------


class BatchChanged(Message):
    """Lookups of the batch view moved on: ``indexes`` are the batch's items whose status
    or outcome changed since the last message (coalesced: a burst is one message)."""

    def __init__(self, batch: Batch, indexes: frozenset[int]) -> None:
        super().__init__()
        self.batch = batch
        self.indexes = indexes


class BatchEnded(Message):
    """The batch ended (every id done, stopped, or cancelled); what finished is recorded."""

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch


class BatchNotice(Message):
    """Something to say about the followed file (rotated, truncated, not there yet)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

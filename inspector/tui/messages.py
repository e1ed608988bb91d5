"""Typed messages that workers post back to the app.

Every lookup message carries the sequence number of the lookup that produced it: the app
paints only messages of the latest lookup, so a stale answer can never overwrite a newer one.
``background`` lookups (the extra ids of a paste) are recorded in history and never painted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from inspector.app.lookup import Waiting
    from inspector.core.errors import InspectorError
    from inspector.core.models import Generation
    from inspector.infra.client import FetchResult
    from inspector.infra.history import HistoryEntry
    from inspector.infra.keystore import ResolvedKey


class LookupMessage(Message):
    """Base of the lookup messages: which lookup, which id."""

    def __init__(self, seq: int, gen_id: str, *, background: bool = False) -> None:
        super().__init__()
        self.seq = seq
        self.gen_id = gen_id
        self.background = background


class LookupStarted(LookupMessage):
    """An attempt is about to be sent."""

    def __init__(self, seq: int, gen_id: str, attempt: int, *, background: bool = False) -> None:
        super().__init__(seq, gen_id, background=background)
        self.attempt = attempt


class LookupWaiting(LookupMessage):
    """The lookup waits before its next attempt (pending id, rate limit, server error)."""

    def __init__(self, seq: int, event: Waiting, *, background: bool = False) -> None:
        super().__init__(seq, event.gen_id, background=background)
        self.event = event


class LookupSucceeded(LookupMessage):
    """The record arrived."""

    def __init__(
        self, seq: int, gen_id: str, result: FetchResult, attempts: int, *, background: bool = False
    ) -> None:
        super().__init__(seq, gen_id, background=background)
        self.result = result
        self.attempts = attempts


class LookupFailed(LookupMessage):
    """The lookup ended without the record."""

    def __init__(
        self,
        seq: int,
        gen_id: str,
        error: InspectorError,
        attempts: int,
        *,
        background: bool = False,
    ) -> None:
        super().__init__(seq, gen_id, background=background)
        self.error = error
        self.attempts = attempts


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


class HistoryLoaded(Message):
    """A history query finished (the list, its total and any store notices)."""

    def __init__(self, page: HistoryPage, seq: int) -> None:
        super().__init__()
        self.page = page
        self.seq = seq


class StoredRecordLoaded(Message):
    """A history entry was read back for display, without the network."""

    def __init__(
        self, entry: HistoryEntry, generation: Generation | None, raw: dict[str, Any] | None
    ) -> None:
        super().__init__()
        self.entry = entry
        self.generation = generation
        self.raw = raw

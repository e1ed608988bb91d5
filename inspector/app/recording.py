"""What a lookup leaves in the history: one policy for every front-end.

- A success keeps the record as received (it reopens offline).
- A failure that says something about the *id* keeps its outcome (pending, not found, or
  an error with its status) and one message: the server's own words when it gave some,
  else the summary of the error.
- Failures that say nothing about the id are not kept: no key or a rejected key, no
  credit, bad configuration, the network, a text that was never sent, a cancelled lookup.
  An entry for those would only be noise (the id was not the problem).

:class:`Recorder` applies the policy to a history store and never raises: a broken store
never breaks a lookup; what it had to say is collected in :meth:`Recorder.notices`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from inspector.app.lookup import Failed, Succeeded
from inspector.core import errors

if TYPE_CHECKING:
    from inspector.infra.history import HistoryItem, HistoryStore

__all__ = ["HistoryWrite", "Recorder", "history_write", "outcome_name"]

Outcome = Literal["ok", "pending", "not_found", "error"]

_NOT_ABOUT_THE_ID = (
    errors.AuthError,
    errors.MissingKeyError,
    errors.PaymentError,
    errors.ConfigError,
    errors.NetworkError,
    errors.MalformedIdError,
    errors.LookupCancelled,
)


@dataclass(frozen=True)
class HistoryWrite:
    """One row the history keeps for one outcome."""

    gen_id: str
    outcome: Outcome
    raw: dict[str, Any] | None = None
    status: int | None = None
    message: str | None = None


def outcome_name(error: errors.InspectorError) -> Outcome:
    """The history outcome of a failed lookup."""
    if isinstance(error, errors.PendingError):
        return "pending"
    if isinstance(error, errors.NotFoundError):
        return "not_found"
    return "error"


def history_write(outcome: Succeeded | Failed) -> HistoryWrite | None:
    """What ``outcome`` leaves in the history, or None when it is not kept."""
    if isinstance(outcome, Succeeded):
        return HistoryWrite(outcome.gen_id, "ok", raw=outcome.result.raw, status=200)
    error = outcome.error
    if outcome.attempts == 0 or isinstance(error, _NOT_ABOUT_THE_ID):
        return None
    info = error.info
    message = (info.message if info is not None else "") or error.summary
    return HistoryWrite(outcome.gen_id, outcome_name(error), status=error.status, message=message)


class Recorder:
    """Applies :func:`history_write` to a store (None: history off). Never raises."""

    def __init__(self, store: HistoryStore | None) -> None:
        self.store = store
        self._problems: list[str] = []

    @property
    def enabled(self) -> bool:
        return self.store is not None and self.store.enabled

    def record(self, outcome: Succeeded | Failed) -> bool:
        """Keep one outcome; True when something was written."""
        return self.record_many([outcome]) > 0

    def record_many(self, outcomes: Iterable[Succeeded | Failed]) -> int:
        """Keep several outcomes (one transaction where the store can); how many rows."""
        writes = [w for w in (history_write(o) for o in outcomes) if w is not None]
        store = self.store
        if store is None or not writes:
            return 0
        try:
            return store.record_many([_item(write) for write in writes])
        except Exception as exc:  # history must never break a lookup
            self._problems.append(f"history not saved: {type(exc).__name__}: {exc}")
            self.store = None
            return 0

    def notices(self) -> list[str]:
        """What the store (or recording) had to say: a damaged file moved aside, …"""
        found = list(self._problems)
        store = self.store
        if store is not None:
            found.extend(str(n) for n in store.notices)
            if store.enabled and not store.available:
                found.append(f"history not saved: {store.unavailable_reason or 'unknown reason'}")
        return list(dict.fromkeys(found))

    def close(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except Exception as exc:  # closing must not turn a success into a traceback
                self._problems.append(f"history not closed cleanly: {exc}")


def _item(write: HistoryWrite) -> HistoryItem:
    """The store's row for one write (the store module is loaded only with a store)."""
    from inspector.infra.history import HistoryFailure, HistorySuccess

    if write.outcome == "ok" and write.raw is not None:
        return HistorySuccess(write.gen_id, write.raw)
    return HistoryFailure(write.gen_id, write.outcome, write.status, write.message)

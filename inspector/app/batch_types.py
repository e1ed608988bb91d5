"""What a batch is made of and reports, as values: the rows (:class:`Item`), the events
with their index (:class:`BatchEvent`), a progress snapshot (:class:`Progress`), and the
input-order release of outcomes (:class:`InputOrder`). :mod:`inspector.app.batch` runs the
lookups; the front-ends read these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from inspector.app.lookup import Failed, LookupEvent, Succeeded, Waiting

if TYPE_CHECKING:
    from inspector.core.ids import ParsedId

__all__ = ["BatchEvent", "InputOrder", "Item", "ItemStatus", "Outcome", "Progress"]

ItemStatus = Literal["queued", "looking up", "waiting", "pending", "ok", "failed"]
"""``queued``: not started; ``looking up``: an attempt is due or on the wire; ``waiting``:
before a retry; ``pending``: polling an id not indexed yet; ``ok`` / ``failed``: done."""

Outcome = Succeeded | Failed


@dataclass(frozen=True)
class BatchEvent:
    """One lookup event, with the position of its id in the batch (input order)."""

    index: int
    event: LookupEvent

    @property
    def outcome(self) -> Outcome | None:
        """The outcome, when this event ends its lookup."""
        return self.event if isinstance(self.event, Succeeded | Failed) else None


@dataclass
class Item:
    """One id of the batch and where its lookup stands (a row of the TUI's table)."""

    index: int
    parsed: ParsedId
    status: ItemStatus = "queued"
    attempts: int = 0
    waiting: Waiting | None = None  # the last wait announced (retry or poll)
    outcome: Outcome | None = None  # None until done (and after, without keep_outcomes)

    @property
    def gen_id(self) -> str:
        return self.parsed.id


@dataclass(frozen=True)
class Progress:
    """A snapshot: how far the batch is (for a progress bar or a status line)."""

    total: int  # ids added so far
    done: int
    ok: int
    failed: int
    pending: int  # polling an id that is not indexed yet
    waiting: int  # waiting before a retry
    in_flight: int  # attempts on the wire
    elapsed: float  # seconds since the batch started
    paused_for: float  # seconds the rate-limit gate stays closed

    @property
    def rate(self) -> float | None:
        """Lookups finished per second."""
        return self.done / self.elapsed if self.elapsed > 0 and self.done else None

    @property
    def eta(self) -> float | None:
        """Seconds until every id added so far is done, at the current rate."""
        rate = self.rate
        return (self.total - self.done) / rate if rate else None


class InputOrder:
    """Outcomes released in input order: outcome ``i`` as soon as ``0 … i`` are done."""

    def __init__(self) -> None:
        self._next = 0
        self._held: dict[int, Outcome] = {}

    def add(self, event: BatchEvent) -> list[Outcome]:
        """Take one event; the outcomes that may now be shown, in order."""
        if event.outcome is not None:
            self._held[event.index] = event.outcome
        released: list[Outcome] = []
        while self._next in self._held:
            released.append(self._held.pop(self._next))
            self._next += 1
        return released

    def rest(self) -> list[Outcome]:
        """What is still held (outcomes after a gap: the batch stopped early), in order."""
        held, self._held = self._held, {}
        return [held[index] for index in sorted(held)]

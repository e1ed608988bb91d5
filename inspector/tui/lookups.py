"""Lookups for the app: the session's events turned into typed messages.

The app starts :meth:`LookupRunner.run` from its one lookup worker shape
(``@work(exclusive=True, group="lookup", exit_on_error=False)``); several ids go to the
batch view instead (:mod:`inspector.tui.batch_worker`). Nothing here knows about widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from inspector.app.lookup import Attempting, Failed, Succeeded, Waiting
from inspector.core.errors import InspectorError
from inspector.tui.messages import LookupFailed, LookupStarted, LookupSucceeded, LookupWaiting

if TYPE_CHECKING:
    from inspector.app.lookup import LookupEvent
    from inspector.app.session import Session
    from inspector.core.ids import ParsedId

Post = Callable[[Message], object]


class WorkerCrashed(InspectorError):
    """A bug, not an API answer: the worker raised something unexpected."""

    title = "Internal error"

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"The lookup stopped unexpectedly: {type(error).__name__}: {error}")


class LookupRunner:
    """Runs the session's lookups and posts a message for every event."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def run(self, parsed: ParsedId, seq: int, post: Post) -> None:
        """Run one lookup to its end."""
        async for event in self.session.lookup(parsed):
            post(message_for(seq, event))


def message_for(seq: int, event: LookupEvent) -> Message:
    if isinstance(event, Attempting):
        return LookupStarted(seq, event.parsed, event.attempt)
    if isinstance(event, Waiting):
        return LookupWaiting(seq, event)
    if isinstance(event, Succeeded):
        return LookupSucceeded(seq, event)
    if isinstance(event, Failed):
        return LookupFailed(seq, event)
    raise TypeError(f"unknown lookup event {event!r}")

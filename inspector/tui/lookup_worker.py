"""The one worker shape for lookups: core ``Lookup.run`` events turned into typed messages.

The app starts ``LookupRunner.run`` from an ``@work(exclusive=True, group="lookup",
exit_on_error=False)`` async worker; this module owns the HTTP client and the ``Lookup`` in
flight (for "retry now"), and knows nothing about widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.message import Message

from inspector.core.errors import InspectorError
from inspector.tui.messages import LookupFailed, LookupStarted, LookupSucceeded, LookupWaiting

if TYPE_CHECKING:
    from inspector.app.lookup import Lookup, LookupEvent
    from inspector.core.retry import RetryPolicy
    from inspector.infra.client import GenerationClient

Post = Callable[[Message], object]

BACKGROUND_CONCURRENCY = 4


class LookupCancelled(InspectorError):
    """The person cancelled the lookup (Esc). Shown in the detail pane; never recorded."""

    title = "Cancelled"

    def __init__(self, gen_id: str) -> None:
        super().__init__(f"Lookup of {gen_id} cancelled. Press r to try again.")
        self.gen_id = gen_id


class WorkerCrashed(InspectorError):
    """A bug, not an API answer: the worker raised something unexpected."""

    title = "Internal error"

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"The lookup stopped unexpectedly: {type(error).__name__}: {error}")


def worth_recording(error: InspectorError) -> bool:
    """False for failures that say nothing about the id (the key, credit, setup, network):
    the history keeps what was learned about ids, like ``get`` does."""
    from inspector.core.errors import AuthError, ConfigError, NetworkError, PaymentError

    return not isinstance(error, AuthError | PaymentError | ConfigError | NetworkError)


def outcome_of(error: InspectorError) -> str:
    """The history outcome for a failed lookup."""
    from inspector.core.errors import NotFoundError, PendingError

    if isinstance(error, PendingError):
        return "pending"
    if isinstance(error, NotFoundError):
        return "not_found"
    return "error"


class LookupRunner:
    """Owns the client for the current key and the lookup in flight."""

    def __init__(self, base_url: str, policy: RetryPolicy | None = None) -> None:
        self.base_url = base_url
        self.policy = policy
        self._key: str | None = None
        self._client: GenerationClient | None = None
        self._retired: list[GenerationClient] = []
        self._current: Lookup | None = None
        self._lock = threading.Lock()  # prepare() runs in a thread

    def set_key(self, key: str | None) -> None:
        """Use ``key`` from the next lookup on (the old client is closed at shutdown)."""
        with self._lock:
            if key == self._key and self._client is not None:
                return
            self._key = key
            if self._client is not None:
                self._retired.append(self._client)
                self._client = None

    def skip_wait(self) -> None:
        """End the current wait at once: the next attempt runs now."""
        if self._current is not None:
            self._current.skip_wait()

    def prepare(self) -> None:
        """Import the HTTP stack and open the client now (from a thread: it is slow-ish)."""
        import inspector.app.lookup  # noqa: F401

        with contextlib.suppress(InspectorError):  # a bad base URL is reported on lookup
            self._ensure_client()

    def _ensure_client(self) -> GenerationClient:
        from inspector.infra.client import GenerationClient

        with self._lock:
            if self._client is None:
                self._client = GenerationClient(self._key, self.base_url)  # may raise ConfigError
            return self._client

    def _new_lookup(self) -> Lookup:
        from inspector.app.lookup import Lookup

        return Lookup(self._ensure_client(), self.policy)

    async def run(self, gen_id: str, seq: int, post: Post, *, background: bool = False) -> None:
        """Run one lookup to its end, posting a message for every event."""
        try:
            lookup = self._new_lookup()
        except InspectorError as error:
            post(LookupFailed(seq, gen_id, error, 0, background=background))
            return
        if not background:
            self._current = lookup
        try:
            async for event in lookup.run(gen_id):
                post(_message_for(seq, event, background))
        finally:
            if self._current is lookup:
                self._current = None

    async def run_many(self, gen_ids: Iterable[str], seq: int, post: Post) -> None:
        """Look up ``gen_ids`` in the background (a few at a time), for history only."""
        gate = asyncio.Semaphore(BACKGROUND_CONCURRENCY)

        async def one(gen_id: str) -> None:
            async with gate:
                await self.run(gen_id, seq, post, background=True)

        await asyncio.gather(*(one(gen_id) for gen_id in gen_ids))

    async def aclose(self) -> None:
        """Close every client this runner opened."""
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._retired, self._client = [], None
        for client in clients:
            with contextlib.suppress(Exception):  # closing must never stop a clean exit
                await client.aclose()


def _message_for(seq: int, event: LookupEvent, background: bool) -> Message:
    from inspector.app.lookup import Attempting, Failed, Succeeded, Waiting

    if isinstance(event, Attempting):
        return LookupStarted(seq, event.gen_id, event.attempt, background=background)
    if isinstance(event, Waiting):
        return LookupWaiting(seq, event, background=background)
    if isinstance(event, Succeeded):
        return LookupSucceeded(
            seq, event.gen_id, event.result, event.attempts, background=background
        )
    if isinstance(event, Failed):
        return LookupFailed(seq, event.gen_id, event.error, event.attempts, background=background)
    raise TypeError(f"unknown lookup event {event!r}")

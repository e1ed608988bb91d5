"""One lookup from start to end: attempts, announced waits, and exactly one outcome.

The same orchestration serves the CLI (which prints each event) and the UI (which turns
each event into a message and a countdown)::

    lookup = Lookup(client)
    async for event in lookup.run(parse_id("gen-…")):   # parsed once, at the edge
        ...   # Attempting, Waiting (the wait starts right after), Succeeded | Failed

A 404 is read by the domain's pending rule (:mod:`inspector.core.pending`): a young id
becomes :class:`PendingError` and is polled, an id stamped in the future is explained.

``sleep`` and ``now`` are injectable so tests run on a fake clock. Cancelling the task
that iterates ends a wait at once; :meth:`Lookup.skip_wait` ends it and tries again now.

Many lookups at once (:mod:`inspector.app.batch`) share a ``gate``
(:class:`~inspector.app.gate.RateGate`): each attempt is sent inside ``gate.attempt()``,
and a 429 closes the gate for everyone for the wait the policy decided.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from inspector.core import pending
from inspector.core.errors import InspectorError, NotFoundError, RateLimitedError
from inspector.core.ids import ParsedId, utc_now
from inspector.core.retry import RetryDecision, RetryPolicy

if TYPE_CHECKING:
    from inspector.app.gate import RateGate
    from inspector.infra.client import FetchResult, GenerationClient


@dataclass(frozen=True)
class _Event:
    """What every event says: which id (as parsed at the edge)."""

    parsed: ParsedId

    @property
    def gen_id(self) -> str:
        return self.parsed.id


@dataclass(frozen=True)
class Attempting(_Event):
    """Attempt number ``attempt`` (1-based) is about to be sent (with a gate: as soon as
    the gate lets it through)."""

    attempt: int


@dataclass(frozen=True)
class Waiting(_Event):
    """An attempt failed with ``error``; the wait of ``decision.delay`` s starts now."""

    decision: RetryDecision
    error: InspectorError


@dataclass(frozen=True)
class Succeeded(_Event):
    """The record, after ``attempts`` attempts."""

    result: FetchResult
    attempts: int


@dataclass(frozen=True)
class Failed(_Event):
    """The final failure, after ``attempts`` attempts (0 when nothing was sent)."""

    error: InspectorError
    attempts: int


LookupEvent = Attempting | Waiting | Succeeded | Failed


class Lookup:
    """Runs lookups with a client and a retry policy; one wait at a time."""

    def __init__(
        self,
        client: GenerationClient,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = utc_now,
        gate: RateGate | None = None,
    ) -> None:
        self.client = client
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._now = now
        self._gate = gate
        self._skip = asyncio.Event()

    def skip_wait(self) -> None:
        """Retry now: the current wait (or one about to start) ends at once."""
        self._skip.set()

    async def run(self, parsed: ParsedId) -> AsyncIterator[LookupEvent]:
        """Yield the events of one lookup; never raises :class:`InspectorError`."""
        started = self._now()
        attempt = 0
        while True:
            attempt += 1
            self._skip.clear()
            yield Attempting(parsed, attempt)
            try:
                async with self._gate.attempt() if self._gate else contextlib.nullcontext():
                    result = await self.client.get_generation(parsed.id)
            except InspectorError as raised:
                now = self._now()
                error = raised
                if isinstance(error, NotFoundError):
                    error = pending.not_found_error(error, parsed, now)
                elapsed = (now - started).total_seconds()
                decision = self.policy.decide(error, attempt, parsed.age_seconds(now), elapsed)
                if isinstance(error, RateLimitedError):
                    self._close_gate(error, decision)
                if decision is None:
                    yield Failed(parsed, error, attempt)
                    return
                yield Waiting(parsed, decision, error)
                await self._wait(decision.delay)
                continue
            yield Succeeded(parsed, result, attempt)
            return

    def _close_gate(self, error: RateLimitedError, decision: RetryDecision | None) -> None:
        """Tell the gate about a 429: every lookup waits what the policy decided (when this
        lookup gives up, what the policy would have decided for a first attempt)."""
        if self._gate is None:
            return
        wait = decision or self.policy.decide(error, 1, None)
        if wait is not None:
            self._gate.rate_limited(wait.delay)

    async def _wait(self, delay: float) -> None:
        """Sleep ``delay`` seconds unless :meth:`skip_wait` is called; cancellable."""
        if self._skip.is_set():
            return
        sleeper = asyncio.ensure_future(self._sleep(max(delay, 0.0)))
        skipper = asyncio.ensure_future(self._skip.wait())
        try:
            await asyncio.wait({sleeper, skipper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            skipper.cancel()
        if sleeper.done() and not sleeper.cancelled() and sleeper.exception() is not None:
            raise sleeper.exception()  # type: ignore[misc]


async def lookup_once(
    client: GenerationClient, parsed: ParsedId, policy: RetryPolicy | None = None
) -> Succeeded | Failed:
    """Run a lookup to its end and return only the outcome (for scripts)."""
    outcome: Succeeded | Failed | None = None
    async for event in Lookup(client, policy).run(parsed):
        if isinstance(event, Succeeded | Failed):
            outcome = event
    assert outcome is not None
    return outcome

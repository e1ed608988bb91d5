"""The gate every attempt of a batch passes: a bounded number in flight, one rate-limit window.

A batch's lookups share one :class:`RateGate`. Each attempt enters it
(``async with gate.attempt(): …send…``): it waits for one of ``slots`` places (None: no
bound), then for the rate-limit window to pass. A lookup that receives a 429 calls
:meth:`RateGate.rate_limited` with the wait its retry policy decided, at once (before any
other task runs): from then on no attempt of any lookup goes out until that wait is over.
Attempts already on the wire cannot be called back; everything sent later respects it.

The gate holds no lookup between attempts: a lookup waiting for its next poll or retry
holds no place, so pending ids never block the others.

``clock`` (monotonic seconds) and ``sleep`` are injectable for tests on a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable

__all__ = ["RateGate"]


class RateGate:
    """Bounded concurrency and one shared rate-limit window for many lookups."""

    def __init__(
        self,
        slots: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if slots is not None and slots < 1:
            raise ValueError("a gate needs at least one slot")
        self.slots = slots
        self._places = asyncio.Semaphore(slots) if slots is not None else None
        self._clock = clock
        self._sleep = sleep
        self._closed_until = 0.0
        self.in_flight = 0
        self.pauses = 0  # how many 429s closed (or extended) the window

    # ---- the window --------------------------------------------------------------------

    def rate_limited(self, seconds: float) -> None:
        """A 429 asked every request to wait ``seconds`` from now (the longest wait wins)."""
        until = self._clock() + max(seconds, 0.0)
        if until > self._closed_until:
            self._closed_until = until
            self.pauses += 1

    def paused_for(self) -> float:
        """Seconds until requests may go out again (0 when the window is open)."""
        return max(self._closed_until - self._clock(), 0.0)

    async def wait_open(self) -> None:
        """Return once the window is open (at once when it is); cancellable."""
        while (left := self._closed_until - self._clock()) > 0:
            await self._sleep(left)

    # ---- attempts ----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        """Hold a place for one attempt, entered only while the window is open."""
        places = self._places
        if places is not None:
            await places.acquire()
        try:
            await self.wait_open()
            self.in_flight += 1
            try:
                yield
            finally:
                self.in_flight -= 1
        finally:
            if places is not None:
                places.release()

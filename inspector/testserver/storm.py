"""A server-wide rate-limit storm, for testing a client's shared rate-limit gate.

From ``start`` on (``time.monotonic()``), the first request on a storm path opens a window
of ``window`` seconds and is answered 429 announcing the whole window; every request that
comes while the window is open is answered 429 too, announcing what is left of it. Those
that come within ``grace`` seconds of the opening were already on their way when the first
429 went out: they count in ``in_flight``. Later ones count in ``inside``: a client whose
workers share one gate sends none. After ``bursts`` windows the storm is over and every
request passes.

Times are arrival times (``RecordedRequest.at``, before the server's ``latency``), so
:meth:`RateLimitStorm.arrived_inside` tells which recorded requests broke a window;
``window`` is real time (not scaled by the server's ``time_scale``). Requests the storm
answers never reach the route: they do not advance an id's script or its ``count()``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from inspector.testserver.bodies import RetryAfterStyle

DEFAULT_GRACE = 0.1  # seconds after a window opens during which arrivals were in flight


@dataclass
class RateLimitStorm:
    """The storm's settings and what it saw (read the counters after the clients finish)."""

    window: float = 1.0
    start: float = field(default_factory=time.monotonic)
    bursts: int = 1
    style: RetryAfterStyle = "seconds"
    paths: tuple[str, ...] = ("/generation",)  # under /api/v1
    grace: float = DEFAULT_GRACE
    windows: list[tuple[float, float]] = field(default_factory=list)  # (opened, closes)
    rejected: int = 0  # every 429 the storm answered, openers included
    in_flight: int = 0  # arrivals within ``grace`` of a window's opening
    inside: int = 0  # later arrivals inside a window: requests a shared gate should hold
    passed: int = 0  # requests on storm paths let through
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def applies_to(self, path: str) -> bool:
        """Whether ``path`` (without the API prefix) is rate-limited by this storm."""
        return path in self.paths

    def check(self, at: float) -> float | None:
        """For a request arriving at ``at``: the wait to announce with a 429, or None."""
        with self._lock:
            if self.windows:
                opened, closes = self.windows[-1]
                if opened <= at < closes:
                    self.rejected += 1
                    if at - opened < self.grace:
                        self.in_flight += 1
                    else:
                        self.inside += 1
                    return closes - at
            if at >= self.start and len(self.windows) < self.bursts:
                self.windows.append((at, at + self.window))
                self.rejected += 1
                return self.window
            self.passed += 1
            return None

    def arrived_inside(self, times: list[float]) -> list[float]:
        """Those of ``times`` (``time.monotonic()`` values) inside a window after its grace."""
        with self._lock:
            spans = [(opened + self.grace, closes) for opened, closes in self.windows]
        return [t for t in times if any(start <= t < closes for start, closes in spans)]

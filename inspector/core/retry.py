"""The retry policy: whether and when to try a failed lookup again. Pure, never sleeps.

- 429: the server's wait (``Retry-After`` or ``X-RateLimit-Reset``), capped; without one,
  exponential backoff with jitter.
- 5xx (500, 502, 503, 524, 529 …) and network errors: backoff with jitter, a few attempts.
- 200 that was not the documented JSON (truncated, garbled): retried a little.
- 404 on a young id (:class:`PendingError`, decided by :mod:`inspector.core.pending`):
  polled with growing waits (1, 2, 4, 8, 15, 30 s …) until the id is ``pending_max_age``
  old (:data:`inspector.core.pending.YOUNG_FOR`) and for at most ``pending_max_wait`` of
  wall-clock time (:data:`inspector.core.pending.MAX_POLLING`).
- Everything else (old 404, 400, 401, 402, 403, malformed id, bad configuration): final.

Each decision says what happens next in words a person can read (attempt k of n, the
wait and why), so the CLI prints it and the UI draws a countdown from it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.core import pending as pending_rule
from inspector.core.errors import (
    InspectorError,
    InvalidResponseError,
    NetworkError,
    PendingError,
    RateLimitedError,
    UpstreamError,
)

if TYPE_CHECKING:
    from inspector.core.error_body import ErrorInfo


@dataclass(frozen=True)
class RetryDecision:
    """What to do after a failed attempt: wait ``delay`` seconds, then run ``attempt``."""

    delay: float
    attempt: int
    max_attempts: int | None
    kind: str  # "pending" | "retry"
    reason: str
    status: int | None
    source: str | None  # "Retry-After" | "X-RateLimit-Reset" | "backoff" | "poll"
    deadline_age: float | None = None

    def describe(self) -> str:
        """One line: ``retrying in 2.0 s (attempt 2 of 5): Rate limited (429): …``."""
        if self.kind == "pending":
            return (
                f"not indexed yet, checking again in {self.delay:.1f} s "
                f"(poll {self.attempt}): {self.reason}"
            )
        of = f" of {self.max_attempts}" if self.max_attempts else ""
        via = f", {self.source}" if self.source in ("Retry-After", "X-RateLimit-Reset") else ""
        return f"retrying in {self.delay:.1f} s (attempt {self.attempt}{of}{via}): {self.reason}"


def error_detail(info: ErrorInfo | None, limit: int = 120) -> str:
    """The server's own words: the JSON message, or the content type and start of the body."""
    if info is None:
        return ""
    if info.is_json:
        return info.message
    snippet = " ".join(info.body_start.split())
    if len(snippet) > limit:
        snippet = snippet[: limit - 1] + "…"
    kind = info.content_type.split(";")[0].strip() or "no content type"
    return f"{kind} answer: {snippet}" if snippet else f"{kind} answer, empty body"


def describe_error(error: InspectorError) -> str:
    """Plain words for a failure: ``Rate limited (429): Rate limit exceeded``."""
    message = error_detail(error.info) or error.summary
    if isinstance(error, NetworkError):
        return f"{error.title} ({error.kind}): {message}"
    if error.status is not None:
        return f"{error.title} ({error.status}): {message}"
    return f"{error.title}: {message}"


class RetryPolicy:
    """Decides per error whether and when to try again; jitter from an injectable rng."""

    def __init__(
        self,
        *,
        max_attempts: int = 5,
        base_delay: float = 0.5,
        factor: float = 2.0,
        max_delay: float = 30.0,
        rate_limit_cap: float = 60.0,
        pending_schedule: Sequence[float] = (1, 2, 4, 8, 15, 30),
        pending_max_age: float = pending_rule.YOUNG_FOR,
        pending_max_wait: float = pending_rule.MAX_POLLING,
        jitter: float = 0.1,
        rng: random.Random | None = None,
        invalid_max_attempts: int = 3,
        scale: float = 1.0,
    ) -> None:
        """``scale`` multiplies every delay (1.0 in real use; tests make waits tiny)."""
        if max_attempts < 1 or not pending_schedule:
            raise ValueError("max_attempts must be >= 1 and pending_schedule non-empty")
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.factor = factor
        self.max_delay = max_delay
        self.rate_limit_cap = rate_limit_cap
        self.pending_schedule = tuple(float(s) for s in pending_schedule)
        self.pending_max_age = pending_max_age
        self.pending_max_wait = pending_max_wait
        self.jitter = jitter
        self.rng = rng or random.Random()
        self.invalid_max_attempts = min(invalid_max_attempts, max_attempts)
        self.scale = scale

    def decide(
        self,
        error: InspectorError,
        attempt: int,
        id_age: float | None,
        elapsed: float = 0.0,
    ) -> RetryDecision | None:
        """The next step after attempt number ``attempt`` (1-based) failed; None = final.

        ``elapsed`` is the wall-clock time the lookup has run (bounds pending polling).
        """
        if isinstance(error, PendingError):
            return self._pending(error, attempt, id_age, elapsed)
        if isinstance(error, RateLimitedError):
            return self._rate_limited(error, attempt)
        if isinstance(error, UpstreamError | NetworkError):
            return self._backoff(error, attempt, self.max_attempts)
        if isinstance(error, InvalidResponseError) and error.status == 200:
            return self._backoff(error, attempt, self.invalid_max_attempts)
        return None

    # ---- the cases ---------------------------------------------------------------------

    def _pending(
        self, error: PendingError, attempt: int, id_age: float | None, elapsed: float
    ) -> RetryDecision | None:
        age = id_age if id_age is not None else error.age
        if age is None:
            return None
        remaining = min(self.pending_max_age - age, self.pending_max_wait - elapsed)
        if remaining <= 0:
            return None
        step = self.pending_schedule[min(attempt - 1, len(self.pending_schedule) - 1)]
        delay = min(step * self.scale, remaining)
        return RetryDecision(
            delay=delay,
            attempt=attempt + 1,
            max_attempts=None,
            kind="pending",
            reason=describe_error(error),
            status=error.status,
            source="poll",
            deadline_age=self.pending_max_age,
        )

    def _rate_limited(self, error: RateLimitedError, attempt: int) -> RetryDecision | None:
        if error.retry_after is None:
            return self._backoff(error, attempt, self.max_attempts)
        if attempt >= self.max_attempts:
            return None
        wait = max(error.retry_after, 0.0)
        # Never earlier than asked: jitter only adds, and the cap bounds the total.
        wait += wait * self.jitter * self.rng.random()
        delay = min(wait, self.rate_limit_cap) * self.scale
        return self._decision(error, attempt, self.max_attempts, delay, error.retry_after_source)

    def _backoff(
        self, error: InspectorError, attempt: int, max_attempts: int
    ) -> RetryDecision | None:
        if attempt >= max_attempts:
            return None
        return self._decision(error, attempt, max_attempts, self.backoff_delay(attempt), "backoff")

    def backoff_delay(self, attempt: int) -> float:
        """Exponential delay after failed attempt ``attempt``, capped, with ±jitter."""
        raw = min(self.base_delay * self.factor ** (attempt - 1), self.max_delay)
        spread = 1.0 + self.jitter * (2.0 * self.rng.random() - 1.0)
        return max(raw * spread, 0.0) * self.scale

    def _decision(
        self,
        error: InspectorError,
        attempt: int,
        max_attempts: int,
        delay: float,
        source: str | None,
    ) -> RetryDecision:
        return RetryDecision(
            delay=delay,
            attempt=attempt + 1,
            max_attempts=max_attempts,
            kind="retry",
            reason=describe_error(error),
            status=error.status,
            source=source or "backoff",
            deadline_age=None,
        )

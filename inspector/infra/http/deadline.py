"""A timeout is a deadline for the whole attempt, not a limit on each socket read.

httpx's timeouts bound one operation each (connect, one read, one write): a server that
drips a byte at a time never trips them. Here the client opens a :func:`window` of
``seconds`` around each attempt (connect, TLS, proxy tunnel, sending, every read of the
headers and of the body) and both transports run their sockets through :func:`budget`,
which shortens every operation's own timeout to what is left of the window and fails it
once the window has closed. The window lives in a context variable, so concurrent lookups
in one event loop each keep their own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx

__all__ = ["MAX_SECONDS", "attempt_seconds", "budget", "expired", "window"]

MAX_SECONDS = 7 * 86_400.0
"""Longest deadline honoured (a week); larger values are clamped (sockets refuse them)."""

_DEADLINE: ContextVar[float | None] = ContextVar("inspector_http_deadline", default=None)


def attempt_seconds(timeout: float | httpx.Timeout | None) -> float | None:
    """The deadline of one attempt for a client ``timeout``.

    A number is the deadline itself. An :class:`httpx.Timeout` keeps its per-operation
    limits and its largest finite one is the deadline (``Timeout(30, connect=10)``: 30 s
    for the whole attempt, at most 10 of them connecting). ``None`` means no deadline.
    Raises ``ValueError`` for a value that is not a positive finite number.
    """
    if timeout is None:
        return None
    if isinstance(timeout, httpx.Timeout):
        parts = [timeout.connect, timeout.read, timeout.write, timeout.pool]
        finite = [part for part in parts if part is not None]
        if not finite:
            return None
        for part in finite:
            _check(part)
        return min(max(finite), MAX_SECONDS)
    return min(_check(timeout), MAX_SECONDS)


def _check(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"a timeout must be a number of seconds, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"a timeout must be a positive number of seconds, not {value!r}")
    return float(value)


@contextmanager
def window(seconds: float | None) -> Iterator[float | None]:
    """Run the block under a deadline ``seconds`` from now (None: none); yields it
    as a ``time.monotonic()`` value."""
    deadline = None if seconds is None else time.monotonic() + seconds
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


def expired() -> bool:
    """True when the current window has closed."""
    deadline = _DEADLINE.get()
    return deadline is not None and time.monotonic() >= deadline


def budget(timeout: float | None, error: type[Exception]) -> float | None:
    """The timeout for one socket operation: its own, shortened to the time left.

    Raises ``error`` (an httpcore timeout class) when no time is left.
    """
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the deadline for the whole request has passed")
    return left if timeout is None else min(timeout, left)

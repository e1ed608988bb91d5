"""How long a 429 asks to wait: ``Retry-After`` (seconds or an HTTP date) and OpenRouter's
``X-RateLimit-Reset`` (epoch milliseconds), from the headers or ``error.metadata.headers``.
Pure functions."""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["finite_number", "parse_rate_limit_reset", "parse_retry_after", "rate_limit_wait"]


def finite_number(value: Any) -> float | None:
    """A finite float from a number or numeric string; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def parse_retry_after(value: str, now: datetime) -> float | None:
    """``Retry-After``: delta seconds or an HTTP date; seconds to wait from ``now``."""
    seconds = finite_number(value.strip())
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def parse_rate_limit_reset(value: str, now: datetime) -> float | None:
    """``X-RateLimit-Reset``: epoch milliseconds (OpenRouter); seconds to wait from ``now``.

    Epoch seconds and small delta-seconds values are accepted too.
    """
    number = finite_number(str(value).strip())
    if number is None:
        return None
    if number > 1e11:  # epoch milliseconds
        return max(number / 1000.0 - now.timestamp(), 0.0)
    if number > 1e9:  # epoch seconds
        return max(number - now.timestamp(), 0.0)
    return max(number, 0.0)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    """Case-insensitive lookup in a plain mapping (``error.metadata.headers``)."""
    lowered = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == lowered and value is not None:
            return str(value)
    return None


def rate_limit_wait(
    headers: Mapping[str, Any], metadata: Mapping[str, Any] | None, now: datetime
) -> tuple[float | None, str | None]:
    """The server's requested wait for a 429 and where it came from."""
    sources: list[Mapping[str, Any]] = [headers]
    meta_headers = (metadata or {}).get("headers")
    if isinstance(meta_headers, Mapping):
        sources.append(meta_headers)
    for source in sources:
        for name, parse in (
            ("Retry-After", parse_retry_after),
            ("X-RateLimit-Reset", parse_rate_limit_reset),
        ):
            value = _header(source, name)
            wait = parse(value, now) if value is not None else None
            if wait is not None:
                return wait, name
    return None, None

"""Values made safe for SQLite on the way in, and read back without surprises.

SQLite refuses some values Python holds: text with a lone surrogate (``'\\ud800'``, which
odd JSON decodes to), integers outside 64 bits, and datetimes outside the years 1–9999 do
not come back. Each helper here turns such a value into one SQLite keeps, or into None.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, datetime
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(value: str) -> str:
    """Text SQLite can store: a lone surrogate (from odd JSON; SQLite would raise) becomes
    U+FFFD, the replacement character."""
    return _SURROGATE.sub("\ufffd", value)


def optional_text(value: str | None) -> str | None:
    return None if value is None else storable_text(value)


def clean_id(gen_id: object) -> str:
    """An id as stored and looked up: trimmed of blanks and of quotes around it."""
    return storable_text(str(gen_id)).strip().strip("\"'`").strip()


def sqlite_int(value: object) -> int | None:
    """An integer SQLite's INTEGER holds, else None (the exact value stays in the raw JSON)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if INT64_MIN <= value <= INT64_MAX else None


def finite_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def bound(value: int) -> int:
    """A LIMIT or OFFSET: at least 0 and at most what SQLite can bind."""
    return min(max(int(value), 0), INT64_MAX)


def timestamp(when: datetime | None) -> float:
    """Unix time of ``when`` (a naive datetime counts as UTC); now when None."""
    if when is None:
        return time.time()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def utc_from_ts(value: float | None) -> datetime | None:
    """A stored unix time as an aware UTC datetime; None when it is not one (out of range)."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (ValueError, OverflowError, OSError, TypeError):
        return None


def seen_time(value: float) -> datetime:
    """A lookup time; one out of range (a damaged or foreign file) reads as the epoch."""
    return utc_from_ts(value) or datetime.fromtimestamp(0, UTC)


def dump_raw(raw: dict[str, Any]) -> str | None:
    """The raw record as ASCII JSON text; None when it cannot be written (too deeply nested).

    Lone surrogates end up as ``\\udXXX`` escapes, huge integers exactly, NaN and Infinity
    as Python's ``NaN``/``Infinity`` tokens, so :func:`load_raw` gives back equal values.
    """
    try:
        return json.dumps(raw, ensure_ascii=True, separators=(",", ":"), default=str)
    except (ValueError, TypeError, RecursionError):
        return None


def load_raw(raw_json: str | None) -> dict[str, Any] | None:
    if raw_json is None:
        return None
    try:
        value = json.loads(raw_json)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None

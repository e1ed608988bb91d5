"""Lenient readers of JSON values from the API, shared by the models and the history store.

The models (:mod:`inspector.core.models`) read every field through one of these, and the
history store fills its columns with them on every ``get`` without building a model. Each
reader returns ``None`` for a value it cannot read instead of raising.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any


def to_float(value: Any) -> float | None:
    """Accept numbers, numeric strings ("1e-5", " 0.25 "), and treat junk as missing."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    try:
        if isinstance(value, int | float):
            f = float(value)
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            f = float(text)
        else:
            return None
    except (ValueError, OverflowError):  # junk text, or an integer too big for a float
        return None
    return f if math.isfinite(f) else None


def to_int(value: Any) -> int | None:
    f = to_float(value)
    if f is None:
        return None
    return int(f) if f.is_integer() else round(f)


def to_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return None


def to_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"true", "1", "yes"}:
            return True
        if low in {"false", "0", "no"}:
            return False
    return None


def parse_timestamp(value: Any) -> datetime | None:
    """Parse both observed ISO 8601 forms (``…+00:00`` with 6 digits, ``…Z`` with any)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 was picky about fraction digits; normalise to 6 anyway.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = ""
        i = 0
        while i < len(rest) and rest[i].isdigit():
            digits += rest[i]
            i += 1
        text = f"{head}.{(digits + '000000')[:6]}{rest[i:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""argparse value types shared by the commands: bad values are usage errors (exit 2)."""

from __future__ import annotations

import argparse
import math

__all__ = ["MAX_SECONDS", "count", "positive_seconds"]

MAX_SECONDS = 86_400.0  # a day: longer deadlines or waits are surely a typo
MAX_COUNT = 10**9


def positive_seconds(text: str) -> float:
    """A number of seconds above 0 and at most a day."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0 and at most {MAX_SECONDS:g}, got {text!r}"
        )
    return value


def count(text: str) -> int:
    """A whole number from 0 to a billion."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_COUNT:,}, got {text}")
    return value

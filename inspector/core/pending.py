"""The one rule for "is this 404 a generation that is not indexed yet?". Pure.

OpenRouter answers 404 for a while right after a completion (API.md, "The 404 that is not
'not found'"): most ids appear within a second, some after minutes; every id seen resolved
within about 50 minutes, and no official figure exists. The inspector therefore tells ids
apart by the time embedded in them:

- **young** (created less than :data:`YOUNG_FOR` ago): *pending* — polled, with growing
  waits, until it is that old, and for at most :data:`MAX_POLLING` of wall-clock time;
- **old**: *not found* — the likely reasons are explained;
- **stamped in the future** by more than :data:`CLOCK_SKEW` (a mistyped digit, a wrong
  clock): explained, never polled, since it cannot become ready in any useful time;
- **untimed** (the documentation's form without a timestamp): its age is unknown, so a
  404 is final.

Every other module asks this one (the client maps HTTP to errors and decides nothing here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from inspector.core.errors import FutureIdError, NotFoundError, PendingError
from inspector.core.ids import ParsedId

__all__ = [
    "CLOCK_SKEW",
    "MAX_POLLING",
    "YOUNG_FOR",
    "Verdict",
    "classify",
    "not_found_error",
]

YOUNG_FOR = 900.0
"""Seconds after its creation during which a 404 means "not indexed yet" (15 minutes)."""

MAX_POLLING = 900.0
"""Wall-clock seconds one lookup keeps polling a pending id, whatever the clocks say."""

CLOCK_SKEW = 120.0
"""Seconds an id may be stamped ahead of this machine's clock and still count as young."""

Kind = Literal["pending", "not_found", "future", "untimed"]


@dataclass(frozen=True)
class Verdict:
    """What a 404 means for one id at one moment. ``age`` in seconds (None: untimed)."""

    kind: Kind
    age: float | None

    @property
    def pending(self) -> bool:
        return self.kind == "pending"


def classify(parsed: ParsedId, now: datetime) -> Verdict:
    """Read a 404 on ``parsed`` at ``now``."""
    age = parsed.age_seconds(now)
    if age is None:
        return Verdict("untimed", None)
    if age < -CLOCK_SKEW:
        return Verdict("future", age)
    if age < YOUNG_FOR:
        return Verdict("pending", max(age, 0.0))
    return Verdict("not_found", age)


def not_found_error(error: NotFoundError, parsed: ParsedId, now: datetime) -> NotFoundError:
    """The error a 404 on ``parsed`` really is: pending, future, or not found (as given)."""
    verdict = classify(parsed, now)
    if verdict.kind == "pending":
        return PendingError(
            f"{error.summary} (id is {verdict.age:.0f} s old: not indexed yet)",
            info=error.info,
            age=verdict.age,
        )
    if verdict.kind == "future" and verdict.age is not None:
        return FutureIdError(error.summary, info=error.info, age=verdict.age)
    return error

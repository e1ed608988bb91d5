"""Where a field list's cursor goes: pure arithmetic over its rows (no widget).

A *stop* is a row the cursor may rest on (a selectable cell, or a "more" row), and the
cells of a row it may rest on. Each function answers one move (the next row, a screenful,
the next section, either end) with a row index, or None when there is none that way: the
list then tells its owner, which may go on in the other column of a wide record.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from inspector.tui.record.rows import Row

__all__ = ["SCAN_LIMIT", "cells", "edge", "next_stop", "page", "section", "stop_at_or_after"]

SCAN_LIMIT = 400  # rows looked at when searching for the next cursor stop


def cells(rows: Sequence[Row], index: int) -> tuple[int, ...]:
    """The cells of row ``index`` the cursor may rest on."""
    row = rows[index]
    return (0,) if row.kind == "more" else row.selectable_cells


def stop_at_or_after(rows: Sequence[Row], index: int) -> int | None:
    for i in range(max(index, 0), min(len(rows), index + SCAN_LIMIT)):
        if rows[i].cursorable:
            return i
    return None


def stop_before(rows: Sequence[Row], index: int) -> int | None:
    for i in range(min(index, len(rows)) - 1, max(index - SCAN_LIMIT, 0) - 1, -1):
        if rows[i].cursorable:
            return i
    return None


def next_stop(rows: Sequence[Row], row: int, delta: int) -> int | None:
    """The next (``delta`` 1) or previous (-1) row with a stop."""
    return stop_at_or_after(rows, row + 1) if delta > 0 else stop_before(rows, row)


def edge(rows: Sequence[Row], delta: int) -> int | None:
    """The first (-1) or the last (1) row with a stop."""
    return stop_at_or_after(rows, 0) if delta < 0 else stop_before(rows, len(rows))


def page(rows: Sequence[Row], row: int, delta: int, height: int) -> int | None:
    """A screenful of ``height`` rows down (1) or up (-1); None when that is where it is."""
    goal = min(max(row + delta * height, 0), len(rows) - 1)
    target = stop_at_or_after(rows, goal) if delta > 0 else stop_before(rows, goal + 1)
    if target is None:
        target = stop_before(rows, goal + 1) if delta > 0 else stop_at_or_after(rows, goal)
    return None if target == row else target


def section(
    rows: Sequence[Row], sections: Sequence[int], row: int, delta: int
) -> tuple[int, int] | None:
    """``(stop, section start)`` of the next (previous) section from ``row``."""
    if delta > 0:
        position = bisect.bisect_right(sections, row)
    else:
        position = bisect.bisect_left(sections, row) - 1
        current = sections[position] if position >= 0 else None
        if current is not None and stop_at_or_after(rows, current) == row:
            position -= 1
    if not 0 <= position < len(sections):
        return None
    target = stop_at_or_after(rows, sections[position])
    return None if target is None else (target, sections[position])

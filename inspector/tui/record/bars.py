"""Horizontal bars drawn with block characters, to any width, in theme colours.

- :func:`split_bar`: one whole made of parts (prompt = cached + new), each part with its
  own character as well as its colour, so the split reads without colour too.
- :func:`span_bar`: a segment on a shared time axis (a waterfall: latency then generation;
  provider attempts one after another), with eighth-of-a-cell precision at its end.
- :func:`progress_bar`: how much of a wait has passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual.content import Content

__all__ = ["TRACK_STYLE", "progress_bar", "span_bar", "split_bar"]

EIGHTHS = "▏▎▍▌▋▊▉"
FULL = "█"
TRACK_STYLE = "$foreground 20%"
TRACK_CHAR = "╌"


def _allocate(values: Sequence[float], width: int) -> list[int]:
    """Split ``width`` cells between ``values`` (largest remainder); every non-zero value
    gets at least one cell when there is room."""
    total = sum(values)
    if total <= 0 or width <= 0:
        return [0 for _ in values]
    exact = [value / total * width for value in values]
    cells = [math.floor(x) for x in exact]
    for index in sorted(range(len(values)), key=lambda i: exact[i] - cells[i], reverse=True):
        if sum(cells) >= width:
            break
        cells[index] += 1
    for index, value in enumerate(values):
        if value > 0 and cells[index] == 0:
            donor = max(range(len(cells)), key=lambda i: cells[i])
            if cells[donor] > 1:
                cells[donor] -= 1
                cells[index] = 1
    return cells


def split_bar(parts: Sequence[tuple[float, str, str]], width: int, scale: float = 1.0) -> Content:
    """A bar split between ``(value, character, style)`` parts, ``scale`` (0–1) of
    ``width`` cells long (bars of one record share a scale: the longest is 1); the rest of
    the width is a faint track."""
    values = [max(value, 0.0) for value, _, _ in parts]
    if sum(values) <= 0 or width <= 0:
        return Content.styled(TRACK_CHAR * max(width, 0), TRACK_STYLE)
    length = min(max(round(width * min(max(scale, 0.0), 1.0)), 1), width)
    cells = _allocate(values, length)
    pieces = [
        (char * count, style) for (_, char, style), count in zip(parts, cells, strict=True) if count
    ]
    return Content.assemble(*pieces, (TRACK_CHAR * (width - length), TRACK_STYLE))


def span_bar(start: float, length: float, total: float, width: int, style: str) -> Content:
    """``length`` drawn from ``start`` on an axis of ``total`` across ``width`` cells.

    The start snaps to a cell; the end has eighth-cell precision; any non-zero length shows
    at least a sliver. The unused track is drawn faintly so the scale is visible.
    """
    if width <= 0:
        return Content("")
    if total <= 0 or length <= 0:
        return Content.styled(TRACK_CHAR * width, TRACK_STYLE)
    scale = width / total
    first = min(int(start * scale), width - 1)
    eighths = max(round(length * scale * 8), 1)
    eighths = min(eighths, (width - first) * 8)
    full, rest = divmod(eighths, 8)
    bar = FULL * full + (EIGHTHS[rest - 1] if rest else "")
    after = width - first - len(bar)
    return Content.assemble(
        (TRACK_CHAR * first, TRACK_STYLE),
        (bar, style),
        (TRACK_CHAR * after, TRACK_STYLE),
    )


def progress_bar(fraction: float, width: int, style: str) -> Content:
    """``fraction`` (0–1) of ``width`` cells filled, eighth-cell precise."""
    fraction = min(max(fraction, 0.0), 1.0)
    if width <= 0:
        return Content("")
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    bar = FULL * full + (EIGHTHS[rest - 1] if rest else "")
    return Content.assemble((bar, style), (TRACK_CHAR * (width - len(bar)), TRACK_STYLE))

"""How the batch table's columns share the width, and how a text fits its column.

One layout for the header, every row and the totals row, so they line up. The figures
(cost, tokens, latency) and the id take the width of their widest text, the status that of
its longest word; the model and the provider share what is left (3 : 2), up to their
widest text. When even their least does not fit, the id gives way first (down to its
start, ``gen-1792505262-Yd4L…``), then the tokens, the provider and the latency columns
are left out, in that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from inspector.tui.batch_rows import COLUMNS, NUMERIC, STATUS_ORDER

__all__ = ["GAP", "TITLES", "ColumnLayout", "fit", "layout_columns"]

GAP = 2  # cells between two columns
TITLES = {
    "id": "id",
    "status": "status",
    "model": "model",
    "provider": "provider",
    "cost": "cost",
    "tokens": "tokens",
    "latency": "latency",
}
FLEX = {"model": 3, "provider": 2}  # the columns that share what is left, and their weights
LEAST = {"id": 16, "model": 10, "provider": 8}
MOST = {"id": 35, "cost": 16, "tokens": 24, "latency": 12}
STATUS_WIDTH = max(len(word) for word in STATUS_ORDER)  # the same whatever has been seen
DROP_ORDER = ("tokens", "provider", "latency")
ELLIPSIS = "…"


@dataclass(frozen=True)
class ColumnLayout:
    """Where each shown column starts and how wide it is (hidden columns are absent)."""

    width: int
    columns: tuple[tuple[str, int, int], ...]  # (column, start, width)

    def span(self, column: str) -> tuple[int, int] | None:
        for name, start, width in self.columns:
            if name == column:
                return start, width
        return None

    def column_at(self, x: int) -> str | None:
        """The column under cell ``x`` (a gap belongs to the column on its left)."""
        found = None
        for name, start, _ in self.columns:
            if x >= start:
                found = name
        return found


def layout_columns(width: int, content: Mapping[str, int]) -> ColumnLayout:
    """The columns for a table ``width`` cells wide; ``content``: the widest text seen in
    each column."""
    want = {c: min(max(content.get(c, 0), _title(c)), MOST.get(c, 10_000)) for c in COLUMNS}
    want["status"] = STATUS_WIDTH
    shown = list(COLUMNS)
    for drop in (None, *DROP_ORDER):
        if drop is not None:
            shown.remove(drop)
        gaps = GAP * (len(shown) - 1)
        fixed = sum(want[c] for c in shown if c not in FLEX and c != "id")
        least = fixed + LEAST["id"] + sum(LEAST[c] for c in FLEX if c in shown)
        if least + gaps <= width:
            break
    flex = [c for c in FLEX if c in shown]
    room = max(width - gaps - fixed, 0)
    widths = {c: want[c] for c in shown}
    widths["id"] = max(min(want["id"], room - sum(LEAST[c] for c in flex)), LEAST["id"])
    room = max(room - widths["id"], 0)
    wanted = {c: max(want[c], LEAST[c]) for c in flex}
    if sum(wanted.values()) <= room:  # room to spare: it stays at the right, unused
        widths.update(wanted)
    else:
        weight = sum(FLEX[c] for c in flex)
        given = 0
        for index, column in enumerate(flex):
            if index == len(flex) - 1:
                widths[column] = max(room - given, LEAST[column])
            else:
                share = min(room * FLEX[column] // weight, wanted[column])
                widths[column] = max(share, LEAST[column])
                given += widths[column]
    placed = []
    start = 0
    for column in shown:
        placed.append((column, start, widths[column]))
        start += widths[column] + GAP
    return ColumnLayout(width, tuple(placed))


def _title(column: str) -> int:
    """A title's cells, with room for the sort arrow."""
    return len(TITLES[column]) + 2


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis when too long, padded
    (on the left when ``right``) when short."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS
    pad = " " * (width - length)
    return pad + text if right else text + pad


def is_right(column: str) -> bool:
    """Figures are right-aligned."""
    return column in NUMERIC

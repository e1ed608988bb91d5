"""Rows and cells: the data model of the record view, and how one row is laid out.

A :class:`Row` is one line on screen: an optional gutter label ("Cost", "Prompt") and
:class:`Cell` objects side by side. A cell with a ``field`` is selectable: the cursor can
rest on it and "copy field" copies its ``raw`` text, the value exactly as the API sent it.
A cell with a ``bar`` is drawn to whatever width the line has left, so bars grow with the
terminal. Row sequences may be lazy (:class:`LazyRows`, :class:`ChainedRows`), so a record
with 20,000 provider responses costs nothing until those rows are on screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, overload

from rich.cells import cell_len
from textual.content import Content

__all__ = [
    "GAP",
    "BarDrawer",
    "Cell",
    "ChainedRows",
    "LazyRows",
    "Row",
    "RowKind",
    "RowLayout",
    "align_columns",
    "char_range",
    "layout_row",
]

RowKind = Literal["field", "heading", "blank", "note", "more"]
BarDrawer = Callable[[int], Content]
GAP = 2
LABEL_STYLE = "$foreground-muted"
EMPTY = Content("")
HEADING_STYLE = "bold $text-accent"


@dataclass(frozen=True, slots=True)
class Cell:
    """One piece of a row. ``field``/``raw`` make it selectable; ``bar`` makes it flexible."""

    content: Content = EMPTY
    field: str | None = None
    raw: str | None = None
    width: int | None = None  # fixed width: the content is padded (or cut) to it
    align: Literal["left", "right"] = "left"
    bar: BarDrawer | None = None
    min_width: int = 6
    max_width: int = 72

    @property
    def selectable(self) -> bool:
        """True when the cursor may rest here."""
        return self.field is not None


@dataclass(frozen=True, slots=True)
class Row:
    """One line: ``label`` in the gutter (when ``gutter``), then ``cells``.

    ``kind`` "heading" starts a section (``label`` is its title), "more" rows do something
    on Enter (``action``), "blank" and "note" rows are never selectable.
    """

    cells: tuple[Cell, ...] = ()
    label: str = ""
    kind: RowKind = "field"
    gutter: bool = True
    action: str | None = None
    section: str | None = None  # set on the first row of a section: jump target

    @property
    def cursorable(self) -> bool:
        """True when the cursor may rest on this row (a selectable cell, or a "more" row)."""
        return self.kind == "more" or any(cell.field is not None for cell in self.cells)

    @property
    def selectable_cells(self) -> tuple[int, ...]:
        """Indexes of the cells the cursor may rest on."""
        return tuple(i for i, cell in enumerate(self.cells) if cell.field is not None)


@dataclass(frozen=True, slots=True)
class RowLayout:
    """A row laid out for a width: its content and each cell's ``(start, end)`` columns."""

    content: Content
    spans: tuple[tuple[int, int] | None, ...]

    def cell_at(self, x: int) -> int | None:
        """Index of the cell under column ``x``, if any."""
        for index, span in enumerate(self.spans):
            if span is not None and span[0] <= x < span[1]:
                return index
        return None


def _fit(cell: Cell) -> Content:
    """A fixed-width cell's content, padded to its width; left-aligned text that is too
    long is cut, right-aligned figures never are (a figure must read whole)."""
    content = cell.content
    if cell.width is None:
        return content
    if content.cell_length > cell.width:
        if cell.align == "right":
            return content
        return content.truncate(cell.width, ellipsis=True)
    pad = cell.width - content.cell_length
    return content.pad_left(pad) if cell.align == "right" else content.pad_right(pad)


def _bar_width(row: Row, fixed: list[Content | None], available: int) -> int:
    """The width each flexible cell gets from what the fixed cells leave."""
    bars = [cell for cell in row.cells if cell.bar is not None]
    if not bars:
        return 0
    used = sum(part.cell_length for part in fixed if part is not None)
    used += GAP * (len(row.cells) - 1)
    share = (available - used) // len(bars)
    return min(share, min(cell.max_width for cell in bars))


def layout_row(row: Row, width: int, label_width: int) -> RowLayout:
    """Lay ``row`` out in ``width`` columns with a gutter of ``label_width``.

    Bars that would be narrower than their ``min_width`` are left out (with their gap);
    a line wider than ``width`` is cut with an ellipsis.
    """
    pieces: list[Content] = []
    x = 0
    if row.kind == "heading":
        title = Content.styled(row.label, HEADING_STYLE)
        pieces.append(title.pad_right(GAP) if row.cells else title)
        x = title.cell_length + (GAP if row.cells else 0)
    elif row.gutter:
        label = Content.styled(row.label, LABEL_STYLE).truncate(label_width - 1, ellipsis=True)
        pieces.append(label.pad_right(label_width - label.cell_length))
        x = label_width
    fixed = [None if cell.bar is not None else _fit(cell) for cell in row.cells]
    bar_width = _bar_width(row, fixed, width - x)
    spans: list[tuple[int, int] | None] = []
    first = True
    for cell, part in zip(row.cells, fixed, strict=True):
        if part is None:
            assert cell.bar is not None
            if bar_width < cell.min_width:
                spans.append(None)
                continue
            part = cell.bar(bar_width)
        if not first:
            pieces.append(Content(" " * GAP))
            x += GAP
        first = False
        spans.append((x, x + part.cell_length))
        pieces.append(part)
        x += part.cell_length
    content = Content("").join(pieces) if pieces else Content("")
    if content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    return RowLayout(content, tuple(spans))


def _shape(row: Row) -> tuple[int, ...]:
    return tuple(i for i, cell in enumerate(row.cells) if cell.bar is not None)


def align_columns(rows: Sequence[Row]) -> list[Row]:
    """Give the fixed cells of ``rows`` common column widths (blank cells fill short rows),
    so the bars in them get the same width and start at the same column. Rows whose bars
    sit in other columns are left as they are."""
    rows = list(rows)
    barred = [row for row in rows if _shape(row)]
    if len(barred) < 2 or len({_shape(row) for row in barred}) != 1:
        return rows
    columns = max(len(row.cells) for row in barred)
    widths = [0] * columns
    for row in barred:
        for index, cell in enumerate(row.cells):
            if cell.bar is None:
                widths[index] = max(widths[index], cell.width or 0, cell.content.cell_length)
    aligned: dict[int, Row] = {}
    for position, row in enumerate(rows):
        if row not in barred:
            continue
        cells = [
            cell if cell.bar is not None else replace(cell, width=widths[index])
            for index, cell in enumerate(row.cells)
        ]
        cells += [Cell(EMPTY, width=widths[index]) for index in range(len(cells), columns)]
        aligned[position] = replace(row, cells=tuple(cells))
    return [aligned.get(position, row) for position, row in enumerate(rows)]


class _IndexedRows(Sequence[Row]):
    """A read-only row sequence: subclasses give ``len`` and ``_row(i)`` for 0 <= i < len."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _row(self, index: int) -> Row:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        count = len(self)
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(count))]
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(index)
        return self._row(index)


class LazyRows(_IndexedRows):
    """``count`` rows made on demand by ``make(index)``: nothing is built until shown."""

    def __init__(self, count: int, make: Callable[[int], Row]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    def _row(self, index: int) -> Row:
        return self._make(index)


class ChainedRows(_IndexedRows):
    """Several row sequences read as one, without copying them."""

    def __init__(self, parts: Sequence[Sequence[Row]]) -> None:
        self._parts = [part for part in parts if len(part)]
        self._starts: list[int] = []
        total = 0
        for part in self._parts:
            self._starts.append(total)
            total += len(part)
        self._len = total

    def __len__(self) -> int:
        return self._len

    def _row(self, index: int) -> Row:
        part = bisect.bisect_right(self._starts, index) - 1
        return self._parts[part][index - self._starts[part]]

    def __iter__(self) -> Iterator[Row]:
        for part in self._parts:
            yield from part


def char_range(content: Content, span: tuple[int, int]) -> tuple[int, int]:
    """Character offsets of the cell columns ``span`` in ``content`` (wide characters ok)."""
    text = content.plain
    start_col, end_col = span
    column = 0
    start = end = len(text)
    for offset, char in enumerate(text):
        if column >= start_col and start == len(text):
            start = offset
        if column >= end_col:
            end = offset
            break
        column += cell_len(char)
    return start, max(end, start)

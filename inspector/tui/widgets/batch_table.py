"""BatchTable: the batch view's table — a header, the rows (line API), a totals row.

Only the rows on screen are drawn, so a table of ten thousand ids costs what one of forty
does; an update (:meth:`BatchTable.show`) recomputes the order and redraws what is
visible. The cursor stays on its row when rows move (sorting, filtering, rows filling in),
at the same place on screen; on the last row it follows new rows in, as ``tail -f`` does.

Every text comes from :class:`~inspector.tui.batch_rows.BatchRows` (the application
layer's figures, terminal-safe); the header and the totals share the rows' column layout
(:func:`~inspector.tui.batch_layout.layout_columns`), so the three line up.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from inspector.tui.batch_keys import ROWS_BINDINGS
from inspector.tui.batch_layout import TITLES, ColumnLayout, fit, is_right, layout_columns
from inspector.tui.batch_rows import BatchRows, Row
from inspector.tui.widgets.stylesheet import tcss_beside

__all__ = ["BatchRowsView", "BatchTable"]

ARROWS = {False: " ▲", True: " ▼"}


class BatchRowsView(ScrollView, can_focus=True):
    """The rows, with a row cursor; Enter (or a double click) opens the row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "batch-rows--cursor",
        "batch-rows--cursor-blurred",
        "batch-rows--ok",
        "batch-rows--failed",
        "batch-rows--warning",
        "batch-rows--busy",
        "batch-rows--queued",
        "batch-rows--note",
        "batch-rows--empty",
    }
    BINDINGS: ClassVar[list[BindingType]] = ROWS_BINDINGS

    class Opened(Message):
        """Enter or a double click on ``row``."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    def __init__(self, rows: BatchRows, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.layout_ = layout_columns(80, rows.widths)
        self.empty_text = ""
        self._view: list[Row] = []
        self._where: dict[int, int] = {}  # row position -> index in the view
        self._cursor = 0
        self._cursor_row: Row | None = None

    # ---- content -------------------------------------------------------------------------

    @property
    def highlighted(self) -> Row | None:
        """The row under the cursor."""
        return self._view[self._cursor] if 0 <= self._cursor < len(self._view) else None

    def show(self, layout: ColumnLayout) -> None:
        """The rows changed (or their order, or the width): draw them again, the cursor on
        the same row."""
        self.layout_ = layout
        old_view, old_cursor = self._view, self._cursor
        view = self.rows.view
        if view is not old_view or len(view) != len(self._where):
            self._where = {row.position: index for index, row in enumerate(view)}
        self._view = view
        self.virtual_size = Size(layout.width, len(view))
        previous = self._cursor_row
        following = bool(old_view) and old_cursor == len(old_view) - 1
        if previous is None or not view:
            cursor = 0
        elif following and self.rows.sort_column is None and not self.rows.descending:
            cursor = len(view) - 1
        else:
            cursor = self._where.get(previous.position, min(old_cursor, len(view) - 1))
        screen_line = old_cursor - int(self.scroll_offset.y)
        self._place(cursor)
        if cursor != old_cursor and 0 <= screen_line < self.size.height:
            self.scroll_to(y=max(cursor - screen_line, 0), animate=False, immediate=True)
        self.refresh()

    def _place(self, cursor: int) -> None:
        self._cursor = max(min(cursor, len(self._view) - 1), 0)
        self._cursor_row = self.highlighted

    def move_to(self, cursor: int) -> None:
        """Put the cursor on line ``cursor`` of the view and bring it into sight."""
        old = self._cursor
        self._place(cursor)
        self.refresh_line(old)
        self.refresh_line(self._cursor)
        self.scroll_to_region(
            Region(0, self._cursor, 1, 1), animate=False, force=True, immediate=True
        )

    # ---- keys and mouse ------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self.move_to(self._cursor + delta)

    def action_page(self, delta: int) -> None:
        self.move_to(self._cursor + delta * max(self.scrollable_content_region.height - 1, 1))

    def action_edge(self, delta: int) -> None:
        self.move_to(0 if delta < 0 else len(self._view) - 1)

    def action_open(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self._view):
            self.move_to(index)
            if event.chain >= 2:
                self.action_open()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh_line(self._cursor)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh_line(self._cursor)

    # ---- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self._view):
            if index == 0 and self.empty_text:
                muted = base + self.get_component_rich_style("batch-rows--empty")
                return Strip([Segment(fit(self.empty_text, width), muted)], width)
            return Strip.blank(width, base)
        cursor = None
        if index == self._cursor:
            name = "batch-rows--cursor" if self.has_focus else "batch-rows--cursor-blurred"
            cursor = self.get_component_rich_style(name)
        return self._row_strip(self._view[index], width, base, cursor)

    def _row_strip(self, row: Row, width: int, base: Style, cursor: Style | None) -> Strip:
        line = base + cursor if cursor is not None else base
        segments: list[Segment] = []
        x = 0
        for column, start, size in self.layout_.columns:
            if start > x:
                segments.append(Segment(" " * (start - x), line))
            if column == "model" and row.note:  # a failure says why, across the figures
                note = base + self.get_component_rich_style("batch-rows--note")
                style = note + cursor if cursor is not None else note
                segments.append(Segment(fit(row.note, max(width - start, 0)), style))
                x = width
                break
            style = line
            if column == "status":
                tone = base + self.get_component_rich_style(f"batch-rows--{row.tone}")
                style = tone + cursor if cursor is not None else tone
            segments.append(Segment(fit(row.text(column), size, right=is_right(column)), style))
            x = start + size
        return Strip(segments).adjust_cell_length(width, line)


class BatchTable(Vertical):
    """Header, rows and totals, laid out alike; clicking a title sorts by its column."""

    DEFAULT_CSS = tcss_beside(__file__)

    class SortClicked(Message):
        """A column's title was clicked."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, rows: BatchRows, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Static(id="batch-header")
        yield BatchRowsView(self.rows, id="batch-rows")
        yield Static(id="batch-totals")

    @property
    def body(self) -> BatchRowsView:
        return self.query_one(BatchRowsView)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.show)

    def show(self) -> None:
        """Draw everything again from the rows (their texts, order and totals)."""
        body = self.body
        totals = self.rows.totals_cells()
        width = body.scrollable_content_region.width or max(self.size.width - 3, 0)
        content = dict(self.rows.widths)
        for column in ("cost", "tokens"):
            content[column] = max(content[column], len(totals.get(column, "")))
        layout = layout_columns(width, content)
        # The totals right under the last row (the rows scroll once they fill the table).
        lines = max(min(len(self.rows.view), self.size.height - 2), 1)
        if body.styles.height is None or body.styles.height.value != lines:
            body.styles.height = lines
        body.show(layout)
        self.query_one("#batch-header", Static).update(self._header(layout))
        self.query_one("#batch-totals", Static).update(self._totals(layout, totals))

    def _header(self, layout: ColumnLayout) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        x = 0
        for column, start, size in layout.columns:
            parts.append(" " * (start - x))
            title = TITLES[column]
            sorted_here = self.rows.sort_column == column
            if sorted_here:
                title += ARROWS[self.rows.descending]
            text = fit(title, size, right=is_right(column))
            parts.append((text, "bold $accent" if sorted_here else "bold"))
            x = start + size
        return Content.assemble(*parts)

    def _totals(self, layout: ColumnLayout, cells: dict[str, str]) -> Content:
        left = cells["label"] + (f" · {cells['outcomes']}" if cells["outcomes"] else "")
        figures = [(c, s, w) for c, s, w in layout.columns if c in ("cost", "tokens")]
        end = figures[0][1] if figures else layout.width
        parts: list[Content | str | tuple[str, str]] = [(fit(left, max(end - 2, 0)), "bold")]
        x = max(end - 2, 0)
        for column, start, size in figures:
            parts.append(" " * (start - x))
            parts.append((fit(cells.get(column, ""), size, right=True), "bold"))
            x = start + size
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        if event.widget is not self.query_one("#batch-header"):
            return
        offset = event.get_content_offset(event.widget)
        if offset is not None:
            column = self.body.layout_.column_at(offset.x)
            if column is not None:
                self.post_message(self.SortClicked(column))

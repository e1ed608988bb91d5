"""RecordView: one generation record as selectable fields, or as raw JSON (``v``).

In a wide pane the figures (header, cost, tokens, timing, providers) and the listings
(attribution, the other fields, unknown keys) stand side by side in two field lists; in a
narrow one they follow each other in a single list. The two columns read as one: the keys
that move the cursor (↓ ↑ ← →, j k h l, PgDn PgUp, ``]`` ``[``) go on into the other
column at a column's end, and Home/End (``g``/``G``) reach the very first and last field.
Below, a hint line shows the field under the cursor with its exact value, from its start,
so a value too long for its row can still be read (it is also what "copy field" copies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import chop_cells
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.core.textsafe import clean
from inspector.tui.keymap import key_display
from inspector.tui.record.build import join_sections, record_sections
from inspector.tui.record.listing import RAW_ACTION
from inspector.tui.record.palette import MUTED
from inspector.tui.record.providers import EXPAND_ACTION
from inspector.tui.record.rows import Cell
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.raw_json_view import RawJsonView, pretty_json
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from inspector.app.bill_report import BillReport
    from inspector.app.facts import RecordFacts
    from inspector.core.models import Generation

__all__ = ["HINT_ROWS", "WIDE_WIDTH", "RecordView", "field_hint", "idle_hint", "raw_hint"]

HINT_ROWS = 3  # the hint line's height at most (see record_view.tcss)
WIDE_WIDTH = 140  # from this pane width on, two columns


def field_hint(name: str, value: str, width: int, rows: int = HINT_ROWS) -> Content:
    """``name  value`` cut into lines of ``width`` cells, from the start: the name first,
    then as much of the value as ``rows`` lines hold, ``…`` when there is more. (Left to
    wrap by words, a long value would leave its name alone on the first line.)"""
    lines = chop_cells(f"{name}  {value}", width) if width > 1 else [f"{name}  {value}"]
    if len(lines) > rows:
        lines = [*lines[: rows - 1], chop_cells(lines[rows - 1], width - 1)[0] + "…"]
    return Content("\n".join(lines)).stylize("bold $text-accent", 0, len(name))


def idle_hint(app: App[Any]) -> str:
    """What the hint line says with no field under the cursor (the keys as mapped now)."""
    move = "".join(key_display(app, f"list.{way}") for way in ("up", "down", "left", "right"))
    section = key_display(app, "list.next_section")
    raw = key_display(app, "app.raw_json")
    return f"{move} move between fields · {section} next section · {raw} raw JSON"


def raw_hint(app: App[Any]) -> str:
    raw = key_display(app, "app.raw_json")
    copy = key_display(app, "app.copy")
    return f"raw JSON as received · {copy} copies all of it · {raw} back to the fields"


class RecordView(Vertical):
    """The record: fields (one or two columns) or raw JSON."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.generation: Generation | None = None
        self.raw: dict[str, Any] | None = None
        self.all_providers = False
        self.wide = False
        self.facts: RecordFacts | None = None
        self.bill: BillReport | None = None
        self._active_id = "record-fields"
        self._hint: tuple[str, str] | None = None  # (kind, text) of the hint shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="record-columns"):
            yield FieldList(id="record-fields")
            yield FieldList(id="record-side")
        yield RawJsonView(id="record-raw")
        yield Static(id="record-hint")

    def on_mount(self) -> None:
        self.raw_view.display = False
        self.side.display = False
        # The detail pane builds this view when the first record comes: take the width it
        # will have from the container already laid out, so that record comes in the right
        # number of columns at once (on_resize keeps it right afterwards).
        if isinstance(self.parent, Widget) and self.parent.size.width:
            self.wide = self.parent.size.width >= WIDE_WIDTH

    # ---- parts ---------------------------------------------------------------------

    @property
    def fields(self) -> FieldList:
        """The main field list (the only one in a narrow pane)."""
        return self.query_one("#record-fields", FieldList)

    @property
    def side(self) -> FieldList:
        """The second column of a wide pane (attribution, fields, other fields)."""
        return self.query_one("#record-side", FieldList)

    @property
    def active(self) -> FieldList:
        """The field list whose cursor counts (the one focused last)."""
        if self._active_id == "record-side" and self.wide:
            return self.side
        return self.fields

    @property
    def raw_view(self) -> RawJsonView:
        return self.query_one(RawJsonView)

    @property
    def showing_raw(self) -> bool:
        """True while the raw JSON is shown instead of the fields."""
        return bool(self.raw_view.display)

    def focus_target(self) -> Widget:
        """What to focus when the pane is focused."""
        return self.raw_view if self.showing_raw else self.active

    # ---- content -------------------------------------------------------------------

    def show(
        self,
        generation: Generation,
        raw: dict[str, Any],
        facts: RecordFacts,
        bill: BillReport | None = None,
    ) -> None:
        """Show a record and its facts: fields first, cursor on the first field. The same
        record again with its bill (it comes later) keeps the view and the cursor."""
        same = generation is self.generation and raw is self.raw and facts is self.facts
        if same:
            self.bill = bill
            field = None if self.showing_raw else self.focused_field()
            self._fill()
            if field is not None:
                self.active.move_to_field(field[0])
            return
        self.generation, self.raw, self.facts, self.bill = generation, raw, facts, bill
        self.all_providers = False
        self._active_id = "record-fields"
        self._fill()
        self.raw_view.set_json(raw)
        self._show_raw(False)

    def _fill(self, cursor_row: int | None = None) -> None:
        if self.generation is None or self.raw is None or self.facts is None:
            return
        figures, listings = record_sections(
            self.generation,
            self.raw,
            self.facts,
            all_providers=self.all_providers,
            bill=self.bill,
        )
        main = join_sections(figures if self.wide else [*figures, *listings])
        self.fields.set_rows(main.rows, sections=main.sections, cursor_row=cursor_row)
        side = join_sections(listings if self.wide else [])
        self.side.set_rows(side.rows, sections=side.sections)
        self.side.display = self.wide

    def on_resize(self, event: events.Resize) -> None:
        """Switch between one and two columns when the pane crosses ``WIDE_WIDTH``; the
        hint is cut to the new width."""
        self.call_after_refresh(self._update_hint)
        wide = event.size.width >= WIDE_WIDTH
        if wide == self.wide:
            return
        field = self.focused_field()
        had_focus = self.has_focus_within
        self.wide = wide
        self._fill()
        if field is not None and not self.showing_raw:
            self.fields.move_to_field(field[0]) or self.side.move_to_field(field[0])
        if had_focus and not self.showing_raw:
            self.active.focus()

    def focused_field(self) -> tuple[str, str] | None:
        """``(name, exact value)`` under the cursor; the whole JSON while it is shown."""
        if self.raw is None:
            return None
        if self.showing_raw:
            return ("raw JSON", pretty_json(self.raw))
        cell = self.active.focused_cell()
        if cell is None or cell.field is None:
            return None
        return (cell.field, cell.raw if cell.raw is not None else "")

    # ---- raw JSON ------------------------------------------------------------------

    def toggle_raw_json(self) -> None:
        """Switch between the fields and the raw JSON."""
        self._show_raw(not self.showing_raw)

    def _show_raw(self, raw: bool) -> None:
        had_focus = self.has_focus_within
        if raw:
            self.raw_view.ensure_formatted()
        self.raw_view.display = raw
        self.query_one("#record-columns").display = not raw
        self._update_hint()
        if had_focus:
            self.focus_target().focus()

    @on(FieldList.Beyond)
    def _beyond(self, event: FieldList.Beyond) -> None:
        """A move past a column's end goes on in the other column (wide records)."""
        event.stop()
        if not self.wide or self.showing_raw:
            return
        lists = [self.fields, self.side]
        index = lists.index(event.field_list) + event.delta if event.field_list in lists else -1
        if not 0 <= index < len(lists) or not lists[index].rows:
            return
        target = lists[index]
        # On into the other column: its first field going forward, its last going back;
        # Home/End: the very first or last field of the record.
        target.to_edge(event.delta if event.edge else -event.delta)
        target.focus()

    # ---- hint line -----------------------------------------------------------------

    def _update_hint(self) -> None:
        cell: Cell | None = None if self.showing_raw else self.active.focused_cell()
        if self.showing_raw:
            kind, content = "raw", Content.styled(raw_hint(self.app), MUTED)
        elif cell is None or cell.field is None:
            kind, content = "idle", Content.styled(idle_hint(self.app), MUTED)
        else:
            value = clean(cell.raw if cell.raw is not None else "")
            width = self.size.width - 2  # the hint's padding
            kind = "field"
            content = field_hint(clean(cell.field), value, width)
        # Showing a record, its cursor and the focus each ask for the same hint: an update
        # lays the screen out again, so only a different hint is set.
        if (kind, content.plain) != self._hint:
            self._hint = (kind, content.plain)
            self.query_one("#record-hint", Static).update(content)

    @on(FieldList.CursorMoved)
    def _cursor_moved(self, event: FieldList.CursorMoved) -> None:
        event.stop()
        if event.field_list is self.active:
            self._update_hint()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The list focused last is the one whose field counts."""
        if isinstance(event.widget, FieldList) and event.widget.id:
            self._active_id = event.widget.id
            self._update_hint()

    @on(FieldList.Activated)
    def _activated(self, event: FieldList.Activated) -> None:
        event.stop()
        if event.row.action == EXPAND_ACTION and not self.all_providers:
            self.all_providers = True
            self._fill(cursor_row=event.index)
            self.fields.scroll_to(y=max(event.index - 2, 0), animate=False, immediate=True)
        elif event.row.action == RAW_ACTION:
            self.toggle_raw_json()

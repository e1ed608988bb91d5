"""RecordView: one generation record as selectable fields, or as raw JSON (``j``).

In a wide pane the figures (header, cost, tokens, timing, providers) and the listings
(attribution, the other fields, unknown keys) stand side by side in two field lists
(Tab moves between them); in a narrow one they follow each other in a single list. Below,
a hint line shows the field under the cursor with its exact value, so a value too long
for its row can still be read (it is also what "copy field" copies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.core.textsafe import clean
from inspector.tui.record.build import join_sections, record_sections
from inspector.tui.record.listing import RAW_ACTION
from inspector.tui.record.palette import MUTED
from inspector.tui.record.providers import EXPAND_ACTION
from inspector.tui.record.rows import Cell
from inspector.tui.widgets.field_list import FieldList
from inspector.tui.widgets.raw_json_view import RawJsonView, pretty_json
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from inspector.app.facts import RecordFacts
    from inspector.core.models import Generation

__all__ = ["HINT_CHARS", "WIDE_WIDTH", "RecordView"]

HINT_CHARS = 400
WIDE_WIDTH = 140  # from this pane width on, two columns
IDLE_HINT = "↑↓ ←→ move between fields · [ ] jump between sections · j raw JSON"
RAW_HINT = "raw JSON as received · j back to the fields"


class RecordView(Vertical):
    """The record: fields (one or two columns) or raw JSON."""

    DEFAULT_CSS = tcss_beside(__file__)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "toggle_raw", "raw JSON"),
        Binding("left_square_bracket", "section(-1)", "previous section", show=False),
        Binding("right_square_bracket", "section(1)", "next section", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.generation: Generation | None = None
        self.raw: dict[str, Any] | None = None
        self.all_providers = False
        self.wide = False
        self.facts: RecordFacts | None = None
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

    def show(self, generation: Generation, raw: dict[str, Any], facts: RecordFacts) -> None:
        """Show a record and its facts: fields first, cursor on the first field."""
        self.generation, self.raw, self.facts = generation, raw, facts
        self.all_providers = False
        self._active_id = "record-fields"
        self._fill()
        self.raw_view.set_json(raw)
        self._show_raw(False)

    def _fill(self, cursor_row: int | None = None) -> None:
        if self.generation is None or self.raw is None or self.facts is None:
            return
        figures, listings = record_sections(
            self.generation, self.raw, self.facts, all_providers=self.all_providers
        )
        main = join_sections(figures if self.wide else [*figures, *listings])
        self.fields.set_rows(main.rows, sections=main.sections, cursor_row=cursor_row)
        side = join_sections(listings if self.wide else [])
        self.side.set_rows(side.rows, sections=side.sections)
        self.side.display = self.wide

    def on_resize(self, event: events.Resize) -> None:
        """Switch between one and two columns when the pane crosses ``WIDE_WIDTH``."""
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

    def action_toggle_raw(self) -> None:
        """``j``: fields ⇄ raw JSON."""
        self.toggle_raw_json()

    def action_section(self, delta: int) -> None:
        """``[`` / ``]``: previous / next section."""
        if not self.showing_raw:
            self.active.action_section(delta)

    # ---- hint line -----------------------------------------------------------------

    def _update_hint(self) -> None:
        cell: Cell | None = None if self.showing_raw else self.active.focused_cell()
        if self.showing_raw:
            kind, content = "raw", Content.styled(RAW_HINT, MUTED)
        elif cell is None or cell.field is None:
            kind, content = "idle", Content.styled(IDLE_HINT, MUTED)
        else:
            value = clean(cell.raw if cell.raw is not None else "")
            if len(value) > HINT_CHARS:
                value = value[: HINT_CHARS - 1] + "…"
            kind = "field"
            content = Content.assemble((clean(cell.field), "bold $text-accent"), "  ", value)
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

"""When a lookup's answer shows, the focus leaves the id field for the detail pane (so the
letter keys work there) — unless the field holds something other than what was looked up:
that is the next id being typed or pasted, and its Enter belongs to the field."""

from __future__ import annotations

from textual.widget import Widget

from inspector.tui.widgets.id_input import IdField

__all__ = ["field_holds", "leave_input_for"]


def field_holds(text: str, shown_id: str | None) -> bool:
    """True when the id field's ``text`` is empty or still holds the id shown."""
    return not text.strip() or (shown_id is not None and shown_id in text)


def leave_input_for(pane: Widget, shown_id: str | None) -> None:
    """Move the focus from the id field (or from nowhere) into ``pane``'s content.

    At once, before the answer is painted: once the record is on screen, keys typed go
    where the focus will stay. (Deferred to after the paint, a person quick to type the
    next id, or a test that types when it sees the record, had its first characters
    land in the field after the shown id and the rest, after the focus moved, start it
    over: the field ended with the tail of the id.)"""
    focused = pane.app.focused
    typing = isinstance(focused, IdField) and not field_holds(focused.value, shown_id)
    if (focused is None or isinstance(focused, IdField)) and not typing:
        _focus_now(pane)


def _focus_now(pane: Widget) -> None:
    focus_content = getattr(pane, "focus_content", None)
    if focus_content is None or not focus_content():
        pane.app.set_focus(None)

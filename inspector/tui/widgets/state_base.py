"""What the detail pane's states have in common: a title for the pane's border, focus only
while on screen, and a way to stop their timers."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget

__all__ = ["DisplayedFocus", "StateWidget", "displayed"]


def displayed(widget: Widget) -> bool:
    """True when neither the widget nor any ancestor is ``display: none``."""
    node: Widget | None = widget
    while isinstance(node, Widget):
        if not node.display:
            return False
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return True


class DisplayedFocus:
    """Mixin (listed before the widget class): focus only while displayed, so a search for
    "the first focusable widget in the pane" never lands on a hidden state."""

    def allow_focus(self) -> bool:
        """Focusable only while on screen."""
        allowed: bool = super().allow_focus()  # type: ignore[misc]
        return allowed and isinstance(self, Widget) and displayed(self)


class StateWidget(DisplayedFocus, Vertical, can_focus=True):
    """Base of the empty, loading, pending, retrying and error states."""

    pane_title: str = ""
    """What the detail pane's border says while this state shows."""

    def deactivate(self) -> None:
        """Called when another state replaces this one: stop timers and the like."""

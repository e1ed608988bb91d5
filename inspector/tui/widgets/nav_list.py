"""NavList: an OptionList that moves with the app's list keys (j/k, g/G besides the arrows,
Home/End) and whose ``g`` can be undone when it turns out to start a typed id."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import OptionList

from inspector.tui.keymap import list_bindings

__all__ = ["NavList"]


class NavList(OptionList):
    """The history list and the demo list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            {
                "list.up": "cursor_up",
                "list.down": "cursor_down",
                "list.page_up": "page_up",
                "list.page_down": "page_down",
                "list.first": "first",
                "list.last": "last",
            }
        )
    ]

    def jump_state(self) -> object:
        return (self.highlighted, self.scroll_offset.y)

    def restore_jump(self, state: object) -> None:
        if isinstance(state, tuple) and len(state) == 2:
            highlighted, scroll_y = state
            self.highlighted = highlighted if isinstance(highlighted, int) else None
            self.scroll_to(y=float(scroll_y), animate=False, immediate=True)

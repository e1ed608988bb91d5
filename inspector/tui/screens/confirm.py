"""A yes/no modal for destructive actions (delete a history entry, clear history, forget key).

Its footer shows its own keys (y, n/Esc/q, and what Enter presses), not the main screen's."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from inspector.tui.keymap import bind
from inspector.tui.widgets.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (confirmed) or False."""

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("dialog.yes", "answer(True)", "yes"),
        bind("dialog.no", "answer(False)", "no"),
    ]

    def __init__(self, title: str, message: str, *, confirm_label: str = "Delete") -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title), id="confirm-title")
            yield Static(Text(self._message), id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self._confirm_label} (y)", id="yes", variant="error")
                yield Button("Cancel (n)", id="no")
        yield KeyFooter(extra=[("enter", "⏎", "cancel")])

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_descendant_focus(self) -> None:
        """Enter presses the focused button: the footer says which."""
        words = self._confirm_label.lower() if self.focused is self.query_one("#yes") else "cancel"
        self.query_one(KeyFooter).set_extra([("enter", "⏎", words)])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

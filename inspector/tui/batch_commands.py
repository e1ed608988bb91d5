"""The command palette over the batch view: its own actions, only those that work now
(the screen's ``check_action`` decides, as it does for the footer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from inspector.tui.commands import InspectorCommands, PaletteCommand

if TYPE_CHECKING:
    from textual.dom import DOMNode

__all__ = ["BATCH_COMMANDS", "BatchCommands"]

BATCH_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Open the record", "The highlighted row's record", "open_row", "list.open"),
    PaletteCommand("Stop the batch", "What finished is kept", "stop", "batch.stop"),
    PaletteCommand("Filter rows", "By id, status, model or provider", "filter", "batch.filter"),
    PaletteCommand("Sort by the next column", "Then input order again", "sort", "batch.sort"),
    PaletteCommand("Reverse the order", "Largest or last first", "reverse", "batch.reverse"),
    PaletteCommand("Copy generation id", "The highlighted row's id", "copy_id", "app.copy_id"),
    PaletteCommand("Retry the failed", "Look them up again", "retry", "batch.retry"),
    PaletteCommand("Replace API key", "Enter another OpenRouter key", "enter_key", "app.api_key"),
    PaletteCommand("Close the batch view", "Stops it first", "close", "batch.close"),
    PaletteCommand("Keys and help", "Every key binding", "help", "app.help"),
)


class BatchCommands(InspectorCommands):
    """The batch view's actions (run on the screen the palette was opened over)."""

    commands: ClassVar[tuple[PaletteCommand, ...]] = BATCH_COMMANDS

    def _target(self) -> DOMNode | None:
        return self.screen

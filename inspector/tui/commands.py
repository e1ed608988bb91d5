"""Command palette provider: every action of the app, shown only when it makes sense now,
each with the key that does the same (as the keymap has it now)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from inspector.tui.keymap import key_display

if TYPE_CHECKING:
    from textual.dom import DOMNode


class PaletteCommand(NamedTuple):
    title: str
    help: str
    action: str  # an action of the app, e.g. "copy_json"; check_action decides if it shows
    binding_id: str | None = None  # its key (None: the palette is the only way)


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Look up an id", "Move to the id field", "focus_input", "app.id_field"),
    PaletteCommand("Cancel lookup", "Stop the lookup in flight", "cancel_lookup", "app.cancel"),
    PaletteCommand("Retry now", "Skip the wait and try again", "retry_now", "app.retry"),
    PaletteCommand("Refresh", "Fetch the shown generation again", "refresh", "app.retry"),
    PaletteCommand("Copy field", "Copy the focused field's value", "copy_field", "app.copy"),
    PaletteCommand("Copy generation id", "Copy the shown id", "copy_id", "app.copy_id"),
    PaletteCommand("Copy raw JSON", "Copy the whole record as JSON", "copy_json", "app.copy_json"),
    PaletteCommand(
        "Copy Markdown summary",
        "A summary for sharing (personal data masked)",
        "copy_summary",
        "app.copy_summary",
    ),
    PaletteCommand("Copy error", "Copy the error message as text", "copy_error", "app.copy"),
    PaletteCommand("Show raw JSON", "The record as received", "toggle_raw", "app.raw_json"),
    PaletteCommand("Show the fields", "Back from the raw JSON", "toggle_fields", "app.raw_json"),
    PaletteCommand(
        "Toggle history", "Show or hide the history sidebar", "toggle_history", "app.history"
    ),
    PaletteCommand("Filter history", "Search the whole history", "filter_history", "app.filter"),
    PaletteCommand(
        "Delete history entry",
        "Remove the highlighted entry",
        "delete_history_entry",
        "history.delete",
    ),
    PaletteCommand("Clear history", "Delete every history entry", "clear_history", "history.clear"),
    PaletteCommand("Replace API key", "Enter another OpenRouter key", "enter_key", "app.api_key"),
    PaletteCommand("Forget API key", "Remove the key from the keyring", "forget_key"),
    PaletteCommand("Keys and help", "Every key binding", "help", "app.help"),
    PaletteCommand(
        "Back to the batch", "The batch view this record came from", "back_to_batch", "batch.back"
    ),
)


class InspectorCommands(Provider):
    """The app's actions, filtered by ``App.check_action`` so only working ones show.

    A screen with commands of its own (the batch view's :mod:`inspector.tui.batch_commands`)
    offers those instead: the main screen's do not apply there."""

    commands: ClassVar[tuple[PaletteCommand, ...]] = COMMANDS

    def _target(self) -> DOMNode | None:
        """Whose actions these are (None: none apply on the screen the palette is over)."""
        return None if self.screen.COMMANDS else self.app

    def _available(self) -> list[PaletteCommand]:
        target = self._target()
        if target is None:
            return []
        return [cmd for cmd in self.commands if target.check_action(cmd.action, ())]

    def _run(self, action: str) -> None:
        target = self._target()
        if target is not None:
            self.app.call_later(self.app.run_action, action, target)

    def _key(self, cmd: PaletteCommand) -> Content:
        if cmd.binding_id is None:
            return Content("")
        return Content.styled(f"  {key_display(self.app, cmd.binding_id)}", "bold $text-accent")

    async def discover(self) -> Hits:
        for cmd in self._available():
            yield DiscoveryHit(
                Content.assemble(cmd.title, self._key(cmd)),
                partial(self._run, cmd.action),
                text=cmd.title,
                help=cmd.help,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._available():
            score = matcher.match(cmd.title)
            if score > 0:
                yield Hit(
                    score,
                    Content.assemble(matcher.highlight(cmd.title), self._key(cmd)),
                    partial(self._run, cmd.action),
                    text=cmd.title,
                    help=cmd.help,
                )

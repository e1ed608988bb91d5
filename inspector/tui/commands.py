"""Command palette provider: every action of the app, shown only when it makes sense now."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider


class PaletteCommand(NamedTuple):
    title: str
    help: str
    action: str  # an action of the app, e.g. "copy_json"; check_action decides if it shows


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Look up an id", "Move to the id field", "focus_input"),
    PaletteCommand("Cancel lookup", "Stop the lookup in flight", "cancel_lookup"),
    PaletteCommand("Retry now", "Skip the wait and try again", "retry_now"),
    PaletteCommand("Refresh", "Fetch the shown generation again", "refresh"),
    PaletteCommand("Copy field", "Copy the focused field's value", "copy_field"),
    PaletteCommand("Copy generation id", "Copy the shown id", "copy_id"),
    PaletteCommand("Copy raw JSON", "Copy the whole record as JSON", "copy_json"),
    PaletteCommand(
        "Copy Markdown summary", "A summary for sharing (personal data masked)", "copy_summary"
    ),
    PaletteCommand("Copy error", "Copy the error message as text", "copy_error"),
    PaletteCommand("Toggle raw JSON", "Show or hide the raw JSON view", "toggle_raw"),
    PaletteCommand("Toggle history", "Show or hide the history sidebar", "toggle_history"),
    PaletteCommand("Filter history", "Search the whole history", "filter_history"),
    PaletteCommand("Delete history entry", "Remove the highlighted entry", "delete_history_entry"),
    PaletteCommand("Clear history", "Delete every history entry", "clear_history"),
    PaletteCommand("Replace API key", "Enter another OpenRouter key", "enter_key"),
    PaletteCommand("Forget API key", "Remove the key from the keyring", "forget_key"),
    PaletteCommand("Keys and help", "Every key binding", "help"),
)


class InspectorCommands(Provider):
    """The app's actions, filtered by ``App.check_action`` so only working ones show."""

    def _available(self) -> list[PaletteCommand]:
        app = self.app
        return [cmd for cmd in COMMANDS if app.check_action(cmd.action, ())]

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for cmd in self._available():
            yield DiscoveryHit(cmd.title, partial(self._run, cmd.action), help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._available():
            score = matcher.match(cmd.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(cmd.title),
                    partial(self._run, cmd.action),
                    text=cmd.title,
                    help=cmd.help,
                )

"""The footer: the keys that work right now, on one line, drawn as text.

Textual's ``Footer`` mounts a widget per key and rebuilds them all whenever focus moves or
the bindings change, which costs tens of milliseconds per lookup here. This footer renders
one line from ``screen.active_bindings`` instead: same keys, same order, same meaning
(``check_action`` → hidden or dimmed), keys clickable. Keys that do not fit are left out
whole (bindings are declared most important first); ``^p palette`` stays at the right.
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from inspector.tui.widgets.stylesheet import tcss_beside

GAP = "  "


class _Item(NamedTuple):
    key: str
    label: Content


class KeyFooter(Widget):
    """One line of ``key description`` pairs for the focused widget's bindings."""

    DEFAULT_CSS = tcss_beside(__file__)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hits: list[tuple[int, int, str]] = []  # (start, end, key) of what was drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _items(self) -> tuple[list[_Item], _Item | None]:
        """The keys to show, in order, and the command palette's key."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        items: list[_Item] = []
        palette: _Item | None = None
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key:
                palette = self._item(binding, "palette", active.enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                items.append(self._item(binding, binding.description, active.enabled))
        return items, palette

    def _item(self, binding: Binding, description: str, enabled: bool) -> _Item:
        shown = self.app.get_key_display(binding)
        label = Content.assemble((shown, "bold $footer-key-foreground"), " ", description)
        return _Item(binding.key.split(",")[0], label if enabled else label.stylize("dim"))

    def render(self) -> Content:
        items, palette = self._items()
        width = self.size.width
        right = palette.label if palette else Content("")
        room = width - right.cell_length - 1
        parts: list[Content] = []
        self._hits = []
        used = 0
        for item in items:
            length = item.label.cell_length + (len(GAP) if parts else 0)
            if used + length > room:
                break
            if parts:
                parts.append(Content(GAP))
                used += len(GAP)
            self._hits.append((used, used + item.label.cell_length, item.key))
            parts.append(item.label)
            used += item.label.cell_length
        if palette is not None:
            start = width - right.cell_length
            self._hits.append((start, width, palette.key))
            parts.append(Content(" " * max(start - used, 1)))
            parts.append(right)
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hits:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return

"""The footer: the keys that work right now, on one line, drawn as text.

Textual's ``Footer`` mounts a widget per key and rebuilds them all whenever focus moves or
the bindings change, which costs tens of milliseconds per lookup here. This footer renders
one line from ``screen.active_bindings`` instead: same keys, same order, same meaning
(``check_action`` → hidden or dimmed), keys clickable. Keys that do not fit are left out
whole (bindings are declared most important first); help, quit and ``^p palette`` stay at
the right whatever the width.
"""

from __future__ import annotations

from collections.abc import Sequence
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


# Always shown (at the right, before the palette), whatever the width: help and quit.
PINNED = ("help", "quit")


class KeyFooter(Widget):
    """One line of ``key description`` pairs for the focused widget's bindings.

    ``extra`` adds hints for keys a focused widget handles without a shown binding (for
    example Enter in a field): ``(key, shown key, description)``, drawn first.
    """

    DEFAULT_CSS = tcss_beside(__file__)

    def __init__(
        self, *, id: str | None = None, extra: Sequence[tuple[str, str, str]] = ()
    ) -> None:
        super().__init__(id=id)
        self._extra = tuple(extra)
        self._hits: list[tuple[int, int, str]] = []  # (start, end, key) of what was drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def set_extra(self, extra: Sequence[tuple[str, str, str]]) -> None:
        """Other hints for keys the focused widget handles (Enter on another button)."""
        if tuple(extra) != self._extra:
            self._extra = tuple(extra)
            self.refresh()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _items(self) -> tuple[list[_Item], list[_Item]]:
        """The keys to show, most important first, and the pinned ones (help, quit, then
        the command palette) drawn at the right."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        items: list[_Item] = [
            _Item(key, Content.assemble((shown, "bold $footer-key-foreground"), " ", words))
            for key, shown, words in self._extra
        ]
        pinned: dict[str, _Item] = {}
        palette: _Item | None = None
        seen: set[str] = set()
        ranked: list[tuple[tuple[int, int], _Item]] = []
        nodes: dict[int, int] = {}  # id(node) -> its place in the focus chain
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key:
                palette = self._item(binding, "palette", active.enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                item = self._item(binding, binding.description, active.enabled)
                if binding.action in PINNED:
                    pinned[binding.action] = item
                else:
                    node = nodes.setdefault(id(active.node), len(nodes))
                    ranked.append(((node, _declared_at(active.node, binding)), item))
        # In the order the bindings are declared (a key remapped by the keymap keeps its
        # place), the focused widget's first.
        items.extend(item for _, item in sorted(ranked, key=lambda pair: pair[0]))
        right = [pinned[action] for action in PINNED if action in pinned]
        if palette is not None:
            right.append(palette)
        return items, right

    def _item(self, binding: Binding, description: str, enabled: bool) -> _Item:
        shown = self.app.get_key_display(binding)
        label = Content.assemble((shown, "bold $footer-key-foreground"), " ", description)
        return _Item(binding.key.split(",")[0], label if enabled else label.stylize("dim"))

    def render(self) -> Content:
        items, right = self._items()
        width = self.content_region.width or self.size.width
        while right and _span(right) > width:  # very narrow: the palette goes last
            right.pop(0 if len(right) > 1 else -1)
        room = width - _span(right) - (len(GAP) if right else 0)
        left: list[_Item] = []
        for item in items:  # whole hints only, in order of importance
            if _span([*left, item]) <= room:
                left.append(item)
        parts: list[Content] = []
        self._hits = []
        used = 0
        for item in left:
            used = self._draw(parts, item, used)
        if right:
            start = width - _span(right)
            parts.append(Content(" " * (start - used)))
            used = start
            for item in right:
                used = self._draw(parts, item, used)
        return Content.assemble(*parts)

    def _draw(self, parts: list[Content], item: _Item, used: int) -> int:
        if used and parts and not parts[-1].plain.isspace():
            parts.append(Content(GAP))
            used += len(GAP)
        self._hits.append((used, used + item.label.cell_length, item.key))
        parts.append(item.label)
        return used + item.label.cell_length

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        x = offset.x if offset is not None else event.x
        for start, end, key in self._hits:
            if start <= x < end:
                event.stop()
                self.app.simulate_key(key)
                return


def _declared_at(node: object, binding: Binding) -> int:
    """Where ``binding`` stands in its node's declared ``BINDINGS`` (by id and action)."""
    declared = getattr(type(node), "BINDINGS", ())
    for index, item in enumerate(declared):
        if isinstance(item, Binding) and (item.id, item.action) == (binding.id, binding.action):
            return index
    return len(declared)


def _span(items: Sequence[_Item]) -> int:
    """Cells taken by these hints with a gap between each two."""
    return sum(item.label.cell_length for item in items) + len(GAP) * max(len(items) - 1, 0)

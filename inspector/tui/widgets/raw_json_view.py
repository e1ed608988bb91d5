"""RawJsonView: the record exactly as received, pretty-printed and highlighted.

Highlighting is Rich's ``Syntax`` (Pygments' JSON lexer, pure Python) with a syntax theme
built from this widget's component classes, so the colours follow the Textual theme and
live in the ``.tcss`` file. Lines are highlighted only when they come on screen (line API,
with a cache), so a record of 20,000 provider responses scrolls as easily as a small one.
Every line passes through :func:`inspector.core.textsafe.clean` before it is drawn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from inspector.core.textsafe import clean
from inspector.tui.keymap import list_bindings
from inspector.tui.record.json_lines import JsonLines
from inspector.tui.widgets.state_base import DisplayedFocus
from inspector.tui.widgets.stylesheet import tcss_beside

if TYPE_CHECKING:
    from rich.syntax import Syntax

__all__ = ["RawJsonView", "pretty_json"]

# component class -> Pygments token (by name: Pygments is imported when the view is first
# drawn, not with the record view, which most records never switch to).
_TOKENS = {
    "raw-json--key": "Name.Tag",
    "raw-json--string": "String",
    "raw-json--number": "Number",
    "raw-json--constant": "Keyword.Constant",
    "raw-json--punctuation": "Punctuation",
}


def pretty_json(raw: Any) -> str:
    """The record as indented JSON, keys in the order they came, non-ASCII kept."""
    return json.dumps(raw, indent=2, ensure_ascii=False)


class RawJsonView(DisplayedFocus, ScrollView, can_focus=True):
    """Scrollable, highlighted JSON of one record."""

    DEFAULT_CSS = tcss_beside(__file__)
    COMPONENT_CLASSES: ClassVar[set[str]] = set(_TOKENS)
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            {
                "list.up": "scroll_up",
                "list.down": "scroll_down",
                "list.left": "scroll_left",
                "list.right": "scroll_right",
                "list.page_up": "page_up",
                "list.page_down": "page_down",
                "list.first": "jump(-1)",
                "list.last": "jump(1)",
            }
        )
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._source: Any = None
        self._lines: JsonLines | None = None
        self._syntax: Syntax | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(2048)

    def set_json(self, raw: Any) -> None:
        """Show ``raw``; it is formatted the first time the view is displayed."""
        self._source = raw
        self._lines = None
        self._cache.clear()
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        if self.display:
            self.ensure_formatted()

    def ensure_formatted(self) -> None:
        """Index the JSON's lines (called when the view is about to be shown). Lines are
        made as they come on screen, so even a huge record is ready at once."""
        if self._lines is not None:
            return
        self._lines = JsonLines(self._source)
        self._cache.clear()
        self.virtual_size = Size(self._lines.width + 1, len(self._lines))
        self.refresh()

    @property
    def lines(self) -> Sequence[str]:
        """The formatted lines."""
        self.ensure_formatted()
        return self._lines if self._lines is not None else []

    def action_jump(self, where: int) -> None:
        """Home / End (``g`` / ``G``): the first or the last line, at once."""
        if where < 0:
            self.scroll_home(animate=False, immediate=True)
        else:
            self.scroll_end(animate=False, immediate=True)

    def jump_state(self) -> object:
        """The scroll position (a ``g`` that turns out to start an id is undone)."""
        return self.scroll_offset.y

    def restore_jump(self, state: object) -> None:
        if isinstance(state, int | float):
            self.scroll_to(y=state, animate=False, immediate=True)

    def notify_style_update(self) -> None:
        """Theme changed: rebuild the syntax theme and redraw."""
        super().notify_style_update()
        self._syntax = None
        self._cache.clear()

    def _get_syntax(self) -> Syntax:
        if self._syntax is None:
            from pygments.lexers.data import JsonLexer
            from pygments.token import Token, string_to_tokentype
            from rich.syntax import ANSISyntaxTheme, Syntax

            style_map: dict[Any, Style] = {Token: self.rich_style}
            for component, token in _TOKENS.items():
                style_map[string_to_tokentype(token)] = self.get_component_rich_style(
                    component, partial=True
                )
            self._syntax = Syntax(
                "", lexer=JsonLexer(), theme=ANSISyntaxTheme(style_map), word_wrap=False
            )
        return self._syntax

    def _highlight(self, line: str) -> Text:
        text = self._get_syntax().highlight(clean(line))
        text.rstrip()
        text.stylize_before(self.rich_style)
        return text

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        lines: Sequence[str] = self._lines if self._lines is not None else []
        if index >= len(lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            text = self._highlight(lines[index])
            strip = Strip(text.render(self.app.console), text.cell_len)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

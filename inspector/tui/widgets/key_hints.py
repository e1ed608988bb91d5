"""KeyHints: ``r check now   esc stop`` — the keys a state offers, each also clickable.

A hint names the binding id of its key (:mod:`inspector.tui.keymap`), so the key drawn is
the key that works, remapped or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from inspector.tui.keymap import key_display

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["STOP", "Hint", "KeyHints", "clickable", "key_hints"]


class Hint(NamedTuple):
    """``keys``: binding ids, space-separated (``"app.cancel app.api_key"`` draws ``esc K``);
    ``in_text_field``: drawn while a text field has the focus, so its first key is one the
    field does not type (``f1``, not ``?``)."""

    keys: str
    words: str
    action: str
    in_text_field: bool = False


STOP = Hint("app.cancel", "stop", "app.cancel_lookup")  # the waiting states' Esc


def clickable(action: str) -> Style:
    """A style that runs ``action`` (e.g. ``app.retry_now``) when its text is clicked."""
    return Style.from_meta({"@click": action})


def key_hints(hints: Sequence[Hint], app: App[Any]) -> Content:
    """The hints as one line; each runs its action when clicked."""
    parts = []
    for hint in hints:
        first, *then = hint.keys.split()
        keys = " ".join(
            [
                key_display(app, first, in_text_field=hint.in_text_field),
                *(key_display(app, binding_id) for binding_id in then),
            ]
        )
        label = Content.assemble((keys, "bold $text-accent"), f" {hint.words}")
        parts.append(label.stylize(clickable(hint.action)))
    return Content("   ").join(parts)


class KeyHints(Static):
    """A line of key hints. Its own colours stay (no link colouring over them)."""

    DEFAULT_CSS = """
    KeyHints {
        color: $text-muted;
        height: auto;
    }
    """

    def __init__(self, hints: Sequence[Hint] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.auto_links = False
        self._hints = tuple(hints)

    def on_mount(self) -> None:
        self.show(self._hints)

    def show(self, hints: Sequence[Hint]) -> None:
        """Offer other keys."""
        self._hints = tuple(hints)
        self.update(key_hints(self._hints, self.app))

    @property
    def hints(self) -> tuple[Hint, ...]:
        """What is offered now."""
        return self._hints
